// The mark between two pushes. StandX pushes its mark about every 3 s while the book top moves every
// ~250 ms, and the mark sits a slowly changing basis away from the mid; so the last push's basis
// (mark − mid, with the mid the loop had when the push arrived) is carried over to the current mid.
// Exact: rationals in ticks throughout.

import type { TickPrice } from '../domain/price.js';
import { reducePrice } from './mid.js';

export interface MarkPush {
  readonly mark: TickPrice;
  /** The loop's mid when the push arrived; null when it had none (the pushed mark is then used as it is). */
  readonly midAtPush: TickPrice | null;
  readonly receivedAtMs: number;
}

/**
 * mark + (mid − midAtPush). The pushed mark itself when the basis is unknown (no mid at the push or
 * none now); null when there is no push, the last one is older than `staleMs` (the price channel
 * stopped: better no mark rule than a window in the wrong place), or the estimate is not positive.
 */
export function estimateMark(push: MarkPush | null, mid: TickPrice | null, nowMs: number, staleMs: number): TickPrice | null {
  if (push === null || nowMs - push.receivedAtMs > staleMs) return null;
  if (push.midAtPush === null || mid === null) return push.mark;
  const { mark, midAtPush: then } = push;
  // a/b + c/d − e/f = (a·d·f + c·b·f − e·b·d) / (b·d·f)
  const estimate: TickPrice = {
    num: mark.num * mid.den * then.den + mid.num * mark.den * then.den - then.num * mark.den * mid.den,
    den: mark.den * mid.den * then.den,
  };
  return estimate.num > 0n ? reducePrice(estimate) : null;
}
