import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../src/engine/health.js';
import type { HaltReason } from '../../../src/engine/observations.js';
import type { StreamName } from '../../../src/exchange/exchange.js';

const base = { atMs: 10_000, lastBookAtMs: 9_800 as number | null, isQuoting: true, isStale: false, streamsDown: [] as StreamName[], halt: null as HaltReason | null };

describe('assessHealth', () => {
  it.each<[string, Partial<typeof base>, boolean, string, string[]]>([
    ['fresh, up and quoting', {}, true, 'quoting', []],
    ['paused by the operator', { halt: { kind: 'paused', detail: 'paused by the operator' } }, true, 'paused', []],
    ['halted by a kill switch', { halt: { kind: 'dailyLoss', detail: 'daily loss limit reached' } }, false, 'halted', ['halted: daily loss limit reached']],
    ['a stale feed', { lastBookAtMs: 6_000, isStale: true }, false, 'stale', ['feed stale: last depth frame 4000 ms ago']],
    ['older than the limit but not yet marked stale', { lastBookAtMs: 6_999 }, false, 'stale', ['feed stale: last depth frame 3001 ms ago']],
    ['no depth frame yet', { lastBookAtMs: null }, false, 'stale', ['no depth frame yet']],
    ['a stream down', { streamsDown: ['orders'] }, false, 'down', ['streams down: orders']],
    ['stopped', { isQuoting: false }, false, 'stopped', ['not quoting']],
  ])('%s', (_name, over, isHealthy, state, reasons) => {
    const health = assessHealth({ ...base, ...over }, 3_000);
    expect(health).toMatchObject({ isHealthy, state, reasons });
  });

  it('reports the age of the last depth frame', () => {
    expect(assessHealth(base, 3_000).lastBookAgeMs).toBe(200);
  });
});
