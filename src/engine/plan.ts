// The pure plan of what to cancel, place and flatten for one snapshot. The maker loop calls
// planQuotes after every event and carries out the result; orders already placing or cancelling
// are never acted on again, so calling it twice on the same snapshot is harmless.

import { isQuoteClearOfEdges, isQuoteInBand, quotePrice, targetTicks, type QuoteBand, type QuoteConstraints } from './quotes.js';
import type { Bps } from '../domain/bps.js';
import { abs } from '../domain/decimal.js';
import type { TickPrice } from '../domain/price.js';
import type { OrderRef, Side, SymbolSpec } from '../domain/types.js';

/** How a quote that left its band is replaced; the config schema offers exactly these. */
export const REQUOTE_POLICIES = ['reference', 'side', 'overlap'] as const;
export type RequotePolicy = (typeof REQUOTE_POLICIES)[number];
/** placing: sent, not yet seen resting; cancelling: cancel sent, not yet confirmed gone. */
export type OwnOrderStatus = 'resting' | 'placing' | 'cancelling';

export interface OwnOrder {
  readonly ref: OrderRef;
  readonly side: Side;
  readonly priceTicks: bigint;
  readonly qtyLots: bigint;
  readonly status: OwnOrderStatus;
}

export interface PlanInput {
  readonly spec: SymbolSpec;
  readonly qtyLots: bigint;
  readonly band: QuoteBand;
  readonly policy: RequotePolicy;
  /** Null while the market data is stale. */
  readonly mid: TickPrice | null;
  readonly mark: TickPrice | null;
  readonly bestBidTicks: bigint | null;
  readonly bestAskTicks: bigint | null;
  /** 'overlap' only: how near a band edge a resting quote may come before it is replaced early
   *  (quotes.isQuoteClearOfEdges); null while the mid's volatility is not measured yet. */
  readonly edgeMarginBps: Bps | null;
  /** 'reference' only: a mid arrived since the last placement. */
  readonly isMidFresh: boolean;
  /** Every own order on the symbol that is not known to be gone, both sides. */
  readonly orders: readonly OwnOrder[];
  readonly positionLots: bigint;
  readonly isFlattenInFlight: boolean;
  /** Backoff after margin/size rejects: cancels and flattens still go out, places do not. */
  readonly isPlacingPaused: boolean;
  readonly maxOpenOrders: number;
}

export type CancelReason = 'stale-mid' | 'symbol-disabled' | 'out-of-band' | 'duplicate' | 'requote';

export interface PlannedCancel {
  readonly ref: OrderRef;
  readonly side: Side;
  readonly priceTicks: bigint;
  readonly reason: CancelReason;
}

export interface PlannedPlace {
  readonly side: Side;
  readonly priceTicks: bigint;
  readonly qtyLots: bigint;
}

/** A reduce-only market order. */
export interface PlannedFlatten {
  readonly side: Side;
  readonly qtyLots: bigint;
}

export interface Plan {
  readonly cancels: readonly PlannedCancel[];
  readonly places: readonly PlannedPlace[];
  readonly flatten: PlannedFlatten | null;
}

/** Make before break never holds more than this many own orders on one side. */
export const OVERLAP_MAX_ORDERS_PER_SIDE = 2;

/** One side's own orders, sorted by what the plan may do with them. */
interface SideOrders {
  readonly side: Side;
  /** The resting in-band order nearest the target (ties: further from the mid). */
  readonly kept: OwnOrder | null;
  /** The kept order is still in band but has come within the edge margin. */
  readonly isKeptDrifting: boolean;
  /** Other resting in-band orders. */
  readonly duplicates: readonly OwnOrder[];
  readonly outOfBand: readonly OwnOrder[];
  readonly placing: readonly OwnOrder[];
  readonly cancelling: readonly OwnOrder[];
  /** Where a new order on this side would go, or null when no tick is admissible. */
  readonly quoteTicks: bigint | null;
}

/** Accumulates the plan and enforces the open-order budget. */
class PlanBuilder {
  readonly cancels: PlannedCancel[] = [];
  readonly places: PlannedPlace[] = [];
  #openCount: number;

  constructor(private readonly input: PlanInput) {
    this.#openCount = input.orders.length;
  }

  cancel(order: OwnOrder, reason: CancelReason): void {
    this.cancels.push({ ref: order.ref, side: order.side, priceTicks: order.priceTicks, reason });
  }

  canPlace(sideOrders: SideOrders, count = 1): boolean {
    const { input } = this;
    return (
      !input.isPlacingPaused &&
      input.qtyLots > 0n &&
      sideOrders.quoteTicks !== null &&
      this.#openCount + count <= input.maxOpenOrders
    );
  }

  place(sideOrders: SideOrders): void {
    if (sideOrders.quoteTicks === null) return;
    this.places.push({ side: sideOrders.side, priceTicks: sideOrders.quoteTicks, qtyLots: this.input.qtyLots });
    this.#openCount += 1;
  }
}

export function planQuotes(input: PlanInput): Plan {
  const flatten = planFlatten(input);
  const builder = new PlanBuilder(input);
  const { mid } = input;
  if (mid === null || !input.spec.enabled) {
    const reason: CancelReason = mid === null ? 'stale-mid' : 'symbol-disabled';
    for (const order of input.orders) if (order.status === 'resting') builder.cancel(order, reason);
    return { cancels: builder.cancels, places: [], flatten };
  }
  const constraints: QuoteConstraints = {
    mid,
    band: input.band,
    mark: input.mark,
    bestBidTicks: input.bestBidTicks,
    bestAskTicks: input.bestAskTicks,
  };
  const bids = sortSide('buy', input.orders, constraints, input.edgeMarginBps);
  const asks = sortSide('sell', input.orders, constraints, input.edgeMarginBps);
  // Whatever the policy, a side with an in-band order keeps only that one (drift after a reconnect,
  // or the old order of a make-before-break replacement).
  for (const sideOrders of [bids, asks]) {
    if (sideOrders.kept === null) continue;
    for (const order of sideOrders.duplicates) builder.cancel(order, 'duplicate');
    for (const order of sideOrders.outOfBand) builder.cancel(order, 'out-of-band');
  }
  switch (input.policy) {
    case 'reference':
      planReference(builder, bids, asks, input.isMidFresh);
      break;
    case 'side':
      planSide(builder, bids);
      planSide(builder, asks);
      break;
    case 'overlap':
      planOverlap(builder, bids);
      planOverlap(builder, asks);
      break;
  }
  return { cancels: builder.cancels, places: builder.places, flatten };
}

/** Close any position at once with the opposite side, one flatten at a time, within the max order size. */
function planFlatten(input: PlanInput): PlannedFlatten | null {
  if (input.isFlattenInFlight) return null;
  return flattenOrderFor(input.positionLots, input.spec.maxOrderLots);
}

/** The reduce-only market order that closes `positionLots`, or null when flat. */
export function flattenOrderFor(positionLots: bigint, maxOrderLots: bigint): PlannedFlatten | null {
  if (positionLots === 0n) return null;
  const lots = abs(positionLots);
  // A larger market order would be rejected; the rest is flattened by a later order.
  return { side: positionLots > 0n ? 'sell' : 'buy', qtyLots: maxOrderLots > 0n && lots > maxOrderLots ? maxOrderLots : lots };
}

function sortSide(side: Side, orders: readonly OwnOrder[], c: QuoteConstraints, marginBps: Bps | null): SideOrders {
  const own = orders.filter((order) => order.side === side);
  const resting = own.filter((order) => order.status === 'resting');
  const inBand = resting.filter((order) => isQuoteInBand(side, order.priceTicks, c));
  const target = targetTicks(side, c.mid, c.band.targetBps);
  const kept = inBand.reduce<OwnOrder | null>(
    (best, order) => (best === null || isBetterQuote(side, order.priceTicks, best.priceTicks, target) ? order : best),
    null,
  );
  return {
    side,
    kept,
    isKeptDrifting: kept !== null && !isQuoteClearOfEdges(side, kept.priceTicks, c, marginBps),
    duplicates: inBand.filter((order) => order !== kept),
    outOfBand: resting.filter((order) => !inBand.includes(order)),
    placing: own.filter((order) => order.status === 'placing'),
    cancelling: own.filter((order) => order.status === 'cancelling'),
    quoteTicks: quotePrice(side, c, target),
  };
}

/** Nearer the target wins; on a tie, the price further from the mid (lower bid, higher ask). */
function isBetterQuote(side: Side, candidate: bigint, incumbent: bigint, target: bigint): boolean {
  const candidateGap = abs(candidate - target);
  const incumbentGap = abs(incumbent - target);
  if (candidateGap !== incumbentGap) return candidateGap < incumbentGap;
  return side === 'buy' ? candidate < incumbent : candidate > incumbent;
}


function isSideEmpty(s: SideOrders): boolean {
  return s.kept === null && s.outOfBand.length === 0 && s.placing.length === 0 && s.cancelling.length === 0;
}

/** Cancel only the side that left the band; place its replacement once the cancel is confirmed. */
function planSide(builder: PlanBuilder, s: SideOrders): void {
  if (s.kept !== null) return;
  for (const order of s.outOfBand) builder.cancel(order, 'out-of-band');
  if (isSideEmpty(s) && builder.canPlace(s)) builder.place(s);
}

/**
 * Make before break: place the replacement while the old order still rests, cancel the old one once
 * the new one rests in band. A quote that comes within the edge margin of a band edge is replaced
 * while it still counts, so the side stays in band through the round trip. Falls back to `side` when the
 * side or total order limit would be exceeded, or when no replacement can be placed (paused, no
 * admissible tick).
 */
function planOverlap(builder: PlanBuilder, s: SideOrders): void {
  if (s.placing.length > 0) return;
  if (s.kept !== null) {
    const sideCount = 1 + s.outOfBand.length + s.cancelling.length;
    const isReplacementCentred = s.quoteTicks !== null && s.quoteTicks !== s.kept.priceTicks;
    if (s.isKeptDrifting && isReplacementCentred && sideCount + 1 <= OVERLAP_MAX_ORDERS_PER_SIDE && builder.canPlace(s)) {
      builder.place(s);
    }
    return;
  }
  const sideCount = s.outOfBand.length + s.cancelling.length;
  if (sideCount + 1 <= OVERLAP_MAX_ORDERS_PER_SIDE && builder.canPlace(s)) {
    builder.place(s);
    return;
  }
  for (const order of s.outOfBand) builder.cancel(order, 'out-of-band');
}

/**
 * The reference bot: when either side leaves the band (or one side is gone while the other is
 * not) cancel both; place both only when both are confirmed gone and a fresh mid has arrived.
 */
function planReference(builder: PlanBuilder, bids: SideOrders, asks: SideOrders, isMidFresh: boolean): void {
  const isBad = (s: SideOrders): boolean => s.kept === null && s.outOfBand.length > 0;
  const isBidEmpty = isSideEmpty(bids);
  const isAskEmpty = isSideEmpty(asks);
  if (isBad(bids) || isBad(asks) || isBidEmpty !== isAskEmpty) {
    for (const s of [bids, asks]) {
      if (s.kept !== null) builder.cancel(s.kept, 'requote');
      else for (const order of s.outOfBand) builder.cancel(order, 'out-of-band');
    }
    return;
  }
  if (!isBidEmpty || !isMidFresh) return;
  // Both or neither: a lone quote would be cancelled again by the rule above.
  if (builder.canPlace(bids, 2) && builder.canPlace(asks, 2)) {
    builder.place(bids);
    builder.place(asks);
  }
}

