// Exact reference prices. A mid is half a tick apart from any tick and a mark price may carry more
// digits than the tick, so reference prices are rationals in tick units: value = num / den ticks.

import { DecimalFormatError, floorDiv, fractionDigits, parseUnits, pow10 } from './decimal.js';

export interface TickPrice {
  readonly num: bigint;
  /** Always > 0. */
  readonly den: bigint;
}

export function tickPrice(ticks: bigint): TickPrice {
  return { num: ticks, den: 1n };
}

/** A decimal string (e.g. a mark price) as an exact rational in ticks of 10^-priceDecimals. */
export function tickPriceFromDecimal(value: string, priceDecimals: number): TickPrice {
  const digits = Math.max(fractionDigits(value), priceDecimals);
  const units = parseUnits(value, digits);
  if (units <= 0n) throw new DecimalFormatError(`price must be positive: ${value}`);
  return { num: units, den: pow10(digits - priceDecimals) };
}

export function compareTickPrice(a: TickPrice, b: TickPrice): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function floorTicks(price: TickPrice): bigint {
  return floorDiv(price.num, price.den);
}

/** Approximate value for display and statistics only; never for a wire message. */
export function tickPriceToNumber(price: TickPrice, priceDecimals: number): number {
  return Number(price.num) / Number(price.den) / 10 ** priceDecimals;
}
