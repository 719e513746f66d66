// `standx-mm status`: asks every account's daemon on this machine for its status over the control
// socket. Accounts are the `.env.account*` files of a folder (or one --config); each one's config says
// where its socket is. A daemon that does not answer shows as not running.

import { readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { DaemonNotRunningError, sendControlCommand } from '../ops/control-socket.js';
import { readEnvFile } from './env-file.js';
import { statusTable, type AccountStatus } from './status-view.js';

export interface StatusCommandOptions {
  readonly dir: string;
  readonly config: string | null;
  readonly json: boolean;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  readonly out: Writable;
  readonly timeoutMs?: number;
}

export interface AccountRow {
  readonly account: string;
  readonly status: AccountStatus | null;
  readonly problem: string | null;
}

const ENV_FILE = /^\.env\.account[A-Za-z0-9_-]*$/;

/** The env files of a folder, account2 before account10. */
export async function accountEnvFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => ENV_FILE.test(name));
  names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return names.map((name) => join(dir, name));
}

/** A relative LOG_DIR is taken from the env file's folder: the units run each daemon there. */
function socketOf(path: string, processEnv: StatusCommandOptions['processEnv']): { account: string; socket: string } {
  const file = readEnvFile(path, processEnv);
  const config = loadConfig(file.env, { accountName: file.accountName });
  const socket = config.runtime.controlSocket;
  return { account: config.accountName, socket: isAbsolute(socket) ? socket : resolve(dirname(path), socket) };
}

async function askOne(path: string, options: StatusCommandOptions, fallbackName: string): Promise<AccountRow> {
  let target: { account: string; socket: string };
  try {
    target = socketOf(path, options.processEnv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { account: fallbackName, status: null, problem: `config error: ${error.problems[0] ?? 'invalid'}` };
  }
  try {
    const result = await sendControlCommand(target.socket, 'status', {}, options.timeoutMs ?? 3_000);
    if (typeof result !== 'object' || result === null || !('state' in result)) return { account: target.account, status: null, problem: 'starting' };
    return { account: target.account, status: result as AccountStatus, problem: null };
  } catch (error) {
    const problem = error instanceof DaemonNotRunningError ? 'not running' : `no answer (${error instanceof Error ? error.message : String(error)})`;
    return { account: target.account, status: null, problem };
  }
}

/** Prints the table (or JSON) and returns the exit code: 0 only when every account is quoting. */
export async function runStatusCommand(options: StatusCommandOptions): Promise<number> {
  const files = options.config !== null ? [options.config] : await accountEnvFiles(options.dir);
  if (files.length === 0) {
    options.out.write(`no .env.account* files in ${options.dir}\n`);
    return 1;
  }
  const rows = await Promise.all(files.map((path) => askOne(path, options, path.replace(/^.*\.env\./, ''))));
  options.out.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : `${statusTable(rows)}\n`);
  return rows.every((row) => row.status?.state === 'quoting') ? 0 : 1;
}
