// Orders on the account that this run did not place: other people's (left alone, warned about once)
// and other runs' of this daemon (an earlier run's leftovers are cancelled; any of them is reported
// through the loop's `otherRunOrder` event, which the second-quoter guard watches).

import type { EventEmitter } from 'node:events';
import type { Order } from '../domain/types.js';
import type { Exchange } from '../exchange/exchange.js';
import type { Log } from '../ops/log.js';
import type { ClientIds } from './client-ids.js';
import { classifyOtherRunOrder } from './guards.js';
import type { MakerLoopEvents } from './observations.js';

export interface ForeignOrdersOptions {
  readonly exchange: Exchange;
  readonly ids: ClientIds;
  readonly log: Log;
  readonly events: EventEmitter<MakerLoopEvents>;
  /** While halted nothing of another run is cancelled: that would be a fight with a second quoter. */
  readonly isHalted: () => boolean;
  readonly onFailure: (error: unknown, what: string) => void;
}

export class ForeignOrders {
  readonly #o: ForeignOrdersOptions;
  readonly #warned = new Set<number>();
  readonly #cancelled = new Set<number>();

  constructor(options: ForeignOrdersOptions) {
    this.#o = options;
  }

  /** An order-channel push; true when the order is not this run's and the loop should ignore it. */
  onPush(order: Order): boolean {
    if (this.#o.ids.isOwnRun(order.clOrdId)) return false;
    this.#seen(order, 'stream');
    return true;
  }

  /** A reconcile read listed an order this run did not place. */
  onRead(order: Order): void {
    this.#seen(order, 'rest');
  }

  #seen(order: Order, via: 'stream' | 'rest'): void {
    if (order.state !== 'live') return;
    const { ids, log, events } = this.#o;
    if (!ids.isOwn(order.clOrdId)) {
      if (this.#warned.has(order.id)) return;
      this.#warned.add(order.id);
      log.warn({ orderId: order.id, clOrdId: order.clOrdId, side: order.side }, 'order not placed by this daemon: left alone');
      return;
    }
    events.emit('otherRunOrder', { order, via });
    const isLeftover = classifyOtherRunOrder(order, via, ids.startedAtMs) === 'leftover';
    if (!isLeftover || this.#o.isHalted() || this.#cancelled.has(order.id)) return;
    this.#cancelled.add(order.id);
    log.warn({ clOrdId: order.clOrdId, orderId: order.id }, 'order left by an earlier run: cancelling it');
    this.#o.exchange.cancelOrder({ orderId: order.id }).catch((error: unknown) => this.#o.onFailure(error, 'cancel of an earlier run\'s order failed'));
  }
}
