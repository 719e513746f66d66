import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthError, TransientError } from '../../../../src/errors.js';
import { nullProbe } from '../../../../src/ops/probe.js';
import { seededRandom } from '../../../../src/domain/random.js';
import { WsConnection, type ConnectionState, type WsConnectionOptions } from '../../../../src/exchange/standx/ws-connection.js';
import type { HandshakeChannel } from '../../../../src/exchange/standx/ws-link.js';
import { fakeTimerClock, MockSocketFactory, type MockWebSocket } from '../../../fixtures/mock-websocket.js';

const flush = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0);
};

/** A handshake that sends "hello" and waits for the frame "ok" (like an auth ack). */
async function helloOk(channel: HandshakeChannel): Promise<void> {
  const ok = channel.waitFor((text) => (text === 'ok' ? true : undefined));
  channel.send('hello');
  await ok;
}

interface Harness {
  connection: WsConnection;
  factory: MockSocketFactory;
  createdAtMs: number[];
  messages: string[];
  events: string[];
  states: ConnectionState[];
}

function harness(overrides: Partial<WsConnectionOptions> = {}): Harness {
  const factory = new MockSocketFactory();
  const createdAtMs: number[] = [];
  const connection = new WsConnection({
    name: 'test',
    url: 'wss://example.test/ws',
    clock: fakeTimerClock(),
    socketFactory: (url) => {
      createdAtMs.push(Date.now());
      return factory.create(url);
    },
    handshake: helloOk,
    random: () => 0.5,
    ...overrides,
  });
  const h: Harness = { connection, factory, createdAtMs, messages: [], events: [], states: [] };
  connection.on('message', (data) => h.messages.push(data));
  connection.on('ready', ({ generation, rotated }) => h.events.push(`ready:${generation}:${rotated}`));
  connection.on('down', (reason) => h.events.push(`down:${reason}`));
  connection.on('fatal', (error) => h.events.push(`fatal:${error.name}`));
  connection.on('socketClosed', (generation) => h.events.push(`socketClosed:${generation}`));
  connection.on('state', (state) => h.states.push(state));
  return h;
}

async function openAndAck(socket: MockWebSocket): Promise<void> {
  socket.open();
  await flush();
  socket.deliver('ok');
  await flush();
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('WsConnection state machine', () => {
  it('is ready only after the handshake completes', async () => {
    const h = harness();
    h.connection.start();
    expect(h.connection.state).toBe('connecting');
    h.factory.last.open();
    await flush();
    expect(h.connection.state).toBe('handshaking');
    expect(h.factory.last.sent).toEqual(['hello']);
    expect(() => h.connection.send('x')).toThrow(TransientError);
    h.factory.last.deliver('ok');
    await flush();
    expect(h.connection.state).toBe('ready');
    expect(h.states).toEqual(['connecting', 'handshaking', 'ready']);
    expect(h.events).toEqual(['ready:1:false']);
    expect(h.connection.send('order')).toBe(1);
    expect(h.factory.last.sent).toEqual(['hello', 'order']);
  });

  it('delivers frames that arrived during the first handshake once ready, and not the handshake answer', async () => {
    const h = harness();
    h.connection.start();
    h.factory.last.open();
    await flush();
    h.factory.last.deliver('early-book');
    h.factory.last.deliver('ok');
    await flush();
    expect(h.messages).toEqual(['early-book']);
  });

  it('stops for good on close() and does not reconnect', async () => {
    const h = harness();
    h.connection.start();
    await openAndAck(h.factory.last);
    h.connection.close();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(h.connection.state).toBe('closed');
    expect(h.factory.sockets).toHaveLength(1);
    expect(h.factory.last.closedWith?.code).toBe(1000);
    expect(h.events).toEqual(['ready:1:false', 'socketClosed:1', 'down:closed by client']);
  });
});

describe('WsConnection reconnects', () => {
  it('waits a full-jitter delay that doubles per failed attempt and is capped', async () => {
    const h = harness({ backoff: { baseMs: 100, maxMs: 1_000 }, random: () => 0.999_999 });
    h.connection.start();
    const droppedAtMs: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      droppedAtMs.push(Date.now());
      h.factory.last.drop();
      await vi.advanceTimersByTimeAsync(1_000);
    }
    const gaps = h.createdAtMs.slice(1).map((t, i) => t - (droppedAtMs[i] ?? 0));
    // random() ≈ 1, so each delay sits just under its ceiling: 100·2^attempt, capped at 1 000.
    expect(gaps.slice(0, 4)).toEqual([99, 199, 399, 799]);
    expect(gaps.slice(4)).toEqual([999, 999, 999]);
    expect(h.connection.state).toBe('connecting');
  });

  it('keeps every delay within [0, min(max, base·2^attempt)] with a seeded random source', async () => {
    const h = harness({ backoff: { baseMs: 200, maxMs: 5_000 }, random: seededRandom(42) });
    h.connection.start();
    const failedAtMs: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      failedAtMs.push(Date.now());
      h.factory.last.fail();
      await vi.advanceTimersByTimeAsync(5_000);
    }
    const gaps = h.createdAtMs.slice(1).map((t, i) => t - (failedAtMs[i] ?? 0));
    expect(new Set(gaps).size).toBeGreaterThan(5); // jittered, not fixed
    expect(gaps).toHaveLength(10);
    gaps.forEach((gap, attempt) => {
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThanOrEqual(Math.min(5_000, 200 * 2 ** attempt));
    });
  });

  it('resets the backoff only after the connection stayed ready for stableAfterMs', async () => {
    const h = harness({ backoff: { baseMs: 100, maxMs: 60_000 }, random: () => 0.999_999, stableAfterMs: 5_000 });
    h.connection.start();
    const droppedAtMs: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      await openAndAck(h.factory.last);
      await vi.advanceTimersByTimeAsync(1_000); // ready, but not long enough
      droppedAtMs.push(Date.now());
      h.factory.last.drop();
      await vi.advanceTimersByTimeAsync(10_000);
    }
    await openAndAck(h.factory.last);
    await vi.advanceTimersByTimeAsync(5_000); // stable
    droppedAtMs.push(Date.now());
    h.factory.last.drop();
    await vi.advanceTimersByTimeAsync(10_000);
    const gaps = h.createdAtMs.slice(1).map((t, i) => t - (droppedAtMs[i] ?? 0));
    expect(gaps).toEqual([99, 199, 399, 99]);
  });

  it('emits down with the reason when a ready socket drops, then comes back ready', async () => {
    const h = harness();
    h.connection.start();
    await openAndAck(h.factory.last);
    h.factory.last.drop(1006, 'abnormal');
    await flush();
    expect(h.connection.state).toBe('backoff');
    expect(h.events).toContain('down:closed (1006 abnormal)');
    await vi.advanceTimersByTimeAsync(1_000);
    await openAndAck(h.factory.last);
    expect(h.connection.state).toBe('ready');
    expect(h.events.filter((e) => e.startsWith('ready'))).toEqual(['ready:1:false', 'ready:2:false']);
  });

  it.each([
    [1000, 'normal closure', 0],
    [1001, 'going away', 0],
    [1012, 'service restart', 0],
    [1008, 'policy violation', 0],
    [1006, 'abnormal closure', 250],
    [1011, 'internal error', 250],
    [4321, 'an unknown code', 250],
  ] as const)('after a close with %i (%s) reconnects in %i ms', async (code, _what, delayMs) => {
    const h = harness({ backoff: { baseMs: 500, maxMs: 10_000 } });
    h.connection.start();
    await openAndAck(h.factory.last);
    const droppedAtMs = Date.now();
    h.factory.last.drop(code, '');
    await vi.advanceTimersByTimeAsync(1_000);
    expect((h.createdAtMs[1] ?? Number.NaN) - droppedAtMs).toBe(delayMs);
  });

  it('backs off when orderly closes repeat before the connection was stable again', async () => {
    const h = harness({ backoff: { baseMs: 500, maxMs: 10_000 } });
    h.connection.start();
    await openAndAck(h.factory.last);
    h.factory.last.drop(1001, 'going away');
    await flush();
    await openAndAck(h.factory.last);
    const droppedAtMs = Date.now();
    h.factory.last.drop(1001, 'going away');
    await vi.advanceTimersByTimeAsync(2_000);
    expect((h.createdAtMs[2] ?? Number.NaN) - droppedAtMs).toBe(500);
  });

  it('tells the probe when it comes up, goes down and comes back', async () => {
    const seen: string[] = [];
    const h = harness({ probe: { ...nullProbe, connection: (name, event, reason) => seen.push(`${name}:${event}${reason ? `:${reason}` : ''}`) } });
    h.connection.start();
    await openAndAck(h.factory.last);
    h.factory.last.drop(1006, '');
    await vi.advanceTimersByTimeAsync(1_000);
    await openAndAck(h.factory.last);
    expect(seen).toEqual(['test:ready', 'test:down:closed (1006 )', 'test:ready']);
  });

  it('gives up on a handshake that never completes after connectTimeoutMs and retries', async () => {
    const h = harness({ connectTimeoutMs: 10_000 });
    h.connection.start();
    h.factory.last.open();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(h.factory.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.factory.at(0).terminated).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.factory.sockets).toHaveLength(2);
  });

  it('stops reconnecting and emits fatal when the handshake is refused with an AuthError', async () => {
    const h = harness({
      handshake: async (channel) => {
        const answer = channel.waitFor((text) => {
          if (text === 'refused') throw new AuthError('token refused');
          return undefined;
        });
        channel.send('auth');
        await answer;
      },
    });
    h.connection.start();
    h.factory.last.open();
    await flush();
    h.factory.last.deliver('refused');
    await vi.advanceTimersByTimeAsync(600_000);
    expect(h.factory.sockets).toHaveLength(1);
    expect(h.connection.state).toBe('closed');
    expect(h.events).toEqual(['socketClosed:1', 'fatal:AuthError']);
  });

  it('retries a handshake that fails with a non-fatal error', async () => {
    let calls = 0;
    const h = harness({
      handshake: async () => {
        calls += 1;
        if (calls === 1) throw new TransientError('busy');
      },
    });
    h.connection.start();
    h.factory.last.open();
    await vi.advanceTimersByTimeAsync(1_000);
    h.factory.last.open();
    await flush();
    expect(h.connection.state).toBe('ready');
    expect(h.factory.sockets).toHaveLength(2);
  });
});

describe('WsConnection liveness', () => {
  it('pings every pingIntervalMs and terminates a half-open socket after idleTimeoutMs of silence', async () => {
    const h = harness({ pingIntervalMs: 15_000, idleTimeoutMs: 45_000 });
    h.connection.start();
    await openAndAck(h.factory.last);
    const socket = h.factory.last;
    await vi.advanceTimersByTimeAsync(44_999);
    expect(socket.pingsSent).toBe(2);
    expect(socket.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.terminated).toBe(true);
    expect(h.events.some((e) => e.startsWith('down:no inbound frame for 45000 ms'))).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.factory.sockets).toHaveLength(2);
  });

  it('counts any inbound frame, server ping or pong as life', async () => {
    const h = harness({ pingIntervalMs: 15_000, idleTimeoutMs: 45_000 });
    h.connection.start();
    await openAndAck(h.factory.last);
    const socket = h.factory.last;
    for (let i = 0; i < 10; i += 1) {
      await vi.advanceTimersByTimeAsync(30_000);
      if (i % 3 === 0) socket.deliver('data');
      else if (i % 3 === 1) socket.serverPing();
      else socket.serverPong();
    }
    expect(socket.terminated).toBe(false);
    expect(h.factory.sockets).toHaveLength(1);
  });

  it('readies a replacement beside a socket silent past suspectAfterMs, then switches without going down', async () => {
    const h = harness({ pingIntervalMs: 1_000, suspectAfterMs: 2_000, idleTimeoutMs: 6_000 });
    h.connection.start();
    await openAndAck(h.factory.last);
    const silent = h.factory.last;
    await vi.advanceTimersByTimeAsync(1_999);
    expect(h.factory.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.factory.sockets).toHaveLength(2);
    expect(silent.isClosed).toBe(false);
    await openAndAck(h.factory.last);
    expect(silent.isClosed).toBe(true);
    expect(h.events).toEqual(['ready:1:false', 'ready:2:true', 'socketClosed:1']);
  });

  it('keeps the replacement as the reconnect when the silent socket dies before it is ready', async () => {
    const h = harness({ pingIntervalMs: 1_000, suspectAfterMs: 2_000, idleTimeoutMs: 6_000 });
    h.connection.start();
    await openAndAck(h.factory.last);
    const silent = h.factory.last;
    await vi.advanceTimersByTimeAsync(6_000);
    expect(silent.terminated).toBe(true);
    expect(h.factory.sockets).toHaveLength(2);
    expect(h.events.filter((e) => e.startsWith('down'))).toEqual(['down:no inbound frame for 6000 ms']);
    await openAndAck(h.factory.at(1));
    expect(h.connection.state).toBe('ready');
    expect(h.events.filter((e) => e.startsWith('ready'))).toEqual(['ready:1:false', 'ready:2:false']);
    expect(h.factory.sockets).toHaveLength(2);
  });

  it('never suspects a socket that keeps answering its pings', async () => {
    const h = harness({ pingIntervalMs: 1_000, suspectAfterMs: 2_000, idleTimeoutMs: 6_000 });
    h.connection.start();
    await openAndAck(h.factory.last);
    const socket = h.factory.last;
    for (let second = 0; second < 30; second += 1) {
      await vi.advanceTimersByTimeAsync(1_000);
      socket.serverPong();
    }
    expect(h.factory.sockets).toHaveLength(1);
    expect(socket.pingsSent).toBe(30);
  });

  it('answers every server ping with a pong carrying the same payload', async () => {
    const h = harness();
    h.connection.start();
    await openAndAck(h.factory.last);
    h.factory.last.serverPing('abc');
    h.factory.last.serverPing('def');
    expect(h.factory.last.pongsSent.map((b) => b.toString())).toEqual(['abc', 'def']);
  });
});

describe('WsConnection rotation', () => {
  /** The server pushes the same numbered stream to every open socket. */
  function broadcast(h: Harness, n: number): void {
    for (const socket of h.factory.sockets) if (!socket.isClosed && socket.readyState === 1) socket.deliver(`m${n}`);
  }

  it('makes before break: the new socket is ready before the old one closes, no message lost or duplicated', async () => {
    const h = harness();
    h.connection.start();
    await openAndAck(h.factory.at(0));
    broadcast(h, 1);
    broadcast(h, 2);
    h.connection.rotate();
    expect(h.factory.sockets).toHaveLength(2);
    const [oldSocket, newSocket] = [h.factory.at(0), h.factory.at(1)];
    newSocket.open();
    await flush();
    expect(newSocket.sent).toEqual(['hello']);
    broadcast(h, 3); // both sockets have it; only the old one's copy counts
    broadcast(h, 4);
    expect(oldSocket.isClosed).toBe(false);
    expect(h.connection.state).toBe('ready');
    newSocket.deliver('ok');
    await flush();
    expect(oldSocket.isClosed).toBe(true);
    expect(oldSocket.closedWith?.code).toBe(1000);
    broadcast(h, 5);
    broadcast(h, 6);
    expect(h.messages).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(h.events).toEqual(['ready:1:false', 'ready:2:true', 'socketClosed:1']);
    expect(h.states).toEqual(['connecting', 'handshaking', 'ready']);
    expect(h.connection.send('x')).toBe(2);
  });

  it('rotates before the 24 h limit (maxAgeMs)', async () => {
    const maxAgeMs = (23 * 60 + 50) * 60_000;
    const h = harness({ idleTimeoutMs: 48 * 3_600_000, maxAgeMs });
    h.connection.start();
    await openAndAck(h.factory.at(0));
    await vi.advanceTimersByTimeAsync(maxAgeMs - 1);
    expect(h.factory.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.factory.sockets).toHaveLength(2);
    await openAndAck(h.factory.at(1));
    expect(h.factory.at(0).isClosed).toBe(true);
    expect(h.events).toEqual(['ready:1:false', 'ready:2:true', 'socketClosed:1']);
    expect(h.events.some((e) => e.startsWith('down'))).toBe(false);
  });

  it('keeps the current socket when the rotation candidate fails, and tries again', async () => {
    const h = harness();
    h.connection.start();
    await openAndAck(h.factory.at(0));
    h.connection.rotate();
    h.factory.at(1).fail();
    await flush();
    expect(h.connection.state).toBe('ready');
    expect(h.factory.at(0).isClosed).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.factory.sockets).toHaveLength(3);
    await openAndAck(h.factory.at(2));
    expect(h.factory.at(0).isClosed).toBe(true);
    expect(h.connection.activeGeneration).toBe(3);
  });

  it('keeps a retiring socket attached until drain resolves', async () => {
    let release: () => void = () => undefined;
    const h = harness({ drain: () => new Promise<void>((resolve) => (release = resolve)) });
    h.connection.start();
    await openAndAck(h.factory.at(0));
    h.connection.rotate();
    await openAndAck(h.factory.at(1));
    h.factory.at(0).deliver('late-reply');
    expect(h.messages).toEqual(['late-reply']);
    expect(h.factory.at(0).isClosed).toBe(false);
    release();
    await flush();
    expect(h.factory.at(0).isClosed).toBe(true);
  });
});
