import { describe, expect, it } from 'vitest';
import type { Book, BookLevel } from '../../../src/domain/types.js';
import type { TickPrice } from '../../../src/domain/price.js';
import { referencePrice, simpleMid, weightedMid } from '../../../src/engine/mid.js';

type Levels = readonly (readonly [price: number, qty: number])[];

function book(bids: Levels, asks: Levels): Book {
  const level = ([price, qty]: readonly [number, number]): BookLevel => ({
    priceTicks: BigInt(price),
    qtyLots: BigInt(qty),
  });
  return { symbol: 'BTC-USD', bids: bids.map(level), asks: asks.map(level), receivedAtMs: 0 };
}

const tp = (num: bigint, den = 1n): TickPrice => ({ num, den });

describe('simpleMid', () => {
  it.each<[string, Levels, Levels, TickPrice | null]>([
    ['a whole tick', [[100, 1]], [[102, 1]], tp(101n)],
    ['half a tick for adjacent best prices', [[100, 1]], [[101, 1]], tp(201n, 2n)],
    ['the best levels only', [[100, 1], [50, 9]], [[104, 1], [200, 9]], tp(102n)],
    ['null without bids', [], [[101, 1]], null],
    ['null without asks', [[100, 1]], [], null],
    ['null for a locked book', [[100, 1]], [[100, 1]], null],
    ['null for a crossed book', [[101, 1]], [[100, 1]], null],
  ])('gives %s', (_name, bids, asks, expected) => {
    expect(simpleMid(book(bids, asks))).toEqual(expected);
  });
});

describe('weightedMid', () => {
  it.each<[string, Levels, Levels, number, TickPrice | null]>([
    // bid avg (100·1 + 99·3)/4 = 99.25, ask avg (102·2 + 104·2)/4 = 103, mean 101.125
    ['uneven sizes over two levels', [[100, 1], [99, 3]], [[102, 2], [104, 2]], 2, tp(809n, 8n)],
    ['one level: the simple mid', [[100, 1], [99, 3]], [[102, 2], [104, 2]], 1, tp(101n)],
    ['more levels asked than present', [[100, 1], [99, 3]], [[102, 2], [104, 2]], 5, tp(809n, 8n)],
    // bid avg (100·5 + 98·1)/6 = 299/3, ask avg 101, mean (299/3 + 101)/2 = 301/3
    ['levels beyond the depth ignored', [[100, 5], [98, 1], [1, 1000]], [[101, 1], [101, 2], [500, 1000]], 2, tp(301n, 3n)],
    ['zero-size levels ignored', [[100, 0], [99, 2]], [[101, 3], [102, 0]], 2, tp(100n)],
    ['equal sizes: the plain averages', [[100, 1], [98, 1]], [[102, 1], [104, 1]], 2, tp(101n)],
    ['null when a side has no size', [[100, 0]], [[101, 1]], 3, null],
    ['null without asks', [[100, 1]], [], 3, null],
    ['null for a crossed book', [[101, 1]], [[100, 1]], 3, null],
  ])('gives %s', (_name, bids, asks, depth, expected) => {
    expect(weightedMid(book(bids, asks), depth)).toEqual(expected);
  });

  it('is exact for sizes that do not divide the notional', () => {
    // bids (1_000_000·3 + 999_999·7)/10, asks (1_000_001·11 + 1_000_003·13)/24
    const mid = weightedMid(book([[1_000_000, 3], [999_999, 7]], [[1_000_001, 11], [1_000_003, 13]]), 2);
    const bid = { num: 1_000_000n * 3n + 999_999n * 7n, den: 10n };
    const ask = { num: 1_000_001n * 11n + 1_000_003n * 13n, den: 24n };
    expect(mid).not.toBeNull();
    expect((mid?.num ?? 0n) * (2n * bid.den * ask.den)).toBe((bid.num * ask.den + ask.num * bid.den) * (mid?.den ?? 0n));
  });
});

describe('referencePrice', () => {
  const uneven = book([[100, 1], [99, 3]], [[102, 2], [104, 2]]);

  it.each<[string, Parameters<typeof referencePrice>[1], TickPrice]>([
    ['simple', { kind: 'simple' }, tp(101n)],
    ['weighted', { kind: 'weighted', depthLevels: 2 }, tp(809n, 8n)],
  ])('uses the %s method', (_name, method, expected) => {
    expect(referencePrice(uneven, method)).toEqual(expected);
  });
});
