// The per-side rule behind the uptime meter and the maker-uptime ledger, on hand-made books whose
// published mark sits away from the mid: band edges, the mark band, the minimum size, resting time.

import { describe, expect, it } from 'vitest';
import type { OrderRecord, OrderStatus, Side } from '../../src/sim/accounts.js';
import type { MarketSnapshot } from '../../src/sim/market.js';
import { ratioFromNumber } from '../../src/sim/money.js';
import { sidePresence, type PresenceRule } from '../../src/sim/quote-presence.js';

/** Mid 100000.00 (ticks of 0.01); the published mark 5 bps above it, at 100050.0000. */
const BOOK: MarketSnapshot = {
  fairTicks: 10_000_000n,
  bids: [{ priceTicks: 9_999_750n, qtyLots: 10_000n }],
  asks: [{ priceTicks: 10_000_250n, qtyLots: 10_000n }],
  markUnits: 1_000_500_000n,
  indexTicks: 10_005_000n,
  lastTicks: 10_000_000n,
};

const RULE: PresenceRule = {
  midBand: { min: ratioFromNumber(7), max: ratioFromNumber(10) },
  markBand: ratioFromNumber(10),
  minLots: 100n,
  minRestMs: 500,
};

interface Quote {
  readonly side: Side;
  readonly priceTicks: bigint;
  readonly lots?: bigint;
  readonly filledLots?: bigint;
  readonly restingSinceMs?: number;
  readonly status?: OrderStatus;
}

function order(quote: Quote, id: number): OrderRecord {
  const status = quote.status ?? 'open';
  const since = quote.restingSinceMs ?? 0;
  return {
    id,
    clOrdId: `q${id}`,
    address: '0xabc',
    symbol: 'BTC-USD',
    side: quote.side,
    type: 'limit',
    timeInForce: 'alo',
    priceTicks: quote.priceTicks,
    qtyLots: quote.lots ?? 100n,
    reduceOnly: false,
    leverage: 10,
    positionId: 1,
    createdAtMs: 0,
    filledLots: quote.filledLots ?? 0n,
    filledMoney: 0n,
    status,
    remark: '',
    updatedAtMs: 0,
    history: [
      { atMonoMs: since - 1, status: 'new', filledLots: 0n, filledMoney: 0n, updatedAtMs: 0 },
      ...(status === 'open' ? [{ atMonoMs: since, status, filledLots: 0n, filledMoney: 0n, updatedAtMs: 0 }] : []),
    ],
  };
}

const presenceOf = (quotes: readonly Quote[], side: Side, rule: PresenceRule = RULE): ReturnType<typeof sidePresence> =>
  sidePresence(quotes.map(order), side, BOOK, rule);

describe('side presence against the mid and the published mark', () => {
  it.each([
    // Mark 100050: a bid 10 bps under it is at 99949.95 (ticks 9_994_995 floor), an ask 10 bps over at 100150.05.
    { name: 'bid 7 bps under the mid: in band, 12 bps under the mark', side: 'buy', price: 9_993_000n, inBand: true, nearMark: false },
    { name: 'bid 5 bps under the mid: out of band, 10 bps under the mark', side: 'buy', price: 9_995_000n, inBand: false, nearMark: true },
    { name: 'bid one tick inside 7 bps: out of band', side: 'buy', price: 9_993_001n, inBand: false, nearMark: false },
    { name: 'bid exactly 10 bps under the mark: near (inclusive)', side: 'buy', price: 9_994_995n, inBand: false, nearMark: true },
    { name: 'ask 7 bps over the mid: in band, 2 bps over the mark', side: 'sell', price: 10_007_000n, inBand: true, nearMark: true },
    { name: 'ask 10 bps over the mid: in band (inclusive), 5 bps over the mark', side: 'sell', price: 10_010_000n, inBand: true, nearMark: true },
    { name: 'ask 16 bps over the mid: out of band, 11 bps over the mark', side: 'sell', price: 10_016_000n, inBand: false, nearMark: false },
  ] as const)('$name', ({ side, price, inBand, nearMark }) => {
    const presence = presenceOf([{ side, priceTicks: price }], side);
    expect(presence).toMatchObject({ inBand, nearMark, credited: nearMark, isEmpty: false });
  });

  it.each([
    { name: 'nothing resting', quotes: [], credited: false, restedFromMs: null, isEmpty: true },
    { name: 'only a pending (new) order', quotes: [{ side: 'sell', priceTicks: 10_007_000n, status: 'new' }], credited: false, restedFromMs: null, isEmpty: true },
    { name: 'one quote at the minimum size', quotes: [{ side: 'sell', priceTicks: 10_007_000n, restingSinceMs: 1_000 }], credited: true, restedFromMs: 1_500, isEmpty: false },
    { name: 'one quote below the minimum size', quotes: [{ side: 'sell', priceTicks: 10_007_000n, lots: 99n }], credited: false, restedFromMs: null, isEmpty: false },
    { name: 'a partly filled quote left below the minimum', quotes: [{ side: 'sell', priceTicks: 10_007_000n, lots: 150n, filledLots: 60n }], credited: false, restedFromMs: null, isEmpty: false },
    {
      name: 'two small quotes adding up to the minimum: rested once the later one has',
      quotes: [
        { side: 'sell', priceTicks: 10_007_000n, lots: 60n, restingSinceMs: 2_000 },
        { side: 'sell', priceTicks: 10_008_000n, lots: 40n, restingSinceMs: 3_000 },
      ],
      credited: true,
      restedFromMs: 3_500,
      isEmpty: false,
    },
    {
      name: 'a big quote far from the mark does not help a small one near it',
      quotes: [
        { side: 'sell', priceTicks: 10_007_000n, lots: 50n },
        { side: 'sell', priceTicks: 10_030_000n, lots: 500n },
      ],
      credited: false,
      restedFromMs: null,
      isEmpty: false,
    },
    { name: 'bids do not count for the ask side', quotes: [{ side: 'buy', priceTicks: 9_995_000n }], credited: false, restedFromMs: null, isEmpty: true },
  ] as const)('ask side with $name', ({ quotes, credited, restedFromMs, isEmpty }) => {
    expect(presenceOf(quotes, 'sell')).toMatchObject({ credited, restedFromMs, isEmpty });
  });

  it('without a mid band only the mark matters', () => {
    expect(presenceOf([{ side: 'sell', priceTicks: 10_007_000n }], 'sell', { ...RULE, midBand: null })).toMatchObject({ inBand: false, credited: true });
  });
});
