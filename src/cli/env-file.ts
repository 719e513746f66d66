// Reading an account's env file. Like the Python bot's load_dotenv, variables already set in the
// process environment win over the file; the account name comes from the file name
// (`.env.account1` -> `account1`) unless ACCOUNT_NAME says otherwise.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'dotenv';
import { ConfigError } from '../errors.js';

export interface EnvFile {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly accountName: string;
}

export function readEnvFile(path: string, processEnv: Readonly<Record<string, string | undefined>>): EnvFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'file not readable';
    throw new ConfigError([`--config: ${reason}: ${path}`]);
  }
  return { env: { ...parse(text), ...processEnv }, accountName: accountNameOf(path) };
}

export function accountNameOf(path: string): string {
  const name = basename(path).replace(/^\.env\.?/, '').replace(/\.env$/, '');
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : 'default';
}
