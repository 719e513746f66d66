// The daemon's credited time for a completed hour against the exchange's own record of it. The record
// may give seconds, or only whether the hour reached 42 or 30 minutes: then it bounds the credited time,
// and only a daemon figure more than 5 minutes outside those bounds counts as a disagreement.

import { FULL_TIER_MS, HALF_TIER_MS, HOUR_MS } from './uptime-accumulator.js';

export const MISMATCH_TOLERANCE_MS = 5 * 60_000;

export interface RecordedHour {
  readonly creditedSeconds: number | null;
  /** x70 / x50 */
  readonly reachedFull: boolean | null;
  readonly reachedHalf: boolean | null;
  /** eligible_hour: 1, 0.5 or 0. */
  readonly eligibleHours: number | null;
  readonly tier: string | null;
}

export interface HourComparison {
  /** What the record implies, as a range of credited time [lo, hi]; null when it implies nothing. */
  readonly exchangeRangeMs: readonly [number, number] | null;
  readonly isMismatch: boolean;
  /** The record in a few words, for the log and the alert. */
  readonly exchange: string;
}

function rangeOf(recorded: RecordedHour): readonly [number, number] | null {
  if (recorded.creditedSeconds !== null) return [recorded.creditedSeconds * 1000, recorded.creditedSeconds * 1000];
  const level = recorded.reachedFull ?? (recorded.eligibleHours === null ? null : recorded.eligibleHours >= 1);
  if (level === true) return [FULL_TIER_MS, HOUR_MS];
  const half = recorded.reachedHalf ?? (recorded.eligibleHours === null ? null : recorded.eligibleHours > 0);
  if (level === false && half === true) return [HALF_TIER_MS, FULL_TIER_MS - 1];
  if (level === false && half === false) return [0, HALF_TIER_MS - 1];
  return null;
}

function describe(recorded: RecordedHour): string {
  const parts: string[] = [];
  if (recorded.creditedSeconds !== null) parts.push(`${Math.round(recorded.creditedSeconds / 60)} min credited`);
  if (recorded.tier !== null) parts.push(recorded.tier);
  if (recorded.reachedFull !== null) parts.push(`x70 ${recorded.reachedFull ? 'yes' : 'no'}`);
  if (recorded.reachedHalf !== null) parts.push(`x50 ${recorded.reachedHalf ? 'yes' : 'no'}`);
  if (recorded.eligibleHours !== null) parts.push(`eligible ${recorded.eligibleHours} h`);
  return parts.length === 0 ? 'no figures' : parts.join(', ');
}

export function compareHour(daemonCreditedMs: number, recorded: RecordedHour): HourComparison {
  const range = rangeOf(recorded);
  const isMismatch =
    range !== null && (daemonCreditedMs < range[0] - MISMATCH_TOLERANCE_MS || daemonCreditedMs > range[1] + MISMATCH_TOLERANCE_MS);
  return { exchangeRangeMs: range, isMismatch, exchange: describe(recorded) };
}
