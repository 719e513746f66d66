// The distance rules a quote can be held to: its own-side distance from a reference price (the mid
// or the mark) within a band, each edge with the room it leaves the target, which sizes the
// early-replacement margin kept from that edge, and for an estimated reference the slack a resting
// quote is allowed beyond it. Exact: every test cross-multiplies integers.

import { bpsFromUnits, type Bps } from '../domain/bps.js';
import type { TickPrice } from '../domain/price.js';
import type { Side } from '../domain/types.js';
import { bandTickRange, isInBand, type BpsBand, type TickRange } from './band.js';

export interface DistanceRule {
  readonly ref: TickPrice;
  /** minBps may be negative: the mark window reaches past the mark to the other side. */
  readonly band: BpsBand;
  /** Room from the target to each edge (0: no early margin from that edge). */
  readonly minRoomBps: bigint;
  readonly maxRoomBps: bigint;
  /**
   * The reference is an estimate (the mark between pushes): a resting quote stays kept up to the
   * early margin beyond the band, so that noise in the estimate does not replace it on every look.
   * New quotes still go inside the band.
   */
  readonly hasKeepSlack: boolean;
}

/** An edge nothing reaches: a quote's distance from a positive price stays far below it. */
export const UNBOUNDED_BPS: Bps = bpsFromUnits(10n ** 16n);

/** The quote satisfies every rule exactly. */
export function isWithinRules(side: Side, priceTicks: bigint, rules: readonly DistanceRule[]): boolean {
  return rules.every((rule) => isInBand(side, priceTicks, rule.ref, rule.band));
}

/** A resting quote may stay: within every rule, or the slack beyond those that have one (`marginBps` sizes it). */
export function isKeptByRules(side: Side, priceTicks: bigint, rules: readonly DistanceRule[], marginBps: Bps | null): boolean {
  return rules.every((rule) => {
    const slack = rule.hasKeepSlack ? keepSlack(rule, marginBps) : 0n;
    const band = slack === 0n ? rule.band : { minBps: bpsFromUnits(rule.band.minBps - slack), maxBps: bpsFromUnits(rule.band.maxBps + slack) };
    return isInBand(side, priceTicks, rule.ref, band);
  });
}

/**
 * As wide as the early margin inside the edge: a dead band around it. A quote is replaced early
 * (by one clear of the edges) once inside the margin and counts as out only past the slack, so an
 * estimate that wobbles by less than a margin never flips a quote between kept and not.
 */
function keepSlack(rule: DistanceRule, marginBps: Bps | null): bigint {
  return edgeMargin(rule.maxRoomBps, marginBps);
}

/**
 * True while the quote is at least the margin inside every edge of every rule. A make-before-break
 * replacement sent once a quote comes nearer rests before the next move can take the old one out,
 * so the side never goes without a quote it may keep for a round trip. `marginBps`: a few typical
 * moves of the mid between two looks, null while not measured; edgeMargin bounds it per edge.
 */
export function isClearOfRuleEdges(side: Side, priceTicks: bigint, rules: readonly DistanceRule[], marginBps: Bps | null): boolean {
  return rules.every((rule) => {
    const early = {
      minBps: bpsFromUnits(rule.band.minBps + edgeMargin(rule.minRoomBps, marginBps)),
      maxBps: bpsFromUnits(rule.band.maxBps - edgeMargin(rule.maxRoomBps, marginBps)),
    };
    return isInBand(side, priceTicks, rule.ref, early);
  });
}

/**
 * The margin kept from one edge, given the room between the target and that edge: the measured
 * margin, but at least a quarter of the room (a volatility that is underestimated, or about to
 * rise, still leaves some) and at most two thirds (a fresh quote at the target must not already be
 * due, or every look would replace it). Not measured yet (the first looks): half the room.
 */
export function edgeMargin(roomBps: bigint, measured: Bps | null): bigint {
  if (roomBps <= 0n) return 0n;
  if (measured === null) return roomBps / 2n;
  const floor = roomBps / 4n;
  const ceiling = (roomBps * 2n) / 3n;
  if (measured > ceiling) return ceiling;
  return measured < floor ? floor : measured;
}

/** Every tick that satisfies the rule (empty when the band is narrower than a tick there). */
export function ruleTickRange(side: Side, rule: DistanceRule): TickRange {
  return bandTickRange(side, rule.ref, rule.band);
}

/** The tick of `range` nearest `value`; `range` must not be empty. */
export function clampToRange(value: bigint, range: TickRange): bigint {
  if (value < range.loTicks) return range.loTicks;
  return value > range.hiTicks ? range.hiTicks : value;
}

/** The tick of `range` nearest the disjoint range `toward`; `range` must not be empty. */
export function nearestTickTo(range: TickRange, toward: TickRange): bigint {
  return toward.hiTicks < range.loTicks ? range.loTicks : range.hiTicks;
}
