// Cancellable timers on the global setTimeout/setInterval. A cancelled timer's callback is also
// guarded by a flag, so a cancel holds even when only setTimeout/setInterval are faked
// (vi.useFakeTimers({ toFake: ['setTimeout','setInterval','Date'] }) leaves clearTimeout real).

export interface TimerHandle {
  cancel(): void;
}

export function startTimeout(callback: () => void, ms: number): TimerHandle {
  let isLive = true;
  const id = setTimeout(() => {
    if (!isLive) return;
    isLive = false;
    callback();
  }, ms);
  return {
    cancel: () => {
      if (!isLive) return;
      isLive = false;
      clearTimeout(id);
    },
  };
}

export function startInterval(callback: () => void, ms: number): TimerHandle {
  let isLive = true;
  const id = setInterval(() => {
    if (isLive) callback();
  }, ms);
  return {
    cancel: () => {
      if (!isLive) return;
      isLive = false;
      clearInterval(id);
    },
  };
}

/** For optional handles: `cancel(link.idleTimer)`. */
export function cancel(timer: TimerHandle | undefined): void {
  timer?.cancel();
}
