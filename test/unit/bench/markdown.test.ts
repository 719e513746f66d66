import { describe, expect, it } from 'vitest';
import { computeFloorFigures, computeRunFigures, type RunInput } from '../../../src/bench/figures.js';
import { cell, renderMarkdown, type BenchDocument } from '../../../src/bench/markdown.js';
import { checkGoals, choosePolicy, chooseSigner, summarizeRuns } from '../../../src/bench/summary.js';

function input(policy: RunInput['policy'], inBandMs: number, overrides: Partial<RunInput> = {}): RunInput {
  return {
    policy,
    signer: 'node',
    seed: 7,
    meter: { elapsedMs: 10_000, twoSidedInBandMs: inBandMs, twoSidedMarkMs: 9_990, requoteGapsMs: [20, 30] },
    orderMessages: 50,
    fills: 1,
    daemon: { tickToOrderMicros: [100, 300], cpuUserMicros: 150_000, cpuSystemMicros: 50_000, wallMs: 10_000, maxRssKiB: 76_800 },
    openOrdersLeft: 0,
    exitCode: 0,
    ...overrides,
  };
}

function document(standInsAsBatch = true): BenchDocument {
  const runs = [input('reference', 9_000), input('overlap', 9_960)].map(computeRunFigures);
  const policyGroups = summarizeRuns(runs);
  const policyChoice = choosePolicy(policyGroups, 'node');
  const signerGroups = summarizeRuns(runs.filter((run) => run.policy === 'overlap'));
  const signing = [{ backend: 'node' as const, iterations: 10, opsPerSecond: 40_000, p50Us: 25, p99Us: 50 }];
  return {
    generatedAt: '2025-01-01T00:00:00.000Z',
    elapsedS: 42,
    isQuick: false,
    machine: { cpuModel: 'Test CPU', cores: 2, nodeVersion: 'v20.0.0', os: 'Linux 6 (x64)', memoryGb: 8 },
    settings: {
      latencyMs: 10,
      pushIntervalMs: 50,
      durationS: 10,
      settleS: 4,
      standInsAsBatch,
      runs: 1,
      signerRuns: 0,
      seeds: [7],
      signer: 'node',
      path: 'scripted',
      band: { minBps: '7', targetBps: '7.5', maxBps: '10', markBandBps: 10 },
      qty: '0.0100',
      logLevel: 'info',
    },
    policyGroups,
    signerGroups,
    signing,
    floor: computeFloorFigures('node', 50, [{ parseUs: 80, signUs: 200, writeUs: 120 }], [{ parseUs: 8, signUs: 40, writeUs: 20 }]),
    policyChoice,
    signerChoice: chooseSigner(signerGroups, 'overlap', signing),
    configured: { policy: 'overlap', signer: 'node' },
    goals: checkGoals(signerGroups[0]!, policyGroups[0]!, null), // overlap/node is in both
    runs,
    failures: [],
  };
}

describe('cell', () => {
  it.each([
    { spread: { median: 99.5, min: 99.1, max: 99.9 }, digits: 2, expected: '99.50 (99.10–99.90)' },
    { spread: { median: 99.5, min: 99.5, max: 99.5 }, digits: 2, expected: '99.50' },
    { spread: { median: 120.4, min: 120.2, max: 120.3 }, digits: 0, expected: '120' },
    { spread: { median: null, min: null, max: null }, digits: 1, expected: '–' },
  ])('renders $expected', ({ spread, digits, expected }) => {
    expect(cell(spread, digits)).toBe(expected);
  });
});

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(document());

  it('names the machine and the settings', () => {
    expect(markdown).toContain('- CPU: Test CPU, 2 cores');
    expect(markdown).toContain('- Node v20.0.0, Linux 6 (x64)');
    expect(markdown).toContain('one-way latency 10 ms');
    expect(markdown).toContain('Depth pushes every 50 ms (20 depth updates/s).');
    expect(markdown).toContain('- The window opens 4 s after the daemon first has a bid and an ask resting');
  });

  it("says whether the simulator could be kept from preempting the daemon", () => {
    expect(markdown).toContain("- The simulator and the floor's peer run as SCHED_BATCH tasks, the daemon as a normal one");
    expect(renderMarkdown(document(false))).toContain('tick-to-order includes the simulator preempting the daemon');
  });

  it('states the default choice and whether it matches the configuration', () => {
    expect(markdown).toContain('- REQUOTE_POLICY: **overlap** (highest median two-sided in-band uptime: overlap 99.60 % vs reference 90.00 %); matches the configured default.');
    expect(markdown).toContain('- SIGNER: **node** (lowest signing p99: node 50 µs); matches the configured default.');
  });

  it('puts the reference figure beside the default in the goals', () => {
    expect(markdown).toContain('| two-sided in-band uptime, overlap | ≥ 99.5 % | 99.60 % (reference: 90.00 %) | yes |');
  });

  it('writes one policy row with the scripted figures', () => {
    // 9 960 / 10 000 ms in band; gaps 20, 30 ms; ticks 100, 300 µs; 50 messages and 1 fill in 10 s; 0.2 s CPU in 10 s; 75 MB.
    expect(markdown).toContain('| overlap | node | 1 | 99.60 | 99.90 | 20 | 30 | 100 | 300 | 18000 | 360 | 2.00 | 75.0 |');
  });

  it('shows the tick-to-order floor in parts, at the cadence and back to back', () => {
    expect(markdown).toContain('## Tick-to-order floor');
    expect(markdown).toContain('once every 50 ms (1 reactions)');
    expect(markdown).toContain('| sign and encode | 200 | 200 |');
    expect(markdown).toContain('| **reaction** | 400 | 400 |');
    expect(markdown).toContain('| reaction, back to back | 68 | 68 |');
    expect(renderMarkdown({ ...document(), floor: null })).not.toContain('## Tick-to-order floor');
  });

  it('lists failed runs only when there are some', () => {
    expect(markdown).not.toContain('## Failed runs');
    expect(renderMarkdown({ ...document(), failures: ['[2/2] side node seed 7: boom'] })).toContain('- [2/2] side node seed 7: boom');
  });
});
