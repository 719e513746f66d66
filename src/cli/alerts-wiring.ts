// Which events become Telegram alerts. The engine and the exchange only emit events; this file
// decides what an operator hears about, so trading code never waits on an alert.

import type { Log } from '../ops/log.js';
import type { Config } from '../config/load.js';
import { formatUnits } from '../domain/decimal.js';
import { AuthError } from '../errors.js';
import type { StreamName } from '../exchange/exchange.js';
import type { Clock } from '../ops/clock.js';
import { NullNotifier, type Notifier } from '../ops/notifier.js';
import { TelegramNotifier } from '../ops/telegram-notifier.js';
import type { MakerLoop } from '../engine/maker-loop.js';
import type { Shutdown } from '../ops/shutdown.js';
import type { Connection } from './connect.js';

export function createNotifier(config: Config, logger: Log, clock: Clock): Notifier {
  if (config.telegram === null) return new NullNotifier();
  return new TelegramNotifier({
    botToken: config.telegram.botToken,
    chatId: config.telegram.chatId,
    apiRoot: config.telegram.apiRoot,
    throttleMs: config.telegram.throttleMs,
    account: config.accountName,
    symbol: config.quoting.symbol,
    logger,
    clock,
  });
}

export interface WireAlertsOptions {
  readonly notifier: Notifier;
  readonly shutdown: Shutdown;
  readonly loop: MakerLoop;
  readonly connection: Connection;
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Log;
}

export function wireAlerts(options: WireAlertsOptions): void {
  const { notifier, shutdown, loop, connection, clock, logger } = options;
  const { exchange } = connection;
  const downSince = new Map<StreamName, number>();
  exchange.on('status', (status) => {
    if (!status.up) {
      // The shutdown closes the streams itself: that is no outage.
      if (shutdown.state() !== 'running') return;
      if (!downSince.has(status.stream)) downSince.set(status.stream, clock.now());
      notifier.notify({ kind: 'streamDown', stream: status.stream, reason: status.reason ?? 'disconnected' });
      return;
    }
    const since = downSince.get(status.stream);
    if (since === undefined) return;
    downSince.delete(status.stream);
    notifier.notify({ kind: 'streamUp', stream: status.stream, downForMs: clock.now() - since });
  });
  exchange.on('authFailure', (error) => {
    shutdown.fatal(error instanceof AuthError ? error : new AuthError(error.message, { cause: error }));
  });
  loop.on('fatal', (error) => shutdown.fatal(error));
  loop.on('flattened', ({ side, qtyLots, realizedPnl }) => {
    notifier.notify({
      kind: 'flattened',
      side: side === 'sell' ? 'long' : 'short',
      qty: formatUnits(qtyLots, exchange.spec.qtyDecimals),
      realizedPnl,
    });
  });
  loop.on('placingPaused', ({ reason, pauseMs }) => notifier.notify({ kind: 'orderRejected', reason, pausedForMs: pauseMs }));
  loop.on('flattenFailing', ({ attempts, error }) => {
    logger.error({ attempts, err: error }, 'flatten keeps failing');
    notifier.notify({ kind: 'orderRejected', reason: `flatten failing after ${attempts} attempts`, pausedForMs: 0 });
  });
  watchTokenExpiry(options);
}

/** Warns ahead of a pasted token's expiry; the wallet scheme renews itself and alerts only if that fails. */
function watchTokenExpiry({ notifier, connection, config, clock, logger }: WireAlertsOptions): void {
  if (config.credentials.scheme !== 'token') return;
  let timer: NodeJS.Timeout | null = null;
  const schedule = (expiresAtMs: number | null): void => {
    if (timer) clearTimeout(timer);
    if (expiresAtMs === null) return;
    const alertAtMs = expiresAtMs - config.timing.tokenExpiryAlertMs;
    const fire = (): void => {
      logger.warn({ expiresAt: new Date(expiresAtMs).toISOString() }, 'access token expires soon');
      notifier.notify({ kind: 'tokenExpiring', expiresAt: expiresAtMs });
    };
    const delayMs = alertAtMs - clock.now();
    if (delayMs <= 0) fire();
    // setTimeout holds at most ~24.8 days; a later alert is re-armed by the next renewal or restart.
    else if (delayMs < 2_147_483_647) timer = setTimeout(fire, delayMs).unref();
  };
  connection.exchange.on('tokenExpiry', schedule);
  schedule(connection.auth.expiresAtMs());
}

