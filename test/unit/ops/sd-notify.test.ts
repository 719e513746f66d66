import { describe, expect, it } from 'vitest';
import { createSystemdNotifier, watchdogPingMs, type SystemdEnv } from '../../../src/ops/sd-notify.js';
import { silentLog } from '../../../src/ops/log.js';

describe('watchdogPingMs', () => {
  it.each<[string, SystemdEnv, number | null]>([
    ['no watchdog', {}, null],
    ['30 s watchdog', { WATCHDOG_USEC: '30000000' }, 15_000],
    ['for this pid', { WATCHDOG_USEC: '1000000', WATCHDOG_PID: '42' }, 500],
    ['for another pid', { WATCHDOG_USEC: '1000000', WATCHDOG_PID: '43' }, null],
    ['junk', { WATCHDOG_USEC: 'soon' }, null],
    ['zero', { WATCHDOG_USEC: '0' }, null],
  ])('%s', (_name, env, expected) => {
    expect(watchdogPingMs(env, 42)).toBe(expected);
  });
});

describe('createSystemdNotifier', () => {
  it('does nothing without NOTIFY_SOCKET', () => {
    expect(createSystemdNotifier({ WATCHDOG_USEC: '1000000' }, silentLog, () => Promise.reject(new Error('must not run')))).toBeNull();
  });

  it('runs systemd-notify with the socket and PATH only, one at a time, merging what waits', async () => {
    const calls: Array<{ args: readonly string[]; env: Readonly<Record<string, string>> }> = [];
    const finishers: Array<() => void> = [];
    const notifier = createSystemdNotifier({ NOTIFY_SOCKET: '/run/x.sock', PATH: '/usr/bin' }, silentLog, (args, env) => {
      calls.push({ args, env });
      return new Promise<void>((resolve) => finishers.push(resolve));
    });
    notifier?.notify('READY=1', 'STATUS=quoting');
    notifier?.notify('WATCHDOG=1');
    notifier?.notify('WATCHDOG=1');
    notifier?.notify('STOPPING=1');
    expect(calls).toEqual([{ args: ['READY=1', 'STATUS=quoting'], env: { NOTIFY_SOCKET: '/run/x.sock', PATH: '/usr/bin' } }]);
    finishers.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls[1]?.args).toEqual(['WATCHDOG=1', 'STOPPING=1']);
  });
});
