// The figures of one benchmark run, computed from what the simulator's meter and the daemon's
// process reported. Pure: no clock, no I/O, so test/unit/bench checks them on scripted inputs.

import type { RequotePolicy } from '../engine/plan.js';
import type { SignerBackend } from '../exchange/standx/signing.js';
import type { UptimeReport } from '../sim/index.js';

/** What the daemon's own process measured over the run's window. */
export interface DaemonSample {
  /** Depth frame received -> order frame written, one per order frame sent while a depth frame was handled. */
  readonly tickToOrderMicros: readonly number[];
  readonly cpuUserMicros: number;
  readonly cpuSystemMicros: number;
  /** Wall time of the window the CPU figures cover. */
  readonly wallMs: number;
  /** process.resourceUsage().maxRSS: peak resident set of the whole process life, in KiB. */
  readonly maxRssKiB: number;
}

export interface RunInput {
  readonly policy: RequotePolicy;
  readonly signer: SignerBackend;
  readonly seed: number;
  readonly meter: UptimeReport;
  /** New orders plus cancel requests the simulator received in the window. */
  readonly orderMessages: number;
  readonly fills: number;
  readonly daemon: DaemonSample;
  readonly openOrdersLeft: number;
  readonly exitCode: number | null;
}

export interface RunFigures {
  readonly policy: RequotePolicy;
  readonly signer: SignerBackend;
  readonly seed: number;
  readonly elapsedMs: number;
  readonly inBandPct: number;
  readonly markPct: number;
  readonly gaps: number;
  readonly gapP50Ms: number | null;
  readonly gapP99Ms: number | null;
  readonly tickToOrderSamples: number;
  readonly tickToOrderP50Us: number | null;
  readonly tickToOrderP99Us: number | null;
  readonly orderMessagesPerHour: number;
  readonly fillsPerHour: number;
  readonly cpuPct: number;
  readonly peakRssMb: number;
  readonly openOrdersLeft: number;
  readonly exitCode: number | null;
}

const MS_PER_HOUR = 3_600_000;
const BYTES_PER_KIB = 1_024;
const BYTES_PER_MB = 1_048_576;

/** Nearest-rank percentile (the smallest value with at least p % of the values at or below it); null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/** The middle value, or the mean of the two middle values; null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

export function percentOf(part: number, whole: number): number {
  return whole <= 0 ? 0 : (part / whole) * 100;
}

export function perHour(count: number, elapsedMs: number): number {
  return elapsedMs <= 0 ? 0 : (count * MS_PER_HOUR) / elapsedMs;
}

/** CPU time as a percentage of one core over the wall time it was measured in. */
export function cpuPercent(userMicros: number, systemMicros: number, wallMs: number): number {
  return wallMs <= 0 ? 0 : ((userMicros + systemMicros) / 1_000 / wallMs) * 100;
}

export function bytesToMb(bytes: number): number {
  return bytes / BYTES_PER_MB;
}

export function kibToMb(kib: number): number {
  return (kib * BYTES_PER_KIB) / BYTES_PER_MB;
}

export function computeRunFigures(input: RunInput): RunFigures {
  const { meter, daemon } = input;
  const samples = daemon.tickToOrderMicros;
  return {
    policy: input.policy,
    signer: input.signer,
    seed: input.seed,
    elapsedMs: meter.elapsedMs,
    inBandPct: percentOf(meter.twoSidedInBandMs, meter.elapsedMs),
    markPct: percentOf(meter.twoSidedMarkMs, meter.elapsedMs),
    gaps: meter.requoteGapsMs.length,
    gapP50Ms: percentile(meter.requoteGapsMs, 50),
    gapP99Ms: percentile(meter.requoteGapsMs, 99),
    tickToOrderSamples: samples.length,
    tickToOrderP50Us: percentile(samples, 50),
    tickToOrderP99Us: percentile(samples, 99),
    orderMessagesPerHour: perHour(input.orderMessages, meter.elapsedMs),
    fillsPerHour: perHour(input.fills, meter.elapsedMs),
    cpuPct: cpuPercent(daemon.cpuUserMicros, daemon.cpuSystemMicros, daemon.wallMs),
    peakRssMb: kibToMb(daemon.maxRssKiB),
    openOrdersLeft: input.openOrdersLeft,
    exitCode: input.exitCode,
  };
}

export interface SigningFigures {
  readonly backend: SignerBackend;
  readonly iterations: number;
  readonly opsPerSecond: number;
  readonly p50Us: number | null;
  readonly p99Us: number | null;
}

/** One backend's signing figures from per-signature timings and the loop's total time. */
export function computeSigningFigures(backend: SignerBackend, samplesMicros: readonly number[], totalMs: number): SigningFigures {
  return {
    backend,
    iterations: samplesMicros.length,
    opsPerSecond: totalMs <= 0 ? 0 : (samplesMicros.length * 1_000) / totalMs,
    p50Us: percentile(samplesMicros, 50),
    p99Us: percentile(samplesMicros, 99),
  };
}

/** One timed reaction of the floor benchmark, in parts. */
export interface FloorSample {
  readonly parseUs: number;
  /** Order body, signature and envelope. */
  readonly signUs: number;
  readonly writeUs: number;
}

export interface FloorPart {
  readonly p50Us: number | null;
  readonly p99Us: number | null;
}

export interface FloorFigures {
  readonly backend: SignerBackend;
  readonly pushIntervalMs: number;
  readonly samples: number;
  /** At the depth push cadence, as the daemon runs. */
  readonly atCadence: { readonly total: FloorPart; readonly parse: FloorPart; readonly sign: FloorPart; readonly write: FloorPart };
  /** The same work back to back: what the code costs on a busy core. */
  readonly backToBack: FloorPart;
}

export function computeFloorFigures(
  backend: SignerBackend,
  pushIntervalMs: number,
  atCadence: readonly FloorSample[],
  backToBack: readonly FloorSample[],
): FloorFigures {
  const part = (values: readonly number[]): FloorPart => ({ p50Us: percentile(values, 50), p99Us: percentile(values, 99) });
  const total = (sample: FloorSample): number => sample.parseUs + sample.signUs + sample.writeUs;
  return {
    backend,
    pushIntervalMs,
    samples: atCadence.length,
    atCadence: {
      total: part(atCadence.map(total)),
      parse: part(atCadence.map((sample) => sample.parseUs)),
      sign: part(atCadence.map((sample) => sample.signUs)),
      write: part(atCadence.map((sample) => sample.writeUs)),
    },
    backToBack: part(backToBack.map(total)),
  };
}
