import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AuthError,
  ExchangeRejectError,
  OutcomeUnknownError,
  TransientError,
} from '../../../../src/errors.js';
import { nullProbe, type RequestOutcome } from '../../../../src/ops/probe.js';
import type { StreamStatus } from '../../../../src/exchange/exchange.js';
import { OrderStream, type LateReply, type OrderMethod } from '../../../../src/exchange/standx/order-stream.js';
import { createSigner, decodeEd25519Seed, signRequest } from '../../../../src/exchange/standx/signing.js';
import { fakeTimerClock, MockSocketFactory, type MockWebSocket } from '../../../fixtures/mock-websocket.js';

const flush = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0);
};

// The golden-vector key of protocol §3.
const signer = createSigner(decodeEd25519Seed('1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE'), 'node');
const ALO_BUY =
  '{"symbol":"BTC-USD","side":"buy","order_type":"limit","qty":"0.0001","price":"65000.00","time_in_force":"alo","reduce_only":false}';

interface Envelope {
  session_id: string;
  request_id: string;
  method: string;
  header?: Record<string, string>;
  params: string;
}

interface Harness {
  stream: OrderStream;
  factory: MockSocketFactory;
  statuses: StreamStatus[];
  authFailures: Error[];
  lateReplies: LateReply[];
  written: { method: OrderMethod; atMs: number }[];
  settled: { method: string; roundTripMs: number; outcome: RequestOutcome }[];
  token: { value: string | null };
}

function harness(options: { requestTimeoutMs?: number; uuid?: () => string } = {}): Harness {
  const factory = new MockSocketFactory();
  const token = { value: 'jwt-1' as string | null };
  let counter = 0;
  const written: Harness['written'] = [];
  const settled: Harness['settled'] = [];
  const stream = new OrderStream({
    url: 'wss://perps.standx.com/ws-api/v1',
    token: () => token.value,
    signer,
    clock: fakeTimerClock(),
    uuid: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`,
    probe: {
      ...nullProbe,
      orderFrameOut: (method, atMs) => written.push({ method: method as OrderMethod, atMs }),
      requestSettled: (method, roundTripMs, outcome) => settled.push({ method, roundTripMs, outcome }),
    },
    tuning: { socketFactory: factory.create, random: () => 0.5 },
    ...options,
  });
  const h: Harness = { stream, factory, statuses: [], authFailures: [], lateReplies: [], written, settled, token };
  stream.on('status', (s) => h.statuses.push(s));
  stream.on('authFailure', (e) => h.authFailures.push(e));
  stream.on('lateReply', (r) => h.lateReplies.push(r));
  return h;
}

const frames = (socket: MockWebSocket): Envelope[] => socket.sentJson() as Envelope[];
const lastFrame = (socket: MockWebSocket): Envelope => {
  const frame = frames(socket).at(-1);
  if (!frame) throw new Error('nothing sent');
  return frame;
};

/** Opens the newest socket and acks its auth:login. Returns the session id. */
async function login(h: Harness, socket: MockWebSocket = h.factory.last): Promise<string> {
  socket.open();
  await flush();
  const frame = lastFrame(socket);
  socket.deliver({ code: 0, message: 'success', request_id: frame.request_id });
  await flush();
  return frame.session_id;
}

/** A started stream whose first socket is open and logged in. */
async function loggedIn(options: Parameters<typeof harness>[0] = {}): Promise<Harness> {
  const h = harness(options);
  h.stream.start();
  await login(h);
  return h;
}

/** Captures the outcome of a request promise without leaving it unhandled. */
function track(promise: Promise<void>): { settled: () => 'pending' | 'resolved' | Error } {
  let state: 'pending' | 'resolved' | Error = 'pending';
  promise.then(
    () => (state = 'resolved'),
    (error: Error) => (state = error),
  );
  return { settled: () => state };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('OrderStream login', () => {
  it('sends auth:login with a fresh session and is ready only after its ack (code 0)', async () => {
    const h = harness();
    h.stream.start();
    const socket = h.factory.last;
    socket.open();
    await flush();
    const loginFrame = lastFrame(socket);
    expect(loginFrame).toEqual({
      session_id: expect.any(String),
      request_id: expect.any(String),
      method: 'auth:login',
      params: '{"token":"jwt-1"}',
    });
    expect(h.stream.isReady()).toBe(false);
    await expect(h.stream.newOrder(ALO_BUY)).rejects.toBeInstanceOf(TransientError);
    socket.deliver({ code: 0, message: 'success', request_id: 'someone-else' });
    await flush();
    expect(h.stream.isReady()).toBe(false);
    socket.deliver({ code: 0, message: 'success', request_id: loginFrame.request_id });
    await flush();
    expect(h.stream.isReady()).toBe(true);
    expect(h.statuses).toEqual([{ stream: 'orders', up: true }]);
  });

  it('emits authFailure on a refused login and does not reconnect', async () => {
    const h = harness();
    h.stream.start();
    h.factory.last.open();
    await flush();
    h.factory.last.deliver({ code: 401, message: 'invalid token', request_id: lastFrame(h.factory.last).request_id });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(h.authFailures).toHaveLength(1);
    expect(h.authFailures[0]).toBeInstanceOf(AuthError);
    expect(h.factory.sockets).toHaveLength(1);
  });

  it('uses a new session_id on every connection', async () => {
    const h = harness();
    h.stream.start();
    const first = await login(h);
    h.factory.last.drop();
    await vi.advanceTimersByTimeAsync(1_000);
    const second = await login(h);
    expect(second).not.toBe(first);
    expect(h.stream.isReady()).toBe(true);
  });
});

describe('OrderStream requests', () => {
  it('signs the exact params string and sends the documented three header keys', async () => {
    const h = harness();
    h.stream.start();
    const sessionId = await login(h);
    const sentAtMs = Date.now();
    track(h.stream.newOrder(ALO_BUY));
    const frame = lastFrame(h.factory.last);
    expect(frame.session_id).toBe(sessionId);
    expect(frame.method).toBe('order:new');
    expect(frame.params).toBe(ALO_BUY);
    expect(Object.keys(frame.header ?? {}).sort()).toEqual(['x-request-id', 'x-request-signature', 'x-request-timestamp']);
    const headerId = frame.header?.['x-request-id'] ?? '';
    expect(headerId).not.toBe(frame.request_id);
    const expected = signRequest(signer, headerId, sentAtMs, ALO_BUY);
    expect(frame.header).toEqual({
      'x-request-id': expected['x-request-id'],
      'x-request-timestamp': String(sentAtMs),
      'x-request-signature': expected['x-request-signature'],
    });
  });

  it('puts the golden signature of protocol §3 in the frame for the same uuid, timestamp and params', async () => {
    vi.setSystemTime(1_700_000_000_000);
    // session, login request, envelope request_id, then the header's x-request-id.
    const ids = ['s-1', 'login-1', 'req-1', '00000000-0000-4000-8000-000000000000'];
    const h = harness({ uuid: () => ids.shift() ?? 'exhausted' });
    h.stream.start();
    await login(h);
    track(h.stream.newOrder(ALO_BUY));
    const frame = lastFrame(h.factory.last);
    expect(frame).toMatchObject({ session_id: 's-1', request_id: 'req-1', params: ALO_BUY });
    expect(frame.header).toEqual({
      'x-request-id': '00000000-0000-4000-8000-000000000000',
      'x-request-timestamp': '1700000000000',
      'x-request-signature': 'sgb+UKzNrqNDSxM/gui4Aw3xCjC31kYKdBjsBWflBNKIVROf/fTx9T5q7zfHrxv4AQx75d8UQNVsHZICyTvzBQ==',
    });
  });

  it('resolves on code 0 and rejects with ExchangeRejectError on a non-zero code, matched by request_id', async () => {
    const h = await loggedIn();
    const socket = h.factory.last;
    const buy = track(h.stream.newOrder(ALO_BUY));
    const buyId = lastFrame(socket).request_id;
    const cancel = track(h.stream.cancelOrder('{"order_id":2424844}'));
    const cancelFrame = lastFrame(socket);
    expect(cancelFrame.method).toBe('order:cancel');
    socket.deliver({ code: 400, message: 'order not found', request_id: cancelFrame.request_id });
    socket.deliver({ code: 0, message: 'success', request_id: buyId });
    await flush();
    expect(buy.settled()).toBe('resolved');
    const error = cancel.settled();
    expect(error).toBeInstanceOf(ExchangeRejectError);
    expect((error as ExchangeRejectError).exchangeCode).toBe(400);
    expect((error as ExchangeRejectError).exchangeMessage).toBe('order not found');
    expect(h.stream.pendingCount).toBe(0);
  });

  it('rejects with OutcomeUnknownError when no reply comes within the request timeout', async () => {
    const h = await loggedIn({ requestTimeoutMs: 3_000 });
    const socket = h.factory.last;
    const request = track(h.stream.newOrder(ALO_BUY));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(request.settled()).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(request.settled()).toBeInstanceOf(OutcomeUnknownError);
    // A reply that comes after all is reported, not lost.
    socket.deliver({ code: 0, message: 'success', request_id: lastFrame(socket).request_id });
    expect(h.lateReplies).toEqual([
      { requestId: lastFrame(socket).request_id, method: 'order:new', code: 0, message: 'success', params: ALO_BUY },
    ]);
  });

  it('readies a replacement socket when a request gets no reply, keeping the current one until it is ready', async () => {
    const h = await loggedIn({ requestTimeoutMs: 3_000 });
    const first = h.factory.last;
    track(h.stream.newOrder(ALO_BUY));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(h.factory.sockets).toHaveLength(2);
    expect(first.isClosed).toBe(false);
    expect(h.stream.isReady()).toBe(true);
  });

  it('tells the probe how long each request took to settle, and how', async () => {
    const h = await loggedIn({ requestTimeoutMs: 3_000 });
    const socket = h.factory.last;
    track(h.stream.newOrder(ALO_BUY));
    const buyId = lastFrame(socket).request_id;
    track(h.stream.cancelOrder('{"order_id":5}'));
    const cancelId = lastFrame(socket).request_id;
    track(h.stream.newOrder(ALO_BUY));
    await vi.advanceTimersByTimeAsync(40);
    socket.deliver({ code: 0, message: 'success', request_id: buyId });
    await vi.advanceTimersByTimeAsync(60);
    socket.deliver({ code: 400, message: 'order not found', request_id: cancelId });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(h.settled).toEqual([
      { method: 'order:new', roundTripMs: 40, outcome: 'accepted' },
      { method: 'order:cancel', roundTripMs: 100, outcome: 'rejected' },
      { method: 'order:new', roundTripMs: 3_000, outcome: 'unknown' },
    ]);
  });

  it('rejects with TransientError, writing nothing, when not connected', async () => {
    const h = await loggedIn();
    h.factory.last.drop();
    await flush();
    await expect(h.stream.cancelOrder('{"order_id":1}')).rejects.toBeInstanceOf(TransientError);
    expect(h.written).toEqual([]);
  });

  it('on disconnect rejects pending requests as OutcomeUnknownError and never re-sends them', async () => {
    const h = await loggedIn();
    const first = track(h.stream.newOrder(ALO_BUY));
    const second = track(h.stream.cancelOrder('{"order_id":7}'));
    h.factory.at(0).drop();
    await flush();
    expect(first.settled()).toBeInstanceOf(OutcomeUnknownError);
    expect(second.settled()).toBeInstanceOf(OutcomeUnknownError);
    expect(h.statuses.at(-1)).toMatchObject({ stream: 'orders', up: false });
    await vi.advanceTimersByTimeAsync(1_000);
    await login(h, h.factory.at(1));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(frames(h.factory.at(1)).map((f) => f.method)).toEqual(['auth:login']);
  });

  it('reports a second frame for an answered request as lateReply without touching other requests', async () => {
    const h = await loggedIn();
    const socket = h.factory.last;
    const buy = track(h.stream.newOrder(ALO_BUY));
    const buyId = lastFrame(socket).request_id;
    const cancel = track(h.stream.cancelOrder('{"order_id":9}'));
    const cancelId = lastFrame(socket).request_id;
    socket.deliver({ code: 0, message: 'success', request_id: buyId });
    await flush();
    expect(buy.settled()).toBe('resolved');
    socket.deliver({ code: 400, message: 'alo order rejected', request_id: buyId });
    await flush();
    expect(h.lateReplies).toEqual([
      { requestId: buyId, method: 'order:new', code: 400, message: 'alo order rejected', params: ALO_BUY },
    ]);
    expect(cancel.settled()).toBe('pending');
    socket.deliver({ code: 0, message: 'success', request_id: cancelId });
    socket.deliver({ code: 400, message: 'order already filled', request_id: cancelId });
    await flush();
    expect(cancel.settled()).toBe('resolved');
    expect(h.lateReplies.at(-1)).toEqual({
      requestId: cancelId,
      method: 'order:cancel',
      code: 400,
      message: 'order already filled',
      params: '{"order_id":9}',
    });
    expect(h.stream.isReady()).toBe(true);
  });

  it('ignores malformed frames and replies to unknown requests', async () => {
    const h = await loggedIn();
    const socket = h.factory.last;
    const buy = track(h.stream.newOrder(ALO_BUY));
    expect(() => {
      socket.deliver('garbage{');
      socket.deliver({ code: 'zero', request_id: lastFrame(socket).request_id });
      socket.deliver({ code: 0, message: 'success', request_id: 'not-ours' });
      socket.deliver({ hello: 'world' });
    }).not.toThrow();
    expect(buy.settled()).toBe('pending');
    expect(h.lateReplies).toEqual([]);
    expect(h.stream.isReady()).toBe(true);
  });

  it('tells the probe about each request frame right after it is written', async () => {
    const h = await loggedIn();
    await vi.advanceTimersByTimeAsync(250);
    track(h.stream.newOrder(ALO_BUY));
    track(h.stream.cancelOrder('{"order_id":1}'));
    expect(h.written).toEqual([
      { method: 'order:new', atMs: Date.now() },
      { method: 'order:cancel', atMs: Date.now() },
    ]);
  });

  it('treats an abort before sending as TransientError and after sending as OutcomeUnknownError', async () => {
    const h = await loggedIn();
    const before = new AbortController();
    before.abort();
    await expect(h.stream.newOrder(ALO_BUY, before.signal)).rejects.toBeInstanceOf(TransientError);
    expect(frames(h.factory.last)).toHaveLength(1);
    const after = new AbortController();
    const request = track(h.stream.newOrder(ALO_BUY, after.signal));
    after.abort();
    await flush();
    expect(request.settled()).toBeInstanceOf(OutcomeUnknownError);
  });

  it('rejects pending requests as OutcomeUnknownError on close()', async () => {
    const h = await loggedIn();
    const request = track(h.stream.newOrder(ALO_BUY));
    h.stream.close();
    await flush();
    expect(request.settled()).toBeInstanceOf(OutcomeUnknownError);
  });
});

describe('OrderStream reauthenticate', () => {
  it('logs a new session in before closing the old one, whose pending replies still arrive', async () => {
    const h = harness();
    h.stream.start();
    const oldSession = await login(h);
    const oldSocket = h.factory.at(0);
    const pendingOnOld = track(h.stream.newOrder(ALO_BUY));
    const oldRequestId = lastFrame(oldSocket).request_id;
    h.token.value = 'jwt-2';
    h.stream.reauthenticate();
    const newSocket = h.factory.at(1);
    const newSession = await login(h, newSocket);
    expect(lastFrame(newSocket).params).toBe('{"token":"jwt-2"}');
    expect(newSession).not.toBe(oldSession);
    expect(h.stream.isReady()).toBe(true);
    // New requests use the new session; the old socket stays open for its pending reply.
    track(h.stream.cancelOrder('{"order_id":3}'));
    expect(lastFrame(newSocket)).toMatchObject({ session_id: newSession, method: 'order:cancel' });
    expect(oldSocket.isClosed).toBe(false);
    oldSocket.deliver({ code: 0, message: 'success', request_id: oldRequestId });
    await flush();
    expect(pendingOnOld.settled()).toBe('resolved');
    expect(oldSocket.isClosed).toBe(true);
    expect(h.statuses).toEqual([{ stream: 'orders', up: true }]);
  });
});
