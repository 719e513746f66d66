// Market data and matching: public endpoints and their shapes, the seeded price process, stream
// subscriptions, and taker / maker fills against the synthetic book.

import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/index.js';
import { closedAfterEachTest, dataOf, getJson, isFrame, isReply, limitOrder, loggedInApi, privateStream, signedEnvelope, TestSocket, type Frame } from './helpers.js';

const perTest = closedAfterEachTest();
const started = perTest.start;

type Level = [string, string];

function prices(levels: Level[]): number[] {
  return levels.map(([price]) => Number(price));
}

describe('public endpoints', () => {
  it('serves time, health and symbol info, and 404s trailing slashes', async () => {
    const sim = await started({ seed: 3 });
    const region = await getJson(`${sim.urls.geoBase}/v1/region`);
    expect(region.body).toMatchObject({ region: 'jp' });
    expect(Math.abs(((region.body as Frame).systemTime as number) - Date.now())).toBeLessThan(5_000);
    const seconds = (await getJson(`${sim.urls.apiBase}/api/kline/time`)).body as number;
    expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(5);
    expect(await getJson(`${sim.urls.apiBase}/api/health`)).toEqual({ status: 200, body: 'OK' });
    expect((await getJson(`${sim.urls.apiBase}/api/health/`)).status).toBe(404);
    const all = (await getJson(`${sim.urls.apiBase}/api/query_symbol_info`)).body as Frame[];
    expect(all.map((info) => info.symbol)).toEqual(['BTC-USD', 'ETH-USD']);
    expect(all[0]).toMatchObject({ price_tick_decimals: 2, qty_tick_decimals: 4, min_order_qty: '0.0001', max_open_orders: '100', enabled: true });
    const one = (await getJson(`${sim.urls.apiBase}/api/query_symbol_info?symbol=ETH-USD`)).body as Frame[];
    expect(one).toHaveLength(1);
  });

  it('sends depth levels unsorted and a mark with more digits than the tick', async () => {
    const sim = await started();
    const depth = (await getJson(`${sim.urls.apiBase}/api/query_depth_book?symbol=BTC-USD`)).body as { bids: Level[]; asks: Level[] };
    const bidPrices = prices(depth.bids);
    expect(bidPrices).toHaveLength(20);
    expect(bidPrices).not.toEqual([...bidPrices].sort((a, b) => b - a));
    expect(Math.max(...bidPrices)).toBe(99997.5);
    expect(Math.min(...prices(depth.asks))).toBe(100002.5);
    expect(depth.bids[0]?.[0]).toMatch(/^\d+\.\d{2}$/);
    sim.step();
    const price = (await getJson(`${sim.urls.apiBase}/api/query_symbol_price?symbol=BTC-USD`)).body as Frame;
    expect(price.mark_price).toMatch(/^\d+\.\d{4}$/);
    expect(price).toHaveProperty('index_price');
    expect(price).toHaveProperty('mid_price');
  });

  it('replays the same price path for the same seed and another for another seed', async () => {
    const [a, b, c] = await Promise.all([started({ seed: 7 }), started({ seed: 7 }), started({ seed: 8 })]);
    const path = async (sim: Simulator): Promise<string[]> => {
      const marks: string[] = [];
      for (let step = 0; step < 30; step += 1) {
        sim.step();
        const price = (await getJson(`${sim.urls.apiBase}/api/query_symbol_price?symbol=BTC-USD`)).body as Frame;
        marks.push(String(price.mark_price));
      }
      return marks;
    };
    const [pathA, pathB, pathC] = await Promise.all([path(a as Simulator), path(b as Simulator), path(c as Simulator)]);
    expect(pathA).toEqual(pathB);
    expect(pathA).not.toEqual(pathC);
  });
});

describe('stream subscriptions', () => {
  it('pushes a depth snapshot on subscribe and a new one per step; price pushes carry the mark', async () => {
    const sim = await started();
    const stream = await TestSocket.open(sim.urls.wsStream);
    perTest.track(stream);
    stream.send({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } });
    stream.send({ subscribe: { channel: 'price', symbol: 'BTC-USD' } });
    const first = await stream.next(isFrame('depth_book'));
    expect(first).toMatchObject({ channel: 'depth_book', symbol: 'BTC-USD' });
    expect(dataOf(first)).toMatchObject({ symbol: 'BTC-USD' });
    sim.setPrice('BTC-USD', '101000.00');
    const moved = await stream.next((f) => isFrame('depth_book')(f) && prices(dataOf(f as Frame).bids as Level[]).includes(100997.5));
    expect(moved.seq as number).toBeGreaterThan(first.seq as number);
    const price = await stream.next((f) => isFrame('price')(f) && dataOf(f as Frame).mark_price === '101000.0000');
    expect(dataOf(price)).toMatchObject({ symbol: 'BTC-USD', index_price: '101000.00' });
  });

  // The legacy regime moves the mark at every push; live-like regimes are covered in market-regimes.test.ts.
  it('runs the price process on its own timer when autoRun is on', async () => {
    const sim = await started({ autoRun: true, pushIntervalMs: 10, seed: 5, regime: 'legacy' });
    const stream = await TestSocket.open(sim.urls.wsStream);
    perTest.track(stream);
    stream.send({ subscribe: { channel: 'price', symbol: 'BTC-USD' } });
    const marks = new Set<unknown>();
    await stream.next((f) => {
      if (isFrame('price')(f)) marks.add(dataOf(f as Frame).mark_price);
      return marks.size >= 3;
    });
    expect(marks.size).toBeGreaterThanOrEqual(3);
  });
  it('pause holds the price while pushes continue, resume moves it again', async () => {
    const sim = await started({ autoRun: true, pushIntervalMs: 5, seed: 11, regime: 'legacy' });
    const stream = await TestSocket.open(sim.urls.wsStream);
    perTest.track(stream);
    sim.pause();
    stream.send({ subscribe: { channel: 'price', symbol: 'BTC-USD' } });
    const held = new Set<unknown>();
    let pushes = 0;
    await stream.next((f) => {
      if (!isFrame('price')(f)) return false;
      held.add(dataOf(f as Frame).mark_price);
      pushes += 1;
      return pushes >= 6;
    });
    expect(held.size).toBe(1);
    sim.resume();
    await stream.next((f) => isFrame('price')(f) && !held.has(dataOf(f as Frame).mark_price));
  });
});

describe('matching', () => {
  it('fills a crossing gtc limit as taker with the taker fee and rests the remainder', async () => {
    const sim = await started();
    const creds = sim.createAccount();
    const api = await loggedInApi(sim, creds);
    perTest.track(api);
    const order = signedEnvelope(creds, 'order:new', limitOrder('buy', '100002.50', '5.0000', { time_in_force: 'gtc', cl_ord_id: 'taker' }));
    api.send(order);
    expect(await api.next(isReply(order.request_id))).toMatchObject({ code: 0 });
    const [resting] = sim.openOrders(creds.address, 'BTC-USD');
    expect(resting).toMatchObject({ cl_ord_id: 'taker', status: 'open' });
    const filledLots = Number(resting?.fill_qty);
    expect(filledLots).toBeGreaterThan(0);
    expect(filledLots).toBeLessThan(5);
    expect(sim.position(creds.address, 'BTC-USD').qty).toBe(resting?.fill_qty);
  });

  it('fills market orders against the book and cancels an unfilled ioc remainder', async () => {
    const sim = await started();
    const creds = sim.createAccount();
    const stream = await privateStream(sim, creds, ['order']);
    const api = await loggedInApi(sim, creds);
    perTest.track(stream, api);
    const market = signedEnvelope(creds, 'order:new', { symbol: 'BTC-USD', side: 'sell', order_type: 'market', qty: '0.0500', time_in_force: 'ioc', reduce_only: false, cl_ord_id: 'm' });
    api.send(market);
    const filled = await stream.next((f) => isFrame('order')(f) && dataOf(f as Frame).cl_ord_id === 'm' && dataOf(f as Frame).status === 'filled');
    expect(dataOf(filled)).toMatchObject({ fill_qty: '0.0500', fill_avg_price: '99997.5' });
    const ioc = signedEnvelope(creds, 'order:new', limitOrder('buy', '99000.00', '0.0100', { time_in_force: 'ioc', cl_ord_id: 'i' }));
    api.send(ioc);
    const canceled = await stream.next((f) => isFrame('order')(f) && dataOf(f as Frame).cl_ord_id === 'i' && dataOf(f as Frame).status === 'canceled');
    expect(dataOf(canceled)).toMatchObject({ fill_qty: '0.0000' });
    expect(sim.position(creds.address, 'BTC-USD').qty).toBe('-0.0500');
  });

  it('partly fills a resting order the best ask only touches, then wholly when traded through', async () => {
    const sim = await started();
    const creds = sim.createAccount();
    const stream = await privateStream(sim, creds, ['order', 'position']);
    const api = await loggedInApi(sim, creds);
    perTest.track(stream, api);
    const bid = signedEnvelope(creds, 'order:new', limitOrder('buy', '99990.00', '1.0000', { cl_ord_id: 'b' }));
    api.send(bid);
    await api.next(isReply(bid.request_id));
    sim.setPrice('BTC-USD', '99987.50');
    const partial = await stream.next((f) => isFrame('order')(f) && dataOf(f as Frame).cl_ord_id === 'b' && dataOf(f as Frame).fill_qty !== '0.0000');
    expect(dataOf(partial).status).toBe('open');
    expect(Number(dataOf(partial).fill_qty)).toBeLessThan(1);
    sim.setPrice('BTC-USD', '99900.00');
    await stream.next((f) => isFrame('order')(f) && dataOf(f as Frame).cl_ord_id === 'b' && dataOf(f as Frame).status === 'filled');
    const position = await stream.next((f) => isFrame('position')(f) && dataOf(f as Frame).qty === '1.0000');
    expect(dataOf(position)).toMatchObject({ entry_price: '99990' });
  });

  it('closes a position with realized P&L and cancels reduce-only orders left without a position', async () => {
    const sim = await started();
    const creds = sim.createAccount();
    const api = await loggedInApi(sim, creds);
    perTest.track(api);
    const send = async (order: object): Promise<Frame> => {
      const request = signedEnvelope(creds, 'order:new', order);
      api.send(request);
      return api.next(isReply(request.request_id));
    };
    await send(limitOrder('buy', '99990.00', '0.1000'));
    sim.setPrice('BTC-USD', '99900.00');
    expect(sim.position(creds.address, 'BTC-USD').qty).toBe('0.1000');
    expect(await send(limitOrder('sell', '100100.00', '0.1000', { reduce_only: true, time_in_force: 'gtc' }))).toMatchObject({ code: 0 });
    // Reduce-only capacity is shared with pending reduce-only orders (protocol §4): this one has none left.
    const blocked = await send({ symbol: 'BTC-USD', side: 'sell', order_type: 'market', qty: '0.1000', time_in_force: 'ioc', reduce_only: true });
    expect(blocked).toMatchObject({ code: 400 });
    await send({ symbol: 'BTC-USD', side: 'sell', order_type: 'market', qty: '0.1000', time_in_force: 'ioc', reduce_only: false });
    const flat = sim.position(creds.address, 'BTC-USD');
    expect(flat.qty).toBe('0.0000');
    // Sold at the best bid 99897.50 what was bought at 99990.00: 0.1 x -92.50.
    expect(flat.realized_pnl).toBe('-9.25');
    expect(sim.openOrders(creds.address)).toHaveLength(0);
  });
});
