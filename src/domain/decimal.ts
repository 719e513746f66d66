// Exact decimal strings <-> scaled integers. Prices and sizes never pass through a float:
// the wire carries decimal strings, the engine works in integer ticks and lots (bigint).

export type Rounding = 'exact' | 'floor' | 'ceil';

const DECIMAL_PATTERN = /^([+-]?)(\d+)(?:\.(\d*))?$|^([+-]?)\.(\d+)$/;

export class DecimalFormatError extends Error {
  override readonly name = 'DecimalFormatError';
}

/**
 * Parses a decimal string into an integer count of 10^-decimals units.
 * 'exact' throws when the value has more fractional digits than `decimals` allows (non-zero ones);
 * 'floor' and 'ceil' round towards -inf / +inf.
 */
export function parseUnits(value: string, decimals: number, rounding: Rounding = 'exact'): bigint {
  const match = DECIMAL_PATTERN.exec(value.trim());
  if (!match) throw new DecimalFormatError(`not a decimal number: ${JSON.stringify(value)}`);
  const negative = (match[1] ?? match[4]) === '-';
  const whole = match[2] ?? '0';
  const fraction = match[3] ?? match[5] ?? '';
  const kept = fraction.slice(0, decimals).padEnd(decimals, '0');
  const dropped = fraction.slice(decimals);
  let magnitude = BigInt(whole + kept);
  const hasRemainder = /[1-9]/.test(dropped);
  if (hasRemainder) {
    if (rounding === 'exact') {
      throw new DecimalFormatError(`${value} has more than ${decimals} decimal places`);
    }
    // Rounding the magnitude up moves a positive value towards +inf and a negative one towards -inf.
    const roundMagnitudeUp = negative ? rounding === 'floor' : rounding === 'ceil';
    if (roundMagnitudeUp) magnitude += 1n;
  }
  return negative ? -magnitude : magnitude;
}

/** Formats an integer count of 10^-decimals units as a decimal string with exactly `decimals` places. */
export function formatUnits(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  const body = decimals > 0 ? `${whole}.${fraction}` : whole;
  return negative ? `-${body}` : body;
}

/** True for a syntactically valid decimal string (sign, digits, optional fraction). */
export function isDecimalString(value: string): boolean {
  return DECIMAL_PATTERN.test(value.trim());
}

/** Number of fractional digits written in a decimal string ("1.50" -> 2). */
export function fractionDigits(value: string): number {
  const dot = value.indexOf('.');
  return dot === -1 ? 0 : value.length - dot - 1;
}

export function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

export function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/** Floor division for bigints (BigInt division truncates towards zero). */
export function floorDiv(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  return remainder !== 0n && (remainder < 0n) !== (denominator < 0n) ? quotient - 1n : quotient;
}

/** Ceiling division for bigints. */
export function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return -floorDiv(-numerator, denominator);
}
