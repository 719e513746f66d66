// Log volume at info over a minute of steady quoting against the simulator's moving market (issue
// 11): at most one line a second on average, so that five accounts stay well inside the journal's
// and the rotating files' budgets. The README states the bytes per hour this measures.

import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './daemon-harness.js';

const MINUTE_MS = 60_000;

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('log volume at info', () => {
  it('writes at most one line a second over a minute of quoting a moving market', { timeout: MINUTE_MS + 30_000 }, async () => {
    h = await startHarness({
      seed: 5,
      // The simulator's default market: a step every 100 ms, 0.5 bps a step, a rare 10 bps jump.
      sim: { autoRun: true, pushIntervalMs: 100 },
      env: { LOG_LEVEL: 'info', MARKET_STALE_MS: '3000', FRESH_MID_TIMEOUT_MS: '2000', RECONCILE_INTERVAL_SECONDS: '30', ORDER_ACK_TIMEOUT_MS: '5000' },
    });
    const harness = h;
    await harness.waitForTwoSided();
    const since = harness.mark();
    const startedAt = Date.now();
    // Quoting goes on by itself; the one-minute status line marks the end of the window.
    await harness.waitForLog((line) => line.msg.startsWith('status '), { since, timeoutMs: MINUTE_MS + 5_000 });
    const elapsedS = (Date.now() - startedAt) / 1_000;
    const lines = harness.logs.lines.slice(since);
    const bytes = lines.reduce((sum, line) => sum + JSON.stringify(line).length + 1, 0);
    const stats = harness.daemon.loop?.snapshot().stats;
    expect(stats?.placed ?? 0).toBeGreaterThan(10);
    expect(lines.length / elapsedS).toBeLessThanOrEqual(1);
    expect(lines.every((line) => line.level !== 'debug')).toBe(true);
    // For the README's figure: bytes per hour per account at info.
    process.stdout.write(`log volume: ${lines.length} lines, ${bytes} bytes in ${elapsedS.toFixed(0)} s: ${Math.round((bytes / elapsedS) * 3_600)} bytes/hour; ${stats?.placed} placed\n`);
  });
});
