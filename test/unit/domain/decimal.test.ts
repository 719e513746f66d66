import { describe, expect, it } from 'vitest';
import {
  abs,
  ceilDiv,
  DecimalFormatError,
  floorDiv,
  formatUnits,
  fractionDigits,
  isDecimalString,
  parseUnits,
  pow10,
  type Rounding,
} from '../../../src/domain/decimal.js';

describe('parseUnits', () => {
  it.each<[string, number, bigint]>([
    ['65000.00', 2, 6_500_000n],
    ['65000', 2, 6_500_000n],
    ['65000.5', 2, 6_500_050n],
    ['0.0001', 4, 1n],
    ['0.001', 4, 10n],
    ['1.50', 1, 15n],
    ['1.5000000', 1, 15n],
    ['7', 0, 7n],
    ['7.000', 0, 7n],
    ['1.', 2, 100n],
    ['.5', 2, 50n],
    ['-.5', 2, -50n],
    ['+2.25', 2, 225n],
    ['-2.25', 2, -225n],
    ['-0', 2, 0n],
    ['0', 9, 0n],
    ['  3.14  ', 2, 314n],
    ['007.10', 2, 710n],
    ['123456789012345678901234567890.123456789', 9, 123456789012345678901234567890123456789n],
  ])('parses %j at %i decimals exactly as %s', (text, decimals, units) => {
    expect(parseUnits(text, decimals)).toBe(units);
    expect(parseUnits(text, decimals, 'exact')).toBe(units);
    // A value already on the grid is the same whichever way it would round.
    expect(parseUnits(text, decimals, 'floor')).toBe(units);
    expect(parseUnits(text, decimals, 'ceil')).toBe(units);
  });

  it.each<[string, number, Rounding, bigint]>([
    ['1.239', 2, 'floor', 123n],
    ['1.239', 2, 'ceil', 124n],
    ['1.231', 2, 'floor', 123n],
    ['1.231', 2, 'ceil', 124n],
    ['-1.239', 2, 'floor', -124n],
    ['-1.239', 2, 'ceil', -123n],
    ['-1.231', 2, 'floor', -124n],
    ['-1.231', 2, 'ceil', -123n],
    ['0.001', 2, 'floor', 0n],
    ['0.001', 2, 'ceil', 1n],
    ['-0.001', 2, 'floor', -1n],
    ['-0.001', 2, 'ceil', 0n],
    ['0.00001', 4, 'ceil', 1n],
    ['0.9999', 0, 'floor', 0n],
    ['0.9999', 0, 'ceil', 1n],
    ['9.99', 1, 'ceil', 100n],
    ['1.2300001', 2, 'floor', 123n],
    ['1.2300001', 2, 'ceil', 124n],
    ['1.2300000', 2, 'ceil', 123n],
  ])('rounds %j at %i decimals with %s to %s', (text, decimals, rounding, units) => {
    expect(parseUnits(text, decimals, rounding)).toBe(units);
  });

  it.each<[string, number]>([
    ['1.239', 2],
    ['0.00001', 4],
    ['-0.5', 0],
    ['1.2300001', 2],
  ])('refuses %j at %i decimals when the rounding is exact', (text, decimals) => {
    expect(() => parseUnits(text, decimals)).toThrow(DecimalFormatError);
    expect(() => parseUnits(text, decimals, 'exact')).toThrow(/decimal places/);
  });

  it.each(['', ' ', '.', '-', '+', 'abc', '1e3', '1E-2', '1,5', '1.2.3', '--1', '+-1', '0x10', 'NaN', 'Infinity', '1 000', '. 5', '1.5.'])(
    'refuses the non-decimal %j whatever the rounding',
    (text) => {
      for (const rounding of ['exact', 'floor', 'ceil'] as const) {
        expect(() => parseUnits(text, 2, rounding)).toThrow(DecimalFormatError);
      }
    },
  );
});

describe('formatUnits', () => {
  it.each<[bigint, number, string]>([
    [6_500_000n, 2, '65000.00'],
    [1n, 4, '0.0001'],
    [10n, 4, '0.0010'],
    [0n, 2, '0.00'],
    [0n, 0, '0'],
    [7n, 0, '7'],
    [-5n, 2, '-0.05'],
    [-6_500_050n, 2, '-65000.50'],
    [123n, 3, '0.123'],
    [1234n, 3, '1.234'],
    [10n ** 30n, 9, '1000000000000000000000.000000000'],
  ])('formats %s at %i decimals as %j', (units, decimals, text) => {
    expect(formatUnits(units, decimals)).toBe(text);
  });

  it.each<[string, number]>([
    ['65000.00', 2],
    ['0.0001', 4],
    ['-0.05', 2],
    ['12', 0],
    ['-1.000000001', 9],
  ])('round-trips %j at %i decimals', (text, decimals) => {
    expect(formatUnits(parseUnits(text, decimals), decimals)).toBe(text);
  });
});

describe('isDecimalString', () => {
  it.each(['0', '1', '-1', '+1', '1.5', '1.', '.5', '-.5', '+.5', '00.10', ' 2.5 ', '123456789012345678901234567890'])(
    'accepts %j',
    (text) => {
      expect(isDecimalString(text)).toBe(true);
    },
  );

  it.each(['', '.', '-', 'abc', '1e3', '1,5', '1.2.3', '--1', '0x1f', 'NaN', '1 0', '-.', '.-5'])('refuses %j', (text) => {
    expect(isDecimalString(text)).toBe(false);
  });
});

describe('fractionDigits', () => {
  it.each<[string, number]>([
    ['1.50', 2],
    ['1', 0],
    ['0.0001', 4],
    ['1.', 0],
    ['.125', 3],
    ['-2.5', 1],
    ['100', 0],
  ])('counts the written fractional digits of %j as %i', (text, digits) => {
    expect(fractionDigits(text)).toBe(digits);
  });
});

describe('abs and pow10', () => {
  it.each<[bigint, bigint]>([
    [5n, 5n],
    [-5n, 5n],
    [0n, 0n],
    [-(10n ** 40n), 10n ** 40n],
  ])('abs(%s) is %s', (value, expected) => {
    expect(abs(value)).toBe(expected);
  });

  it.each<[number, bigint]>([
    [0, 1n],
    [1, 10n],
    [2, 100n],
    [9, 1_000_000_000n],
    [18, 1_000_000_000_000_000_000n],
  ])('pow10(%i) is %s', (exponent, expected) => {
    expect(pow10(exponent)).toBe(expected);
  });

  it('pow10 refuses a negative exponent (bigint has no fractions)', () => {
    expect(() => pow10(-1)).toThrow(RangeError);
  });
});

describe('floorDiv and ceilDiv', () => {
  it.each<[bigint, bigint, bigint, bigint]>([
    // numerator, denominator, floor, ceil
    [7n, 2n, 3n, 4n],
    [-7n, 2n, -4n, -3n],
    [7n, -2n, -4n, -3n],
    [-7n, -2n, 3n, 4n],
    [6n, 2n, 3n, 3n],
    [-6n, 2n, -3n, -3n],
    [6n, -2n, -3n, -3n],
    [-6n, -2n, 3n, 3n],
    [0n, 5n, 0n, 0n],
    [0n, -5n, 0n, 0n],
    [1n, 3n, 0n, 1n],
    [-1n, 3n, -1n, 0n],
    [1n, -3n, -1n, 0n],
    [-1n, -3n, 0n, 1n],
    [2n, 3n, 0n, 1n],
    [-2n, 3n, -1n, 0n],
    [10n ** 30n + 1n, 10n ** 15n, 10n ** 15n, 10n ** 15n + 1n],
  ])('%s / %s: floor %s, ceil %s', (numerator, denominator, floor, ceil) => {
    expect(floorDiv(numerator, denominator)).toBe(floor);
    expect(ceilDiv(numerator, denominator)).toBe(ceil);
  });

  it('agrees with Math.floor and Math.ceil on every small pair', () => {
    for (let n = -12; n <= 12; n += 1) {
      for (const d of [-5, -3, -2, -1, 1, 2, 3, 5]) {
        expect(floorDiv(BigInt(n), BigInt(d))).toBe(BigInt(Math.floor(n / d)));
        expect(ceilDiv(BigInt(n), BigInt(d))).toBe(BigInt(Math.ceil(n / d)));
      }
    }
  });

  it('refuses a zero denominator', () => {
    expect(() => floorDiv(1n, 0n)).toThrow(RangeError);
    expect(() => ceilDiv(1n, 0n)).toThrow(RangeError);
  });
});
