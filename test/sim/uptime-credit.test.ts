// The uptime meter's StandX-style figures on scripted paths with an injected clock: credited time
// (near the published mark at the minimum size, with and without the 0.5 s rest rule), empty sides,
// quote lifetimes, order counts and fills priced against the mid at fill time.

import { afterEach, describe, expect, it } from 'vitest';
import type { MakerUptimeReport, Simulator, UptimeBand } from '../../src/sim/index.js';
import { limitOrder, manualClock, postSigned, startQuietSim } from './helpers.js';

type Step =
  | { readonly at: 'advance'; readonly ms: number }
  | { readonly at: 'place'; readonly id: string; readonly side: 'buy' | 'sell'; readonly price: string; readonly qty?: string }
  | { readonly at: 'cancel'; readonly id: string }
  | { readonly at: 'price'; readonly price: string };

const BAND: UptimeBand = { minBps: 7, maxBps: 10, markBandBps: 10 };
const wait = (ms: number): Step => ({ at: 'advance', ms });
const bid = (id: string, price = '99930.00', qty?: string): Step => ({ at: 'place', id, side: 'buy', price, ...(qty ? { qty } : {}) });
const ask = (id: string, price = '100080.00', qty?: string): Step => ({ at: 'place', id, side: 'sell', price, ...(qty ? { qty } : {}) });
const cancel = (id: string): Step => ({ at: 'cancel', id });

let sim: Simulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function runScript(steps: readonly Step[], band: UptimeBand): Promise<MakerUptimeReport> {
  const clock = manualClock();
  const started = await startQuietSim({ clock });
  sim = started;
  const creds = started.createAccount();
  const meter = started.meter(creds.address, 'BTC-USD', band);
  for (const step of steps) {
    if (step.at === 'advance') clock.advance(step.ms);
    else if (step.at === 'price') started.setPrice('BTC-USD', step.price);
    else {
      const body = step.at === 'place' ? limitOrder(step.side, step.price, step.qty ?? '0.0100', { cl_ord_id: step.id }) : { cl_ord_id: step.id };
      const reply = await postSigned(started, creds, step.at === 'place' ? '/api/new_order' : '/api/cancel_order', body, { timestampMs: clock.now() });
      expect(reply.body).toMatchObject({ code: 0 });
    }
  }
  return meter.report();
}

describe('uptime meter: credit, empty sides and order flow', () => {
  it.each<{ name: string; band?: Partial<UptimeBand>; steps: Step[]; expected: Partial<MakerUptimeReport> }>([
    {
      name: 'nothing quoted: both sides empty, nothing credited',
      steps: [wait(1_000)],
      expected: { creditedMs: 0, creditedRestedMs: 0, emptySideMs: { buy: 1_000, sell: 1_000 }, twoSidedEmptyMs: 1_000, ordersPlaced: 0 },
    },
    {
      name: 'a bid only: the ask side is empty, nothing credited',
      steps: [bid('b'), wait(1_000)],
      expected: { twoSidedMarkMs: 0, creditedMs: 0, emptySideMs: { buy: 0, sell: 1_000 }, twoSidedEmptyMs: 0, ordersPlaced: 1 },
    },
    {
      name: 'both sides near the mark: credited, and rested credit from 0.5 s on',
      steps: [bid('b'), ask('a'), wait(2_000)],
      expected: { twoSidedMarkMs: 2_000, creditedMs: 2_000, creditedRestedMs: 1_500, emptySideMs: { buy: 0, sell: 0 } },
    },
    {
      name: 'near the mark but below the minimum size: not credited',
      band: { minQty: '0.0200' },
      steps: [bid('b'), ask('a'), wait(1_000)],
      expected: { twoSidedMarkMs: 1_000, creditedMs: 0, creditedRestedMs: 0 },
    },
    {
      name: 'two small bids add up to the minimum size once the second rests',
      band: { minQty: '0.0200' },
      steps: [bid('b1'), ask('a', '100080.00', '0.0200'), wait(300), bid('b2', '99940.00'), wait(1_000)],
      expected: { twoSidedMarkMs: 1_300, creditedMs: 1_000, creditedRestedMs: 500 },
    },
    {
      name: 'a bid replaced every 400 ms never earns rested credit',
      steps: [ask('a'), bid('b1'), wait(400), cancel('b1'), bid('b2'), wait(400), cancel('b2'), bid('b3'), wait(400)],
      expected: {
        creditedMs: 1_200,
        creditedRestedMs: 0,
        quoteLives: [
          { side: 'buy', restedMs: 400, endedBy: 'canceled' },
          { side: 'buy', restedMs: 400, endedBy: 'canceled' },
        ],
        ordersPlaced: 4,
        ordersCanceled: 2,
        ordersFilled: 0,
      },
    },
    {
      name: 'a configurable rest rule: 300 ms',
      band: { minRestMs: 300 },
      steps: [ask('a'), bid('b1'), wait(400), cancel('b1'), bid('b2'), wait(400)],
      expected: { creditedMs: 800, creditedRestedMs: 200 },
    },
    {
      name: 'a cancelled ask leaves its side empty until the next one',
      steps: [bid('b'), ask('a1'), wait(600), cancel('a1'), wait(250), ask('a2'), wait(150)],
      expected: { creditedMs: 750, emptySideMs: { buy: 0, sell: 250 }, twoSidedEmptyMs: 0, quoteLives: [{ side: 'sell', restedMs: 600, endedBy: 'canceled' }] },
    },
    {
      name: 'a bid run over: a fill priced against the mid after the move',
      steps: [bid('b', '99990.00'), ask('a'), wait(700), { at: 'price', price: '99900.00' }, wait(300)],
      expected: {
        ordersFilled: 1,
        quoteLives: [{ side: 'buy', restedMs: 700, endedBy: 'filled' }],
        fills: [{ side: 'buy', price: '99990.00', qty: '0.0100', mid: '99900.000', mark: '99900.0000', isMaker: true, atMonoMs: 700, costBps: (90 / 99_900) * 10_000 }],
        emptySideMs: { buy: 300, sell: 0 },
      },
    },
  ])('$name', async ({ band, steps, expected }) => {
    expect(await runScript(steps, { ...BAND, ...band })).toMatchObject(expected);
  });
});
