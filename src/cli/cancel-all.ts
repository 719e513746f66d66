// `standx-mm cancel-all`: the emergency brake, also run by the systemd units after an unclean stop.
// Cancels every open order of the account on the symbol (not only the daemon's), confirms it, and
// with --flatten closes the position too. Prints one JSON line. Refuses while a daemon holds the
// account (it would re-place its quotes at once) unless forced; with a reason, alerts what it did.

import type { Writable } from 'node:stream';
import type { Log } from '../ops/log.js';
import type { Config } from '../config/load.js';
import { formatUnits } from '../domain/decimal.js';
import { ClientIds } from '../engine/client-ids.js';
import { cancelAllAndConfirm, flattenAndConfirm } from '../engine/cleanup.js';
import { AuthError, ConfigError } from '../errors.js';
import type { Alert } from '../ops/alerts.js';
import type { Clock } from '../ops/clock.js';
import { acquireAccountLock, AccountLockedError, type AccountLock } from '../ops/account-lock.js';
import { EXIT_ALREADY_RUNNING, EXIT_AUTH, EXIT_CONFIG, EXIT_FATAL, EXIT_OK } from '../ops/exit-codes.js';
import { createNotifier } from './alerts-wiring.js';
import { connectExchange, type Connection } from './connect.js';

export interface CancelAllOptions {
  readonly config: Config;
  readonly flatten: boolean;
  readonly out: Writable;
  readonly clock: Clock;
  readonly logger: Log;
  readonly timeoutMs?: number;
  /** Cancel even while a daemon holds the account's lock. */
  readonly force?: boolean;
  /** Why this runs (stop-post.sh after an unclean stop): alert the outcome with it. */
  readonly reason?: string | null;
  /** Where refusals are explained (stderr). */
  readonly err?: Writable;
  readonly pid?: number;
}

/** The longest the outcome's alert may hold up the exit. */
const ALERT_FLUSH_MS = 5_000;

export async function runCancelAll(options: CancelAllOptions): Promise<number> {
  const lock = await lockUnlessForced(options);
  if (lock === 'refused') return EXIT_ALREADY_RUNNING;
  try {
    return await cancelAll(options);
  } finally {
    await lock?.release();
  }
}

/** Holds the account's lock while cancelling, so that no daemon starts quoting meanwhile. */
async function lockUnlessForced(options: CancelAllOptions): Promise<AccountLock | null | 'refused'> {
  const { config } = options;
  try {
    return await acquireAccountLock(config.runtime.lockFile, { pid: options.pid ?? 0, startedAt: new Date(options.clock.now()).toISOString() });
  } catch (error) {
    if (!(error instanceof AccountLockedError)) throw error;
    if (options.force === true) return null;
    options.err?.write(
      `standx-mm: ${error.message}; it would re-place its quotes at once. Pause it (standx-mm pause --config FILE) or stop it (systemctl stop), or pass --force\n`,
    );
    return 'refused';
  }
}

async function cancelAll(options: CancelAllOptions): Promise<number> {
  const { config, clock, logger } = options;
  const deadlineMs = clock.now() + (options.timeoutMs ?? 30_000);
  let connection: Connection | null = null;
  try {
    connection = await connectExchange({ config, clock, logger, connectTimeoutMs: 10_000 });
    const { exchange } = connection;
    const report = await cancelAllAndConfirm({
      exchange,
      clock,
      logger,
      isTarget: (order) => order.symbol === exchange.spec.symbol,
      deadlineMs: options.flatten ? deadlineMs - (deadlineMs - clock.now()) / 3 : deadlineMs,
    });
    let positionLots: bigint | null = null;
    if (options.flatten) {
      positionLots = await flattenAndConfirm({ exchange, clock, logger, ids: new ClientIds(config.clOrdIdPrefix, clock.now()), deadlineMs });
    }
    const isClean = report.remaining === 0 && (!options.flatten || positionLots === 0n);
    const summary = {
      account: config.accountName,
      symbol: exchange.spec.symbol,
      cancelled: report.cancelled,
      remaining: report.remaining,
      ...(options.flatten ? { position: positionLots === null ? null : formatUnits(positionLots, exchange.spec.qtyDecimals) } : {}),
    };
    logger[isClean ? 'info' : 'error'](summary, 'cancel-all finished');
    options.out.write(`${JSON.stringify(summary)}\n`);
    if (options.reason) {
      const position = options.flatten ? summary.position ?? null : 'not flattened';
      await alert(options, { kind: 'cleanup', reason: options.reason, cancelled: report.confirmed, remaining: report.remaining, position });
    }
    return isClean ? EXIT_OK : EXIT_FATAL;
  } catch (error) {
    logger.error({ err: error }, 'cancel-all failed');
    const message = error instanceof Error ? error.message : String(error);
    options.out.write(`${JSON.stringify({ account: config.accountName, error: message })}\n`);
    if (options.reason) await alert(options, { kind: 'cleanup', reason: `${options.reason}; cancel-all FAILED: ${message}`, cancelled: 0, remaining: null, position: null });
    return error instanceof ConfigError ? EXIT_CONFIG : error instanceof AuthError ? EXIT_AUTH : EXIT_FATAL;
  } finally {
    connection?.close();
  }
}

async function alert(options: CancelAllOptions, cleanup: Extract<Alert, { kind: 'cleanup' }>): Promise<void> {
  const notifier = createNotifier(options.config, options.logger, options.clock);
  notifier.notify(cleanup);
  await notifier.flush(ALERT_FLUSH_MS);
}
