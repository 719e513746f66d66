// `standx-mm cancel-all`: the emergency brake, also run by the systemd units after an unclean stop.
// Cancels every open order of the account on the symbol (not only the daemon's), confirms it, and
// with --flatten closes the position too. Prints one JSON line.

import type { Writable } from 'node:stream';
import type { Log } from '../ops/log.js';
import type { Config } from '../config/load.js';
import { formatUnits } from '../domain/decimal.js';
import { ClientIds } from '../engine/client-ids.js';
import { cancelAllAndConfirm, flattenAndConfirm } from '../engine/cleanup.js';
import { AuthError, ConfigError } from '../errors.js';
import type { Clock } from '../ops/clock.js';
import { EXIT_AUTH, EXIT_CONFIG, EXIT_FATAL, EXIT_OK } from '../ops/exit-codes.js';
import { connectExchange, type Connection } from './connect.js';

export interface CancelAllOptions {
  readonly config: Config;
  readonly flatten: boolean;
  readonly out: Writable;
  readonly clock: Clock;
  readonly logger: Log;
  readonly timeoutMs?: number;
}

export async function runCancelAll(options: CancelAllOptions): Promise<number> {
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
    return isClean ? EXIT_OK : EXIT_FATAL;
  } catch (error) {
    logger.error({ err: error }, 'cancel-all failed');
    options.out.write(`${JSON.stringify({ account: config.accountName, error: error instanceof Error ? error.message : String(error) })}\n`);
    return error instanceof ConfigError ? EXIT_CONFIG : error instanceof AuthError ? EXIT_AUTH : EXIT_FATAL;
  } finally {
    connection?.close();
  }
}
