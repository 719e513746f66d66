// The soak's fault schedule: which fault starts when, for how long, with which parameters, drawn
// from a seed. Pure, so the same seed always gives the same run and test/unit/bench can check it.

import { seededRandom, type RandomSource } from '../domain/random.js';
import type { MalformedVariant, SocketKind } from '../sim/index.js';

/**
 * Everything the simulator injects that a healthy daemon must ride out. Left out on purpose:
 * expireToken and a clock skew past the signature window (the daemon is designed to exit on them),
 * and disregardPongs (its 5-minute deadline outlasts any fault here).
 */
export const SOAK_FAULT_KINDS = [
  'drop-stream',
  'drop-api',
  'drop-all',
  'half-open-stream',
  'half-open-api',
  'stall-stream',
  'stall-api',
  'stop-pings',
  'ignore-pongs',
  'fill-while-silent',
  'fill-push-lost',
  'partial-fill',
  'restart',
  'cancel-race',
  'late-reject',
  'reject-orders',
  'lose-acks',
  'duplicate-replies',
  'delay-acks',
  'http-429',
  'http-500',
  'rest-lag',
  'malformed',
  'freeze-depth',
] as const;
export type SoakFaultKind = (typeof SOAK_FAULT_KINDS)[number];

/** Faults that act once at their start; the rest last their duration. */
const INSTANT: ReadonlySet<SoakFaultKind> = new Set(['drop-stream', 'drop-api', 'drop-all', 'fill-push-lost', 'partial-fill', 'malformed']);

const MALFORMED_VARIANTS: readonly MalformedVariant[] = [
  'invalid-json',
  'wrong-shape',
  'concatenated',
  'huge',
  'unknown-channel',
  'numbers-for-strings',
  'missing-fields',
  'data-array',
];
const SOCKET_KINDS: readonly SocketKind[] = ['stream', 'api', 'all'];
const REJECTIONS = [
  { code: 400, message: 'alo order rejected' },
  { code: 429, message: 'too many requests' },
  { code: 400, message: 'insufficient margin' },
] as const;

/** Issue 13: the test exchange held REST reads 15 s behind the stream. */
export const REST_LAG_MS = 15_000;

export interface FaultParams {
  /** Commands the fault covers (cancel races, late rejects, lost or duplicated replies, rejections). */
  readonly count?: number;
  readonly delayMs?: number;
  readonly side?: 'buy' | 'sell';
  /** Share of the order's remaining size a forced fill takes; 1 fills it whole. */
  readonly fillShare?: number;
  readonly socket?: SocketKind;
  readonly variant?: MalformedVariant;
  readonly rejection?: { readonly code: number; readonly message: string };
}

export interface ScheduledFault {
  readonly index: number;
  readonly kind: SoakFaultKind;
  /** From the start of the faulted window. */
  readonly startMs: number;
  /** 0 for instant faults; a restart's downtime. */
  readonly durationMs: number;
  readonly params: FaultParams;
}

export interface ScheduleSpec {
  readonly seed: number;
  readonly windowMs: number;
  /** Start-to-start spacing, drawn uniformly. */
  readonly everyMs: readonly [number, number];
  readonly lastingMs: readonly [number, number];
  /** The least time between one fault's end and the next start, and before the window ends. */
  readonly quietMs: number;
  readonly kinds: readonly SoakFaultKind[];
}

function uniform(random: RandomSource, [low, high]: readonly [number, number]): number {
  return low + (high - low) * random();
}

function pick<T>(random: RandomSource, values: readonly T[]): T {
  const value = values[Math.floor(random() * values.length)];
  if (value === undefined) throw new RangeError('nothing to pick from');
  return value;
}

function whole(random: RandomSource, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

function paramsFor(kind: SoakFaultKind, random: RandomSource): FaultParams {
  switch (kind) {
    case 'fill-while-silent':
    case 'fill-push-lost':
    case 'partial-fill': {
      const isWhole = kind !== 'partial-fill' && random() < 0.5;
      return { side: pick(random, ['buy', 'sell'] as const), fillShare: isWhole ? 1 : Math.round(10 + random() * 80) / 100 };
    }
    case 'cancel-race':
    case 'lose-acks':
    case 'duplicate-replies':
      return { count: whole(random, 1, 3) };
    case 'late-reject':
      return { count: whole(random, 1, 3), delayMs: whole(random, 50, 1_000) };
    case 'reject-orders':
      return { count: whole(random, 1, 3), rejection: pick(random, REJECTIONS) };
    case 'delay-acks':
      return { delayMs: whole(random, 200, 3_000) };
    case 'rest-lag':
      return { delayMs: REST_LAG_MS };
    case 'malformed':
      return { socket: pick(random, SOCKET_KINDS), variant: pick(random, MALFORMED_VARIANTS) };
    default:
      return {};
  }
}

/** Faults one after another, each ending `quietMs` before the next starts and before the window ends. */
export function planFaults(spec: ScheduleSpec): ScheduledFault[] {
  if (spec.kinds.length === 0) return [];
  const random = seededRandom(spec.seed);
  const faults: ScheduledFault[] = [];
  let startMs = uniform(random, spec.everyMs);
  for (;;) {
    const kind = pick(random, spec.kinds);
    const durationMs = INSTANT.has(kind) ? 0 : Math.round(uniform(random, spec.lastingMs));
    const params = paramsFor(kind, random);
    if (startMs + durationMs + spec.quietMs > spec.windowMs) return faults;
    faults.push({ index: faults.length + 1, kind, startMs: Math.round(startMs), durationMs, params });
    startMs = Math.max(startMs + uniform(random, spec.everyMs), startMs + durationMs + spec.quietMs);
  }
}

export function isSoakFaultKind(value: string): value is SoakFaultKind {
  return (SOAK_FAULT_KINDS as readonly string[]).includes(value);
}
