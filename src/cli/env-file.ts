// Reading an account's env file. Like the Python bot's load_dotenv, variables already set in the
// process environment win over the file; the account name comes from the file name
// (`.env.account1` -> `account1`) unless ACCOUNT_NAME says otherwise. A file holding a secret must
// be readable by its owner only.

import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'dotenv';
import { SECRET_VARIABLES } from '../config/schema.js';
import { ConfigError } from '../errors.js';

export interface EnvFile {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly accountName: string;
  /** The names the file itself sets (the process environment's are not among them). */
  readonly fileVariables: readonly string[];
}

export function readEnvFile(path: string, processEnv: Readonly<Record<string, string | undefined>>): EnvFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'file not readable';
    throw new ConfigError([`--config: ${reason}: ${path}`]);
  }
  const fromFile = parse(text);
  checkSecretFileMode(path, fromFile);
  return { env: { ...fromFile, ...processEnv }, accountName: accountNameOf(path), fileVariables: Object.keys(fromFile) };
}

/** Group- or world-readable keys are as good as leaked on a shared host: refuse, and say how to fix it. */
export function checkSecretFileMode(path: string, variables: Readonly<Record<string, string>>): void {
  const secrets = SECRET_VARIABLES.filter((name) => (variables[name] ?? '').trim() !== '');
  if (secrets.length === 0) return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  throw new ConfigError([
    `--config: ${path} holds ${secrets.join(', ')} and is readable by group or others (mode ${mode.toString(8).padStart(3, '0')}): run chmod 600 ${path}`,
  ]);
}

export function accountNameOf(path: string): string {
  const name = basename(path).replace(/^\.env\.?/, '').replace(/\.env$/, '');
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : 'default';
}
