// `standx-mm sim`: the real daemon against the built-in simulator, with generated credentials and
// no env file. Shows a live status line and ends (after --duration, or on Ctrl-C) with a one-line
// JSON summary of what the simulator saw.

import type { Writable } from 'node:stream';
import { loadConfig, type Config } from '../config/load.js';
import { formatUnits } from '../domain/decimal.js';
import { tickPriceToNumber } from '../domain/price.js';
import type { Clock } from '../ops/clock.js';
import { startSimulator, type Simulator, type SimAccountCredentials } from '../sim/index.js';
import { startDaemon, type Daemon } from './daemon.js';
import { meterBand, simAccountEnv } from './sim-env.js';

export interface SimCommandOptions {
  readonly durationS: number | null;
  readonly seed: number;
  readonly policy: string | null;
  readonly latencyMs: number;
  readonly symbol: string;
  readonly qty: string | null;
  readonly out: Writable;
  /** Live status (a terminal's stderr); null for none. */
  readonly status: (Writable & { isTTY?: boolean }) | null;
  readonly clock: Clock;
  /** Resolves when the user asks to stop (Ctrl-C). */
  readonly stopRequested: Promise<string>;
  /** Extra variables for the daemon's config (tests shrink timings). */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

export interface SimSummary {
  readonly seconds: number;
  readonly policy: string;
  readonly twoSidedUptimePct: number;
  readonly markUptimePct: number;
  readonly requotes: number;
  readonly fills: number;
  readonly flattens: number;
  readonly openOrdersLeft: number;
  readonly finalPosition: string;
  readonly exitCode: number;
}

const DEFAULT_QTY: Record<string, string> = { 'BTC-USD': '0.0100', 'ETH-USD': '0.100' };

export async function runSimCommand(options: SimCommandOptions): Promise<SimSummary> {
  const sim = await startSimulator({ seed: options.seed, latencyMs: options.latencyMs });
  try {
    const account = sim.createAccount({ balance: '100000' });
    const config = simConfig(sim, account, options);
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (resolveExit = resolve));
    const daemon = await startDaemon({ config, clock: options.clock, stdout: null, logToFile: true, exit: resolveExit });
    const band = meterBand(config.quoting, 10);
    const meter = sim.meter(account.address, config.quoting.symbol, band);
    const startedAt = options.clock.monotonic();
    const ticker = options.status ? setInterval(() => writeStatus(options, daemon, meter.report(), startedAt), 1_000) : null;
    const duration = options.durationS === null ? new Promise<never>(() => undefined) : options.clock.sleep(options.durationS * 1_000);
    const reason = await Promise.race([options.stopRequested, duration.then(() => 'duration'), exited.then(() => 'daemon exited')]);
    if (ticker) clearInterval(ticker);
    const report = meter.report();
    meter.stop();
    daemon.shutdown.requestStop(reason);
    const exitCode = await exited;
    if (options.status?.isTTY) options.status.write('\n');
    const position = sim.position(account.address, config.quoting.symbol);
    const stats = daemon.loop?.snapshot().stats;
    const summary: SimSummary = {
      seconds: Math.round(report.elapsedMs / 100) / 10,
      policy: config.quoting.policy,
      twoSidedUptimePct: percent(report.twoSidedInBandMs, report.elapsedMs),
      markUptimePct: percent(report.twoSidedMarkMs, report.elapsedMs),
      requotes: stats?.requotes ?? 0,
      fills: stats?.fills ?? 0,
      flattens: stats?.flattens ?? 0,
      openOrdersLeft: sim.openOrders(account.address).length,
      finalPosition: position.qty,
      exitCode,
    };
    options.out.write(`${JSON.stringify(summary)}\n`);
    return summary;
  } finally {
    await sim.close();
  }
}

function simConfig(sim: Simulator, account: SimAccountCredentials, options: SimCommandOptions): Config {
  const env: Record<string, string> = {
    ...simAccountEnv(sim.urls, account),
    MARKET_MAKER_SYMBOL: options.symbol,
    MARKET_MAKER_QTY: options.qty ?? DEFAULT_QTY[options.symbol] ?? '0.01',
    LOG_DIR: 'logs',
    SHUTDOWN_TIMEOUT_SECONDS: '15',
    ...(options.policy ? { REQUOTE_POLICY: options.policy } : {}),
    ...options.extraEnv,
  };
  return loadConfig(env, { accountName: 'sim' });
}

function writeStatus(options: SimCommandOptions, daemon: Daemon, report: { elapsedMs: number; twoSidedInBandMs: number }, startedAt: number): void {
  const stream = options.status;
  if (!stream) return;
  const view = daemon.loop?.snapshot();
  const spec = daemon.connection?.exchange.spec;
  const mid = view?.mid;
  const seconds = Math.round((options.clock.monotonic() - startedAt) / 1000);
  const text = [
    `[${String(seconds).padStart(4)}s]`,
    `mid ${mid && spec ? tickPriceToNumber(mid, spec.priceDecimals).toFixed(spec.priceDecimals) : '-'}`,
    `uptime ${percent(report.twoSidedInBandMs, report.elapsedMs).toFixed(2)}%`,
    `requotes ${view?.stats.requotes ?? 0}`,
    `fills ${view?.stats.fills ?? 0}`,
    `flattens ${view?.stats.flattens ?? 0}`,
    `pos ${view && spec ? formatUnits(view.positionLots, spec.qtyDecimals) : '-'}`,
  ].join('  ');
  stream.write(stream.isTTY ? `\r${text}   ` : `${text}\n`);
}

function percent(part: number, whole: number): number {
  return whole <= 0 ? 0 : Math.round((part / whole) * 10_000) / 100;
}
