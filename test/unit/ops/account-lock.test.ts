import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireAccountLock, AccountLockedError, type AccountLock } from '../../../src/ops/account-lock.js';

const DIST_LOCK = new URL('../../../dist/ops/account-lock.js', import.meta.url).href;

let dir: string;
const held: AccountLock[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smm-lock-'));
});
afterEach(async () => {
  for (const lock of held.splice(0)) await lock.release();
  rmSync(dir, { recursive: true, force: true });
});

async function acquire(path: string, pid = process.pid): Promise<AccountLock> {
  const lock = await acquireAccountLock(path, { pid, startedAt: '2026-11-24T10:00:00.000Z' });
  held.push(lock);
  return lock;
}

/** A child process that takes the lock, says so, and waits to be killed. */
function holdInChild(path: string): Promise<{ kill: (signal: NodeJS.Signals) => Promise<void> }> {
  const script = `import(${JSON.stringify(DIST_LOCK)}).then(async (m) => { await m.acquireAccountLock(${JSON.stringify(path)}, { pid: process.pid, startedAt: 'now' }); process.stdout.write('held\\n'); setInterval(() => {}, 1000); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.on('data', () => resolve({ kill: async (signal) => { child.kill(signal); await exited; } }));
  });
}

describe('account lock', () => {
  it('refuses a second holder and names the first one', async () => {
    const path = join(dir, 'account1.lock');
    await acquire(path, 4242);
    const second = acquire(path, 4343);
    await expect(second).rejects.toBeInstanceOf(AccountLockedError);
    await expect(second).rejects.toThrow(/pid 4242/);
  });

  it('is the same lock whatever path reaches the file', async () => {
    await acquire(join(dir, 'account1.lock'));
    symlinkSync(dir, join(dir, 'link'));
    await expect(acquire(join(dir, 'link', 'account1.lock'))).rejects.toBeInstanceOf(AccountLockedError);
  });

  it('is free again after release, and another account\'s lock is independent', async () => {
    const path = join(dir, 'account1.lock');
    const lock = await acquire(path);
    await acquire(join(dir, 'account2.lock'));
    await lock.release();
    held.splice(held.indexOf(lock), 1);
    await expect(acquire(path)).resolves.toBeDefined();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('dies with a process killed by SIGKILL: no stale lock, whatever the file says', async () => {
    const path = join(dir, 'account1.lock');
    const child = await holdInChild(path);
    await expect(acquire(path)).rejects.toBeInstanceOf(AccountLockedError);
    await child.kill('SIGKILL');
    await expect(acquire(path)).resolves.toBeDefined();
  });
});
