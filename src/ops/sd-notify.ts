// Telling systemd how the daemon is (Type=notify): READY=1, WATCHDOG=1, STOPPING=1, through the
// systemd-notify tool. Node has no datagram Unix sockets, and the notifying child is not the main
// process, so the units set NotifyAccess=all; systemd-notify (systemd ≥ 246) waits for the manager to
// take the message before it exits, so it is attributed to the unit. Without NOTIFY_SOCKET: nothing.

import { execFile } from 'node:child_process';
import type { Log } from './log.js';

/** The variables systemd sets for a Type=notify service (main.ts reads them from the environment). */
export interface SystemdEnv {
  readonly NOTIFY_SOCKET?: string | undefined;
  readonly WATCHDOG_USEC?: string | undefined;
  readonly WATCHDOG_PID?: string | undefined;
  /** Where systemd-notify is found. */
  readonly PATH?: string | undefined;
}

export interface SystemdNotifier {
  notify(...assignments: string[]): void;
}

/** Runs `systemd-notify ARGS…`; resolves when it exits (rejects when it cannot run or fails). */
export type NotifyRunner = (args: readonly string[], env: Readonly<Record<string, string>>) => Promise<void>;

const NOTIFY_TIMEOUT_MS = 10_000;

export const runSystemdNotify: NotifyRunner = (args, env) =>
  new Promise((resolve, reject) => {
    execFile('systemd-notify', [...args], { env: { ...env }, timeout: NOTIFY_TIMEOUT_MS }, (error) => (error ? reject(error) : resolve()));
  });

/**
 * Null when the daemon does not run under a Type=notify unit. One systemd-notify runs at a time;
 * what is asked meanwhile is merged into the next message, so READY=1 or STOPPING=1 is never lost.
 */
export function createSystemdNotifier(env: SystemdEnv, log: Log, run: NotifyRunner = runSystemdNotify): SystemdNotifier | null {
  const socket = env.NOTIFY_SOCKET;
  if (!socket) return null;
  const childEnv: Record<string, string> = { NOTIFY_SOCKET: socket, ...(env.PATH ? { PATH: env.PATH } : {}) };
  const pending = new Map<string, string>();
  let isBusy = false;
  let hasWarned = false;
  const sendPending = (): void => {
    if (isBusy || pending.size === 0) return;
    const message = [...pending].map(([name, value]) => `${name}=${value}`);
    pending.clear();
    isBusy = true;
    run(message, childEnv)
      .catch((error: unknown) => {
        if (hasWarned) return;
        hasWarned = true;
        log.warn({ err: error }, 'systemd-notify failed: systemd may restart the daemon for want of a watchdog ping');
      })
      .finally(() => {
        isBusy = false;
        sendPending();
      });
  };
  return {
    notify(...assignments) {
      for (const assignment of assignments) {
        const [name = '', ...value] = assignment.split('=');
        pending.set(name, value.join('='));
      }
      sendPending();
    },
  };
}

/** Half the watchdog timeout systemd set for this process, or null when there is none. */
export function watchdogPingMs(env: SystemdEnv, ownPid: number): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== ownPid) return null;
  return Math.max(1, Math.floor(usec / 2_000));
}
