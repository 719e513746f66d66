import { describe, expect, it } from 'vitest';
import type { StateSample } from '../../../src/bench/soak-accounting.js';
import { computeSoakFigures, isErrorOutput, isFlatQty, type SoakRecord } from '../../../src/bench/soak-figures.js';
import { renderSoakMarkdown, soakSummaryLine } from '../../../src/bench/soak-markdown.js';
import { parseSoakArgs } from '../../../src/bench/soak-options.js';
import type { ScheduledFault } from '../../../src/bench/soak-schedule.js';

const T0 = 1_900_000_000_000;
const MB = 1_048_576;

function at(offsetMs: number, change: Partial<StateSample> = {}): StateSample {
  return { atMs: T0 + offsetMs, bids: 1, asks: 1, isFlat: true, connections: 2, commands: 0, ...change };
}

function fault(index: number, kind: ScheduledFault['kind'], startMs: number, durationMs: number): ScheduledFault {
  return { index, kind, startMs, durationMs, params: {} };
}

/** A 10-minute window: a restart with a double bid after it, a silent fill held 20 s, and a burst of commands. */
const RECORD: SoakRecord = {
  windowStartMs: T0,
  stopMs: T0 + 600_000,
  faults: [
    { fault: fault(1, 'restart', 10_000, 4_000), startMs: T0 + 10_000, endMs: T0 + 14_000, detail: 'down 4.0 s, orders kept' },
    { fault: fault(2, 'fill-push-lost', 30_000, 0), startMs: T0 + 30_000, endMs: T0 + 30_000, detail: 'filled 0.0100 of the buy' },
  ],
  samples: [
    at(0),
    at(10_000, { connections: 0, commands: 2 }),
    at(15_000, { bids: 2, commands: 4 }),
    at(16_500, { bids: 1, commands: 30 }),
    at(30_000, { bids: 0, isFlat: false, commands: 30 }),
    at(50_000, { commands: 33 }),
    at(599_000, { bids: 3, commands: 35 }),
  ],
  meter: { elapsedMs: 600_000, twoSidedInBandMs: 540_000, twoSidedMarkMs: 480_000, requoteGapsMs: [] },
  ordersLeft: 0,
  finalPosition: '0.0000',
  exitCode: 0,
  logText: [
    JSON.stringify({ level: 50, time: new Date(T0 + 20_000).toISOString(), msg: 'flatten failed: will retry' }),
    JSON.stringify({ level: 50, time: new Date(T0 + 599_500).toISOString(), msg: 'late error' }),
  ].join('\n'),
  stderr: ['(node:1) Warning: something leaked', 'plain output'],
  rss: [
    { atMs: T0, bytes: 70 * MB },
    { atMs: T0 + 300_000, bytes: 80 * MB },
    { atMs: T0 + 600_000, bytes: 88 * MB },
  ],
};

describe('computeSoakFigures', () => {
  const figures = computeSoakFigures(RECORD);

  it('times each recovery from the fault’s end and keeps the slowest per kind', () => {
    expect(figures.faults.map((f) => [f.kind, f.startS, f.endS, f.recoveryMs])).toEqual([
      ['restart', 10, 14, 1_000],
      ['fill-push-lost', 30, 30, 20_000],
    ]);
    expect(figures.byKind).toEqual([
      { kind: 'restart', count: 1, unrecovered: 0, slowestMs: 1_000 },
      { kind: 'fill-push-lost', count: 1, unrecovered: 0, slowestMs: 20_000 },
    ]);
    expect(figures.slowestRecoveryMs).toBe(20_000);
  });

  it('measures duplicate quotes, time with a position and commands per second', () => {
    expect(figures.duplicates).toEqual({ overTwoS: 1, twoOver1sEpisodes: 1, longestTwoS: 1.5, longEpisodes: [{ startS: 15, durationS: 1.5 }] });
    expect(figures.unflat).toEqual({ seconds: 20, episodes: 1, longestS: 20, longEpisodes: [{ startS: 30, durationS: 20 }] });
    expect(figures.commands).toEqual({ total: 35, maxInAnySecond: 26, secondsOverLimit: 1 });
  });

  it('takes uptime from the meter, counts unrecovered errors and error output, and RSS growth from minute 5', () => {
    expect(figures.uptime).toEqual({ elapsedS: 600, twoSidedPct: 90, creditedPct: 80 });
    expect(figures.errors).toMatchObject({ recoveredErrors: 1, unhandled: 2, stderr: ['(node:1) Warning: something leaked'] });
    expect(figures.errors.unrecovered.map((entry) => entry.msg)).toEqual(['late error']);
    expect(figures.rss).toEqual({ startMb: 70, minute5Mb: 80, endMb: 88, growthPct: 10 });
  });

  it('has no minute-5 figure in a shorter run', () => {
    expect(computeSoakFigures({ ...RECORD, rss: RECORD.rss.slice(0, 1) }).rss).toEqual({ startMb: 70, minute5Mb: null, endMb: 70, growthPct: null });
  });
});

describe('helpers', () => {
  it.each([['0.0000', true], ['-0.0000', true], ['0', true], ['0.0100', false], ['-0.0001', false]])('isFlatQty(%s) is %s', (qty, expected) => {
    expect(isFlatQty(qty)).toBe(expected);
  });

  it.each([['Error: boom', true], ['(node:7) UnhandledPromiseRejectionWarning', true], ['hello', false]])('isErrorOutput(%s) is %s', (line, expected) => {
    expect(isErrorOutput(line)).toBe(expected);
  });
});

describe('the report', () => {
  const figures = computeSoakFigures(RECORD);
  const doc = { generatedAt: '2030-01-01T00:00:00.000Z', machine: 'test box', options: parseSoakArgs(['--seed', '5']), qty: '0.0100', band: '7–10 bps', figures };

  it('lays out the headline figures, the faults and the episodes', () => {
    const markdown = renderSoakMarkdown(doc);
    for (const expected of [
      '| Faults injected | 2 (0 not recovered before the next) |',
      '| Slowest recovery | 20.00 s |',
      '| Two-sided uptime (both sides in the mid band) | 90.00 % of 600 s |',
      '| Two quotes on a side for over 1 s | 1 episodes, longest 1.50 s |',
      '| Order commands per second | max 26; 1 s over 20; 35 in all |',
      '| Orders left after stop / final position / exit code | 0 / 0.0000 / 0 |',
      '| restart | 1 | 0 | 1.00 s |',
      '| 2 | fill-push-lost | filled 0.0100 of the buy | 30.0 s | 30.0 s | 20.00 s | yes | 20.00 s |',
      '- at 30.0 s for 20.00 s',
      '`late error`',
    ]) {
      expect(markdown).toContain(expected);
    }
  });

  it('summarises on one line of JSON', () => {
    const line = soakSummaryLine(figures, 5);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ seed: 5, faults: 2, slowestRecoveryMs: 20_000, unflatLongestS: 20, ordersLeft: 0, exitCode: 0, unhandledErrors: 2, rssGrowthPct: 10 });
  });
});
