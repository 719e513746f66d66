import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterTimeout, onAbort, relayAbort } from '../../../src/ops/abort.js';
import { systemClock } from '../../../src/ops/clock.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('onAbort', () => {
  it('calls the listener once with the reason when the signal aborts', () => {
    const controller = new AbortController();
    const reasons: unknown[] = [];
    onAbort(controller.signal, (reason) => reasons.push(reason));
    controller.abort('stop');
    controller.abort('again');
    expect(reasons).toEqual(['stop']);
  });

  it('calls the listener at once for a signal that has already aborted', () => {
    const reasons: unknown[] = [];
    onAbort(AbortSignal.abort('early'), (reason) => reasons.push(reason));
    expect(reasons).toEqual(['early']);
  });

  it('does nothing after the detach, and nothing at all without a signal', () => {
    const controller = new AbortController();
    const listener = vi.fn();
    onAbort(controller.signal, listener)();
    controller.abort();
    expect(onAbort(undefined, listener)).toBeTypeOf('function');
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('relayAbort', () => {
  it('aborts the target with the source reason until detached', () => {
    const source = new AbortController();
    const target = new AbortController();
    relayAbort(source.signal, target);
    source.abort('bye');
    expect(target.signal.reason).toBe('bye');
    const other = new AbortController();
    const untouched = new AbortController();
    relayAbort(other.signal, untouched)();
    other.abort();
    expect(untouched.signal.aborted).toBe(false);
  });
});

describe('afterTimeout', () => {
  it('fires after the delay on the clock', async () => {
    const fired = vi.fn();
    afterTimeout(systemClock, 1_000, fired);
    await vi.advanceTimersByTimeAsync(999);
    expect(fired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('never fires once undone, and leaves no timer behind', async () => {
    const fired = vi.fn();
    afterTimeout(systemClock, 1_000, fired)();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
