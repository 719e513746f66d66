// The soak end to end (`node dist/bench/soak.js`): a short window with a fixed seed and a handful
// of faults, checked for the end state the project guarantees. Recovery times are reported by the
// soak, not asserted here: the daemon fixes for them come later.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { REPO_ROOT } from './process-harness.js';

const SOAK = join(REPO_ROOT, 'dist', 'bench', 'soak.js');
let dir: string | null = null;

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runSoak(args: readonly string[]): Promise<Finished> {
  const child = spawn(process.execPath, [SOAK, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

it('survives a restart, malformed frames and a forced fill: no order left, flat, exit 0, no unhandled error', async () => {
  dir = mkdtempSync(join(tmpdir(), 'standx-mm-soak-it-'));
  const out = join(dir, 'soak.md');
  // Seed 8 plans: malformed, partial-fill, restart, malformed, in a 20 s window.
  const finished = await runSoak([
    ...['--minutes', String(20 / 60), '--seed', '8', '--every', '3-4.5', '--lasting', '0.5-1.5', '--quiet', '2.5'],
    ...['--faults', 'restart,drop-all,partial-fill,malformed,cancel-race,late-reject', '--out', out],
  ]);
  expect(finished.code, finished.stderr).toBe(0);
  const summary = JSON.parse(finished.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
  expect(summary).toMatchObject({ seed: 8, faults: 4, ordersLeft: 0, exitCode: 0, unhandledErrors: 0 });
  expect(summary['finalPosition']).toMatch(/^-?0(\.0+)?$/);
  expect(finished.stderr).toContain('restart: down');
  expect(readFileSync(out, 'utf8')).toContain('| Orders left after stop / final position / exit code | 0 /');
}, 90_000);
