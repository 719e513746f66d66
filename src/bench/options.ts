// The benchmark's command line (`npm run bench -- [options]`) parsed to plain settings. Pure: the
// caller decides what to do with a usage error.

import { REQUOTE_POLICIES, type RequotePolicy } from '../engine/plan.js';
import { SIGNER_BACKENDS, type SignerBackend } from '../exchange/standx/signing.js';

export interface BenchOptions {
  /** Seconds measured per run (after the warm-up). */
  readonly durationS: number;
  /**
   * Seconds between the first two-sided quote and the window: V8 is still compiling the hot path
   * then (once per process, which runs for weeks), and a 60 s window would weigh that tenfold.
   */
  readonly settleS: number;
  /** Repetitions of each policy. */
  readonly runs: number;
  /** Repetitions of the signer comparison (the winning policy with every other signer). */
  readonly signerRuns: number;
  readonly latencyMs: number;
  readonly seed: number;
  /** Signer of the policy runs. */
  readonly signer: SignerBackend;
  readonly policies: readonly RequotePolicy[];
  readonly pushIntervalMs: number;
  /** Signatures per backend in the signing micro-benchmark. */
  readonly signIterations: number;
  /** Reactions timed at the push cadence by the floor benchmark. */
  readonly floorSamples: number;
  readonly logLevel: 'info' | 'debug' | 'warn';
  readonly isQuick: boolean;
  readonly out: string;
}

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

export const BENCH_USAGE = `usage: npm run bench -- [--quick] [--duration S] [--settle S] [--runs N] [--signer-runs N] [--latency MS]
                        [--seed N] [--signer node|noble] [--policies a,b,c] [--push-interval MS]
                        [--sign-iterations N] [--floor-samples N] [--log-level info|debug|warn] [--out FILE]`;

const DEFAULTS: BenchOptions = {
  durationS: 60,
  settleS: 10,
  runs: 3,
  signerRuns: 2,
  latencyMs: 10,
  seed: 42,
  signer: 'node',
  policies: REQUOTE_POLICIES,
  pushIntervalMs: 50,
  signIterations: 5_000,
  floorSamples: 400,
  logLevel: 'info',
  isQuick: false,
  out: 'bench/results.md',
};

/** --quick: one short run of everything, to check the harness end to end. */
const QUICK: Partial<BenchOptions> = { durationS: 8, settleS: 2, runs: 1, signerRuns: 1, signIterations: 500, floorSamples: 40, isQuick: true };

type Setter = (value: string, into: Record<string, unknown>) => void;

const SETTERS: Readonly<Record<string, Setter>> = {
  '--duration': (value, into) => (into['durationS'] = number(value, '--duration', 1, 3_600)),
  '--settle': (value, into) => (into['settleS'] = number(value, '--settle', 0, 600)),
  '--runs': (value, into) => (into['runs'] = whole(value, '--runs', 1, 50)),
  '--signer-runs': (value, into) => (into['signerRuns'] = whole(value, '--signer-runs', 0, 50)),
  '--latency': (value, into) => (into['latencyMs'] = number(value, '--latency', 0, 1_000)),
  '--seed': (value, into) => (into['seed'] = whole(value, '--seed', 0, 2 ** 31)),
  '--signer': (value, into) => (into['signer'] = oneOf(value, '--signer', SIGNER_BACKENDS)),
  '--policies': (value, into) => (into['policies'] = value.split(',').map((name) => oneOf(name.trim(), '--policies', REQUOTE_POLICIES))),
  '--push-interval': (value, into) => (into['pushIntervalMs'] = whole(value, '--push-interval', 5, 10_000)),
  '--sign-iterations': (value, into) => (into['signIterations'] = whole(value, '--sign-iterations', 10, 1_000_000)),
  '--floor-samples': (value, into) => (into['floorSamples'] = whole(value, '--floor-samples', 10, 100_000)),
  '--log-level': (value, into) => (into['logLevel'] = oneOf(value, '--log-level', ['info', 'debug', 'warn'] as const)),
  '--out': (value, into) => (into['out'] = value),
};

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const explicit: Record<string, unknown> = {};
  let isQuick = false;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--quick') {
      isQuick = true;
      continue;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg) : [arg, undefined];
    const setter = SETTERS[name];
    if (!setter) throw new BenchUsageError(`unknown option ${JSON.stringify(arg)}`);
    const value = inline ?? argv[(index += 1)];
    if (value === undefined) throw new BenchUsageError(`${name} needs a value`);
    setter(value, explicit);
  }
  return { ...DEFAULTS, ...(isQuick ? QUICK : {}), ...explicit } as BenchOptions;
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf('=');
  return [arg.slice(0, at), arg.slice(at + 1)];
}

function number(raw: string, name: string, min: number, max: number): number {
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) throw new BenchUsageError(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

function whole(raw: string, name: string, min: number, max: number): number {
  const value = number(raw, name, min, max);
  if (!Number.isInteger(value)) throw new BenchUsageError(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return value;
}

function oneOf<T extends string>(raw: string, name: string, values: readonly T[]): T {
  const found = values.find((value) => value === raw.toLowerCase());
  if (found === undefined) throw new BenchUsageError(`${name} must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}`);
  return found;
}
