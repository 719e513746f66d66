// Amounts in the quote currency (fills, fees, P&L) as exact integers of 10^-18: a price times a size,
// a fee rate times a notional, sums over a day. Only the last 10^-18 is ever rounded, and only where
// a function says so; display rounding is the caller's.

import { formatUnits, parseUnits, pow10 } from './decimal.js';
import type { TickPrice } from './price.js';

declare const moneyBrand: unique symbol;
/** Quote-currency units of 10^-18. */
export type Money = bigint & { readonly [moneyBrand]: true };

export const MONEY_DECIMALS = 18;
const ONE = pow10(MONEY_DECIMALS);

export function money(units: bigint): Money {
  return units as Money;
}

/** A decimal string (a price, a P&L) as Money; digits past the 18th are floored. */
export function moneyFromDecimal(value: string): Money {
  return money(parseUnits(value, MONEY_DECIMALS, 'floor'));
}

/** A price in ticks of 10^-priceDecimals as Money per whole unit of the asset. */
export function moneyFromTicks(ticks: bigint, priceDecimals: number): Money {
  return money(ticks * pow10(MONEY_DECIMALS - priceDecimals));
}

/** A reference price (mid, mark) as Money per unit, floored at 10^-18. */
export function moneyFromTickPrice(price: TickPrice, priceDecimals: number): Money {
  return money((price.num * pow10(MONEY_DECIMALS - priceDecimals)) / price.den);
}

/** Price per unit times a size in lots of 10^-qtyDecimals, floored at 10^-18. */
export function notionalOf(pricePerUnit: Money, lots: bigint, qtyDecimals: number): Money {
  return money((pricePerUnit * lots) / pow10(qtyDecimals));
}

/** A fee at `rate` (a decimal string such as "0.0001") on a notional, rounded up: fees are never understated. */
export function feeOf(notional: Money, rate: string): Money {
  const rateUnits = parseUnits(rate, MONEY_DECIMALS, 'ceil');
  const product = notional * rateUnits;
  const fee = product / ONE;
  return money(product % ONE > 0n ? fee + 1n : fee);
}

/** The shortest exact decimal, with at least `minDecimals` places. */
export function formatMoney(value: Money, minDecimals = 2): string {
  const full = formatUnits(value, MONEY_DECIMALS);
  const [whole, fraction = ''] = full.split('.');
  const kept = fraction.replace(/0+$/, '').padEnd(minDecimals, '0');
  return kept === '' ? (whole ?? '0') : `${whole ?? '0'}.${kept}`;
}

/** Rounded half away from zero to `decimals` places, for people. */
export function roundMoney(value: Money, decimals: number): string {
  const step = pow10(MONEY_DECIMALS - decimals);
  const half = step / 2n;
  const magnitude = value < 0n ? -value : value;
  const rounded = (magnitude + half) / step;
  return formatUnits(value < 0n ? -rounded : rounded, decimals);
}

/** part / whole · 10⁴, rounded to `decimals` places (for slippage in bps); null when whole is 0. */
export function bpsOf(part: Money, whole: Money, decimals = 2): string | null {
  if (whole === 0n) return null;
  const scale = pow10(decimals);
  const numerator = part * 10_000n * scale * 2n;
  const denominator = whole * 2n;
  const quotient = (numerator + (numerator >= 0n === denominator > 0n ? whole : -whole)) / denominator;
  return formatUnits(quotient, decimals);
}
