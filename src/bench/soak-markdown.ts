// Lays out the soak's report as markdown (bench/soak.md) and its one-line JSON summary. Pure:
// every figure arrives computed.

import { fixed } from './summary.js';
import { COMMANDS_PER_SECOND_LIMIT, type Episode, type SoakFigures } from './soak-figures.js';
import type { LogEntry } from './soak-log.js';
import type { SoakOptions } from './soak-options.js';

export interface SoakDocument {
  readonly generatedAt: string;
  readonly machine: string;
  readonly options: SoakOptions;
  readonly qty: string;
  readonly band: string;
  readonly figures: SoakFigures;
}

const LISTED_LOG_LINES = 20;

function seconds(ms: number | null): string {
  return ms === null ? 'not recovered' : `${fixed(ms / 1_000, 2)} s`;
}

function logLine(entry: LogEntry): string {
  const at = Number.isFinite(entry.timeMs) ? new Date(entry.timeMs).toISOString() : '?';
  return `- ${at} \`${entry.msg}\`${entry.err ? ` (${entry.err})` : ''}`;
}

function headline(doc: SoakDocument): string[] {
  const { figures: f } = doc;
  const unrecovered = f.faults.filter((fault) => fault.recoveryMs === null).length;
  return [
    '| Figure | Value |',
    '|---|---|',
    `| Faults injected | ${f.faults.length} (${unrecovered} not recovered before the next) |`,
    `| Slowest recovery | ${seconds(f.slowestRecoveryMs)} |`,
    `| Two-sided uptime (both sides in the mid band) | ${fixed(f.uptime.twoSidedPct, 2)} % of ${fixed(f.uptime.elapsedS, 0)} s |`,
    `| Credited uptime (both sides within 10 bps of the mark) | ${fixed(f.uptime.creditedPct, 2)} % |`,
    `| More than two own quotes on a side | ${fixed(f.duplicates.overTwoS, 2)} s |`,
    `| Two quotes on a side for over 1 s | ${f.duplicates.twoOver1sEpisodes} episodes, longest ${fixed(f.duplicates.longestTwoS, 2)} s |`,
    `| Time with a position | ${fixed(f.unflat.seconds, 2)} s in ${f.unflat.episodes} episodes, longest ${fixed(f.unflat.longestS, 2)} s |`,
    `| Order commands per second | max ${f.commands.maxInAnySecond}; ${f.commands.secondsOverLimit} s over ${COMMANDS_PER_SECOND_LIMIT}; ${f.commands.total} in all |`,
    `| Orders left after stop / final position / exit code | ${f.end.ordersLeft} / ${f.end.finalPosition} / ${String(f.end.exitCode)} |`,
    `| Unhandled errors | ${f.errors.unhandled} (${f.errors.fatal.length} fatal, ${f.errors.unrecovered.length} error lines without recovery, ${f.errors.stderr.length} stderr) |`,
    `| Daemon RSS start / minute 5 / end | ${fixed(f.rss.startMb, 1)} / ${fixed(f.rss.minute5Mb, 1)} / ${fixed(f.rss.endMb, 1)} MB (growth from minute 5: ${f.rss.growthPct === null ? '–' : `${fixed(f.rss.growthPct, 1)} %`}) |`,
  ];
}

function faultTables(f: SoakFigures): string[] {
  return [
    '## Recovery by kind',
    '',
    '| Kind | Injected | Not recovered | Slowest recovery |',
    '|---|---|---|---|',
    ...f.byKind.map((kind) => `| ${kind.kind} | ${kind.count} | ${kind.unrecovered} | ${seconds(kind.slowestMs)} |`),
    '',
    '## Faults',
    '',
    '| # | Kind | Detail | Start | End | Recovery | Disturbed | Out of state |',
    '|---|---|---|---|---|---|---|---|',
    ...f.faults.map(
      (fault) =>
        `| ${fault.index} | ${fault.kind} | ${fault.detail} | ${fixed(fault.startS, 1)} s | ${fixed(fault.endS, 1)} s | ${seconds(fault.recoveryMs)} | ` +
        `${fault.wasOutAtStart ? 'already at start' : fault.isDisturbed ? 'yes' : 'no'} | ${fixed(fault.outOfStateMs / 1_000, 2)} s |`,
    ),
  ];
}

function episodeList(title: string, episodes: readonly Episode[]): string[] {
  if (episodes.length === 0) return [`${title}: none.`];
  return [`${title}:`, ...episodes.map((episode) => `- at ${fixed(episode.startS, 1)} s for ${fixed(episode.durationS, 2)} s`)];
}

function errorSection(f: SoakFigures): string[] {
  const listed = (entries: readonly LogEntry[]): string[] =>
    entries.length === 0 ? ['none'] : [...entries.slice(0, LISTED_LOG_LINES).map(logLine), ...(entries.length > LISTED_LOG_LINES ? [`- … ${entries.length - LISTED_LOG_LINES} more`] : [])];
  return [
    '## Errors',
    '',
    `Error lines the account recovered from (quoting two-sided and flat again after them): ${f.errors.recoveredErrors}.`,
    '',
    'Fatal lines (uncaught exceptions and unhandled rejections end here):',
    ...listed(f.errors.fatal),
    '',
    'Error lines without recovery:',
    ...listed(f.errors.unrecovered),
    '',
    'Error output on stderr:',
    ...(f.errors.stderr.length === 0 ? ['none'] : f.errors.stderr.slice(0, LISTED_LOG_LINES).map((line) => `    ${line}`)),
  ];
}

export function renderSoakMarkdown(doc: SoakDocument): string {
  const { options: o, figures: f } = doc;
  return [
    `# Soak: ${fixed(f.windowS / 60, 1)} min of faults against the simulator`,
    '',
    `Generated ${doc.generatedAt} on ${doc.machine}. Seed ${o.seed}; latency ${o.latencyMs} ms; depth push every ${o.pushIntervalMs} ms; ` +
      `a fault every ${o.everyS[0]}–${o.everyS[1]} s lasting ${o.lastingS[0]}–${o.lastingS[1]} s, at least ${o.quietS} s quiet after each; ` +
      `state sampled every ${o.sampleMs} ms; quote size ${doc.qty}; band ${doc.band}.`,
    '',
    'Everything is measured on the simulator’s side. Recovered = both own quotes resting, the position flat and both daemon ' +
      'sockets connected, held for 1 s (or until the next fault); timed from the fault’s end (a restart: from the exchange coming ' +
      'back) to the start of that state. Out of state = time not in it from the fault’s start to the next fault.',
    '',
    ...headline(doc),
    '',
    ...faultTables(f),
    '',
    '## Episodes over 1 s',
    '',
    ...episodeList('Two or more own quotes on a side', f.duplicates.longEpisodes),
    '',
    ...episodeList('A position held', f.unflat.longEpisodes),
    '',
    ...errorSection(f),
    '',
  ].join('\n');
}

/** One line of JSON with the headline figures, for scripts and the integration test. */
export function soakSummaryLine(figures: SoakFigures, seed: number): string {
  return JSON.stringify({
    seed,
    windowS: Math.round(figures.windowS),
    faults: figures.faults.length,
    faultsNotRecovered: figures.faults.filter((fault) => fault.recoveryMs === null).length,
    slowestRecoveryMs: figures.slowestRecoveryMs,
    twoSidedPct: Number(fixed(figures.uptime.twoSidedPct, 2)),
    creditedPct: Number(fixed(figures.uptime.creditedPct, 2)),
    overTwoQuotesS: figures.duplicates.overTwoS,
    twoQuotesOver1sEpisodes: figures.duplicates.twoOver1sEpisodes,
    unflatS: figures.unflat.seconds,
    unflatLongestS: figures.unflat.longestS,
    maxCommandsPerSecond: figures.commands.maxInAnySecond,
    secondsOver20Commands: figures.commands.secondsOverLimit,
    ordersLeft: figures.end.ordersLeft,
    finalPosition: figures.end.finalPosition,
    exitCode: figures.end.exitCode,
    unhandledErrors: figures.errors.unhandled,
    rssGrowthPct: figures.rss.growthPct,
  });
}
