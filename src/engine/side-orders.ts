// One side's own orders sorted by what the plan may do with them: the one to keep, whether it is due
// for an early replacement and whether one would be better, duplicates, and those out of band.

import type { Bps } from '../domain/bps.js';
import { abs } from '../domain/decimal.js';
import type { OrderRef, Side } from '../domain/types.js';
import { isClearOfRuleEdges, isKeptByRules, isWithinRules } from './quote-rules.js';
import { sideQuote, targetTicks, type QuoteConstraints } from './quotes.js';

/** placing: sent, not yet seen resting; cancelling: cancel sent, not yet confirmed gone. */
export type OwnOrderStatus = 'resting' | 'placing' | 'cancelling';

export interface OwnOrder {
  readonly ref: OrderRef;
  readonly side: Side;
  readonly priceTicks: bigint;
  readonly qtyLots: bigint;
  readonly status: OwnOrderStatus;
  /** When the loop first saw it resting; null while it is not known to rest. */
  readonly restingSinceMs: number | null;
}

/** One side's own orders, sorted by what the plan may do with them. */
export interface SideOrders {
  readonly side: Side;
  /** The resting order to keep: clear of the edges first, then nearest the target, then further from the mid. */
  readonly kept: OwnOrder | null;
  /** The kept order is still in band but has come within the edge margin. */
  readonly isKeptDrifting: boolean;
  /**
   * Replacing the kept order early gains something: the new quote would be clear of every edge, or,
   * when the kept one is only within the mark window's slack, inside the window and clear of the
   * edges with no slack (a replacement the next move would knock out would flicker).
   */
  readonly isReplacementBetter: boolean;
  /** Other resting in-band orders. */
  readonly duplicates: readonly OwnOrder[];
  readonly outOfBand: readonly OwnOrder[];
  readonly placing: readonly OwnOrder[];
  readonly cancelling: readonly OwnOrder[];
  /** Where a new order on this side would go, or null when no tick is admissible. */
  readonly quoteTicks: bigint | null;
}

/**
 * `marginBps`: the early-replacement margin (null while not measured); `hasSlack`: a resting quote
 * may stay within the mark window's slack (only a policy that replaces early can use it).
 */
export function sortSide(side: Side, orders: readonly OwnOrder[], c: QuoteConstraints, marginBps: Bps | null, hasSlack: boolean): SideOrders {
  const own = orders.filter((order) => order.side === side);
  const resting = own.filter((order) => order.status === 'resting');
  const target = targetTicks(side, c.mid, c.band.targetBps);
  const { keep, prefer, quoteTicks } = sideQuote(side, c, target);
  const isClear = (priceTicks: bigint): boolean => isClearOfRuleEdges(side, priceTicks, [...keep, ...prefer], marginBps);
  const isSteady = (priceTicks: bigint): boolean => isClearOfRuleEdges(side, priceTicks, keep.filter((rule) => !rule.hasKeepSlack), marginBps);
  const inBand = resting.filter((order) =>
    hasSlack ? isKeptByRules(side, order.priceTicks, keep, marginBps) : isWithinRules(side, order.priceTicks, keep),
  );
  const kept = inBand.reduce<OwnOrder | null>(
    (best, order) => (best === null || isBetterQuote(side, order.priceTicks, best.priceTicks, target, isClear) ? order : best),
    null,
  );
  return {
    side,
    kept,
    isKeptDrifting: kept !== null && !isClear(kept.priceTicks),
    isReplacementBetter:
      quoteTicks !== null && (kept !== null && !isWithinRules(side, kept.priceTicks, keep) ? isSteady(quoteTicks) : isClear(quoteTicks)),
    duplicates: inBand.filter((order) => order !== kept),
    outOfBand: resting.filter((order) => !inBand.includes(order)),
    placing: own.filter((order) => order.status === 'placing'),
    cancelling: own.filter((order) => order.status === 'cancelling'),
    quoteTicks,
  };
}

/** Clear of the edges wins; then nearer the target; on a tie, further from the mid (lower bid, higher ask). */
function isBetterQuote(side: Side, candidate: bigint, incumbent: bigint, target: bigint, isClear: (priceTicks: bigint) => boolean): boolean {
  const isCandidateClear = isClear(candidate);
  if (isCandidateClear !== isClear(incumbent)) return isCandidateClear;
  const candidateGap = abs(candidate - target);
  const incumbentGap = abs(incumbent - target);
  if (candidateGap !== incumbentGap) return candidateGap < incumbentGap;
  return side === 'buy' ? candidate < incumbent : candidate > incumbent;
}
