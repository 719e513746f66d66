// What the daemon believes about its own orders on the symbol: sent, resting, being cancelled, or
// gone. Fed by order pushes and request outcomes; read by the planner. Keeps recently finished ids
// so that a stale REST read or a replayed push (protocol §6) cannot resurrect a finished order.

import type { Order, OrderRef, Side } from '../domain/types.js';
import type { OwnOrder, OwnOrderStatus } from './side-orders.js';

export type OrderPurpose = 'quote' | 'flatten';

export interface OwnOrderView {
  readonly clOrdId: string;
  readonly side: Side;
  readonly purpose: OrderPurpose;
  /** Null for market orders. */
  readonly priceTicks: bigint | null;
  readonly qtyLots: bigint;
  readonly filledLots: bigint;
  readonly status: OwnOrderStatus;
  /** When the place (or the last cancel) was sent. */
  readonly sentAtMs: number;
}

export interface TrackedOrder {
  readonly clOrdId: string;
  readonly side: Side;
  readonly purpose: OrderPurpose;
  readonly priceTicks: bigint | null;
  readonly qtyLots: bigint;
  status: OwnOrderStatus;
  orderId: number | null;
  filledLots: bigint;
  /** When the place or the last cancel was sent (epoch ms). */
  sentAtMs: number;
  /** When the place was sent (epoch ms), or when an order of ours was adopted: the age a fill reports. */
  readonly placedAtMs: number;
  /** When an order push last mentioned it (epoch ms), or null before the first. */
  lastPushAtMs: number | null;
  /** When it was first seen resting (epoch ms), or null before. */
  restingSinceMs: number | null;
}

export interface OrderUpdate {
  readonly tracked: TrackedOrder;
  /** Lots filled by this update (0 when none). */
  readonly newlyFilledLots: bigint;
  readonly isTerminal: boolean;
  readonly isAdopted: boolean;
}

export class OwnOrders {
  readonly #byClientId = new Map<string, TrackedOrder>();
  /** clOrdId -> when it was seen finished (epoch ms). */
  readonly #finished = new Map<string, number>();
  readonly #finishedRetentionMs: number;

  constructor(options: { finishedRetentionMs: number }) {
    this.#finishedRetentionMs = options.finishedRetentionMs;
  }

  addPlacing(order: Omit<TrackedOrder, 'status' | 'orderId' | 'filledLots' | 'lastPushAtMs' | 'restingSinceMs' | 'placedAtMs'>): TrackedOrder {
    const tracked: TrackedOrder = {
      ...order,
      placedAtMs: order.sentAtMs,
      status: 'placing',
      orderId: null,
      filledLots: 0n,
      lastPushAtMs: null,
      restingSinceMs: null,
    };
    this.#byClientId.set(order.clOrdId, tracked);
    return tracked;
  }

  get(clOrdId: string): TrackedOrder | undefined {
    return this.#byClientId.get(clOrdId);
  }

  findByRef(ref: OrderRef): TrackedOrder | undefined {
    if ('clOrdId' in ref) return this.#byClientId.get(ref.clOrdId);
    for (const tracked of this.#byClientId.values()) if (tracked.orderId === ref.orderId) return tracked;
    return undefined;
  }

  all(): TrackedOrder[] {
    return [...this.#byClientId.values()];
  }

  size(): number {
    return this.#byClientId.size;
  }

  wasFinishedRecently(clOrdId: string, nowMs: number): boolean {
    return this.finishedWithin(clOrdId, nowMs, this.#finishedRetentionMs);
  }

  finishedWithin(clOrdId: string, nowMs: number, windowMs: number): boolean {
    const at = this.#finished.get(clOrdId);
    return at !== undefined && nowMs - at <= windowMs;
  }

  /**
   * Applies an order push for one of our client ids. An unknown id that did not finish recently is
   * adopted (an order whose ack was lost, or placed before a reconnect): the planner then keeps or
   * cancels it like any other.
   */
  applyPush(order: Order, nowMs: number): OrderUpdate | null {
    const isTerminal = order.state !== 'live';
    let tracked = this.#byClientId.get(order.clOrdId);
    let isAdopted = false;
    if (!tracked) {
      if (this.wasFinishedRecently(order.clOrdId, nowMs) || isTerminal) return null;
      tracked = this.#adopt(order, nowMs);
      isAdopted = true;
    }
    const newlyFilledLots = order.filledLots > tracked.filledLots ? order.filledLots - tracked.filledLots : 0n;
    tracked.filledLots = order.filledLots > tracked.filledLots ? order.filledLots : tracked.filledLots;
    tracked.orderId = order.id;
    tracked.lastPushAtMs = nowMs;
    // A replayed `open` after a cancel was accepted must not undo the cancel (protocol §6).
    if (!isTerminal && tracked.status === 'placing') {
      tracked.status = 'resting';
      tracked.restingSinceMs = nowMs;
    }
    if (isTerminal) this.finish(order.clOrdId, nowMs);
    return { tracked, newlyFilledLots, isTerminal, isAdopted };
  }

  markCancelling(clOrdId: string, nowMs: number): void {
    const tracked = this.#byClientId.get(clOrdId);
    if (!tracked) return;
    tracked.status = 'cancelling';
    tracked.sentAtMs = nowMs;
  }

  /** Forget an order: it finished, or it was never placed. */
  finish(clOrdId: string, nowMs: number): void {
    this.#byClientId.delete(clOrdId);
    // Re-inserting keeps the map in time order, which pruning relies on.
    this.#finished.delete(clOrdId);
    this.#finished.set(clOrdId, nowMs);
    this.#pruneFinished(nowMs);
  }

  /** Every tracked order, copied for observers. */
  views(): OwnOrderView[] {
    return this.all().map(({ clOrdId, side, purpose, priceTicks, qtyLots, filledLots, status, sentAtMs }) => ({
      clOrdId,
      side,
      purpose,
      priceTicks,
      qtyLots,
      filledLots,
      status,
      sentAtMs,
    }));
  }

  /** The quote orders as the planner sees them. */
  quotes(): OwnOrder[] {
    const quotes: OwnOrder[] = [];
    for (const tracked of this.#byClientId.values()) {
      if (tracked.purpose !== 'quote' || tracked.priceTicks === null) continue;
      quotes.push({
        ref: refOf(tracked),
        side: tracked.side,
        priceTicks: tracked.priceTicks,
        qtyLots: tracked.qtyLots,
        status: tracked.status,
        restingSinceMs: tracked.restingSinceMs,
      });
    }
    return quotes;
  }

  #adopt(order: Order, nowMs: number): TrackedOrder {
    const tracked: TrackedOrder = {
      clOrdId: order.clOrdId,
      side: order.side,
      purpose: order.reduceOnly || order.type === 'market' ? 'flatten' : 'quote',
      priceTicks: order.priceTicks,
      qtyLots: order.qtyLots,
      status: 'resting',
      orderId: order.id,
      filledLots: order.filledLots,
      sentAtMs: nowMs,
      placedAtMs: nowMs,
      lastPushAtMs: nowMs,
      // Unknown: counted from now, so an adopted quote is not taken for one that has rested long.
      restingSinceMs: nowMs,
    };
    this.#byClientId.set(order.clOrdId, tracked);
    return tracked;
  }

  #pruneFinished(nowMs: number): void {
    for (const [clOrdId, at] of this.#finished) {
      if (nowMs - at <= this.#finishedRetentionMs) break;
      this.#finished.delete(clOrdId);
    }
  }
}

/** Cancel by exchange id when known (cheapest for the exchange to find), else by our client id. */
export function refOf(tracked: TrackedOrder): OrderRef {
  return tracked.orderId !== null ? { orderId: tracked.orderId } : { clOrdId: tracked.clOrdId };
}
