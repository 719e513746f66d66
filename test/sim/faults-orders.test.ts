// Order-path and account faults: delayed, lost and duplicated acks, forced rejections, token
// expiry, frozen depth, clock skew, HTTP errors, lagging REST reads, reset, and the admin endpoint.

import { describe, expect, it } from 'vitest';
import type { Simulator, SimulatorOptions } from '../../src/sim/index.js';
import {
  closedAfterEachTest,
  dataOf,
  getJson,
  isFrame,
  isReply,
  limitOrder,
  loggedInApi,
  manualClock,
  postJson,
  postSigned,
  privateStream,
  signedEnvelope,
  TestSocket,
  walletSignIn,
  type Frame,
} from './helpers.js';

const perTest = closedAfterEachTest();
let sim: Simulator | undefined;

async function setup(options: SimulatorOptions = {}) {
  sim = await perTest.start(options);
  const creds = sim.createAccount();
  const api = await loggedInApi(sim, creds);
  const stream = await privateStream(sim, creds, ['order']);
  perTest.track(api, stream);
  return { sim, creds, api, stream };
}

const orderPush = (clOrdId: string, status?: string) => (frame: Frame | string): boolean =>
  isFrame('order')(frame) && dataOf(frame as Frame).cl_ord_id === clOrdId && (status === undefined || dataOf(frame as Frame).status === status);

describe('ack faults', () => {
  it('delayAcks holds ws-api replies back while the order channel runs ahead', async () => {
    const { sim: s, creds, api, stream } = await setup();
    s.faults.delayAcks(80);
    const order = signedEnvelope(creds, 'order:new', limitOrder('buy', '99000.00', '0.0100', { cl_ord_id: 'd' }));
    const sentAt = performance.now();
    api.send(order);
    await stream.next(orderPush('d', 'open'));
    expect(api.frames.some(isReply(order.request_id))).toBe(false);
    await api.next(isReply(order.request_id));
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(79);
  });

  it('loseAcks processes the request but sends no reply', async () => {
    const { sim: s, creds, api, stream } = await setup();
    s.faults.loseAcks(1);
    const lost = signedEnvelope(creds, 'order:new', limitOrder('buy', '99000.00', '0.0100', { cl_ord_id: 'lost' }));
    const next = signedEnvelope(creds, 'order:new', limitOrder('buy', '98000.00', '0.0100', { cl_ord_id: 'next' }));
    api.send(lost);
    api.send(next);
    await api.next(isReply(next.request_id));
    expect(api.frames.some(isReply(lost.request_id))).toBe(false);
    await stream.next(orderPush('lost', 'open'));
    expect(s.openOrders(creds.address).map((order) => order.cl_ord_id).sort()).toEqual(['lost', 'next']);
  });

  it('duplicateReplies sends an accepted ack then the final frame, which for a filled order’s cancel is a rejection', async () => {
    const { sim: s, creds, api } = await setup();
    s.faults.duplicateReplies(2);
    const order = signedEnvelope(creds, 'order:new', limitOrder('buy', '99990.00', '0.0100', { cl_ord_id: 'dup' }));
    api.send(order);
    await api.next((f) => isReply(order.request_id)(f) && (f as Frame).message === 'success');
    expect(api.frames.filter(isReply(order.request_id))).toEqual([
      { code: 0, message: 'accepted', request_id: order.request_id },
      { code: 0, message: 'success', request_id: order.request_id },
    ]);
    s.setPrice('BTC-USD', '99900.00');
    const cancel = signedEnvelope(creds, 'order:cancel', { cl_ord_id: 'dup' });
    api.send(cancel);
    await api.next((f) => isReply(cancel.request_id)(f) && (f as Frame).code !== 0);
    expect(api.frames.filter(isReply(cancel.request_id)).map((f) => (f as Frame).code)).toEqual([0, 400]);
  });

  it('rejectNextOrders rejects the next n orders over HTTP and ws-api with the given code', async () => {
    const { sim: s, creds, api } = await setup();
    s.faults.rejectNextOrders(2, 429, 'too many requests');
    const http = await postSigned(s, creds, '/api/new_order', limitOrder('buy', '99000.00'));
    expect(http).toMatchObject({ status: 429, body: { code: 429, message: 'too many requests' } });
    const ws = signedEnvelope(creds, 'order:new', limitOrder('buy', '99000.00'));
    api.send(ws);
    expect(await api.next(isReply(ws.request_id))).toMatchObject({ code: 429, message: 'too many requests' });
    const third = await postSigned(s, creds, '/api/new_order', limitOrder('buy', '99000.00'));
    expect(third.body).toMatchObject({ code: 0 });
    expect(s.stats()).toMatchObject({ ordersReceived: 3, ordersRejected: 2, ordersAccepted: 1 });
  });
});

describe('account and clock faults', () => {
  it('expireToken refuses the token everywhere and ends live sessions; a new sign-in works', async () => {
    const { sim: s, creds, api, stream } = await setup();
    s.faults.expireToken(creds.address);
    expect(dataOf(await stream.next((f) => isFrame('auth')(f) && dataOf(f as Frame).code === 401))).toMatchObject({ msg: 'token expired' });
    await stream.waitClosed();
    expect(await api.next((f) => typeof f === 'object' && f.code === 401)).toMatchObject({ message: 'token expired' });
    await api.waitClosed();
    expect((await getJson(`${s.urls.apiBase}/api/query_open_orders`, creds.accessToken)).status).toBe(401);
    const session = await walletSignIn(s, creds.walletPrivateKey);
    expect((await getJson(`${s.urls.apiBase}/api/query_balance`, session.token)).status).toBe(200);
    s.faults.expireToken(session.token);
    expect((await getJson(`${s.urls.apiBase}/api/query_balance`, session.token)).status).toBe(401);
  });

  it('freezeDepth stops depth_book pushes while price pushes continue', async () => {
    sim = await perTest.start();
    const stream = await TestSocket.open(sim.urls.wsStream);
    perTest.track(stream);
    stream.send({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } });
    await stream.next(isFrame('depth_book'));
    stream.send({ subscribe: { channel: 'price', symbol: 'BTC-USD' } });
    await stream.next(isFrame('price'));
    sim.faults.freezeDepth(true);
    sim.setPrice('BTC-USD', '101000.00');
    await stream.next((f) => isFrame('price')(f) && dataOf(f as Frame).index_price === '101000.00');
    expect(stream.frames.filter(isFrame('depth_book'))).toHaveLength(1);
    sim.faults.freezeDepth(false);
    sim.step();
    await stream.next((f) => isFrame('depth_book')(f) && f !== stream.frames.find(isFrame('depth_book')));
  });

  it('skewClockMs shifts server time and the signature window', async () => {
    sim = await perTest.start();
    const creds = sim.createAccount();
    sim.faults.skewClockMs(120_000);
    const region = (await getJson(`${sim.urls.geoBase}/v1/region`)).body as Frame;
    expect((region.systemTime as number) - Date.now()).toBeGreaterThan(100_000);
    const local = await postSigned(sim, creds, '/api/new_order', limitOrder('buy', '99000.00'));
    expect((local.body as Frame).message).toContain('signature has expired');
    const aligned = await postSigned(sim, creds, '/api/new_order', limitOrder('buy', '99000.00'), { timestampMs: Date.now() + 120_000 });
    expect(aligned.body).toMatchObject({ code: 0 });
  });

  it('httpErrors answers the next n matching requests with 429 or 500', async () => {
    sim = await perTest.start();
    const token = sim.createAccount().accessToken;
    const url = `${sim.urls.apiBase}/api/query_open_orders`;
    sim.faults.httpErrors(429, 2, '/api/query_open_orders');
    expect((await getJson(`${sim.urls.apiBase}/api/health`)).status).toBe(200);
    expect((await getJson(url, token)).status).toBe(429);
    expect((await getJson(url, token)).status).toBe(429);
    expect((await getJson(url, token)).status).toBe(200);
    sim.faults.httpErrors(500, 1);
    expect((await getJson(`${sim.urls.apiBase}/api/health`)).status).toBe(500);
    expect((await getJson(`${sim.urls.apiBase}/api/health`)).status).toBe(200);
  });

  it('restLagMs makes REST open orders trail the order channel', async () => {
    const clock = manualClock();
    sim = await perTest.start({ clock });
    const creds = sim.createAccount();
    const url = `${sim.urls.apiBase}/api/query_open_orders`;
    sim.faults.restLagMs(15_000);
    const placed = await postSigned(sim, creds, '/api/new_order', limitOrder('buy', '99000.00', '0.0100', { cl_ord_id: 'lag' }), { timestampMs: clock.now() });
    expect(placed.body).toMatchObject({ code: 0 });
    expect(sim.openOrders(creds.address)).toHaveLength(1);
    expect((await getJson(url, creds.accessToken)).body).toMatchObject({ total: 0 });
    clock.advance(15_001);
    expect((await getJson(url, creds.accessToken)).body).toMatchObject({ total: 1 });
    await postSigned(sim, creds, '/api/cancel_order', { cl_ord_id: 'lag' }, { timestampMs: clock.now() });
    expect(sim.openOrders(creds.address)).toHaveLength(0);
    expect((await getJson(url, creds.accessToken)).body).toMatchObject({ total: 1 });
    clock.advance(15_001);
    expect((await getJson(url, creds.accessToken)).body).toMatchObject({ total: 0 });
  });

  it('reset clears every fault', async () => {
    const { sim: s, creds, api } = await setup();
    s.faults.rejectNextOrders(5, 400, 'nope');
    s.faults.loseAcks(5);
    s.faults.httpErrors(500, 5);
    s.faults.freezeDepth(true);
    s.faults.reset();
    const order = signedEnvelope(creds, 'order:new', limitOrder('buy', '99000.00'));
    api.send(order);
    expect(await api.next(isReply(order.request_id))).toMatchObject({ code: 0 });
    expect((await getJson(`${s.urls.apiBase}/api/health`)).status).toBe(200);
  });
});

describe('admin endpoint', () => {
  it('injects faults over HTTP and reports an account’s state', async () => {
    const { sim: s, creds } = await setup();
    const inject = (body: object): ReturnType<typeof postJson> => postJson(`${s.urls.admin}/faults`, JSON.stringify(body));
    expect(await inject({ fault: 'rejectNextOrders', args: [1, 400, 'insufficient margin'] })).toMatchObject({ status: 200 });
    expect((await postSigned(s, creds, '/api/new_order', limitOrder('buy', '99000.00'))).body).toMatchObject({ message: 'insufficient margin' });
    expect((await inject({ fault: 'explode', args: [] })).status).toBe(404);
    expect((await inject({ fault: 'loseAcks', args: ['many'] })).status).toBe(400);
    expect((await inject({ fault: 'sendMalformedFrame', args: ['api'] })).status).toBe(200);
    await postSigned(s, creds, '/api/new_order', limitOrder('buy', '99000.00', '0.0100', { cl_ord_id: 'adm' }));
    const state = await getJson(`${s.urls.admin}/state?address=${creds.address}&symbol=BTC-USD`);
    expect(state.body).toMatchObject({ openOrders: [expect.objectContaining({ cl_ord_id: 'adm' })], position: { qty: '0.0000' } });
  });
});
