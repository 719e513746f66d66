// The soak's command line (`npm run soak -- [options]`) parsed to plain settings. Pure: the caller
// decides what to do with a usage error.

import { isSoakFaultKind, SOAK_FAULT_KINDS, type SoakFaultKind } from './soak-schedule.js';

export interface SoakOptions {
  /** Length of the faulted window, from the first two-sided quote to SIGTERM. */
  readonly minutes: number;
  readonly seed: number;
  readonly out: string;
  readonly latencyMs: number;
  readonly pushIntervalMs: number;
  /** Start-to-start spacing of faults, seconds. */
  readonly everyS: readonly [number, number];
  /** Duration of lasting faults (a restart's downtime included), seconds. */
  readonly lastingS: readonly [number, number];
  /** The least quiet time after each fault and before SIGTERM, seconds. */
  readonly quietS: number;
  readonly kinds: readonly SoakFaultKind[];
  /** How often the simulator's state is sampled. */
  readonly sampleMs: number;
  readonly logLevel: 'info' | 'debug' | 'warn';
}

export class SoakUsageError extends Error {
  override readonly name = 'SoakUsageError';
}

export const SOAK_USAGE = `usage: npm run soak -- [--minutes N] [--seed N] [--out FILE] [--latency MS] [--push-interval MS]
                       [--every A-B] [--lasting A-B] [--quiet S] [--faults kind,kind,…] [--sample MS]
                       [--log-level info|debug|warn]
fault kinds: ${SOAK_FAULT_KINDS.join(', ')}`;

const DEFAULTS: SoakOptions = {
  minutes: 30,
  seed: 13,
  out: 'bench/soak.md',
  latencyMs: 10,
  pushIntervalMs: 50,
  everyS: [10, 20],
  lastingS: [0.5, 8],
  quietS: 3,
  kinds: SOAK_FAULT_KINDS,
  sampleMs: 50,
  logLevel: 'info',
};

type Setter = (value: string, into: Record<string, unknown>) => void;

const SETTERS: Readonly<Record<string, Setter>> = {
  '--minutes': (value, into) => (into['minutes'] = number(value, '--minutes', 0.1, 1_440)),
  '--seed': (value, into) => (into['seed'] = whole(value, '--seed', 0, 2 ** 31)),
  '--out': (value, into) => (into['out'] = value),
  '--latency': (value, into) => (into['latencyMs'] = number(value, '--latency', 0, 1_000)),
  '--push-interval': (value, into) => (into['pushIntervalMs'] = whole(value, '--push-interval', 5, 10_000)),
  '--every': (value, into) => (into['everyS'] = range(value, '--every', 1, 3_600)),
  '--lasting': (value, into) => (into['lastingS'] = range(value, '--lasting', 0.1, 600)),
  '--quiet': (value, into) => (into['quietS'] = number(value, '--quiet', 0, 600)),
  '--faults': (value, into) => (into['kinds'] = kinds(value)),
  '--sample': (value, into) => (into['sampleMs'] = whole(value, '--sample', 5, 10_000)),
  '--log-level': (value, into) => (into['logLevel'] = oneOf(value, '--log-level', ['info', 'debug', 'warn'] as const)),
};

export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const explicit: Record<string, unknown> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    const at = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = at > 0 ? arg.slice(0, at) : arg;
    const setter = SETTERS[name];
    if (!setter) throw new SoakUsageError(`unknown option ${JSON.stringify(arg)}`);
    const value = at > 0 ? arg.slice(at + 1) : argv[(index += 1)];
    if (value === undefined) throw new SoakUsageError(`${name} needs a value`);
    setter(value, explicit);
  }
  return { ...DEFAULTS, ...explicit } as SoakOptions;
}

function number(raw: string, name: string, min: number, max: number): number {
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) throw new SoakUsageError(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

function whole(raw: string, name: string, min: number, max: number): number {
  const value = number(raw, name, min, max);
  if (!Number.isInteger(value)) throw new SoakUsageError(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return value;
}

/** `A-B` (or a single `A`), seconds, with A <= B. */
function range(raw: string, name: string, min: number, max: number): [number, number] {
  const [low = '', high = low] = raw.split('-');
  const from = number(low, name, min, max);
  const to = number(high, name, min, max);
  if (from > to) throw new SoakUsageError(`${name} must be A-B with A <= B, got ${JSON.stringify(raw)}`);
  return [from, to];
}

function kinds(raw: string): SoakFaultKind[] {
  const names = raw.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  const unknown = names.filter((name) => !isSoakFaultKind(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new SoakUsageError(`--faults takes kinds from: ${SOAK_FAULT_KINDS.join(', ')}; got ${JSON.stringify(raw)}`);
  }
  return names.filter(isSoakFaultKind);
}

function oneOf<T extends string>(raw: string, name: string, values: readonly T[]): T {
  const found = values.find((value) => value === raw.toLowerCase());
  if (found === undefined) throw new SoakUsageError(`${name} must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}`);
  return found;
}
