// One timer that wakes the maker loop for another look: the earliest request wins, and stopping
// clears it. Commands held back (order budget, minimum rest) are retried by it, so they never wait
// for the next market event.

import type { Clock } from '../ops/clock.js';

export class WakeTimer {
  readonly #clock: Clock;
  readonly #onWake: () => void;
  #timer: NodeJS.Timeout | null = null;
  #dueAtMs = Number.POSITIVE_INFINITY;

  constructor(clock: Clock, onWake: () => void) {
    this.#clock = clock;
    this.#onWake = onWake;
  }

  /** Wakes after `delayMs` (whole milliseconds, at least one), unless a wake is already due by then. */
  after(delayMs: number): void {
    const waitMs = Math.max(1, Math.ceil(delayMs));
    const dueAtMs = this.#clock.monotonic() + waitMs;
    if (this.#timer !== null && this.#dueAtMs <= dueAtMs) return;
    this.clear();
    this.#dueAtMs = dueAtMs;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#dueAtMs = Number.POSITIVE_INFINITY;
      this.#onWake();
    }, waitMs);
  }

  clear(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#dueAtMs = Number.POSITIVE_INFINITY;
  }
}
