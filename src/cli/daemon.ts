// The daemon's composition: logger, alerts, auth, exchange, maker loop and the shutdown that undoes
// them. Process access (signals, exit, stdout) comes in through the options, so the `sim` command
// and the tests can run a daemon inside their own process.

import type { Writable } from 'node:stream';
import type { Log } from '../ops/log.js';
import { describeConfig, type Config } from '../config/load.js';
import { abs, formatUnits } from '../domain/decimal.js';
import { bpsToNumber } from '../domain/bps.js';
import { ClientIds } from '../engine/client-ids.js';
import { cancelAllAndConfirm, flattenAndConfirm } from '../engine/cleanup.js';
import { MakerLoop } from '../engine/maker-loop.js';
import { ConfigError } from '../errors.js';
import { createLogger, type LoggerHandle } from '../ops/logger.js';
import type { Clock } from '../ops/clock.js';
import { combineSinks, createProbe, type ProbeSinks } from '../ops/probe.js';
import { yieldToMainThread } from '../ops/scheduling.js';
import { createShutdown, type CleanupReport, type Shutdown } from '../ops/shutdown.js';
import { EXIT_CONFIG } from '../ops/exit-codes.js';
import type { SymbolSpec } from '../domain/types.js';
import type { ControlHandler, ControlServer } from '../ops/control-socket.js';
import type { SystemdEnv } from '../ops/sd-notify.js';
import { SwitchableNotifier } from '../ops/switchable-notifier.js';
import { connectExchange, type Connection, type ConnectOptions } from './connect.js';
import { createNotifier, wireAlerts } from './alerts-wiring.js';
import { controlHandlers, startControl } from './control-wiring.js';
import { wireGuards } from './guards-wiring.js';
import { forceCancelKnown } from './force-cancel.js';
import { makerTiming, qtyLotsFor, quotingOf } from './maker-settings.js';
import { Observability, type ObservabilityTiming } from './observability-wiring.js';
import type { HttpFetch } from '../exchange/standx/http-transport.js';
import type { WsTuning } from '../exchange/standx/ws-connection.js';

export interface DaemonOptions {
  readonly config: Config;
  readonly clock: Clock;
  /** Console output (journald under systemd); null for none. */
  readonly stdout: Writable | null;
  /** Write the rotating log file (off only for tests that do not need it). */
  readonly logToFile: boolean;
  readonly exit: (code: number) => void;
  readonly fetch?: HttpFetch;
  readonly wsTuning?: WsTuning;
  /** What the benchmark (and the metrics) measure at the I/O edges. */
  readonly probeSinks?: ProbeSinks;
  /** Called as soon as the shutdown exists, so that a signal during start-up already cleans up. */
  readonly installHandlers?: (shutdown: Shutdown) => void;
  /** The daemon's own process: its threads other than the main one become SCHED_BATCH (ops/scheduling.ts). */
  readonly ownPid?: number;
  /** Serve pause/resume on this socket (the caller holds the account's lock); null or absent for none. */
  readonly controlSocket?: string | null;
  /** Variables of the env file the daemon does not use, logged once at start. */
  readonly ignoredVariables?: readonly string[];
  /** systemd's notify variables (Type=notify units); absent or without NOTIFY_SOCKET: no notifications. */
  readonly systemdEnv?: SystemdEnv;
  /** Shorter uptime, status-line and sampling periods for tests. */
  readonly observabilityTiming?: ObservabilityTiming;
}

export interface Daemon {
  readonly logger: LoggerHandle;
  readonly notifier: SwitchableNotifier;
  readonly shutdown: Shutdown;
  readonly ids: ClientIds;
  /** Set once the exchange is connected and quoting started. */
  loop: MakerLoop | null;
  connection: Connection | null;
  /** Metrics, uptime, ledger, status, health and systemd's watchdog. */
  readonly observability: Observability;
  /** The control socket's commands (pause, resume, status); each wiring adds its own before the server starts. */
  readonly controlHandlers: Map<string, ControlHandler>;
  control: ControlServer | null;
}

/** Time the cleanup leaves for the stop alert and the log flush before the hard deadline. */
const EXIT_RESERVE_MS = 3_000;

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const { config, clock } = options;
  const logger = await createLogger({
    account: config.accountName,
    symbol: config.quoting.symbol,
    level: config.log.level,
    file: options.logToFile ? config.log.file : null,
    maxSizeMb: config.log.maxSizeMb,
    maxFiles: config.log.maxFiles,
    stdout: options.stdout,
    clock,
  });
  const log = logger.logger;
  const notifier = new SwitchableNotifier(createNotifier(config, log, clock));
  const ids = new ClientIds(config.clOrdIdPrefix, clock.now());
  const systemd = options.systemdEnv && options.ownPid !== undefined ? { env: options.systemdEnv, ownPid: options.ownPid } : null;
  const daemon: Daemon = {
    logger,
    notifier,
    ids,
    loop: null,
    connection: null,
    observability: new Observability({ config, clock, log, notifier, systemd, ...(options.observabilityTiming ? { timing: options.observabilityTiming } : {}) }),
    controlHandlers: controlHandlers({ loop: () => daemon.loop, clock }),
    control: null,
    // The cleanup reads the loop and the connection when it runs, by which time they may exist.
    shutdown: createShutdown({
      deadlineMs: config.timing.shutdownTimeoutMs,
      clock,
      logger: log,
      notifier,
      cleanup: () => cleanup(daemon, config, clock, ids),
      flushLogs: () => logger.flush(),
      exit: options.exit,
      forceCleanup: () => forceCancelKnown(daemon, log),
    }),
  };
  options.installHandlers?.(daemon.shutdown);
  log.info({ config: describeConfig(config), runTag: ids.runTag }, 'starting');
  if (options.ignoredVariables?.length) log.info({ variables: options.ignoredVariables }, 'variables not used by standx-mm: ignored');
  try {
    let qtyLots = 0n;
    // Checked against the live rules before either socket opens, as `check` does.
    const validateSpec = (spec: SymbolSpec): void => {
      qtyLots = qtyLotsFor(config.quoting.qty, spec);
    };
    const probeSinks = combineSinks(options.probeSinks, daemon.observability.metrics.probeSinks);
    daemon.connection = await connectExchange({ config, clock, logger: log, validateSpec, ...optional(options), probe: createProbe(probeSinks, log) });
    // After the connection, which starts the last of Node's thread pools (DNS, file writes).
    if (options.ownPid !== undefined) await yieldBackgroundThreads(options.ownPid, log);
    const loop = new MakerLoop({
      exchange: daemon.connection.exchange,
      clock,
      logger: log,
      ids,
      quoting: quotingOf(config, qtyLots),
      timing: makerTiming(config),
    });
    daemon.loop = loop;
    wireAlerts({ notifier, shutdown: daemon.shutdown, loop, connection: daemon.connection, config, clock, logger: log });
    wireGuards({ loop, exchange: daemon.connection.exchange, ids, config, notifier, clock, logger: log });
    await daemon.observability.attach(loop, daemon.connection, daemon.controlHandlers);
    if (options.controlSocket) daemon.control = await startControl(options.controlSocket, daemon.controlHandlers, log);
    await loop.start();
    notifier.notify({
      kind: 'start',
      symbol: config.quoting.symbol,
      qty: config.quoting.qty,
      band: bandForAlert(config),
      policy: config.quoting.policy,
      scheme: config.credentials.scheme,
    });
  } catch (error) {
    await failStart(daemon, error, options.exit);
  }
  return daemon;
}

async function yieldBackgroundThreads(pid: number, log: Log): Promise<void> {
  try {
    const threads = await yieldToMainThread(pid);
    log.info({ threads }, 'background threads are SCHED_BATCH: they no longer preempt the order path');
  } catch (error) {
    log.warn({ err: error }, 'background threads stay normal tasks (needs Linux and chrt): expect a longer tick-to-order tail');
  }
}

async function failStart(daemon: Daemon, error: unknown, exit: (code: number) => void): Promise<void> {
  const log = daemon.logger.logger;
  if (error instanceof ConfigError && daemon.loop === null) {
    // Nothing has been sent yet: report the configuration problem and leave without a cleanup.
    for (const problem of error.problems) log.fatal({ problem }, 'invalid configuration');
    daemon.notifier.notify({ kind: 'notStarted', reason: error.problems.join('; '), exitCode: EXIT_CONFIG });
    daemon.connection?.close();
    await Promise.all([daemon.notifier.flush(EXIT_RESERVE_MS), daemon.logger.flush()]);
    exit(EXIT_CONFIG);
    return;
  }
  daemon.shutdown.fatal(error);
}

async function cleanup(daemon: Daemon, config: Config, clock: Clock, ids: ClientIds): Promise<CleanupReport> {
  const { loop, connection } = daemon;
  const log = daemon.logger.logger;
  daemon.observability.stopping();
  loop?.stopQuoting();
  if (!connection) {
    await stopObservers(daemon);
    return { ordersCancelled: 0, isCancelConfirmed: true, isPositionFlat: true };
  }
  const { exchange } = connection;
  const deadlineMs = clock.now() + Math.max(1_000, config.timing.shutdownTimeoutMs - EXIT_RESERVE_MS);
  const cancelDeadlineMs = deadlineMs - Math.floor((deadlineMs - clock.now()) / 3);
  try {
    const cancelled = await cancelAllAndConfirm({
      exchange,
      clock,
      logger: log,
      isTarget: (order) => ids.isOwn(order.clOrdId),
      knownClientIds: loop ? loop.snapshot().orders.map((order) => order.clOrdId) : [],
      deadlineMs: cancelDeadlineMs,
    });
    const lots = await flattenAndConfirm({ exchange, clock, logger: log, ids, deadlineMs });
    const report: CleanupReport = {
      ordersCancelled: cancelled.confirmed,
      isCancelConfirmed: cancelled.remaining === 0,
      isPositionFlat: lots === 0n,
    };
    if (lots !== 0n) report.position = lots === null ? 'unknown (could not be read)' : describeLots(lots, exchange.spec);
    const uptime = await stopObservers(daemon);
    if (uptime !== null) report.uptime = uptime;
    return report;
  } finally {
    await stopObservers(daemon);
    loop?.detach();
    connection.close();
  }
}

/** After the cleanup's own fills are booked; a second call finds nothing left to stop. */
async function stopObservers(daemon: Daemon): Promise<string | null> {
  const uptime = await daemon.observability.stop().catch((error: unknown) => {
    daemon.logger.logger.error({ err: error }, 'stopping the observers failed');
    return null;
  });
  const control = daemon.control;
  daemon.control = null;
  await control?.close();
  return uptime;
}

function describeLots(lots: bigint, spec: SymbolSpec): string {
  return `${formatUnits(abs(lots), spec.qtyDecimals)} ${lots < 0n ? 'short' : 'long'}`;
}

function bandForAlert(config: Config): { minBps: number; targetBps: number; maxBps: number } {
  const { quoting } = config;
  return { minBps: bpsToNumber(quoting.minBps), targetBps: bpsToNumber(quoting.targetBps), maxBps: bpsToNumber(quoting.maxBps) };
}

function optional(options: DaemonOptions): Pick<ConnectOptions, 'fetch' | 'wsTuning'> {
  return {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.wsTuning ? { wsTuning: options.wsTuning } : {}),
  };
}
