// Exact basis points. A Bps is a bigint count of 1e-4 bps (so "7.5" bps is 75_000n): band limits are
// parsed from decimal strings and compared as integers, so no float ever decides a quote.

import { DecimalFormatError, formatUnits, parseUnits } from './decimal.js';

declare const bpsBrand: unique symbol;
/** Basis points in units of 1e-4 bps. */
export type Bps = bigint & { readonly [bpsBrand]: true };

/** Fractional digits a Bps keeps. */
export const BPS_DECIMALS = 4;
/** Bps units per basis point. */
export const BPS_UNIT_SCALE = 10_000n;
/** Bps units per whole (1 = 10^4 bps = 10^8 units): a price moved by b is ref·(ONE ± b)/ONE. */
export const BPS_UNITS_PER_ONE = 100_000_000n;

/** Wraps a raw count of 1e-4 bps. */
export function bpsFromUnits(units: bigint): Bps {
  return units as Bps;
}

/** Parses "7.5", "9.9", "10", "0.0001". Throws DecimalFormatError on junk or more than 4 decimals. */
export function parseBps(value: string): Bps {
  return bpsFromUnits(parseUnits(value, BPS_DECIMALS, 'exact'));
}

/** Returns the Bps, or null when the string is not a decimal with at most 4 fractional digits. */
export function tryParseBps(value: string): Bps | null {
  try {
    return parseBps(value);
  } catch (error) {
    if (error instanceof DecimalFormatError) return null;
    throw error;
  }
}

/** For display and statistics only (logs, alerts, the simulator's meter); never for a decision. */
export function bpsToNumber(bps: bigint): number {
  return Number(bps) / Number(BPS_UNIT_SCALE);
}

/** Shortest decimal form: 75_000n → "7.5", 100_000n → "10". */
export function formatBps(bps: Bps): string {
  const text = formatUnits(bps, BPS_DECIMALS);
  return text.replace(/\.?0+$/, '');
}

export function compareBps(a: Bps, b: Bps): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}
