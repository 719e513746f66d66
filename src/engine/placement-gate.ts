// When the loop may place quotes. A post-only rejection waits for the next book (the price it was
// computed from is already gone); margin and size rejections pause with exponential backoff so
// that a funding or configuration problem does not hammer the exchange.

export class PlacementGate {
  readonly #baseMs: number;
  readonly #maxMs: number;
  #pausedUntilMs = 0;
  #strikes = 0;
  #holdUntilBookSeq = 0;

  constructor(baseMs: number, maxMs: number) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
  }

  isPaused(nowMs: number, bookSeq: number): boolean {
    return nowMs < this.#pausedUntilMs || bookSeq < this.#holdUntilBookSeq;
  }

  holdUntilNextBook(bookSeq: number): void {
    this.#holdUntilBookSeq = bookSeq + 1;
  }

  /**
   * Pauses placements; returns the new pause length, or null when already paused (both quotes of
   * one batch are usually refused together: that is one strike, not two).
   */
  pause(nowMs: number): number | null {
    if (nowMs < this.#pausedUntilMs) return null;
    this.#strikes += 1;
    const pauseMs = Math.min(this.#maxMs, this.#baseMs * 2 ** Math.min(this.#strikes - 1, 20));
    this.#pausedUntilMs = nowMs + pauseMs;
    return pauseMs;
  }

  /** A quote rests again: the problem is gone, the next pause starts short. */
  onResting(): void {
    this.#strikes = 0;
  }
}
