// Whether the daemon is doing its job, from its snapshot: the feed is fresh, every stream is up and it
// is quoting (or held by the operator). The reasons say what is wrong, for /healthz, status and logs.

import type { MakerSnapshot } from './observations.js';

export type DaemonState = 'quoting' | 'paused' | 'stale' | 'down' | 'stopped';

export interface Health {
  readonly isHealthy: boolean;
  readonly state: DaemonState;
  readonly reasons: readonly string[];
  /** Since the last depth frame; null before the first. */
  readonly lastBookAgeMs: number | null;
}

type HealthInput = Pick<MakerSnapshot, 'atMs' | 'lastBookAtMs' | 'isQuoting' | 'isStale' | 'streamsDown' | 'isPausedByOperator'>;

export function assessHealth(snapshot: HealthInput, staleAfterMs: number): Health {
  const lastBookAgeMs = snapshot.lastBookAtMs === null ? null : snapshot.atMs - snapshot.lastBookAtMs;
  const isFeedFresh = lastBookAgeMs !== null && !snapshot.isStale && lastBookAgeMs <= staleAfterMs;
  const isPaused = snapshot.isPausedByOperator === true;
  const reasons: string[] = [];
  if (lastBookAgeMs === null) reasons.push('no depth frame yet');
  else if (!isFeedFresh) reasons.push(`feed stale: last depth frame ${lastBookAgeMs} ms ago`);
  if (snapshot.streamsDown.length > 0) reasons.push(`streams down: ${snapshot.streamsDown.join(', ')}`);
  if (!snapshot.isQuoting && !isPaused) reasons.push('not quoting');
  return { isHealthy: reasons.length === 0, state: stateOf(snapshot, isPaused, isFeedFresh), reasons, lastBookAgeMs };
}

function stateOf(snapshot: HealthInput, isPaused: boolean, isFeedFresh: boolean): DaemonState {
  if (!snapshot.isQuoting && !isPaused) return 'stopped';
  if (snapshot.streamsDown.length > 0) return 'down';
  if (isPaused) return 'paused';
  return isFeedFresh ? 'quoting' : 'stale';
}
