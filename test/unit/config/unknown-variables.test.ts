import { describe, expect, it } from 'vitest';
import { editDistance, KNOWN_VARIABLES, reviewVariables, variablePrefixes } from '../../../src/config/unknown-variables.js';

describe('variablePrefixes', () => {
  it('holds the named families and those the schema shares, but no single-variable word such as HTTP_', () => {
    const prefixes = variablePrefixes();
    expect(prefixes).toEqual(expect.arrayContaining(['MARKET_MAKER_', 'STANDX_', 'TELEGRAM_', 'LOG_', 'MID_', 'TOKEN_']));
    expect(prefixes).not.toContain('HTTP_');
    for (const prefix of prefixes) expect(KNOWN_VARIABLES.some((name) => name.startsWith(prefix))).toBe(true);
  });
});

describe('reviewVariables', () => {
  it.each([
    ['MARKET_MAKER_MINBPS', 'MARKET_MAKER_MINBPS: unknown variable (did you mean MARKET_MAKER_MIN_BPS?)'],
    ['LOG_LEVLE', 'LOG_LEVEL'],
    ['TELEGRAM_CHATID', 'TELEGRAM_CHAT_ID'],
    ['STANDX_API_BSE', 'STANDX_API_BASE'],
    ['MID_METHD', 'MID_METHOD'],
  ])('%s in the env file is an error naming %s', (name, expected) => {
    const review = reviewVariables([name, 'MARKET_MAKER_QTY'], []);
    expect(review.problems).toHaveLength(1);
    expect(review.problems[0]).toContain(expected);
    expect(review.problems[0]?.startsWith(`${name}: unknown variable`)).toBe(true);
  });

  it('offers no suggestion when nothing is close', () => {
    expect(reviewVariables(['LOG_SOMETHING_ELSE_ENTIRELY'], []).problems).toEqual(['LOG_SOMETHING_ELSE_ENTIRELY: unknown variable']);
  });

  it('lists the Python bot\'s variables and other names as ignored, not as errors', () => {
    const review = reviewVariables(['BALANCE_EXIT_THRESHOLD', 'REORDER_NOTIFY_THROTTLE_SECONDS', 'MIDPRICE_METHOD', 'TP_BPS', 'FOO'], []);
    expect(review.problems).toEqual([]);
    expect(review.ignored).toEqual(['BALANCE_EXIT_THRESHOLD', 'FOO', 'MIDPRICE_METHOD', 'REORDER_NOTIFY_THROTTLE_SECONDS', 'TP_BPS']);
  });

  it('counts the process environment only for the daemon\'s families', () => {
    const review = reviewVariables([], ['PATH', 'HTTP_PROXY', 'HOME', 'LOG_LEVL', 'MARKET_MAKER_QTY']);
    expect(review.problems).toEqual(['LOG_LEVL: unknown variable (did you mean LOG_LEVEL?)']);
    expect(review.ignored).toEqual([]);
  });

  it('accepts every variable the schema knows', () => {
    expect(reviewVariables(KNOWN_VARIABLES, KNOWN_VARIABLES)).toEqual({ problems: [], ignored: [] });
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'abd', 1],
    ['MINBPS', 'MIN_BPS', 1],
    ['kitten', 'sitting', 3],
  ])('%s → %s: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});
