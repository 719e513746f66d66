import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEnvFile } from '../../../src/cli/env-file.js';
import { ConfigError } from '../../../src/errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smm-envfile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function envFile(text: string, mode: number): string {
  const path = join(dir, '.env.account1');
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

function problemOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  return '';
}

describe('readEnvFile', () => {
  it.each([0o644, 0o640, 0o604, 0o660])('refuses a file holding a key with mode %o, and says chmod 600', (mode) => {
    const path = envFile(`WALLET_PRIVATE_KEY=0x${'11'.repeat(32)}\n`, mode);
    const problem = problemOf(() => readEnvFile(path, {}));
    expect(problem).toContain('WALLET_PRIVATE_KEY');
    expect(problem).toContain(`chmod 600 ${path}`);
    expect(problem).not.toContain('11'.repeat(32));
  });

  it('accepts a key in a file only its owner can read', () => {
    const path = envFile('TELEGRAM_BOT_TOKEN=1:abc\nMARKET_MAKER_QTY=0.01\n', 0o600);
    const file = readEnvFile(path, { MARKET_MAKER_QTY: '0.02' });
    expect(file.env['MARKET_MAKER_QTY']).toBe('0.02');
    expect(file.fileVariables).toEqual(['TELEGRAM_BOT_TOKEN', 'MARKET_MAKER_QTY']);
    expect(file.accountName).toBe('account1');
  });

  it('accepts a readable file that holds no secret (the examples, empty keys)', () => {
    const path = envFile('ED25519_PRIVATE_KEY=\nACCESS_TOKEN=\nMARKET_MAKER_QTY=0.01\n', 0o644);
    expect(problemOf(() => readEnvFile(path, {}))).toBe('');
  });
});
