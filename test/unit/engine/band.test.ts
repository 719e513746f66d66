import { describe, expect, it } from 'vitest';
import type { TickPrice } from '../../../src/domain/price.js';
import type { Side } from '../../../src/domain/types.js';
import { parseBps } from '../../../src/domain/bps.js';
import {
  bandTickRange,
  bpsRatioToNumber,
  distanceBps,
  intersectRanges,
  isEmptyRange,
  isInBand,
  type BpsBand,
} from '../../../src/engine/band.js';

const tp = (num: bigint, den = 1n): TickPrice => ({ num, den });
const band = (min: string, max: string): BpsBand => ({ minBps: parseBps(min), maxBps: parseBps(max) });
const MID = tp(1_000_000n); // 1 bps = 100 ticks
const HALF_TICK_MID = tp(1_999_999n, 2n); // 999 999.5 ticks

describe('distanceBps', () => {
  it.each<[Side, bigint, TickPrice, number]>([
    ['buy', 999_250n, MID, 7.5],
    ['sell', 1_000_750n, MID, 7.5],
    ['buy', 1_000_100n, MID, -1],
    ['sell', 999_900n, MID, -1],
    ['buy', 1_000_000n, MID, 0],
    ['buy', 999_999n, HALF_TICK_MID, 0.005000002],
  ])('%s at %s is on the correct side by %s bps', (side, price, ref, expected) => {
    expect(bpsRatioToNumber(distanceBps(side, price, ref))).toBeCloseTo(expected, 8);
  });

  it('is exact: 750 ticks below 1 000 000 is 7 500 000 / 1 000 000 bps', () => {
    expect(distanceBps('buy', 999_250n, MID)).toEqual({ num: 7_500_000n, den: 1_000_000n });
  });
});

describe('isInBand', () => {
  const standard = band('7', '10');
  it.each<[string, Side, bigint, TickPrice, BpsBand, boolean]>([
    ['bid exactly at min_bps', 'buy', 999_300n, MID, standard, true],
    ['bid one tick inside min_bps', 'buy', 999_301n, MID, standard, false],
    ['bid exactly at max_bps', 'buy', 999_000n, MID, standard, true],
    ['bid one tick beyond max_bps', 'buy', 998_999n, MID, standard, false],
    ['ask exactly at min_bps', 'sell', 1_000_700n, MID, standard, true],
    ['ask one tick inside min_bps', 'sell', 1_000_699n, MID, standard, false],
    ['ask exactly at max_bps', 'sell', 1_001_000n, MID, standard, true],
    ['ask one tick beyond max_bps', 'sell', 1_001_001n, MID, standard, false],
    ['bid at target', 'buy', 999_250n, MID, standard, true],
    ['bid above the reference', 'buy', 1_000_750n, MID, standard, false],
    ['ask below the reference', 'sell', 999_250n, MID, standard, false],
    ['bid at the reference with min 0', 'buy', 1_000_000n, MID, band('0', '10'), true],
    ['bid above the reference with min 0', 'buy', 1_000_001n, MID, band('0', '10'), false],
    ['bid just under 7 bps from a half-tick mid', 'buy', 999_300n, HALF_TICK_MID, standard, false],
    ['bid just over 7 bps from a half-tick mid', 'buy', 999_299n, HALF_TICK_MID, standard, true],
    ['ask at 9.9 bps with max 9.9', 'sell', 1_000_990n, MID, band('7', '9.9'), true],
    ['ask at 9.91 bps with max 9.9', 'sell', 1_000_991n, MID, band('7', '9.9'), false],
    ['a zero reference', 'buy', 1n, tp(0n), standard, false],
  ])('%s → %s', (_name, side, price, ref, b, expected) => {
    expect(isInBand(side, price, ref, b)).toBe(expected);
  });
});

describe('bandTickRange', () => {
  it.each<[string, Side, TickPrice, BpsBand, bigint, bigint]>([
    ['bids around a whole mid', 'buy', MID, band('7', '10'), 999_000n, 999_300n],
    ['asks around a whole mid', 'sell', MID, band('7', '10'), 1_000_700n, 1_001_000n],
    ['bids around a half-tick mid', 'buy', HALF_TICK_MID, band('7', '10'), 999_000n, 999_299n],
    ['asks around a half-tick mid', 'sell', HALF_TICK_MID, band('7', '10'), 1_000_700n, 1_000_999n],
    ['a one-tick band on a coarse tick', 'buy', tp(1000n), band('7', '10'), 999n, 999n],
    ['an empty band when the tick is coarser than it (bid)', 'buy', tp(100n), band('7', '10'), 100n, 99n],
    ['an empty band when the tick is coarser than it (ask)', 'sell', tp(100n), band('7', '10'), 101n, 100n],
  ])('gives %s', (_name, side, ref, b, lo, hi) => {
    expect(bandTickRange(side, ref, b)).toEqual({ loTicks: lo, hiTicks: hi });
  });

  it('is empty for a non-positive reference', () => {
    expect(isEmptyRange(bandTickRange('buy', tp(0n), band('7', '10')))).toBe(true);
  });

  it.each<[string, TickPrice, BpsBand]>([
    ['a whole mid', tp(100_000n), band('7', '10')],
    ['a half-tick mid', tp(199_999n, 2n), band('7', '9.9')],
    ['a weighted mid', tp(809_001n, 8n), band('7.5', '7.5')],
    ['a fine band', tp(123_457n, 7n), band('0.0001', '0.0003')],
  ])('agrees with isInBand tick by tick around %s', (_name, ref, b) => {
    for (const side of ['buy', 'sell'] as const) {
      const range = bandTickRange(side, ref, b);
      const center = ref.num / ref.den;
      for (let price = center - 150n; price <= center + 150n; price += 1n) {
        const inRange = price >= range.loTicks && price <= range.hiTicks;
        expect(isInBand(side, price, ref, b), `${side} ${price}`).toBe(inRange);
      }
    }
  });
});

describe('intersectRanges', () => {
  it.each([
    [{ loTicks: 1n, hiTicks: 10n }, { loTicks: 5n, hiTicks: 20n }, { loTicks: 5n, hiTicks: 10n }, false],
    [{ loTicks: 1n, hiTicks: 4n }, { loTicks: 5n, hiTicks: 20n }, { loTicks: 5n, hiTicks: 4n }, true],
    [{ loTicks: 5n, hiTicks: 5n }, { loTicks: 5n, hiTicks: 5n }, { loTicks: 5n, hiTicks: 5n }, false],
  ])('intersects %o and %o', (a, b, expected, isEmpty) => {
    expect(intersectRanges(a, b)).toEqual(expected);
    expect(isEmptyRange(intersectRanges(a, b))).toBe(isEmpty);
  });
});
