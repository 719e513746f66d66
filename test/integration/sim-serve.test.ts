// `standx-mm sim --serve`: a standalone simulator with ready env files, which the ordinary commands
// use as they would a real account.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonProcess, eventually } from './process-harness.js';

let dir: string;
const children: DaemonProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smm-serve-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.child.exitCode === null && child.child.signalCode === null) {
      child.kill('SIGKILL');
      await child.exited;
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function spawnIn(args: string[]): DaemonProcess {
  const child = new DaemonProcess(args, {});
  children.push(child);
  return child;
}

describe('sim --serve', () => {
  it('writes owner-only env files that check accepts, and stops on Ctrl-C', async () => {
    const server = spawnIn(['sim', '--serve', '--accounts', '2', '--env-dir', dir]);
    await eventually(() => server.stdout.some((line) => line.startsWith('try: standx-mm run --config')), 15_000, 'the simulator to be ready');
    const files = [join(dir, '.env.sim1'), join(dir, '.env.sim2')];
    expect(server.stdout.filter((line) => files.includes(line.trim()))).toHaveLength(2);
    for (const file of files) expect(statSync(file).mode & 0o777).toBe(0o600);

    const check = spawnIn(['check', '--config', files[1] ?? '']);
    expect((await check.exited).code).toBe(0);
    expect(check.stdout.join('\n')).toContain('ready to trade');

    server.kill('SIGINT');
    expect((await server.exited).code).toBe(0);
  });
});
