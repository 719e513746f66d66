// The simulator in a live-like regime: the book moves at every depth update while the published mark
// holds between ~3 s publications, only publications push `price`, every reader of the mark uses the
// published one, and autoRun follows the server clock (driven here by a stepped fake clock).

import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/index.js';
import { closedAfterEachTest, dataOf, getJson, isFrame, postSigned, TestSocket, type Frame } from './helpers.js';
import { steppedClock } from './stepped-clock.js';

const perTest = closedAfterEachTest();
const SYMBOL = 'BTC-USD';
const SENTINEL = '123456.00';

async function marketSocket(sim: Simulator): Promise<TestSocket> {
  const stream = await TestSocket.open(sim.urls.wsStream);
  perTest.track(stream);
  stream.send({ subscribe: { channel: 'depth_book', symbol: SYMBOL } });
  stream.send({ subscribe: { channel: 'price', symbol: SYMBOL } });
  await stream.next(isFrame('depth_book'));
  await stream.next(isFrame('price'));
  return stream;
}

/** Moves the market to a sentinel price and returns every frame pushed before it, by channel. */
async function framesUntilSentinel(sim: Simulator, stream: TestSocket): Promise<{ depth: Frame[]; price: Frame[] }> {
  sim.setPrice(SYMBOL, SENTINEL);
  const sentinel = await stream.next((f) => isFrame('price')(f) && dataOf(f as Frame).index_price === SENTINEL);
  const before = stream.frames.slice(0, stream.frames.indexOf(sentinel)).filter((f): f is Frame => typeof f === 'object');
  // The sentinel's own depth push precedes its price push.
  return { depth: before.filter(isFrame('depth_book')).slice(0, -1), price: before.filter(isFrame('price')) };
}

async function markPrice(sim: Simulator): Promise<string> {
  const price = await getJson(`${sim.urls.apiBase}/api/query_symbol_price?symbol=${SYMBOL}`);
  return String((price.body as Frame).mark_price);
}

const timeOf = (frame: Frame): number => Date.parse(String(dataOf(frame).time));

describe('standard regime, stepped by hand', () => {
  it('moves the book at every step and pushes price only when a mark is published', async () => {
    const sim = await perTest.start({ seed: 3 });
    expect(sim.regime).toBe('standard');
    const stream = await marketSocket(sim);
    const marks: string[] = [];
    for (let step = 0; step < 24; step += 1) {
      sim.step();
      marks.push(await markPrice(sim));
    }
    const { depth, price } = await framesUntilSentinel(sim, stream);
    expect(depth).toHaveLength(1 + 24);
    const published = price.slice(1).map((frame) => dataOf(frame).mark_price);
    expect(published.length).toBeGreaterThanOrEqual(1);
    expect(published.length).toBeLessThanOrEqual(3);
    expect(new Set(marks)).toEqual(new Set(['100000.0000', ...published]));
    const mids = new Set(depth.map((frame) => JSON.stringify(dataOf(frame).bids)));
    expect(mids.size).toBeGreaterThan(20);
  });

  it('values positions at the published mark, not at the book', async () => {
    const sim = await perTest.start({ seed: 4 });
    const creds = sim.createAccount();
    const bought = await postSigned(sim, creds, '/api/new_order', { symbol: SYMBOL, side: 'buy', order_type: 'market', qty: '0.1000', time_in_force: 'ioc', reduce_only: false });
    expect(bought.body).toMatchObject({ code: 0 });
    let bookAwayFromMark = 0;
    for (let step = 0; step < 24; step += 1) {
      sim.step();
      const mark = await markPrice(sim);
      const position = sim.position(creds.address, SYMBOL);
      expect(position.mark_price).toBe(mark);
      // 0.1 BTC bought at the best ask 100002.50: upnl = 0.1 × (mark − 100002.5).
      expect(Number(position.upnl)).toBeCloseTo(0.1 * (Number(mark) - 100_002.5), 6);
      const depth = (await getJson(`${sim.urls.apiBase}/api/query_depth_book?symbol=${SYMBOL}`)).body as { bids: [string, string][]; asks: [string, string][] };
      const mid = (Math.max(...depth.bids.map(([p]) => Number(p))) + Math.min(...depth.asks.map(([p]) => Number(p)))) / 2;
      if (Math.abs(mid - Number(mark)) > 0.5) bookAwayFromMark += 1;
    }
    expect(bookAwayFromMark).toBeGreaterThan(10);
  });
});

describe('standard regime on the server clock (autoRun)', () => {
  it('updates the book every ~250 ms and publishes the mark every ~3.2 s of server time', async () => {
    const clock = steppedClock();
    const sim = await perTest.start({ seed: 5, autoRun: true, pushIntervalMs: 100, clock });
    const stream = await marketSocket(sim);
    await clock.advance(60_000);
    const { depth, price } = await framesUntilSentinel(sim, stream);
    const spacings = price.slice(1).map((frame, index) => timeOf(frame) - timeOf(price[index] as Frame));
    expect(spacings.length).toBeGreaterThanOrEqual(16);
    for (const spacing of spacings.slice(1)) {
      expect(spacing).toBeGreaterThanOrEqual(3_000);
      expect(spacing).toBeLessThanOrEqual(3_400);
    }
    expect(depth.length).toBeGreaterThan(60_000 / 400);
    expect(depth.length).toBeLessThan(60_000 / 200);
  });

  it('holds the market while paused (re-pushing it) and carries on from there on resume', async () => {
    const clock = steppedClock();
    const sim = await perTest.start({ seed: 6, autoRun: true, pushIntervalMs: 100, clock });
    await clock.advance(5_000);
    const before = await markPrice(sim);
    sim.pause();
    const stream = await marketSocket(sim);
    await clock.advance(10_000);
    const held = await framesUntilSentinel(sim, stream);
    expect(held.price.length).toBeGreaterThan(50);
    expect(new Set(held.price.map((frame) => dataOf(frame).mark_price))).toEqual(new Set([before]));
    sim.setPrice(SYMBOL, '100000.00');
    sim.resume();
    await clock.advance(3_500);
    expect(await markPrice(sim)).not.toBe('100000.0000');
  });

  it('resumes after a stalled clock instead of replaying the backlog in a burst', async () => {
    const clock = steppedClock();
    const sim = await perTest.start({ seed: 7, autoRun: true, pushIntervalMs: 100, clock });
    const stream = await marketSocket(sim);
    clock.jump(60_000);
    await clock.advance(0);
    const { depth, price } = await framesUntilSentinel(sim, stream);
    expect(depth.length + price.length - 1).toBeLessThanOrEqual(1);
  });
});

describe('legacy regime', () => {
  it('pushes a freshly noisy mark within 0.5 bps of the fair price at every step', async () => {
    const sim = await perTest.start({ seed: 8, regime: 'legacy' });
    const stream = await marketSocket(sim);
    for (let step = 0; step < 10; step += 1) sim.step();
    const { depth, price } = await framesUntilSentinel(sim, stream);
    expect(depth).toHaveLength(11);
    expect(price).toHaveLength(11);
    for (const frame of price.slice(1)) {
      const data = dataOf(frame);
      const gapBps = (Math.abs(Number(data.mark_price) - Number(data.index_price)) / Number(data.index_price)) * 10_000;
      expect(gapBps).toBeLessThanOrEqual(0.5);
    }
    expect(new Set(price.map((frame) => dataOf(frame).mark_price)).size).toBeGreaterThan(8);
  });
});
