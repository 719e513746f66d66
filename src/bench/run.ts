#!/usr/bin/env node
// `npm run bench`: the composition root of the benchmark and its only code that touches `process`.
// Signing micro-benchmark, then every requote policy x repetitions against the simulator, then the
// winning policy with the other signers; prints the results and writes them to bench/results.md.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { loadConfig, type Config } from '../config/load.js';
import { formatBps } from '../domain/bps.js';
import type { RequotePolicy } from '../engine/plan.js';
import { encodeBase58, generateEd25519Seed, SIGNER_BACKENDS, type SignerBackend } from '../exchange/standx/signing.js';
import { computeRunFigures, type RunFigures, type SigningFigures } from './figures.js';
import { renderMarkdown, type BenchDocument, type BenchSettings, type Machine } from './markdown.js';
import { BENCH_USAGE, BenchUsageError, parseBenchArgs, type BenchOptions } from './options.js';
import { MARK_BAND_BPS, runOnce, type RunSpec } from './run-once.js';
import { benchmarkFloor, type FloorOutcome } from './floor-bench.js';
import { setSchedulingPolicy } from '../ops/scheduling.js';
import { benchmarkSigner } from './signing-bench.js';
import { describeStandardPath, STANDARD_QTY } from './standard-path.js';
import { checkGoals, choosePolicy, chooseSigner, fixed, summarizeRuns, type GroupSummary } from './summary.js';

const EXIT_USAGE = 64;
/** Process start, login and stop around each measured window and its settling, for the time estimate. */
const RUN_OVERHEAD_S = 3;

async function main(argv: readonly string[]): Promise<void> {
  const options = parseOrExit(argv);
  const doc = await benchmark(options);
  const markdown = renderMarkdown(doc);
  process.stdout.write(`${markdown}\n`);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, markdown);
  progress(`wrote ${options.out}`);
  if (doc.failures.length > 0) process.exitCode = 1;
}

function parseOrExit(argv: readonly string[]): BenchOptions {
  try {
    return parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${BENCH_USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
}

/** Signing micro-benchmark, every policy with the chosen signer, then the winner with the other signers. */
async function benchmark(options: BenchOptions): Promise<BenchDocument> {
  const startedAt = performance.now();
  const defaults = defaultConfig();
  const configured = { policy: defaults.quoting.policy, signer: defaults.signer };
  const otherSigners = SIGNER_BACKENDS.filter((signer) => signer !== options.signer);
  const totalRuns = options.policies.length * options.runs + otherSigners.length * options.signerRuns;
  progress(`${totalRuns} runs of ${options.durationS} s, ≈${Math.ceil((totalRuns * (options.durationS + options.settleS + RUN_OVERHEAD_S)) / 60)} min`);
  const signing = runSigning(options);
  const { figures: floor, isPeerBatch } = await runFloor(options);
  // After the floor, whose timed side stands for the daemon: from here on this process is the simulator.
  const isBenchBatch = await setSchedulingPolicy(process.pid, 'batch', { allTasks: true }).then(
    () => true,
    () => false,
  );
  if (!isBenchBatch) progress('could not make the simulator a batch task (chrt): it will preempt the daemon on its writes');
  const session = new RunSession(options, mkdtempSync(join(os.tmpdir(), 'standx-mm-bench-')), totalRuns, isBenchBatch);
  for (let rep = 0; rep < options.runs; rep += 1) {
    for (const policy of options.policies) await session.run(policy, options.signer, rep);
  }
  const policyGroups = summarizeRuns(session.runs);
  const policyChoice = choosePolicy(policyGroups, options.signer);
  const winner = policyChoice?.value ?? configured.policy;
  for (let rep = 0; rep < options.signerRuns; rep += 1) {
    for (const signer of otherSigners) await session.run(winner, signer, rep);
  }
  const signerGroups = summarizeRuns(session.runs.filter((run) => run.policy === winner));
  const signerChoice = chooseSigner(signerGroups, winner, signing);
  const chosen = findGroup(signerGroups, winner, signerChoice?.value ?? options.signer) ?? findGroup(signerGroups, winner, options.signer);
  const reference = findGroup(policyGroups, 'reference', options.signer);
  return {
    generatedAt: new Date().toISOString(),
    elapsedS: (performance.now() - startedAt) / 1_000,
    isQuick: options.isQuick,
    machine: machine(),
    settings: settings(options, defaults, isPeerBatch && isBenchBatch),
    policyGroups,
    signerGroups,
    signing,
    floor,
    policyChoice,
    signerChoice,
    configured,
    goals: chosen ? checkGoals(chosen, reference, floor.atCadence.total.p99Us) : [],
    runs: session.runs,
    failures: session.failures,
  };
}

function runSigning(options: BenchOptions): SigningFigures[] {
  return SIGNER_BACKENDS.map((backend) => {
    const figures = benchmarkSigner(backend, options.signIterations);
    progress(`signing ${figures.backend}: ${fixed(figures.opsPerSecond, 0)} ops/s, p50 ${fixed(figures.p50Us, 1)} µs, p99 ${fixed(figures.p99Us, 1)} µs`);
    return figures;
  });
}

async function runFloor(options: BenchOptions): Promise<FloorOutcome> {
  progress(`tick-to-order floor: ${options.floorSamples} reactions every ${options.pushIntervalMs} ms`);
  const outcome = await benchmarkFloor({ backend: options.signer, pushIntervalMs: options.pushIntervalMs, samples: options.floorSamples });
  const { atCadence, backToBack } = outcome.figures;
  progress(`tick-to-order floor: p50 ${fixed(atCadence.total.p50Us, 0)} µs, p99 ${fixed(atCadence.total.p99Us, 0)} µs (back to back: p50 ${fixed(backToBack.p50Us, 0)} µs)`);
  return outcome;
}

/** Runs one setting at a time (the machine has few cores), collecting figures and failures. */
class RunSession {
  readonly runs: RunFigures[] = [];
  readonly failures: string[] = [];
  #done = 0;

  constructor(
    private readonly options: BenchOptions,
    private readonly logDir: string,
    private readonly total: number,
    private readonly isBenchBatch: boolean,
  ) {
    progress(`daemon logs in ${logDir}`);
  }

  async run(policy: RequotePolicy, signer: SignerBackend, rep: number): Promise<void> {
    const { options } = this;
    const spec: RunSpec = {
      policy,
      signer,
      seed: options.seed + rep,
      latencyMs: options.latencyMs,
      pushIntervalMs: options.pushIntervalMs,
      durationMs: options.durationS * 1_000,
      settleMs: options.settleS * 1_000,
      isBenchBatch: this.isBenchBatch,
      logLevel: options.logLevel,
      logDir: join(this.logDir, `${policy}-${signer}-${rep}`),
    };
    const label = `[${(this.#done += 1)}/${this.total}] ${policy} ${signer} seed ${spec.seed}`;
    try {
      const outcome = await runOnce(spec);
      const figures = computeRunFigures(outcome.input);
      this.runs.push(figures);
      progress(
        `${label}: in band ${fixed(figures.inBandPct, 2)} %, mark ${fixed(figures.markPct, 2)} %, gap p99 ${fixed(figures.gapP99Ms, 0)} ms, ` +
          `tick→order p99 ${fixed(figures.tickToOrderP99Us, 0)} µs, CPU ${fixed(figures.cpuPct, 2)} %, RSS peak ${fixed(figures.peakRssMb, 1)} MB (${fixed(outcome.rssMb.atMark, 1)} at start, ${fixed(outcome.rssMb.atStop, 1)} at end), ` +
          `fills ${outcome.loop.fills}, flattens ${outcome.loop.flattens}, post-only rejects ${outcome.loop.postOnlyRejects}, exit ${String(figures.exitCode)}`,
      );
    } catch (error) {
      const message = `${label}: ${error instanceof Error ? error.message : String(error)}`;
      this.failures.push(message);
      progress(`${message} (run failed)`);
    }
  }
}

function findGroup(groups: readonly GroupSummary[], policy: RequotePolicy, signer: SignerBackend): GroupSummary | null {
  return groups.find((group) => group.policy === policy && group.signer === signer) ?? null;
}

/** The config with nothing but throwaway credentials set: the defaults the daemon runs with. */
function defaultConfig(): Config {
  return loadConfig({ ED25519_PRIVATE_KEY: encodeBase58(generateEd25519Seed()), ACCESS_TOKEN: 'bench.only.token' }, { accountName: 'bench' });
}

function settings(options: BenchOptions, config: Config, standInsAsBatch: boolean): BenchSettings {
  return {
    latencyMs: options.latencyMs,
    pushIntervalMs: options.pushIntervalMs,
    durationS: options.durationS,
    settleS: options.settleS,
    standInsAsBatch,
    runs: options.runs,
    signerRuns: options.signerRuns,
    seeds: Array.from({ length: Math.max(options.runs, options.signerRuns) }, (_, rep) => options.seed + rep),
    signer: options.signer,
    path: describeStandardPath(options.pushIntervalMs),
    band: {
      minBps: formatBps(config.quoting.minBps),
      targetBps: formatBps(config.quoting.targetBps),
      maxBps: formatBps(config.quoting.maxBps),
      markBandBps: MARK_BAND_BPS,
    },
    qty: STANDARD_QTY,
    logLevel: options.logLevel,
  };
}

function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    nodeVersion: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    memoryGb: os.totalmem() / 1024 ** 3,
  };
}

function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
