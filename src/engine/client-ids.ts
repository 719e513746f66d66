// Client order ids. Every order the daemon places carries `<prefix>-<kind>-<unique>`, so that its
// own orders are recognised after a restart or a reconnect and orders it did not place are left alone.

import type { Side } from '../domain/types.js';

export type OrderKind = 'bid' | 'ask' | 'flatten';

const KIND_CODE: Record<OrderKind, string> = { bid: 'b', ask: 'a', flatten: 'f' };

export class ClientIds {
  readonly #prefix: string;
  #counter = 0;
  readonly #epoch: string;

  /** `startedAtMs` makes ids unique across restarts of the same account. */
  constructor(prefix: string, startedAtMs: number) {
    this.#prefix = prefix;
    this.#epoch = startedAtMs.toString(36);
  }

  next(kind: OrderKind): string {
    this.#counter += 1;
    return `${this.#prefix}-${KIND_CODE[kind]}-${this.#epoch}-${this.#counter.toString(36)}`;
  }

  isOwn(clOrdId: string): boolean {
    return clOrdId.startsWith(`${this.#prefix}-`);
  }
}

export function quoteKind(side: Side): OrderKind {
  return side === 'buy' ? 'bid' : 'ask';
}
