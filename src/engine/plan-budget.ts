// Which commands of a plan go now when the order budget is short, most useful first: the flatten,
// cancels of quotes that risk a fill or earn nothing, places for a side with no quote, cancels of
// in-band extras (duplicates, the reference policy's requotes), then early replacements. The rest
// waits for a later look.

import type { CancelReason, Plan, PlannedCancel, PlannedFlatten, PlannedPlace } from './plan.js';

/** What the budget allows now (order-budget.ts): risk reducers may use more than places. */
export interface BudgetSlots {
  readonly risk: number;
  readonly place: number;
}

export interface FittedPlan {
  readonly plan: Plan;
  /** Commands held back for a later look. */
  readonly deferred: number;
}

/** A quote that risks a fill or earns nothing, or every quote on a stale book. */
const URGENT_CANCELS: ReadonlySet<CancelReason> = new Set(['stale-mid', 'symbol-disabled', 'out-of-band']);

type Command =
  | { readonly kind: 'flatten'; readonly flatten: PlannedFlatten }
  | { readonly kind: 'cancel'; readonly cancel: PlannedCancel }
  | { readonly kind: 'place'; readonly place: PlannedPlace };

export function fitPlanToBudget(plan: Plan, slots: BudgetSlots): FittedPlan {
  let riskLeft = slots.risk;
  let placeLeft = Math.min(slots.place, slots.risk);
  let flatten: PlannedFlatten | null = null;
  const cancels: PlannedCancel[] = [];
  const places: PlannedPlace[] = [];
  const commands = byUsefulness(plan);
  for (const command of commands) {
    if (command.kind === 'place' ? placeLeft < 1 : riskLeft < 1) continue;
    riskLeft -= 1;
    // Any command fills a slot places could have used.
    placeLeft = Math.max(0, placeLeft - 1);
    if (command.kind === 'flatten') flatten = command.flatten;
    else if (command.kind === 'cancel') cancels.push(command.cancel);
    else places.push(command.place);
  }
  const sent = (flatten === null ? 0 : 1) + cancels.length + places.length;
  return { plan: { ...plan, flatten, cancels, places }, deferred: commands.length - sent };
}

function byUsefulness(plan: Plan): Command[] {
  const cancels = (isUrgent: boolean): Command[] =>
    plan.cancels.filter((cancel) => URGENT_CANCELS.has(cancel.reason) === isUrgent).map((cancel) => ({ kind: 'cancel', cancel }));
  const places = (isEarly: boolean): Command[] =>
    plan.places.filter((place) => place.isEarly === isEarly).map((place) => ({ kind: 'place', place }));
  return [
    ...(plan.flatten === null ? [] : [{ kind: 'flatten', flatten: plan.flatten } as const]),
    ...cancels(true),
    ...places(false),
    ...cancels(false),
    ...places(true),
  ];
}
