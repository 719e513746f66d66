import { describe, expect, it } from 'vitest';
import { planFaults, REST_LAG_MS, SOAK_FAULT_KINDS, type ScheduleSpec } from '../../../src/bench/soak-schedule.js';

const SPEC: ScheduleSpec = {
  seed: 42,
  windowMs: 30 * 60_000,
  everyMs: [10_000, 20_000],
  lastingMs: [500, 8_000],
  quietMs: 3_000,
  kinds: SOAK_FAULT_KINDS,
};

const INSTANT = ['drop-stream', 'drop-api', 'drop-all', 'fill-push-lost', 'partial-fill', 'malformed'];

describe('planFaults', () => {
  it('gives the same schedule for the same seed and another for another seed', () => {
    expect(planFaults(SPEC)).toEqual(planFaults(SPEC));
    expect(planFaults({ ...SPEC, seed: 43 })).not.toEqual(planFaults(SPEC));
  });

  it('spaces faults 10–20 s apart, each ending quietMs before the next and before the window ends', () => {
    const faults = planFaults(SPEC);
    expect(faults.length).toBeGreaterThan(80);
    faults.forEach((fault, index) => {
      expect(fault.index).toBe(index + 1);
      expect(fault.startMs + fault.durationMs + SPEC.quietMs).toBeLessThanOrEqual(SPEC.windowMs);
      const next = faults[index + 1];
      if (!next) return;
      expect(next.startMs - fault.startMs).toBeGreaterThanOrEqual(SPEC.everyMs[0] - 1);
      expect(next.startMs).toBeGreaterThanOrEqual(fault.startMs + fault.durationMs + SPEC.quietMs - 1);
    });
    expect(faults[0]?.startMs).toBeGreaterThanOrEqual(SPEC.everyMs[0]);
  });

  it('lasts 0.5–8 s except for instant faults, and draws every kind over a long window', () => {
    const faults = planFaults(SPEC);
    for (const fault of faults) {
      const [low, high] = INSTANT.includes(fault.kind) ? [0, 0] : [500, 8_000];
      expect(fault.durationMs).toBeGreaterThanOrEqual(low);
      expect(fault.durationMs).toBeLessThanOrEqual(high);
    }
    expect(new Set(planFaults({ ...SPEC, windowMs: 3 * 3_600_000 }).map((fault) => fault.kind))).toEqual(new Set(SOAK_FAULT_KINDS));
  });

  it.each([
    ['fill-while-silent', (p: Record<string, unknown>) => (p['side'] === 'buy' || p['side'] === 'sell') && (p['fillShare'] as number) > 0 && (p['fillShare'] as number) <= 1],
    ['partial-fill', (p: Record<string, unknown>) => (p['fillShare'] as number) >= 0.1 && (p['fillShare'] as number) <= 0.9],
    ['late-reject', (p: Record<string, unknown>) => (p['count'] as number) >= 1 && (p['count'] as number) <= 3 && (p['delayMs'] as number) >= 50],
    ['rest-lag', (p: Record<string, unknown>) => p['delayMs'] === REST_LAG_MS],
    ['malformed', (p: Record<string, unknown>) => typeof p['variant'] === 'string' && typeof p['socket'] === 'string'],
    ['reject-orders', (p: Record<string, unknown>) => typeof (p['rejection'] as { message?: unknown }).message === 'string'],
  ] as const)('draws %s parameters in range', (kind, isValid) => {
    const faults = planFaults({ ...SPEC, kinds: [kind] });
    expect(faults.length).toBeGreaterThan(0);
    for (const fault of faults) expect(isValid(fault.params as Record<string, unknown>)).toBe(true);
  });

  it('plans nothing without kinds, or when no fault fits the window', () => {
    expect(planFaults({ ...SPEC, kinds: [] })).toEqual([]);
    expect(planFaults({ ...SPEC, windowMs: 12_000 })).toEqual([]);
  });
});
