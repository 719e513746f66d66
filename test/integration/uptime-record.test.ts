// The daemon's own uptime count against the exchange's record of it (issue 12): across a UTC hour
// boundary, the hour the daemon completes is read back from the simulator's GET /api/maker/uptime and
// logged beside the daemon's figure, and the two agree. Both run on one clock set a few seconds before
// an hour ends, so the hour completes within the test.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/ops/clock.js';
import { startHarness, type Harness } from './daemon-harness.js';
import { FAST_OBSERVABILITY } from './observability-timing.js';

const HOUR_MS = 3_600_000;
const BEFORE_THE_HOUR_MS = 4_000;

/** The system clock shifted so that it reads BEFORE_THE_HOUR_MS before the next full hour now. */
function clockBeforeTheHour(): Clock {
  const realNow = Date.now();
  const offsetMs = Math.ceil(realNow / HOUR_MS) * HOUR_MS - BEFORE_THE_HOUR_MS - realNow;
  return { now: () => Date.now() + offsetMs, monotonic: () => systemClock.monotonic(), sleep: (ms, signal) => systemClock.sleep(ms, signal) };
}

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('uptime beside the exchange record', () => {
  it('reads the completed hour back from GET /api/maker/uptime and finds it matches', async () => {
    const clock = clockBeforeTheHour();
    const hourStartMs = Math.ceil(clock.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
    h = await startHarness({ clock, observabilityTiming: FAST_OBSERVABILITY });
    const harness = h;
    await harness.waitForTwoSided();
    const beside = await harness.waitForLog('uptime hour beside the exchange record', { timeoutMs: BEFORE_THE_HOUR_MS + 5_000 });
    expect(beside['hour']).toBe(new Date(hourStartMs).toISOString().replace(':00.000Z', 'Z'));
    expect(harness.logs.count('uptime hour differs from the exchange record by more than 5 minutes')).toBe(0);
    const recorded = harness.sim.makerUptime(harness.account.address).hours.find((hour) => hour.hour === new Date(hourStartMs).toISOString());
    const saved = JSON.parse(readFileSync(harness.config.runtime.uptimeStateFile, 'utf8')) as { recentHours: { hourStartMs: number; creditedMs: number }[] };
    const counted = saved.recentHours.find((hour) => hour.hourStartMs === hourStartMs);
    expect(recorded?.credited_seconds).toBeGreaterThan(0);
    // Both count from the quotes resting to the hour's end; the daemon samples its snapshot every 50 ms.
    expect(Math.abs((counted?.creditedMs ?? 0) / 1_000 - (recorded?.credited_seconds ?? 0))).toBeLessThanOrEqual(1);
  });
});
