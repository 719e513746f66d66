// An order-preserving delay queue: each job runs no earlier than its own delay and never before
// a job pushed earlier. Used for injected one-way latency and delayed acks on a socket.

interface Job {
  readonly dueMs: number;
  readonly run: () => void;
}

/** Node timers may fire a fraction of a millisecond before a performance.now() deadline. */
const TIMER_SLACK_MS = 1;

export class DelayLine {
  readonly #monoNowMs: () => number;
  readonly #queue: Job[] = [];
  #timer: NodeJS.Timeout | undefined;
  #lastDueMs = 0;
  #closed = false;

  constructor(monoNowMs: () => number) {
    this.#monoNowMs = monoNowMs;
  }

  push(delayMs: number, run: () => void): void {
    if (this.#closed) return;
    const now = this.#monoNowMs();
    const dueMs = Math.max(now + delayMs, this.#lastDueMs);
    this.#lastDueMs = dueMs;
    if (dueMs <= now && this.#queue.length === 0) {
      run();
      return;
    }
    this.#queue.push({ dueMs, run });
    this.#schedule();
  }

  /** Drops pending jobs; later pushes are ignored. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    const head = this.#queue[0];
    if (this.#timer !== undefined || !head) return;
    this.#timer = setTimeout(() => this.#flush(), Math.max(0, head.dueMs - this.#monoNowMs()));
  }

  #flush(): void {
    this.#timer = undefined;
    const now = this.#monoNowMs();
    for (let head = this.#queue[0]; head && head.dueMs <= now + TIMER_SLACK_MS; head = this.#queue[0]) {
      this.#queue.shift();
      head.run();
      if (this.#closed) return;
    }
    this.#schedule();
  }
}
