// The soak's report computed from what the run recorded on the simulator's side: samples, fault
// windows, the uptime meter, the end state, the daemon's log and its RSS. Pure.

import type { UptimeReport } from '../sim/index.js';
import { bytesToMb } from './figures.js';
import { commandRates, isQuoting, recoveries, spans, totalMs, type Span, type StateSample } from './soak-accounting.js';
import { classifyErrors, parseErrorLines, type LogEntry } from './soak-log.js';
import type { ScheduledFault, SoakFaultKind } from './soak-schedule.js';
import { uptimeFigures, type UptimeFigures } from './soak-uptime.js';

/** Protocol §8: a burst of 900 credits at 45 per request is 20 requests. */
export const COMMANDS_PER_SECOND_LIMIT = 20;
const DUPLICATE_EPISODE_MS = 1_000;
const MINUTE_5_MS = 300_000;

export interface InjectedFault {
  readonly fault: ScheduledFault;
  /** Wall-clock instants the fault was applied and lifted (a restart: the exchange back up). */
  readonly startMs: number;
  readonly endMs: number;
  /** What the injection did, e.g. the fill it forced, or why it found nothing to act on. */
  readonly detail: string;
}

export interface SoakRecord {
  readonly windowStartMs: number;
  /** When SIGTERM was sent. */
  readonly stopMs: number;
  readonly faults: readonly InjectedFault[];
  readonly samples: readonly StateSample[];
  readonly meter: UptimeReport;
  readonly ordersLeft: number;
  readonly finalPosition: string;
  readonly exitCode: number | null;
  readonly logText: string;
  /** Lines the daemon process wrote to stderr (Node prints uncaught errors and warnings there). */
  readonly stderr: readonly string[];
  readonly rss: readonly { readonly atMs: number; readonly bytes: number }[];
}

export interface FaultOutcome {
  readonly index: number;
  readonly kind: SoakFaultKind;
  readonly detail: string;
  readonly startS: number;
  readonly endS: number;
  readonly recoveryMs: number | null;
  readonly isDisturbed: boolean;
  readonly outOfStateMs: number;
  readonly wasOutAtStart: boolean;
}

export interface KindSummary {
  readonly kind: SoakFaultKind;
  readonly count: number;
  readonly unrecovered: number;
  readonly slowestMs: number | null;
}

/** An episode, in seconds from the window's start. */
export interface Episode {
  readonly startS: number;
  readonly durationS: number;
}

export interface SoakFigures {
  readonly windowS: number;
  readonly faults: readonly FaultOutcome[];
  readonly byKind: readonly KindSummary[];
  readonly slowestRecoveryMs: number | null;
  readonly uptime: UptimeFigures;
  readonly duplicates: {
    readonly overTwoS: number;
    readonly twoOver1sEpisodes: number;
    readonly longestTwoS: number;
    /** The episodes with two or more on a side lasting over 1 s. */
    readonly longEpisodes: readonly Episode[];
  };
  readonly unflat: { readonly seconds: number; readonly episodes: number; readonly longestS: number; readonly longEpisodes: readonly Episode[] };
  readonly commands: { readonly total: number; readonly maxInAnySecond: number; readonly secondsOverLimit: number };
  readonly end: { readonly ordersLeft: number; readonly finalPosition: string; readonly exitCode: number | null };
  readonly errors: {
    readonly unhandled: number;
    readonly fatal: readonly LogEntry[];
    readonly unrecovered: readonly LogEntry[];
    readonly recoveredErrors: number;
    readonly stderr: readonly string[];
  };
  readonly rss: { readonly startMb: number | null; readonly minute5Mb: number | null; readonly endMb: number | null; readonly growthPct: number | null };
}

export function isFlatQty(qty: string): boolean {
  return /^-?0*(\.0*)?$/.test(qty);
}

/** Lines Node writes for an uncaught exception, an unhandled rejection or a runtime warning. */
export function isErrorOutput(line: string): boolean {
  return /error|unhandled|uncaught|warning/i.test(line);
}

export function computeSoakFigures(record: SoakRecord): SoakFigures {
  const { samples, stopMs, windowStartMs } = record;
  const relS = (ms: number): number => (ms - windowStartMs) / 1_000;
  const recovered = recoveries(samples, record.faults, stopMs);
  const faults = record.faults.map((injected, index): FaultOutcome => {
    const recovery = recovered[index] ?? { recoveryMs: null, isDisturbed: false, outOfStateMs: 0, wasOutAtStart: false };
    const { fault } = injected;
    return { index: fault.index, kind: fault.kind, detail: injected.detail, startS: relS(injected.startMs), endS: relS(injected.endMs), ...recovery };
  });
  const maxSide = (sample: StateSample): number => Math.max(sample.bids, sample.asks);
  const twoOnASide = spans(samples, (sample) => maxSide(sample) >= 2, windowStartMs, stopMs);
  const longTwo = twoOnASide.filter((span) => span.endMs - span.startMs > DUPLICATE_EPISODE_MS);
  const unflat = spans(samples, (sample) => !sample.isFlat, windowStartMs, stopMs);
  const episode = (span: Span): Episode => ({ startS: relS(span.startMs), durationS: (span.endMs - span.startMs) / 1_000 });
  const longestS = (of: readonly Span[]): number => Math.max(0, ...of.map((span) => span.endMs - span.startMs)) / 1_000;
  const isCleanEnd = record.ordersLeft === 0 && isFlatQty(record.finalPosition) && record.exitCode === 0;
  const lastQuoting = samples.filter((sample) => sample.atMs < stopMs && isQuoting(sample)).at(-1);
  const errors = classifyErrors(parseErrorLines(record.logText), { lastQuotingMs: lastQuoting?.atMs ?? null, stopMs, isCleanEnd });
  const stderr = record.stderr.filter(isErrorOutput);
  const byKind = summarizeKinds(faults);
  return {
    windowS: relS(stopMs),
    faults,
    byKind,
    slowestRecoveryMs: byKind.reduce<number | null>((max, kind) => (kind.slowestMs === null ? max : Math.max(max ?? 0, kind.slowestMs)), null),
    uptime: uptimeFigures(record.meter),
    duplicates: {
      overTwoS: totalMs(spans(samples, (sample) => maxSide(sample) > 2, windowStartMs, stopMs)) / 1_000,
      twoOver1sEpisodes: longTwo.length,
      longestTwoS: longestS(twoOnASide),
      longEpisodes: longTwo.map(episode),
    },
    unflat: {
      seconds: totalMs(unflat) / 1_000,
      episodes: unflat.length,
      longestS: longestS(unflat),
      longEpisodes: unflat.filter((span) => span.endMs - span.startMs > DUPLICATE_EPISODE_MS).map(episode),
    },
    commands: commandRates(samples.filter((sample) => sample.atMs < stopMs), COMMANDS_PER_SECOND_LIMIT),
    end: { ordersLeft: record.ordersLeft, finalPosition: record.finalPosition, exitCode: record.exitCode },
    errors: { ...errors, unhandled: errors.fatal.length + errors.unrecovered.length + stderr.length, stderr },
    rss: rssFigures(record.rss, windowStartMs),
  };
}

function summarizeKinds(faults: readonly FaultOutcome[]): KindSummary[] {
  const kinds = [...new Set(faults.map((fault) => fault.kind))];
  return kinds.map((kind) => {
    const ofKind = faults.filter((fault) => fault.kind === kind);
    const times = ofKind.flatMap((fault) => (fault.recoveryMs === null ? [] : [fault.recoveryMs]));
    return { kind, count: ofKind.length, unrecovered: ofKind.length - times.length, slowestMs: times.length > 0 ? Math.max(...times) : null };
  });
}

function rssFigures(rss: SoakRecord['rss'], windowStartMs: number): SoakFigures['rss'] {
  const first = rss[0];
  const last = rss.at(-1);
  const minute5 = last && last.atMs - windowStartMs >= MINUTE_5_MS ? rss.find((sample) => sample.atMs - windowStartMs >= MINUTE_5_MS) : undefined;
  const mb = (sample: { bytes: number } | undefined): number | null => (sample ? bytesToMb(sample.bytes) : null);
  const growthPct = minute5 && last && minute5 !== last ? (100 * (last.bytes - minute5.bytes)) / minute5.bytes : null;
  return { startMb: mb(first), minute5Mb: mb(minute5), endMb: mb(last), growthPct };
}
