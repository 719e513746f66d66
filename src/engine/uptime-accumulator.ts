// Per-UTC-hour quoting uptime, as pure functions of an immutable state: how long both quotes rested
// in the daemon's own band and how long they were credited by the exchange's rules (protocol §11.4),
// the tier an hour reaches, and during the hour whether the full tier is still within reach.

export const HOUR_MS = 3_600_000;
/** 42 minutes (70 %) credit the hour in full; 30 minutes (50 %) credit half of it. */
export const FULL_TIER_MS = 42 * 60_000;
export const HALF_TIER_MS = 30 * 60_000;

export type UptimeTier = 'full' | 'half' | 'none';

/** What held at one moment: both quotes in the own band, both credited (near the mark, big enough). */
export interface UptimeSample {
  readonly isInBand: boolean;
  readonly isCredited: boolean;
}

export interface HourUptime {
  /** The hour's first millisecond (UTC). */
  readonly hourStartMs: number;
  readonly inBandMs: number;
  readonly creditedMs: number;
}

export interface UptimeState {
  readonly hour: HourUptime;
  /** The hour is counted up to here; the sample held since. */
  readonly countedToMs: number;
  readonly sample: UptimeSample;
}

export interface Accrual {
  readonly state: UptimeState;
  /** Hours that ended on the way, oldest first. */
  readonly completed: readonly HourUptime[];
}

export interface HourProjection extends HourUptime {
  readonly remainingMs: number;
  /** Credited so far plus the rest of the hour, if the quotes stay credited. */
  readonly projectedCreditedMs: number;
  readonly tierSoFar: UptimeTier;
  readonly canReachFull: boolean;
  readonly canReachHalf: boolean;
}

const NOTHING: UptimeSample = { isInBand: false, isCredited: false };

export function hourStartOf(atMs: number): number {
  return Math.floor(atMs / HOUR_MS) * HOUR_MS;
}

export function tierOf(creditedMs: number): UptimeTier {
  if (creditedMs >= FULL_TIER_MS) return 'full';
  return creditedMs >= HALF_TIER_MS ? 'half' : 'none';
}

/** A fresh count from `atMs`, with nothing credited yet. */
export function startUptime(atMs: number): UptimeState {
  return { hour: { hourStartMs: hourStartOf(atMs), inBandMs: 0, creditedMs: 0 }, countedToMs: atMs, sample: NOTHING };
}

/**
 * Resumes a count saved before a restart: the time the daemon was down counts as neither in band
 * nor credited, and the saved hour is completed if the restart fell in a later hour.
 */
export function resumeUptime(saved: { hour: HourUptime; countedToMs: number } | null, atMs: number): Accrual {
  if (saved === null || saved.countedToMs > atMs || hourStartOf(saved.countedToMs) !== saved.hour.hourStartMs) {
    return { state: startUptime(atMs), completed: [] };
  }
  return accrue({ hour: saved.hour, countedToMs: saved.countedToMs, sample: NOTHING }, atMs);
}

/** Counts the time up to `atMs` with the sample that held, closing every hour boundary on the way. */
export function accrue(state: UptimeState, atMs: number): Accrual {
  if (atMs <= state.countedToMs) return { state, completed: [] };
  const completed: HourUptime[] = [];
  let hour = state.hour;
  let fromMs = state.countedToMs;
  for (let endMs = hour.hourStartMs + HOUR_MS; endMs <= atMs; endMs = hour.hourStartMs + HOUR_MS) {
    completed.push(add(hour, state.sample, endMs - fromMs));
    // With nothing to count, the hours in between are empty: jump over them.
    const nextStartMs = state.sample.isInBand || state.sample.isCredited ? endMs : hourStartOf(atMs);
    hour = { hourStartMs: nextStartMs, inBandMs: 0, creditedMs: 0 };
    fromMs = nextStartMs;
  }
  return { state: { hour: add(hour, state.sample, atMs - fromMs), countedToMs: atMs, sample: state.sample }, completed };
}

/** Counts up to `atMs` with what held before, then records what holds from now on. */
export function observe(state: UptimeState, atMs: number, sample: UptimeSample): Accrual {
  const accrual = accrue(state, atMs);
  return { state: { ...accrual.state, sample }, completed: accrual.completed };
}

/** The current hour as of `atMs` (counted up to then), and what it can still reach. */
export function projectHour(state: UptimeState, atMs: number): HourProjection {
  const { hour, countedToMs } = accrue(state, Math.max(atMs, state.countedToMs)).state;
  const remainingMs = Math.max(0, hour.hourStartMs + HOUR_MS - countedToMs);
  const projectedCreditedMs = hour.creditedMs + remainingMs;
  return {
    ...hour,
    remainingMs,
    projectedCreditedMs,
    tierSoFar: tierOf(hour.creditedMs),
    canReachFull: projectedCreditedMs >= FULL_TIER_MS,
    canReachHalf: projectedCreditedMs >= HALF_TIER_MS,
  };
}

function add(hour: HourUptime, sample: UptimeSample, ms: number): HourUptime {
  return {
    hourStartMs: hour.hourStartMs,
    inBandMs: hour.inBandMs + (sample.isInBand ? ms : 0),
    creditedMs: hour.creditedMs + (sample.isCredited ? ms : 0),
  };
}
