// Fill and order-outcome faults as a client sees them: forced partial and whole fills, fills whose
// pushes are lost (only REST reveals them), cancels racing fills, late ALO rejections (protocol §6
// two frames), and REST position reads trailing the stream.

import { describe, expect, it } from 'vitest';
import type { SimAccountCredentials, Simulator } from '../../src/sim/index.js';
import {
  closedAfterEachTest,
  dataOf,
  getJson,
  isFrame,
  isReply,
  limitOrder,
  loggedInApi,
  manualClock,
  postSigned,
  privateStream,
  signedEnvelope,
  type Frame,
  type TestSocket,
} from './helpers.js';

const perTest = closedAfterEachTest();

interface Session {
  readonly sim: Simulator;
  readonly creds: SimAccountCredentials;
  readonly api: TestSocket;
  readonly stream: TestSocket;
}

async function session(): Promise<Session> {
  const sim = await perTest.start();
  const creds = sim.createAccount();
  const api = await loggedInApi(sim, creds);
  const stream = await privateStream(sim, creds);
  perTest.track(api, stream);
  return { sim, creds, api, stream };
}

const orderPush = (clOrdId: string, status?: string) => (frame: Frame | string): boolean =>
  isFrame('order')(frame) && dataOf(frame as Frame).cl_ord_id === clOrdId && (status === undefined || dataOf(frame as Frame).status === status);

/** Places an ALO order over ws-api and waits until the stream shows it resting. */
async function rest(s: Session, side: 'buy' | 'sell', price: string, clOrdId: string): Promise<void> {
  s.api.send(signedEnvelope(s.creds, 'order:new', limitOrder(side, price, '0.0100', { cl_ord_id: clOrdId })));
  await s.stream.next(orderPush(clOrdId, 'open'));
}

function repliesTo(api: TestSocket, requestId: string): Frame[] {
  return api.frames.filter(isReply(requestId)) as Frame[];
}

async function restPositions(s: Session): Promise<unknown> {
  return (await getJson(`${s.sim.urls.apiBase}/api/query_positions`, s.creds.accessToken)).body;
}

describe('fillOrder', () => {
  it('fills part of the chosen side at its price and pushes order, trade and position', async () => {
    const s = await session();
    await rest(s, 'buy', '99000.00', 'bid');
    await rest(s, 'sell', '101000.00', 'ask');
    expect(s.sim.faults.fillOrder(s.creds.address, { side: 'sell' }, { qty: '0.0040' })).toMatchObject({
      clOrdId: 'ask',
      side: 'sell',
      price: '101000.00',
      qty: '0.0040',
      status: 'open',
    });
    const partial = await s.stream.next((f) => orderPush('ask')(f) && dataOf(f as Frame).fill_qty === '0.0040');
    expect(dataOf(partial)).toMatchObject({ status: 'open', fill_avg_price: '101000' });
    expect(dataOf(await s.stream.next(isFrame('trade')))).toMatchObject({ price: '101000.00', qty: '0.0040', side: 'sell' });
    expect(dataOf(await s.stream.next(isFrame('position')))).toMatchObject({ qty: '-0.0040' });
  });

  it('fills the whole order a client id names, and reports nothing when no resting order matches', async () => {
    const s = await session();
    await rest(s, 'buy', '99000.00', 'first');
    await rest(s, 'buy', '98000.00', 'second');
    expect(s.sim.faults.fillOrder(s.creds.address, { clOrdId: 'second' })).toMatchObject({ price: '98000.00', qty: '0.0100', status: 'filled' });
    await s.stream.next(orderPush('second', 'filled'));
    expect(s.sim.openOrders(s.creds.address).map((order) => order.cl_ord_id)).toEqual(['first']);
    expect(s.sim.faults.fillOrder(s.creds.address, { clOrdId: 'second' })).toBeNull();
    expect(s.sim.faults.fillOrder(s.creds.address, { side: 'sell' })).toBeNull();
    expect(() => s.sim.faults.fillOrder(s.creds.address, { side: 'buy' }, { qty: '0' })).toThrow(RangeError);
  });

  it('with silent, loses every private push of the fill: only REST reveals the position', async () => {
    const s = await session();
    await rest(s, 'buy', '99000.00', 'bid');
    s.sim.faults.fillOrder(s.creds.address, { side: 'buy' }, { silent: true });
    // Pushes keep their order on a socket: once the next order's push arrives, the fill's never will.
    await rest(s, 'sell', '101000.00', 'after');
    expect(s.stream.frames.filter((f) => isFrame('trade')(f) || isFrame('position')(f))).toEqual([]);
    expect(s.stream.frames.some(orderPush('bid', 'filled'))).toBe(false);
    expect(await restPositions(s)).toMatchObject([{ qty: '0.0100' }]);
    const open = await getJson(`${s.sim.urls.apiBase}/api/query_open_orders`, s.creds.accessToken);
    expect((open.body as { result: Frame[] }).result.map((order) => order.cl_ord_id)).toEqual(['after']);
  });

  it('while the stream is half-open, the fill happens and its pushes are lost with the rest', async () => {
    const s = await session();
    await rest(s, 'buy', '99000.00', 'bid');
    s.sim.faults.halfOpen('stream', true);
    s.sim.faults.fillOrder(s.creds.address, { side: 'buy' });
    s.sim.faults.halfOpen('stream', false);
    await rest(s, 'sell', '101000.00', 'after');
    expect(s.stream.frames.some(isFrame('trade'))).toBe(false);
    expect(await restPositions(s)).toMatchObject([{ qty: '0.0100' }]);
  });
});

describe('fillBeforeCancel', () => {
  it('over ws-api: the order fills at its price, then the cancel gets an accepted ack and a rejection', async () => {
    const s = await session();
    await rest(s, 'buy', '99000.00', 'raced');
    await rest(s, 'buy', '98000.00', 'calm');
    s.sim.faults.fillBeforeCancel(1);
    const cancel = signedEnvelope(s.creds, 'order:cancel', { cl_ord_id: 'raced' });
    s.api.send(cancel);
    await s.api.next((f) => isReply(cancel.request_id)(f) && (f as Frame).code !== 0);
    expect(repliesTo(s.api, cancel.request_id).map((f) => [f.code, f.message])).toEqual([
      [0, 'accepted'],
      [400, 'order already filled'],
    ]);
    expect(dataOf(await s.stream.next(orderPush('raced', 'filled')))).toMatchObject({ fill_qty: '0.0100', fill_avg_price: '99000' });
    expect(dataOf(await s.stream.next(isFrame('position')))).toMatchObject({ qty: '0.0100' });
    // One race only: the next cancel is an ordinary one.
    const next = signedEnvelope(s.creds, 'order:cancel', { cl_ord_id: 'calm' });
    s.api.send(next);
    await s.api.next(isReply(next.request_id));
    await s.stream.next(orderPush('calm', 'canceled'));
    expect(repliesTo(s.api, next.request_id).map((f) => f.code)).toEqual([0]);
  });

  it('over HTTP: cancel_order answers already filled, cancel_orders fills every covered order first', async () => {
    const s = await session();
    for (const [price, id] of [['99000.00', 'a'], ['98000.00', 'b'], ['97000.00', 'c']] as const) await rest(s, 'buy', price, id);
    s.sim.faults.fillBeforeCancel(2);
    expect(await postSigned(s.sim, s.creds, '/api/cancel_order', { cl_ord_id: 'a' })).toMatchObject({ status: 400, body: { message: 'order already filled' } });
    expect((await postSigned(s.sim, s.creds, '/api/cancel_orders', { cl_ord_id_list: ['b', 'c'] })).body).toEqual([]);
    expect(s.sim.position(s.creds.address, 'BTC-USD').qty).toBe('0.0200');
    expect(s.sim.openOrders(s.creds.address)).toEqual([]);
  });
});

describe('lateRejectAlo', () => {
  it('over ws-api: accepted at once, then a rejection frame and a rejected order push; the order never rests', async () => {
    const s = await session();
    s.sim.faults.lateRejectAlo(1, 30);
    const order = signedEnvelope(s.creds, 'order:new', limitOrder('buy', '99000.00', '0.0100', { cl_ord_id: 'late' }));
    s.api.send(order);
    await s.api.next((f) => isReply(order.request_id)(f) && (f as Frame).code === 0);
    expect(s.sim.openOrders(s.creds.address)).toEqual([]);
    await s.api.next((f) => isReply(order.request_id)(f) && (f as Frame).code !== 0);
    expect(repliesTo(s.api, order.request_id).map((f) => [f.code, f.message])).toEqual([
      [0, 'accepted'],
      [400, 'alo order rejected'],
    ]);
    expect(dataOf(await s.stream.next(orderPush('late', 'rejected')))).toMatchObject({ remark: 'alo order rejected' });
    expect(s.stream.frames.some(orderPush('late', 'open'))).toBe(false);
    expect(s.sim.stats()).toMatchObject({ ordersReceived: 1, ordersRejected: 1, ordersAccepted: 0 });
  });

  it('over HTTP: code 0, then the rejected push; orders that are not ALO leave the count alone', async () => {
    const s = await session();
    s.sim.faults.lateRejectAlo(1, 0);
    const gtc = await postSigned(s.sim, s.creds, '/api/new_order', limitOrder('buy', '98000.00', '0.0100', { cl_ord_id: 'gtc', time_in_force: 'gtc' }));
    expect(gtc.body).toMatchObject({ code: 0 });
    await s.stream.next(orderPush('gtc', 'open'));
    const alo = await postSigned(s.sim, s.creds, '/api/new_order', limitOrder('buy', '99000.00', '0.0100', { cl_ord_id: 'alo' }));
    expect(alo.body).toMatchObject({ code: 0, message: 'success' });
    await s.stream.next(orderPush('alo', 'rejected'));
    const after = await postSigned(s.sim, s.creds, '/api/new_order', limitOrder('buy', '97000.00', '0.0100', { cl_ord_id: 'next' }));
    expect(after.body).toMatchObject({ code: 0 });
    await s.stream.next(orderPush('next', 'open'));
  });
});

describe('restLagMs on positions', () => {
  it('shows REST positions as they were lagMs ago while the stream is current', async () => {
    const clock = manualClock();
    const sim = await perTest.start({ clock });
    const creds = sim.createAccount();
    const s: Session = { sim, creds, api: await loggedInApi(sim, creds), stream: await privateStream(sim, creds) };
    perTest.track(s.api, s.stream);
    sim.faults.restLagMs(15_000);
    const placed = await postSigned(sim, creds, '/api/new_order', limitOrder('buy', '99000.00', '0.0100', { cl_ord_id: 'bid' }), { timestampMs: clock.now() });
    expect(placed.body).toMatchObject({ code: 0 });
    clock.advance(1_000);
    sim.faults.fillOrder(creds.address, { side: 'buy' }, { qty: '0.0030' });
    await s.stream.next((f) => isFrame('position')(f) && dataOf(f as Frame).qty === '0.0030');
    expect(await restPositions(s)).toEqual([]);
    clock.advance(10_000);
    sim.faults.fillOrder(creds.address, { side: 'buy' });
    expect(await restPositions(s)).toEqual([]);
    clock.advance(5_000);
    expect(await restPositions(s)).toMatchObject([{ qty: '0.0030' }]);
    clock.advance(10_000);
    expect(await restPositions(s)).toMatchObject([{ qty: '0.0100' }]);
    sim.faults.restLagMs(0);
    expect(await restPositions(s)).toMatchObject([{ qty: '0.0100' }]);
  });
});
