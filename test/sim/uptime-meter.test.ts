// The uptime meter: time-weighted two-sided presence in the mid band and near the mark, per-side
// requote gaps, and exact (inclusive) band edges, on an injected monotonic clock.

import { afterEach, describe, expect, it } from 'vitest';
import type { SimAccountCredentials, Simulator } from '../../src/sim/index.js';
import { limitOrder, manualClock, postSigned, startQuietSim, type ManualClock } from './helpers.js';

let sim: Simulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const BAND = { minBps: 7, maxBps: 10, markBandBps: 10 };

async function place(clock: ManualClock, creds: SimAccountCredentials, side: 'buy' | 'sell', price: string): Promise<void> {
  if (!sim) throw new Error('no simulator');
  const reply = await postSigned(sim, creds, '/api/new_order', limitOrder(side, price), { timestampMs: clock.now() });
  expect(reply.body).toMatchObject({ code: 0 });
}

describe('uptime meter', () => {
  it('accrues two-sided time in band and near the mark and measures each side’s requote gap', async () => {
    const clock = manualClock();
    sim = await startQuietSim({ clock });
    const creds = sim.createAccount();
    const meter = sim.meter(creds.address, 'BTC-USD', BAND);
    // Mid and mark 100000.00: 99930.00 is exactly 7 bps below, 100080.00 is 8 bps above.
    await place(clock, creds, 'buy', '99930.00');
    await place(clock, creds, 'sell', '100080.00');
    clock.advance(1_000);
    sim.setPrice('BTC-USD', '99950.00');
    clock.advance(300);
    await place(clock, creds, 'buy', '99870.00');
    clock.advance(200);
    await place(clock, creds, 'sell', '100030.00');
    clock.advance(100);
    // From 1000 to 1500 the old bid is 2 bps from the mark (near) but the old ask 13 bps (not).
    // Credited with the rest rule: from 500 (both rested 0.5 s) to 1000; the new ask rests from 1500, too late.
    expect(meter.report()).toEqual({
      elapsedMs: 1_600,
      twoSidedInBandMs: 1_100,
      twoSidedMarkMs: 1_100,
      requoteGapsMs: [300, 500],
      creditedMs: 1_100,
      creditedRestedMs: 500,
      emptySideMs: { buy: 0, sell: 0 },
      twoSidedEmptyMs: 0,
      quoteLives: [],
      ordersPlaced: 4,
      ordersCanceled: 0,
      ordersFilled: 0,
      fills: [],
    });
    meter.stop();
    clock.advance(1_000);
    expect(meter.report().elapsedMs).toBe(1_600);
  });

  it('treats the band edges exactly: 7 bps is in, one tick closer is out', async () => {
    const clock = manualClock();
    sim = await startQuietSim({ clock });
    const edge = sim.createAccount();
    const inside = sim.createAccount();
    const edgeMeter = sim.meter(edge.address, 'BTC-USD', BAND);
    const insideMeter = sim.meter(inside.address, 'BTC-USD', BAND);
    await place(clock, edge, 'buy', '99930.00');
    await place(clock, edge, 'sell', '100100.00');
    await place(clock, inside, 'buy', '99930.01');
    await place(clock, inside, 'sell', '100100.00');
    clock.advance(500);
    expect(edgeMeter.report()).toMatchObject({ twoSidedInBandMs: 500, twoSidedMarkMs: 500 });
    expect(insideMeter.report()).toMatchObject({ twoSidedInBandMs: 0, twoSidedMarkMs: 500 });
  });
});
