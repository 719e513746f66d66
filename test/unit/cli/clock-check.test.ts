import { describe, expect, it } from 'vitest';
import { readClockOffset, skewProblem, type ServerTimeSource } from '../../../src/cli/clock-check.js';
import type { Clock } from '../../../src/ops/clock.js';
import { memoryLogger } from '../ops/helpers.js';

const LOCAL_MS = 1_800_000_000_000;
const clock: Clock = { now: () => LOCAL_MS, monotonic: () => 0, sleep: () => Promise.resolve() };
const unreachable = (): Promise<number> => Promise.reject(new Error('connect ECONNREFUSED'));

function source(timeHost: () => Promise<number>, apiHost: () => Promise<number>): ServerTimeSource {
  return { serverTimeMs: timeHost, apiServerTimeS: apiHost };
}

describe('readClockOffset', () => {
  it('reads the time host first, to the millisecond', async () => {
    const { logger, lines } = memoryLogger();
    const reading = await readClockOffset(source(() => Promise.resolve(LOCAL_MS + 1_234), unreachable), clock, logger);
    expect(reading).toEqual({ offsetMs: 1_234, source: 'time host', uncertaintyMs: 0 });
    expect(lines.filter((line) => line.level === 'warn')).toEqual([]);
  });

  it('falls back to the API host\'s seconds when the time host is unreachable, with a warning and ±1 s', async () => {
    const { logger, lines } = memoryLogger();
    const reading = await readClockOffset(source(unreachable, () => Promise.resolve(LOCAL_MS / 1_000 + 3)), clock, logger);
    expect(reading).toEqual({ offsetMs: 3_500, source: 'api host', uncertaintyMs: 1_000 });
    expect(lines.map((line) => line.msg)).toContain("time host unreachable: reading the API host's clock instead (good to about ±1 s)");
  });

  it('gives up with a warning, not an error, when neither host answers', async () => {
    const { logger, lines } = memoryLogger();
    expect(await readClockOffset(source(unreachable, unreachable), clock, logger)).toBeNull();
    expect(lines.filter((line) => line.level === 'warn')).toHaveLength(2);
  });
});

describe('skewProblem', () => {
  it.each([
    [{ offsetMs: 2_000, source: 'time host', uncertaintyMs: 0 }, 2_000, false],
    [{ offsetMs: -2_001, source: 'time host', uncertaintyMs: 0 }, 2_000, true],
    [{ offsetMs: 2_900, source: 'api host', uncertaintyMs: 1_000 }, 2_000, false],
    [{ offsetMs: 3_001, source: 'api host', uncertaintyMs: 1_000 }, 2_000, true],
  ] as const)('%j against %i ms: refused %s', (reading, maxSkewMs, isRefused) => {
    const problem = skewProblem(reading, maxSkewMs);
    expect(problem !== null).toBe(isRefused);
    if (problem) expect(problem).toContain(`limit ${maxSkewMs + reading.uncertaintyMs} ms`);
  });
});
