import { describe, expect, it } from 'vitest';
import type { Side } from '../../../src/domain/types.js';
import { priceLabel } from '../../../src/engine/price-label.js';

const MID = { num: 10_000_000n, den: 1n }; // 100 000.00 with 2 price decimals
const MARK = { num: 20_001_001n, den: 2n }; // 100 005.005

describe('priceLabel', () => {
  it.each<[Side, bigint, { price: string; fromMidBps: number | null; fromMarkBps: number | null }]>([
    ['buy', 9_992_500n, { price: '99925.00', fromMidBps: 7.5, fromMarkBps: 8 }],
    ['sell', 10_007_500n, { price: '100075.00', fromMidBps: 7.5, fromMarkBps: 7 }],
    ['sell', 9_999_999n, { price: '99999.99', fromMidBps: -0, fromMarkBps: -0.5 }],
  ])('%s at %s ticks', (side, ticks, expected) => {
    expect(priceLabel(side, ticks, 2, { mid: MID, mark: MARK })).toEqual(expected);
  });

  it('has no distance without a reference', () => {
    expect(priceLabel('buy', 9_992_500n, 2, { mid: null, mark: null })).toEqual({ price: '99925.00', fromMidBps: null, fromMarkBps: null });
  });
});
