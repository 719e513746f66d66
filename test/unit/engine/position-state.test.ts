import { describe, expect, it } from 'vitest';
import type { Position } from '../../../src/domain/types.js';
import { PositionState } from '../../../src/engine/position-state.js';

const REST_LAG_MS = 20_000;
const position = (qtyLots: bigint): Position => ({ symbol: 'BTC-USD', qtyLots, entryPrice: '100000', realizedPnl: '0' });

describe('PositionState', () => {
  it('is flat before anything arrived', () => {
    expect(new PositionState(REST_LAG_MS).lots).toBe(0n);
  });

  it('takes every push and reports the change', () => {
    const state = new PositionState(REST_LAG_MS);
    expect(state.applyPush(position(5n), 1_000)).toEqual({ beforeLots: 0n, afterLots: 5n });
    expect(state.applyPush(position(0n), 2_000)).toEqual({ beforeLots: 5n, afterLots: 0n });
    expect(state.lots).toBe(0n);
  });

  it.each([
    ['a non-zero read right after a flat push (a reduce-only flatten cannot overshoot)', 0n, 1_000, 3n, 3n],
    ['a flat read while the last push is younger than the REST lag', 5n, REST_LAG_MS, 0n, 5n],
    ['a flat read once the last push is older than the REST lag', 5n, REST_LAG_MS + 1, 0n, 0n],
  ] as const)('adopts or ignores a REST read: %s', (_what, pushedLots, readAfterMs, readLots, expectedLots) => {
    const state = new PositionState(REST_LAG_MS);
    state.applyPush(position(pushedLots), 0);
    state.adoptRead(position(readLots), readAfterMs);
    expect(state.lots).toBe(expectedLots);
  });

  it('reports an adopted read as a change, and an ignored one as null', () => {
    const state = new PositionState(REST_LAG_MS);
    state.applyPush(position(5n), 0);
    expect(state.adoptRead(position(0n), 1)).toBeNull();
    expect(state.adoptRead(position(7n), 2)).toEqual({ beforeLots: 5n, afterLots: 7n });
  });
});
