// A fake Clock whose sleeps end only when the test advances time, in due order, so that a simulator
// running on its own timers (autoRun) can be driven through minutes of server time without waiting.

import type { Clock } from '../../src/ops/clock.js';

export interface SteppedClock extends Clock {
  /** Moves time forward by `ms`, waking every sleeper due on the way (each at its own due time). */
  advance(ms: number): Promise<void>;
  /** Moves time forward by `ms` without waking anyone (a stalled process); advance(0) then wakes the due. */
  jump(ms: number): void;
}

interface Sleeper {
  readonly dueMs: number;
  readonly resolve: () => void;
}

/** Lets woken loops run until they sleep again. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function steppedClock(startMs = 1_700_000_000_000): SteppedClock {
  let nowMs = 0;
  const sleepers = new Set<Sleeper>();
  const earliestDue = (limitMs: number): Sleeper | undefined => {
    let found: Sleeper | undefined;
    for (const sleeper of sleepers) if (sleeper.dueMs <= limitMs && (!found || sleeper.dueMs < found.dueMs)) found = sleeper;
    return found;
  };
  return {
    now: () => startMs + nowMs,
    monotonic: () => nowMs,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const sleeper: Sleeper = { dueMs: nowMs + ms, resolve };
        sleepers.add(sleeper);
        signal?.addEventListener(
          'abort',
          () => {
            sleepers.delete(sleeper);
            reject(signal.reason);
          },
          { once: true },
        );
      }),
    advance: async (ms) => {
      const targetMs = nowMs + ms;
      for (;;) {
        await settle();
        const next = earliestDue(targetMs);
        if (!next) break;
        nowMs = Math.max(nowMs, next.dueMs);
        sleepers.delete(next);
        next.resolve();
      }
      nowMs = targetMs;
    },
    jump: (ms) => {
      nowMs += ms;
    },
  };
}
