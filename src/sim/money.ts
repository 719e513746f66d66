// Exact money arithmetic: balances, notionals, fees and P&L are bigints of 10^-18 DUSD, so that
// every product of ticks, lots, fee rates and mark units is representable without rounding.

import { floorDiv, formatUnits, parseUnits, pow10 } from '../domain/decimal.js';
import type { Rate, SymbolSpec } from './symbol-spec.js';

export const MONEY_DECIMALS = 18;

/** A non-negative-denominator fraction, for exact band comparisons. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

export function parseMoney(value: string): bigint {
  return parseUnits(value, MONEY_DECIMALS);
}

/** Drops trailing fractional zeros ("1.500" -> "1.5", "2.000" -> "2"). */
export function trimDecimal(value: string): string {
  if (!value.includes('.')) return value;
  const trimmed = value.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

export function formatMoney(units: bigint): string {
  return trimDecimal(formatUnits(units, MONEY_DECIMALS));
}

/** price (ticks) x qty (lots) in money units. */
export function notionalMoney(priceTicks: bigint, lots: bigint, spec: SymbolSpec): bigint {
  return priceTicks * lots * pow10(MONEY_DECIMALS - spec.priceDecimals - spec.qtyDecimals);
}

/** mark (units of 10^-markDecimals) x qty (lots) in money units. */
export function markNotionalMoney(markUnits: bigint, lots: bigint, spec: SymbolSpec): bigint {
  return markUnits * lots * pow10(MONEY_DECIMALS - spec.markDecimals - spec.qtyDecimals);
}

export function applyRate(money: bigint, rate: Rate): bigint {
  return floorDiv(money * rate.units, pow10(rate.decimals));
}

/** Average price of `money` spread over `lots`, as a decimal string with `decimals` places (floored). */
export function averagePrice(money: bigint, lots: bigint, spec: SymbolSpec, decimals: number): string {
  if (lots === 0n) return '0';
  const scaled = floorDiv(money * pow10(decimals + spec.qtyDecimals), lots * pow10(MONEY_DECIMALS));
  return trimDecimal(formatUnits(scaled, decimals));
}

/** An exact ratio from a JS number written in decimal or exponent form (e.g. 7.5, 1e-7). */
export function ratioFromNumber(value: number): Ratio {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`cannot read ${value} exactly`);
  const fraction = match[3] ?? '';
  const exponent = Number(match[4] ?? '0') - fraction.length;
  const digits = BigInt(`${match[1] ?? ''}${match[2] ?? '0'}${fraction}`);
  return exponent >= 0 ? { num: digits * pow10(exponent), den: 1n } : { num: digits, den: pow10(-exponent) };
}
