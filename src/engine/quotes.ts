// Where to quote and what to keep, per side: the target at ±target_bps from the mid moved to the
// nearest admissible tick (inside [min_bps, max_bps] of the mid and within mark_band_bps of the
// mark, never crossing the opposite best: ALO), and when those rules share no tick, the one the
// band priority names wins (band-priority.ts): a side is never left empty because they disagree.

import { BPS_UNITS_PER_ONE, bpsFromUnits, type Bps } from '../domain/bps.js';
import { ceilDiv, floorDiv } from '../domain/decimal.js';
import type { TickPrice } from '../domain/price.js';
import type { Side } from '../domain/types.js';
import type { BandPriority } from './band-priority.js';
import { intersectRanges, isEmptyRange, type TickRange } from './band.js';
import {
  clampToRange,
  isClearOfRuleEdges,
  isWithinRules,
  nearestTickTo,
  ruleTickRange,
  UNBOUNDED_BPS,
  type DistanceRule,
} from './quote-rules.js';

export { edgeMargin } from './quote-rules.js';

export interface QuoteBand {
  readonly targetBps: Bps;
  readonly minBps: Bps;
  readonly maxBps: Bps;
  /** Null: no mark constraint. Within this many bps of the mark, on either side of it. */
  readonly markBandBps: Bps | null;
  /** Which rule wins when the mid band and the mark window share no tick. */
  readonly priority: BandPriority;
  /** priority 'mark': the nearest a quote may come to the mid (capped at minBps). */
  readonly markPriorityMinBps: Bps;
}

export interface QuoteConstraints {
  /** The reference the band is measured from (mid); must be positive. */
  readonly mid: TickPrice;
  readonly band: QuoteBand;
  /** Null while unknown: the mark constraint is then skipped. */
  readonly mark: TickPrice | null;
  readonly bestBidTicks: bigint | null;
  readonly bestAskTicks: bigint | null;
}

/** Above any price a quote can take. */
const UNBOUNDED_TICKS = 2n ** 255n;

/**
 * Which rules a side follows on this snapshot. mid: no mark to follow; both: mid band ∩ mark
 * window; mid-first: they disagree, the mid band wins; mark-first: they disagree, the mark window
 * wins, no nearer the mid than the safety distance; safety-edge: even that is impossible, so the
 * safety distance, as near the mark window as it allows.
 */
export type QuoteRegime = 'mid' | 'both' | 'mid-first' | 'mark-first' | 'safety-edge';

export interface SideQuote {
  readonly regime: QuoteRegime;
  /** Where a new quote goes: null only when no tick is open (a crossed book, a tick coarser than the band). */
  readonly quoteTicks: bigint | null;
  /** What a resting quote must satisfy to be kept; every tick quoteTicks can take satisfies it. */
  readonly keep: readonly DistanceRule[];
  /**
   * What a kept quote should also satisfy to be left alone: one that does not is replaced early
   * (after its minimum rest, by a quote clear of the edges), never at once.
   */
  readonly prefer: readonly DistanceRule[];
}

/** bid = floor(mid·(1 − target/10⁴)), ask = ceil(mid·(1 + target/10⁴)): rounded away from the mid. */
export function targetTicks(side: Side, mid: TickPrice, targetBps: Bps): bigint {
  const scale = mid.den * BPS_UNITS_PER_ONE;
  return side === 'buy'
    ? floorDiv(mid.num * (BPS_UNITS_PER_ONE - targetBps), scale)
    : ceilDiv(mid.num * (BPS_UNITS_PER_ONE + targetBps), scale);
}

/**
 * The side's regime, quote and keep rules. Under 'mark' a resting quote is kept anywhere in the
 * mark window beyond the safety distance (mid band ∩ mark window is inside that), so a mark that
 * wavers across the point where the rules part does not make quotes flip between two sets; while
 * the rules agree, the mid band is preferred. `target`: targetTicks of the same side and
 * constraints, when the caller has it already.
 */
export function sideQuote(side: Side, c: QuoteConstraints, target = targetTicks(side, c.mid, c.band.targetBps)): SideQuote {
  const rules = rulesOf(c);
  const open = openRange(side, c);
  const inMidBand = intersectRanges(ruleTickRange(side, rules.mid), open);
  if (rules.mark === null || c.mid.num <= 0n) {
    return { regime: 'mid', quoteTicks: clampOrNull(target, inMidBand), keep: [rules.mid], prefer: [] };
  }
  const window = ruleTickRange(side, rules.mark);
  const inBoth = intersectRanges(inMidBand, window);
  const isMidFirst = c.band.priority === 'mid';
  if (!isEmptyRange(inBoth)) {
    const quoteTicks = clampToRange(target, inBoth);
    if (isMidFirst) return { regime: 'both', quoteTicks, keep: [rules.mid, rules.mark], prefer: [] };
    return { regime: 'both', quoteTicks, keep: [rules.mark, rules.safety], prefer: [rules.mid] };
  }
  if (isMidFirst) {
    return { regime: 'mid-first', quoteTicks: isEmptyRange(inMidBand) ? null : nearestTickTo(inMidBand, window), keep: [rules.mid], prefer: [] };
  }
  const inWindowSafe = intersectRanges(intersectRanges(ruleTickRange(side, rules.safety), open), window);
  if (!isEmptyRange(inWindowSafe)) {
    return { regime: 'mark-first', quoteTicks: clampToRange(target, inWindowSafe), keep: [rules.mark, rules.safety], prefer: [] };
  }
  const inSafeBand = intersectRanges(ruleTickRange(side, rules.safeBand), open);
  const quoteTicks = isEmptyRange(inSafeBand) ? null : nearestTickTo(inSafeBand, window);
  return { regime: 'safety-edge', quoteTicks, keep: [rules.safeBand], prefer: [] };
}

/** Where a new quote on this side goes, or null when no tick is open. */
export function quotePrice(side: Side, c: QuoteConstraints, target = targetTicks(side, c.mid, c.band.targetBps)): bigint | null {
  return sideQuote(side, c, target).quoteTicks;
}

/** True when a quote satisfies exactly what its side's regime keeps (the planner adds the mark window's slack). */
export function isQuoteInBand(side: Side, priceTicks: bigint, c: QuoteConstraints): boolean {
  return isWithinRules(side, priceTicks, sideQuote(side, c).keep);
}

/** The early-replacement test on a side's keep and preferred rules (quote-rules.isClearOfRuleEdges). */
export function isQuoteClearOfEdges(side: Side, priceTicks: bigint, c: QuoteConstraints, marginBps: Bps | null): boolean {
  const { keep, prefer } = sideQuote(side, c);
  return isClearOfRuleEdges(side, priceTicks, [...keep, ...prefer], marginBps);
}

/** Every tick that satisfies both rules: mid band ∩ mark window (when on and known) ∩ not crossing ∩ positive. */
export function admissibleRange(side: Side, c: QuoteConstraints): TickRange {
  const rules = rulesOf(c);
  const inMidBand = intersectRanges(ruleTickRange(side, rules.mid), openRange(side, c));
  return rules.mark === null ? inMidBand : intersectRanges(inMidBand, ruleTickRange(side, rules.mark));
}

interface SideRules {
  readonly mid: DistanceRule;
  /** Null when the mark window is off or the mark unknown. */
  readonly mark: DistanceRule | null;
  /** At least the safety distance from the mid. */
  readonly safety: DistanceRule;
  /** From the safety distance to max_bps: what the safety edge keeps. */
  readonly safeBand: DistanceRule;
}

function rulesOf(c: QuoteConstraints): SideRules {
  const { targetBps, minBps, maxBps, markBandBps } = c.band;
  // Above min_bps the safety distance would make the mark rule stricter than the mid rule it
  // overrides, and a quote of the 'both' regime could fall outside what 'mark' keeps.
  const safetyBps = c.band.markPriorityMinBps < minBps ? c.band.markPriorityMinBps : minBps;
  const outerRoom = maxBps - targetBps;
  const mark: DistanceRule | null =
    markBandBps === null || c.mark === null || c.mark.num <= 0n
      ? null
      : {
          ref: c.mark,
          band: { minBps: bpsFromUnits(-markBandBps), maxBps: markBandBps },
          // The mark lies beyond a quote only when it is further from the mid than the quote: rare
          // enough that the far edge keeps no early margin.
          minRoomBps: 0n,
          maxRoomBps: markBandBps - targetBps,
          hasKeepSlack: true,
        };
  return {
    mid: { ref: c.mid, band: { minBps, maxBps }, minRoomBps: targetBps - minBps, maxRoomBps: outerRoom, hasKeepSlack: false },
    mark,
    safety: {
      ref: c.mid,
      band: { minBps: safetyBps, maxBps: UNBOUNDED_BPS },
      minRoomBps: targetBps - safetyBps,
      maxRoomBps: 0n,
      hasKeepSlack: false,
    },
    safeBand: { ref: c.mid, band: { minBps: safetyBps, maxBps }, minRoomBps: targetBps - safetyBps, maxRoomBps: outerRoom, hasKeepSlack: false },
  };
}

/** Positive and not crossing the opposite best (ALO). */
function openRange(side: Side, c: QuoteConstraints): TickRange {
  const hiTicks = side === 'buy' && c.bestAskTicks !== null ? c.bestAskTicks - 1n : UNBOUNDED_TICKS;
  const loTicks = side === 'sell' && c.bestBidTicks !== null ? c.bestBidTicks + 1n : 1n;
  return { loTicks: loTicks < 1n ? 1n : loTicks, hiTicks };
}

function clampOrNull(target: bigint, range: TickRange): bigint | null {
  return isEmptyRange(range) ? null : clampToRange(target, range);
}
