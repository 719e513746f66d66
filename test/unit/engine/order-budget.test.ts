import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/domain/random.js';
import { OrderBudget, RISK_RESERVE, type CommandKind } from '../../../src/engine/order-budget.js';

/** Sends `count` commands at `atMs`. */
function sendAt(budget: OrderBudget, atMs: number, count = 1): void {
  for (let i = 0; i < count; i += 1) budget.record(atMs);
}

describe('OrderBudget: capacity', () => {
  it.each<[string, number, number, number, [number, number][], CommandKind, number]>([
    ['a fresh budget: everything', 10, 300, 0, [], 'risk', 10],
    ['a fresh budget: places leave the reserve', 10, 300, 0, [], 'place', 10 - RISK_RESERVE],
    ['after four commands', 10, 300, 0, [[0, 4]], 'risk', 6],
    ['places after four commands', 10, 300, 0, [[0, 4]], 'place', 6 - RISK_RESERVE],
    ['places once only the reserve is left: none', 10, 300, 0, [[0, 10 - RISK_RESERVE]], 'place', 0],
    ['risk once only the reserve is left: the reserve', 10, 300, 0, [[0, 10 - RISK_RESERVE]], 'risk', RISK_RESERVE],
    ['a full second', 10, 300, 999, [[0, 10]], 'risk', 0],
    ['the second has slid past the burst', 10, 300, 1_000, [[0, 10]], 'risk', 10],
    ['one old, one recent command', 10, 300, 1_500, [[0, 1], [900, 1]], 'risk', 9],
    ['the minute binds after the second has passed', 10, 12, 5_000, [[0, 10]], 'risk', 2],
    ['the minute reserve holds for places', 10, 12, 5_000, [[0, 10]], 'place', 0],
    ['the minute slides too', 10, 12, 60_000, [[0, 10]], 'risk', 10],
    ['a small budget keeps half for places', 4, 300, 0, [], 'place', 2],
    ['a small budget: risk may use all of it', 4, 300, 0, [], 'risk', 4],
    ['the smallest budget', 2, 2, 0, [], 'place', 1],
  ])('%s', (_name, perSecond, perMinute, nowMs, sends, kind, expected) => {
    const budget = new OrderBudget({ perSecond, perMinute });
    for (const [atMs, count] of sends) sendAt(budget, atMs, count);
    expect(budget.capacity(nowMs, kind)).toBe(expected);
  });
});

describe('OrderBudget: waitMs', () => {
  it.each<[string, number, number, number, [number, number][], CommandKind, number]>([
    ['room now: no wait', 10, 300, 0, [[0, 3]], 'risk', 0],
    ['a full second: until its oldest command leaves', 10, 300, 400, [[100, 2], [300, 8]], 'risk', 700],
    ['places: until enough leave for the reserve', 10, 300, 400, [[100, 2], [300, 8]], 'place', 900],
    ['the minute: until its oldest command leaves', 10, 12, 5_000, [[0, 2], [2_000, 10]], 'risk', 55_000],
    ['the longer of the two windows', 10, 15, 2_500, [[0, 5], [2_000, 10]], 'risk', 57_500],
  ])('%s', (_name, perSecond, perMinute, nowMs, sends, kind, expected) => {
    const budget = new OrderBudget({ perSecond, perMinute });
    for (const [atMs, count] of sends) sendAt(budget, atMs, count);
    expect(budget.waitMs(nowMs, kind)).toBe(expected);
    // Time only moves forward (the budget runs on the monotonic clock): the later look last.
    if (expected > 0) expect(budget.capacity(nowMs + expected - 1, kind)).toBe(0);
    expect(budget.capacity(nowMs + expected, kind)).toBeGreaterThanOrEqual(1);
  });
});

describe('OrderBudget: a greedy sender never exceeds either window', () => {
  it.each([
    [10, 300],
    [20, 1_200],
    [3, 50],
    [2, 2],
  ])('%i per second, %i per minute', (perSecond, perMinute) => {
    const random = seededRandom(perSecond * 1_000 + perMinute);
    const budget = new OrderBudget({ perSecond, perMinute });
    const sent: { atMs: number; kind: CommandKind }[] = [];
    for (let nowMs = 0; nowMs < 180_000; nowMs += Math.floor(random() * 40)) {
      const kind: CommandKind = random() < 0.7 ? 'place' : 'risk';
      const wanted = 1 + Math.floor(random() * 6);
      const allowed = Math.min(wanted, budget.capacity(nowMs, kind));
      for (let i = 0; i < allowed; i += 1) {
        budget.record(nowMs);
        sent.push({ atMs: nowMs, kind });
      }
    }
    expect(sent.length).toBeGreaterThan(0);
    for (const [spanMs, limit] of [[1_000, perSecond], [60_000, perMinute]] as const) {
      const placeLimit = limit - Math.min(RISK_RESERVE, Math.floor(limit / 2));
      sent.forEach(({ atMs, kind }, index) => {
        // Commands sent up to and including this one (several may share a millisecond).
        const inWindow = sent.slice(0, index + 1).filter((command) => command.atMs > atMs - spanMs).length;
        expect(inWindow, `${spanMs} ms ending at ${atMs}`).toBeLessThanOrEqual(kind === 'place' ? placeLimit : limit);
      });
    }
  });
});
