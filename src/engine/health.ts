// Whether the daemon is doing its job, from its snapshot: the feed is fresh, every stream is up and it
// is quoting (or paused by the operator; a kill switch's halt is unhealthy). The reasons say what is wrong, for /healthz, status and logs.

import type { MakerSnapshot } from './observations.js';

export type DaemonState = 'quoting' | 'paused' | 'halted' | 'stale' | 'down' | 'stopped';

export interface Health {
  readonly isHealthy: boolean;
  readonly state: DaemonState;
  readonly reasons: readonly string[];
  /** Since the last depth frame; null before the first. */
  readonly lastBookAgeMs: number | null;
}

type HealthInput = Pick<MakerSnapshot, 'atMs' | 'lastBookAtMs' | 'isQuoting' | 'isStale' | 'streamsDown' | 'halt'>;

export function assessHealth(snapshot: HealthInput, staleAfterMs: number): Health {
  const lastBookAgeMs = snapshot.lastBookAtMs === null ? null : snapshot.atMs - snapshot.lastBookAtMs;
  const isFeedFresh = lastBookAgeMs !== null && !snapshot.isStale && lastBookAgeMs <= staleAfterMs;
  // An operator's pause is a state the operator chose; a kill switch's halt is something to act on.
  const isPaused = snapshot.halt?.kind === 'paused';
  const reasons: string[] = [];
  if (snapshot.halt !== null && !isPaused) reasons.push(`halted: ${snapshot.halt.detail}`);
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
  if (snapshot.halt !== null) return 'halted';
  return isFeedFresh ? 'quoting' : 'stale';
}
