// Abort-signal plumbing that requests and waits share: listen for an abort until undone, relay one
// signal into a controller, and a timeout on the injected clock. Each returns its own undo, which the
// caller runs in `finally`, so no listener or timer outlives the operation it served.

export type Undo = () => void;

/** The part of a Clock a timeout needs (clock.ts builds its sleep on onAbort). */
export interface Sleeper {
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const noop: Undo = () => undefined;

/** Calls `listener` once when `signal` aborts, at once if it already has; returns the detach. */
export function onAbort(signal: AbortSignal | undefined, listener: (reason: unknown) => void): Undo {
  if (!signal) return noop;
  if (signal.aborted) {
    listener(signal.reason);
    return noop;
  }
  const handler = (): void => listener(signal.reason);
  signal.addEventListener('abort', handler, { once: true });
  return () => signal.removeEventListener('abort', handler);
}

/** Aborts `target` with the same reason when `source` aborts; returns the detach. */
export function relayAbort(source: AbortSignal | undefined, target: AbortController): Undo {
  return onAbort(source, (reason) => target.abort(reason));
}

/** Calls `onTimeout` after `ms` on `clock` unless undone first; returns the undo. */
export function afterTimeout(clock: Sleeper, ms: number, onTimeout: () => void): Undo {
  const cancel = new AbortController();
  clock.sleep(ms, cancel.signal).then(onTimeout, noop);
  return () => cancel.abort();
}
