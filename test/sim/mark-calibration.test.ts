// Calibration of the regimes against the live measurements (mark-price reference): long seeded runs
// of the price/mark process on simulated time, observed as a live cycle would (every depth update).

import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/domain/random.js';
import { RegimeProcess } from '../../src/sim/regime-process.js';
import { REGIMES, type LiveRegimeName } from '../../src/sim/regimes.js';
import { JUMP_MIN_BPS, mean, observe, quantile, type FollowKind, type MarkObservation } from './mark-observer.js';

const HOUR_MS = 3_600_000;
const START_TICKS = 10_000_000n;
const SPREAD_TICKS = 500;
const WARM_UP_MS = 60_000;

function processFor(regime: LiveRegimeName, seed: number): RegimeProcess {
  return new RegimeProcess({ params: REGIMES[regime], startTicks: START_TICKS, spreadTicks: SPREAD_TICKS, random: seededRandom(seed) });
}

const runs = new Map<string, MarkObservation>();
function run(regime: LiveRegimeName, hours: number, seed = 1): MarkObservation {
  const key = `${regime}/${hours}/${seed}`;
  const cached = runs.get(key);
  if (cached) return cached;
  const observation = observe(processFor(regime, seed), hours * HOUR_MS, WARM_UP_MS);
  runs.set(key, observation);
  return observation;
}

const absGaps = (observation: MarkObservation): number[] => observation.gapsBps.map(Math.abs);
const within = (value: number, target: number, tolerance: number): void => {
  expect(value).toBeGreaterThanOrEqual(target * (1 - tolerance));
  expect(value).toBeLessThanOrEqual(target * (1 + tolerance));
};

function followShares(observation: MarkObservation): Record<FollowKind, number> {
  const counts: Record<FollowKind, number> = { first: 0, late: 0, never: 0 };
  for (const jump of observation.jumps) counts[jump.kind] += 1;
  const total = observation.jumps.length;
  return { first: counts.first / total, late: counts.late / total, never: counts.never / total };
}

/** The longest stretch, in ms, during which the gap stays at least `bps` on the same side. */
function longestOneSidedMs(observation: MarkObservation, bps: number): number {
  let longest = 0;
  let runMs = 0;
  let side = 0;
  observation.gapsBps.forEach((gap, index) => {
    const next = Math.abs(gap) >= bps ? Math.sign(gap) : 0;
    runMs = next !== 0 && next === side ? runMs + (observation.depthSpacingsMs[index] ?? 0) : 0;
    side = next;
    longest = Math.max(longest, runMs);
  });
  return longest;
}

describe('standard: BTC as measured live', () => {
  it.each([
    { q: 0.5, live: 1.9 },
    { q: 0.9, live: 5.3 },
    { q: 0.99, live: 11.65 },
  ])('the $q quantile of |published mark − mid| at each depth update is within 20 percent of $live bps', ({ q, live }) => {
    within(quantile(absGaps(run('standard', 6)), q), live, 0.2);
  });

  it('pushes the mark every ~3 s and updates the book every ~250 ms (p90 ~500 ms)', () => {
    const observation = run('standard', 6);
    within(mean(observation.markSpacingsMs), 3_000, 0.2);
    within(quantile(observation.depthSpacingsMs, 0.5), 250, 0.2);
    within(quantile(observation.depthSpacingsMs, 0.9), 500, 0.2);
  });

  it('holds the published mark between pushes while the book moves', () => {
    const process = processFor('standard', 2);
    const marks = new Set<bigint>();
    const fairs = new Set<bigint>();
    while (process.nextEventAtMs < 2_900) {
      expect(process.runNext()).toBe('depth');
      marks.add(process.published.markUnits);
      fairs.add(process.fairTicks);
    }
    expect(marks.size).toBe(1);
    expect(fairs.size).toBeGreaterThan(3);
  });

  it('replays the same path for the same seed and another for another seed', () => {
    const path = (seed: number): string[] => {
      const process = processFor('standard', seed);
      return Array.from({ length: 200 }, () => `${process.runNext()}:${process.fairTicks}:${process.published.markUnits}`);
    };
    expect(path(5)).toEqual(path(5));
    expect(path(5)).not.toEqual(path(6));
  });
});

describe('the other regimes keep their defining property', () => {
  it('calm: the mark stays within a bp or two of the mid', () => {
    const gaps = absGaps(run('calm', 2));
    expect(quantile(gaps, 0.5)).toBeLessThan(0.6);
    expect(quantile(gaps, 0.9)).toBeLessThan(1.5);
    expect(quantile(gaps, 0.99)).toBeLessThan(3);
  });

  it('volatile: a book jump of 8 bps or more about every 10 s', () => {
    const observation = run('volatile', 2);
    within(observation.jumps.length / (2 * 60), 6, 0.25);
  });

  it('divergent: a 5–8 bps gap most of the time, held on one side for minutes', () => {
    const observation = run('divergent', 2);
    const gaps = absGaps(observation);
    expect(gaps.filter((gap) => gap >= 5).length / gaps.length).toBeGreaterThan(0.5);
    within(quantile(gaps, 0.5), 6.5, 0.2);
    expect(longestOneSidedMs(observation, 4)).toBeGreaterThan(120_000);
  });

  it('jumpy: 8–32 bps jumps, followed late 61 %, first 20 %, never 19 % (±10 points)', () => {
    const observation = run('jumpy', 3);
    const shares = followShares(observation);
    expect(observation.jumps.length).toBeGreaterThan(300);
    expect(Math.abs(shares.late - 0.61)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(shares.first - 0.2)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(shares.never - 0.19)).toBeLessThanOrEqual(0.1);
    const sizes = observation.jumps.map((jump) => Math.abs(jump.sizeBps));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(JUMP_MIN_BPS);
    expect(Math.max(...sizes)).toBeGreaterThan(24);
  });

  it('jumpy: a late mark covers half the move at a median 2.6 s (p75 3.4 s), within 20 %', () => {
    const halves = run('jumpy', 3).jumps.flatMap((jump) => (jump.halfMs === null ? [] : [jump.halfMs]));
    within(quantile(halves, 0.5), 2_600, 0.2);
    within(quantile(halves, 0.75), 3_400, 0.2);
  });
});
