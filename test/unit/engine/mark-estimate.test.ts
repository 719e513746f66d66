import { describe, expect, it } from 'vitest';
import type { TickPrice } from '../../../src/domain/price.js';
import { estimateMark, type MarkPush } from '../../../src/engine/mark-estimate.js';

const tp = (num: bigint, den = 1n): TickPrice => ({ num, den });
const STALE_MS = 12_000;

function push(mark: TickPrice, midAtPush: TickPrice | null, receivedAtMs = 0): MarkPush {
  return { mark, midAtPush, receivedAtMs };
}

describe('estimateMark', () => {
  it.each<[string, MarkPush | null, TickPrice | null, number, TickPrice | null]>([
    ['no push yet: no mark', null, tp(1_000_000n), 0, null],
    ['the push itself while the mid has not moved', push(tp(1_000_200n), tp(1_000_000n)), tp(1_000_000n), 1_000, tp(1_000_200n)],
    ['the basis carried up with the mid', push(tp(1_000_200n), tp(1_000_000n)), tp(1_000_050n), 1_000, tp(1_000_250n)],
    ['the basis carried down with the mid', push(tp(999_800n), tp(1_000_000n)), tp(999_000n), 1_000, tp(998_800n)],
    ['a half-tick mid now', push(tp(1_000_200n), tp(1_000_000n)), tp(2_000_001n, 2n), 1_000, tp(2_000_401n, 2n)],
    ['a half-tick mid at the push', push(tp(1_000_200n), tp(1_999_999n, 2n)), tp(1_000_000n), 1_000, tp(2_000_401n, 2n)],
    ['a mark with more digits than the tick, reduced', push(tp(10_002_005n, 10n), tp(1_000_000n)), tp(1_000_001n), 1_000, tp(2_000_403n, 2n)],
    ['the pushed mark when there was no mid at the push', push(tp(1_000_200n), null), tp(1_000_900n), 1_000, tp(1_000_200n)],
    ['the pushed mark when there is no mid now', push(tp(1_000_200n), tp(1_000_000n)), null, 1_000, tp(1_000_200n)],
    ['still used at exactly the stale age', push(tp(1_000_200n), tp(1_000_000n)), tp(1_000_000n), STALE_MS, tp(1_000_200n)],
    ['no mark once the push is older than the stale age', push(tp(1_000_200n), tp(1_000_000n)), tp(1_000_000n), STALE_MS + 1, null],
    ['no mark when the estimate is not positive', push(tp(100n), tp(1_000n)), tp(900n), 1_000, null],
  ])('%s', (_name, last, mid, nowMs, expected) => {
    expect(estimateMark(last, mid, nowMs, STALE_MS)).toEqual(expected);
  });

  it('is exact: the estimate minus the mid equals the pushed basis, for any rational prices', () => {
    for (const markDen of [1n, 2n, 10n, 1000n]) {
      for (const thenDen of [1n, 2n, 8n]) {
        for (const nowDen of [1n, 2n, 3n]) {
          const mark = tp(1_000_123n * markDen + 7n, markDen);
          const then = tp(999_999n * thenDen + 1n, thenDen);
          const now = tp(1_000_500n * nowDen - 1n, nowDen);
          const estimate = estimateMark(push(mark, then), now, 0, STALE_MS);
          if (estimate === null) throw new Error('no estimate');
          // estimate − now == mark − then, cross-multiplied.
          const left = (estimate.num * now.den - now.num * estimate.den) * (mark.den * then.den);
          const right = (mark.num * then.den - then.num * mark.den) * (estimate.den * now.den);
          expect(left).toBe(right);
        }
      }
    }
  });
});
