// The account's position on the symbol as the loop believes it: position pushes as they come, and
// REST reads adopted only when they cannot be older than what the pushes already said.

import type { Position } from '../domain/types.js';

export interface PositionChange {
  readonly beforeLots: bigint;
  readonly afterLots: bigint;
}

export class PositionState {
  readonly #restLagMs: number;
  #position: Position | null = null;
  #pushAtMs = Number.NEGATIVE_INFINITY;

  constructor(restLagMs: number) {
    this.#restLagMs = restLagMs;
  }

  get lots(): bigint {
    return this.#position?.qtyLots ?? 0n;
  }

  applyPush(position: Position, nowMs: number): PositionChange {
    const beforeLots = this.lots;
    this.#position = position;
    this.#pushAtMs = nowMs;
    return { beforeLots, afterLots: position.qtyLots };
  }

  /**
   * A REST read. A reduce-only flatten cannot overshoot, so a non-zero read is adopted at once; a flat
   * read only replaces a push older than the REST lag. Returns the change when the read was adopted.
   */
  adoptRead(position: Position, nowMs: number): PositionChange | null {
    const isPushOld = nowMs - this.#pushAtMs > this.#restLagMs;
    if (position.qtyLots === 0n && !isPushOld) return null;
    const beforeLots = this.lots;
    this.#position = position;
    return { beforeLots, afterLots: position.qtyLots };
  }
}
