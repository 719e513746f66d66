import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/ops/alerts.js';
import { TelegramNotifier } from '../../../src/ops/telegram-notifier.js';
import type { TelegramNotifierOptions } from '../../../src/ops/telegram-notifier.js';
import { FakeTelegram } from '../../fixtures/fake-telegram.js';
import { ManualClock, memoryLogger } from './helpers.js';
import type { LogLine } from './helpers.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const CHAT_ID = '-1001234567890';

const marketDown: Alert = { kind: 'streamDown', stream: 'market', reason: 'pong timeout' };
const ordersDown: Alert = { kind: 'streamDown', stream: 'orders', reason: 'closed 1006' };
const fatal: Alert = { kind: 'fatal', message: 'boom' };

describe('TelegramNotifier', () => {
  let fake: FakeTelegram;
  let clock: ManualClock;
  let lines: LogLine[];
  let notifier: TelegramNotifier | undefined;

  beforeEach(async () => {
    fake = await FakeTelegram.start();
    clock = new ManualClock();
  });

  afterEach(async () => {
    notifier?.close();
    notifier = undefined;
    await fake.close();
  });

  const create = (overrides: Partial<TelegramNotifierOptions> = {}): TelegramNotifier => {
    const memory = memoryLogger();
    lines = memory.lines;
    notifier = new TelegramNotifier({
      botToken: TOKEN,
      chatId: CHAT_ID,
      account: 'account1',
      symbol: 'BTC-USD',
      logger: memory.logger,
      clock,
      apiRoot: fake.url,
      throttleMs: 60_000,
      ...overrides,
    });
    return notifier;
  };

  const warnings = (msg: string): LogLine[] => lines.filter((line) => line.level === 'warn' && line.msg === msg);

  it('sends one plain-text message per alert to the configured chat', async () => {
    const telegram = create();
    telegram.notify(marketDown);
    const [message] = await fake.waitForMessages(1);
    expect(message?.token).toBe(TOKEN);
    expect(message?.chatId).toBe(CHAT_ID);
    expect(message?.text).toBe('account1 · BTC-USD · market stream DOWN\npong timeout\n2026-02-07 12:00:00 UTC');
    expect(message?.params['link_preview_options']).toEqual({ is_disabled: true });
    expect(message?.params).not.toHaveProperty('parse_mode');
    await telegram.flush(10_000);
    expect(telegram.stats()).toMatchObject({ sent: 1, failed: 0 });
  });

  it('sends serially, in order', async () => {
    const telegram = create();
    telegram.notify(marketDown);
    telegram.notify(ordersDown);
    telegram.notify(fatal);
    const messages = await fake.waitForMessages(3);
    expect(messages.map((message) => message.text.split('\n')[0])).toEqual([
      'account1 · BTC-USD · market stream DOWN',
      'account1 · BTC-USD · orders stream DOWN',
      'account1 · BTC-USD · FATAL error, stopping',
    ]);
  });

  it('throttles repeats of one key and reports how many were suppressed on the next one', async () => {
    const telegram = create({ throttleMs: 60_000 });
    telegram.notify(marketDown);
    clock.advance(10_000);
    telegram.notify(marketDown);
    telegram.notify(marketDown);
    telegram.notify(ordersDown); // another key: not throttled
    await fake.waitForMessages(2);
    expect(telegram.stats().suppressed).toBe(2);

    clock.advance(50_000); // 60 s after the first: the window has passed
    telegram.notify(marketDown);
    const messages = await fake.waitForMessages(3);
    expect(messages.map((message) => message.text.split('\n')[0])).toEqual([
      'account1 · BTC-USD · market stream DOWN',
      'account1 · BTC-USD · orders stream DOWN',
      'account1 · BTC-USD · market stream DOWN',
    ]);
    expect(messages[2]?.text.endsWith('\n(2 similar suppressed)')).toBe(true);
    expect(messages[0]?.text).not.toContain('suppressed');

    clock.advance(60_000);
    telegram.notify(marketDown);
    const [, , , fourth] = await fake.waitForMessages(4);
    expect(fourth?.text).not.toContain('suppressed');
  });

  it.each<Alert>([
    { kind: 'start', symbol: 'BTC-USD', qty: '0.005', band: { minBps: 7, targetBps: 7.5, maxBps: 10 }, policy: 'p', scheme: 'wallet' },
    { kind: 'stop', reason: 'SIGTERM', ordersCancelled: 2, isCancelConfirmed: true, isPositionFlat: true },
    { kind: 'fatal', message: 'boom' },
    { kind: 'authFailure', reason: 'token expired' },
  ])('never throttles $kind', async (alert) => {
    const telegram = create({ throttleMs: 60_000 });
    telegram.notify(alert);
    telegram.notify(alert);
    telegram.notify(alert);
    const messages = await fake.waitForMessages(3);
    expect(messages).toHaveLength(3);
    expect(telegram.stats().suppressed).toBe(0);
  });

  it('keeps going after a 500, logging the failure without throwing', async () => {
    const telegram = create();
    fake.failNext(1, 500);
    expect(() => telegram.notify(marketDown)).not.toThrow();
    telegram.notify(ordersDown);
    const [message] = await fake.waitForMessages(1);
    expect(message?.text).toContain('orders stream DOWN');
    expect(fake.attempts.map((attempt) => attempt.outcome)).toEqual(['failed', 'ok']);
    await telegram.flush(10_000);
    expect(telegram.stats()).toMatchObject({ sent: 1, failed: 1 });
    expect(warnings('alert not delivered')).toEqual([
      expect.objectContaining({ kind: 'streamDown', error: expect.objectContaining({ errorCode: 500 }) }),
    ]);
  });

  it('gives up on a hanging request after the send timeout and sends the next alert', async () => {
    const telegram = create({ sendTimeoutMs: 100 });
    fake.hangNext(1);
    telegram.notify(marketDown);
    telegram.notify(ordersDown);
    const [message] = await fake.waitForMessages(1);
    expect(message?.text).toContain('orders stream DOWN');
    await telegram.flush(10_000);
    expect(telegram.stats()).toMatchObject({ sent: 1, failed: 1 });
    expect(warnings('alert not delivered')[0]?.['error']).toMatchObject({ type: 'TimeoutError' });
  });

  it('logs an unreachable API and never puts the bot token in the logs', async () => {
    const dead = await FakeTelegram.start();
    const deadUrl = dead.url;
    await dead.close();
    const telegram = create({ apiRoot: deadUrl });
    telegram.notify(fatal);
    await telegram.flush(10_000);
    expect(telegram.stats()).toMatchObject({ sent: 0, failed: 1 });
    expect(warnings('alert not delivered')).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain(TOKEN.split(':')[1]);
  });

  it('honours a 429 retry_after on the injected clock, then delivers', async () => {
    const telegram = create();
    fake.rateLimitNext(2);
    telegram.notify(fatal);
    await clock.waitForSleep(2_000);
    expect(fake.messages).toHaveLength(0);
    clock.advance(2_000);
    const [message] = await fake.waitForMessages(1);
    expect(message?.text).toContain('FATAL');
    expect(fake.attempts.map((attempt) => attempt.outcome)).toEqual(['rateLimited', 'ok']);
  });

  it('bounds the queue: drops the oldest non-critical alerts, keeps critical ones, reports drops', async () => {
    const telegram = create({ queueLimit: 3, sendTimeoutMs: 100, throttleMs: 0 });
    fake.hangNext(1);
    telegram.notify({ kind: 'streamDown', stream: 'in-flight', reason: 'r' });
    await fake.waitForAttempts(1); // the first alert is in flight (hanging), the queue is empty
    telegram.notify({ kind: 'streamDown', stream: 's1', reason: 'r' });
    telegram.notify(fatal);
    telegram.notify({ kind: 'streamDown', stream: 's2', reason: 'r' });
    telegram.notify({ kind: 'streamDown', stream: 's3', reason: 'r' }); // drops s1
    telegram.notify({ kind: 'streamDown', stream: 's4', reason: 'r' }); // drops s2
    expect(telegram.stats()).toMatchObject({ dropped: 2, queued: 3 });

    const messages = await fake.waitForMessages(3);
    expect(messages.map((message) => message.text.split('\n')[0])).toEqual([
      'account1 · BTC-USD · FATAL error, stopping',
      'account1 · BTC-USD · s3 stream DOWN',
      'account1 · BTC-USD · s4 stream DOWN',
    ]);
    expect(messages[0]?.text.endsWith('\n(2 alerts dropped: queue full)')).toBe(true);
    expect(messages[1]?.text).not.toContain('dropped');
    expect(warnings('alert queue full, alert dropped')).toHaveLength(2);
  });

  it('drops a non-critical newcomer when only critical alerts are queued', async () => {
    const telegram = create({ queueLimit: 2, sendTimeoutMs: 100 });
    fake.hangNext(1);
    telegram.notify(marketDown);
    await fake.waitForAttempts(1);
    telegram.notify(fatal);
    telegram.notify({ kind: 'authFailure', reason: 'revoked' });
    telegram.notify(ordersDown);
    expect(telegram.stats()).toMatchObject({ dropped: 1, queued: 2 });
    const messages = await fake.waitForMessages(2);
    expect(messages.map((message) => message.text.split('\n')[0])).toEqual([
      'account1 · BTC-USD · FATAL error, stopping',
      'account1 · BTC-USD · AUTH FAILED, stopping',
    ]);
  });

  it('flush waits for the queue to drain', async () => {
    const telegram = create();
    telegram.notify(marketDown);
    telegram.notify(ordersDown);
    telegram.notify(fatal);
    await telegram.flush(5_000);
    expect(fake.messages).toHaveLength(3);
    expect(telegram.stats().queued).toBe(0);
  });

  it('flush gives up at its deadline while a send hangs', async () => {
    const telegram = create({ sendTimeoutMs: 60_000 });
    fake.hangNext(1);
    telegram.notify(fatal);
    await fake.waitForAttempts(1);
    let isFlushed = false;
    const flushing = telegram.flush(1_000).then(() => {
      isFlushed = true;
    });
    await clock.waitForSleep(1_000);
    expect(isFlushed).toBe(false);
    clock.advance(1_000);
    await flushing;
    expect(fake.messages).toHaveLength(0);
    expect(warnings('alerts still queued at flush deadline')).toHaveLength(1);
  });

  it('flush resolves at once when nothing is queued', async () => {
    const telegram = create();
    await telegram.flush(1_000);
    expect(fake.attempts).toHaveLength(0);
  });

  it('never throws from notify, even for a malformed alert', async () => {
    const telegram = create();
    expect(() => telegram.notify({ kind: 'bogus' } as unknown as Alert)).not.toThrow();
    expect(lines.some((line) => line.level === 'error' && line.msg === 'alert not queued')).toBe(true);
    telegram.notify(fatal);
    await fake.waitForMessages(1);
  });

  it('ignores alerts after close', async () => {
    const telegram = create();
    telegram.close();
    telegram.notify(fatal);
    await telegram.flush(1_000);
    expect(fake.attempts).toHaveLength(0);
  });
});
