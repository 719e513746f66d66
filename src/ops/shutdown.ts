// Stopping the daemon: the hard deadline first, then the caller's cleanup (stop quoting, cancel
// and confirm, flatten, close streams) exactly once, then the stop alert, the log flush and the
// exit code. A repeated signal soon after the first joins the stop; a later one forces the exit after
// a last bounded cancel. Process access is injected; only main.ts passes the real `process`.

import type { Log } from './log.js';
import { AuthError } from '../errors.js';
import type { Alert } from './alerts.js';
import type { Clock } from './clock.js';
import { EXIT_AUTH, EXIT_FATAL, EXIT_INTERRUPTED, EXIT_OK } from './exit-codes.js';
import type { Notifier } from './notifier.js';

export type StopReason = { kind: 'signal'; signal: string } | { kind: 'fatal'; error: unknown };

/** What the cleanup achieved; anything short of confirmed-and-flat exits 1. */
export interface CleanupReport {
  ordersCancelled: number;
  /** Open orders were read back after cancelling and none was left. */
  isCancelConfirmed: boolean;
  isPositionFlat: boolean;
  /** The remaining position when not flat, for the alert (e.g. `0.005 long`). */
  position?: string;
  /** The uptime count at stop, for the alert. */
  uptime?: string;
}

export interface ShutdownTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ShutdownOptions {
  /** From the first signal to a forced exit 1; below systemd's TimeoutStopSec. */
  deadlineMs: number;
  clock: Clock;
  /** Default: the global timers. */
  timers?: ShutdownTimers;
  logger: Log;
  /** Steps 2–6 of the shutdown: abort quoting, cancel and confirm, flatten, close streams. */
  cleanup: (reason: StopReason) => Promise<CleanupReport>;
  notifier: Notifier;
  /** The longest the stop alert may hold up the exit (also bounded by the deadline). */
  alertFlushMs?: number;
  flushLogs: () => Promise<void>;
  /** The longest the log flush may hold up the exit. */
  logFlushMs?: number;
  exit: (code: number) => void;
  /**
   * A stop signal this soon after the first joins the stop in progress: `timeout` and some
   * supervisors signal the process and then its group, milliseconds apart.
   */
  joinWindowMs?: number;
  /** A forced exit's last act: cancel the orders known to be open (REST), within `forceCleanupMs`. */
  forceCleanup?: () => Promise<void>;
  forceCleanupMs?: number;
}

export type ShutdownState = 'running' | 'stopping' | 'exited';

export interface Shutdown {
  /**
   * First call stops the daemon; a call within the join window joins that stop; a later one runs the
   * bounded force cleanup and exits EXIT_INTERRUPTED.
   */
  requestStop(signal: string): void;
  /** Stops with exit 1 (77 for an AuthError); while already stopping it only marks the stop failed. */
  fatal(error: unknown): void;
  state(): ShutdownState;
  /** Resolves with the code passed to `exit`. */
  readonly exited: Promise<number>;
}

export const DEFAULT_ALERT_FLUSH_MS = 3_000;
export const DEFAULT_LOG_FLUSH_MS = 1_000;
export const DEFAULT_JOIN_WINDOW_MS = 5_000;
export const DEFAULT_FORCE_CLEANUP_MS = 2_000;
/** The alert of an exit that cannot wait for the cleanup gets this long to leave. */
const LAST_ALERT_FLUSH_MS = 1_000;

const globalTimers: ShutdownTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function exitCodeFor(error: unknown): number {
  return error instanceof AuthError ? EXIT_AUTH : EXIT_FATAL;
}

function isClean(report: CleanupReport): boolean {
  return report.isCancelConfirmed && report.isPositionFlat;
}

function stopAlert(reason: StopReason, report: CleanupReport): Alert {
  return {
    kind: 'stop',
    reason: reason.kind === 'signal' ? reason.signal : `fatal: ${errorMessage(reason.error)}`,
    ordersCancelled: report.ordersCancelled,
    isCancelConfirmed: report.isCancelConfirmed,
    isPositionFlat: report.isPositionFlat,
    ...(report.position === undefined ? {} : { position: report.position }),
    ...(report.uptime === undefined ? {} : { uptime: report.uptime }),
  };
}

function causeAlert(error: unknown): Alert {
  return error instanceof AuthError
    ? { kind: 'authFailure', reason: error.message }
    : { kind: 'fatal', message: errorMessage(error) };
}

export function createShutdown(options: ShutdownOptions): Shutdown {
  const { clock, notifier } = options;
  const timers = options.timers ?? globalTimers;
  const log = options.logger.child({ component: 'shutdown' });
  let state: ShutdownState = 'running';
  let exitCode = EXIT_OK;
  let deadlineAt = 0;
  let stopStartedAt = 0;
  let isForcing = false;
  let deadlineTimer: unknown;
  let resolveExited: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    resolveExited = resolve;
  });

  const exitNow = (code: number): void => {
    if (state === 'exited') return;
    state = 'exited';
    timers.clearTimeout(deadlineTimer);
    resolveExited(code);
    options.exit(code);
  };

  /** Waits for `work` but never past `ms`; errors are logged and swallowed. */
  const bounded = async (work: () => Promise<void>, ms: number, what: string): Promise<void> => {
    let timer: unknown;
    const timeout = new Promise<void>((resolve) => {
      timer = timers.setTimeout(resolve, Math.max(0, ms));
    });
    try {
      await Promise.race([work().catch((err: unknown) => log.error({ err }, `${what} failed`)), timeout]);
    } finally {
      timers.clearTimeout(timer);
    }
  };

  const finish = async (code: number): Promise<void> => {
    if (state === 'exited') return;
    log.info({ code }, 'exiting');
    await bounded(options.flushLogs, options.logFlushMs ?? DEFAULT_LOG_FLUSH_MS, 'log flush');
    exitNow(code);
  };

  /** Every exit but 0 is alerted; these two leave before the cleanup could send its stop alert. */
  const alertAndFlush = async (message: string): Promise<void> => {
    notifier.notify({ kind: 'fatal', message });
    await bounded(() => notifier.flush(LAST_ALERT_FLUSH_MS), LAST_ALERT_FLUSH_MS, 'alert flush');
  };

  const onDeadline = (): void => {
    if (state !== 'stopping') return;
    log.fatal({ deadlineMs: options.deadlineMs }, 'shutdown deadline passed, exiting');
    void alertAndFlush(`shutdown deadline (${options.deadlineMs} ms) passed before the cleanup finished: check open orders and the position`).then(() => finish(EXIT_FATAL));
  };

  const runCleanup = async (reason: StopReason): Promise<void> => {
    try {
      const report = await options.cleanup(reason);
      if (!isClean(report)) exitCode = Math.max(exitCode, EXIT_FATAL);
      log[isClean(report) ? 'info' : 'error']({ ...report }, 'cleanup finished');
      notifier.notify(stopAlert(reason, report));
    } catch (err) {
      exitCode = Math.max(exitCode, EXIT_FATAL);
      log.error({ err }, 'cleanup failed');
      notifier.notify({
        kind: 'fatal',
        message: `cleanup failed, check open orders and the position: ${errorMessage(err)}`,
      });
    }
    if (state !== 'stopping') return;
    const remainingMs = deadlineAt - clock.monotonic();
    const alertFlushMs = Math.min(options.alertFlushMs ?? DEFAULT_ALERT_FLUSH_MS, remainingMs);
    await bounded(() => notifier.flush(alertFlushMs), alertFlushMs, 'alert flush');
    await finish(exitCode);
  };

  const onRepeatedSignal = (signal: string): void => {
    const sinceStartMs = clock.monotonic() - stopStartedAt;
    if (sinceStartMs < (options.joinWindowMs ?? DEFAULT_JOIN_WINDOW_MS)) {
      log.info({ signal, sinceStartMs }, 'stop already in progress: the signal joins it');
      return;
    }
    if (isForcing) return;
    isForcing = true;
    log.warn({ signal, sinceStartMs }, 'repeated stop signal: cancelling the known orders, then exiting at once');
    const forceCleanup = options.forceCleanup ?? (() => Promise.resolve());
    notifier.notify({ kind: 'fatal', message: `forced exit on a repeated ${signal}: known orders cancelled over REST, unconfirmed; check open orders and the position` });
    void bounded(forceCleanup, options.forceCleanupMs ?? DEFAULT_FORCE_CLEANUP_MS, 'forced cancel')
      .then(() => bounded(() => notifier.flush(LAST_ALERT_FLUSH_MS), LAST_ALERT_FLUSH_MS, 'alert flush'))
      .then(() => bounded(options.flushLogs, options.logFlushMs ?? DEFAULT_LOG_FLUSH_MS, 'log flush'))
      .then(() => exitNow(EXIT_INTERRUPTED));
  };

  const begin = (reason: StopReason, firstAlert?: Alert): void => {
    state = 'stopping';
    stopStartedAt = clock.monotonic();
    // The deadline comes first, so that nothing below can hold the process past it.
    deadlineAt = stopStartedAt + options.deadlineMs;
    deadlineTimer = timers.setTimeout(onDeadline, options.deadlineMs);
    if (firstAlert) notifier.notify(firstAlert);
    runCleanup(reason).catch((err: unknown) => {
      log.error({ err }, 'shutdown failed');
      exitNow(EXIT_FATAL);
    });
  };

  return {
    requestStop(signal: string): void {
      if (state === 'exited') return;
      if (state === 'stopping') {
        onRepeatedSignal(signal);
        return;
      }
      log.info({ signal }, 'stopping');
      begin({ kind: 'signal', signal });
    },
    fatal(error: unknown): void {
      if (state === 'exited') return;
      if (state === 'stopping') {
        exitCode = Math.max(exitCode, exitCodeFor(error));
        log.error({ err: error }, 'fatal error while stopping');
        return;
      }
      exitCode = exitCodeFor(error);
      log.fatal({ err: error }, 'fatal error, stopping');
      begin({ kind: 'fatal', error }, causeAlert(error));
    },
    state: () => state,
    exited,
  };
}

export interface ProcessEvents {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

export interface ProcessHandlers {
  /** SIGHUP: re-read the settings that can change live. Without it SIGHUP is ignored, never fatal. */
  readonly reload?: () => void;
}

/** Wires signals and last-resort error events to the shutdown. Called only by main.ts. */
export function installProcessHandlers(proc: ProcessEvents, shutdown: Shutdown, handlers: ProcessHandlers = {}): void {
  proc.on('SIGHUP', () => handlers.reload?.());
  proc.on('SIGTERM', () => shutdown.requestStop('SIGTERM'));
  proc.on('SIGINT', () => shutdown.requestStop('SIGINT'));
  proc.on('uncaughtException', (error: unknown) => shutdown.fatal(error));
  proc.on('unhandledRejection', (reason: unknown) => shutdown.fatal(reason));
}
