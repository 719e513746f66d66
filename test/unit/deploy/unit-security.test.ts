// The units' sandbox, as systemd itself scores it: `systemd-analyze security --offline` on copies
// filled in the way deploy/install.sh fills them (the prefix and the Node binary), ≤ 2.0 for both.
// Skipped where systemd-analyze is not installed.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../integration/process-harness.js';

const MAX_EXPOSURE = 2.0;
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'smm-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** As install.sh does (the prefix, the Node binary), with the repository standing in for the release. */
function filledCopy(source: string, name: string): string {
  const text = readFileSync(join(REPO_ROOT, source), 'utf8')
    .replaceAll('/opt/standx-mm/current', REPO_ROOT.replace(/\/$/, ''))
    .replaceAll('/opt/standx-mm', REPO_ROOT.replace(/\/$/, ''))
    .replaceAll('/usr/bin/node', process.execPath);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function analyze(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('systemd-analyze', args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.runIf(hasAnalyze).each([
  ['standx-account1.service', 'standx-account1.service'],
  ['deploy/standx-mm@.service', 'standx-mm@account1.service'],
])('%s', (source, name) => {
  it(`scores at most ${MAX_EXPOSURE} in systemd-analyze security`, () => {
    const { output } = analyze('security', '--offline=yes', filledCopy(source, name));
    const score = /Overall exposure level for \S+: (\d+\.\d+)/.exec(output)?.[1];
    expect(score, output).toBeDefined();
    expect(Number(score)).toBeLessThanOrEqual(MAX_EXPOSURE);
  });

  it('passes systemd-analyze verify', () => {
    const { status, output } = analyze('verify', filledCopy(source, name));
    expect(output).toBe('');
    expect(status).toBe(0);
  });
});
