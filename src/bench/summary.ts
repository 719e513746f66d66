// Aggregates runs into medians (with min and max) per policy and signer, picks the default policy
// and signer by the numbers, and checks the issue's goals. Pure, like figures.ts.

import type { RequotePolicy } from '../engine/plan.js';
import type { SignerBackend } from '../exchange/standx/signing.js';
import { median, type RunFigures, type SigningFigures } from './figures.js';

export const SUMMARY_FIGURES = [
  'inBandPct',
  'markPct',
  'gapP50Ms',
  'gapP99Ms',
  'tickToOrderP50Us',
  'tickToOrderP99Us',
  'orderMessagesPerHour',
  'fillsPerHour',
  'cpuPct',
  'peakRssMb',
] as const;
export type SummaryFigure = (typeof SUMMARY_FIGURES)[number];

export interface Spread {
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

export interface GroupSummary {
  readonly policy: RequotePolicy;
  readonly signer: SignerBackend;
  readonly runs: number;
  readonly figures: Readonly<Record<SummaryFigure, Spread>>;
}

export function spreadOf(values: readonly (number | null)[]): Spread {
  const present = values.filter((value): value is number => value !== null);
  if (present.length === 0) return { median: null, min: null, max: null };
  return { median: median(present), min: Math.min(...present), max: Math.max(...present) };
}

/** One summary per (policy, signer), in the order the pairs first appear. */
export function summarizeRuns(runs: readonly RunFigures[]): GroupSummary[] {
  const groups = new Map<string, RunFigures[]>();
  for (const run of runs) {
    const key = `${run.policy}/${run.signer}`;
    const group = groups.get(key);
    if (group) group.push(run);
    else groups.set(key, [run]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as RunFigures; // groups are created with one run
    const figures = Object.fromEntries(
      SUMMARY_FIGURES.map((name) => [name, spreadOf(group.map((run) => run[name]))]),
    ) as Record<SummaryFigure, Spread>;
    return { policy: first.policy, signer: first.signer, runs: group.length, figures };
  });
}

export interface Choice<T> {
  readonly value: T;
  readonly reason: string;
}

const orLowest = (value: number | null): number => value ?? Number.NEGATIVE_INFINITY;
const orHighest = (value: number | null): number => value ?? Number.POSITIVE_INFINITY;

/** Highest median in-band uptime; ties go to the higher mark uptime, then the shorter p99 gap. */
export function choosePolicy(groups: readonly GroupSummary[], signer: SignerBackend): Choice<RequotePolicy> | null {
  const candidates = groups.filter((group) => group.signer === signer);
  const ranked = [...candidates].sort(
    (a, b) =>
      orLowest(b.figures.inBandPct.median) - orLowest(a.figures.inBandPct.median) ||
      orLowest(b.figures.markPct.median) - orLowest(a.figures.markPct.median) ||
      orHighest(a.figures.gapP99Ms.median) - orHighest(b.figures.gapP99Ms.median),
  );
  const best = ranked[0];
  if (!best) return null;
  const others = ranked.slice(1).map((group) => `${group.policy} ${pct(group.figures.inBandPct.median)}`);
  const reason = `highest median two-sided in-band uptime: ${best.policy} ${pct(best.figures.inBandPct.median)}${others.length > 0 ? ` vs ${others.join(', ')}` : ''}`;
  return { value: best.policy, reason };
}

/**
 * With the winning policy: the lower median tick-to-order p99 when the runs separate the two best
 * backends (two or more runs each, every p99 of one below every p99 of the other); otherwise the
 * p99 tail is within run-to-run noise (scheduling, GC) and the lower median p50, where the signing
 * cost shows directly, decides. Without daemon runs for two backends, the signing micro-benchmark's p99.
 */
export function chooseSigner(
  groups: readonly GroupSummary[],
  policy: RequotePolicy,
  signing: readonly SigningFigures[],
): Choice<SignerBackend> | null {
  const candidates = groups.filter((group) => group.policy === policy && group.figures.tickToOrderP99Us.median !== null);
  if (candidates.length < 2) return chooseBySigning(signing);
  const byP99 = [...candidates].sort((a, b) => orHighest(a.figures.tickToOrderP99Us.median) - orHighest(b.figures.tickToOrderP99Us.median));
  const [best, runnerUp] = byP99 as [GroupSummary, GroupSummary]; // length checked above
  const listed = (figure: 'tickToOrderP99Us' | 'tickToOrderP50Us', ranked: readonly GroupSummary[]): string =>
    ranked.map((group) => `${group.signer} ${us(group.figures[figure].median)}`).join(' vs ');
  if (isSeparated(best, runnerUp)) {
    return { value: best.signer, reason: `lowest median tick-to-order p99 with ${policy}, every run apart: ${listed('tickToOrderP99Us', byP99)}` };
  }
  const byP50 = [...candidates].sort((a, b) => orHighest(a.figures.tickToOrderP50Us.median) - orHighest(b.figures.tickToOrderP50Us.median));
  const winner = byP50[0] as GroupSummary; // same length as byP99
  return {
    value: winner.signer,
    reason: `lowest median tick-to-order p50 with ${policy}: ${listed('tickToOrderP50Us', byP50)}; the p99s (${listed('tickToOrderP99Us', byP99)}) are within run-to-run noise`,
  };
}

function isSeparated(best: GroupSummary, runnerUp: GroupSummary): boolean {
  const bestMax = best.figures.tickToOrderP99Us.max;
  const runnerUpMin = runnerUp.figures.tickToOrderP99Us.min;
  return best.runs >= 2 && runnerUp.runs >= 2 && bestMax !== null && runnerUpMin !== null && bestMax < runnerUpMin;
}

function chooseBySigning(signing: readonly SigningFigures[]): Choice<SignerBackend> | null {
  const ranked = [...signing].sort((a, b) => orHighest(a.p99Us) - orHighest(b.p99Us));
  const best = ranked[0];
  if (!best) return null;
  const others = ranked.slice(1).map((figures) => `${figures.backend} ${us(figures.p99Us)}`);
  return { value: best.backend, reason: `lowest signing p99: ${best.backend} ${us(best.p99Us)}${others.length > 0 ? ` vs ${others.join(', ')}` : ''}` };
}

export interface Goal {
  readonly name: string;
  readonly target: string;
  readonly actual: string;
  /** Null when the run did not produce the figure. */
  readonly isMet: boolean | null;
}

export const GOAL_MIN_IN_BAND_PCT = 99.5;
export const GOAL_MAX_TICK_TO_ORDER_P99_US = 1_000;
export const GOAL_MAX_CPU_PCT = 5;
export const GOAL_MAX_PEAK_RSS_MB = 100;

/**
 * The issue's goals, judged on the default (policy, signer) group: medians, and the worst run's
 * peak RSS. `floorP99Us`: the floor benchmark's p99 at the push cadence, shown beside the daemon's.
 */
export function checkGoals(group: GroupSummary, reference: GroupSummary | null, floorP99Us: number | null): Goal[] {
  const { figures } = group;
  const uptime = figures.inBandPct.median;
  const referenceNote = reference ? ` (reference: ${pct(reference.figures.inBandPct.median)})` : '';
  const floorNote = floorP99Us === null ? '' : ` (machine floor: ${us(floorP99Us)})`;
  return [
    goal(`two-sided in-band uptime, ${group.policy}`, `≥ ${GOAL_MIN_IN_BAND_PCT} %`, `${pct(uptime)}${referenceNote}`, uptime, (v) => v >= GOAL_MIN_IN_BAND_PCT),
    goal('tick-to-order p99', `< ${GOAL_MAX_TICK_TO_ORDER_P99_US} µs`, `${us(figures.tickToOrderP99Us.median)}${floorNote}`, figures.tickToOrderP99Us.median, (v) => v < GOAL_MAX_TICK_TO_ORDER_P99_US),
    goal('daemon CPU', `< ${GOAL_MAX_CPU_PCT} % of one core`, `${fixed(figures.cpuPct.median, 2)} %`, figures.cpuPct.median, (v) => v < GOAL_MAX_CPU_PCT),
    goal('daemon peak RSS (worst run)', `< ${GOAL_MAX_PEAK_RSS_MB} MB`, `${fixed(figures.peakRssMb.max, 1)} MB`, figures.peakRssMb.max, (v) => v < GOAL_MAX_PEAK_RSS_MB),
  ];
}

function goal(name: string, target: string, actual: string, value: number | null, test: (value: number) => boolean): Goal {
  return { name, target, actual, isMet: value === null ? null : test(value) };
}

export function fixed(value: number | null, digits: number): string {
  return value === null ? '–' : value.toFixed(digits);
}

function pct(value: number | null): string {
  return `${fixed(value, 2)} %`;
}

function us(value: number | null): string {
  return `${fixed(value, 0)} µs`;
}
