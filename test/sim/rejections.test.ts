// The simulator refuses what StandX refuses: bad tokens, bad or stale signatures, off-grid or
// malformed orders, crossing post-only orders, reduce-only orders that would grow a position,
// margin and open-order limits, and ws-api commands before login.

import { generateKeyPairSync } from 'node:crypto';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SYMBOLS, type SimSymbolConfig, type Simulator, type SimulatorOptions } from '../../src/sim/index.js';
import {
  closedAfterEachTest,
  dataOf,
  envelope,
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
  signedHeaders,
  TestSocket,
  walletSignIn,
  type Frame,
} from './helpers.js';

const perTest = closedAfterEachTest();
let sim: Simulator | undefined;

async function started(options: SimulatorOptions = {}): Promise<Simulator> {
  sim = await perTest.start(options);
  return sim;
}

function btcWith(overrides: Partial<SimSymbolConfig>): SimSymbolConfig[] {
  const btc = DEFAULT_SYMBOLS[0];
  if (!btc) throw new Error('no default BTC symbol');
  return [{ ...btc, ...overrides }];
}

describe('authentication refusals', () => {
  it('answers 401 to a missing, unknown or foreign token', async () => {
    const s = await started();
    const url = `${s.urls.apiBase}/api/query_open_orders`;
    expect((await getJson(url)).status).toBe(401);
    expect((await getJson(url, 'not-a-jwt')).status).toBe(401);
    const other = await perTest.start({ seed: 99 });
    const foreign = other.createAccount().accessToken;
    await other.close();
    expect((await getJson(url, foreign)).status).toBe(401);
  });

  it('answers 401 once the token has expired', async () => {
    const clock = manualClock();
    const s = await started({ clock, tokenTtlSeconds: 60 });
    const creds = s.createAccount();
    const url = `${s.urls.apiBase}/api/query_balance`;
    expect((await getJson(url, creds.accessToken)).status).toBe(200);
    clock.advance(61_000);
    expect(await getJson(url, creds.accessToken)).toMatchObject({ status: 401, body: { message: 'token expired' } });
  });

  it('answers 404 user balance not found for a wallet that signed in but was never funded', async () => {
    const s = await started();
    const session = await walletSignIn(s, Wallet.createRandom().privateKey);
    expect(await getJson(`${s.urls.apiBase}/api/query_balance`, session.token)).toMatchObject({
      status: 404,
      body: { message: 'user balance not found' },
    });
  });
});

describe('request signature refusals', () => {
  it('answers 403 invalid signature to a body signed with another key, a tampered body or missing headers', async () => {
    const s = await started();
    const creds = s.createAccount();
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const wrongKey = await postSigned(s, creds, '/api/new_order', limitOrder('buy', '99000.00'), { key: stranger });
    expect(wrongKey).toMatchObject({ status: 403, body: { message: 'invalid signature' } });

    const body = JSON.stringify(limitOrder('buy', '99000.00'));
    const signedForOther = signedHeaders(creds, body.replace('99000.00', '98000.00'));
    const tampered = await postJson(`${s.urls.apiBase}/api/new_order`, body, { authorization: `Bearer ${creds.accessToken}`, ...signedForOther });
    expect(tampered).toMatchObject({ status: 403, body: { message: 'invalid signature' } });
    const headers = { authorization: `Bearer ${creds.accessToken}`, 'content-type': 'application/json' };
    const unsigned = await fetch(`${s.urls.apiBase}/api/new_order`, { method: 'POST', body, headers });
    expect(unsigned.status).toBe(403);
    expect(s.stats().ordersRejected).toBe(3);
    expect(s.openOrders(creds.address)).toHaveLength(0);
  });

  it('answers 403 signature has expired to a timestamp outside the window', async () => {
    const s = await started({ signatureWindowMs: 5_000 });
    const creds = s.createAccount();
    const stale = await postSigned(s, creds, '/api/new_order', limitOrder('buy', '99000.00'), { timestampMs: Date.now() - 10_000 });
    expect(stale.status).toBe(403);
    expect((stale.body as Frame).message).toContain('signature has expired');
    const future = await postSigned(s, creds, '/api/new_order', limitOrder('buy', '99000.00'), { timestampMs: Date.now() + 10_000 });
    expect((future.body as Frame).message).toContain('signature has expired');
  });
});

describe('order validation', () => {
  it.each([
    ['an off-tick price', limitOrder('buy', '99000.005'), 'tick'],
    ['a qty that is not a whole number of lots', limitOrder('buy', '99000.00', '0.00015'), 'lot'],
    ['a qty above max_order_qty', limitOrder('buy', '99000.00', '101'), 'max_order_qty'],
    ['a numeric qty', { ...limitOrder('buy', '99000.00'), qty: 0.01 }, 'qty must be a decimal string'],
    ['a limit order without price', { ...limitOrder('buy', '99000.00'), price: undefined }, 'price is required'],
    ['an unknown side', { ...limitOrder('buy', '99000.00'), side: 'long' }, 'invalid side'],
    ['an unknown time_in_force', { ...limitOrder('buy', '99000.00'), time_in_force: 'fok' }, 'invalid time_in_force'],
    ['a missing reduce_only', { ...limitOrder('buy', '99000.00'), reduce_only: undefined }, 'reduce_only'],
    ['a leverage that does not match the position', limitOrder('buy', '99000.00', '0.0100', { leverage: 20 }), 'leverage'],
    ['a margin_mode that does not match the position', limitOrder('buy', '99000.00', '0.0100', { margin_mode: 'isolated' }), 'margin_mode'],
    ['an unknown symbol', { ...limitOrder('buy', '99000.00'), symbol: 'DOGE-USD' }, 'symbol not found'],
  ])('answers 400 to %s', async (_name, order, fragment) => {
    const s = await started();
    const creds = s.createAccount();
    const reply = await postSigned(s, creds, '/api/new_order', order);
    expect(reply.status).toBe(400);
    expect((reply.body as Frame).message).toContain(fragment);
    expect(s.openOrders(creds.address)).toHaveLength(0);
  });

  it('refuses qty below min_order_qty', async () => {
    const s = await started({ symbols: btcWith({ minOrderQty: '0.0010' }) });
    const reply = await postSigned(s, s.createAccount(), '/api/new_order', limitOrder('buy', '99000.00', '0.0005'));
    expect((reply.body as Frame).message).toContain('min_order_qty');
  });
});

describe('matching-time rejections', () => {
  it('rejects a crossing ALO: 400 alo order rejected over ws-api, a rejected order push after HTTP code 0', async () => {
    const s = await started();
    const creds = s.createAccount();
    const api = await loggedInApi(s, creds);
    const stream = await privateStream(s, creds, ['order']);
    perTest.track(api, stream);
    const crossing = signedEnvelope(creds, 'order:new', limitOrder('buy', '100002.50'));
    api.send(crossing);
    expect(await api.next(isReply(crossing.request_id))).toEqual({ code: 400, message: 'alo order rejected', request_id: crossing.request_id });

    const http = await postSigned(s, creds, '/api/new_order', limitOrder('sell', '99997.50', '0.0100', { cl_ord_id: 'x' }));
    expect(http.body).toMatchObject({ code: 0 });
    const pushed = await stream.next((f) => isFrame('order')(f) && dataOf(f as Frame).cl_ord_id === 'x');
    expect(dataOf(pushed)).toMatchObject({ status: 'rejected', remark: 'alo order rejected' });
    expect(s.openOrders(creds.address)).toHaveLength(0);
  });

  it('rejects a reduce-only order that would grow the position and caps one larger than it', async () => {
    const s = await started();
    const creds = s.createAccount();
    const api = await loggedInApi(s, creds);
    perTest.track(api);
    const grow = signedEnvelope(creds, 'order:new', limitOrder('sell', '100100.00', '0.0100', { reduce_only: true }));
    api.send(grow);
    expect(await api.next(isReply(grow.request_id))).toMatchObject({ code: 400, message: 'reduce only order would increase position' });

    const buy = signedEnvelope(creds, 'order:new', { symbol: 'BTC-USD', side: 'buy', order_type: 'market', qty: '0.0200', time_in_force: 'ioc', reduce_only: false });
    api.send(buy);
    await api.next(isReply(buy.request_id));
    expect(s.position(creds.address, 'BTC-USD').qty).toBe('0.0200');
    const sameSide = signedEnvelope(creds, 'order:new', limitOrder('buy', '99000.00', '0.0100', { reduce_only: true }));
    api.send(sameSide);
    expect(await api.next(isReply(sameSide.request_id))).toMatchObject({ code: 400 });
    const close = signedEnvelope(creds, 'order:new', { symbol: 'BTC-USD', side: 'sell', order_type: 'market', qty: '0.0500', time_in_force: 'ioc', reduce_only: true });
    api.send(close);
    expect(await api.next(isReply(close.request_id))).toMatchObject({ code: 0 });
    expect(s.position(creds.address, 'BTC-USD').qty).toBe('0.0000');
  });

  it('rejects insufficient margin and orders beyond max_open_orders', async () => {
    const s = await started({ symbols: btcWith({ maxOpenOrders: 2 }) });
    const poor = s.createAccount({ balance: '10' });
    const rich = s.createAccount();
    const poorApi = await loggedInApi(s, poor);
    const richApi = await loggedInApi(s, rich);
    perTest.track(poorApi, richApi);
    const tooBig = signedEnvelope(poor, 'order:new', limitOrder('buy', '99000.00', '0.0100'));
    poorApi.send(tooBig);
    expect(await poorApi.next(isReply(tooBig.request_id))).toMatchObject({ code: 400, message: 'insufficient margin' });
    const replies: Frame[] = [];
    for (const price of ['99000.00', '98900.00', '98800.00']) {
      const order = signedEnvelope(rich, 'order:new', limitOrder('buy', price));
      richApi.send(order);
      replies.push(await richApi.next(isReply(order.request_id)));
    }
    expect(replies.map((reply) => reply.code)).toEqual([0, 0, 400]);
    expect(replies[2]?.message).toBe('max open orders exceeded');
  });
});

describe('ws-api refusals', () => {
  it('refuses orders before auth:login, a bad login token and a bad signature', async () => {
    const s = await started();
    const creds = s.createAccount();
    const api = await TestSocket.open(s.urls.wsApi);
    perTest.track(api);
    const early = signedEnvelope(creds, 'order:new', limitOrder('buy', '99000.00'));
    api.send(early);
    expect(await api.next(isReply(early.request_id))).toMatchObject({ code: 401 });
    const badLogin = envelope('auth:login', JSON.stringify({ token: 'nope' }));
    api.send(badLogin);
    expect(await api.next(isReply(badLogin.request_id))).toMatchObject({ code: 401 });
    const goodLogin = envelope('auth:login', JSON.stringify({ token: creds.accessToken }));
    api.send(goodLogin);
    expect(await api.next(isReply(goodLogin.request_id))).toMatchObject({ code: 0, message: 'success' });
    const forged = signedEnvelope(creds, 'order:new', limitOrder('buy', '99000.00'), { key: generateKeyPairSync('ed25519').privateKey });
    api.send(forged);
    expect(await api.next(isReply(forged.request_id))).toMatchObject({ code: 403, message: 'invalid signature' });
    const stale = signedEnvelope(creds, 'order:new', limitOrder('buy', '99000.00'), { timestampMs: Date.now() - 120_000 });
    api.send(stale);
    expect(await api.next(isReply(stale.request_id))).toMatchObject({ code: 403, message: 'signature has expired' });
    expect(s.openOrders(creds.address)).toHaveLength(0);
  });

  it('refuses private stream channels without auth', async () => {
    const s = await started();
    const stream = await TestSocket.open(s.urls.wsStream);
    perTest.track(stream);
    stream.send({ subscribe: { channel: 'order' } });
    expect(dataOf(await stream.next(isFrame('error')))).toMatchObject({ code: 401 });
    stream.send({ auth: { token: 'nope' } });
    expect(dataOf(await stream.next(isFrame('auth')))).toMatchObject({ code: 401 });
  });
});
