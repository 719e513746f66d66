// Where to quote: the target tick at ±target_bps from the mid, moved to the nearest tick that is
// admissible: inside [min_bps, max_bps] of the mid, optionally within mark_band_bps of the mark
// (StandX only rewards quotes near the mark), and never crossing the opposite best (ALO orders).

import { BPS_UNITS_PER_ONE, bpsFromUnits, type Bps } from '../domain/bps.js';
import { bandTickRange, intersectRanges, isEmptyRange, isInBand, type TickRange } from './band.js';
import { ceilDiv, floorDiv } from '../domain/decimal.js';
import type { TickPrice } from '../domain/price.js';
import type { Side } from '../domain/types.js';

export interface QuoteBand {
  readonly targetBps: Bps;
  readonly minBps: Bps;
  readonly maxBps: Bps;
  /** Null: no mark constraint. */
  readonly markBandBps: Bps | null;
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

const ZERO_BPS = bpsFromUnits(0n);

/** bid = floor(mid·(1 − target/10⁴)), ask = ceil(mid·(1 + target/10⁴)): rounded away from the mid. */
export function targetTicks(side: Side, mid: TickPrice, targetBps: Bps): bigint {
  const scale = mid.den * BPS_UNITS_PER_ONE;
  return side === 'buy'
    ? floorDiv(mid.num * (BPS_UNITS_PER_ONE - targetBps), scale)
    : ceilDiv(mid.num * (BPS_UNITS_PER_ONE + targetBps), scale);
}

/** True when a resting quote still satisfies the mid band and (when on and known) the mark band. */
export function isQuoteInBand(side: Side, priceTicks: bigint, c: QuoteConstraints): boolean {
  if (!isInBand(side, priceTicks, c.mid, c.band)) return false;
  const markBand = markBandOf(c);
  return markBand === null || c.mark === null || isInBand(side, priceTicks, c.mark, markBand);
}

/**
 * The early-replacement test: true while the quote is at least the margin away from every edge it
 * can leave by (both edges of the mid band, the far edge of the mark band). A make-before-break
 * replacement sent once a quote comes nearer rests before the next move can take the old one out,
 * so the side never goes without an in-band quote for a round trip. `marginBps`: a few typical
 * moves of the mid between two looks, null while not measured; edgeMargin bounds it per edge.
 * The mark edge uses the mid's margin too: over time the mark follows the mid, and a margin from
 * the mark's own tick-to-tick jitter replaced quotes more often without keeping more in band.
 */
export function isQuoteClearOfEdges(side: Side, priceTicks: bigint, c: QuoteConstraints, marginBps: Bps | null): boolean {
  const { targetBps, minBps, maxBps } = c.band;
  const early = {
    minBps: minBps < targetBps ? bpsFromUnits(minBps + edgeMargin(targetBps - minBps, marginBps)) : minBps,
    maxBps: maxBps > targetBps ? bpsFromUnits(maxBps - edgeMargin(maxBps - targetBps, marginBps)) : maxBps,
  };
  if (!isInBand(side, priceTicks, c.mid, early)) return false;
  const markBand = markBandOf(c);
  if (markBand === null || c.mark === null) return true;
  const markMax = markBand.maxBps;
  const markEarly = { minBps: ZERO_BPS, maxBps: markMax > targetBps ? bpsFromUnits(markMax - edgeMargin(markMax - targetBps, marginBps)) : markMax };
  return isInBand(side, priceTicks, c.mark, markEarly);
}

/**
 * The margin kept from one edge, given the room between the target and that edge: the measured
 * margin, but at least a quarter of the room (a volatility that is underestimated, or about to
 * rise, still leaves some) and at most two thirds (a fresh quote at the target must not already be
 * due, or every look would replace it). Not measured yet (the first looks): half the room.
 */
export function edgeMargin(roomBps: bigint, measured: Bps | null): bigint {
  if (measured === null) return roomBps / 2n;
  const floor = roomBps / 4n;
  const ceiling = (roomBps * 2n) / 3n;
  if (measured > ceiling) return ceiling;
  return measured < floor ? floor : measured;
}

/** Every tick a new quote may take: mid band ∩ mark band ∩ not crossing ∩ positive. */
export function admissibleRange(side: Side, c: QuoteConstraints): TickRange {
  let range = bandTickRange(side, c.mid, c.band);
  if (range.loTicks < 1n) range = { loTicks: 1n, hiTicks: range.hiTicks };
  const markBand = markBandOf(c);
  if (markBand !== null && c.mark !== null) {
    range = intersectRanges(range, bandTickRange(side, c.mark, markBand));
  }
  if (side === 'buy' && c.bestAskTicks !== null) {
    range = intersectRanges(range, { loTicks: range.loTicks, hiTicks: c.bestAskTicks - 1n });
  }
  if (side === 'sell' && c.bestBidTicks !== null) {
    range = intersectRanges(range, { loTicks: c.bestBidTicks + 1n, hiTicks: range.hiTicks });
  }
  return range;
}

/**
 * The admissible tick nearest the target tick, or null when none is admissible (e.g. a tick
 * coarser than the band, or the mark too far from the mid). The target is already rounded away
 * from the mid, so clamping it into the range has no ties to break. `target`: targetTicks of the
 * same side and constraints, when the caller has it already.
 */
export function quotePrice(side: Side, c: QuoteConstraints, target = targetTicks(side, c.mid, c.band.targetBps)): bigint | null {
  if (c.mid.num <= 0n) return null;
  const range = admissibleRange(side, c);
  if (isEmptyRange(range)) return null;
  if (target < range.loTicks) return range.loTicks;
  if (target > range.hiTicks) return range.hiTicks;
  return target;
}

function markBandOf(c: QuoteConstraints): { minBps: Bps; maxBps: Bps } | null {
  return c.band.markBandBps === null ? null : { minBps: ZERO_BPS, maxBps: c.band.markBandBps };
}
