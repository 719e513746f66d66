// Episode accounting of the soak from the simulator's sampled view of the account: recovery after
// each fault, duplicate quotes, time with a position, and order commands per second. Pure: each
// sample's state holds until the next one, and every figure is a function of the samples.

export interface StateSample {
  /** Wall-clock milliseconds. */
  readonly atMs: number;
  /** Own resting (status open) orders per side. */
  readonly bids: number;
  readonly asks: number;
  readonly isFlat: boolean;
  /** WebSocket connections open to the simulator: the daemon's stream and order sockets. */
  readonly connections: number;
  /** New orders plus cancel requests the simulator has received so far. */
  readonly commands: number;
}

export interface FaultWindow {
  readonly startMs: number;
  /** When the fault was lifted; for a restart, when the exchange came back. */
  readonly endMs: number;
}

export interface Span {
  readonly startMs: number;
  readonly endMs: number;
}

export interface Recovery {
  /** From the fault's end to the start of the first settled quoting span before the next fault; null if none. */
  readonly recoveryMs: number | null;
  /** Whether the account was out of the quoting state at all between the fault's start and its recovery. */
  readonly isDisturbed: boolean;
  /** Time out of the quoting state from the fault's start to the next fault (or the stop). */
  readonly outOfStateMs: number;
  /** Out of the quoting state already when the fault began: an earlier fault's damage shares the figures. */
  readonly wasOutAtStart: boolean;
}

export interface CommandRates {
  readonly total: number;
  /** The most commands in any window of one second ending at a sample. */
  readonly maxInAnySecond: number;
  /** Whole seconds from the first sample with more than the limit. */
  readonly secondsOverLimit: number;
}

/** A recovery must hold this long (or until the next fault) to count: a state the daemon is about to undo is not one. */
export const SETTLE_MS = 1_000;
/** The daemon keeps two sockets: ws-stream and ws-api. */
const DAEMON_SOCKETS = 2;

/** Both own quotes resting, no position, and both of the daemon's sockets connected. */
export function isQuoting(sample: StateSample): boolean {
  return sample.bids >= 1 && sample.asks >= 1 && sample.isFlat && sample.connections >= DAEMON_SOCKETS;
}

/** The spans within [fromMs, toMs) in which `holds` is true; before the first sample nothing holds. */
export function spans(samples: readonly StateSample[], holds: (sample: StateSample) => boolean, fromMs: number, toMs: number): Span[] {
  const found: Span[] = [];
  samples.forEach((sample, index) => {
    const startMs = Math.max(sample.atMs, fromMs);
    const endMs = Math.min(samples[index + 1]?.atMs ?? toMs, toMs);
    if (endMs <= startMs || !holds(sample)) return;
    const last = found.at(-1);
    if (last && last.endMs === startMs) found[found.length - 1] = { startMs: last.startMs, endMs };
    else found.push({ startMs, endMs });
  });
  return found;
}

export function totalMs(of: readonly Span[]): number {
  return of.reduce((sum, span) => sum + span.endMs - span.startMs, 0);
}

/** Each fault's recovery, attributed until the next fault starts (or the stop). */
export function recoveries(samples: readonly StateSample[], faults: readonly FaultWindow[], stopMs: number): Recovery[] {
  const isOut = (sample: StateSample): boolean => !isQuoting(sample);
  return faults.map((fault, index) => {
    const deadlineMs = Math.min(faults[index + 1]?.startMs ?? stopMs, stopMs);
    const settled = spans(samples, isQuoting, fault.endMs, deadlineMs).find(
      (span) => span.endMs - span.startMs >= SETTLE_MS || span.endMs >= deadlineMs,
    );
    const atStart = samples.filter((sample) => sample.atMs < fault.startMs).at(-1);
    return {
      wasOutAtStart: atStart !== undefined && !isQuoting(atStart),
      recoveryMs: settled ? settled.startMs - fault.endMs : null,
      isDisturbed: totalMs(spans(samples, isOut, fault.startMs, settled?.startMs ?? deadlineMs)) > 0,
      outOfStateMs: totalMs(spans(samples, isOut, fault.startMs, deadlineMs)),
    };
  });
}

/** Commands per second, from the cumulative counts the samples carry. */
export function commandRates(samples: readonly StateSample[], limitPerSecond: number): CommandRates {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) return { total: 0, maxInAnySecond: 0, secondsOverLimit: 0 };
  const windowStart = cursor(samples);
  let maxInAnySecond = 0;
  for (const sample of samples) maxInAnySecond = Math.max(maxInAnySecond, sample.commands - windowStart(sample.atMs - 1_000));
  const countAt = cursor(samples);
  let secondsOverLimit = 0;
  let previous = countAt(first.atMs);
  for (let second = first.atMs + 1_000; second < last.atMs + 1_000; second += 1_000) {
    const current = countAt(second);
    if (current - previous > limitPerSecond) secondsOverLimit += 1;
    previous = current;
  }
  return { total: last.commands - first.commands, maxInAnySecond, secondsOverLimit };
}

/** Reads the cumulative count at non-decreasing instants in one pass: the last sample at or before, else the first. */
function cursor(samples: readonly StateSample[]): (atMs: number) => number {
  let index = 0;
  return (atMs) => {
    while ((samples[index + 1]?.atMs ?? Infinity) <= atMs) index += 1;
    return samples[index]?.commands ?? 0;
  };
}
