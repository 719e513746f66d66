// `standx-mm run`: load the account's settings, take its lock (one daemon per account), start the
// daemon with its control socket, and route SIGHUP to a reload. Refusals that happen after the
// settings parsed (a misspelt variable, a second daemon) are alerted as well as printed.

import type { Writable } from 'node:stream';
import pino from 'pino';
import type { Config } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { acquireAccountLock, AccountLockedError, type AccountLock } from '../ops/account-lock.js';
import type { SystemdEnv } from '../ops/sd-notify.js';
import type { Clock } from '../ops/clock.js';
import { EXIT_ALREADY_RUNNING, EXIT_CONFIG } from '../ops/exit-codes.js';
import { installProcessHandlers, type ProcessEvents } from '../ops/shutdown.js';
import { loadAccountConfig, UnknownVariableError, type AccountConfig } from './account-config.js';
import { createNotifier } from './alerts-wiring.js';
import { startDaemon, type Daemon } from './daemon.js';
import { reloadSettings, type ReloadTarget } from './reload-wiring.js';

export interface RunCommandOptions {
  readonly configPath: string;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly proc: ProcessEvents;
  readonly pid: number;
  readonly exit: (code: number) => void;
  /** systemd's notify and watchdog variables, when run by a unit (Type=notify). */
  readonly systemdEnv?: SystemdEnv;
}

/** The longest a refusal's alert may hold up the exit. */
const REFUSAL_ALERT_MS = 3_000;

export async function runDaemonCommand(options: RunCommandOptions): Promise<Daemon | null> {
  let account: AccountConfig;
  try {
    account = loadAccountConfig(options.configPath, options.processEnv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) options.stderr.write(`standx-mm: config error: ${problem}\n`);
    if (error instanceof UnknownVariableError) await alertRefusal(error.config, options, error.problems.join('; '), EXIT_CONFIG);
    options.exit(EXIT_CONFIG);
    return null;
  }
  const { config } = account;
  let lock: AccountLock;
  try {
    lock = await acquireAccountLock(config.runtime.lockFile, { pid: options.pid, startedAt: new Date(options.clock.now()).toISOString() });
  } catch (error) {
    if (!(error instanceof AccountLockedError)) throw error;
    options.stderr.write(`standx-mm: ${error.message}; not starting a second one (exit ${EXIT_ALREADY_RUNNING})\n`);
    await alertRefusal(config, options, error.message, EXIT_ALREADY_RUNNING);
    options.exit(EXIT_ALREADY_RUNNING);
    return null;
  }
  let reload = (): void => {
    options.stderr.write('standx-mm: SIGHUP while starting: ignored\n');
  };
  const daemon = await startDaemon({
    config,
    clock: options.clock,
    stdout: options.stdout,
    logToFile: true,
    exit: (code) => {
      void lock.release();
      options.exit(code);
    },
    installHandlers: (shutdown) => installProcessHandlers(options.proc, shutdown, { reload: () => reload() }),
    ownPid: options.pid,
    controlSocket: config.runtime.controlSocket,
    ignoredVariables: account.ignoredVariables,
    ...(options.systemdEnv ? { systemdEnv: options.systemdEnv } : {}),
  });
  const target = reloadTarget(daemon, config, options.clock);
  reload = () => void reloadSettings(target, options.configPath, options.processEnv);
  return daemon;
}

function reloadTarget(daemon: Daemon, config: Config, clock: Clock): ReloadTarget {
  return {
    config,
    loop: () => daemon.loop,
    spec: () => daemon.connection?.exchange.spec ?? null,
    notifier: daemon.notifier,
    setLogLevel: (level) => (daemon.logger.logger.level = level),
    clock,
    log: daemon.logger.logger,
  };
}

async function alertRefusal(config: Config, options: RunCommandOptions, reason: string, exitCode: number): Promise<void> {
  const log = pino({ level: 'warn', base: { account: config.accountName, symbol: config.quoting.symbol } }, options.stderr);
  const notifier = createNotifier(config, log, options.clock);
  notifier.notify({ kind: 'notStarted', reason, exitCode });
  await notifier.flush(REFUSAL_ALERT_MS);
}
