// The pure plan of what to cancel, place and flatten for one snapshot. The maker loop calls
// planQuotes after every event and carries out the result; orders already placing or cancelling
// are never acted on again, so calling it twice on the same snapshot is harmless. A quote its side
// may keep is not replaced before it has rested the minimum time; one it may not keep goes at once.

import type { QuoteBand, QuoteConstraints } from './quotes.js';
import { sortSide, type OwnOrder, type SideOrders } from './side-orders.js';
import type { Bps } from '../domain/bps.js';
import { abs } from '../domain/decimal.js';
import type { TickPrice } from '../domain/price.js';
import type { OrderRef, Side, SymbolSpec } from '../domain/types.js';

/** How a quote that left its band is replaced; the config schema offers exactly these. */
export const REQUOTE_POLICIES = ['reference', 'side', 'overlap'] as const;
export type RequotePolicy = (typeof REQUOTE_POLICIES)[number];
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
  /** A few typical moves of the mid between looks, null while not measured yet: how near an edge a
   *  resting quote may come before 'overlap' replaces it early, and how far past the mark window
   *  (an estimate between pushes) a resting quote stays kept (quote-rules.ts). */
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
  /** The clock restingSinceMs is read on. */
  readonly nowMs: number;
  /** A quote its side may keep is neither replaced nor cancelled as a duplicate before resting this long. */
  readonly minRestMs: number;
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
  /** An early replacement of a quote the side still keeps (the least urgent place). */
  readonly isEarly: boolean;
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
  /** When an action held back for the minimum rest becomes due: look again then, not on the next book. */
  readonly recheckAtMs: number | null;
}

/** Make before break never holds more than this many own orders on one side. */
export const OVERLAP_MAX_ORDERS_PER_SIDE = 2;

/** Accumulates the plan and enforces the open-order budget. */
class PlanBuilder {
  readonly cancels: PlannedCancel[] = [];
  readonly places: PlannedPlace[] = [];
  recheckAtMs: number | null = null;
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

  place(sideOrders: SideOrders, isEarly = false): void {
    if (sideOrders.quoteTicks === null) return;
    this.places.push({ side: sideOrders.side, priceTicks: sideOrders.quoteTicks, qtyLots: this.input.qtyLots, isEarly });
    this.#openCount += 1;
  }

  /** True once the order has rested the minimum time; until then, notes when it will have. */
  hasRested(order: OwnOrder): boolean {
    const { nowMs, minRestMs } = this.input;
    if (order.restingSinceMs === null || nowMs - order.restingSinceMs >= minRestMs) return true;
    const dueMs = order.restingSinceMs + minRestMs;
    if (this.recheckAtMs === null || dueMs < this.recheckAtMs) this.recheckAtMs = dueMs;
    return false;
  }
}

export function planQuotes(input: PlanInput): Plan {
  const flatten = planFlatten(input);
  const builder = new PlanBuilder(input);
  const { mid } = input;
  if (mid === null || !input.spec.enabled) {
    const reason: CancelReason = mid === null ? 'stale-mid' : 'symbol-disabled';
    for (const order of input.orders) if (order.status === 'resting') builder.cancel(order, reason);
    return { cancels: builder.cancels, places: [], flatten, recheckAtMs: null };
  }
  const constraints: QuoteConstraints = {
    mid,
    band: input.band,
    mark: input.mark,
    bestBidTicks: input.bestBidTicks,
    bestAskTicks: input.bestAskTicks,
  };
  // Only overlap replaces early, so only overlap may keep a quote in the slack past the window.
  const hasSlack = input.policy === 'overlap';
  const bids = sortSide('buy', input.orders, constraints, input.edgeMarginBps, hasSlack);
  const asks = sortSide('sell', input.orders, constraints, input.edgeMarginBps, hasSlack);
  // Whatever the policy, a side with an in-band order keeps only that one (drift after a reconnect,
  // or the old order of a make-before-break replacement).
  // A duplicate still counts: it goes once both it and the kept order have rested (after a
  // make-before-break, the side always holds a quote that has).
  for (const { kept, duplicates, outOfBand } of [bids, asks]) {
    if (kept === null) continue;
    for (const order of duplicates) if (builder.hasRested(order) && builder.hasRested(kept)) builder.cancel(order, 'duplicate');
    for (const order of outOfBand) builder.cancel(order, 'out-of-band');
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
  return { cancels: builder.cancels, places: builder.places, flatten, recheckAtMs: builder.recheckAtMs };
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
 * while it still counts, so the side stays in band through the round trip; but only once it has
 * rested the minimum time, and only by a quote clear of the edges (hysteresis: a replacement as near
 * an edge as the old quote would itself be due at once). Falls back to `side` when the side or total
 * order limit would be exceeded, or when no replacement can be placed (paused, no admissible tick).
 */
function planOverlap(builder: PlanBuilder, s: SideOrders): void {
  if (s.placing.length > 0) return;
  if (s.kept !== null) {
    const sideCount = 1 + s.duplicates.length + s.outOfBand.length + s.cancelling.length;
    const isWorthReplacing = s.isKeptDrifting && s.isReplacementBetter && sideCount + 1 <= OVERLAP_MAX_ORDERS_PER_SIDE;
    if (isWorthReplacing && builder.canPlace(s) && builder.hasRested(s.kept)) builder.place(s, true);
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
      if (s.kept === null) for (const order of s.outOfBand) builder.cancel(order, 'out-of-band');
      else if (builder.hasRested(s.kept)) builder.cancel(s.kept, 'requote');
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

