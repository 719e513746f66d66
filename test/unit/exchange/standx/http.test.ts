import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AuthError,
  ClockSkewError,
  ExchangeRejectError,
  OutcomeUnknownError,
  ProtocolError,
  TransientError,
} from '../../../../src/errors.js';
import { silentLog } from '../../../../src/ops/log.js';
import type { StandXEndpoints } from '../../../../src/exchange/standx/endpoints.js';
import { StandXHttpClient, type HttpAuth, type StandXHttpOptions } from '../../../../src/exchange/standx/http.js';
import { createSigner } from '../../../../src/exchange/standx/signing.js';
import type { Clock } from '../../../../src/ops/clock.js';
import { hasValidSignature, InstantClock, json, makeJwt, ManualClock, startStub, text, type Received, type Stub } from './http-stub.js';

const NOW_MS = 1_767_225_600_000;
const UUID = '00000000-0000-4000-8000-000000000000';
const TOKEN = makeJwt({ sub: 'bsc_0xabc', exp: NOW_MS / 1000 + 3600 });
const signer = createSigner(Uint8Array.from({ length: 32 }, (_, i) => i), 'node');
const auth: HttpAuth = { token: () => TOKEN, signer };
const ORDER_BODY = '{"symbol":"BTC-USD","side":"buy","order_type":"limit","qty":"0.0001","price":"65000.00","time_in_force":"alo","reduce_only":false}';

const order = {
  id: 1820682,
  cl_ord_id: '01K2BK4ZKQE0C308SRD39P8N9Z',
  symbol: 'BTC-USD',
  side: 'buy',
  order_type: 'limit',
  time_in_force: 'alo',
  price: '121900.00',
  qty: '0.060',
  fill_qty: '0',
  status: 'open',
  reduce_only: false,
};
const balance = {
  isolated_balance: '0',
  isolated_upnl: '0',
  cross_balance: '100.5',
  cross_margin: '3',
  cross_upnl: '-0.2',
  locked: '0',
  cross_available: '97.3',
  balance: '100.5',
  upnl: '-0.2',
  equity: '100.3',
  pnl_freeze: '0',
};

let stub: Stub;
beforeEach(async () => {
  stub = await startStub();
});
afterEach(async () => {
  await stub.close();
});

function endpointsAt(baseUrl: string): StandXEndpoints {
  return { apiBase: baseUrl, authBase: baseUrl, geoBase: baseUrl, wsStreamUrl: 'ws://unused', wsApiUrl: 'ws://unused' };
}

function client(overrides: Partial<StandXHttpOptions> & { clock?: Clock } = {}): StandXHttpClient {
  return new StandXHttpClient({
    endpoints: endpointsAt(stub.baseUrl),
    auth,
    clock: new InstantClock(NOW_MS),
    random: () => 0.5,
    newUuid: () => UUID,
    readTimeoutMs: 60_000,
    writeTimeoutMs: 60_000,
    readAttempts: 1,
    ...overrides,
  });
}

function firstRequest(): Received {
  const request = stub.received[0];
  if (!request) throw new Error('the stub received no request');
  return request;
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('public queries', () => {
  it('asks query_symbol_info for every symbol when none is given, without credentials', async () => {
    stub.handle((_req, res) => json(res, 200, [{ symbol: 'BTC-USD', price_tick_decimals: 2, qty_tick_decimals: 3, min_order_qty: '0.001', max_order_qty: '100', max_open_orders: '100', enabled: true }]));
    const infos = await client().querySymbolInfo();
    expect(infos[0]?.max_open_orders).toBe(100);
    const [request] = stub.received;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/api/query_symbol_info');
    expect([...(request?.query.keys() ?? [])]).toEqual([]);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('passes the symbol to query_symbol_info, query_symbol_price and query_depth_book', async () => {
    stub.handle((req, res) => {
      if (req.path === '/api/query_symbol_info') json(res, 200, []);
      else if (req.path === '/api/query_symbol_price') json(res, 200, { symbol: 'BTC-USD', mark_price: '121900.10', last_price: null, mid_price: null });
      else json(res, 200, { symbol: 'BTC-USD', bids: [['121884.22', '0.001'], ['121890.00', '1']], asks: [['121896.02', '0.839']] });
    });
    const http = client();
    expect(await http.querySymbolInfo('BTC-USD')).toEqual([]);
    expect((await http.querySymbolPrice('BTC-USD')).mark_price).toBe('121900.10');
    // Levels come back as received: sorting belongs to codec.toBook.
    expect((await http.queryDepthBook('BTC-USD')).bids.map(([price]) => price)).toEqual(['121884.22', '121890.00']);
    expect(stub.received.map((r) => `${r.path}?${r.query.toString()}`)).toEqual([
      '/api/query_symbol_info?symbol=BTC-USD',
      '/api/query_symbol_price?symbol=BTC-USD',
      '/api/query_depth_book?symbol=BTC-USD',
    ]);
  });

  it('reads the server time from the geo host', async () => {
    stub.handle((_req, res) => json(res, 200, { systemTime: 1_761_970_177_865, region: 'jp' }));
    expect(await client().serverTimeMs()).toBe(1_761_970_177_865);
    expect(stub.received[0]?.path).toBe('/v1/region');
  });
});

describe('Bearer queries', () => {
  it('unwraps query_open_orders and sends the Bearer token without a body signature', async () => {
    stub.handle((_req, res) => json(res, 200, { page_size: 1, result: [order], total: 1 }));
    const orders = await client().queryOpenOrders('BTC-USD');
    expect(orders.map((o) => o.id)).toEqual([1820682]);
    const [request] = stub.received;
    expect(request?.path).toBe('/api/query_open_orders');
    expect(request?.query.get('symbol')).toBe('BTC-USD');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['x-request-signature']).toBeUndefined();
  });

  it('reads an empty page whose result is null as no orders', async () => {
    stub.handle((_req, res) => json(res, 200, { page_size: 0, result: null, total: 0 }));
    expect(await client().queryOpenOrders('BTC-USD')).toEqual([]);
  });

  it('parses query_positions as a bare array with signed qty', async () => {
    stub.handle((_req, res) => json(res, 200, [{ symbol: 'BTC-USD', qty: '-0.940', entry_price: '121000.00', realized_pnl: '1.5', status: 'open' }]));
    const positions = await client().queryPositions('BTC-USD');
    expect(positions.map((p) => p.qty)).toEqual(['-0.940']);
    expect(stub.received[0]?.query.get('symbol')).toBe('BTC-USD');
  });

  it('parses query_balance', async () => {
    stub.handle((_req, res) => json(res, 200, balance));
    expect(await client().queryBalance()).toMatchObject({ balance: '100.5', equity: '100.3', cross_available: '97.3' });
  });

  it('reads an unfunded account (404 "user balance not found") as an all-zero balance', async () => {
    stub.handle((_req, res) => json(res, 404, { code: 404, message: 'user balance not found' }));
    const zero = await client().queryBalance();
    expect(zero).toMatchObject({ balance: '0', equity: '0', cross_available: '0', upnl: '0' });
  });

  it('does not read any other 404 of query_balance as zero', async () => {
    stub.handle((_req, res) => text(res, 404, '404 page not found'));
    await expect(client().queryBalance()).rejects.toMatchObject({ name: 'ExchangeRejectError', exchangeCode: 404 });
  });

  it('refuses to call an authenticated endpoint without a session, before sending anything', async () => {
    const anonymous = new StandXHttpClient({ endpoints: endpointsAt(stub.baseUrl) });
    await expect(anonymous.queryPositions('BTC-USD')).rejects.toThrow(TypeError);
    expect(stub.received).toHaveLength(0);
  });
});

describe('signed writes', () => {
  const ack = { code: 0, message: 'success', request_id: 'f3b4c2de' };

  it('sends new_order with the exact signed body, the four x-request-* headers, Bearer and Content-Type', async () => {
    stub.handle((_req, res) => json(res, 200, ack));
    expect(await client().newOrder(ORDER_BODY)).toEqual(ack);
    const [request] = stub.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/new_order');
    expect(request?.raw.toString('utf8')).toBe(ORDER_BODY);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: `Bearer ${TOKEN}`,
      'x-request-sign-version': 'v1',
      'x-request-id': UUID,
      'x-request-timestamp': String(NOW_MS),
    });
    expect(request?.headers['x-session-id']).toBeUndefined();
    expect(hasValidSignature(firstRequest(), signer.publicKey)).toBe(true);
  });

  it('produces the golden-vector signature for the golden payload (protocol §3)', async () => {
    stub.handle((_req, res) => json(res, 200, ack));
    await client({ clock: new InstantClock(1_700_000_000_000) }).newOrder(ORDER_BODY);
    expect(stub.received[0]?.headers['x-request-signature']).toBe(
      'sgb+UKzNrqNDSxM/gui4Aw3xCjC31kYKdBjsBWflBNKIVROf/fTx9T5q7zfHrxv4AQx75d8UQNVsHZICyTvzBQ==',
    );
  });

  it('sends a body with spaces and non-ASCII text byte for byte, so the signature holds over what arrived', async () => {
    stub.handle((_req, res) => json(res, 200, ack));
    const body = '{ "symbol": "BTC-USD",  "side":"sell", "remark": "café ✓", "qty": "1.0" }';
    await client().newOrder(body, { sessionId: 'session-7' });
    const [request] = stub.received;
    expect(request?.raw.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(request?.headers['x-session-id']).toBe('session-7');
    expect(hasValidSignature(firstRequest(), signer.publicKey)).toBe(true);
    // The verifier itself rejects a re-serialised body.
    const reserialised = { ...firstRequest(), raw: Buffer.from(JSON.stringify(JSON.parse(body)), 'utf8') };
    expect(hasValidSignature(reserialised, signer.publicKey)).toBe(false);
  });

  it('signs cancel_order and cancel_orders the same way', async () => {
    stub.handle((req, res) => (req.path === '/api/cancel_orders' ? json(res, 200, []) : json(res, 200, ack)));
    const http = client();
    expect(await http.cancelOrder('{"order_id":2424844}')).toMatchObject({ code: 0 });
    await expect(http.cancelOrders('{"order_id_list":[1,2],"cl_ord_id_list":["a"]}')).resolves.toBeUndefined();
    expect(stub.received.map((r) => [r.path, r.raw.toString('utf8')])).toEqual([
      ['/api/cancel_order', '{"order_id":2424844}'],
      ['/api/cancel_orders', '{"order_id_list":[1,2],"cl_ord_id_list":["a"]}'],
    ]);
    for (const request of stub.received) expect(hasValidSignature(request, signer.publicKey)).toBe(true);
  });

  it('uses the injected fetch', async () => {
    stub.handle((_req, res) => json(res, 200, ack));
    const fetchSpy = vi.fn(globalThis.fetch);
    await client({ fetch: fetchSpy }).cancelOrder('{"cl_ord_id":"x"}');
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });
});

describe('error mapping', () => {
  const cases: Array<[string, number, string, abstract new (...args: never[]) => Error, Record<string, unknown>]> = [
    ['401 → AuthError', 401, '{"code":401,"message":"invalid token"}', AuthError, {}],
    ['403 "signature has expired" → ClockSkewError', 403, '{"code":403,"message":"signature has expired"}', ClockSkewError, {}],
    ['other 403 → ExchangeRejectError', 403, '{"message":"forbidden"}', ExchangeRejectError, { exchangeCode: 403, exchangeMessage: 'forbidden' }],
    ['429 → TransientError', 429, '{"message":"too many requests"}', TransientError, { status: 429 }],
    ['500 → TransientError', 500, 'internal error', TransientError, { status: 500 }],
    ['503 → TransientError', 503, '', TransientError, { status: 503 }],
    ['400 with a body code → ExchangeRejectError', 400, '{"code":400,"message":"alo order rejected"}', ExchangeRejectError, { exchangeCode: 400, exchangeMessage: 'alo order rejected' }],
    ['404 text → ExchangeRejectError', 404, 'not found', ExchangeRejectError, { exchangeCode: 404, exchangeMessage: 'not found' }],
    ['200 with code ≠ 0 → ExchangeRejectError', 200, '{"code":10003,"message":"insufficient margin"}', ExchangeRejectError, { exchangeCode: 10003 }],
    ['200 that is not JSON → ProtocolError', 200, '<html>bad gateway</html>', ProtocolError, {}],
    ['200 of the wrong shape → ProtocolError', 200, '{"unexpected":true}', ProtocolError, {}],
  ];

  it.each(cases)('read: %s', async (_label, status, body, errorClass, fields) => {
    stub.handle((_req, res) => text(res, status, body));
    const failure = await client().queryOpenOrders('BTC-USD').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(errorClass);
    expect(failure).toMatchObject(fields);
    expect((failure as Error).message).not.toContain(TOKEN);
    expect(stub.received).toHaveLength(1);
  });

  it.each(cases)('write: %s', async (_label, status, body, errorClass, fields) => {
    stub.handle((_req, res) => text(res, status, body.replace('"unexpected":true', '"code":"zero"')));
    const failure = await client().newOrder(ORDER_BODY).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(errorClass);
    expect(failure).toMatchObject(fields);
    expect((failure as Error).message).not.toContain(TOKEN);
    expect(stub.received).toHaveLength(1);
  });

  it('reports a refused connection as TransientError, for a write too: nothing was sent', async () => {
    const http = client({ endpoints: endpointsAt(await closedPortUrl()) });
    await expect(http.queryPositions('BTC-USD')).rejects.toBeInstanceOf(TransientError);
    await expect(http.newOrder(ORDER_BODY)).rejects.toBeInstanceOf(TransientError);
  });

  it('reports a write whose connection drops after the request arrived as OutcomeUnknownError, sent once', async () => {
    stub.handle((_req, res) => res.socket?.destroy());
    await expect(client().newOrder(ORDER_BODY)).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(stub.received).toHaveLength(1);
  });

  it('reports a read whose connection drops as TransientError', async () => {
    stub.handle((_req, res) => res.socket?.destroy());
    await expect(client().queryBalance()).rejects.toBeInstanceOf(TransientError);
  });

  it('reports a write that times out after it was sent as OutcomeUnknownError and does not resend it', async () => {
    stub.handle(() => undefined); // never answers
    const clock = new ManualClock(NOW_MS);
    const pending = client({ clock, writeTimeoutMs: 5_000 }).newOrder(ORDER_BODY);
    await stub.nextRequest();
    await clock.advance(5_000);
    await expect(pending).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(stub.received).toHaveLength(1);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('reports a read that times out as TransientError', async () => {
    stub.handle(() => undefined);
    const clock = new ManualClock(NOW_MS);
    const pending = client({ clock, readTimeoutMs: 3_000 }).queryOpenOrders('BTC-USD');
    await stub.nextRequest();
    await clock.advance(2_999);
    await clock.advance(1);
    await expect(pending).rejects.toBeInstanceOf(TransientError);
    expect(clock.pendingSleeps).toBe(0);
  });
});

describe('read retries', () => {
  function answerInTurn(statuses: number[]): void {
    let call = 0;
    stub.handle((_req, res) => {
      const status = statuses[Math.min(call, statuses.length - 1)] ?? 200;
      call += 1;
      if (status === 200) json(res, 200, [{ symbol: 'BTC-USD', qty: '0' }]);
      else json(res, status, { message: 'busy' });
    });
  }

  it('retries 429/5xx with full-jitter exponential backoff and then succeeds', async () => {
    answerInTurn([503, 429, 502, 200]);
    const clock = new InstantClock(NOW_MS);
    const warn = vi.fn();
    const http = client({ clock, readAttempts: 4, readBackoff: { baseMs: 100, maxMs: 1_000 }, logger: { ...silentLog, debug: vi.fn(), warn } });
    expect(await http.queryPositions('BTC-USD')).toHaveLength(1);
    expect(stub.received).toHaveLength(4);
    expect(clock.sleeps).toEqual([50, 100, 200]); // random 0.5 × 100·2^n
    expect(warn).toHaveBeenCalledTimes(3);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(TOKEN);
  });

  it('caps the backoff', async () => {
    answerInTurn([500]);
    const clock = new InstantClock(NOW_MS);
    const http = client({ clock, random: () => 0.999, readAttempts: 6, readBackoff: { baseMs: 100, maxMs: 300 } });
    await expect(http.queryPositions('BTC-USD')).rejects.toMatchObject({ name: 'TransientError', status: 500 });
    expect(clock.sleeps).toEqual([99, 199, 299, 299, 299]);
    expect(stub.received).toHaveLength(6);
  });

  it('retries a read that lost its connection', async () => {
    let call = 0;
    stub.handle((_req, res) => (call++ === 0 ? res.socket?.destroy() : json(res, 200, balance)));
    await expect(client({ readAttempts: 2 }).queryBalance()).resolves.toMatchObject({ balance: '100.5' });
    expect(stub.received).toHaveLength(2);
  });

  it.each([
    [400, '{"code":400,"message":"bad symbol"}'],
    [401, '{"message":"invalid token"}'],
    [403, 'signature has expired'],
    [200, 'garbage'],
  ])('does not retry HTTP %i (%s)', async (status, body) => {
    stub.handle((_req, res) => text(res, status, body));
    await expect(client({ readAttempts: 5 }).queryOpenOrders('BTC-USD')).rejects.toThrow();
    expect(stub.received).toHaveLength(1);
  });

  it('never retries a write, even on 503', async () => {
    stub.handle((_req, res) => json(res, 503, { message: 'busy' }));
    await expect(client({ readAttempts: 5 }).newOrder(ORDER_BODY)).rejects.toMatchObject({ name: 'TransientError', status: 503 });
    expect(stub.received).toHaveLength(1);
  });
});

describe('abort', () => {
  it('sends nothing when the signal is already aborted', async () => {
    const reason = new Error('shutting down');
    await expect(client().queryPositions('BTC-USD', AbortSignal.abort(reason))).rejects.toBe(reason);
    await expect(client().newOrder(ORDER_BODY, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(stub.received).toHaveLength(0);
  });

  it('ends an in-flight read with the abort reason', async () => {
    stub.handle(() => undefined);
    const controller = new AbortController();
    const pending = client().queryOpenOrders('BTC-USD', controller.signal);
    await stub.nextRequest();
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('reports an in-flight write that is aborted as OutcomeUnknownError', async () => {
    stub.handle(() => undefined);
    const controller = new AbortController();
    const pending = client().newOrder(ORDER_BODY, { signal: controller.signal });
    await stub.nextRequest();
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toBeInstanceOf(OutcomeUnknownError);
  });

  it('stops retrying when aborted during the backoff wait', async () => {
    stub.handle((_req, res) => json(res, 503, { message: 'busy' }));
    const clock = new ManualClock(NOW_MS);
    const controller = new AbortController();
    const http = client({ clock, readAttempts: 5, readBackoff: { baseMs: 1_000, maxMs: 1_000 } });
    const pending = http.queryPositions('BTC-USD', controller.signal);
    expect(await clock.waitForSleep((ms) => ms < 60_000)).toBe(500);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(stub.received).toHaveLength(1);
    expect(clock.pendingSleeps).toBe(0);
  });
});
