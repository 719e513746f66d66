// Client order ids. Every order the daemon places carries `<prefix>-<kind>-<run tag>-<counter>`, so
// that its own orders are recognised after a restart or a reconnect, orders it did not place are
// left alone, and an order of another run of the same account (a second quoter) stands out.

import type { Side } from '../domain/types.js';

export type OrderKind = 'bid' | 'ask' | 'flatten';

const KIND_CODE: Record<OrderKind, string> = { bid: 'b', ask: 'a', flatten: 'f' };
const ID_PATTERN = /^([a-z0-9]+)-[baf]-([0-9a-z]+)-[0-9a-z]+$/;

export class ClientIds {
  readonly #prefix: string;
  #counter = 0;
  /** This run's tag: its start time in base 36, so that a later run's tag sorts after it. */
  readonly runTag: string;
  readonly startedAtMs: number;

  constructor(prefix: string, startedAtMs: number) {
    this.#prefix = prefix;
    this.startedAtMs = startedAtMs;
    this.runTag = startedAtMs.toString(36);
  }

  next(kind: OrderKind): string {
    this.#counter += 1;
    return `${this.#prefix}-${KIND_CODE[kind]}-${this.runTag}-${this.#counter.toString(36)}`;
  }

  /** Placed by standx-mm with this prefix, in any run. */
  isOwn(clOrdId: string): boolean {
    return clOrdId.startsWith(`${this.#prefix}-`);
  }

  /** Placed by this very run. */
  isOwnRun(clOrdId: string): boolean {
    return this.isOwn(clOrdId) && runTagOf(clOrdId) === this.runTag;
  }
}

/** The run tag of a well-formed standx-mm client id, or null. */
export function runTagOf(clOrdId: string): string | null {
  return ID_PATTERN.exec(clOrdId)?.[2] ?? null;
}

/** When the run that placed the order started (epoch ms), or null for a malformed id. */
export function runStartedAtMsOf(clOrdId: string): number | null {
  const tag = runTagOf(clOrdId);
  if (tag === null) return null;
  const ms = parseInt(tag, 36);
  return Number.isSafeInteger(ms) ? ms : null;
}

export function quoteKind(side: Side): OrderKind {
  return side === 'buy' ? 'bid' : 'ask';
}
