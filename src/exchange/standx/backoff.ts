// Capped exponential backoff with full jitter, shared by HTTP read retries and socket reconnects.

import type { RandomSource } from '../../domain/random.js';

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** Delay before retry number `attempt` (0-based): uniform in [0, min(maxMs, baseMs * 2^attempt)]. */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: RandomSource): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
