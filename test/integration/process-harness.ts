// Runs the built daemon (dist/main.js) as a child process against an in-process simulator, the
// way systemd runs it: an env file, signals, exit codes, stdout lines.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simAccountEnv } from '../../src/cli/sim-env.js';
import type { SimAccountCredentials, Simulator } from '../../src/sim/index.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN = join(REPO_ROOT, 'dist', 'main.js');

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class DaemonProcess {
  readonly child: ChildProcess;
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<Exit>;
  readonly #waiters = new Set<() => void>();

  constructor(args: readonly string[], env: Record<string, string>) {
    // Only PATH is inherited: the env file must be the whole configuration, as under systemd.
    this.child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: 'pipe' });
    this.#collect(this.child.stdout, this.stdout);
    this.#collect(this.child.stderr, this.stderr);
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  #collect(stream: NodeJS.ReadableStream | null, into: string[]): void {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      into.push(...parts.filter((line) => line.length > 0));
      for (const wake of [...this.#waiters]) wake();
    });
  }

  /** JSON log lines from stdout (pino). */
  logs(): Array<Record<string, unknown>> {
    return this.stdout.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** Resolves with the first log line whose `msg` matches, as soon as it is written. */
  waitForLog(msg: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const line = this.logs().find((entry) => entry['msg'] === msg);
        if (!line) return;
        done();
        resolve(line);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no log line "${msg}" within ${timeoutMs} ms; last lines:\n${this.stdout.slice(-10).join('\n')}\n${this.stderr.join('\n')}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

export interface Workspace {
  readonly dir: string;
  readonly configPath: string;
  readonly logDir: string;
  remove(): void;
}

/** A temp folder with `.env.itest` holding the given variables. */
export function writeWorkspace(vars: Record<string, string>): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'standx-mm-it-'));
  const logDir = join(dir, 'logs');
  const configPath = join(dir, '.env.itest');
  const lines = Object.entries({ LOG_DIR: logDir, ...vars }).map(([key, value]) => `${key}=${value}`);
  writeFileSync(configPath, `${lines.join('\n')}\n`, { mode: 0o600 });
  return { dir, configPath, logDir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function simEnv(sim: Simulator, account: SimAccountCredentials): Record<string, string> {
  return {
    ...simAccountEnv(sim.urls, account),
    MARKET_MAKER_SYMBOL: 'BTC-USD',
    MARKET_MAKER_QTY: '0.0100',
    MARKET_MAKER_TARGET_BPS: '7.5',
    MARKET_MAKER_MIN_BPS: '7',
    MARKET_MAKER_MAX_BPS: '10',
    SHUTDOWN_TIMEOUT_SECONDS: '10',
  };
}

/** Every log file the daemon wrote, concatenated. */
export function readLogFiles(logDir: string): string {
  let names: string[];
  try {
    names = readdirSync(logDir);
  } catch {
    return '';
  }
  return names
    .filter((name) => /\.\d+\.log$/.test(name))
    .map((name) => readFileSync(join(logDir, name), 'utf8'))
    .join('');
}

/** Re-checks `condition` on every tick of `interval` ms until it holds; bounded by `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 10_000, what = 'condition', intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
