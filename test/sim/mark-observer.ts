// Watches a RegimeProcess the way the live measurements watched StandX: |published mark − mid| at
// every depth update, the spacing of mark pushes, and book jumps (≥ 8 bps within 2 s) classified
// by when the published mark covered half of them: already (first), later (late) or not (never).

import type { RegimeProcess } from '../../src/sim/regime-process.js';

export type FollowKind = 'first' | 'late' | 'never';

export interface ObservedJump {
  readonly atMs: number;
  readonly sizeBps: number;
  readonly kind: FollowKind;
  /** Late only: from the book's move to the first push covering half of it. */
  readonly halfMs: number | null;
}

export interface MarkObservation {
  /** Signed (published mark − mid) in bps, one per depth update. */
  readonly gapsBps: number[];
  readonly markSpacingsMs: number[];
  readonly depthSpacingsMs: number[];
  readonly jumps: ObservedJump[];
}

export const JUMP_MIN_BPS = 8;
const JUMP_WINDOW_MS = 2_000;
/** A later push than this after the book's move does not count as following it. */
const FOLLOW_WINDOW_MS = 10_000;
const BPS = 10_000;

interface OpenJump {
  readonly atMs: number;
  readonly fromTicks: number;
  readonly moveTicks: number;
}

function bps(value: number, reference: number): number {
  return ((value - reference) / reference) * BPS;
}

/** Runs `process` for `durationMs` of simulated time (after `warmUpMs`) and records what was seen. */
export function observe(process: RegimeProcess, durationMs: number, warmUpMs = 0): MarkObservation {
  while (process.nextEventAtMs <= warmUpMs) process.runNext();
  const observation: MarkObservation = { gapsBps: [], markSpacingsMs: [], depthSpacingsMs: [], jumps: [] };
  const mids: { atMs: number; ticks: number }[] = [];
  const open: OpenJump[] = [];
  let lastMarkMs = process.published.atMs;
  let lastDepthMs = process.nowMs;
  let lastJumpMs = Number.NEGATIVE_INFINITY;
  const markTicks = (): number => Number(process.published.markUnits) / 100;
  const progress = (jump: OpenJump): number => (markTicks() - jump.fromTicks) / jump.moveTicks;
  const endMs = process.nowMs + durationMs;
  while (process.nextEventAtMs <= endMs) {
    const event = process.runNext();
    const now = process.nowMs;
    if (event === 'mark') {
      observation.markSpacingsMs.push(now - lastMarkMs);
      lastMarkMs = now;
      for (const jump of [...open]) {
        if (progress(jump) < 0.5) continue;
        observation.jumps.push({ atMs: jump.atMs, sizeBps: bps(jump.fromTicks + jump.moveTicks, jump.fromTicks), kind: 'late', halfMs: now - jump.atMs });
        open.splice(open.indexOf(jump), 1);
      }
      continue;
    }
    observation.depthSpacingsMs.push(now - lastDepthMs);
    lastDepthMs = now;
    const mid = Number(process.fairTicks);
    observation.gapsBps.push(bps(markTicks(), mid));
    for (const jump of [...open]) {
      if (now - jump.atMs <= FOLLOW_WINDOW_MS) continue;
      observation.jumps.push({ atMs: jump.atMs, sizeBps: bps(jump.fromTicks + jump.moveTicks, jump.fromTicks), kind: 'never', halfMs: null });
      open.splice(open.indexOf(jump), 1);
    }
    while (mids.length > 1 && (mids[1]?.atMs ?? now) <= now - JUMP_WINDOW_MS) mids.shift();
    mids.push({ atMs: now, ticks: mid });
    const from = mids[0]?.ticks ?? mid;
    if (Math.abs(bps(mid, from)) < JUMP_MIN_BPS || now - lastJumpMs < JUMP_WINDOW_MS) continue;
    lastJumpMs = now;
    const jump = { atMs: now, fromTicks: from, moveTicks: mid - from };
    if (progress(jump) >= 0.5) observation.jumps.push({ atMs: now, sizeBps: bps(mid, from), kind: 'first', halfMs: null });
    else open.push(jump);
  }
  return observation;
}

/** The q-quantile (0..1) by nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
