// Transport faults and socket lifetime: drops, half-open silence, pings and pongs, the §5 pong
// deadline and age limit, malformed frames, and injected latency. Absence is shown by ordering
// (a later frame arrives, an earlier one never did) or against an event-driven clock of pings/pushes.

import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/index.js';
import { closedAfterEachTest, envelope, isFrame, isReply, limitOrder, loggedInApi, signedEnvelope, TestSocket, type Frame } from './helpers.js';

const perTest = closedAfterEachTest();
let sim: Simulator | undefined;

async function open(url: string): Promise<TestSocket> {
  const socket = await TestSocket.open(url);
  perTest.track(socket);
  return socket;
}

/** Resolves after `count` more events of `name` on the raw socket. */
function nextEvents(socket: TestSocket, name: 'ping' | 'pong', count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onEvent = (): void => {
      seen += 1;
      if (seen < count) return;
      socket.ws.off(name, onEvent);
      resolve();
    };
    socket.ws.on(name, onEvent);
  });
}

function countEvents(socket: TestSocket, name: 'ping' | 'pong'): { readonly value: number } {
  const counter = { value: 0 };
  socket.ws.on(name, () => {
    counter.value += 1;
  });
  return counter;
}

/** A login request; its reply shows that everything the server sent before it has arrived. */
async function roundTrip(api: TestSocket, token: string): Promise<void> {
  const request = envelope('auth:login', JSON.stringify({ token }));
  api.send(request);
  await api.next(isReply(request.request_id));
}

describe('connection faults', () => {
  it('dropConnections terminates the chosen kind abruptly and leaves the other', async () => {
    sim = await perTest.start();
    const stream = await open(sim.urls.wsStream);
    const api = await open(sim.urls.wsApi);
    sim.faults.dropConnections('stream');
    expect((await stream.waitClosed()).code).toBe(1006);
    await roundTrip(api, sim.createAccount().accessToken);
    sim.faults.dropConnections('all');
    expect((await api.waitClosed()).code).toBe(1006);
  });

  it('silence keeps the socket open but answers nothing, pings included, until lifted', async () => {
    sim = await perTest.start({ pingIntervalMs: 10 });
    const creds = sim.createAccount();
    const api = await loggedInApi(sim, creds);
    const stream = await open(sim.urls.wsStream);
    perTest.track(api);
    sim.faults.silence('api', true);
    await nextEvents(stream, 'ping', 1);
    const apiPings = countEvents(api, 'ping');
    const lost = envelope('auth:login', JSON.stringify({ token: creds.accessToken }));
    api.send(lost);
    await nextEvents(stream, 'ping', 5);
    expect(apiPings.value).toBe(0);
    expect(api.ws.readyState).toBe(api.ws.OPEN);
    sim.faults.silence('api', false);
    await roundTrip(api, creds.accessToken);
    expect(api.frames.some(isReply(lost.request_id))).toBe(false);
  });

  it('stopPings stops server pings while the socket keeps working', async () => {
    sim = await perTest.start({ pingIntervalMs: 10, pushIntervalMs: 5 });
    const stream = await open(sim.urls.wsStream);
    stream.send({ subscribe: { channel: 'price', symbol: 'BTC-USD' } });
    await nextEvents(stream, 'ping', 1);
    sim.faults.stopPings(true);
    await stream.next(isFrame('price'));
    const pings = countEvents(stream, 'ping');
    const seen = stream.frames.length;
    await stream.next(() => stream.frames.length >= seen + 10);
    expect(pings.value).toBe(0);
    sim.faults.stopPings(false);
    await nextEvents(stream, 'ping', 1);
  });

  it.each(['stopAnsweringPings', 'ignorePongs'] as const)('%s leaves client pings unanswered', async (fault) => {
    sim = await perTest.start();
    const token = sim.createAccount().accessToken;
    const api = await open(sim.urls.wsApi);
    const answered = nextEvents(api, 'pong', 1);
    api.ws.ping();
    await answered;
    sim.faults[fault](true);
    const pongs = countEvents(api, 'pong');
    api.ws.ping();
    await roundTrip(api, token);
    expect(pongs.value).toBe(0);
  });

  it('closes with the 408 frame when pongs stop counting (disregardPongs), not before', async () => {
    sim = await perTest.start({ pingIntervalMs: 10, pongTimeoutMs: 250 });
    const healthy = await open(sim.urls.wsStream);
    await nextEvents(healthy, 'ping', 8);
    expect(healthy.ws.readyState).toBe(healthy.ws.OPEN);
    sim.faults.disregardPongs(true);
    const stream = await open(sim.urls.wsStream);
    const frame = await stream.next((f) => typeof f === 'object' && f.code === 408);
    expect(frame.message).toBe('disconnecting due to not receive Pong within 5 minute period');
    await stream.waitClosed();
  });

  it('closes sockets older than maxConnectionAgeMs', async () => {
    sim = await perTest.start({ maxConnectionAgeMs: 50 });
    const stream = await open(sim.urls.wsStream);
    expect((await stream.waitClosed()).code).toBe(1000);
  });

  it('sendMalformedFrame sends invalid JSON or a wrong shape on the chosen kind', async () => {
    sim = await perTest.start();
    const stream = await open(sim.urls.wsStream);
    const api = await open(sim.urls.wsApi);
    sim.faults.sendMalformedFrame('stream');
    const raw = await stream.next((f) => typeof f === 'string');
    expect(() => JSON.parse(raw.raw as string) as unknown).toThrow();
    sim.faults.sendMalformedFrame('api', 'wrong-shape');
    expect(await api.next((f) => typeof f === 'object' && f.code === 'ok')).toMatchObject({ request_id: 12345 });
    expect(stream.frames).toHaveLength(1);
  });
});

describe('latency', () => {
  it('adds one-way latency to requests and replies and keeps their order', async () => {
    sim = await perTest.start({ latencyMs: 40 });
    const creds = sim.createAccount();
    const api = await open(sim.urls.wsApi);
    const login = envelope('auth:login', JSON.stringify({ token: creds.accessToken }));
    const orders = ['99000.00', '98900.00', '98800.00'].map((price) => signedEnvelope(creds, 'order:new', limitOrder('buy', price)));
    const startedAt = performance.now();
    for (const request of [login, ...orders]) api.send(request);
    const last = orders[2];
    if (!last) throw new Error('unreachable');
    await api.next(isReply(last.request_id));
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(78);
    const replyIds = api.frames.map((frame) => (frame as Frame).request_id);
    expect(replyIds).toEqual([login.request_id, ...orders.map((order) => order.request_id)]);
    const http = performance.now();
    await fetch(`${sim.urls.apiBase}/api/health`);
    expect(performance.now() - http).toBeGreaterThanOrEqual(78);
  });
});
