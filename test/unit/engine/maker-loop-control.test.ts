import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseBps } from '../../../src/domain/bps.js';
import type { Order } from '../../../src/domain/types.js';
import { ClientIds } from '../../../src/engine/client-ids.js';
import { MakerLoop } from '../../../src/engine/maker-loop.js';
import type { MakerQuoting, MakerTiming } from '../../../src/engine/maker-options.js';
import type { HaltReason, OtherRunOrderObservation } from '../../../src/engine/observations.js';
import { systemClock, type Clock } from '../../../src/ops/clock.js';
import { MemoryExchange } from '../../fixtures/memory-exchange.js';

const clock: Clock = { now: () => Date.now(), monotonic: () => Date.now(), sleep: systemClock.sleep };
const TIMING: MakerTiming = {
  marketStaleMs: 3_000,
  freshMidTimeoutMs: 2_000,
  markStaleMs: 10_000,
  reconcileIntervalMs: 30_000,
  settleMs: 5_000,
  restLagMs: 20_000,
  flattenRetryMs: 1_000,
  pauseBaseMs: 5_000,
  pauseMaxMs: 60_000,
  watchdogIntervalMs: 250,
  minQuoteRestMs: 0,
  orderBudget: { perSecond: 20, perMinute: 1_200 },
};
const MID = 10_000_000n;
const PAUSED: HaltReason = { kind: 'paused', detail: 'paused by the operator' };

function quoting(overrides: Partial<MakerQuoting> = {}): MakerQuoting {
  return {
    qtyLots: 50n,
    band: { targetBps: parseBps('7.5'), minBps: parseBps('7'), maxBps: parseBps('10'), markBandBps: null, priority: 'mid', markPriorityMinBps: parseBps('5') },
    policy: 'overlap',
    midMethod: { kind: 'simple' },
    checkIntervalMs: 0,
    ...overrides,
  };
}

let exchange: MemoryExchange;
let loop: MakerLoop;
let ids: ClientIds;

async function flush(ms = 1): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

async function startQuoting(): Promise<void> {
  ids = new ClientIds('smm', clock.now());
  loop = new MakerLoop({ exchange, clock, logger: pino({ level: 'silent' }), ids, quoting: quoting(), timing: TIMING });
  await loop.start();
  exchange.pushBook(MID - 10n, MID + 10n);
  await flush();
}

function otherRunOrder(clOrdId: string, overrides: Partial<Order> = {}): Order {
  return {
    id: 900,
    clOrdId,
    symbol: 'BTC-USD',
    side: 'buy',
    type: 'limit',
    timeInForce: 'alo',
    priceTicks: 9_990_000n,
    qtyLots: 50n,
    filledLots: 0n,
    reduceOnly: false,
    state: 'live',
    rawStatus: 'open',
    ...overrides,
  };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'Date'] });
  vi.setSystemTime(new Date('2026-11-24T00:00:00Z'));
  exchange = new MemoryExchange(() => Date.now());
});

afterEach(() => {
  loop?.detach();
  vi.useRealTimers();
});

describe('MakerLoop halt and resume', () => {
  it('halt cancels both quotes, places nothing on new mids, and reports why', async () => {
    await startQuoting();
    const halted: HaltReason[] = [];
    loop.on('halted', (reason) => halted.push(reason));
    loop.halt(PAUSED);
    await flush();
    exchange.pushBook(MID + 5_000n - 10n, MID + 5_000n + 10n);
    await flush();
    expect(exchange.open.size).toBe(0);
    expect(exchange.placed).toHaveLength(2);
    expect(loop.snapshot().halt).toEqual(PAUSED);
    expect(halted).toEqual([PAUSED]);
  });

  it('keeps flattening a fill while halted', async () => {
    await startQuoting();
    loop.halt(PAUSED);
    exchange.setPosition(50n);
    await flush();
    const flatten = exchange.placed.find((request) => request.reduceOnly);
    expect(flatten).toMatchObject({ side: 'sell', type: 'market', qtyLots: 50n });
  });

  it('resume quotes again and returns the reason it was halted for', async () => {
    await startQuoting();
    loop.halt(PAUSED);
    await flush();
    expect(loop.resume()).toEqual(PAUSED);
    exchange.pushBook(MID - 10n, MID + 10n);
    await flush();
    expect(exchange.open.size).toBe(2);
    expect(loop.snapshot().halt).toBeNull();
    expect(loop.resume()).toBeNull();
  });

  it('keeps the first halt reason until a resume', async () => {
    await startQuoting();
    loop.halt(PAUSED);
    loop.halt({ kind: 'dailyLoss', detail: 'x' });
    expect(loop.snapshot().halt?.kind).toBe('paused');
  });
});

describe('MakerLoop.updateQuoting', () => {
  it('keeps resting quotes that the new band still admits', async () => {
    await startQuoting();
    loop.updateQuoting(quoting({ band: { targetBps: parseBps('8'), minBps: parseBps('6'), maxBps: parseBps('12'), markBandBps: null, priority: 'mid', markPriorityMinBps: parseBps('5') } }));
    exchange.pushBook(MID - 10n, MID + 10n);
    await flush();
    expect(exchange.placed).toHaveLength(2);
    expect(exchange.cancels).toHaveLength(0);
  });

  it('replaces quotes the new band leaves out, at the new target', async () => {
    await startQuoting();
    loop.updateQuoting(quoting({ band: { targetBps: parseBps('20'), minBps: parseBps('15'), maxBps: parseBps('25'), markBandBps: null, priority: 'mid', markPriorityMinBps: parseBps('5') } }));
    exchange.pushBook(MID - 10n, MID + 10n);
    await flush(10);
    expect(exchange.openOf('buy').map((order) => order.priceTicks)).toEqual([9_980_000n]);
    expect(exchange.openOf('sell').map((order) => order.priceTicks)).toEqual([10_020_000n]);
  });

  it('replaces quotes of the old size when the size changes', async () => {
    await startQuoting();
    loop.updateQuoting(quoting({ qtyLots: 70n }));
    exchange.pushBook(MID - 10n, MID + 10n);
    await flush(10);
    expect([...exchange.open.values()].map((order) => order.qtyLots)).toEqual([70n, 70n]);
  });
});

describe('orders of another run of this account', () => {
  it('reports a later run\'s order pushed on the order channel and does not adopt or cancel it', async () => {
    await startQuoting();
    const seen: OtherRunOrderObservation[] = [];
    loop.on('otherRunOrder', (observation) => seen.push(observation));
    const later = `smm-b-${(ids.startedAtMs + 5_000).toString(36)}-1`;
    exchange.emit('order', otherRunOrder(later));
    await flush();
    expect(seen.map((observation) => [observation.order.clOrdId, observation.via])).toEqual([[later, 'stream']]);
    expect(loop.snapshot().orders.map((order) => order.clOrdId)).not.toContain(later);
    expect(exchange.cancels).toEqual([]);
  });

  it('cancels an earlier run\'s leftover found by the start-up read, once', async () => {
    const earlier = `smm-a-${(Date.now() - 60_000).toString(36)}-7`;
    const leftover = exchange.addExternal({ ...otherRunOrder(earlier), side: 'sell', priceTicks: 10_100_000n });
    await startQuoting();
    await loop.reconcile();
    expect(exchange.open.has(leftover.id)).toBe(false);
    expect(exchange.cancels.filter((ref) => 'orderId' in ref && ref.orderId === leftover.id)).toHaveLength(1);
  });

  it('cancels no other run\'s order while halted', async () => {
    const earlier = `smm-a-${(Date.now() - 60_000).toString(36)}-7`;
    await startQuoting();
    loop.halt({ kind: 'secondQuoter', detail: 'test' });
    const leftover = exchange.addExternal({ ...otherRunOrder(earlier), side: 'sell', priceTicks: 10_100_000n });
    await loop.reconcile();
    expect(exchange.open.has(leftover.id)).toBe(true);
  });
});
