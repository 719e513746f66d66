import { describe, expect, it } from 'vitest';
import { parseBps } from '../../../src/domain/bps.js';
import type { SymbolSpec } from '../../../src/domain/types.js';
import { accountStatus, statusLine, statusTable, type AccountStatus } from '../../../src/cli/status-view.js';
import { summariseDay } from '../../../src/engine/daily-report.js';
import { assessHealth } from '../../../src/engine/health.js';
import type { MakerSnapshot } from '../../../src/engine/observations.js';
import { quoteStandings } from '../../../src/engine/quote-standing.js';
import { projectHour, startUptime } from '../../../src/engine/uptime-accumulator.js';

const SPEC: SymbolSpec = { symbol: 'BTC-USD', priceDecimals: 2, qtyDecimals: 4, minOrderLots: 1n, maxOrderLots: 10_000n, maxOpenOrders: 100, enabled: true };
const NOW = Date.UTC(2026, 10, 3, 10, 20);

const snapshot: MakerSnapshot = {
  atMs: NOW,
  mid: { num: 10_000_000n, den: 1n },
  mark: { num: 10_000_300n, den: 1n },
  markAtMs: NOW,
  bestBidTicks: null,
  bestAskTicks: null,
  lastBookAtMs: NOW - 120,
  isQuoting: true,
  halt: null,
  isStale: false,
  streamsDown: [],
  positionLots: -25n,
  orders: [
    { clOrdId: 'b', side: 'buy', purpose: 'quote', priceTicks: 9_992_500n, qtyLots: 100n, filledLots: 0n, status: 'resting', sentAtMs: 0 },
    { clOrdId: 'a', side: 'sell', purpose: 'quote', priceTicks: 10_007_500n, qtyLots: 100n, filledLots: 0n, status: 'resting', sentAtMs: 0 },
  ],
  stats: { placed: 2, cancelsSent: 0, requotes: 0, fills: 0, flattens: 0, postOnlyRejects: 0, otherRejects: 0, commandsDeferred: 0 },
};

function status(): AccountStatus {
  const rules = { band: { minBps: parseBps('7'), maxBps: parseBps('10') }, markBandBps: parseBps('10'), minLots: 1n };
  return accountStatus({
    account: 'account3',
    spec: SPEC,
    snapshot,
    health: assessHealth(snapshot, 3_000),
    standings: quoteStandings(snapshot, rules),
    hour: projectHour({ ...startUptime(Date.UTC(2026, 10, 3, 10)), hour: { hourStartMs: Date.UTC(2026, 10, 3, 10), inBandMs: 19 * 60_000, creditedMs: 17 * 60_000 }, countedToMs: NOW }, NOW),
    today: summariseDay('2026-11-03', []),
    lastError: null,
  });
}

describe('the account status', () => {
  it('carries prices, distances in bps, the hour and the position', () => {
    expect(status()).toMatchObject({
      account: 'account3',
      state: 'quoting',
      mid: '100000.000',
      mark: '100003.000',
      bid: { price: '99925.00', fromMidBps: 7.5, fromMarkBps: 7.8, isCredited: true },
      ask: { price: '100075.00', fromMidBps: 7.5, fromMarkBps: 7.2, isCredited: true },
      hour: { creditedMin: 17, inBandMin: 19, remainingMin: 40, canReachFull: true },
      position: '-0.0025',
      lastBookAgeMs: 120,
    });
  });

  it('reads as one line in the log', () => {
    expect(statusLine(status())).toBe(
      'quoting | mid 100000.000 mark 100003.000 | bid 99925.00 (7.5/7.8 bps mid/mark) | ask 100075.00 (7.5/7.2 bps mid/mark) | hour 10:00 credited 17m in band 19m | pos -0.0025 | fills today 0 net 0.0000',
    );
  });

  it('lines up a table, with not running for a daemon that did not answer', () => {
    const table = statusTable([
      { account: 'account3', status: status(), problem: null },
      { account: 'account4', status: null, problem: 'not running' },
    ]).split('\n');
    expect(table[0]).toMatch(/^ACCOUNT\s+STATE\s+MID\s+BID \(bps mid\/mark\)\s+ASK \(bps mid\/mark\)\s+CRED\/BAND MIN\s+POSITION\s+FILLS\s+NET PNL\s+LAST ERROR$/);
    expect(table[1]?.split(/\s{2,}/)).toEqual(['account3', 'quoting', '100000.000', '99925.00 7.5/7.8', '100075.00 7.5/7.2', '17/19', '-0.0025', '0', '0.0000']);
    expect(table[2]?.split(/\s{2,}/)).toEqual(['account4', 'not running']);
  });
});
