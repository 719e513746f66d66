// The daemon's logger: pino JSON lines with `{ account, symbol }` on every line, secrets redacted,
// written to stdout (the journal) and to a size-rotated file through pino-roll. Owns flushing and
// closing the file, and a stable `<file>` symlink to the numbered file pino-roll is writing.

import { lstatSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import pino from 'pino';
import type { DestinationStream, LevelWithSilent, Logger, LoggerOptions as PinoOptions } from 'pino';
import pinoRoll from 'pino-roll';
import type { Clock } from './clock.js';

export type LogLevel = LevelWithSilent;

export interface CreateLoggerOptions {
  account: string;
  symbol: string;
  level: LogLevel;
  /** Base path such as `logs/account1_market_maker.log`; null logs to stdout only. */
  file: string | null;
  /** Size of one file before it rolls. */
  maxSizeMb: number;
  /** Files kept on disk, counting the one being written (at least 2). */
  maxFiles: number;
  /** Usually `process.stdout`, passed in by main; null for no console output. */
  stdout: Writable | null;
  /** Source of the `time` field; pino's own clock when omitted. */
  clock?: Clock;
}

export interface LoggerHandle {
  logger: Logger;
  /** Resolves once every line logged so far has reached the file and stdout. */
  flush(): Promise<void>;
  /** Flushes, then closes the file. Later lines still go to stdout; none throws. */
  close(): Promise<void>;
  /** The numbered file pino-roll is writing now, or null without a file. */
  currentFile(): string | null;
}

const SECRET_KEYS = [
  'walletPrivateKey',
  'ed25519PrivateKey',
  'ed25519Seed',
  'privateKey',
  'secretKey',
  'seed',
  'mnemonic',
  'password',
  'accessToken',
  'refreshToken',
  'token',
  'botToken',
  'apiKey',
  'authorization',
  'Authorization',
  'signature',
  'WALLET_PRIVATE_KEY',
  'ED25519_PRIVATE_KEY',
  'ACCESS_TOKEN',
  'TELEGRAM_BOT_TOKEN',
] as const;

/**
 * Every redacted path: each secret key at the top level and up to two objects (or array items)
 * deep, plus `headers.authorization` wherever a request object is logged.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.*.headers.authorization',
];

export const REDACT_CENSOR = '[redacted]';

/** errWithCause keeps an Error cause; a non-Error cause (a string, a body) is kept as well. */
function serializeError(err: unknown): unknown {
  const serialized: unknown = pino.stdSerializers.errWithCause(err as Error);
  if (err instanceof Error && err.cause !== undefined && !(err.cause instanceof Error)) {
    if (typeof serialized === 'object' && serialized !== null) {
      Object.assign(serialized, { cause: err.cause });
    }
  }
  return serialized;
}

function pinoOptions(options: CreateLoggerOptions): PinoOptions {
  const { clock } = options;
  return {
    level: options.level,
    base: { account: options.account, symbol: options.symbol },
    redact: { paths: [...REDACT_PATHS], censor: REDACT_CENSOR },
    serializers: { err: serializeError },
    // Labels, not numbers: people read these files.
    formatters: { level: (label) => ({ level: label }) },
    timestamp: clock
      ? (): string => `,"time":"${new Date(clock.now()).toISOString()}"`
      : pino.stdTimeFunctions.isoTime,
  };
}

/**
 * Points `linkPath` at `target` (same folder) by renaming a fresh link over it, so `tail -F` never
 * sees it missing. A regular file at `linkPath` (say, a Python bot's log) is left alone.
 */
function linkCurrent(linkPath: string, target: string): 'linked' | 'occupied' {
  try {
    if (!lstatSync(linkPath).isSymbolicLink()) return 'occupied';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const temporary = `${linkPath}.tmp-link`;
  try {
    unlinkSync(temporary);
  } catch {
    // Usually absent.
  }
  symlinkSync(basename(target), temporary);
  renameSync(temporary, linkPath);
  return 'linked';
}

function waitForDrain(stream: Writable | null): Promise<void> {
  if (!stream || !stream.writableNeedDrain || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

async function openRollingFile(
  options: CreateLoggerOptions & { file: string },
): Promise<Awaited<ReturnType<typeof pinoRoll>>> {
  return pinoRoll({
    file: options.file,
    size: `${Math.max(1, Math.round(options.maxSizeMb * 1024 * 1024))}b`,
    mkdir: true,
    // Synchronous writes: the exits that cannot wait (a second signal, the hard deadline) must
    // not lose the lines that explain them, and sonic-boom's flush() does not wait for an
    // in-flight asynchronous write when minLength is 0.
    sync: true,
    // pino-roll then keeps `count` numbered files in total, counting the one being written
    // (verified by test/unit/ops/logger.test.ts).
    limit: { count: Math.max(2, Math.floor(options.maxFiles)), removeOtherLogFiles: true },
  });
}

type RollingFile = Awaited<ReturnType<typeof pinoRoll>>;

/**
 * Follows pino-roll's rolls: repoints the stable link after each one, and counts the old-file
 * deletions pino-roll runs asynchronously afterwards ('cleanup-complete'), so that a flush can
 * wait until what is on disk is settled.
 */
function trackRolls(roll: RollingFile, linkPath: string, fallback: Logger): { settled(): Promise<void>; stop(): void } {
  let lastFile = roll.file;
  // Signed on purpose: a cleanup may report before the 'ready' that counts its roll.
  let pendingCleanups = 0;
  let isOccupiedReported = false;
  const waiters: (() => void)[] = [];

  const onCleanup = (): void => {
    pendingCleanups -= 1;
    if (pendingCleanups <= 0) for (const resolve of waiters.splice(0)) resolve();
  };
  const onReady = (): void => {
    if (roll.file !== lastFile) {
      lastFile = roll.file;
      pendingCleanups += 1;
    }
    try {
      if (linkCurrent(linkPath, roll.file) === 'occupied' && !isOccupiedReported) {
        isOccupiedReported = true;
        fallback.warn({ path: linkPath, current: roll.file }, 'log link not created: a regular file holds its name');
      }
    } catch (err) {
      fallback.warn({ err, path: linkPath }, 'log link update failed');
    }
  };
  const onError = (err: unknown): void => {
    onCleanup();
    fallback.error({ err, file: roll.file }, 'log file write failed');
  };

  // sonic-boom emits 'ready' after opening each new file, i.e. after every roll.
  roll.on('ready', onReady);
  roll.on('cleanup-complete', onCleanup);
  roll.on('error', onError);
  onReady();
  return {
    settled: () => (pendingCleanups <= 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    stop: () => {
      roll.off('ready', onReady);
      roll.off('cleanup-complete', onCleanup);
    },
  };
}

function flushRoll(roll: RollingFile): Promise<void> {
  return new Promise((resolve) => {
    if (roll.destroyed) {
      resolve();
      return;
    }
    // A failure reaches the 'error' listener; flushing must not reject on the way out.
    roll.flush(() => resolve());
  });
}

function endRoll(roll: RollingFile): Promise<void> {
  return new Promise((resolve) => {
    if (roll.destroyed) {
      resolve();
      return;
    }
    roll.once('close', () => resolve());
    roll.end();
  });
}

export async function createLogger(options: CreateLoggerOptions): Promise<LoggerHandle> {
  const { stdout } = options;
  const consoleStreams: pino.StreamEntry[] = stdout ? [{ stream: stdout, level: 'trace' }] : [];
  const consoleOnly = pino(pinoOptions(options), pino.multistream(consoleStreams));
  if (options.file === null) {
    return {
      logger: consoleOnly,
      flush: () => waitForDrain(stdout),
      close: () => waitForDrain(stdout),
      currentFile: () => null,
    };
  }

  const roll = await openRollingFile({ ...options, file: options.file });
  const rolls = trackRolls(roll, options.file, consoleOnly);
  let isClosed = false;
  // After close() lines still reach stdout, instead of sonic-boom throwing into the caller.
  const fileStream: DestinationStream = {
    write: (line: string): void => {
      if (!isClosed) roll.write(line);
    },
  };
  const logger = pino(
    pinoOptions(options),
    pino.multistream([...consoleStreams, { stream: fileStream, level: 'trace' }]),
  );

  const flush = async (): Promise<void> => {
    await Promise.all([isClosed ? undefined : flushRoll(roll), waitForDrain(stdout)]);
    await rolls.settled();
  };
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async (): Promise<void> => {
      await flush();
      isClosed = true;
      rolls.stop();
      await endRoll(roll);
    })();
    return closing;
  };
  return { logger, flush, close, currentFile: () => (isClosed ? null : roll.file) };
}
