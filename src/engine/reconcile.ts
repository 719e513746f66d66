// Pure decisions for reconciling what the daemon believes with a REST read of open orders.
// REST open-order reads can lag the WS order channel by 15 s or more (protocol §8), so nothing
// is re-placed or cancelled on the strength of a read that may simply be old.

import type { Order } from '../domain/types.js';
import type { TrackedOrder } from './own-orders.js';

export interface ReconcileInput {
  readonly nowMs: number;
  /** How far REST reads may trail the order channel. */
  readonly restLagMs: number;
  readonly tracked: readonly TrackedOrder[];
  /** Every open order REST reports on the symbol (own and foreign). */
  readonly restOpen: readonly Order[];
  readonly isOwn: (clOrdId: string) => boolean;
  /** True when the order channel reported the id finished within the REST lag. */
  readonly wasFinishedWithinLag: (clOrdId: string) => boolean;
}

export interface ReconcileDecision {
  /** Tracked orders REST no longer has and the order channel has been silent about for longer than the lag: gone. */
  readonly forget: readonly TrackedOrder[];
  /** Own orders on the exchange the daemon does not track: cancel them. */
  readonly cancelUnknown: readonly Order[];
  /** Orders the daemon did not place: leave them alone, warn. */
  readonly foreign: readonly Order[];
}

export function reconcileOrders(input: ReconcileInput): ReconcileDecision {
  const restByClientId = new Map<string, Order>();
  const foreign: Order[] = [];
  for (const order of input.restOpen) {
    if (input.isOwn(order.clOrdId)) restByClientId.set(order.clOrdId, order);
    else foreign.push(order);
  }
  const trackedIds = new Set(input.tracked.map((tracked) => tracked.clOrdId));
  const forget = input.tracked.filter((tracked) => {
    if (restByClientId.has(tracked.clOrdId)) return false;
    const lastHeardMs = Math.max(tracked.sentAtMs, tracked.lastPushAtMs ?? 0);
    return input.nowMs - lastHeardMs > input.restLagMs;
  });
  const cancelUnknown = [...restByClientId.values()].filter(
    (order) => !trackedIds.has(order.clOrdId) && !input.wasFinishedWithinLag(order.clOrdId),
  );
  return { forget, cancelUnknown, foreign };
}
