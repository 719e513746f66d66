// Exact reference prices. A mid is half a tick apart from any tick and a mark price may carry more
// digits than the tick, so reference prices are rationals in tick units: value = num / den ticks.

import { DecimalFormatError, fractionDigits, parseUnits, pow10 } from './decimal.js';

export interface TickPrice {
  readonly num: bigint;
  /** Always > 0. */
  readonly den: bigint;
}

/** A decimal string (e.g. a mark price) as an exact rational in ticks of 10^-priceDecimals. */
export function tickPriceFromDecimal(value: string, priceDecimals: number): TickPrice {
  const digits = Math.max(fractionDigits(value), priceDecimals);
  const units = parseUnits(value, digits);
  if (units <= 0n) throw new DecimalFormatError(`price must be positive: ${value}`);
  return { num: units, den: pow10(digits - priceDecimals) };
}

/** Approximate value for display and statistics only; never for a wire message. */
export function tickPriceToNumber(price: TickPrice, priceDecimals: number): number {
  return Number(price.num) / Number(price.den) / 10 ** priceDecimals;
}
