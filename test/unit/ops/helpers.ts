// Test doubles for ops: a clock moved by hand, and a pino logger whose lines land in an array.

import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Log } from '../../../src/ops/log.js';
import type { Clock } from '../../../src/ops/clock.js';

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
}

/** A Clock whose time only moves through advance(); sleep() waits for it. */
export class ManualClock implements Clock {
  private nowMs: number;
  private readonly sleepers = new Set<Sleeper>();
  private readonly events = new EventEmitter();

  constructor(startMs = Date.UTC(2026, 1, 7, 12, 0, 0)) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  monotonic(): number {
    return this.nowMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper: Sleeper = {
        wakeAt: this.nowMs + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.sleepers.delete(sleeper);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.add(sleeper);
      this.events.emit('sleep', ms);
    });
  }

  /** Moves time forward and wakes every sleeper that is due. */
  advance(ms: number): void {
    this.nowMs += ms;
    for (const sleeper of [...this.sleepers]) {
      if (sleeper.wakeAt <= this.nowMs) {
        this.sleepers.delete(sleeper);
        sleeper.resolve();
      }
    }
  }

  /** Resolves once someone sleeps for exactly `ms` (or has already started such a sleep). */
  waitForSleep(ms: number): Promise<void> {
    for (const sleeper of this.sleepers) {
      if (sleeper.wakeAt - this.nowMs === ms) return Promise.resolve();
    }
    return new Promise((resolve) => {
      const onSleep = (duration: number): void => {
        if (duration !== ms) return;
        this.events.off('sleep', onSleep);
        resolve();
      };
      this.events.on('sleep', onSleep);
    });
  }
}

export interface LogLine {
  level: string;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger writing JSON lines (labels as levels) into `lines`. */
export function memoryLogger(level: pino.LevelWithSilent = 'trace'): { logger: Log; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text.trim() !== '') lines.push(JSON.parse(text) as LogLine);
      }
      callback();
    },
  });
  const logger = pino({ level, formatters: { level: (label) => ({ level: label }) } }, sink);
  return { logger, lines };
}
