import { describe, expect, it } from 'vitest';
import type { TickPrice } from '../../../src/domain/price.js';
import type { Side } from '../../../src/domain/types.js';
import { parseBps, type Bps } from '../../../src/domain/bps.js';
import {
  admissibleRange,
  edgeMargin,
  isQuoteClearOfEdges,
  isQuoteInBand,
  quotePrice,
  targetTicks,
  type QuoteConstraints,
} from '../../../src/engine/quotes.js';

const tp = (num: bigint, den = 1n): TickPrice => ({ num, den });

/** Mid 1 000 000 ticks (1 bps = 100 ticks), target 7.5, band [7, 10], no mark, wide spread. */
function constraints(overrides: Partial<QuoteConstraints> & { markBand?: string | null } = {}): QuoteConstraints {
  const { markBand = null, ...rest } = overrides;
  return {
    mid: tp(1_000_000n),
    band: {
      targetBps: parseBps('7.5'),
      minBps: parseBps('7'),
      maxBps: parseBps('10'),
      markBandBps: markBand === null ? null : parseBps(markBand),
    },
    mark: null,
    bestBidTicks: 999_990n,
    bestAskTicks: 1_000_010n,
    ...rest,
  };
}

describe('targetTicks', () => {
  it.each<[string, Side, TickPrice, string, bigint]>([
    ['bid on a whole mid', 'buy', tp(1_000_000n), '7.5', 999_250n],
    ['ask on a whole mid', 'sell', tp(1_000_000n), '7.5', 1_000_750n],
    ['bid rounded down', 'buy', tp(1_000_001n), '7.5', 999_250n],
    ['ask rounded up', 'sell', tp(1_000_001n), '7.5', 1_000_752n],
    ['bid on a half-tick mid', 'buy', tp(1_999_999n, 2n), '7.5', 999_249n],
    ['ask on a half-tick mid', 'sell', tp(1_999_999n, 2n), '7.5', 1_000_750n],
    ['bid on BTC at 65 000.00', 'buy', tp(6_500_000n), '7.5', 6_495_125n],
  ])('%s', (_name, side, mid, target, expected) => {
    expect(targetTicks(side, mid, parseBps(target))).toBe(expected);
  });
});

describe('quotePrice', () => {
  it.each<[string, Side, QuoteConstraints, bigint | null]>([
    ['bid at target', 'buy', constraints(), 999_250n],
    ['ask at target', 'sell', constraints(), 1_000_750n],
    ['bid on a half-tick mid', 'buy', constraints({ mid: tp(1_999_999n, 2n) }), 999_249n],
    ['ask on a half-tick mid', 'sell', constraints({ mid: tp(1_999_999n, 2n) }), 1_000_750n],
    ['bid with adjacent best prices', 'buy', constraints({ bestBidTicks: 999_999n, bestAskTicks: 1_000_000n }), 999_250n],
    // never crossing the opposite best (ALO)
    ['bid one tick under a best ask at target', 'buy', constraints({ bestAskTicks: 999_250n }), 999_249n],
    ['bid pinned to the band edge by the best ask', 'buy', constraints({ bestAskTicks: 999_001n }), 999_000n],
    ['no bid when the best ask is at the band edge', 'buy', constraints({ bestAskTicks: 999_000n }), null],
    ['ask one tick over a best bid at target', 'sell', constraints({ bestBidTicks: 1_000_750n }), 1_000_751n],
    ['no ask when the best bid is beyond the band', 'sell', constraints({ bestBidTicks: 1_001_000n }), null],
    ['bid with an unknown best ask', 'buy', constraints({ bestAskTicks: null }), 999_250n],
    // the mark band (same side rules)
    ['bid with the mark 1 bps above mid', 'buy', constraints({ mark: tp(1_000_100n), markBand: '10' }), 999_250n],
    ['bid clamped to min_bps by the mark 3 bps above mid', 'buy', constraints({ mark: tp(1_000_300n), markBand: '10' }), 999_300n],
    ['no bid with the mark 5 bps above mid', 'buy', constraints({ mark: tp(1_000_500n), markBand: '10' }), null],
    ['ask raised to the mark 8 bps above mid', 'sell', constraints({ mark: tp(1_000_800n), markBand: '10' }), 1_000_800n],
    ['no ask with the mark 11 bps above mid', 'sell', constraints({ mark: tp(1_001_100n), markBand: '10' }), null],
    ['ask within the mark band below the mid', 'sell', constraints({ mark: tp(999_900n), markBand: '10' }), 1_000_750n],
    ['ask lowered into the band of a mark 2.5 bps below mid', 'sell', constraints({ mark: tp(999_750n), markBand: '10' }), 1_000_749n],
    ['no ask with the mark 3 bps below mid', 'sell', constraints({ mark: tp(999_700n), markBand: '10' }), null],
    ['mark band skipped while the mark is unknown', 'buy', constraints({ mark: null, markBand: '10' }), 999_250n],
    ['mark ignored when the mark band is off', 'buy', constraints({ mark: tp(1_000_500n) }), 999_250n],
    // ticks coarser than the band
    ['no bid when the tick is coarser than the band', 'buy', constraints({ mid: tp(100n), bestBidTicks: 99n, bestAskTicks: 101n }), null],
    ['no ask when the tick is coarser than the band', 'sell', constraints({ mid: tp(100n), bestBidTicks: 99n, bestAskTicks: 101n }), null],
    ['the single tick at max_bps on a coarse tick', 'buy', constraints({ mid: tp(1000n), bestBidTicks: 999n, bestAskTicks: 1001n }), 999n],
    ['no ask on a coarse tick when it would cross', 'sell', constraints({ mid: tp(1000n), bestBidTicks: 1001n, bestAskTicks: 1002n }), null],
    ['no quote from a zero mid', 'buy', constraints({ mid: tp(0n) }), null],
    ['no bid when the band reaches below one tick', 'buy', constraints({ mid: tp(1n), bestBidTicks: null, bestAskTicks: null }), null],
  ])('%s', (_name, side, c, expected) => {
    expect(quotePrice(side, c)).toBe(expected);
  });

  it.each<[string, Side, string, string, string, bigint]>([
    ['bid target above the band clamps to min_bps', 'buy', '5', '7', '10', 999_300n],
    ['bid target beyond the band clamps to max_bps', 'buy', '12', '7', '10', 999_000n],
    ['ask target above the band clamps to min_bps', 'sell', '5', '7', '10', 1_000_700n],
    ['ask target beyond the band clamps to max_bps', 'sell', '12', '7', '10', 1_001_000n],
    ['target at min_bps', 'buy', '7', '7', '10', 999_300n],
    ['target at max_bps', 'sell', '10', '7', '10', 1_001_000n],
  ])('%s', (_name, side, target, min, max, expected) => {
    const c = constraints();
    const band = { ...c.band, targetBps: parseBps(target), minBps: parseBps(min), maxBps: parseBps(max) };
    expect(quotePrice(side, { ...c, band })).toBe(expected);
  });

  it('always returns an admissible, in-band, non-crossing tick', () => {
    for (let offset = 0n; offset < 400n; offset += 7n) {
      for (const den of [1n, 2n, 3n]) {
        const mid = tp(1_000_000n * den + offset, den);
        const c = constraints({ mid, mark: tp(1_000_050n + offset), markBand: '10', bestBidTicks: 999_999n, bestAskTicks: 1_000_001n + offset });
        for (const side of ['buy', 'sell'] as const) {
          const price = quotePrice(side, c);
          if (price === null) continue;
          expect(isQuoteInBand(side, price, c)).toBe(true);
          if (side === 'buy') expect(price).toBeLessThan(c.bestAskTicks ?? 0n);
          else expect(price).toBeGreaterThan(c.bestBidTicks ?? 0n);
        }
      }
    }
  });
});

describe('admissibleRange', () => {
  it.each<[string, Side, QuoteConstraints, bigint, bigint]>([
    ['bids: the mid band', 'buy', constraints(), 999_000n, 999_300n],
    ['asks: the mid band', 'sell', constraints(), 1_000_700n, 1_001_000n],
    ['bids: cut by the mark band', 'buy', constraints({ mark: tp(1_000_100n), markBand: '10' }), 999_100n, 999_300n],
    ['asks: cut by the best bid', 'sell', constraints({ bestBidTicks: 1_000_800n }), 1_000_801n, 1_001_000n],
  ])('%s', (_name, side, c, lo, hi) => {
    expect(admissibleRange(side, c)).toEqual({ loTicks: lo, hiTicks: hi });
  });
});

describe('isQuoteInBand', () => {
  it.each<[string, Side, bigint, QuoteConstraints, boolean]>([
    ['a bid in the mid band without a mark', 'buy', 999_250n, constraints(), true],
    ['a bid outside the mid band', 'buy', 999_301n, constraints(), false],
    ['a bid in both bands', 'buy', 999_250n, constraints({ mark: tp(1_000_100n), markBand: '10' }), true],
    ['a bid in the mid band but too far from the mark', 'buy', 999_050n, constraints({ mark: tp(1_000_100n), markBand: '10' }), false],
    ['a bid with the mark unknown', 'buy', 999_050n, constraints({ markBand: '10' }), true],
    ['an ask above a best bid is not checked for crossing', 'sell', 1_000_750n, constraints({ bestBidTicks: 1_000_900n }), true],
  ])('%s → %s', (_name, side, price, c, expected) => {
    expect(isQuoteInBand(side, price, c)).toBe(expected);
  });
});

describe('edgeMargin', () => {
  // Room 2.5 bps: floor a quarter (0.625), ceiling two thirds (1.6666).
  it.each<[string, string | null, string]>([
    ['not measured: half the room', null, '1.25'],
    ['below the floor: the floor', '0.4', '0.625'],
    ['between: as measured', '1', '1'],
    ['above the ceiling: the ceiling', '3', '1.6666'],
    ['exactly the floor', '0.625', '0.625'],
  ])('%s', (_name, measured, expected) => {
    expect(edgeMargin(parseBps('2.5'), measured === null ? null : parseBps(measured))).toBe(parseBps(expected));
  });

  it('keeps a fresh quote at the target clear for every measured margin', () => {
    for (const room of ['0.0003', '0.5', '2.5', '30']) {
      for (const measured of [null, '0', '0.0001', '0.2', '1', '100']) {
        const margin = edgeMargin(parseBps(room), measured === null ? null : parseBps(measured));
        expect(margin, `${room}/${measured}`).toBeLessThan(parseBps(room));
        expect(margin, `${room}/${measured}`).toBeGreaterThanOrEqual(parseBps(room) / 4n);
      }
    }
  });
});

describe('isQuoteClearOfEdges', () => {
  const margin = (bps: string | null): Bps | null => (bps === null ? null : parseBps(bps));
  // Mid band [7, 10] around 1 000 000 ticks, 1 bps = 100 ticks; inner room 0.5 bps, outer 2.5 bps.
  it.each<[string, Side, bigint, QuoteConstraints, Bps | null, boolean]>([
    ['an ask at the target, margins unknown', 'sell', 1_000_750n, constraints(), margin(null), true],
    ['an ask 7.2 bps out, margins not measured (inner early edge 7.25)', 'sell', 1_000_720n, constraints(), margin(null), false],
    ['an ask 7.25 bps out, margins not measured', 'sell', 1_000_725n, constraints(), margin(null), true],
    ['an ask exactly at the inner early edge 7.2 (margin 0.2)', 'sell', 1_000_720n, constraints(), margin('0.2'), true],
    ['an ask just inside the inner margin', 'sell', 1_000_719n, constraints(), margin('0.2'), false],
    ['a bid exactly at the inner early edge 7.2', 'buy', 999_280n, constraints(), margin('0.2'), true],
    ['a bid just inside the inner margin', 'buy', 999_281n, constraints(), margin('0.2'), false],
    ['an ask at the outer early edge with the floor (9.375)', 'sell', 1_000_937n, constraints(), margin('0.2'), true],
    ['an ask past the outer early edge with the floor', 'sell', 1_000_938n, constraints(), margin('0.2'), false],
    ['an ask at the outer early edge 9 (margin 1)', 'sell', 1_000_900n, constraints(), margin('1'), true],
    ['an ask past the outer early edge 9 (margin 1: the inner one is capped)', 'sell', 1_000_901n, constraints(), margin('1'), false],
    ['a bid 8.5 bps from the mark, margin 1 (mark early edge 9)', 'buy', 999_250n, constraints({ mark: tp(1_000_100n), markBand: '10' }), margin('1'), true],
    ['the same bid, margin 2 (mark early edge 8.3334)', 'buy', 999_250n, constraints({ mark: tp(1_000_100n), markBand: '10' }), margin('2'), false],
    ['the same bid, mark unknown', 'buy', 999_250n, constraints({ markBand: '10' }), margin('0.2'), true],
    ['the same bid, no mark band', 'buy', 999_250n, constraints({ mark: tp(1_000_100n) }), margin('0.2'), true],
    ['a quote out of band', 'sell', 1_000_650n, constraints(), margin('0.2'), false],
  ])('%s → %s', (_name, side, price, c, m, expected) => {
    expect(isQuoteClearOfEdges(side, price, c, m)).toBe(expected);
  });
});
