// The status page in a real browser: Debian's headless Chromium loads it from a daemon quoting on the
// simulator; the test reads the rendered DOM and checks the screenshot. Skipped only without Chromium.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startHarness, type Harness } from './daemon-harness.js';
import { FAST_OBSERVABILITY } from './observability-timing.js';

const CHROMIUM = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (path): path is string => path !== undefined && existsSync(path),
);
// Flags that work on a machine without a network: no sandbox as root, no background connections.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'];

let harness: Harness | null = null;
let profile: string | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
  if (profile) rmSync(profile, { recursive: true, force: true });
});

function chromium(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM ?? 'chromium', [...FLAGS, `--user-data-dir=${profile ?? ''}`, ...args], { timeout: 30_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`chromium failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

const title = CHROMIUM ? 'renders the status page of a quoting daemon in Chromium' : 'renders the status page in Chromium (SKIPPED: no chromium binary; apt-get install -y chromium)';

it.skipIf(!CHROMIUM)(title, async () => {
  harness = await startHarness({ observabilityTiming: FAST_OBSERVABILITY, env: { METRICS_PORT: '0', LOG_LEVEL: 'info' } });
  const h = harness;
  await h.waitForTwoSided();
  await h.waitFor(() => h.logs.count((line) => line.msg.startsWith('status quoting')) >= 2, 'two status lines while quoting');
  profile = mkdtempSync(join(tmpdir(), 'smm-chromium-'));
  const page = `http://127.0.0.1:${h.daemon.observability.metricsPort() ?? 0}/`;

  const dom = await chromium(['--dump-dom', page]);
  expect(dom).toContain('<title>faults · BTC-USD</title>');
  expect(dom).toMatch(/<span id="state" class="state ok">quoting<\/span>/);
  expect(dom).toMatch(/<th>bid<\/th><td>\d+\.\d{2} · [\d.]+ bps from mid · -?[\d.]+ bps from mark/);
  expect(dom).toMatch(/<svg id="prices"[^>]*>.*<polyline class="mid"[^>]*points="[\d., ]+"/s);
  expect(dom).toMatch(/<polyline class="bid"/);
  expect(dom).toMatch(/<svg id="hours"[^>]*>.*<rect /s);
  expect(dom).toContain('Credited minutes per UTC hour, last 24 h (full tier at 42)');
  expect(dom).toContain('<th>net PnL</th>');
  expect(dom).not.toMatch(/<form|<button|<input|<script/);

  const screenshot = join(profile, 'status.png');
  await chromium([`--screenshot=${screenshot}`, '--window-size=800,1100', page]);
  const png = readFileSync(screenshot);
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  // A page with both charts drawn is far from blank: a white 800×1100 PNG compresses to ~5 kB.
  expect(png.length).toBeGreaterThan(20_000);
});
