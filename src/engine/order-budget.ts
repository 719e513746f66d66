// How many order commands (places, cancels, flattens) the loop may send: a sliding window per second
// and per minute on the monotonic clock. Risk reducers may use the whole budget; places leave a
// reserve in each window, so a flatten or a cancel is never starved by them.

export interface OrderBudgetLimits {
  /** At most this many commands in any 1 000 ms. */
  readonly perSecond: number;
  /** At most this many commands in any 60 000 ms. */
  readonly perMinute: number;
}

/** risk: flattens and cancels (they only ever reduce exposure); place: new quotes. */
export type CommandKind = 'risk' | 'place';

/**
 * The slots places leave free in each window: a flatten and a cancel on each side, what a sudden
 * move calls for at once (an overlapping extra quote is cancelled as slots free up). Never more
 * than half a window's limit, so that a small budget still lets places through.
 */
export const RISK_RESERVE = 3;

interface Window {
  readonly spanMs: number;
  readonly limit: number;
  readonly reserve: number;
}

export class OrderBudget {
  readonly #windows: readonly Window[];
  readonly #longestSpanMs: number;
  /** Monotonic times of the commands sent within the longest window, oldest first. */
  #sentAtMs: number[] = [];

  constructor(limits: OrderBudgetLimits) {
    this.#windows = [
      { spanMs: 1_000, limit: limits.perSecond, reserve: Math.min(RISK_RESERVE, Math.floor(limits.perSecond / 2)) },
      { spanMs: 60_000, limit: limits.perMinute, reserve: Math.min(RISK_RESERVE, Math.floor(limits.perMinute / 2)) },
    ];
    this.#longestSpanMs = Math.max(...this.#windows.map((window) => window.spanMs));
  }

  /** How many commands of this kind may go now (0 when none). */
  capacity(nowMs: number, kind: CommandKind): number {
    this.#prune(nowMs);
    let capacity = Number.POSITIVE_INFINITY;
    for (const window of this.#windows) {
      const free = this.#allowed(window, kind) - this.#countWithin(window, nowMs);
      capacity = Math.min(capacity, free);
    }
    return Math.max(0, capacity);
  }

  /** Counts one command sent now. */
  record(nowMs: number): void {
    this.#sentAtMs.push(nowMs);
  }

  /** Milliseconds until one more command of this kind fits (0 when one fits now). */
  waitMs(nowMs: number, kind: CommandKind): number {
    this.#prune(nowMs);
    let wait = 0;
    for (const window of this.#windows) {
      const within = this.#within(window, nowMs);
      const excess = within.length - this.#allowed(window, kind) + 1;
      if (excess <= 0) continue;
      // The window has room once its `excess` oldest commands have left it.
      const leavesAtMs = (within[excess - 1] ?? nowMs) + window.spanMs;
      wait = Math.max(wait, leavesAtMs - nowMs);
    }
    return wait;
  }

  #allowed(window: Window, kind: CommandKind): number {
    return kind === 'risk' ? window.limit : window.limit - window.reserve;
  }

  #countWithin(window: Window, nowMs: number): number {
    return this.#sentAtMs.length - this.#firstWithin(window.spanMs, nowMs);
  }

  #within(window: Window, nowMs: number): number[] {
    return this.#sentAtMs.slice(this.#firstWithin(window.spanMs, nowMs));
  }

  /** Index of the oldest command still inside a window of `spanMs` ending now (binary search). */
  #firstWithin(spanMs: number, nowMs: number): number {
    let lo = 0;
    let hi = this.#sentAtMs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#sentAtMs[mid] ?? nowMs) <= nowMs - spanMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #prune(nowMs: number): void {
    const first = this.#firstWithin(this.#longestSpanMs, nowMs);
    if (first > 0) this.#sentAtMs = this.#sentAtMs.slice(first);
  }
}
