import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Book, MarkPrice, Order, Position, SymbolSpec } from '../../../../src/domain/types.js';
import { AuthError } from '../../../../src/errors.js';
import type { StreamStatus } from '../../../../src/exchange/exchange.js';
import { MarketStream, type StreamBalance } from '../../../../src/exchange/standx/market-stream.js';
import { silentLog, type Log } from '../../../../src/ops/log.js';
import { nullProbe, type Probe } from '../../../../src/ops/probe.js';
import { fakeTimerClock, MockSocketFactory, type MockWebSocket } from '../../../fixtures/mock-websocket.js';

const flush = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0);
};

const spec: SymbolSpec = {
  symbol: 'BTC-USD',
  priceDecimals: 2,
  qtyDecimals: 3,
  minOrderLots: 1n,
  maxOrderLots: 100_000n,
  maxOpenOrders: 100,
  enabled: true,
};

const depth = (bids: [string, string][], asks: [string, string][], symbol = 'BTC-USD'): object => ({
  seq: 7,
  channel: 'depth_book',
  symbol,
  data: { asks, bids, symbol },
});
const authOk = { seq: 1, channel: 'auth', data: { code: 200, msg: 'success' } };
const orderPush = {
  seq: 9,
  channel: 'order',
  data: {
    id: 2547027,
    cl_ord_id: 'abc',
    symbol: 'BTC-USD',
    side: 'buy',
    order_type: 'limit',
    time_in_force: 'alo',
    price: '121000.00',
    qty: '0.010',
    fill_qty: '0',
    status: 'open',
    reduce_only: false,
  },
};

interface Harness {
  stream: MarketStream;
  factory: MockSocketFactory;
  books: Book[];
  marks: MarkPrice[];
  orders: Order[];
  positions: Position[];
  balances: StreamBalance[];
  statuses: StreamStatus[];
  authFailures: Error[];
  debugLines: string[];
  token: { value: string | null };
}

function harness(initialToken: string | null = 'jwt-1', probe: Probe = nullProbe): Harness {
  const factory = new MockSocketFactory();
  const token = { value: initialToken };
  const debugLines: string[] = [];
  const logger: Log = { ...silentLog, debug: (data: object | string, message?: string) => debugLines.push(message ?? String(data)) };
  const stream = new MarketStream({
    url: 'wss://perps.standx.com/ws-stream/v1',
    spec,
    token: () => token.value,
    clock: fakeTimerClock(),
    logger,
    probe,
    tuning: { socketFactory: factory.create, random: () => 0.5 },
  });
  const h: Harness = {
    stream,
    factory,
    books: [],
    marks: [],
    orders: [],
    positions: [],
    balances: [],
    statuses: [],
    authFailures: [],
    debugLines,
    token,
  };
  stream.on('book', (b) => h.books.push(b));
  stream.on('mark', (m) => h.marks.push(m));
  stream.on('order', (o) => h.orders.push(o));
  stream.on('position', (p) => h.positions.push(p));
  stream.on('balance', (b) => h.balances.push(b));
  stream.on('status', (s) => h.statuses.push(s));
  stream.on('authFailure', (e) => h.authFailures.push(e));
  return h;
}

async function connect(h: Harness, socket: MockWebSocket = h.factory.last): Promise<void> {
  socket.open();
  await flush();
  if (h.token.value !== null) socket.deliver(authOk);
  await flush();
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('MarketStream handshake', () => {
  it('subscribes depth_book and price at once, authenticates, and is up only after the auth answer', async () => {
    const h = harness('jwt-1');
    h.stream.start();
    const socket = h.factory.last;
    socket.open();
    await flush();
    expect(socket.sentJson()).toEqual([
      { subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } },
      { subscribe: { channel: 'price', symbol: 'BTC-USD' } },
      { auth: { token: 'jwt-1', streams: [{ channel: 'order' }, { channel: 'position' }, { channel: 'balance' }] } },
    ]);
    expect(h.stream.isUp()).toBe(false);
    expect(h.statuses).toEqual([]);
    socket.deliver(authOk);
    await flush();
    expect(h.stream.isUp()).toBe(true);
    expect(h.statuses).toEqual([
      { stream: 'market', up: true },
      { stream: 'account', up: true },
    ]);
    // Explicit private subscribes follow the ack (protocol §5: EB does both, RIT waits).
    expect(socket.sentJson().slice(3)).toEqual([
      { subscribe: { channel: 'order' } },
      { subscribe: { channel: 'position' } },
      { subscribe: { channel: 'balance' } },
    ]);
  });

  it('accepts code 0 as a successful auth answer', async () => {
    const h = harness('jwt-1');
    h.stream.start();
    h.factory.last.open();
    await flush();
    h.factory.last.deliver({ seq: 1, channel: 'auth', data: { code: 0, msg: 'ok' } });
    await flush();
    expect(h.stream.isUp()).toBe(true);
  });

  it('uses public channels only without a token and is up at once', async () => {
    const h = harness(null);
    h.stream.start();
    h.factory.last.open();
    await flush();
    expect(h.factory.last.sentJson()).toHaveLength(2);
    expect(h.stream.isUp()).toBe(true);
    expect(h.statuses).toEqual([{ stream: 'market', up: true }]);
  });

  it('emits authFailure on a refused auth and does not reconnect', async () => {
    const h = harness('expired');
    h.stream.start();
    h.factory.last.open();
    await flush();
    h.factory.last.deliver({ seq: 1, channel: 'auth', data: { code: 401, msg: 'invalid token' } });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(h.authFailures).toHaveLength(1);
    expect(h.authFailures[0]).toBeInstanceOf(AuthError);
    expect(h.factory.sockets).toHaveLength(1);
    expect(h.stream.isUp()).toBe(false);
  });

  it('retries rather than gives up when auth answers a server error', async () => {
    const h = harness('jwt-1');
    h.stream.start();
    h.factory.last.open();
    await flush();
    h.factory.last.deliver({ seq: 1, channel: 'auth', data: { code: 503, msg: 'unavailable' } });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.authFailures).toHaveLength(0);
    expect(h.factory.sockets).toHaveLength(2);
  });

  it('replays the subscriptions and auth with the current token after a reconnect', async () => {
    const h = harness('jwt-1');
    h.stream.start();
    await connect(h);
    h.factory.last.drop();
    await flush();
    expect(h.statuses.slice(2)).toEqual([
      { stream: 'market', up: false, reason: 'closed (1006 )' },
      { stream: 'account', up: false, reason: 'closed (1006 )' },
    ]);
    h.token.value = 'jwt-2';
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.factory.sockets).toHaveLength(2);
    await connect(h);
    const frames = h.factory.last.sentJson();
    expect(frames.slice(0, 2)).toEqual(h.factory.at(0).sentJson().slice(0, 2));
    expect(frames[2]).toMatchObject({ auth: { token: 'jwt-2' } });
    expect(frames).toHaveLength(6);
    expect(h.statuses.slice(4)).toEqual([
      { stream: 'market', up: true },
      { stream: 'account', up: true },
    ]);
  });
});

describe('MarketStream pushes', () => {
  it('emits a sorted book from an unsorted depth push and records lastBookAtMs', async () => {
    const h = harness(null);
    h.stream.start();
    await connect(h);
    expect(h.stream.lastBookAtMs).toBeNull();
    h.factory.last.deliver(
      depth(
        [['121884.22', '0.001'], ['121890.00', '0.500'], ['121800.10', '1.000']],
        [['121900.50', '0.200'], ['121896.02', '0.839']],
      ),
    );
    expect(h.books).toHaveLength(1);
    const book = h.books[0];
    expect(book?.bids.map((l) => l.priceTicks)).toEqual([12189000n, 12188422n, 12180010n]);
    expect(book?.asks.map((l) => l.priceTicks)).toEqual([12189602n, 12190050n]);
    expect(h.stream.lastBookAtMs).toBe(Date.now());
  });

  it('drops crossed books, counts them and logs at debug', async () => {
    const h = harness(null);
    h.stream.start();
    await connect(h);
    h.factory.last.deliver(depth([['100.00', '1']], [['99.00', '1']]));
    expect(h.books).toHaveLength(0);
    expect(h.stream.lastBookAtMs).toBeNull();
    expect(h.stream.stats.droppedBooks).toBe(1);
    expect(h.debugLines).toContain('crossed or one-sided book dropped');
  });

  it('emits mark, order, position and balance pushes and ignores other symbols', async () => {
    const h = harness('jwt-1');
    h.stream.start();
    await connect(h);
    const socket = h.factory.last;
    socket.deliver({ seq: 2, channel: 'price', symbol: 'BTC-USD', data: { symbol: 'BTC-USD', mark_price: '121000.5', index_price: '121001' } });
    socket.deliver(orderPush);
    socket.deliver({ seq: 3, channel: 'position', data: { symbol: 'BTC-USD', qty: '-0.010', entry_price: '121000.00' } });
    socket.deliver({ seq: 4, channel: 'balance', data: { token: 'DUSD', free: '100', total: '120' } });
    socket.deliver(depth([['1.00', '1']], [['2.00', '1']], 'ETH-USD'));
    socket.deliver({ ...orderPush, data: { ...orderPush.data, symbol: 'ETH-USD' } });
    expect(h.marks).toEqual([{ symbol: 'BTC-USD', mark: { num: 12100050n, den: 1n }, receivedAtMs: Date.now() }]);
    expect(h.orders).toHaveLength(1);
    expect(h.orders[0]).toMatchObject({ id: 2547027, side: 'buy', priceTicks: 12100000n, qtyLots: 10n, state: 'live' });
    expect(h.positions).toEqual([{ symbol: 'BTC-USD', qtyLots: -10n, entryPrice: '121000.00', realizedPnl: '0' }]);
    expect(h.balances).toEqual([{ token: 'DUSD', free: '100', total: '120' }]);
    expect(h.books).toHaveLength(0);
    expect(h.stream.stats.ignoredFrames).toBe(2);
  });

  it('reads several JSON objects in one frame and an array `data`', async () => {
    const h = harness('jwt-1');
    h.stream.start();
    await connect(h);
    const book = JSON.stringify(depth([['10.00', '1']], [['11.00', '1']]));
    const orders = JSON.stringify({ ...orderPush, data: [orderPush.data, { ...orderPush.data, id: 2 }] });
    h.factory.last.deliver(`${book}\n${orders}`);
    expect(h.books).toHaveLength(1);
    expect(h.orders.map((o) => o.id)).toEqual([2547027, 2]);
  });

  it('ignores malformed and unknown frames without throwing, and keeps going', async () => {
    const h = harness(null);
    h.stream.start();
    await connect(h);
    const socket = h.factory.last;
    expect(() => {
      socket.deliver('not json at all');
      socket.deliver('{"channel":"depth_book","data":{"bids":"oops"}}');
      socket.deliver('{"hello":"world"}');
      socket.deliver({ seq: 5, channel: 'public_trade', data: {} });
      socket.deliver({ seq: 6, channel: 'depth_book', data: { symbol: 'BTC-USD', bids: [['abc', '1']], asks: [] } });
      socket.deliver('{"channel":"price","data":{"symbol":"BTC-USD"}}{"trailing":');
    }).not.toThrow();
    socket.deliver(depth([['10.00', '1']], [['11.00', '1']]));
    expect(h.books).toHaveLength(1);
    expect(h.stream.stats.malformedFrames).toBeGreaterThanOrEqual(3);
    expect(h.debugLines).toContain('ws-stream malformed frame ignored');
    expect(h.debugLines).toContain('ws-stream unknown frame ignored');
  });

  it('tells the probe a depth frame is being handled while its book listeners run, from its arrival', async () => {
    const seen: string[] = [];
    const probe = { ...nullProbe, depthFrameIn: (atMs: number) => seen.push(`in:${atMs}`), depthFrameDone: () => seen.push('done') };
    const h = harness(null, probe);
    h.stream.start();
    await connect(h);
    h.stream.on('book', () => seen.push('book'));
    h.factory.last.deliver({ seq: 1, channel: 'price', data: { symbol: 'BTC-USD', mark_price: '10.50', time: '2026-01-01T00:00:00Z' } });
    h.factory.last.deliver(depth([['10.00', '1']], [['11.00', '1']]));
    expect(seen).toEqual([`in:${Date.now()}`, 'book', 'done']);
  });

  it('keeps delivering after a listener throws', async () => {
    const h = harness(null);
    h.stream.start();
    await connect(h);
    let calls = 0;
    h.stream.on('book', () => {
      calls += 1;
      throw new Error('listener bug');
    });
    h.factory.last.deliver(depth([['10.00', '1']], [['11.00', '1']]));
    h.factory.last.deliver(depth([['10.00', '1']], [['11.00', '1']]));
    expect(calls).toBe(2);
    expect(h.books).toHaveLength(2);
  });
});

describe('MarketStream reauthenticate', () => {
  it('rotates to a socket authenticated with the current token without going down or losing books', async () => {
    const h = harness('jwt-1');
    h.stream.start();
    await connect(h);
    const oldSocket = h.factory.at(0);
    oldSocket.deliver(depth([['10.00', '1']], [['11.00', '1']]));
    h.token.value = 'jwt-2';
    h.stream.reauthenticate();
    const newSocket = h.factory.at(1);
    newSocket.open();
    await flush();
    expect(newSocket.sentJson()[2]).toMatchObject({ auth: { token: 'jwt-2' } });
    oldSocket.deliver(depth([['10.00', '2']], [['11.00', '1']]));
    newSocket.deliver(depth([['10.00', '2']], [['11.00', '1']])); // same push on the new socket: not doubled
    expect(oldSocket.isClosed).toBe(false);
    newSocket.deliver(authOk);
    await flush();
    expect(oldSocket.isClosed).toBe(true);
    newSocket.deliver(depth([['10.00', '3']], [['11.00', '1']]));
    expect(h.books.map((b) => b.bids[0]?.qtyLots)).toEqual([1000n, 2000n, 3000n]);
    expect(h.statuses).toEqual([
      { stream: 'market', up: true },
      { stream: 'account', up: true },
    ]);
    expect(h.stream.isUp()).toBe(true);
  });
});
