import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs } from '../../../src/bench/options.js';

describe('parseBenchArgs', () => {
  it('defaults to three 60 s runs per policy at 10 ms and 20 depth updates/s', () => {
    expect(parseBenchArgs([])).toMatchObject({
      durationS: 60,
      settleS: 10,
      runs: 3,
      latencyMs: 10,
      pushIntervalMs: 50,
      floorSamples: 400,
      signer: 'node',
      policies: ['reference', 'side', 'overlap'],
      isQuick: false,
      out: 'bench/results.md',
    });
  });

  it('shortens everything with --quick, and explicit options still win', () => {
    expect(parseBenchArgs(['--quick'])).toMatchObject({ durationS: 8, settleS: 2, runs: 1, signerRuns: 1, floorSamples: 40, isQuick: true });
    expect(parseBenchArgs(['--duration', '20', '--quick'])).toMatchObject({ durationS: 20, runs: 1 });
  });

  it('reads values after the option or after =', () => {
    expect(parseBenchArgs(['--latency=25', '--seed', '7', '--signer', 'NOBLE', '--policies', 'side,overlap'])).toMatchObject({
      latencyMs: 25,
      seed: 7,
      signer: 'noble',
      policies: ['side', 'overlap'],
    });
  });

  it.each([[['--runs', '0']], [['--runs', '1.5']], [['--floor-samples', '5']], [['--settle', '-1']], [['--signer', 'openssl']], [['--policies', 'fast']], [['--bogus']], [['--duration']]])(
    'refuses %j',
    (argv) => {
      expect(() => parseBenchArgs(argv)).toThrow(BenchUsageError);
    },
  );
});
