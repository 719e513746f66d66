import { describe, expect, it } from 'vitest';
import { parseSoakArgs, SoakUsageError } from '../../../src/bench/soak-options.js';
import { SOAK_FAULT_KINDS } from '../../../src/bench/soak-schedule.js';

describe('parseSoakArgs', () => {
  it('defaults to 30 minutes of every fault kind, one every 10–20 s lasting 0.5–8 s, written to bench/soak.md', () => {
    expect(parseSoakArgs([])).toEqual({
      minutes: 30,
      seed: 13,
      out: 'bench/soak.md',
      latencyMs: 10,
      pushIntervalMs: 50,
      everyS: [10, 20],
      lastingS: [0.5, 8],
      quietS: 3,
      kinds: SOAK_FAULT_KINDS,
      sampleMs: 50,
      logLevel: 'info',
    });
  });

  it('reads values after the option or after =, ranges as A-B or a single value, and a list of kinds', () => {
    expect(parseSoakArgs(['--minutes', '0.5', '--seed=7', '--every', '4-6', '--lasting=2', '--faults', 'restart, drop-all', '--out', 'x.md'])).toMatchObject({
      minutes: 0.5,
      seed: 7,
      everyS: [4, 6],
      lastingS: [2, 2],
      kinds: ['restart', 'drop-all'],
      out: 'x.md',
    });
  });

  it.each([
    [['--minutes', '0']],
    [['--minutes', 'ten']],
    [['--seed', '1.5']],
    [['--every', '6-4']],
    [['--every', '4-']],
    [['--lasting', '0-1']],
    [['--faults', 'meteor']],
    [['--faults', ',']],
    [['--sample', '1']],
    [['--log-level', 'trace']],
    [['--bogus']],
    [['--minutes']],
  ])('refuses %j', (argv) => {
    expect(() => parseSoakArgs(argv)).toThrow(SoakUsageError);
  });
});
