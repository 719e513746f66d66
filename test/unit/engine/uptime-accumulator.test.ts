import { describe, expect, it } from 'vitest';
import {
  accrue,
  FULL_TIER_MS,
  HALF_TIER_MS,
  HOUR_MS,
  hourStartOf,
  observe,
  projectHour,
  resumeUptime,
  startUptime,
  tierOf,
  type HourUptime,
  type UptimeSample,
  type UptimeState,
} from '../../../src/engine/uptime-accumulator.js';

const H0 = Date.UTC(2026, 10, 3, 10, 0, 0);
const MIN = 60_000;
const SEC = 1_000;
const BOTH: UptimeSample = { isInBand: true, isCredited: true };
const BAND_ONLY: UptimeSample = { isInBand: true, isCredited: false };
const CREDIT_ONLY: UptimeSample = { isInBand: false, isCredited: true };
const NONE: UptimeSample = { isInBand: false, isCredited: false };

type Step = readonly [atMs: number, sample: UptimeSample];

/** Plays a scripted path of observations and returns the final state and every completed hour. */
function play(startMs: number, steps: readonly Step[], endMs: number): { state: UptimeState; completed: HourUptime[] } {
  let state = startUptime(startMs);
  const completed: HourUptime[] = [];
  for (const [atMs, sample] of steps) {
    const result = observe(state, atMs, sample);
    state = result.state;
    completed.push(...result.completed);
  }
  const last = accrue(state, endMs);
  return { state: last.state, completed: [...completed, ...last.completed] };
}

describe('counting within one hour', () => {
  it.each<[string, Step[], number, number, number]>([
    ['nothing observed', [], 10 * MIN, 0, 0],
    ['credited and in band from the start', [[H0, BOTH]], 10 * MIN, 10 * MIN, 10 * MIN],
    ['in band only', [[H0, BAND_ONLY]], 10 * MIN, 10 * MIN, 0],
    ['credited only', [[H0, CREDIT_ONLY]], 10 * MIN, 0, 10 * MIN],
    ['on for 90.5 s, off for 30 s, on for 15.25 s', [[H0, BOTH], [H0 + 90_500, NONE], [H0 + 120_500, BOTH]], 135_750, 105_750, 105_750],
    ['the mark drifts away for 7 s', [[H0, BOTH], [H0 + 20 * SEC, BAND_ONLY], [H0 + 27 * SEC, BOTH]], 60 * SEC, 60 * SEC, 53 * SEC],
    ['a repeated sample changes nothing', [[H0, BOTH], [H0 + 5 * SEC, BOTH], [H0 + 6 * SEC, BOTH]], 10 * SEC, 10 * SEC, 10 * SEC],
    ['an observation from the past is ignored for time', [[H0, BOTH], [H0 + 10 * SEC, BOTH], [H0 + 5 * SEC, NONE]], 20 * SEC, 10 * SEC, 10 * SEC],
  ])('%s', (_name, steps, elapsedMs, inBandMs, creditedMs) => {
    const { state, completed } = play(H0, steps, H0 + elapsedMs);
    expect(completed).toEqual([]);
    expect(state.hour).toEqual({ hourStartMs: H0, inBandMs, creditedMs });
  });
});

describe('hour and day boundaries', () => {
  it('splits a stretch across the hour at the exact millisecond', () => {
    const { state, completed } = play(H0 + 59 * MIN, [[H0 + 59 * MIN + 30 * SEC, BOTH]], H0 + HOUR_MS + 45 * SEC);
    expect(completed).toEqual([{ hourStartMs: H0, inBandMs: 30 * SEC, creditedMs: 30 * SEC }]);
    expect(state.hour).toEqual({ hourStartMs: H0 + HOUR_MS, inBandMs: 45 * SEC, creditedMs: 45 * SEC });
  });

  it('closes an hour observed exactly at its end with nothing in the next one', () => {
    const { state, completed } = play(H0, [[H0, BOTH], [H0 + HOUR_MS, NONE]], H0 + HOUR_MS);
    expect(completed).toEqual([{ hourStartMs: H0, inBandMs: HOUR_MS, creditedMs: HOUR_MS }]);
    expect(state.hour).toEqual({ hourStartMs: H0 + HOUR_MS, inBandMs: 0, creditedMs: 0 });
  });

  it('crosses midnight UTC into the next day', () => {
    const lastHour = Date.UTC(2026, 10, 3, 23, 0, 0);
    const { state, completed } = play(lastHour + 50 * MIN, [[lastHour + 50 * MIN, BOTH]], lastHour + HOUR_MS + 2 * MIN);
    expect(completed).toEqual([{ hourStartMs: lastHour, inBandMs: 10 * MIN, creditedMs: 10 * MIN }]);
    expect(new Date(state.hour.hourStartMs).toISOString()).toBe('2026-11-04T00:00:00.000Z');
    expect(state.hour.creditedMs).toBe(2 * MIN);
  });

  it('credits every hour of a long credited stretch in full', () => {
    const { completed, state } = play(H0, [[H0, BOTH]], H0 + 3 * HOUR_MS + 1);
    expect(completed.map((hour) => [hour.hourStartMs - H0, hour.creditedMs])).toEqual([
      [0, HOUR_MS],
      [HOUR_MS, HOUR_MS],
      [2 * HOUR_MS, HOUR_MS],
    ]);
    expect(state.hour.creditedMs).toBe(1);
  });

  it('jumps over empty hours instead of listing them', () => {
    const { completed, state } = play(H0, [[H0, BOTH], [H0 + 10 * MIN, NONE]], H0 + 5 * HOUR_MS + MIN);
    expect(completed).toEqual([{ hourStartMs: H0, inBandMs: 10 * MIN, creditedMs: 10 * MIN }]);
    expect(state.hour).toEqual({ hourStartMs: H0 + 5 * HOUR_MS, inBandMs: 0, creditedMs: 0 });
  });
});

describe('a restart in the middle of an hour', () => {
  it('keeps what was counted and counts the downtime as not credited', () => {
    const before = play(H0, [[H0 + 5 * MIN, BOTH]], H0 + 25 * MIN).state;
    const saved = { hour: before.hour, countedToMs: before.countedToMs };
    const resumed = resumeUptime(saved, H0 + 31 * MIN);
    expect(resumed.completed).toEqual([]);
    expect(resumed.state.hour).toEqual({ hourStartMs: H0, inBandMs: 20 * MIN, creditedMs: 20 * MIN });
    const after = accrue(observe(resumed.state, H0 + 31 * MIN, BOTH).state, H0 + 40 * MIN).state;
    expect(after.hour.creditedMs).toBe(29 * MIN);
  });

  it('completes the saved hour when the daemon comes back in a later hour', () => {
    const saved = { hour: { hourStartMs: H0, inBandMs: 40 * MIN, creditedMs: 38 * MIN }, countedToMs: H0 + 45 * MIN };
    const resumed = resumeUptime(saved, H0 + HOUR_MS + 3 * MIN);
    expect(resumed.completed).toEqual([saved.hour]);
    expect(resumed.state.hour).toEqual({ hourStartMs: H0 + HOUR_MS, inBandMs: 0, creditedMs: 0 });
  });

  it.each<[string, { hour: HourUptime; countedToMs: number } | null]>([
    ['no saved state', null],
    ['a saved state from the future', { hour: { hourStartMs: H0, inBandMs: 0, creditedMs: 0 }, countedToMs: H0 + 2 * HOUR_MS }],
    ['a saved hour that does not contain its own count time', { hour: { hourStartMs: H0 + HOUR_MS, inBandMs: 5, creditedMs: 5 }, countedToMs: H0 + MIN }],
  ])('starts afresh with %s', (_name, saved) => {
    const resumed = resumeUptime(saved, H0 + 2 * HOUR_MS + 7 * MIN);
    expect(resumed).toEqual({ state: startUptime(H0 + 2 * HOUR_MS + 7 * MIN), completed: [] });
  });
});

describe('tiers and projection', () => {
  it.each<[number, string]>([
    [0, 'none'],
    [HALF_TIER_MS - 1, 'none'],
    [HALF_TIER_MS, 'half'],
    [FULL_TIER_MS - 1, 'half'],
    [FULL_TIER_MS, 'full'],
    [HOUR_MS, 'full'],
  ])('%s ms credited is tier %s', (creditedMs, tier) => {
    expect(tierOf(creditedMs)).toBe(tier);
  });

  it.each<[string, Step[], number, boolean, boolean]>([
    ['all credited at minute 30 can still reach both', [[H0, BOTH]], 30 * MIN, true, true],
    ['nothing credited until minute 18 can still reach 42 exactly', [[H0 + 18 * MIN, BOTH]], 18 * MIN, true, true],
    ['nothing credited until 18 min 0.001 s cannot reach 42', [[H0 + 18 * MIN + 1, BOTH]], 18 * MIN + 1, false, true],
    ['nothing credited until minute 30 can still reach 30', [], 30 * MIN, false, true],
    ['nothing credited past minute 30 reaches nothing', [], 30 * MIN + 1, false, false],
    ['credited 5 min then lost, at minute 23 ms before the edge', [[H0, BOTH], [H0 + 5 * MIN, NONE]], 23 * MIN, true, true],
    ['credited 5 min then lost, 1 ms past the edge', [[H0, BOTH], [H0 + 5 * MIN, NONE]], 23 * MIN + 1, false, true],
  ])('%s', (_name, steps, atOffsetMs, canReachFull, canReachHalf) => {
    const state = play(H0, steps, H0 + atOffsetMs).state;
    const projection = projectHour(state, H0 + atOffsetMs);
    expect(projection.remainingMs).toBe(HOUR_MS - atOffsetMs);
    expect(projection.projectedCreditedMs).toBe(projection.creditedMs + HOUR_MS - atOffsetMs);
    expect([projection.canReachFull, projection.canReachHalf]).toEqual([canReachFull, canReachHalf]);
  });

  it('counts the sample that holds up to the moment projected', () => {
    const state = observe(startUptime(H0), H0, BOTH).state;
    const projection = projectHour(state, H0 + 43 * MIN);
    expect(projection).toMatchObject({ creditedMs: 43 * MIN, tierSoFar: 'full', remainingMs: 17 * MIN });
  });

  it('hourStartOf floors to the UTC hour', () => {
    expect(hourStartOf(H0 + HOUR_MS - 1)).toBe(H0);
    expect(hourStartOf(H0 + HOUR_MS)).toBe(H0 + HOUR_MS);
  });
});
