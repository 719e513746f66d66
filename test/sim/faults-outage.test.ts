// Outage faults as a client sees them over loopback: a half-open socket without pings, a stalled
// socket whose pings still flow, a full exchange restart (503 while down, orders kept and matching,
// a new login needed), and time-boxed HTTP error bursts.

import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/ops/clock.js';
import type { SimAccountCredentials, Simulator } from '../../src/sim/index.js';
import {
  closedAfterEachTest,
  dataOf,
  getJson,
  isFrame,
  limitOrder,
  loggedInApi,
  manualClock,
  postSigned,
  privateStream,
  TestSocket,
  type Frame,
} from './helpers.js';

const perTest = closedAfterEachTest();

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

const isPriceAt = (price: string) => (frame: Frame | string): boolean => isFrame('price')(frame) && dataOf(frame as Frame).index_price === price;

describe('halfOpen', () => {
  it('keeps the socket open with no data, no server pings and no pongs, past the pong deadline, until lifted', async () => {
    // Monotonic time moves only when told, so healthy sockets never miss the pong deadline under load.
    const clock = manualClock();
    const sim = await perTest.start({ clock, pingIntervalMs: 10, pongTimeoutMs: 1_000 });
    const stream = await open(sim.urls.wsStream);
    stream.send({ subscribe: { channel: 'price', symbol: 'BTC-USD' } });
    await stream.next(isFrame('price'));
    await nextEvents(stream, 'ping', 1);
    sim.faults.halfOpen('stream', true);
    const pings = countEvents(stream, 'ping');
    const pongs = countEvents(stream, 'pong');
    stream.ws.ping();
    stream.send({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } });
    sim.setPrice('BTC-USD', '100100.00');
    clock.advance(5_000);
    // Opened after the jump, the witness stays healthy; its ten pings are ten missed deadlines for the stream.
    const witness = await open(sim.urls.wsApi);
    await nextEvents(witness, 'ping', 10);
    expect({ pings: pings.value, pongs: pongs.value, open: stream.ws.readyState === stream.ws.OPEN }).toEqual({ pings: 0, pongs: 0, open: true });
    expect(stream.frames.some(isPriceAt('100100.00'))).toBe(false);
    sim.faults.halfOpen('stream', false);
    sim.setPrice('BTC-USD', '100200.00');
    await stream.next(isPriceAt('100200.00'));
    await nextEvents(stream, 'ping', 1);
    // The subscribe sent into the silence was lost, not queued.
    expect(stream.frames.some(isFrame('depth_book'))).toBe(false);
  });
});

describe('stallData', () => {
  it('loses data both ways while pings and pongs keep flowing', async () => {
    const sim = await perTest.start({ pingIntervalMs: 10 });
    const stream = await open(sim.urls.wsStream);
    stream.send({ subscribe: { channel: 'price', symbol: 'BTC-USD' } });
    await stream.next(isFrame('price'));
    sim.faults.stallData('stream', true);
    stream.send({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } });
    sim.setPrice('BTC-USD', '100100.00');
    const answered = nextEvents(stream, 'pong', 1);
    stream.ws.ping();
    await answered;
    await nextEvents(stream, 'ping', 3);
    expect(stream.frames.some(isPriceAt('100100.00'))).toBe(false);
    sim.faults.stallData('stream', false);
    sim.setPrice('BTC-USD', '100200.00');
    await stream.next(isPriceAt('100200.00'));
    expect(stream.frames.some(isFrame('depth_book'))).toBe(false);
  });
});

/** A clock whose sleeps (the injected latency) last until the test opens the gate, and not at all after. */
function gatedClock(): { clock: Clock; sleeping: Promise<void>; open: () => void } {
  const base = manualClock();
  let onSleep: () => void = () => undefined;
  const sleeping = new Promise<void>((resolve) => (onSleep = resolve));
  const waiters: (() => void)[] = [];
  let isOpen = false;
  const clock: Clock = {
    now: base.now,
    monotonic: base.monotonic,
    sleep: () =>
      new Promise<void>((resolve) => {
        if (isOpen) return resolve();
        waiters.push(resolve);
        onSleep();
      }),
  };
  const open = (): void => {
    isOpen = true;
    waiters.splice(0).forEach((wake) => wake());
  };
  return { clock, sleeping, open };
}

describe('restart', () => {
  /** A bid the restart's price move trades through, and one it leaves resting. */
  async function twoBids(sim: Simulator, timestampMs: number): Promise<SimAccountCredentials> {
    const creds = sim.createAccount();
    for (const [price, clOrdId] of [['99000.00', 'near'], ['97000.00', 'far']] as const) {
      const placed = await postSigned(sim, creds, '/api/new_order', limitOrder('buy', price, '0.0100', { cl_ord_id: clOrdId }), { timestampMs });
      expect(placed.body).toMatchObject({ code: 0 });
    }
    return creds;
  }

  it('drops every socket, answers 503 while down, keeps and matches resting orders, and needs a new login after', async () => {
    const clock = manualClock();
    const sim = await perTest.start({ clock });
    const creds = await twoBids(sim, clock.now());
    const api = await loggedInApi(sim, creds);
    const stream = await privateStream(sim, creds, ['order']);
    perTest.track(api, stream);
    sim.faults.restart(5_000);
    expect((await stream.waitClosed()).code).toBe(1006);
    expect((await api.waitClosed()).code).toBe(1006);
    await expect(TestSocket.open(sim.urls.wsStream)).rejects.toThrow('503');
    expect(await getJson(`${sim.urls.apiBase}/api/health`)).toEqual({ status: 503, body: { code: 503, message: 'service unavailable' } });
    expect((await getJson(`${sim.urls.apiBase}/api/query_open_orders`, creds.accessToken)).status).toBe(503);
    expect((await getJson(`${sim.urls.admin}/stats`)).status).toBe(200);
    // The matching engine never stopped: the market trades through the kept bid during the downtime.
    sim.setPrice('BTC-USD', '98000.00');
    expect(sim.position(creds.address, 'BTC-USD').qty).toBe('0.0100');
    clock.advance(5_000);
    expect((await getJson(`${sim.urls.apiBase}/api/health`)).status).toBe(200);
    const after = await open(sim.urls.wsStream);
    after.send({ subscribe: { channel: 'order' } });
    expect(dataOf(await after.next(isFrame('error')))).toMatchObject({ code: 401 });
    const relogged = await loggedInApi(sim, creds);
    perTest.track(relogged);
    const openOrders = await getJson(`${sim.urls.apiBase}/api/query_open_orders`, creds.accessToken);
    expect((openOrders.body as { result: Frame[] }).result.map((order) => order.cl_ord_id)).toEqual(['far']);
    const positions = await getJson(`${sim.urls.apiBase}/api/query_positions`, creds.accessToken);
    expect(positions.body).toMatchObject([{ qty: '0.0100' }]);
  });

  it('loses the answer of a request that was in flight when the restart began', async () => {
    const gate = gatedClock();
    const sim = await perTest.start({ clock: gate.clock, latencyMs: 50 });
    const inFlight = fetch(`${sim.urls.apiBase}/api/health`);
    await gate.sleeping;
    sim.faults.restart(0);
    gate.open();
    await expect(inFlight).rejects.toThrow();
  });

  it('ends the downtime early on reset', async () => {
    const sim = await perTest.start();
    sim.faults.restart(60_000);
    expect((await getJson(`${sim.urls.apiBase}/api/health`)).status).toBe(503);
    sim.faults.reset();
    expect((await getJson(`${sim.urls.apiBase}/api/health`)).status).toBe(200);
    await open(sim.urls.wsApi);
  });
});

describe('httpErrorsFor', () => {
  it('answers every matching request with the status until the window ends', async () => {
    const clock = manualClock();
    const sim = await perTest.start({ clock });
    const token = sim.createAccount().accessToken;
    const url = `${sim.urls.apiBase}/api/query_open_orders`;
    sim.faults.httpErrorsFor(429, 1_000, '/api/query_open_orders');
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await getJson(url, token)).status).toBe(429);
    expect((await getJson(`${sim.urls.apiBase}/api/health`)).status).toBe(200);
    clock.advance(1_000);
    expect((await getJson(url, token)).status).toBe(200);
  });
});
