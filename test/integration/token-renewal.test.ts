import { afterEach, expect, it } from 'vitest';
import { startHarness, type Harness } from './daemon-harness.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

it('the wallet scheme signs in again before the token expires and keeps quoting through it', async () => {
  // Tokens live 6 s; the daemon renews 3 s before expiry, so the first token is replaced at ~3 s.
  const h = await startHarness({ scheme: 'wallet', sim: { tokenTtlSeconds: 6 }, env: { TOKEN_REFRESH_BEFORE_SECONDS: '3' } });
  harness = h;
  await h.waitForTwoSided();
  const expiresAt = h.daemon.connection?.auth.expiresAtMs() ?? 0;
  const meter = h.sim.meter(h.account.address, 'BTC-USD', { minBps: 7, maxBps: 10, markBandBps: 10 });
  const since = h.mark();
  // Past the first token's expiry: every socket must be on the renewed token by now.
  await h.waitFor(() => Date.now() > expiresAt + 1_000, 'the first token to expire', 10_000);
  expect(h.daemon.connection?.auth.expiresAtMs()).toBeGreaterThan(expiresAt);
  expect(h.logs.count('stream down', since)).toBe(0);
  expect(h.logs.count('fatal error, stopping', since)).toBe(0);
  expect(h.isTwoSidedSettled()).toBe(true);
  const report = meter.report();
  meter.stop();
  // Durations are summed in floating point: equal up to rounding, i.e. no time out of band.
  expect(report.elapsedMs - report.twoSidedInBandMs).toBeLessThan(0.001);
  expect(report.requoteGapsMs).toEqual([]);
  expect(await h.stop()).toBe(0);
  expect(h.ownOpenOrders()).toEqual([]);
});
