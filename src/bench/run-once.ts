// One benchmark run: a fresh simulator on the standard path, the daemon forked into its own
// process, a warm-up until both sides rest and the hot path is compiled, the measured window, then
// SIGTERM-style stop and the check that the daemon left no order behind.

import { meterBand, simAccountEnv } from '../cli/sim-env.js';
import { fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig, type Config } from '../config/load.js';
import type { RequotePolicy } from '../engine/plan.js';
import type { SignerBackend } from '../exchange/standx/signing.js';
import { startSimulator, type SimAccountCredentials, type Simulator } from '../sim/index.js';
import { ChildHandle } from './child-handle.js';
import { setSchedulingPolicy } from '../ops/scheduling.js';
import type { ChildReport } from './child-protocol.js';
import { bytesToMb, type RunInput } from './figures.js';
import { STANDARD_QTY, STANDARD_SYMBOL, standardSymbols } from './standard-path.js';

export interface RunSpec {
  readonly policy: RequotePolicy;
  readonly signer: SignerBackend;
  readonly seed: number;
  readonly latencyMs: number;
  readonly pushIntervalMs: number;
  readonly durationMs: number;
  /** From the first two-sided quote to the window. */
  readonly settleMs: number;
  /** The bench process runs as a batch task: the daemon, forked from it, is made a normal one again. */
  readonly isBenchBatch: boolean;
  readonly logLevel: string;
  readonly logDir: string;
}

export interface RunOutcome {
  readonly input: RunInput;
  readonly loop: ChildReport['loop'];
  readonly rssMb: { readonly atMark: number; readonly atStop: number };
}

export const MARK_BAND_BPS = 10;
const START_TIMEOUT_MS = 30_000;
const WARM_UP_TIMEOUT_MS = 15_000;
const WARM_UP_POLL_MS = 2;
const REPORT_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 30_000;
const CHILD_SCRIPT = new URL('./daemon-child.js', import.meta.url);

export async function runOnce(spec: RunSpec): Promise<RunOutcome> {
  const sim = await startSimulator({
    seed: spec.seed,
    latencyMs: spec.latencyMs,
    pushIntervalMs: spec.pushIntervalMs,
    symbols: standardSymbols(),
  });
  try {
    const account = sim.createAccount({ balance: '100000' });
    const env = daemonEnv(sim, account, spec);
    const config = loadConfig(env, { accountName: 'bench' });
    const forked = fork(CHILD_SCRIPT, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const child = new ChildHandle(forked);
    try {
      if (spec.isBenchBatch) await setSchedulingPolicy(forked.pid ?? 0, 'normal', { allTasks: true });
      return await measure(sim, account, config, child, { ...spec, env });
    } finally {
      child.kill();
    }
  } finally {
    await sim.close();
  }
}

async function measure(
  sim: Simulator,
  account: SimAccountCredentials,
  config: Config,
  child: ChildHandle,
  spec: RunSpec & { env: Record<string, string> },
): Promise<RunOutcome> {
  child.send({ type: 'start', env: spec.env });
  await child.waitFor('ready', START_TIMEOUT_MS);
  await waitUntilTwoSided(sim, account.address);
  await sleepUnlessExited(child, spec.settleMs, 'before the window');
  const band = meterBand(config.quoting, MARK_BAND_BPS);
  const meter = sim.meter(account.address, STANDARD_SYMBOL, band);
  const before = sim.stats();
  child.send({ type: 'mark' });
  await child.waitFor('marked', REPORT_TIMEOUT_MS);
  await sleepUnlessExited(child, spec.durationMs, 'during the run');
  const meterReport = meter.report();
  meter.stop();
  const after = sim.stats();
  child.send({ type: 'stop' });
  const { report } = await child.waitFor('report', REPORT_TIMEOUT_MS);
  const exitCode = await child.waitForExit(EXIT_TIMEOUT_MS);
  const input: RunInput = {
    policy: spec.policy,
    signer: spec.signer,
    seed: spec.seed,
    meter: meterReport,
    orderMessages: after.ordersReceived - before.ordersReceived + (after.cancelsReceived - before.cancelsReceived),
    fills: after.fills - before.fills,
    daemon: report,
    openOrdersLeft: sim.openOrders(account.address, STANDARD_SYMBOL).length,
    exitCode,
  };
  return { input, loop: report.loop, rssMb: { atMark: bytesToMb(report.rssAtMarkBytes), atStop: bytesToMb(report.rssAtStopBytes) } };
}

async function sleepUnlessExited(child: ChildHandle, ms: number, when: string): Promise<void> {
  const ended = await Promise.race([sleep(ms).then(() => 'slept' as const), child.exited.then(() => 'exited' as const)]);
  if (ended === 'exited') throw new Error(`the daemon exited ${when}`);
}

/** Start-up (process start, login, first reconcile) is not quoting time: wait for a resting bid and ask. */
async function waitUntilTwoSided(sim: Simulator, address: string): Promise<void> {
  const deadline = performance.now() + WARM_UP_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const open = sim.openOrders(address, STANDARD_SYMBOL).filter((order) => order.status === 'open');
    if (open.some((order) => order.side === 'buy') && open.some((order) => order.side === 'sell')) return;
    await sleep(WARM_UP_POLL_MS);
  }
  throw new Error(`the daemon had no two-sided quote within ${WARM_UP_TIMEOUT_MS} ms`);
}

function daemonEnv(sim: Simulator, account: SimAccountCredentials, spec: RunSpec): Record<string, string> {
  return {
    ...simAccountEnv(sim.urls, account),
    MARKET_MAKER_SYMBOL: STANDARD_SYMBOL,
    MARKET_MAKER_QTY: STANDARD_QTY,
    MARK_BAND_BPS: String(MARK_BAND_BPS),
    REQUOTE_POLICY: spec.policy,
    SIGNER: spec.signer,
    LOG_LEVEL: spec.logLevel,
    LOG_DIR: spec.logDir,
    SHUTDOWN_TIMEOUT_SECONDS: '15',
  };
}
