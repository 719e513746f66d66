// One soak run: a simulator on the standard path, the built daemon forked against it, the seeded
// fault schedule played while the simulator's side is sampled, then SIGTERM and the end state.

import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { meterBand, simAccountEnv } from '../cli/sim-env.js';
import { loadConfig } from '../config/load.js';
import { formatBps } from '../domain/bps.js';
import { systemClock } from '../ops/clock.js';
import { startSimulator, type SimAccountCredentials, type Simulator, type UptimeBand } from '../sim/index.js';
import { ChildHandle } from './child-handle.js';
import { isQuoting } from './soak-accounting.js';
import type { InjectedFault, SoakRecord } from './soak-figures.js';
import { runFault } from './soak-inject.js';
import { SoakObserver } from './soak-observer.js';
import type { SoakOptions } from './soak-options.js';
import { planFaults } from './soak-schedule.js';
import { STANDARD_QTY, STANDARD_SYMBOL, standardSymbols } from './standard-path.js';

export interface SoakRun {
  readonly record: SoakRecord;
  /** The quoting band and mark band, as the report states them. */
  readonly band: string;
}

const MARK_BAND_BPS = 10;
const READY_TIMEOUT_MS = 60_000;
const TWO_SIDED_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 60_000;
const RSS_EVERY_MS = 10_000;
const CHILD_SCRIPT = new URL('./daemon-child.js', import.meta.url);

export async function runSoak(options: SoakOptions, progress: (line: string) => void): Promise<SoakRun> {
  const sim = await startSimulator({ seed: options.seed, latencyMs: options.latencyMs, pushIntervalMs: options.pushIntervalMs, symbols: standardSymbols() });
  try {
    const account = sim.createAccount({ balance: '100000' });
    const logDir = mkdtempSync(join(os.tmpdir(), 'standx-mm-soak-'));
    progress(`daemon logs in ${logDir}`);
    const env = daemonEnv(sim, account, options, logDir);
    const config = loadConfig(env, { accountName: 'bench' });
    const band = meterBand(config.quoting, MARK_BAND_BPS);
    const forked = fork(CHILD_SCRIPT, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const stderr = collectLines(forked.stderr);
    const child = new ChildHandle(forked);
    try {
      child.send({ type: 'start', env });
      await child.waitFor('ready', READY_TIMEOUT_MS);
      const record = await soak({ sim, address: account.address, child, options, band, progress });
      return {
        record: { ...record, logText: readLogs(logDir), stderr },
        band: `${formatBps(config.quoting.minBps)}–${formatBps(config.quoting.maxBps)} bps of the mid (target ${formatBps(config.quoting.targetBps)}), mark band ${MARK_BAND_BPS} bps`,
      };
    } finally {
      child.kill();
    }
  } finally {
    await sim.close();
  }
}

type Measured = Omit<SoakRecord, 'logText' | 'stderr'>;

interface SoakParts {
  readonly sim: Simulator;
  readonly address: string;
  readonly child: ChildHandle;
  readonly options: SoakOptions;
  readonly band: UptimeBand;
  readonly progress: (line: string) => void;
}

async function soak({ sim, address, child, options, band, progress }: SoakParts): Promise<Measured> {
  const clock = systemClock;
  const observer = new SoakObserver({ sim, address, symbol: STANDARD_SYMBOL, clock, sampleMs: options.sampleMs, rssEveryMs: RSS_EVERY_MS, pid: child.pid });
  await waitUntilQuoting(observer, child);
  const aborted = new AbortController();
  void child.exited.then(() => aborted.abort());
  const meter = sim.meter(address, STANDARD_SYMBOL, band);
  const windowMs = options.minutes * 60_000;
  const schedule = planFaults({
    seed: options.seed,
    windowMs,
    everyMs: [options.everyS[0] * 1_000, options.everyS[1] * 1_000],
    lastingMs: [options.lastingS[0] * 1_000, options.lastingS[1] * 1_000],
    quietMs: options.quietS * 1_000,
    kinds: options.kinds,
  });
  const windowStartMs = clock.now();
  observer.start();
  const faults: InjectedFault[] = [];
  const ctx = { sim, address, symbol: STANDARD_SYMBOL, clock, signal: aborted.signal, applied: () => observer.sample() };
  for (const fault of schedule) {
    await until(windowStartMs + fault.startMs, clock.now(), aborted.signal);
    if (aborted.signal.aborted) break;
    const injected = await runFault(ctx, fault);
    faults.push(injected);
    progress(`${((injected.startMs - windowStartMs) / 1_000).toFixed(1)} s #${fault.index} ${fault.kind}: ${injected.detail}`);
  }
  await until(windowStartMs + windowMs, clock.now(), aborted.signal);
  const meterReport = meter.report();
  meter.stop();
  observer.sample(true);
  observer.readRss();
  const stopMs = clock.now();
  if (!aborted.signal.aborted) child.terminate();
  const exitCode = await child.waitForExit(EXIT_TIMEOUT_MS);
  observer.stop();
  const finalPosition = sim.position(address, STANDARD_SYMBOL).qty;
  const ordersLeft = sim.openOrders(address, STANDARD_SYMBOL).length;
  return { windowStartMs, stopMs, faults, samples: observer.samples, meter: meterReport, ordersLeft, finalPosition, exitCode, rss: observer.rss };
}

async function until(atMs: number, nowMs: number, signal: AbortSignal): Promise<void> {
  if (atMs > nowMs) await sleep(atMs - nowMs, undefined, { signal }).catch(() => undefined);
}

/** Start-up is not soak time: the window opens once both quotes rest and the position is flat. */
async function waitUntilQuoting(observer: SoakObserver, child: ChildHandle): Promise<void> {
  const deadline = performance.now() + TWO_SIDED_TIMEOUT_MS;
  let hasExited = false;
  void child.exited.then(() => (hasExited = true));
  while (!isQuoting(observer.read())) {
    if (hasExited) throw new Error('the daemon exited before quoting');
    if (performance.now() > deadline) throw new Error(`the daemon had no two-sided quote within ${TWO_SIDED_TIMEOUT_MS} ms`);
    await sleep(10);
  }
}

function daemonEnv(sim: Simulator, account: SimAccountCredentials, options: SoakOptions, logDir: string): Record<string, string> {
  return {
    ...simAccountEnv(sim.urls, account),
    MARKET_MAKER_SYMBOL: STANDARD_SYMBOL,
    MARKET_MAKER_QTY: STANDARD_QTY,
    MARK_BAND_BPS: String(MARK_BAND_BPS),
    LOG_LEVEL: options.logLevel,
    LOG_DIR: logDir,
    // Every line of a long run is read back for the error figures: nothing may roll away.
    LOG_MAX_FILES: '1000',
    SHUTDOWN_TIMEOUT_SECONDS: '20',
  };
}

function collectLines(stream: NodeJS.ReadableStream | null): string[] {
  const lines: string[] = [];
  let partial = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line.trim().length > 0));
  });
  return lines;
}

function readLogs(logDir: string): string {
  return readdirSync(logDir)
    .filter((name) => /\.\d+\.log$/.test(name))
    .sort((a, b) => Number(/\.(\d+)\.log$/.exec(a)?.[1]) - Number(/\.(\d+)\.log$/.exec(b)?.[1]))
    .map((name) => readFileSync(join(logDir, name), 'utf8'))
    .join('');
}
