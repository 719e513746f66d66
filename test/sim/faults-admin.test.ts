// The admin endpoint drives the newer faults for a simulator in another process: each route acts
// as its in-process twin, returns what it returns, and refuses malformed arguments.

import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/index.js';
import {
  closedAfterEachTest,
  getJson,
  isReply,
  limitOrder,
  loggedInApi,
  postJson,
  postSigned,
  signedEnvelope,
  TestSocket,
  type Frame,
} from './helpers.js';

const perTest = closedAfterEachTest();

function inject(sim: Simulator, fault: string, args: unknown[]): ReturnType<typeof postJson> {
  return postJson(`${sim.urls.admin}/faults`, JSON.stringify({ fault, args }));
}

describe('admin fault routes', () => {
  it('fillOrder fills and answers the fill; a bad selector is refused', async () => {
    const sim = await perTest.start();
    const creds = sim.createAccount();
    await postSigned(sim, creds, '/api/new_order', limitOrder('sell', '101000.00', '0.0100', { cl_ord_id: 'ask' }));
    expect(await inject(sim, 'fillOrder', [creds.address, { side: 'sell' }, { qty: '0.0025', silent: true }])).toEqual({
      status: 200,
      body: { ok: true, result: { orderId: expect.any(Number), clOrdId: 'ask', side: 'sell', price: '101000.00', qty: '0.0025', status: 'open' } },
    });
    expect(sim.position(creds.address, 'BTC-USD').qty).toBe('-0.0025');
    expect((await inject(sim, 'fillOrder', [creds.address, { side: 'up' }])).status).toBe(400);
    expect((await inject(sim, 'fillOrder', [creds.address, { side: 'sell' }, { qty: '0' }])).status).toBe(400);
    expect((await inject(sim, 'fillOrder', [creds.address, { clOrdId: 'none' }])).body).toEqual({ ok: true, result: null });
  });

  it('restart refuses clients but not the admin, and reset ends it', async () => {
    const sim = await perTest.start();
    expect((await inject(sim, 'restart', [60_000])).status).toBe(200);
    expect((await getJson(`${sim.urls.apiBase}/api/health`)).status).toBe(503);
    await expect(TestSocket.open(sim.urls.wsApi)).rejects.toThrow('503');
    expect((await getJson(`${sim.urls.admin}/stats`)).status).toBe(200);
    expect((await inject(sim, 'reset', [])).status).toBe(200);
    expect((await getJson(`${sim.urls.apiBase}/api/health`)).status).toBe(200);
  });

  it('arms lateRejectAlo, fillBeforeCancel, httpErrorsFor, halfOpen and stallData', async () => {
    const sim = await perTest.start();
    const creds = sim.createAccount();
    const api = await loggedInApi(sim, creds);
    perTest.track(api);
    expect((await inject(sim, 'lateRejectAlo', [1, 0])).status).toBe(200);
    const order = signedEnvelope(creds, 'order:new', limitOrder('buy', '99000.00'));
    api.send(order);
    await api.next((f) => isReply(order.request_id)(f) && (f as Frame).code === 400);
    expect((await inject(sim, 'fillBeforeCancel', [1])).status).toBe(200);
    await postSigned(sim, creds, '/api/new_order', limitOrder('buy', '99000.00', '0.0100', { cl_ord_id: 'raced' }));
    expect((await postSigned(sim, creds, '/api/cancel_order', { cl_ord_id: 'raced' })).body).toMatchObject({ message: 'order already filled' });
    expect((await inject(sim, 'httpErrorsFor', [500, 60_000, '/api/health'])).status).toBe(200);
    expect((await getJson(`${sim.urls.apiBase}/api/health`)).status).toBe(500);
    expect((await inject(sim, 'halfOpen', ['stream', true])).status).toBe(200);
    expect((await inject(sim, 'stallData', ['api', true])).status).toBe(200);
    expect((await inject(sim, 'sendMalformedFrame', ['all', 'huge'])).status).toBe(200);
    expect((await inject(sim, 'halfOpen', ['stream'])).status).toBe(400);
    expect((await inject(sim, 'lateRejectAlo', [1])).status).toBe(400);
    expect((await inject(sim, 'sendMalformedFrame', ['all', 'gigantic'])).status).toBe(400);
  });
});
