// Distance of a quote from a reference price in basis points, measured on the quote's own side:
// a bid below the reference and an ask above it are at a positive distance, the wrong side is
// negative and so always out of band. Every comparison cross-multiplies integers.

import { BPS_UNIT_SCALE, BPS_UNITS_PER_ONE, type Bps } from '../domain/bps.js';
import { ceilDiv, floorDiv } from '../domain/decimal.js';
import type { TickPrice } from '../domain/price.js';
import type { Side } from '../domain/types.js';

/** Inclusive distance limits: a quote exactly at minBps or maxBps is in band. */
export interface BpsBand {
  readonly minBps: Bps;
  readonly maxBps: Bps;
}

/** An exact rational number of basis points (den > 0). */
export interface BpsRatio {
  readonly num: bigint;
  readonly den: bigint;
}

/** An inclusive range of ticks; empty when loTicks > hiTicks. */
export interface TickRange {
  readonly loTicks: bigint;
  readonly hiTicks: bigint;
}

/** Signed distance in bps: (ref − bid)/ref·10⁴ or (ask − ref)/ref·10⁴. `ref` must be positive. */
export function distanceBps(side: Side, priceTicks: bigint, ref: TickPrice): BpsRatio {
  // ref = n/m: (n − p·m)/n for a bid, (p·m − n)/n for an ask.
  const gap = side === 'buy' ? ref.num - priceTicks * ref.den : priceTicks * ref.den - ref.num;
  return { num: gap * BPS_UNIT_SCALE, den: ref.num };
}

/** Approximate value for logs only. */
export function bpsRatioToNumber(ratio: BpsRatio): number {
  return Number(ratio.num) / Number(ratio.den);
}

/** True when minBps ≤ distance ≤ maxBps (exact). False for a non-positive reference. */
export function isInBand(side: Side, priceTicks: bigint, ref: TickPrice, band: BpsBand): boolean {
  if (ref.num <= 0n) return false;
  // distance in Bps units = gap·10⁸/n; compare gap·10⁸ against min·n and max·n.
  const gap = side === 'buy' ? ref.num - priceTicks * ref.den : priceTicks * ref.den - ref.num;
  const scaled = gap * BPS_UNITS_PER_ONE;
  return scaled >= band.minBps * ref.num && scaled <= band.maxBps * ref.num;
}

/**
 * The ticks a quote may take to be in band: exactly the p with isInBand(side, p, ref, band).
 * Empty when the band is narrower than a tick there, or when ref is not positive.
 */
export function bandTickRange(side: Side, ref: TickPrice, band: BpsBand): TickRange {
  if (ref.num <= 0n) return { loTicks: 1n, hiTicks: 0n };
  const scale = ref.den * BPS_UNITS_PER_ONE;
  if (side === 'buy') {
    return {
      loTicks: ceilDiv(ref.num * (BPS_UNITS_PER_ONE - band.maxBps), scale),
      hiTicks: floorDiv(ref.num * (BPS_UNITS_PER_ONE - band.minBps), scale),
    };
  }
  return {
    loTicks: ceilDiv(ref.num * (BPS_UNITS_PER_ONE + band.minBps), scale),
    hiTicks: floorDiv(ref.num * (BPS_UNITS_PER_ONE + band.maxBps), scale),
  };
}

export function intersectRanges(a: TickRange, b: TickRange): TickRange {
  return {
    loTicks: a.loTicks > b.loTicks ? a.loTicks : b.loTicks,
    hiTicks: a.hiTicks < b.hiTicks ? a.hiTicks : b.hiTicks,
  };
}

export function isEmptyRange(range: TickRange): boolean {
  return range.loTicks > range.hiTicks;
}
