import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src/domain/types.js';
import { classifyOtherRunOrder, DailyLoss, estimateFee, FailureStreak, MONEY_DECIMALS, utcDayOf } from '../../../src/engine/guards.js';
import { ClientIds, runStartedAtMsOf, runTagOf } from '../../../src/engine/client-ids.js';
import { parseUnits } from '../../../src/domain/decimal.js';

const OWN_START = Date.parse('2026-11-24T10:00:00Z');

function order(startedAtMs: number, overrides: Partial<Order> = {}): Order {
  return {
    id: 1,
    clOrdId: `smm-b-${startedAtMs.toString(36)}-3`,
    symbol: 'BTC-USD',
    side: 'buy',
    type: 'limit',
    timeInForce: 'alo',
    priceTicks: 1n,
    qtyLots: 10n,
    filledLots: 0n,
    reduceOnly: false,
    state: 'live',
    rawStatus: 'open',
    ...overrides,
  };
}

describe('run tags', () => {
  it('embeds the start time in every client id and reads it back', () => {
    const ids = new ClientIds('smm', OWN_START);
    const id = ids.next('bid');
    expect(runTagOf(id)).toBe(ids.runTag);
    expect(runStartedAtMsOf(id)).toBe(OWN_START);
    expect(ids.isOwnRun(id)).toBe(true);
    expect(ids.isOwnRun(new ClientIds('smm', OWN_START + 1).next('ask'))).toBe(false);
    expect(ids.isOwn(new ClientIds('smm', OWN_START + 1).next('ask'))).toBe(true);
    expect(runTagOf('manual-1')).toBeNull();
  });
});

describe('classifyOtherRunOrder', () => {
  it.each([
    ['a later run, seen over REST', order(OWN_START + 1), 'rest', 'secondQuoter'],
    ['a later run, pushed', order(OWN_START + 1), 'stream', 'secondQuoter'],
    ['an earlier run, fresh order pushed while running', order(OWN_START - 1), 'stream', 'secondQuoter'],
    ['an earlier run, partly filled push (a leftover filling)', order(OWN_START - 1, { filledLots: 2n }), 'stream', 'leftover'],
    ['an earlier run, seen over REST', order(OWN_START - 60_000), 'rest', 'leftover'],
    ['a finished order', order(OWN_START + 1, { state: 'canceled' }), 'stream', 'gone'],
    ['a malformed id with the prefix, over REST', order(OWN_START, { clOrdId: 'smm-by-hand' }), 'rest', 'leftover'],
  ] as const)('%s', (_what, candidate, via, verdict) => {
    expect(classifyOtherRunOrder(candidate, via, OWN_START)).toBe(verdict);
  });
});

describe('FailureStreak', () => {
  it('trips exactly when the limit is reached and a success resets it', () => {
    const streak = new FailureStreak(3);
    expect([streak.onFailure(), streak.onFailure()]).toEqual([false, false]);
    streak.onSuccess();
    expect([streak.onFailure(), streak.onFailure(), streak.onFailure()]).toEqual([false, false, true]);
    expect(streak.onFailure()).toBe(false);
  });

  it('never trips when off (0)', () => {
    const streak = new FailureStreak(0);
    expect(Array.from({ length: 100 }, () => streak.onFailure()).some(Boolean)).toBe(false);
  });
});

describe('estimateFee', () => {
  it.each([
    // 0.01 BTC at 100000.00, 1 bp maker: 0.1 DUSD.
    [100n, 10_000_000n, 4, 2, 1n, '0.1'],
    // Same fill at the 4 bp taker rate: 0.4 DUSD.
    [100n, 10_000_000n, 4, 2, 4n, '0.4'],
    // 0.0001 at 3000.01, 1 bp: 0.0000300001, rounded up to 1e-8.
    [1n, 300_001n, 4, 2, 1n, '0.00003001'],
  ])('%s lots at %s ticks (qty %s dp, price %s dp) at %s bp costs %s', (filledLots, priceTicks, qtyDecimals, priceDecimals, feeBps, expected) => {
    expect(estimateFee({ filledLots, priceTicks, qtyDecimals, priceDecimals, feeBps })).toBe(parseUnits(expected, MONEY_DECIMALS));
  });
});

describe('DailyLoss', () => {
  const day = Date.parse('2026-11-24T00:00:00Z');
  const units = (value: string): bigint => parseUnits(value, MONEY_DECIMALS);

  it('adds the changes of the cumulative realized PnL and the fees', () => {
    const loss = new DailyLoss();
    loss.onRealized('12.5', day + 1_000);
    loss.onRealized('10.0', day + 2_000);
    loss.onFee(units('0.3'), day + 2_000);
    loss.onRealized('9.0', day + 3_000);
    expect(loss.lossUnits(day + 3_000)).toBe(units('3.8'));
  });

  it('starts again at 00:00 UTC', () => {
    const loss = new DailyLoss();
    loss.onRealized('0', day + 1_000);
    loss.onRealized('-5', day + 2_000);
    expect(loss.lossUnits(day + 86_399_999)).toBe(units('5'));
    expect(loss.lossUnits(day + 86_400_000)).toBe(0n);
    loss.onRealized('-6', day + 86_400_500);
    expect(loss.lossUnits(day + 86_400_500)).toBe(units('1'));
    expect(utcDayOf(day + 86_400_000)).toBe(utcDayOf(day) + 1);
  });
});
