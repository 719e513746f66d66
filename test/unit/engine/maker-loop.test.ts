import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientIds } from '../../../src/engine/client-ids.js';
import { cancelAllAndConfirm, flattenAndConfirm } from '../../../src/engine/cleanup.js';
import { MakerLoop } from '../../../src/engine/maker-loop.js';
import type { MakerQuoting, MakerTiming } from '../../../src/engine/maker-options.js';
import { parseBps } from '../../../src/domain/bps.js';
import type { RequotePolicy } from '../../../src/engine/plan.js';
import { systemClock, type Clock } from '../../../src/ops/clock.js';
import { MemoryExchange, TEST_SPEC } from '../../fixtures/memory-exchange.js';

const clock: Clock = { now: () => Date.now(), monotonic: () => Date.now(), sleep: systemClock.sleep };
const logger = pino({ level: 'silent' });

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

// Mid 100000.00 = 10_000_000 ticks; 1 bps = 1_000 ticks.
const MID = 10_000_000n;
const TARGET_BID = 9_992_500n;
const TARGET_ASK = 10_007_500n;

function quoting(policy: RequotePolicy): MakerQuoting {
  return {
    qtyLots: 50n,
    band: { targetBps: parseBps('7.5'), minBps: parseBps('7'), maxBps: parseBps('10'), markBandBps: null, priority: 'mid', markPriorityMinBps: parseBps('5') },
    policy,
    midMethod: { kind: 'simple' },
    checkIntervalMs: 0,
  };
}

let exchange: MemoryExchange;
let loop: MakerLoop;

async function flush(ms = 1): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

async function startLoop(policy: RequotePolicy = 'overlap', timing: Partial<MakerTiming> = {}, band: Partial<MakerQuoting['band']> = {}): Promise<void> {
  const base = quoting(policy);
  const ids = new ClientIds('smm', clock.now());
  loop = new MakerLoop({ exchange, clock, logger, ids, quoting: { ...base, band: { ...base.band, ...band } }, timing: { ...TIMING, ...timing } });
  await loop.start();
}

/** A book whose simple mid is `mid` ticks. */
function pushMid(mid: bigint): void {
  exchange.pushBook(mid - 10n, mid + 10n);
}

function restingPrices(): { bids: bigint[]; asks: bigint[] } {
  const prices = (side: 'buy' | 'sell'): bigint[] => exchange.openOf(side).map((order) => order.priceTicks ?? 0n);
  return { bids: prices('buy'), asks: prices('sell') };
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

describe('MakerLoop quoting', () => {
  it('places one bid and one ask at target_bps on the first fresh mid', async () => {
    await startLoop();
    pushMid(MID);
    await flush();
    expect(restingPrices()).toEqual({ bids: [TARGET_BID], asks: [TARGET_ASK] });
    expect(exchange.placed.every((request) => request.timeInForce === 'alo' && !request.reduceOnly)).toBe(true);
    expect(exchange.placed.map((request) => request.clOrdId.startsWith('smm-'))).toEqual([true, true]);
  });

  it('leaves in-band quotes alone when the mid moves a little', async () => {
    await startLoop();
    pushMid(MID);
    await flush();
    pushMid(MID + 200n);
    pushMid(MID - 200n);
    await flush();
    expect(exchange.placed).toHaveLength(2);
    expect(exchange.cancels).toHaveLength(0);
  });

  it('overlap: places the replacement first and cancels the old ask once the new one rests', async () => {
    await startLoop('overlap');
    pushMid(MID);
    await flush();
    // Mid up 1 bps: the ask is now 6.5 bps away (below min), the bid 8.5 bps (in band).
    pushMid(MID + 1_000n);
    await flush();
    const newAsk = exchange.placed[2];
    expect(newAsk?.side).toBe('sell');
    expect(newAsk?.priceTicks).toBe(10_008_501n);
    expect(exchange.cancels).toHaveLength(1);
    expect(restingPrices()).toEqual({ bids: [TARGET_BID], asks: [10_008_501n] });
    expect(loop.snapshot().stats.requotes).toBe(1);
  });

  // 1 bps = 1 000 ticks. Quotes rest at 7.5 bps; after the history, the mid rises 0.2 bps, which
  // brings the ask to 7.3 bps: clear of the floor margin (7.125) after calm moves of 0.04 bps,
  // inside the capped margin (7.333) after moves of 0.2 bps.
  it.each([
    ['calm: keeps', 20n, TARGET_ASK],
    ['volatile: replaces early', 100n, 10_007_701n],
  ] as const)('overlap: sizes the early-replacement margin from the moves it has seen (%s the ask)', async (_name, swingTicks, ask) => {
    await startLoop('overlap');
    pushMid(MID);
    await flush();
    for (let look = 0; look < 40; look += 1) pushMid(look % 2 === 0 ? MID + swingTicks : MID - swingTicks);
    await flush();
    expect(exchange.placed).toHaveLength(2);
    pushMid(MID + 200n);
    await flush();
    expect(restingPrices()).toEqual({ bids: [TARGET_BID], asks: [ask] });
  });

  it('reference: cancels both sides, then places both on the next fresh mid', async () => {
    await startLoop('reference');
    pushMid(MID);
    await flush();
    pushMid(MID + 1_000n);
    await flush();
    expect(exchange.cancels).toHaveLength(2);
    expect(exchange.open.size).toBe(0);
    expect(exchange.placed).toHaveLength(2);
    pushMid(MID + 1_000n);
    await flush();
    expect(exchange.placed).toHaveLength(4);
    expect(restingPrices()).toEqual({ bids: [9_993_499n], asks: [10_008_501n] });
  });

  it('side: cancels only the side that left the band and replaces it after the cancel is confirmed', async () => {
    await startLoop('side');
    pushMid(MID);
    await flush();
    pushMid(MID + 1_000n);
    await flush();
    expect(exchange.cancels).toHaveLength(1);
    expect(exchange.placed.map((request) => request.side)).toEqual(['buy', 'sell', 'sell']);
  });
});

describe('MakerLoop position handling', () => {
  it('flattens a fill with one reduce-only market order, never two while the push lags', async () => {
    await startLoop();
    pushMid(MID);
    await flush();
    const bid = exchange.openOf('buy')[0];
    if (!bid) throw new Error('no bid');
    exchange.fill(bid.id);
    await flush();
    const flattens = exchange.placed.filter((request) => request.reduceOnly);
    expect(flattens).toHaveLength(1);
    expect(flattens[0]).toMatchObject({ side: 'sell', type: 'market', timeInForce: 'ioc', qtyLots: 50n });
    expect(exchange.position_.qtyLots).toBe(0n);
    expect(loop.snapshot().stats.flattens).toBe(1);
  });

  it('emits flattened with the side and size', async () => {
    await startLoop();
    const events: unknown[] = [];
    loop.on('flattened', (info) => events.push(info));
    exchange.setPosition(-30n);
    await flush();
    expect(events).toEqual([{ side: 'buy', qtyLots: 30n, realizedPnl: '0' }]);
  });

  it.each([
    [50n, 'sell'],
    [-50n, 'buy'],
  ] as const)('flattens %s lots in orders of at most the max size and reports the whole size once', async (positionLots, side) => {
    exchange = new MemoryExchange(() => Date.now(), { ...TEST_SPEC, maxOrderLots: 20n });
    await startLoop();
    const events: unknown[] = [];
    loop.on('flattened', (info) => events.push(info));
    exchange.setPosition(positionLots);
    await flush();
    expect(exchange.placed.filter((request) => request.reduceOnly).map((request) => request.qtyLots)).toEqual([20n, 20n, 10n]);
    expect(exchange.position_.qtyLots).toBe(0n);
    expect(events).toEqual([{ side, qtyLots: 50n, realizedPnl: '0' }]);
  });

  it('retries a failed flatten after a backoff instead of hammering', async () => {
    await startLoop();
    exchange.nextPlace = [{ kind: 'reject', reason: 'other', message: 'busy' }];
    exchange.setPosition(20n);
    await flush();
    expect(exchange.placed.filter((request) => request.reduceOnly)).toHaveLength(1);
    await flush(500);
    expect(exchange.placed.filter((request) => request.reduceOnly)).toHaveLength(1);
    await flush(1_000);
    expect(exchange.placed.filter((request) => request.reduceOnly)).toHaveLength(2);
    expect(exchange.position_.qtyLots).toBe(0n);
  });
});

describe('MakerLoop failures', () => {
  it('cancels and stops quoting when the market feed goes stale, and resumes on a fresh mid', async () => {
    await startLoop();
    pushMid(MID);
    await flush();
    await flush(3_500);
    expect(exchange.open.size).toBe(0);
    expect(exchange.placed).toHaveLength(2);
    pushMid(MID);
    await flush();
    expect(exchange.open.size).toBe(2);
  });

  it('reprices a post-only rejection on the next mid, not on the same one', async () => {
    await startLoop();
    exchange.nextPlace = [{ kind: 'reject', reason: 'post-only', message: 'alo order rejected' }];
    pushMid(MID);
    await flush();
    expect(exchange.placed).toHaveLength(2);
    expect(exchange.open.size).toBe(1);
    await flush(300);
    expect(exchange.placed).toHaveLength(2);
    pushMid(MID);
    await flush();
    expect(exchange.open.size).toBe(2);
    expect(loop.snapshot().stats.postOnlyRejects).toBe(1);
  });

  it('pauses placements after an insufficient-margin rejection and alerts once', async () => {
    await startLoop();
    const paused: unknown[] = [];
    loop.on('placingPaused', (info) => paused.push(info));
    exchange.nextPlace = [
      { kind: 'reject', reason: 'margin', message: 'insufficient margin' },
      { kind: 'reject', reason: 'margin', message: 'insufficient margin' },
    ];
    pushMid(MID);
    await flush();
    for (let i = 0; i < 10; i += 1) pushMid(MID);
    await flush(1_000);
    expect(exchange.placed).toHaveLength(2);
    expect(paused).toHaveLength(1);
    await flush(5_000);
    pushMid(MID);
    await flush();
    expect(exchange.open.size).toBe(2);
  });

  it('settles a place whose outcome is unknown by cancelling it by client id', async () => {
    await startLoop();
    exchange.nextPlace = [{ kind: 'unknown', andRest: false }];
    pushMid(MID);
    await flush();
    expect(exchange.open.size).toBe(1);
    await flush(5_500);
    const lost = exchange.placed[0];
    expect(exchange.cancels).toContainEqual({ clOrdId: lost?.clOrdId });
  });

  it('adopts an order whose ack was lost but which rests, and keeps exactly one per side', async () => {
    await startLoop();
    exchange.nextPlace = [{ kind: 'unknown', andRest: true }];
    pushMid(MID);
    await flush();
    pushMid(MID);
    await flush();
    expect(restingPrices()).toEqual({ bids: [TARGET_BID], asks: [TARGET_ASK] });
    expect(exchange.placed).toHaveLength(2);
  });

  it('cancels own orders left by an earlier run and leaves foreign orders alone', async () => {
    const base = { symbol: 'BTC-USD', type: 'limit', timeInForce: 'alo', qtyLots: 50n, filledLots: 0n, reduceOnly: false, state: 'live', rawStatus: 'open' } as const;
    exchange.addExternal({ ...base, clOrdId: 'smm-b-old-1', side: 'buy', priceTicks: 9_000_000n });
    const foreign = exchange.addExternal({ ...base, clOrdId: 'manual-1', side: 'sell', priceTicks: 11_000_000n });
    await startLoop();
    await flush();
    expect(exchange.open.has(foreign.id)).toBe(true);
    expect([...exchange.open.values()].map((order) => order.clOrdId)).toEqual(['manual-1']);
  });

  it('cancels everything and places nothing while a stream is down, then resumes', async () => {
    await startLoop();
    pushMid(MID);
    await flush();
    exchange.emit('status', { stream: 'orders', up: false, reason: 'socket closed' });
    await flush();
    expect(exchange.open.size).toBe(0);
    pushMid(MID);
    await flush();
    expect(exchange.open.size).toBe(0);
    exchange.emit('status', { stream: 'orders', up: true });
    pushMid(MID);
    await flush();
    expect(exchange.open.size).toBe(2);
  });
});

describe('cleanup', () => {
  it('cancels every own order, confirms it, and leaves foreign orders', async () => {
    await startLoop();
    pushMid(MID);
    await flush();
    const base = { symbol: 'BTC-USD', type: 'limit', timeInForce: 'alo', qtyLots: 5n, filledLots: 0n, reduceOnly: false, state: 'live', rawStatus: 'open' } as const;
    exchange.addExternal({ ...base, clOrdId: 'manual-2', side: 'buy', priceTicks: 9_000_000n });
    loop.stopQuoting();
    const ids = new ClientIds('smm', 1);
    const reportPromise = cancelAllAndConfirm({
      exchange,
      clock,
      logger,
      isTarget: (order) => ids.isOwn(order.clOrdId),
      knownClientIds: loop.snapshot().orders.map((order) => order.clOrdId),
      deadlineMs: Date.now() + 10_000,
    });
    await flush(100);
    await expect(reportPromise).resolves.toEqual({ cancelled: 2, confirmed: 2, remaining: 0 });
    expect([...exchange.open.values()].map((order) => order.clOrdId)).toEqual(['manual-2']);
  });

  it('falls back to a cancel_orders batch when single cancels do not land', async () => {
    const base = { symbol: 'BTC-USD', type: 'limit', timeInForce: 'alo', qtyLots: 5n, filledLots: 0n, reduceOnly: false, state: 'live', rawStatus: 'open' } as const;
    exchange.addExternal({ ...base, clOrdId: 'smm-b-x-1', side: 'buy', priceTicks: 9_000_000n });
    exchange.cancelOrder = async (ref) => {
      exchange.cancels.push(ref);
    };
    const reportPromise = cancelAllAndConfirm({ exchange, clock, logger, isTarget: () => true, deadlineMs: Date.now() + 10_000 });
    await flush(3_000);
    await expect(reportPromise).resolves.toEqual({ cancelled: 1, confirmed: 1, remaining: 0 });
    expect(exchange.batchCancels).toHaveLength(1);
  });

  it('reports what is left when the deadline passes', async () => {
    const base = { symbol: 'BTC-USD', type: 'limit', timeInForce: 'alo', qtyLots: 5n, filledLots: 0n, reduceOnly: false, state: 'live', rawStatus: 'open' } as const;
    exchange.addExternal({ ...base, clOrdId: 'smm-b-x-2', side: 'buy', priceTicks: 9_000_000n });
    exchange.cancelOrder = async () => undefined;
    exchange.cancelOrders = async () => undefined;
    const reportPromise = cancelAllAndConfirm({ exchange, clock, logger, isTarget: () => true, deadlineMs: Date.now() + 2_000 });
    await flush(3_000);
    await expect(reportPromise).resolves.toEqual({ cancelled: 1, confirmed: 0, remaining: 1 });
  });

  it('flattens the position before exit and confirms it', async () => {
    exchange.setPosition(-70n);
    const result = flattenAndConfirm({ exchange, clock, logger, ids: new ClientIds('smm', 1), deadlineMs: Date.now() + 5_000 });
    await flush(10);
    await expect(result).resolves.toBe(0n);
    expect(exchange.placed).toEqual([expect.objectContaining({ side: 'buy', qtyLots: 70n, reduceOnly: true, type: 'market' })]);
  });
});

describe('MakerLoop start-up', () => {
  it('starts no timers when quoting is stopped during the first reconcile', async () => {
    loop = new MakerLoop({ exchange, clock, logger, ids: new ClientIds('smm', 1), quoting: quoting('overlap'), timing: TIMING });
    const started = loop.start();
    loop.stopQuoting();
    await started;
    expect(vi.getTimerCount()).toBe(0);
    pushMid(MID);
    await flush();
    expect(exchange.placed).toHaveLength(0);
  });
});

describe('MakerLoop observations', () => {
  it('reports each order it sends, and a replacement as a requote', async () => {
    await startLoop('overlap');
    const sent: unknown[] = [];
    loop.on('orderSent', (info) => sent.push({ action: info.action, side: info.side, priceTicks: info.priceTicks, isRequote: info.isRequote, reason: info.reason }));
    pushMid(MID);
    await flush();
    pushMid(MID + 1_000n);
    await flush();
    expect(sent).toEqual([
      { action: 'place', side: 'buy', priceTicks: TARGET_BID, isRequote: false, reason: undefined },
      { action: 'place', side: 'sell', priceTicks: TARGET_ASK, isRequote: false, reason: undefined },
      { action: 'place', side: 'sell', priceTicks: 10_008_501n, isRequote: true, reason: undefined },
      { action: 'cancel', side: 'sell', priceTicks: TARGET_ASK, isRequote: undefined, reason: 'out-of-band' },
    ]);
  });

  it('reports a quote fill with its age, then the flatten', async () => {
    await startLoop();
    const fills: unknown[] = [];
    const actions: string[] = [];
    loop.on('fill', (fill) => fills.push({ side: fill.side, purpose: fill.purpose, lots: fill.filledLots, priceTicks: fill.priceTicks, ageMs: fill.orderAgeMs }));
    loop.on('orderSent', (info) => actions.push(info.action));
    pushMid(MID);
    await flush();
    await flush(400);
    const bid = exchange.openOf('buy')[0];
    if (!bid) throw new Error('no bid');
    exchange.fill(bid.id);
    await flush();
    expect(fills[0]).toEqual({ side: 'buy', purpose: 'quote', lots: 50n, priceTicks: TARGET_BID, ageMs: 401 });
    expect(actions).toContain('flatten');
  });

  it('reports the age since the place for a quote filled while its cancel is in flight', async () => {
    await startLoop();
    const ages: number[] = [];
    loop.on('fill', (fill) => ages.push(fill.orderAgeMs));
    // The exchange takes the cancels and never confirms them: the old bid stays on the book.
    exchange.cancelOrder = (ref) => {
      exchange.cancels.push(ref);
      return Promise.resolve();
    };
    pushMid(MID);
    await flush();
    await flush(400);
    const bid = exchange.openOf('buy')[0];
    if (!bid) throw new Error('no bid');
    pushMid(MID + 5_000n);
    await flush();
    await flush(200);
    expect(exchange.cancels).toContainEqual({ orderId: bid.id });
    exchange.fill(bid.id);
    await flush();
    expect(ages[0]).toBe(602);
  });

  it('emits evaluated after each look, and the snapshot shows the resting quotes and the mid', async () => {
    await startLoop();
    const looks: number[] = [];
    loop.on('evaluated', (atMs) => looks.push(atMs));
    pushMid(MID);
    await flush();
    expect(looks.length).toBeGreaterThan(0);
    const view = loop.snapshot();
    expect(view.mid).toEqual({ num: MID, den: 1n });
    expect(view.orders.map((order) => [order.side, order.priceTicks, order.status]).sort()).toEqual([
      ['buy', TARGET_BID, 'resting'],
      ['sell', TARGET_ASK, 'resting'],
    ]);
    expect(view.isQuoting).toBe(true);
    expect(view.stats.placed).toBe(2);
  });

  it('reports the market going stale and fresh again', async () => {
    await startLoop();
    const events: string[] = [];
    loop.on('marketStale', () => events.push('stale'));
    loop.on('marketFresh', () => events.push('fresh'));
    pushMid(MID);
    await flush(TIMING.marketStaleMs + 500);
    pushMid(MID);
    await flush();
    expect(events).toEqual(['fresh', 'stale', 'fresh']);
    expect(loop.snapshot().isStale).toBe(false);
  });
});

describe('MakerLoop against a mark that parts from the mid', () => {
  const WINDOW = { markBandBps: parseBps('10') };
  /** A mark push at `ticks` (1 bps = 1 000 ticks). */
  const pushMark = (ticks: bigint): boolean => exchange.emit('mark', { symbol: 'BTC-USD', mark: { num: ticks, den: 1n }, receivedAtMs: Date.now() });

  it.each([
    ['mid', 9_993_000n],
    ['mark', 9_995_000n],
  ] as const)('keeps both sides quoting with the mark 8 bps above the mid (priority %s: bid at %s)', async (priority, bid) => {
    await startLoop('overlap', {}, { ...WINDOW, priority });
    pushMark(MID + 8_000n);
    pushMid(MID);
    await flush();
    expect(restingPrices()).toEqual({ bids: [bid], asks: [TARGET_ASK] });
  });

  it('carries the last push’s basis over to the mid between pushes', async () => {
    await startLoop('overlap', {}, { ...WINDOW, priority: 'mark' });
    pushMid(MID);
    pushMark(MID + 4_000n);
    pushMid(MID);
    await flush();
    // The window reaches down to 10 bps under the mark 4 bps up: 9 993 996.
    expect(restingPrices().bids).toEqual([9_993_996n]);
    pushMid(MID + 2_000n);
    await flush();
    // The mid up 2 bps carries the estimated mark to 10 006 000: the bid is 12 bps under it, past
    // the window and its slack, and goes to the window's new floor. Against the pushed mark it
    // would have stayed (10 bps).
    expect(restingPrices().bids).toEqual([9_995_994n]);
  });

  // The mark 2.9 bps under the mid leaves the ask [7, 7.1] bps of the mid, 4.8 bps over it the bid
  // [5, 5.2] under mark priority: narrower than the swing. The mid swings every 100 ms for 30 s.
  it.each([
    ['around the early margin, no mark', null, 300n, 'mid'],
    ['around a slot narrower than the swing (mid first)', MID - 2_900n, 200n, 'mid'],
    ['around a slot narrower than the swing (mark first)', MID - 2_900n, 200n, 'mark'],
    ['around the safety distance (mark first)', MID + 4_800n, 300n, 'mark'],
  ] as const)('does not re-replace a side on every depth tick when the mid oscillates %s', async (_name, markTicks, swingTicks, priority) => {
    const band = markTicks === null ? {} : { ...WINDOW, priority };
    await startLoop('overlap', { minQuoteRestMs: 500, orderBudget: { perSecond: 10, perMinute: 300 } }, band);
    const placedAtMs = new Map<string, number>();
    const quickCancels: string[] = [];
    loop.on('orderSent', (info) => {
      if (info.action === 'place') placedAtMs.set(info.clOrdId, info.atMs);
      const placedMs = placedAtMs.get(info.clOrdId);
      if (info.action === 'cancel' && placedMs !== undefined && info.atMs - placedMs < 500) quickCancels.push(info.clOrdId);
    });
    if (markTicks !== null) pushMark(markTicks);
    for (let look = 0; look < 300; look += 1) {
      // Pushes every 3 s, of a mark that does not follow the swing.
      if (markTicks !== null && look % 30 === 0) pushMark(markTicks);
      pushMid(look % 2 === 0 ? MID + swingTicks : MID);
      await flush(100);
    }
    expect(placedAtMs.size).toBeGreaterThanOrEqual(2);
    expect(placedAtMs.size).toBeLessThanOrEqual(4);
    expect(quickCancels).toEqual([]);
    expect(exchange.openOf('buy')).toHaveLength(1);
    expect(exchange.openOf('sell')).toHaveLength(1);
  });

  it('does not replace a drifting quote before it has rested, then does so on a timer without a new book', async () => {
    await startLoop('overlap', { minQuoteRestMs: 500 });
    pushMid(MID);
    await flush();
    // +0.3 bps: the ask 7.2 bps out, inside the half-room margin kept before volatility is measured.
    pushMid(MID + 300n);
    await flush(100);
    expect(exchange.placed).toHaveLength(2);
    await flush(400);
    expect(exchange.placed.map((request) => request.priceTicks)).toEqual([TARGET_BID, TARGET_ASK, 10_007_801n]);
    // The old ask stays until the replacement has rested as long.
    await flush(100);
    expect(restingPrices().asks).toEqual([TARGET_ASK, 10_007_801n]);
    await flush(500);
    expect(restingPrices().asks).toEqual([10_007_801n]);
  });
});

describe('MakerLoop order budget', () => {
  it('never sends more commands in a second than the budget, and finishes the work on a timer', async () => {
    await startLoop('side', { orderBudget: { perSecond: 4, perMinute: 300 } });
    const sentAt: number[] = [];
    loop.on('orderSent', (info) => sentAt.push(info.atMs));
    // Every 20 ms the mid jumps 5 bps: both quotes leave the band on every look.
    for (let look = 0; look < 50; look += 1) {
      pushMid(MID + BigInt(look % 2) * 5_000n);
      await flush(20);
    }
    for (const atMs of sentAt) expect(sentAt.filter((other) => other > atMs - 1_000 && other <= atMs).length).toBeLessThanOrEqual(4);
    expect(loop.snapshot().stats.commandsDeferred).toBeGreaterThan(0);
    // No more books: the held-back commands go out as the budget frees up.
    await flush(1_500);
    expect(restingPrices()).toEqual({ bids: [9_997_496n], asks: [10_012_504n] });
  });

  it('sends a flatten at once even when places have used their share of the budget', async () => {
    await startLoop('overlap', { orderBudget: { perSecond: 4, perMinute: 300 } });
    pushMid(MID);
    await flush();
    // Both quotes out of band; the two places of this second are spent, so the replacements wait.
    pushMid(MID + 5_000n);
    await flush();
    expect(exchange.placed).toHaveLength(2);
    const bid = exchange.openOf('buy')[0];
    if (!bid) throw new Error('no bid');
    exchange.fill(bid.id);
    await flush();
    expect(exchange.placed.filter((request) => request.reduceOnly)).toHaveLength(1);
  });
});
