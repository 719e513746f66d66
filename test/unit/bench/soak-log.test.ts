import { describe, expect, it } from 'vitest';
import { classifyErrors, parseErrorLines, type LogEntry } from '../../../src/bench/soak-log.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');

function line(level: number, offsetMs: number, msg: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ level, time: new Date(T0 + offsetMs).toISOString(), account: 'bench', symbol: 'BTC-USD', msg, ...extra });
}

describe('parseErrorLines', () => {
  it('keeps error and fatal lines with their time, message and error class, and skips the rest', () => {
    const text = [
      line(30, 0, 'ws ready'),
      line(50, 1_000, 'quote rejected: pausing placements', { err: { type: 'ExchangeRejectError', message: 'insufficient margin' } }),
      'not json at all',
      '{"level":60,"broken',
      line(60, 2_000, 'fatal error, stopping', { err: { type: 'Error', message: 'boom' } }),
      JSON.stringify({ level: 50, time: T0 + 3_000, msg: 'numeric time' }),
      '',
    ].join('\n');
    expect(parseErrorLines(text)).toEqual([
      { level: 50, timeMs: T0 + 1_000, msg: 'quote rejected: pausing placements', err: 'ExchangeRejectError: insufficient margin' },
      { level: 60, timeMs: T0 + 2_000, msg: 'fatal error, stopping', err: 'Error: boom' },
      { level: 50, timeMs: T0 + 3_000, msg: 'numeric time', err: null },
    ]);
  });
});

describe('classifyErrors', () => {
  const entry = (level: number, offsetMs: number, msg = 'm'): LogEntry => ({ level, timeMs: T0 + offsetMs, msg, err: null });
  const stopMs = T0 + 10_000;

  it.each<[string, LogEntry, number | null, boolean, 'fatal' | 'unrecovered' | 'recovered']>([
    ['an error followed by quoting is recovered', entry(50, 1_000), T0 + 2_000, true, 'recovered'],
    ['an error after the last quoting is not', entry(50, 3_000), T0 + 2_000, true, 'unrecovered'],
    ['an error with no quoting at all is not', entry(50, 3_000), null, true, 'unrecovered'],
    ['an error during the stop is recovered by a clean end', entry(50, 11_000), T0 + 9_000, true, 'recovered'],
    ['an error during the stop with orders left is not', entry(50, 11_000), T0 + 9_000, false, 'unrecovered'],
    ['a fatal line is always counted', entry(60, 1_000), T0 + 9_000, true, 'fatal'],
  ])('%s', (_name, error, lastQuotingMs, isCleanEnd, expected) => {
    const findings = classifyErrors([error], { lastQuotingMs, stopMs, isCleanEnd });
    expect({ fatal: findings.fatal.length, unrecovered: findings.unrecovered.length, recovered: findings.recoveredErrors }).toEqual({
      fatal: expected === 'fatal' ? 1 : 0,
      unrecovered: expected === 'unrecovered' ? 1 : 0,
      recovered: expected === 'recovered' ? 1 : 0,
    });
  });
});
