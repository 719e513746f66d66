import { describe, expect, it } from 'vitest';
import {
  computeFloorFigures,
  computeRunFigures,
  computeSigningFigures,
  cpuPercent,
  kibToMb,
  median,
  percentOf,
  percentile,
  perHour,
  type RunInput,
} from '../../../src/bench/figures.js';

describe('percentile (nearest rank)', () => {
  it.each([
    { values: [], p: 50, expected: null },
    { values: [7], p: 50, expected: 7 },
    { values: [7], p: 99, expected: 7 },
    { values: [4, 1, 3, 2], p: 50, expected: 2 },
    { values: [4, 1, 3, 2], p: 75, expected: 3 },
    { values: [4, 1, 3, 2], p: 99, expected: 4 },
    { values: [4, 1, 3, 2], p: 0, expected: 1 },
    { values: [5, 1, 4, 2, 3], p: 50, expected: 3 },
  ])('gives $expected for p$p of $values', ({ values, p, expected }) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('takes the 99th value of 1..100 as p99 and the 100th of 1..101', () => {
    const hundred = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile([...hundred, 101], 99)).toBe(100);
  });

  it('leaves its input unsorted', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('median', () => {
  it.each([
    { values: [], expected: null },
    { values: [2], expected: 2 },
    { values: [3, 1, 2], expected: 2 },
    { values: [4, 1, 3, 2], expected: 2.5 },
    { values: [99.1, 99.9], expected: 99.5 },
  ])('gives $expected for $values', ({ values, expected }) => {
    expect(median(values)).toBe(expected);
  });
});

describe('rates', () => {
  it('computes a share of the elapsed time in percent, 0 for an empty window', () => {
    expect(percentOf(59_700, 60_000)).toBeCloseTo(99.5, 10);
    expect(percentOf(5, 0)).toBe(0);
  });

  it('scales counts to one hour', () => {
    expect(perHour(100, 60_000)).toBe(6_000);
    expect(perHour(3, 1_800_000)).toBe(6);
    expect(perHour(3, 0)).toBe(0);
  });

  it('gives CPU time as a percentage of one core over the wall time', () => {
    // 1.2 s user + 0.3 s system over 60 s = 2.5 % of one core.
    expect(cpuPercent(1_200_000, 300_000, 60_000)).toBeCloseTo(2.5, 10);
    expect(cpuPercent(1, 1, 0)).toBe(0);
  });

  it('converts maxRSS KiB to MB', () => {
    expect(kibToMb(102_400)).toBe(100);
  });
});

/** A scripted 60 s run: 59.7 s two-sided in band, 59.4 s near the mark, five gaps, ten tick samples. */
const SCRIPTED_RUN: RunInput = {
  policy: 'overlap',
  signer: 'node',
  seed: 42,
  meter: { elapsedMs: 60_000, twoSidedInBandMs: 59_700, twoSidedMarkMs: 59_400, requoteGapsMs: [30, 21, 22, 25, 80] },
  orderMessages: 500,
  fills: 4,
  daemon: {
    tickToOrderMicros: [310, 120, 150, 900, 140, 160, 130, 200, 180, 170],
    cpuUserMicros: 1_500_000,
    cpuSystemMicros: 300_000,
    wallMs: 60_000,
    maxRssKiB: 81_920,
  },
  openOrdersLeft: 0,
  exitCode: 0,
};

describe('computeRunFigures', () => {
  it('turns a scripted meter report and daemon sample into the run figures', () => {
    expect(computeRunFigures(SCRIPTED_RUN)).toEqual({
      policy: 'overlap',
      signer: 'node',
      seed: 42,
      elapsedMs: 60_000,
      inBandPct: expect.closeTo(99.5, 10),
      markPct: expect.closeTo(99, 10),
      gaps: 5,
      gapP50Ms: 25,
      gapP99Ms: 80,
      tickToOrderSamples: 10,
      tickToOrderP50Us: 160,
      tickToOrderP99Us: 900,
      orderMessagesPerHour: 30_000,
      fillsPerHour: 240,
      cpuPct: expect.closeTo(3, 10),
      peakRssMb: 80,
      openOrdersLeft: 0,
      exitCode: 0,
    });
  });

  it('reports no gap or latency percentiles when there were no gaps or order frames', () => {
    const quiet = computeRunFigures({
      ...SCRIPTED_RUN,
      meter: { ...SCRIPTED_RUN.meter, requoteGapsMs: [] },
      daemon: { ...SCRIPTED_RUN.daemon, tickToOrderMicros: [] },
    });
    expect([quiet.gapP50Ms, quiet.gapP99Ms, quiet.tickToOrderP50Us, quiet.tickToOrderP99Us]).toEqual([null, null, null, null]);
    expect(quiet.gaps).toBe(0);
  });
});

describe('computeSigningFigures', () => {
  it('derives ops/s from the loop time and percentiles from the per-signature samples', () => {
    const samples = [20, 25, 30, 25, 100];
    expect(computeSigningFigures('node', samples, 0.5)).toEqual({ backend: 'node', iterations: 5, opsPerSecond: 10_000, p50Us: 25, p99Us: 100 });
  });
});

describe('computeFloorFigures', () => {
  it('sums the parts of each reaction before taking percentiles, per part and back to back', () => {
    const atCadence = [
      { parseUs: 80, signUs: 200, writeUs: 100 },
      { parseUs: 90, signUs: 180, writeUs: 300 },
      { parseUs: 70, signUs: 220, writeUs: 110 },
    ];
    const backToBack = [
      { parseUs: 8, signUs: 40, writeUs: 20 },
      { parseUs: 9, signUs: 39, writeUs: 22 },
    ];
    expect(computeFloorFigures('node', 50, atCadence, backToBack)).toEqual({
      backend: 'node',
      pushIntervalMs: 50,
      samples: 3,
      atCadence: {
        // Totals 380, 570, 400: the p99 is the slowest reaction, not the sum of the slowest parts (690).
        total: { p50Us: 400, p99Us: 570 },
        parse: { p50Us: 80, p99Us: 90 },
        sign: { p50Us: 200, p99Us: 220 },
        write: { p50Us: 110, p99Us: 300 },
      },
      backToBack: { p50Us: 68, p99Us: 70 },
    });
  });
});
