// One daemon per account: an exclusive lock that the kernel drops with the process, however it dies
// (SIGKILL, an OOM kill), so no stale lock outlives a crash and no pid can be mistaken for another.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createServer, type Server } from 'node:net';

/** Who holds a lock, as the holder wrote it beside the lock (for the refusal message only). */
export interface LockHolder {
  readonly pid: number;
  readonly startedAt: string;
}

export class AccountLockedError extends Error {
  override readonly name = 'AccountLockedError';
  readonly holder: LockHolder | null;

  constructor(lockFile: string, holder: LockHolder | null) {
    const who = holder === null ? 'another process' : `pid ${holder.pid} (started ${holder.startedAt})`;
    super(`another standx-mm daemon already runs this account: ${who} holds ${lockFile}`);
    this.holder = holder;
  }
}

export interface AccountLock {
  readonly lockFile: string;
  /** Drops the lock (the kernel does it anyway when the process ends). */
  release(): Promise<void>;
}

/**
 * The lock is a Linux abstract Unix socket named after the lock file's real path: binding is atomic
 * and exclusive, and the name vanishes when the last descriptor closes, including on SIGKILL. The
 * file itself only tells an operator who holds the lock; its presence decides nothing.
 */
export async function acquireAccountLock(lockFile: string, holder: LockHolder): Promise<AccountLock> {
  const name = abstractNameOf(lockFile);
  const server = createServer((socket) => socket.destroy());
  try {
    await listen(server, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new AccountLockedError(lockFile, readHolder(lockFile));
    throw error;
  }
  // The lock must never keep a finished command alive.
  server.unref();
  writeFileSync(lockFile, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  return {
    lockFile,
    release: async () => {
      if (readHolder(lockFile)?.pid === holder.pid) unlinkQuietly(lockFile);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `\0standx-mm-lock/<hash of the real path>`: the same file reached by any path gives the same name. */
export function abstractNameOf(lockFile: string): string {
  const dir = dirname(lockFile);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const realPath = join(realpathSync(dir), basename(lockFile));
  return `\0standx-mm-lock/${createHash('sha256').update(realPath).digest('hex').slice(0, 40)}`;
}

function listen(server: Server, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(name, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function readHolder(lockFile: string): LockHolder | null {
  try {
    const value = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.startedAt === 'string' ? { pid: value.pid, startedAt: value.startedAt } : null;
  } catch {
    return null;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to tidy.
  }
}
