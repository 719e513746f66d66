// One reduce-only flatten at a time. A flatten stays "in flight" until its order is finished and
// the position has moved (position pushes can trail order pushes), so that a lagging position
// never triggers a second flatten; failures retry with backoff.

import { abs } from '../domain/decimal.js';
import type { Side } from '../domain/types.js';
import type { PlannedFlatten } from './plan.js';
import type { Clock } from '../ops/clock.js';

interface InFlight {
  readonly clOrdId: string;
  readonly side: Side;
  readonly qtyLots: bigint;
  finishedAtMs: number | null;
}

/** How long a finished flatten waits for the position push before another may go out. */
const POSITION_GRACE_MS = 1_000;
const MAX_BACKOFF_STEPS = 4;

export class FlattenTracker {
  readonly #clock: Clock;
  readonly #retryMs: number;
  #inFlight: InFlight | null = null;
  #sentSinceOpen: { side: Side; qtyLots: bigint } | null = null;
  #retryAtMs = 0;
  #failures = 0;

  constructor(clock: Clock, retryMs: number) {
    this.#clock = clock;
    this.#retryMs = retryMs;
  }

  isBusy(): boolean {
    return this.#inFlight !== null || this.#clock.now() < this.#retryAtMs;
  }

  canSend(nowMs: number): boolean {
    return this.#inFlight === null && nowMs >= this.#retryAtMs;
  }

  onSent(clOrdId: string, flatten: PlannedFlatten, positionLots: bigint): void {
    this.#inFlight = { clOrdId, side: flatten.side, qtyLots: flatten.qtyLots, finishedAtMs: null };
    // The position when the first of its flattens went out: later ones see what is left of it.
    const previous = this.#sentSinceOpen?.qtyLots ?? 0n;
    const lots = abs(positionLots);
    this.#sentSinceOpen = { side: flatten.side, qtyLots: lots > previous ? lots : previous };
  }

  onOrderFinished(clOrdId: string, isFilled: boolean): void {
    if (this.#inFlight?.clOrdId !== clOrdId) return;
    if (isFilled) this.#inFlight.finishedAtMs = this.#clock.now();
    else this.#inFlight = null;
  }

  /** Returns what was flattened when the position has just gone flat after a flatten. */
  onPosition(beforeLots: bigint, afterLots: bigint): { side: Side; qtyLots: bigint } | null {
    if (this.#inFlight?.finishedAtMs !== null && afterLots !== beforeLots) this.#inFlight = null;
    if (afterLots !== 0n || beforeLots === 0n) return null;
    const flattened = this.#sentSinceOpen;
    this.#sentSinceOpen = null;
    this.#inFlight = null;
    this.#failures = 0;
    return flattened;
  }

  expireGrace(nowMs: number): void {
    const finishedAtMs = this.#inFlight?.finishedAtMs;
    if (finishedAtMs !== null && finishedAtMs !== undefined && nowMs - finishedAtMs > POSITION_GRACE_MS) this.#inFlight = null;
  }

  /** Records a failed flatten; returns consecutive failures. */
  onFailed(nowMs: number): number {
    this.#inFlight = null;
    this.#failures += 1;
    this.#retryAtMs = nowMs + this.#retryMs * 2 ** Math.min(this.#failures - 1, MAX_BACKOFF_STEPS);
    return this.#failures;
  }
}
