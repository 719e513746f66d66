import { describe, expect, it } from 'vitest';
import { parseBps } from '../../../src/domain/bps.js';
import type { TickPrice } from '../../../src/domain/price.js';
import type { Side } from '../../../src/domain/types.js';
import { bpsRatioToNumber } from '../../../src/engine/band.js';
import type { OwnOrderView } from '../../../src/engine/own-orders.js';
import type { OwnOrderStatus } from '../../../src/engine/side-orders.js';
import { isNearMark, quoteStandings, uptimeSample, type CreditRules } from '../../../src/engine/quote-standing.js';

const MID: TickPrice = { num: 1_000_000n, den: 1n }; // 1 bps = 100 ticks
const RULES: CreditRules = { band: { minBps: parseBps('7'), maxBps: parseBps('10') }, markBandBps: parseBps('10'), minLots: 5n };

function quote(side: Side, priceTicks: bigint, extra: Partial<OwnOrderView> = {}): OwnOrderView {
  return {
    clOrdId: `${side}-${priceTicks}`,
    side,
    purpose: 'quote',
    priceTicks,
    qtyLots: 10n,
    filledLots: 0n,
    status: 'resting' as OwnOrderStatus,
    sentAtMs: 0,
    ...extra,
  };
}

describe('isNearMark', () => {
  it.each<[string, bigint, TickPrice, boolean]>([
    ['10 bps below the mark', 999_000n, MID, true],
    ['one tick further', 998_999n, MID, false],
    ['10 bps above the mark', 1_001_000n, MID, true],
    ['one tick further above', 1_001_001n, MID, false],
    ['at the mark', 1_000_000n, MID, true],
    ['10 bps from a mark between ticks', 999_000n, { num: 1_999_999n, den: 2n }, true],
  ])('%s → %s', (_name, price, mark, expected) => {
    expect(isNearMark(price, mark, parseBps('10'))).toBe(expected);
  });
});

describe('quoteStandings and uptimeSample', () => {
  const bid = quote('buy', 999_250n);
  const ask = quote('sell', 1_000_750n);

  it('measures each quote from the mid and the mark, signed on its own side', () => {
    const [b, a] = quoteStandings({ mid: MID, mark: { num: 1_000_300n, den: 1n }, orders: [bid, ask] }, RULES);
    expect(bpsRatioToNumber(b?.fromMidBps ?? { num: 0n, den: 1n })).toBeCloseTo(7.5, 9);
    expect(bpsRatioToNumber(b?.fromMarkBps ?? { num: 0n, den: 1n })).toBeCloseTo(10.497, 3);
    expect(bpsRatioToNumber(a?.fromMarkBps ?? { num: 0n, den: 1n })).toBeCloseTo(4.499, 3);
    expect([b?.isInBand, b?.isCredited, a?.isInBand, a?.isCredited]).toEqual([true, false, true, true]);
  });

  it.each<[string, Partial<{ mid: TickPrice | null; mark: TickPrice | null; orders: OwnOrderView[] }>, boolean, boolean]>([
    ['both sides in band and near the mark', {}, true, true],
    ['no mid: in band cannot be told, credit still can', { mid: null }, false, true],
    ['no mark yet: nothing credited', { mark: null }, true, false],
    ['only a bid', { orders: [bid] }, false, false],
    ['the ask is still being placed', { orders: [bid, quote('sell', 1_000_750n, { status: 'placing' })] }, false, false],
    ['the ask is being cancelled but still on the book', { orders: [bid, quote('sell', 1_000_750n, { status: 'cancelling' })] }, true, true],
    ['the ask is partly filled below the minimum size', { orders: [bid, quote('sell', 1_000_750n, { filledLots: 6n })] }, true, false],
    ['the ask is partly filled to exactly the minimum size', { orders: [bid, quote('sell', 1_000_750n, { filledLots: 5n })] }, true, true],
    ['a flatten order does not count as a quote', { orders: [bid, { ...quote('sell', 1_000_750n), purpose: 'flatten' }] }, false, false],
    ['two asks, one out of band: the other covers the side', { orders: [bid, quote('sell', 1_002_000n), ask] }, true, true],
    ['the ask inside min_bps of the mid but near the mark', { orders: [bid, quote('sell', 1_000_100n)] }, false, true],
  ])('%s', (_name, override, isInBand, isCredited) => {
    const snapshot = { mid: MID, mark: MID, orders: [bid, ask], ...override };
    expect(uptimeSample(quoteStandings(snapshot, RULES))).toEqual({ isInBand, isCredited });
  });
});
