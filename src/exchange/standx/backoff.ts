// Capped exponential backoff with full jitter, shared by HTTP read retries and socket reconnects.

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** A random source in [0, 1): injected so that tests are deterministic. */
export type RandomSource = () => number;

/** Delay before retry number `attempt` (0-based): uniform in [0, min(maxMs, baseMs * 2^attempt)]. */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: RandomSource): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Deterministic PRNG (mulberry32) for seeded randomness in the simulator and in tests. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
