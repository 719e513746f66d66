import { describe, expect, it } from 'vitest';
import type { Side } from '../../../src/domain/types.js';
import type { CancelReason, Plan, PlannedCancel, PlannedPlace } from '../../../src/engine/plan.js';
import { fitPlanToBudget } from '../../../src/engine/plan-budget.js';

const cancel = (id: string, reason: CancelReason): PlannedCancel => ({ ref: { clOrdId: id }, side: 'buy', priceTicks: 1n, reason });
const place = (side: Side, isEarly = false): PlannedPlace => ({ side, priceTicks: 1n, qtyLots: 1n, isEarly });

const FULL: Plan = {
  flatten: { side: 'sell', qtyLots: 3n },
  cancels: [cancel('dup', 'duplicate'), cancel('req', 'requote'), cancel('out', 'out-of-band'), cancel('stale', 'stale-mid')],
  places: [place('buy', true), place('sell')],
  recheckAtMs: 42,
};

/** What went, in order: 'flatten', cancel ids, places as side/early. */
function sent(plan: Plan): string[] {
  return [
    ...(plan.flatten ? ['flatten'] : []),
    ...plan.cancels.map((c) => ('clOrdId' in c.ref ? c.ref.clOrdId : '?')),
    ...plan.places.map((p) => `${p.side}${p.isEarly ? '-early' : ''}`),
  ];
}

describe('fitPlanToBudget', () => {
  // Risk slots, place slots (never more than the risk slots: a place is a command too).
  it.each<[string, number, number, string[], number]>([
    ['everything fits', 10, 10, ['flatten', 'stale', 'out', 'dup', 'req', 'sell', 'buy-early'], 0],
    ['nothing fits', 0, 0, [], 7],
    ['the flatten first', 1, 0, ['flatten'], 6],
    ['then cancels of stale and out-of-band quotes', 3, 3, ['flatten', 'stale', 'out'], 4],
    ['then a place for a side without a quote', 4, 4, ['flatten', 'stale', 'out', 'sell'], 3],
    ['then duplicates and requotes', 6, 6, ['flatten', 'stale', 'out', 'dup', 'req', 'sell'], 1],
    ['early replacements last', 7, 7, ['flatten', 'stale', 'out', 'dup', 'req', 'sell', 'buy-early'], 0],
    ['places only from what the risk commands left of the place slots', 10, 3, ['flatten', 'stale', 'out', 'dup', 'req'], 2],
    ['places never use the reserve, cancels of extras may', 7, 4, ['flatten', 'stale', 'out', 'dup', 'req', 'sell'], 1],
  ])('%s', (_name, risk, placeSlots, expected, deferred) => {
    const fitted = fitPlanToBudget(FULL, { risk, place: placeSlots });
    expect(sent(fitted.plan).sort()).toEqual([...expected].sort());
    expect(fitted.deferred).toBe(deferred);
    expect(fitted.plan.recheckAtMs).toBe(42);
  });

  it('places go when there is nothing else to send', () => {
    const plan: Plan = { flatten: null, cancels: [], places: [place('buy'), place('sell')], recheckAtMs: null };
    expect(sent(fitPlanToBudget(plan, { risk: 10, place: 1 }).plan)).toEqual(['buy']);
  });

  it('sends the cancels of quotes that risk a fill or earn nothing before those of in-band extras', () => {
    expect(sent(fitPlanToBudget(FULL, { risk: 10, place: 0 }).plan)).toEqual(['flatten', 'out', 'stale', 'dup', 'req']);
  });
});
