// systemd's view of the daemon: READY=1 once it quotes on a fresh feed, WATCHDOG=1 every half watchdog
// period while the event loop keeps time and the feed is fresh (or its stream is down and being
// reconnected by the daemon itself), STOPPING=1 at shutdown. A wedged process stops pinging and is
// restarted; ExecStopPost then cancels what it left.

import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { ObservableLoop } from '../engine/observations.js';
import type { Log } from '../ops/log.js';
import { createSystemdNotifier, watchdogPingMs, type NotifyRunner, type SystemdEnv, type SystemdNotifier } from '../ops/sd-notify.js';

export interface LivenessOptions {
  readonly env: SystemdEnv;
  readonly ownPid: number;
  readonly loop: ObservableLoop;
  readonly staleAfterMs: number;
  readonly log: Log;
  readonly run?: NotifyRunner;
}

export interface Liveness {
  stopping(): void;
  close(): void;
}

/** Does nothing (and costs nothing) outside a Type=notify unit. */
export function wireLiveness(options: LivenessOptions): Liveness {
  const notifier = createSystemdNotifier(options.env, options.log, options.run);
  if (!notifier) return { stopping: () => undefined, close: () => undefined };
  const { loop, log } = options;
  const onEvaluated = (): void => {
    const snapshot = loop.snapshot();
    if (!snapshot.isQuoting || snapshot.mid === null) return;
    loop.off('evaluated', onEvaluated);
    notifier.notify('READY=1', 'STATUS=quoting');
    log.info('told systemd the daemon is ready');
  };
  loop.on('evaluated', onEvaluated);
  const pingMs = watchdogPingMs(options.env, options.ownPid);
  const watchdog = pingMs === null ? null : startWatchdog(notifier, options, pingMs);
  return {
    stopping: () => notifier.notify('STOPPING=1', 'STATUS=stopping'),
    close: () => {
      loop.off('evaluated', onEvaluated);
      watchdog?.stop();
    },
  };
}

function startWatchdog(notifier: SystemdNotifier, options: LivenessOptions, pingMs: number): { stop(): void } {
  const lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  const timer = setInterval(() => {
    // A loop held up for longer than a ping period is not responsive, even if it runs again now.
    const isResponsive = lag.max / 1e6 < pingMs;
    lag.reset();
    if (isResponsive && isFeedAlive(options)) notifier.notify('WATCHDOG=1');
  }, pingMs);
  timer.unref();
  options.log.info({ pingMs }, 'systemd watchdog pings on');
  return {
    stop: () => {
      clearInterval(timer);
      lag.disable();
    },
  };
}

/** Fresh, or down and in the daemon's own hands; stale with every stream up is what a restart is for. */
function isFeedAlive({ loop, staleAfterMs }: LivenessOptions): boolean {
  const snapshot = loop.snapshot();
  if (snapshot.streamsDown.length > 0) return true;
  return snapshot.lastBookAtMs !== null && !snapshot.isStale && snapshot.atMs - snapshot.lastBookAtMs <= staleAfterMs;
}
