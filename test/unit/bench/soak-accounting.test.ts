import { describe, expect, it } from 'vitest';
import { commandRates, isQuoting, recoveries, spans, totalMs, type StateSample } from '../../../src/bench/soak-accounting.js';

/** A sample at `atMs`: quoting one bid and one ask, flat, both sockets up, unless `change` says otherwise. */
function at(atMs: number, change: Partial<StateSample> = {}): StateSample {
  return { atMs, bids: 1, asks: 1, isFlat: true, connections: 2, commands: 0, ...change };
}

describe('isQuoting', () => {
  it.each<[Partial<StateSample>, boolean]>([
    [{}, true],
    [{ bids: 2 }, true],
    [{ bids: 0 }, false],
    [{ asks: 0 }, false],
    [{ isFlat: false }, false],
    [{ connections: 1 }, false],
    [{ connections: 3 }, true],
  ])('%j -> %s', (change, expected) => {
    expect(isQuoting(at(0, change))).toBe(expected);
  });
});

describe('spans', () => {
  const samples = [at(0), at(100, { bids: 0 }), at(300, { bids: 0, asks: 0 }), at(400), at(1_000, { isFlat: false })];
  const out = (sample: StateSample): boolean => !isQuoting(sample);

  it.each<[number, number, { startMs: number; endMs: number }[]]>([
    [0, 2_000, [{ startMs: 100, endMs: 400 }, { startMs: 1_000, endMs: 2_000 }]],
    [200, 1_200, [{ startMs: 200, endMs: 400 }, { startMs: 1_000, endMs: 1_200 }]],
    [400, 1_000, []],
    [350, 360, [{ startMs: 350, endMs: 360 }]],
  ])('within [%i, %i) merges adjacent samples in the same state and clips to the range', (fromMs, toMs, expected) => {
    expect(spans(samples, out, fromMs, toMs)).toEqual(expected);
  });

  it('holds nothing before the first sample', () => {
    expect(spans([at(500, { bids: 0 })], out, 0, 1_000)).toEqual([{ startMs: 500, endMs: 1_000 }]);
    expect(totalMs(spans([at(500, { bids: 0 })], out, 0, 1_000))).toBe(500);
  });
});

describe('recoveries', () => {
  it.each<[string, StateSample[], { startMs: number; endMs: number }, number | null, boolean]>([
    ['quoting throughout: recovered at once, undisturbed', [at(0)], { startMs: 1_000, endMs: 2_000 }, 0, false],
    ['quotes back 1.5 s after the end', [at(0), at(1_200, { bids: 0 }), at(3_500)], { startMs: 1_000, endMs: 2_000 }, 1_500, true],
    ['a flicker shorter than the settle time does not count', [at(0), at(2_100, { asks: 0 }), at(2_200), at(2_500, { asks: 0 }), at(3_000)], { startMs: 1_000, endMs: 2_000 }, 1_000, true],
    ['quoting at the end but undone 0.5 s later', [at(0), at(2_500, { connections: 0 }), at(4_000)], { startMs: 1_000, endMs: 2_000 }, 2_000, true],
    ['flat only after the next fault began', [at(0), at(1_500, { isFlat: false }), at(12_000)], { startMs: 1_000, endMs: 1_500 }, null, true],
    ['a short quoting span that reaches the next fault counts', [at(0), at(1_100, { bids: 0 }), at(9_500)], { startMs: 1_000, endMs: 2_000 }, 7_500, true],
  ])('%s', (_name, samples, fault, recoveryMs, isDisturbed) => {
    const next = { startMs: 10_000, endMs: 10_000 };
    const [first] = recoveries(samples, [fault, next], 20_000);
    expect(first).toMatchObject({ recoveryMs, isDisturbed });
  });

  it('adds up the time out of state until the next fault, and notes a fault that found the account already out', () => {
    const samples = [at(0), at(500, { isFlat: false }), at(1_500), at(2_000, { bids: 0 }), at(2_300), at(12_000, { bids: 0 })];
    expect(recoveries(samples, [{ startMs: 1_000, endMs: 1_000 }, { startMs: 11_000, endMs: 11_000 }], 13_000)).toEqual([
      { recoveryMs: 1_300, isDisturbed: true, outOfStateMs: 800, wasOutAtStart: true },
      { recoveryMs: 0, isDisturbed: false, outOfStateMs: 1_000, wasOutAtStart: false },
    ]);
  });
});

describe('commandRates', () => {
  it('finds the busiest one-second window and counts whole seconds over the limit', () => {
    const samples = [at(0, { commands: 10 }), at(500, { commands: 20 }), at(900, { commands: 40 }), at(1_600, { commands: 41 }), at(2_950, { commands: 70 }), at(3_100, { commands: 71 })];
    expect(commandRates(samples, 20)).toEqual({ total: 61, maxInAnySecond: 30, secondsOverLimit: 2 });
  });

  it('is all zero without samples', () => {
    expect(commandRates([], 20)).toEqual({ total: 0, maxInAnySecond: 0, secondsOverLimit: 0 });
  });
});
