// deploy/install.sh --dry-run: says what an install or upgrade would do, in order, and changes nothing.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../integration/process-harness.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smm-install-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function dryRun(...args: string[]): { status: number | null; lines: string[] } {
  const prefix = join(dir, 'opt');
  const result = spawnSync('bash', [join(REPO_ROOT, 'deploy', 'install.sh'), '--dry-run', '--prefix', prefix, ...args], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
  return { status: result.status, lines: `${result.stdout}${result.stderr}`.split('\n') };
}

const indexOf = (lines: string[], pattern: RegExp): number => lines.findIndex((line) => pattern.test(line));

describe('install.sh --dry-run', () => {
  it('builds a new release beside the current one, then switches `current` atomically, then restarts', () => {
    const { status, lines } = dryRun('--accounts', 'acct1 acct2');
    expect(status).toBe(0);
    const build = indexOf(lines, /^\+ bash -c cd '.*\/opt\/releases\/\d{8}-\d{6}' && npm ci .*npm run build/);
    const link = indexOf(lines, /^\+ ln -sfn .*\/opt\/releases\/\d{8}-\d{6} .*\/opt\/current\.new$/);
    const rename = indexOf(lines, /^\+ mv -T .*\/opt\/current\.new .*\/opt\/current$/);
    expect(build).toBeGreaterThan(-1);
    expect(link).toBeGreaterThan(build);
    expect(rename).toBe(link + 1);
    expect(lines).toContain('+ write /etc/systemd/system/standx-acct1.service');
    expect(lines).toContain('+ write /etc/systemd/system/standx-acct2.service');
  });

  it('makes every env file owner-only, as the daemon requires', () => {
    const { lines } = dryRun('--accounts', 'acct1');
    expect(lines.some((line) => /^\+ chmod 600 .*\/opt\/\.env\.acct1$/.test(line))).toBe(true);
    expect(lines.some((line) => /^\+ chown standx:standx .*\/opt\/\.env\.acct1$/.test(line))).toBe(true);
  });

  it('writes the template unit with --template', () => {
    const { lines } = dryRun('--template', '--accounts', 'acct1');
    expect(lines).toContain('+ write /etc/systemd/system/standx-mm@.service');
    expect(lines.some((line) => line.includes('standx-acct1.service'))).toBe(false);
  });

  it('changes nothing', () => {
    dryRun('--accounts', 'acct1');
    expect(existsSync(join(dir, 'opt'))).toBe(false);
    expect(existsSync('/etc/systemd/system/standx-acct1.service')).toBe(false);
  });
});
