import { describe, expect, it } from 'vitest';
import { bpsOf, feeOf, formatMoney, moneyFromDecimal, moneyFromTickPrice, moneyFromTicks, notionalOf, roundMoney } from '../../../src/domain/money.js';

const m = (value: string) => moneyFromDecimal(value);

describe('money', () => {
  it.each<[string, string]>([
    ['100000.5', '100000.50'],
    ['0.000000000000000001', '0.000000000000000001'],
    ['-3.1', '-3.10'],
    ['7', '7.00'],
  ])('reads %s and writes it back as %s', (text, expected) => {
    expect(formatMoney(m(text))).toBe(expected);
  });

  it('turns ticks and reference prices into money per unit exactly', () => {
    expect(formatMoney(moneyFromTicks(10_000_050n, 2))).toBe('100000.50');
    expect(formatMoney(moneyFromTickPrice({ num: 20_000_101n, den: 2n }, 2))).toBe('100000.505');
  });

  it('multiplies a price by lots', () => {
    expect(formatMoney(notionalOf(m('100000.5'), 100n, 4))).toBe('1000.005');
  });

  it.each<[string, string, string]>([
    ['1000', '0.0001', '0.10'],
    ['1000', '0.0004', '0.40'],
    ['0.000000000000000003', '0.5', '0.000000000000000002'],
  ])('charges a fee on %s at %s of %s, never rounding it down', (notional, rate, fee) => {
    expect(formatMoney(feeOf(m(notional), rate))).toBe(fee);
  });

  it.each<[string, number, string]>([
    ['1.23456', 4, '1.2346'],
    ['-1.23455', 4, '-1.2346'],
    ['-0.00004', 4, '0.0000'],
    ['2.5', 0, '3'],
  ])('rounds %s to %s places as %s', (value, decimals, expected) => {
    expect(roundMoney(m(value), decimals)).toBe(expected);
  });

  it.each<[string, string, string | null]>([
    ['0.5', '1000', '5.00'],
    ['-0.5', '1000', '-5.00'],
    ['1', '3', '3333.33'],
    ['0.0000005', '1', '0.01'],
    ['1', '0', null],
  ])('gives %s of %s as %s bps', (part, whole, expected) => {
    expect(bpsOf(m(part), m(whole))).toBe(expected);
  });
});
