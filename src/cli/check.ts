// `standx-mm check`: is this account ready to trade? Config, sign-in, token expiry, clock offset,
// symbol rules, order size, balance and both sockets; places nothing. Exit 0 only when all pass.

import type { Writable } from 'node:stream';
import type { Log } from '../ops/log.js';
import type { Config } from '../config/load.js';
import { formatUnits } from '../domain/decimal.js';
import { AuthError, ConfigError, isMakerError } from '../errors.js';
import type { Clock } from '../ops/clock.js';
import { EXIT_AUTH, EXIT_CONFIG, EXIT_FATAL, EXIT_OK } from '../ops/exit-codes.js';
import type { ClockReading } from './clock-check.js';
import { connectExchange, type Connection } from './connect.js';
import { qtyLotsFor } from './maker-settings.js';

const DAY_MS = 86_400_000;

export async function runCheck(config: Config, out: Writable, clock: Clock, logger: Log): Promise<number> {
  const line = (name: string, ok: boolean, detail: string): void => {
    out.write(`${name.padEnd(8)} ${ok ? 'ok  ' : 'FAIL'}  ${detail}\n`);
  };
  line('config', true, `${config.accountName}, ${config.quoting.symbol}, ${config.credentials.scheme} scheme`);
  let connection: Connection | null = null;
  try {
    connection = await connectExchange({ config, clock, logger, validateSpec: (spec) => qtyLotsFor(config.quoting.qty, spec) });
    const { exchange, auth, clock: reading } = connection;
    const expiresAtMs = auth.expiresAtMs();
    const tokenOk = expiresAtMs === null || expiresAtMs - clock.now() > config.timing.tokenExpiryAlertMs;
    line('auth', tokenOk, expiresAtMs === null ? 'token has no expiry claim' : `token expires ${new Date(expiresAtMs).toISOString()} (in ${((expiresAtMs - clock.now()) / DAY_MS).toFixed(1)} days)`);
    line('clock', true, describeClock(reading, config.timing.maxClockSkewMs));
    const { spec } = exchange;
    line('symbol', true, `${spec.symbol} enabled, tick ${formatUnits(1n, spec.priceDecimals)}, lot ${formatUnits(1n, spec.qtyDecimals)}, min ${formatUnits(spec.minOrderLots, spec.qtyDecimals)}`);
    line('qty', true, `${config.quoting.qty} per side`);
    const balance = await exchange.balance();
    const funded = Number(balance.equity) > 0;
    line('balance', funded, `equity ${balance.equity} DUSD, available ${balance.crossAvailable} DUSD${funded ? '' : ' (account not funded)'}`);
    line('streams', exchange.isReady(), exchange.isReady() ? 'market, account and order streams up' : 'streams not all up');
    const ready = tokenOk && funded && exchange.isReady();
    out.write(ready ? 'ready to trade\n' : 'NOT ready to trade\n');
    return ready ? EXIT_OK : EXIT_FATAL;
  } catch (error) {
    line(stageOf(error), false, isMakerError(error) || error instanceof Error ? error.message : String(error));
    out.write('NOT ready to trade\n');
    return error instanceof ConfigError ? EXIT_CONFIG : error instanceof AuthError ? EXIT_AUTH : EXIT_FATAL;
  } finally {
    connection?.close();
  }
}

function stageOf(error: unknown): string {
  if (error instanceof ConfigError) return 'symbol';
  if (error instanceof AuthError) return 'auth';
  if (isMakerError(error) && error.code === 'CLOCK_SKEW') return 'clock';
  return 'exchange';
}

function describeClock(reading: ClockReading | null, maxSkewMs: number): string {
  if (reading === null) return 'not measured (neither the time host nor the API host answered); expired signatures would show a skew';
  const sign = reading.offsetMs >= 0 ? '+' : '';
  return `exchange offset ${sign}${reading.offsetMs} ms from the ${reading.source} (limit ${maxSkewMs + reading.uncertaintyMs} ms)`;
}
