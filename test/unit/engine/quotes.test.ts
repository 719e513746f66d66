import { describe, expect, it } from 'vitest';
import type { TickPrice } from '../../../src/domain/price.js';
import type { Side } from '../../../src/domain/types.js';
import { parseBps, type Bps } from '../../../src/domain/bps.js';
import { BAND_PRIORITIES, type BandPriority } from '../../../src/engine/band-priority.js';
import { isInBand } from '../../../src/engine/band.js';
import {
  admissibleRange,
  edgeMargin,
  isQuoteClearOfEdges,
  isQuoteInBand,
  quotePrice,
  sideQuote,
  targetTicks,
  type QuoteConstraints,
  type QuoteRegime,
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
      priority: 'mid',
      markPriorityMinBps: parseBps('5'),
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
    // the mark window: within mark_band_bps of the mark, on either side of it (the priority
    // tables below cover the marks that part the rules under both priorities)
    ['bid with the mark 1 bps above mid', 'buy', constraints({ mark: tp(1_000_100n), markBand: '10' }), 999_250n],
    ['bid clamped to min_bps by the mark 3 bps above mid', 'buy', constraints({ mark: tp(1_000_300n), markBand: '10' }), 999_300n],
    ['bid at min_bps, nearest the window, with the mark 5 bps above mid (mid first)', 'buy', constraints({ mark: tp(1_000_500n), markBand: '10' }), 999_300n],
    ['ask at target 0.5 bps below a mark 8 bps above mid', 'sell', constraints({ mark: tp(1_000_800n), markBand: '10' }), 1_000_750n],
    ['ask at target 3.5 bps below a mark 11 bps above mid', 'sell', constraints({ mark: tp(1_001_100n), markBand: '10' }), 1_000_750n],
    ['ask within the mark band below the mid', 'sell', constraints({ mark: tp(999_900n), markBand: '10' }), 1_000_750n],
    ['ask lowered into the band of a mark 2.5 bps below mid', 'sell', constraints({ mark: tp(999_750n), markBand: '10' }), 1_000_749n],
    ['ask at min_bps, nearest the window, with the mark 3 bps below mid (mid first)', 'sell', constraints({ mark: tp(999_700n), markBand: '10' }), 1_000_700n],
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

/** The band of the issue: 7 / 7.5 / 10 bps, mark window 10 bps, safety distance 5 bps. */
function prioritised(priority: BandPriority, markBps: bigint, overrides: Partial<QuoteConstraints> = {}): QuoteConstraints {
  const base = constraints({ mark: tp(1_000_000n + markBps * 100n), markBand: '10', ...overrides });
  return { ...base, band: { ...base.band, priority } };
}

describe('sideQuote: when the mid band and the mark window part (band 7 / 7.5 / 10, window 10, safety 5)', () => {
  // Mid 1 000 000 ticks, 1 bps = 100 ticks: the bid's mid band is [999 000, 999 300], the ask's
  // [1 000 700, 1 001 000]; the safety distance puts a bid at or below 999 500, an ask at or above
  // 1 000 500. The window is within 10 bps of the mark on either side.
  it.each<[bigint, BandPriority, QuoteRegime, bigint, QuoteRegime, bigint]>([
    [2n, 'mid', 'both', 999_250n, 'both', 1_000_750n],
    [2n, 'mark', 'both', 999_250n, 'both', 1_000_750n],
    [4n, 'mid', 'mid-first', 999_300n, 'both', 1_000_750n],
    [4n, 'mark', 'mark-first', 999_400n, 'both', 1_000_750n],
    [8n, 'mid', 'mid-first', 999_300n, 'both', 1_000_750n],
    [8n, 'mark', 'safety-edge', 999_500n, 'both', 1_000_750n],
    [12n, 'mid', 'mid-first', 999_300n, 'both', 1_000_750n],
    [12n, 'mark', 'safety-edge', 999_500n, 'both', 1_000_750n],
    [-2n, 'mid', 'both', 999_250n, 'both', 1_000_750n],
    [-2n, 'mark', 'both', 999_250n, 'both', 1_000_750n],
    [-4n, 'mid', 'both', 999_250n, 'mid-first', 1_000_700n],
    [-4n, 'mark', 'both', 999_250n, 'mark-first', 1_000_599n],
    [-8n, 'mid', 'both', 999_250n, 'mid-first', 1_000_700n],
    [-8n, 'mark', 'both', 999_250n, 'safety-edge', 1_000_500n],
    [-12n, 'mid', 'both', 999_250n, 'mid-first', 1_000_700n],
    [-12n, 'mark', 'both', 999_250n, 'safety-edge', 1_000_500n],
  ])('mark %s bps from the mid, priority %s: bid %s at %s, ask %s at %s', (markBps, priority, bidRegime, bid, askRegime, ask) => {
    const c = prioritised(priority, markBps);
    expect(sideQuote('buy', c)).toMatchObject({ regime: bidRegime, quoteTicks: bid });
    expect(sideQuote('sell', c)).toMatchObject({ regime: askRegime, quoteTicks: ask });
  });

  it.each<[string, BandPriority, bigint, Side, bigint, boolean]>([
    ['mid first keeps a bid in the mid band the window cannot reach', 'mid', 4n, 'buy', 999_100n, true],
    ['mid first does not keep a bid out of the mid band', 'mid', 4n, 'buy', 999_301n, false],
    ['mid first keeps an ask at max_bps while the window is below the band', 'mid', -8n, 'sell', 1_001_000n, true],
    ['mid first keeps only the intersection while there is one', 'mid', 2n, 'buy', 999_150n, false],
    ['mark first does not keep a bid at the target outside the window', 'mark', 4n, 'buy', 999_250n, false],
    ['mark first keeps a bid in the window beyond the safety distance', 'mark', 4n, 'buy', 999_450n, true],
    ['mark first does not keep a bid nearer the mid than the safety distance', 'mark', 4n, 'buy', 999_501n, false],
    ['the safety edge keeps a bid from the safety distance to max_bps', 'mark', 8n, 'buy', 999_250n, true],
    ['the safety edge keeps a bid at the safety distance', 'mark', 8n, 'buy', 999_500n, true],
    ['the safety edge does not keep a bid beyond max_bps', 'mark', 8n, 'buy', 998_999n, false],
    ['mark priority keeps a quote in the window nearer than min_bps while the rules agree', 'mark', 0n, 'buy', 999_400n, true],
    ['mid priority does not keep that quote', 'mid', 0n, 'buy', 999_400n, false],
    ['mark priority keeps a quote beyond max_bps inside the window', 'mark', -4n, 'buy', 998_700n, true],
  ])('%s', (_name, priority, markBps, side, price, expected) => {
    expect(isQuoteInBand(side, price, prioritised(priority, markBps))).toBe(expected);
  });

  it.each<[string, BandPriority, bigint, boolean]>([
    ['mark priority keeps a quote nearer than min_bps but wants it back in the band', 'mark', 999_400n, false],
    ['mark priority: a quote at the target is clear', 'mark', 999_250n, true],
    ['mid priority: a quote at the target is clear', 'mid', 999_250n, true],
  ])('%s', (_name, priority, price, expected) => {
    expect(isQuoteClearOfEdges('buy', price, prioritised(priority, 0n), parseBps('0.2'))).toBe(expected);
  });

  it('caps the safety distance at min_bps', () => {
    const c = prioritised('mark', 8n);
    const band = { ...c.band, markPriorityMinBps: parseBps('9') };
    expect(sideQuote('buy', { ...c, band })).toMatchObject({ regime: 'safety-edge', quoteTicks: 999_300n });
  });

  it('honours a nearer safety distance', () => {
    const c = prioritised('mark', 8n);
    const band = { ...c.band, markPriorityMinBps: parseBps('2') };
    expect(sideQuote('buy', { ...c, band })).toMatchObject({ regime: 'mark-first', quoteTicks: 999_800n });
  });

  it('never crosses the book at the safety edge', () => {
    const c = prioritised('mark', 8n, { bestAskTicks: 999_400n, bestBidTicks: 999_390n });
    expect(sideQuote('buy', c)).toMatchObject({ regime: 'safety-edge', quoteTicks: 999_399n });
  });

  it('quotes both sides, keeps what it quotes, and holds its rules, for any mark, mid and spread', () => {
    for (const priority of BAND_PRIORITIES) {
      for (let markBps = -25n; markBps <= 25n; markBps += 1n) {
        for (const [mid, spreadTicks] of [[tp(1_000_000n), 10n], [tp(1_999_999n, 2n), 1n], [tp(3_000_001n, 3n), 400n]] as const) {
          const midTicks = mid.num / mid.den;
          const c: QuoteConstraints = {
            ...prioritised(priority, 0n),
            mid,
            mark: tp(midTicks * 10n + markBps * midTicks / 1_000n, 10n),
            bestBidTicks: midTicks - spreadTicks,
            bestAskTicks: midTicks + spreadTicks,
          };
          for (const side of ['buy', 'sell'] as const) {
            const where = `${priority} ${markBps} ${side} ${midTicks}`;
            const quote = sideQuote(side, c);
            expect(quote.quoteTicks, where).not.toBeNull();
            const price = quote.quoteTicks ?? 0n;
            expect(isQuoteInBand(side, price, c), where).toBe(true);
            if (side === 'buy') expect(price, where).toBeLessThan(c.bestAskTicks ?? 0n);
            else expect(price, where).toBeGreaterThan(c.bestBidTicks ?? 0n);
            const fromMid = { minBps: priority === 'mid' ? parseBps('7') : parseBps('5'), maxBps: priority === 'mid' ? parseBps('10') : parseBps('100') };
            expect(isInBand(side, price, mid, fromMid), where).toBe(true);
          }
        }
      }
    }
  });
});
