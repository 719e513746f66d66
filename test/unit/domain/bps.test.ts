import { describe, expect, it } from 'vitest';
import { DecimalFormatError } from '../../../src/domain/decimal.js';
import { bpsFromUnits, compareBps, formatBps, parseBps, tryParseBps } from '../../../src/domain/bps.js';

describe('parseBps', () => {
  it.each([
    ['7.5', 75_000n],
    ['7.0', 70_000n],
    ['9.9', 99_000n],
    ['10', 100_000n],
    ['0.0001', 1n],
    ['0', 0n],
    [' 8 ', 80_000n],
    ['.5', 5_000n],
    ['-2.5', -25_000n],
  ])('parses %j exactly as %s units of 1e-4 bps', (text, units) => {
    expect(parseBps(text)).toBe(units);
  });

  it.each(['', 'abc', '7.5bps', '1e3', '7.00001', '7,5', 'NaN'])('rejects %j', (text) => {
    expect(() => parseBps(text)).toThrow(DecimalFormatError);
    expect(tryParseBps(text)).toBeNull();
  });

  it('tryParseBps returns the value when valid', () => {
    expect(tryParseBps('9.9')).toBe(99_000n);
  });
});

describe('formatBps', () => {
  it.each([
    [75_000n, '7.5'],
    [100_000n, '10'],
    [1_000_000n, '100'],
    [0n, '0'],
    [1n, '0.0001'],
    [99_000n, '9.9'],
    [-25_000n, '-2.5'],
  ])('formats %s as %j', (units, text) => {
    expect(formatBps(bpsFromUnits(units))).toBe(text);
  });

  it.each(['7.5', '9.9', '10', '0.0001', '123.4567'])('round-trips %j', (text) => {
    expect(formatBps(parseBps(text))).toBe(text);
  });
});

describe('compareBps', () => {
  it.each([
    ['7', '7.0', 0],
    ['7', '7.5', -1],
    ['10', '9.9999', 1],
  ] as const)('compares %s with %s as %i', (a, b, expected) => {
    expect(compareBps(parseBps(a), parseBps(b))).toBe(expected);
  });
});
