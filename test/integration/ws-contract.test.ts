// ws-stream/v1 and ws-api/v1 clients against the simulator over real loopback sockets: subscribe,
// auth, book/mark/order/position pushes, order:new / order:cancel acks, ALO rejection, faults.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Order, Position, SymbolSpec } from '../../src/domain/types.js';
import { AuthError, ExchangeRejectError, OutcomeUnknownError } from '../../src/errors.js';
import { encodeCancel, encodeNewOrder } from '../../src/exchange/standx/codec.js';
import { MarketStream } from '../../src/exchange/standx/market-stream.js';
import { OrderStream, type LateReply } from '../../src/exchange/standx/order-stream.js';
import { createSigner, decodeEd25519Seed } from '../../src/exchange/standx/signing.js';
import { systemClock } from '../../src/ops/clock.js';
import { startSimulator } from '../../src/sim/index.js';
import type { SimAccountCredentials, Simulator } from '../../src/sim/types.js';
import { TEST_SPEC } from '../fixtures/memory-exchange.js';
import { eventually } from './process-harness.js';

// The simulator's BTC-USD rules, as the engine tests use them.
const spec: SymbolSpec = TEST_SPEC;
const tuning = { random: () => 0.5, backoff: { baseMs: 20, maxMs: 200 }, pingIntervalMs: 200, idleTimeoutMs: 2_000 };

function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  return eventually(condition, timeoutMs, what, 10);
}

let sim: Simulator;
let account: SimAccountCredentials;
let market: MarketStream;
let orders: OrderStream;
const seen = { books: 0, marks: 0, orders: [] as Order[], positions: [] as Position[], late: [] as LateReply[], authFailures: [] as Error[] };

function streams(token: string, requestTimeoutMs = 5_000): void {
  market = new MarketStream({ url: sim.urls.wsStream, spec, token: () => token, clock: systemClock, tuning });
  market.on('book', () => (seen.books += 1));
  market.on('mark', () => (seen.marks += 1));
  market.on('order', (o) => seen.orders.push(o));
  market.on('position', (p) => seen.positions.push(p));
  market.on('authFailure', (e) => seen.authFailures.push(e));
  orders = new OrderStream({
    url: sim.urls.wsApi,
    token: () => token,
    signer: createSigner(decodeEd25519Seed(account.ed25519PrivateKey), 'node'),
    clock: systemClock,
    tuning,
    requestTimeoutMs,
  });
  orders.on('lateReply', (r) => seen.late.push(r));
  orders.on('authFailure', (e) => seen.authFailures.push(e));
  market.start();
  orders.start();
}

function bestPrices(): Promise<{ bid: bigint; ask: bigint }> {
  return new Promise((resolve) => market.once('book', (b) => resolve({ bid: b.bids[0]?.priceTicks ?? 0n, ask: b.asks[0]?.priceTicks ?? 0n })));
}

beforeEach(async () => {
  sim = await startSimulator({ seed: 7, pushIntervalMs: 20 });
  account = sim.createAccount({ balance: '1000000' });
  seen.books = 0;
  seen.marks = 0;
  seen.orders = [];
  seen.positions = [];
  seen.late = [];
  seen.authFailures = [];
});

afterEach(async () => {
  market?.close();
  orders?.close();
  await sim.close();
});

describe('ws clients against the simulator', () => {
  it('subscribes and authenticates, then receives books and marks', async () => {
    streams(account.accessToken);
    await until(() => market.isUp() && orders.isReady(), 'both streams up');
    await until(() => seen.books > 3 && seen.marks > 0, 'books and marks');
    expect(market.lastBookAtMs).not.toBeNull();
  });

  it('places and cancels an ALO order with acks and order pushes', async () => {
    streams(account.accessToken);
    await until(() => market.isUp() && orders.isReady(), 'both streams up');
    const { bid } = await bestPrices();
    const clOrdId = 'it-buy-1';
    await orders.newOrder(
      encodeNewOrder({ side: 'buy', type: 'limit', timeInForce: 'alo', qtyLots: 10n, priceTicks: bid - 1_000n, reduceOnly: false, clOrdId }, spec),
    );
    await until(() => seen.orders.some((o) => o.clOrdId === clOrdId && o.state === 'live'), 'live order push');
    const placed = seen.orders.find((o) => o.clOrdId === clOrdId);
    await orders.cancelOrder(encodeCancel({ orderId: placed?.id ?? 0 }));
    await until(() => seen.orders.some((o) => o.clOrdId === clOrdId && o.state === 'canceled'), 'canceled order push');
    expect(sim.openOrders(account.address, 'BTC-USD')).toHaveLength(0);
  });

  it('rejects an ALO order that would cross', async () => {
    streams(account.accessToken);
    await until(() => market.isUp() && orders.isReady(), 'both streams up');
    const { ask } = await bestPrices();
    const params = encodeNewOrder(
      { side: 'buy', type: 'limit', timeInForce: 'alo', qtyLots: 10n, priceTicks: ask + 1_000n, reduceOnly: false, clOrdId: 'it-cross' },
      spec,
    );
    const error = await orders.newOrder(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeRejectError);
    expect((error as ExchangeRejectError).exchangeMessage).toMatch(/alo/i);
    expect(sim.openOrders(account.address, 'BTC-USD')).toHaveLength(0);
  });

  it('reports the second frame of a two-frame reply (accepted, then ALO rejected) as lateReply', async () => {
    streams(account.accessToken);
    await until(() => market.isUp() && orders.isReady(), 'both streams up');
    const { ask } = await bestPrices();
    sim.faults.duplicateReplies(1);
    const params = encodeNewOrder(
      { side: 'buy', type: 'limit', timeInForce: 'alo', qtyLots: 10n, priceTicks: ask + 1_000n, reduceOnly: false, clOrdId: 'it-two' },
      spec,
    );
    await orders.newOrder(params);
    await until(() => seen.late.length === 1, 'late reply');
    expect(seen.late[0]).toMatchObject({ method: 'order:new', params });
    expect(seen.late[0]?.code).not.toBe(0);
    expect(orders.isReady()).toBe(true);
  });

  it('times out a request whose ack is lost with OutcomeUnknownError', async () => {
    streams(account.accessToken, 300);
    await until(() => market.isUp() && orders.isReady(), 'both streams up');
    const { bid } = await bestPrices();
    sim.faults.loseAcks(1);
    const error = await orders
      .newOrder(
        encodeNewOrder(
          { side: 'buy', type: 'limit', timeInForce: 'alo', qtyLots: 10n, priceTicks: bid - 1_000n, reduceOnly: false, clOrdId: 'it-lost' },
          spec,
        ),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    // It did reach the exchange: the outcome is settled by the order channel, not by re-sending.
    await until(() => seen.orders.some((o) => o.clOrdId === 'it-lost'), 'order push of the unacknowledged order');
  });

  it('rotates both streams to new sockets without going down (make before break)', async () => {
    streams(account.accessToken);
    await until(() => market.isUp() && orders.isReady(), 'both streams up');
    const statuses: boolean[] = [];
    market.on('status', (s) => statuses.push(s.up));
    orders.on('status', (s) => statuses.push(s.up));
    const total = sim.stats().connectionsTotal;
    market.reauthenticate();
    orders.reauthenticate();
    await until(() => sim.stats().connectionsTotal === total + 2 && sim.stats().connections === 2, 'rotated sockets');
    const before = seen.books;
    await until(() => seen.books > before + 2, 'books after rotation');
    const { bid } = await bestPrices();
    await orders.newOrder(
      encodeNewOrder({ side: 'buy', type: 'limit', timeInForce: 'alo', qtyLots: 10n, priceTicks: bid - 1_000n, reduceOnly: false, clOrdId: 'it-rot' }, spec),
    );
    await until(() => seen.orders.some((o) => o.clOrdId === 'it-rot'), 'order push after rotation');
    expect(statuses).toEqual([]);
  });

  it('gets a position push after a market order fills', async () => {
    streams(account.accessToken);
    await until(() => market.isUp() && orders.isReady(), 'both streams up');
    await orders.newOrder(
      encodeNewOrder({ side: 'buy', type: 'market', timeInForce: 'ioc', qtyLots: 10n, reduceOnly: false, clOrdId: 'it-mkt' }, spec),
    );
    await until(() => seen.positions.some((p) => p.qtyLots === 10n), 'position push');
  });

  it('reconnects both streams after the server drops them, re-authenticated', async () => {
    streams(account.accessToken);
    await until(() => market.isUp() && orders.isReady(), 'both streams up');
    sim.faults.dropConnections('all');
    await until(() => !orders.isReady(), 'orders down', 2_000).catch(() => undefined);
    await until(() => market.isUp() && orders.isReady(), 'both streams back');
    const before = seen.books;
    await until(() => seen.books > before + 2, 'books after reconnect');
    const { bid } = await bestPrices();
    await orders.newOrder(
      encodeNewOrder({ side: 'buy', type: 'limit', timeInForce: 'alo', qtyLots: 10n, priceTicks: bid - 1_000n, reduceOnly: false, clOrdId: 'it-after' }, spec),
    );
  });

  it('ignores malformed frames and stays up', async () => {
    streams(account.accessToken);
    await until(() => market.isUp() && orders.isReady(), 'both streams up');
    sim.faults.sendMalformedFrame('all', 'invalid-json');
    sim.faults.sendMalformedFrame('all', 'wrong-shape');
    const before = seen.books;
    await until(() => seen.books > before + 2, 'books after malformed frames');
    expect(market.isUp() && orders.isReady()).toBe(true);
  });

  it('reports a refused token as authFailure and stops', async () => {
    streams('not-a-valid-token');
    await until(() => seen.authFailures.length === 2, 'two auth failures');
    expect(seen.authFailures.every((e) => e instanceof AuthError)).toBe(true);
    const total = sim.stats().connectionsTotal;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sim.stats().connectionsTotal).toBe(total);
  });
});
