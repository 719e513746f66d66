// Keeping the loop's picture of its orders and position true to the exchange: the single-flight
// REST reconcile, settling requests whose outcome never showed, and forgetting refused cancels whose
// order is gone. Decisions come from reconcile.ts; this module carries them out.

import type { Order } from '../domain/types.js';
import type { Exchange } from '../exchange/exchange.js';
import type { Clock } from '../ops/clock.js';
import type { Log } from '../ops/log.js';
import type { ClientIds } from './client-ids.js';
import type { FlattenTracker } from './flatten-tracker.js';
import type { MakerTiming } from './maker-options.js';
import type { OwnOrders, TrackedOrder } from './own-orders.js';
import type { PositionState } from './position-state.js';
import { reconcileOrders } from './reconcile.js';

export interface OrderSyncOptions {
  readonly exchange: Exchange;
  readonly clock: Clock;
  readonly log: Log;
  readonly ids: ClientIds;
  readonly timing: Pick<MakerTiming, 'restLagMs' | 'settleMs'>;
  readonly orders: OwnOrders;
  readonly position: PositionState;
  readonly flatten: FlattenTracker;
  /** Sends a cancel the way the loop does (tracked, counted, logged, within the order budget). */
  readonly cancel: (tracked: TrackedOrder, reason: string) => void;
  /** Cancels an own order the loop does not track; false when the order budget has no room now. */
  readonly cancelUnknown: (order: Order) => boolean;
  /** An open order this run did not place: someone else's or another run's (ForeignOrders decides). */
  readonly onForeign: (order: Order) => void;
  readonly onFailure: (error: unknown, what: string) => void;
  /** Something the planner reads changed. */
  readonly onChange: () => void;
}

export class OrderSync {
  readonly #o: OrderSyncOptions;
  #reconciling: Promise<void> | null = null;
  /** Unknown own orders whose cancel waits for the order budget: retried on every settle. */
  #unknownToCancel: Order[] = [];

  constructor(options: OrderSyncOptions) {
    this.#o = options;
  }

  /** Reads open orders and the position over REST and repairs drift. Single-flight. */
  reconcile(): Promise<void> {
    this.#reconciling ??= this.#reconcileOnce().finally(() => (this.#reconciling = null));
    return this.#reconciling;
  }

  /** Requests with no visible outcome: cancel by client id (harmless if it never existed) and re-send stuck cancels. */
  settleStuck(nowMs: number): void {
    const { orders, flatten, timing } = this.#o;
    this.#unknownToCancel = this.#unknownToCancel.filter((order) => !this.#o.cancelUnknown(order));
    for (const tracked of orders.all()) {
      if (nowMs - tracked.sentAtMs <= timing.settleMs) continue;
      if (tracked.status === 'placing' && tracked.purpose === 'flatten') {
        orders.finish(tracked.clOrdId, nowMs);
        flatten.onOrderFinished(tracked.clOrdId, false);
        void this.reconcile();
      } else if (tracked.status === 'placing' || tracked.status === 'cancelling') {
        this.#o.cancel(tracked, tracked.status === 'placing' ? 'no outcome' : 'cancel not confirmed');
      }
    }
  }

  /**
   * A refused cancel whose order REST does not list is gone (cleanup.ts applies the same rule): its
   * final push was lost, e.g. sent while ws-stream reconnected. Without this the settle timer re-sends
   * the cancel for ever, and each re-send refreshes sentAtMs so reconcile never forgets the order.
   */
  async forgetIfNotOpen(clOrdId: string): Promise<void> {
    const { exchange, orders, clock, log } = this.#o;
    const open = await exchange.openOrders().catch(() => null);
    if (open === null || orders.get(clOrdId)?.status !== 'cancelling' || open.some((order) => order.clOrdId === clOrdId)) return;
    log.warn({ clOrdId }, 'cancel refused and the order is not open: forgetting it');
    orders.finish(clOrdId, clock.now());
    this.#o.onChange();
  }

  async #reconcileOnce(): Promise<void> {
    const { exchange, clock, timing, ids, orders, log } = this.#o;
    try {
      const [restOpen, position] = await Promise.all([exchange.openOrders(), exchange.position()]);
      const now = clock.now();
      const decision = reconcileOrders({
        nowMs: now,
        restLagMs: timing.restLagMs,
        tracked: orders.all(),
        restOpen,
        isOwn: (clOrdId) => ids.isOwnRun(clOrdId),
        wasFinishedWithinLag: (clOrdId) => orders.finishedWithin(clOrdId, now, timing.restLagMs),
      });
      for (const tracked of decision.forget) {
        log.warn({ clOrdId: tracked.clOrdId, status: tracked.status }, 'order no longer on the exchange: forgetting it');
        orders.finish(tracked.clOrdId, now);
      }
      for (const order of decision.cancelUnknown) {
        log.warn({ clOrdId: order.clOrdId, orderId: order.id }, 'unknown own order on the exchange: cancelling it');
      }
      this.#unknownToCancel = decision.cancelUnknown.filter((order) => !this.#o.cancelUnknown(order));
      for (const order of decision.foreign) this.#o.onForeign(order);
      const change = this.#o.position.adoptRead(position, now);
      if (change && change.afterLots !== change.beforeLots) {
        log.warn({ restQtyLots: change.afterLots.toString(), localQtyLots: change.beforeLots.toString() }, 'position drift repaired from REST');
      }
    } catch (error) {
      log.warn({ err: error }, 'reconcile failed: will retry');
      this.#o.onFailure(error, 'reconcile failed');
    }
  }
}
