import { describe, expect, it } from 'vitest';
import type { RunFigures, SigningFigures } from '../../../src/bench/figures.js';
import { checkGoals, choosePolicy, chooseSigner, spreadOf, summarizeRuns } from '../../../src/bench/summary.js';
import type { RequotePolicy } from '../../../src/engine/plan.js';
import type { SignerBackend } from '../../../src/exchange/standx/signing.js';

function run(policy: RequotePolicy, signer: SignerBackend, overrides: Partial<RunFigures> = {}): RunFigures {
  return {
    policy,
    signer,
    seed: 42,
    elapsedMs: 60_000,
    inBandPct: 99,
    markPct: 99.5,
    gaps: 10,
    gapP50Ms: 21,
    gapP99Ms: 40,
    tickToOrderSamples: 100,
    tickToOrderP50Us: 150,
    tickToOrderP99Us: 400,
    orderMessagesPerHour: 30_000,
    fillsPerHour: 120,
    cpuPct: 2,
    peakRssMb: 80,
    openOrdersLeft: 0,
    exitCode: 0,
    ...overrides,
  };
}

// Three repetitions per policy with the node signer, two of overlap with noble.
const RUNS: readonly RunFigures[] = [
  run('reference', 'node', { seed: 42, inBandPct: 90, gapP99Ms: 120 }),
  run('side', 'node', { seed: 42, inBandPct: 98 }),
  run('overlap', 'node', { seed: 42, inBandPct: 99.7, tickToOrderP99Us: 380, peakRssMb: 82 }),
  run('reference', 'node', { seed: 43, inBandPct: 92, gapP99Ms: 100 }),
  run('side', 'node', { seed: 43, inBandPct: 97 }),
  run('overlap', 'node', { seed: 43, inBandPct: 99.5, tickToOrderP99Us: 420, peakRssMb: 85 }),
  run('reference', 'node', { seed: 44, inBandPct: 91, gapP99Ms: null }),
  run('side', 'node', { seed: 44, inBandPct: 98.5 }),
  run('overlap', 'node', { seed: 44, inBandPct: 99.6, tickToOrderP99Us: 400, peakRssMb: 90 }),
  run('overlap', 'noble', { seed: 42, inBandPct: 99.4, tickToOrderP99Us: 1_100 }),
  run('overlap', 'noble', { seed: 43, inBandPct: 99.2, tickToOrderP99Us: 1_300 }),
];

describe('spreadOf', () => {
  it('gives the median, min and max of the figures present', () => {
    expect(spreadOf([3, null, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(spreadOf([null, null])).toEqual({ median: null, min: null, max: null });
  });
});

describe('summarizeRuns', () => {
  const groups = summarizeRuns(RUNS);

  it('groups by policy and signer in order of first appearance', () => {
    expect(groups.map((group) => [group.policy, group.signer, group.runs])).toEqual([
      ['reference', 'node', 3],
      ['side', 'node', 3],
      ['overlap', 'node', 3],
      ['overlap', 'noble', 2],
    ]);
  });

  it('takes medians over runs with min and max', () => {
    const overlap = groups[2];
    expect(overlap?.figures.inBandPct).toEqual({ median: 99.6, min: 99.5, max: 99.7 });
    expect(overlap?.figures.peakRssMb).toEqual({ median: 85, min: 82, max: 90 });
    expect(groups[3]?.figures.tickToOrderP99Us).toEqual({ median: 1_200, min: 1_100, max: 1_300 });
  });

  it('leaves out runs that lack a figure', () => {
    expect(groups[0]?.figures.gapP99Ms).toEqual({ median: 110, min: 100, max: 120 });
  });
});

describe('choosePolicy', () => {
  it('picks the highest median in-band uptime among the given signer', () => {
    const choice = choosePolicy(summarizeRuns(RUNS), 'node');
    expect(choice?.value).toBe('overlap');
    expect(choice?.reason).toBe('highest median two-sided in-band uptime: overlap 99.60 % vs side 98.00 %, reference 91.00 %');
  });

  it('breaks a tie on uptime by the mark uptime', () => {
    const tied = [run('side', 'node', { inBandPct: 99, markPct: 99.9 }), run('overlap', 'node', { inBandPct: 99, markPct: 99.1 })];
    expect(choosePolicy(summarizeRuns(tied), 'node')?.value).toBe('side');
  });

  it('gives null without runs for the signer', () => {
    expect(choosePolicy(summarizeRuns(RUNS), 'noble')?.value).toBe('overlap');
    expect(choosePolicy([], 'node')).toBeNull();
  });
});

describe('chooseSigner', () => {
  const signing: SigningFigures[] = [
    { backend: 'node', iterations: 100, opsPerSecond: 40_000, p50Us: 25, p99Us: 60 },
    { backend: 'noble', iterations: 100, opsPerSecond: 3_300, p50Us: 300, p99Us: 700 },
  ];

  it('picks the lowest median tick-to-order p99 when every run sets the backends apart', () => {
    const overlapGroups = summarizeRuns(RUNS.filter((figures) => figures.policy === 'overlap'));
    const choice = chooseSigner(overlapGroups, 'overlap', signing);
    expect(choice).toEqual({ value: 'node', reason: 'lowest median tick-to-order p99 with overlap, every run apart: node 400 µs vs noble 1200 µs' });
  });

  it('decides on the p50 when the p99 ranges overlap', () => {
    const noisy = summarizeRuns([
      run('overlap', 'node', { tickToOrderP50Us: 300, tickToOrderP99Us: 2_000 }),
      run('overlap', 'node', { tickToOrderP50Us: 320, tickToOrderP99Us: 5_000 }),
      run('overlap', 'noble', { tickToOrderP50Us: 800, tickToOrderP99Us: 3_000 }),
      run('overlap', 'noble', { tickToOrderP50Us: 900, tickToOrderP99Us: 3_400 }),
    ]);
    expect(chooseSigner(noisy, 'overlap', signing)).toEqual({
      value: 'node',
      reason: 'lowest median tick-to-order p50 with overlap: node 310 µs vs noble 850 µs; the p99s (noble 3200 µs vs node 3500 µs) are within run-to-run noise',
    });
  });

  it('decides on the p50 with a single run per backend', () => {
    const single = summarizeRuns([
      run('overlap', 'node', { tickToOrderP50Us: 300, tickToOrderP99Us: 5_000 }),
      run('overlap', 'noble', { tickToOrderP50Us: 800, tickToOrderP99Us: 4_000 }),
    ]);
    expect(chooseSigner(single, 'overlap', signing)?.value).toBe('node');
  });

  it('falls back to the signing micro-benchmark without daemon runs for both signers', () => {
    const onlyNode = summarizeRuns(RUNS.filter((figures) => figures.signer === 'node'));
    expect(chooseSigner(onlyNode, 'overlap', [...signing].reverse())).toEqual({ value: 'node', reason: 'lowest signing p99: node 60 µs vs noble 700 µs' });
  });
});

describe('checkGoals', () => {
  const groups = summarizeRuns(RUNS);

  it('judges the default group on medians and the worst peak RSS', () => {
    const goals = checkGoals(groups[2]!, groups[0]!, 640); // overlap/node and reference/node exist above
    expect(goals.map((goal) => [goal.name, goal.actual, goal.isMet])).toEqual([
      ['two-sided in-band uptime, overlap', '99.60 % (reference: 91.00 %)', true],
      ['tick-to-order p99', '400 µs (machine floor: 640 µs)', true],
      ['daemon CPU', '2.00 %', true],
      ['daemon peak RSS (worst run)', '90.0 MB', true],
    ]);
  });

  it('fails the goals the figures miss and leaves missing figures undecided', () => {
    const poor = summarizeRuns([run('side', 'node', { inBandPct: 99.4, tickToOrderP99Us: null, cpuPct: 5, peakRssMb: 120 })]);
    expect(checkGoals(poor[0]!, null, null).map((goal) => goal.isMet)).toEqual([false, null, false, false]); // one group built above
  });
});
