// Fault-injection harness: the simulator on 127.0.0.1:0 plus the whole daemon in-process with
// shrunk timings. Its log lines are captured and parsed, so tests await a given line or end state
// on the next event (log line, order or position push), never by sleeping.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config/load.js';
import { startDaemon, type Daemon, type DaemonOptions } from '../../src/cli/daemon.js';
import { simAccountEnv } from '../../src/cli/sim-env.js';
import { seededRandom } from '../../src/domain/random.js';
import type { WsTuning } from '../../src/exchange/standx/ws-connection.js';
import { systemClock, type Clock } from '../../src/ops/clock.js';
import { startSimulator, type SimAccountCredentials, type SimOrderView, type Simulator, type SimulatorOptions } from '../../src/sim/index.js';
import type { FakeTelegram } from '../fixtures/fake-telegram.js';

export const SYMBOL = 'BTC-USD';
export const QTY = '0.0100';
export const TELEGRAM_BOT_TOKEN = '123456:fault-tests';
export const DEFAULT_WAIT_MS = 8_000;

/** One parsed pino line. */
export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export type LogMatch = string | ((line: LogLine) => boolean);

function matches(line: LogLine, match: LogMatch): boolean {
  return typeof match === 'string' ? line.msg === match : match(line);
}

/** The daemon's stdout: splits JSON lines, keeps them, and tells listeners about each one. */
export class LogCapture extends Writable {
  readonly lines: LogLine[] = [];
  readonly #listeners = new Set<() => void>();
  #partial = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = this.#partial + chunk.toString();
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    for (const part of parts) {
      if (part.trim() === '') continue;
      try {
        this.lines.push(JSON.parse(part) as LogLine);
      } catch {
        this.lines.push({ level: 'unparsed', msg: part });
      }
    }
    for (const listener of [...this.#listeners]) listener();
    callback();
  }

  onLine(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Lines matching since the index `since` (see Harness.mark()). */
  all(match: LogMatch, since = 0): LogLine[] {
    return this.lines.slice(since).filter((line) => matches(line, match));
  }

  count(match: LogMatch, since = 0): number {
    return this.all(match, since).length;
  }

  tail(n = 25): string {
    return this.lines
      .slice(-n)
      .map((line) => JSON.stringify(line).slice(0, 400))
      .join('\n');
  }
}

export interface HarnessOptions {
  readonly seed?: number;
  /** Extra or overriding daemon variables. */
  readonly env?: Readonly<Record<string, string>>;
  readonly sim?: SimulatorOptions;
  readonly wsTuning?: WsTuning;
  /** Sends alerts to this fake Telegram API. */
  readonly telegram?: FakeTelegram;
  /** Sign in with the account's wallet key instead of its token (default 'token'). */
  readonly scheme?: 'token' | 'wallet';
  /** The account name (default 'faults'); its runtime files go to a fresh LOG_DIR either way. */
  readonly accountName?: string;
  readonly observabilityTiming?: DaemonOptions['observabilityTiming'];
  /** The wall clock of both the daemon and the simulator (default the system's). */
  readonly clock?: Clock;
}

export interface TwoSided {
  readonly bid: SimOrderView;
  readonly ask: SimOrderView;
}

export interface Harness {
  readonly sim: Simulator;
  readonly account: SimAccountCredentials;
  readonly daemon: Daemon;
  readonly config: Config;
  /** The daemon's LOG_DIR: uptime state, fill ledger and control socket (removed by close()). */
  readonly logDir: string;
  readonly logs: LogCapture;
  /** Every code the daemon passed to `exit`. */
  readonly exitCodes: number[];
  /** The current end of the log, to look only at lines after it. */
  mark(): number;
  ownOpenOrders(): SimOrderView[];
  positionQty(): string;
  /** Resolves once `predicate` holds, re-checked on every log line, order/position push and 25 ms tick. */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  waitForLog(match: LogMatch, options?: { since?: number; timeoutMs?: number }): Promise<LogLine>;
  /** Exactly one own bid and one own ask rest, and the daemon tracks exactly those two as resting. */
  isTwoSidedSettled(): boolean;
  waitForTwoSided(timeoutMs?: number): Promise<TwoSided>;
  /** requestStop, then the exit code. */
  stop(reason?: string): Promise<number>;
  /** Idempotent teardown for afterEach: stops the daemon if it still runs, closes the simulator. */
  close(): Promise<void>;
}

/**
 * Timings shrunk so that every fault plays out in well under a second or two: stale market after
 * 400 ms, unanswered requests settled after 300 ms, a REST reconcile every 500 ms.
 */
export const FAST_ENV: Readonly<Record<string, string>> = {
  MARKET_MAKER_QTY: QTY,
  MARKET_STALE_MS: '400',
  FRESH_MID_TIMEOUT_MS: '400',
  RECONCILE_INTERVAL_SECONDS: '0.5',
  ORDER_ACK_TIMEOUT_MS: '300',
  HTTP_TIMEOUT_MS: '2000',
  SHUTDOWN_TIMEOUT_SECONDS: '8',
  LOG_LEVEL: 'debug',
  ALERT_THROTTLE_SECONDS: '0',
};

export function fastWsTuning(seed: number): WsTuning {
  return {
    random: seededRandom(seed),
    backoff: { baseMs: 20, maxMs: 150 },
    stableAfterMs: 1_000,
    pingIntervalMs: 100,
    idleTimeoutMs: 1_000,
    connectTimeoutMs: 1_000,
  };
}

function daemonEnv(sim: Simulator, account: SimAccountCredentials, options: HarnessOptions, logDir: string): Record<string, string> {
  return {
    ...simAccountEnv(sim.urls, account, options.scheme),
    LOG_DIR: logDir,
    MARKET_MAKER_SYMBOL: SYMBOL,
    ...FAST_ENV,
    ...(options.telegram
      ? { TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID: '4242', TELEGRAM_API_ROOT: options.telegram.url }
      : {}),
    ...options.env,
  };
}

/** Bounded wait on the harness' events. */
function waitOn(subscribe: (check: () => void) => () => void, predicate: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) {
      resolve();
      return;
    }
    let unsubscribe = (): void => undefined;
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      clearInterval(tick);
      unsubscribe();
      if (error) reject(error);
      else resolve();
    };
    const check = (): void => {
      try {
        if (predicate()) finish();
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const timer = setTimeout(() => finish(new Error(describe())), timeoutMs);
    // Last resort only: sim-side changes (a fault's effect) that the daemon never logs.
    const tick = setInterval(check, 25);
    unsubscribe = subscribe(check);
  });
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const seed = options.seed ?? 1;
  const clock = options.clock ?? systemClock;
  const sim = await startSimulator({ seed, pushIntervalMs: 25, autoRun: false, clock, ...options.sim });
  const account = sim.createAccount({ balance: '1000000' });
  const logDir = mkdtempSync(join(tmpdir(), 'smm-h-'));
  const config = loadConfig(daemonEnv(sim, account, options, logDir), { accountName: options.accountName ?? 'faults' });
  const logs = new LogCapture();
  const exitCodes: number[] = [];
  let daemon: Daemon;
  try {
    daemon = await startDaemon({
      config,
      clock,
      stdout: logs,
      logToFile: false,
      exit: (code) => exitCodes.push(code),
      wsTuning: options.wsTuning ?? fastWsTuning(seed),
      // Each harness has its own LOG_DIR, as a locked account has its own socket.
      controlSocket: config.runtime.controlSocket,
      ...(options.observabilityTiming ? { observabilityTiming: options.observabilityTiming } : {}),
    });
  } catch (error) {
    await sim.close();
    rmSync(logDir, { recursive: true, force: true });
    throw error;
  }

  const subscribe = (check: () => void): (() => void) => {
    const offLine = logs.onLine(check);
    const exchange = daemon.connection?.exchange;
    exchange?.on('order', check);
    exchange?.on('position', check);
    return () => {
      offLine();
      exchange?.off('order', check);
      exchange?.off('position', check);
    };
  };
  const ownOpenOrders = (): SimOrderView[] => sim.openOrders(account.address, SYMBOL).filter((order) => order.cl_ord_id.startsWith(`${config.clOrdIdPrefix}-`));
  const waitFor = (predicate: () => boolean, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<void> =>
    waitOn(subscribe, predicate, timeoutMs, () => `timed out after ${timeoutMs} ms waiting for ${what}; open orders ${JSON.stringify(ownOpenOrders().map((o) => [o.side, o.price, o.cl_ord_id]))}; last log lines:\n${logs.tail()}`);

  const isTwoSidedSettled = (): boolean => {
    const open = ownOpenOrders();
    const bids = open.filter((order) => order.side === 'buy');
    const asks = open.filter((order) => order.side === 'sell');
    if (bids.length !== 1 || asks.length !== 1) return false;
    const tracked = daemon.loop?.snapshot().orders ?? [];
    if (tracked.length !== 2 || tracked.some((order) => order.status !== 'resting')) return false;
    const ids = new Set(tracked.map((order) => order.clOrdId));
    return open.every((order) => ids.has(order.cl_ord_id));
  };

  let isClosed = false;
  const harness: Harness = {
    sim,
    account,
    daemon,
    config,
    logDir,
    logs,
    exitCodes,
    mark: () => logs.lines.length,
    ownOpenOrders,
    positionQty: () => sim.position(account.address, SYMBOL).qty,
    waitFor,
    async waitForLog(match, { since = 0, timeoutMs = DEFAULT_WAIT_MS } = {}) {
      await waitFor(() => logs.count(match, since) > 0, `log line ${typeof match === 'string' ? JSON.stringify(match) : 'matching'}`, timeoutMs);
      const line = logs.all(match, since)[0];
      if (!line) throw new Error('unreachable: the awaited log line vanished');
      return line;
    },
    isTwoSidedSettled,
    async waitForTwoSided(timeoutMs = DEFAULT_WAIT_MS) {
      await waitFor(isTwoSidedSettled, 'exactly one resting own bid and one own ask', timeoutMs);
      const open = ownOpenOrders();
      const bid = open.find((order) => order.side === 'buy');
      const ask = open.find((order) => order.side === 'sell');
      if (!bid || !ask) throw new Error('unreachable: two-sided check passed without a bid and an ask');
      return { bid, ask };
    },
    async stop(reason = 'test') {
      daemon.shutdown.requestStop(reason);
      return daemon.shutdown.exited;
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      try {
        if (daemon.shutdown.state() === 'running') daemon.shutdown.requestStop('teardown');
        // The shutdown's own deadline bounds this; the race only guards a broken deadline.
        let timer: NodeJS.Timeout | undefined;
        const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, config.timing.shutdownTimeoutMs + 2_000)));
        await Promise.race([daemon.shutdown.exited, bound]);
        clearTimeout(timer);
        daemon.connection?.close();
        await daemon.logger.close();
      } finally {
        await sim.close();
        rmSync(logDir, { recursive: true, force: true });
      }
    },
  };
  return harness;
}
