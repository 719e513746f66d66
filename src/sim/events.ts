// The simulator's internal event bus: the engine announces state changes, the stream fan-out,
// the ws-api session router and the uptime meters listen. Synchronous, in emission order.

import type { OrderRecord, Side } from './accounts.js';

export interface TradeRecord {
  readonly id: number;
  readonly orderId: number;
  readonly address: string;
  readonly symbol: string;
  readonly side: Side;
  readonly priceTicks: bigint;
  readonly lots: bigint;
  readonly feeMoney: bigint;
  readonly pnlMoney: bigint;
  readonly isMaker: boolean;
  readonly timeMs: number;
}

/** The outcome of an order command sent over HTTP with x-session-id (protocol §6). */
export interface SessionResult {
  readonly sessionId: string;
  readonly requestId: string;
  readonly code: number;
  readonly message: string;
}

export type SimEvent =
  /** The book moved (a depth update). */
  | { readonly kind: 'market'; readonly symbol: string }
  /** A mark was published (the `price` channel). */
  | { readonly kind: 'mark'; readonly symbol: string }
  | { readonly kind: 'order'; readonly order: OrderRecord }
  | { readonly kind: 'position'; readonly address: string; readonly symbol: string }
  | { readonly kind: 'balance'; readonly address: string }
  | { readonly kind: 'trade'; readonly trade: TradeRecord }
  | { readonly kind: 'session-result'; readonly result: SessionResult };

export type SimListener = (event: SimEvent) => void;

export class EventHub {
  readonly #listeners = new Set<SimListener>();

  on(listener: SimListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(event: SimEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}
