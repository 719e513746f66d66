import { describe, expect, it } from 'vitest';
import { alertKey, formatAlert, formatDuration, isCriticalAlert, scrubText } from '../../../src/ops/alerts.js';
import type { Alert } from '../../../src/ops/alerts.js';

const NOW = Date.UTC(2026, 1, 7, 12, 0, 0);
const context = { account: 'account1', symbol: 'BTC-USD', now: NOW };
const TIME = '2026-02-07 12:00:00 UTC';

describe('formatAlert', () => {
  it.each<[string, Alert, string]>([
    [
      'start',
      {
        kind: 'start',
        symbol: 'BTC-USD',
        qty: '0.005',
        band: { minBps: 7, targetBps: 7.5, maxBps: 10 },
        policy: 'reprice-on-band',
        scheme: 'wallet',
      },
      'account1 · BTC-USD · started on BTC-USD\nqty 0.005 · band 7–10 bps (target 7.5)\npolicy reprice-on-band · auth wallet',
    ],
    [
      'a clean stop',
      { kind: 'stop', reason: 'SIGTERM', ordersCancelled: 2, isCancelConfirmed: true, isPositionFlat: true },
      'account1 · BTC-USD · stopped (SIGTERM)\n2 orders cancelled · position flat',
    ],
    [
      'a stop that left a position and unconfirmed orders',
      {
        kind: 'stop',
        reason: 'SIGINT',
        ordersCancelled: 1,
        isCancelConfirmed: false,
        isPositionFlat: false,
        position: '0.005 long',
      },
      'account1 · BTC-USD · stopped (SIGINT)\n1 order cancelled · POSITION NOT FLAT: 0.005 long\n' +
        'open orders NOT confirmed gone: check the exchange',
    ],
    [
      'fatal',
      { kind: 'fatal', message: 'order stream protocol error' },
      'account1 · BTC-USD · FATAL error, stopping\norder stream protocol error',
    ],
    [
      'authFailure',
      { kind: 'authFailure', reason: 'token expired' },
      'account1 · BTC-USD · AUTH FAILED, stopping\ntoken expired\nrenew the credentials, then restart',
    ],
    [
      'flattened with PnL',
      { kind: 'flattened', side: 'long', qty: '0.005', realizedPnl: '-0.42' },
      'account1 · BTC-USD · position flattened\nclosed long 0.005 · realized PnL -0.42',
    ],
    [
      'flattened without PnL',
      { kind: 'flattened', side: 'short', qty: '0.0001' },
      'account1 · BTC-USD · position flattened\nclosed short 0.0001',
    ],
    [
      'streamDown',
      { kind: 'streamDown', stream: 'market', reason: 'pong timeout' },
      'account1 · BTC-USD · market stream DOWN\npong timeout',
    ],
    [
      'streamUp',
      { kind: 'streamUp', stream: 'orders', downForMs: 83_000 },
      'account1 · BTC-USD · orders stream up\nafter 1m 23s down',
    ],
    [
      'tokenExpiring (future)',
      { kind: 'tokenExpiring', expiresAt: NOW + 5 * 3_600_000 + 3 * 60_000 },
      'account1 · BTC-USD · access token expiring\nexpires in 5h 03m (2026-02-07 17:03:00 UTC)',
    ],
    [
      'tokenExpiring (past)',
      { kind: 'tokenExpiring', expiresAt: NOW - 120_000 },
      'account1 · BTC-USD · access token expiring\nexpired 2m 00s ago (2026-02-07 11:58:00 UTC)',
    ],
    [
      'orderRejected',
      { kind: 'orderRejected', reason: 'alo would cross', pausedForMs: 30_000 },
      'account1 · BTC-USD · order rejected\nalo would cross · quoting paused 30s',
    ],
  ])('formats %s', (_name, alert, body) => {
    expect(formatAlert(alert, context)).toBe(`${body}\n${TIME}`);
  });

  it('starts every message with the account name', () => {
    const text = formatAlert({ kind: 'fatal', message: 'x' }, { ...context, account: 'account7' });
    expect(text.startsWith('account7 · ')).toBe(true);
  });

  it.each([
    ['a bot token', 'send failed for 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0'],
    ['a JWT', 'login failed: eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIweDEyMyJ9.c2lnbmF0dXJl'],
    ['a bearer header', 'Authorization: Bearer abc.def.ghi'],
    ['an EVM private key', 'bad key 0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318'],
    ['a base58 ed25519 key', 'seed 4ZFaQz1QeJ9hWcDqGv5x8mFz5k2uHcYbY6nXw1rT9pLsK3vJdQeRtYu7ePaSdFgH'],
  ])('keeps %s out of the message', (_name, message) => {
    const text = formatAlert({ kind: 'fatal', message }, context);
    expect(text).toContain('[redacted]');
    const secret = message.split(' ').at(-1) ?? '';
    expect(text).not.toContain(secret);
  });

  it('bounds long free text', () => {
    const text = formatAlert({ kind: 'streamDown', stream: 'market', reason: 'y'.repeat(5_000) }, context);
    expect(text.length).toBeLessThan(400);
  });
});

describe('alert classes', () => {
  it.each<[Alert, boolean, string]>([
    [{ kind: 'start', symbol: 'BTC-USD', qty: '1', band: { minBps: 1, targetBps: 2, maxBps: 3 }, policy: 'p', scheme: 's' }, true, 'start'],
    [{ kind: 'stop', reason: 'SIGTERM', ordersCancelled: 0, isCancelConfirmed: true, isPositionFlat: true }, true, 'stop'],
    [{ kind: 'fatal', message: 'm' }, true, 'fatal'],
    [{ kind: 'authFailure', reason: 'r' }, true, 'authFailure'],
    [{ kind: 'streamDown', stream: 'market', reason: 'r' }, false, 'streamDown:market'],
    [{ kind: 'streamUp', stream: 'market', downForMs: 1 }, false, 'streamUp:market'],
    [{ kind: 'orderRejected', reason: 'alo', pausedForMs: 1 }, false, 'orderRejected:alo'],
    [{ kind: 'flattened', side: 'long', qty: '1' }, false, 'flattened:long'],
    [{ kind: 'tokenExpiring', expiresAt: 1 }, false, 'tokenExpiring'],
  ])('%j is critical=%s with key %s', (alert, isCritical, key) => {
    expect(isCriticalAlert(alert)).toBe(isCritical);
    expect(alertKey(alert)).toBe(key);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [59_999, '59s'],
    [60_000, '1m 00s'],
    [3_599_000, '59m 59s'],
    [3_600_000, '1h 00m'],
    [86_400_000, '1d 0h'],
    [-5, '0ms'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('scrubText', () => {
  it('leaves ordinary text alone', () => {
    expect(scrubText('alo order rejected (400): post-only would cross at 97000.5')).toBe(
      'alo order rejected (400): post-only would cross at 97000.5',
    );
  });
});
