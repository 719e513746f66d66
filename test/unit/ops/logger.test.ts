import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MakerError, TransientError } from '../../../src/errors.js';
import { createLogger, REDACT_CENSOR } from '../../../src/ops/logger.js';
import type { CreateLoggerOptions, LoggerHandle } from '../../../src/ops/logger.js';
import { ManualClock } from './helpers.js';

interface Captured {
  stream: PassThrough;
  text(): string;
  lines(): Record<string, unknown>[];
}

function captureStdout(): Captured {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const text = (): string => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function fileLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createLogger', () => {
  let dir: string;
  let handle: LoggerHandle | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'standx-mm-logger-'));
  });

  afterEach(async () => {
    await handle?.close();
    handle = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (overrides: Partial<CreateLoggerOptions> = {}): Promise<LoggerHandle> => {
    handle = await createLogger({
      account: 'account1',
      symbol: 'BTC-USD',
      level: 'info',
      file: join(dir, 'logs', 'account1_market_maker.log'),
      maxSizeMb: 10,
      maxFiles: 6,
      stdout: null,
      ...overrides,
    });
    return handle;
  };

  it('puts account and symbol on every line, in the file and on stdout', async () => {
    const stdout = captureStdout();
    const { logger, flush } = await open({ stdout: stdout.stream });
    logger.info({ orderId: 7 }, 'order placed');
    logger.child({ component: 'loop' }).warn('mid stale');
    await flush();

    const file = fileLines(join(dir, 'logs', 'account1_market_maker.1.log'));
    for (const lines of [file, stdout.lines()]) {
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toMatchObject({ account: 'account1', symbol: 'BTC-USD' });
      expect(lines[0]).toMatchObject({ level: 'info', msg: 'order placed', orderId: 7 });
      expect(lines[1]).toMatchObject({ level: 'warn', msg: 'mid stale', component: 'loop' });
    }
  });

  it('takes the time from the injected clock', async () => {
    const clock = new ManualClock(Date.UTC(2026, 1, 7, 12, 0, 0));
    const stdout = captureStdout();
    const { logger, flush } = await open({ stdout: stdout.stream, file: null, clock });
    logger.info('tick');
    await flush();
    expect(stdout.lines()[0]).toMatchObject({ time: '2026-02-07T12:00:00.000Z' });
  });

  it('redacts every secret field, at the top level and nested', async () => {
    const stdout = captureStdout();
    const { logger, flush } = await open({ stdout: stdout.stream });
    const secrets = {
      walletPrivateKey: '0xSECRET-wallet',
      ed25519PrivateKey: 'SECRET-ed25519',
      ed25519Seed: 'SECRET-seed',
      accessToken: 'SECRET-access',
      token: 'SECRET-token',
      botToken: 'SECRET-bot',
      authorization: 'Bearer SECRET-auth',
      signature: 'SECRET-signature',
    };
    logger.info({ ...secrets }, 'top level');
    logger.info({ config: { ...secrets } }, 'one level down');
    logger.info({ config: { auth: { ...secrets } } }, 'two levels down');
    logger.info({ request: { headers: { authorization: 'Bearer SECRET-hdr' } } }, 'request');
    logger.info({ headers: { authorization: 'Bearer SECRET-hdr2' } }, 'headers');
    logger.info({ telegram: [{ botToken: 'SECRET-in-array' }] }, 'array');
    logger.info({ env: { WALLET_PRIVATE_KEY: 'SECRET-env', TELEGRAM_BOT_TOKEN: 'SECRET-env2' } }, 'env');
    await flush();

    const written = [readFileSync(join(dir, 'logs', 'account1_market_maker.1.log'), 'utf8'), stdout.text()];
    for (const text of written) {
      expect(text).not.toContain('SECRET');
      expect(text).toContain(REDACT_CENSOR);
    }
    const first = stdout.lines()[0];
    expect(first).toMatchObject({ walletPrivateKey: REDACT_CENSOR, signature: REDACT_CENSOR });
  });

  it('serializes errors with their code and cause chain', async () => {
    const stdout = captureStdout();
    const { logger, flush } = await open({ stdout: stdout.stream, file: null });
    const root = new Error('ECONNRESET');
    logger.error({ err: new TransientError('cancel failed', { cause: root, status: 503 }) }, 'cancel failed');
    logger.error({ err: new MakerError('PROTOCOL', 'bad frame', { cause: 'raw text' }) }, 'bad frame');
    await flush();

    const [first, second] = stdout.lines();
    expect(first?.['err']).toMatchObject({
      type: 'TransientError',
      message: 'cancel failed',
      code: 'TRANSIENT',
      status: 503,
      cause: { type: 'Error', message: 'ECONNRESET' },
    });
    expect(second?.['err']).toMatchObject({ code: 'PROTOCOL', cause: 'raw text' });
  });

  it.each([
    ['info', ['info', 'warn', 'error']],
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ] as const)('honours LOG_LEVEL=%s', async (level, expected) => {
    const stdout = captureStdout();
    const { logger, flush } = await open({ stdout: stdout.stream, level });
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    await flush();
    expect(stdout.lines().map((line) => line['level'])).toEqual(expected);
    const file = join(dir, 'logs', 'account1_market_maker.1.log');
    expect(fileLines(file).map((line) => line['level'])).toEqual(expected);
  });

  it('has every line on disk once flush resolves', async () => {
    const { logger, flush, currentFile } = await open();
    for (let i = 0; i < 500; i += 1) logger.info({ i }, 'line');
    logger.fatal('last words');
    await flush();
    const file = currentFile();
    expect(file).not.toBeNull();
    const lines = fileLines(file ?? '');
    expect(lines).toHaveLength(501);
    expect(lines.at(-1)).toMatchObject({ level: 'fatal', msg: 'last words' });
  });

  it('rolls at the size limit into numbered files and keeps maxFiles of them', async () => {
    const base = join(dir, 'logs', 'account1_market_maker.log');
    // 2 KiB files, 3 on disk: each ~1 KiB line batch below crosses a limit.
    const { logger, flush, currentFile } = await open({ maxSizeMb: 2 / 1024, maxFiles: 3 });
    const pad = 'x'.repeat(200);
    const rolled = new Set<string>();
    for (let i = 0; i < 80; i += 1) {
      logger.info({ i, pad }, 'line');
      await flush();
      // The roll itself runs on sonic-boom's next 'drain'; wait for the event, not for time.
      await new Promise((resolve) => setImmediate(resolve));
      rolled.add(currentFile() ?? '');
    }
    await flush();

    expect(rolled.size).toBeGreaterThan(3);
    const names = readdirSync(join(dir, 'logs')).sort();
    const numbered = names.filter((name) => /^account1_market_maker\.\d+\.log$/.test(name));
    expect(numbered).toHaveLength(3);
    expect(names).toEqual([...numbered, 'account1_market_maker.log'].sort());
    // The stable name is a symlink to the file being written.
    expect(lstatSync(base).isSymbolicLink()).toBe(true);
    expect(join(dir, 'logs', readlinkSync(base))).toBe(currentFile());
    // No file grew much past the limit (one line of overshoot at most).
    for (const name of numbered) {
      expect(readFileSync(join(dir, 'logs', name)).length).toBeLessThan(2048 + 400);
    }
  });

  it('creates the log folder and leaves a regular file at the stable name alone', async () => {
    mkdirSync(join(dir, 'logs'));
    const legacy = join(dir, 'logs', 'account1_market_maker.log');
    writeFileSync(legacy, 'python bot log\n');
    const stdout = captureStdout();
    const { logger, flush } = await open({ stdout: stdout.stream });
    logger.info('hello');
    await flush();
    expect(readFileSync(legacy, 'utf8')).toBe('python bot log\n');
    expect(existsSync(join(dir, 'logs', 'account1_market_maker.1.log'))).toBe(true);
    expect(stdout.lines().some((line) => line['msg'] === 'log link not created: a regular file holds its name')).toBe(true);
  });

  it('keeps logging to stdout without throwing after close', async () => {
    const stdout = captureStdout();
    const { logger, close, flush } = await open({ stdout: stdout.stream });
    logger.info('before');
    await close();
    expect(() => logger.info('after')).not.toThrow();
    await flush();
    expect(stdout.lines().map((line) => line['msg'])).toEqual(['before', 'after']);
    expect(fileLines(join(dir, 'logs', 'account1_market_maker.1.log')).map((line) => line['msg'])).toEqual([
      'before',
    ]);
  });
});
