import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthError, ProtocolError } from '../../../src/errors.js';
import type { Alert } from '../../../src/ops/alerts.js';
import type { Clock } from '../../../src/ops/clock.js';
import { EXIT_AUTH, EXIT_FATAL, EXIT_INTERRUPTED, EXIT_OK } from '../../../src/ops/exit-codes.js';
import type { Notifier } from '../../../src/ops/notifier.js';
import { createShutdown, installProcessHandlers } from '../../../src/ops/shutdown.js';
import type { CleanupReport, ShutdownOptions, ShutdownTimers, StopReason } from '../../../src/ops/shutdown.js';
import { memoryLogger } from './helpers.js';
import type { LogLine } from './helpers.js';

const DEADLINE_MS = 20_000;
const CLEAN: CleanupReport = { ordersCancelled: 2, isCancelConfirmed: true, isPositionFlat: true };

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createShutdown', () => {
  let steps: string[];
  let alerts: Alert[];
  let reasons: StopReason[];
  let exits: number[];
  let lines: LogLine[];

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    steps = [];
    alerts = [];
    reasons = [];
    exits = [];
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const clock: Clock = {
    now: () => Date.now(),
    monotonic: () => Date.now(),
    sleep: () => Promise.resolve(),
  };

  const timers: ShutdownTimers = {
    setTimeout: (callback, ms) => {
      if (ms === DEADLINE_MS) steps.push('deadline armed');
      return setTimeout(callback, ms);
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };

  const recordingNotifier = (flush: (timeoutMs: number) => Promise<void> = () => Promise.resolve()): Notifier => ({
    notify: (alert) => {
      steps.push(`alert ${alert.kind}`);
      alerts.push(alert);
    },
    flush: (timeoutMs) => {
      steps.push('alerts flushed');
      return flush(timeoutMs);
    },
  });

  const create = (overrides: Partial<ShutdownOptions> = {}): ReturnType<typeof createShutdown> => {
    const memory = memoryLogger();
    lines = memory.lines;
    return createShutdown({
      deadlineMs: DEADLINE_MS,
      clock,
      timers,
      logger: memory.logger,
      cleanup: (reason) => {
        steps.push(`cleanup ${reason.kind}`);
        reasons.push(reason);
        return Promise.resolve(CLEAN);
      },
      notifier: recordingNotifier(),
      flushLogs: () => {
        steps.push('logs flushed');
        return Promise.resolve();
      },
      exit: (code) => {
        steps.push(`exit ${code}`);
        exits.push(code);
      },
      ...overrides,
    });
  };

  it('arms the deadline, cleans up once, alerts, flushes the logs, then exits 0', async () => {
    const shutdown = create();
    shutdown.requestStop('SIGTERM');
    expect(shutdown.state()).toBe('stopping');
    expect(await shutdown.exited).toBe(EXIT_OK);
    expect(steps).toEqual([
      'deadline armed',
      'cleanup signal',
      'alert stop',
      'alerts flushed',
      'logs flushed',
      'exit 0',
    ]);
    expect(reasons).toEqual([{ kind: 'signal', signal: 'SIGTERM' }]);
    expect(alerts).toEqual([
      { kind: 'stop', reason: 'SIGTERM', ordersCancelled: 2, isCancelConfirmed: true, isPositionFlat: true },
    ]);
    expect(shutdown.state()).toBe('exited');
  });

  it('exits 1 when the deadline passes before the cleanup ends', async () => {
    const cleanup = deferred<CleanupReport>();
    const shutdown = create({ cleanup: () => cleanup.promise });
    shutdown.requestStop('SIGTERM');
    await vi.advanceTimersByTimeAsync(DEADLINE_MS - 1);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([EXIT_FATAL]);
    expect(steps.slice(-4)).toEqual(['alert fatal', 'alerts flushed', 'logs flushed', 'exit 1']);
    expect(lines.some((line) => line.level === 'fatal' && line.msg === 'shutdown deadline passed, exiting')).toBe(true);

    cleanup.resolve(CLEAN); // too late: nothing more happens
    await vi.advanceTimersByTimeAsync(DEADLINE_MS);
    expect(exits).toEqual([EXIT_FATAL]);
  });

  it('a second signal within the join window joins the stop: one cleanup, one stop alert, exit 0', async () => {
    const cleanup = deferred<CleanupReport>();
    const shutdown = create({
      cleanup: (reason) => {
        reasons.push(reason);
        return cleanup.promise;
      },
    });
    shutdown.requestStop('SIGTERM');
    shutdown.requestStop('SIGTERM');
    await vi.advanceTimersByTimeAsync(4_999);
    shutdown.requestStop('SIGINT');
    cleanup.resolve(CLEAN);
    expect(await shutdown.exited).toBe(EXIT_OK);
    expect(reasons).toHaveLength(1);
    expect(alerts.map((alert) => alert.kind)).toEqual(['stop']);
    expect(lines.filter((line) => line.msg === 'stop already in progress: the signal joins it')).toHaveLength(2);
  });

  it('a signal after the join window cancels the known orders, then exits 130', async () => {
    const forced = deferred<void>();
    const shutdown = create({
      cleanup: () => new Promise<CleanupReport>(() => undefined),
      forceCleanup: () => {
        steps.push('forced cancel');
        return forced.promise;
      },
    });
    shutdown.requestStop('SIGTERM');
    await vi.advanceTimersByTimeAsync(5_000);
    shutdown.requestStop('SIGTERM');
    shutdown.requestStop('SIGTERM');
    expect(steps.filter((step) => step === 'forced cancel')).toHaveLength(1);
    expect(exits).toEqual([]);
    forced.resolve();
    expect(await shutdown.exited).toBe(EXIT_INTERRUPTED);
    expect(steps.slice(-5)).toEqual(['alert fatal', 'forced cancel', 'alerts flushed', 'logs flushed', 'exit 130']);
    expect(alerts.at(-1)).toMatchObject({ kind: 'fatal', message: expect.stringContaining('forced exit on a repeated SIGTERM') });
  });

  it('a forced exit does not wait for a cancel that hangs past its bound', async () => {
    const shutdown = create({ cleanup: () => new Promise<CleanupReport>(() => undefined), forceCleanup: () => new Promise<void>(() => undefined), forceCleanupMs: 2_000 });
    shutdown.requestStop('SIGTERM');
    await vi.advanceTimersByTimeAsync(6_000);
    shutdown.requestStop('SIGTERM');
    await vi.advanceTimersByTimeAsync(1_999);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([EXIT_INTERRUPTED]);
  });

  it('on a fatal error alerts first, cleans up, and exits 1', async () => {
    const shutdown = create();
    const error = new ProtocolError('malformed order frame');
    shutdown.fatal(error);
    expect(await shutdown.exited).toBe(EXIT_FATAL);
    expect(steps).toEqual([
      'deadline armed',
      'alert fatal',
      'cleanup fatal',
      'alert stop',
      'alerts flushed',
      'logs flushed',
      'exit 1',
    ]);
    expect(reasons).toEqual([{ kind: 'fatal', error }]);
    expect(alerts[0]).toEqual({ kind: 'fatal', message: 'malformed order frame' });
    expect(alerts[1]).toMatchObject({ kind: 'stop', reason: 'fatal: malformed order frame' });
  });

  it('exits 77 after an AuthError and sends the auth-failure alert', async () => {
    const shutdown = create();
    shutdown.fatal(new AuthError('token expired'));
    expect(await shutdown.exited).toBe(EXIT_AUTH);
    expect(alerts[0]).toEqual({ kind: 'authFailure', reason: 'token expired' });
  });

  it('exits 1 when the cleanup fails, with an alert that says so', async () => {
    const shutdown = create({ cleanup: () => Promise.reject(new Error('cancel_orders timed out')) });
    shutdown.requestStop('SIGTERM');
    expect(await shutdown.exited).toBe(EXIT_FATAL);
    expect(alerts).toEqual([
      { kind: 'fatal', message: 'cleanup failed, check open orders and the position: cancel_orders timed out' },
    ]);
  });

  it.each<[string, CleanupReport]>([
    ['cancels were not confirmed', { ordersCancelled: 1, isCancelConfirmed: false, isPositionFlat: true }],
    ['the position is not flat', { ordersCancelled: 1, isCancelConfirmed: true, isPositionFlat: false, position: '0.005 long' }],
  ])('exits 1 when %s', async (_name, report) => {
    const shutdown = create({ cleanup: () => Promise.resolve(report) });
    shutdown.requestStop('SIGTERM');
    expect(await shutdown.exited).toBe(EXIT_FATAL);
    expect(alerts[0]).toMatchObject({ kind: 'stop', ...report });
  });

  it('is idempotent: one cleanup, one exit, later calls ignored', async () => {
    let cleanups = 0;
    const shutdown = create({
      cleanup: () => {
        cleanups += 1;
        return Promise.resolve(CLEAN);
      },
    });
    shutdown.fatal(new Error('first'));
    shutdown.fatal(new Error('second')); // while stopping: no second cleanup
    expect(await shutdown.exited).toBe(EXIT_FATAL);
    shutdown.fatal(new Error('after exit'));
    shutdown.requestStop('SIGTERM');
    expect(cleanups).toBe(1);
    expect(exits).toEqual([EXIT_FATAL]);
  });

  it('turns a stop into exit 1 when a fatal error arrives during the cleanup', async () => {
    const cleanup = deferred<CleanupReport>();
    const shutdown = create({ cleanup: () => cleanup.promise });
    shutdown.requestStop('SIGTERM');
    shutdown.fatal(new Error('unhandled rejection in the order stream'));
    cleanup.resolve(CLEAN);
    expect(await shutdown.exited).toBe(EXIT_FATAL);
    expect(alerts.map((alert) => alert.kind)).toEqual(['stop']);
  });

  it('does not wait on a hanging alert flush past its bound', async () => {
    const shutdown = create({
      notifier: recordingNotifier(() => new Promise<void>(() => undefined)),
      alertFlushMs: 3_000,
    });
    shutdown.requestStop('SIGTERM');
    await vi.advanceTimersByTimeAsync(2_999);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([EXIT_OK]);
  });

  it('bounds the alert flush by the time left before the deadline', async () => {
    const flushTimeouts: number[] = [];
    const shutdown = create({
      cleanup: async () => {
        await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS - 500));
        return CLEAN;
      },
      notifier: recordingNotifier((timeoutMs) => {
        flushTimeouts.push(timeoutMs);
        return Promise.resolve();
      }),
      alertFlushMs: 3_000,
    });
    shutdown.requestStop('SIGTERM');
    await vi.advanceTimersByTimeAsync(DEADLINE_MS - 500);
    expect(await shutdown.exited).toBe(EXIT_OK);
    expect(flushTimeouts).toEqual([500]);
  });

  it('does not wait on a hanging log flush past its bound', async () => {
    const shutdown = create({ flushLogs: () => new Promise<void>(() => undefined), logFlushMs: 1_000 });
    shutdown.requestStop('SIGTERM');
    await vi.advanceTimersByTimeAsync(999);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([EXIT_OK]);
  });
});

describe('installProcessHandlers', () => {
  it('routes signals to requestStop and last-resort errors to fatal', () => {
    const proc = new EventEmitter();
    const calls: string[] = [];
    installProcessHandlers(proc, {
      requestStop: (signal) => calls.push(`stop ${signal}`),
      fatal: (error) => calls.push(`fatal ${(error as Error).message}`),
      state: () => 'running',
      exited: new Promise<number>(() => undefined),
    });
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    proc.emit('uncaughtException', new Error('thrown'));
    proc.emit('unhandledRejection', new Error('rejected'), Promise.resolve());
    expect(calls).toEqual(['stop SIGTERM', 'stop SIGINT', 'fatal thrown', 'fatal rejected']);
  });

  it('routes SIGHUP to reload, and without a reload handler ignores it instead of dying', () => {
    const shutdown = { requestStop: () => undefined, fatal: () => undefined, state: () => 'running' as const, exited: new Promise<number>(() => undefined) };
    const withReload = new EventEmitter();
    let reloads = 0;
    installProcessHandlers(withReload, shutdown, { reload: () => (reloads += 1) });
    withReload.emit('SIGHUP');
    expect(reloads).toBe(1);
    const without = new EventEmitter();
    installProcessHandlers(without, shutdown);
    expect(without.listenerCount('SIGHUP')).toBe(1);
    expect(() => without.emit('SIGHUP')).not.toThrow();
  });
});
