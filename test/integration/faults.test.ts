// The daemon against the simulator with faults injected over loopback: dropped and half-open
// sockets, lost, late, rejected and duplicated acks, malformed frames, an expired token, a frozen
// feed, clock skew, HTTP errors, partial fills and lagging REST reads. Each test asserts the end
// state: one own bid and one own ask (or none), no orphan order, a flat position, the exit code.

import { afterEach, describe, expect, it } from 'vitest';
import type { SocketKind } from '../../src/sim/index.js';
import { FakeTelegram } from '../fixtures/fake-telegram.js';
import { startHarness, SYMBOL, type Harness, type HarnessOptions, type LogLine } from './daemon-harness.js';

let harness: Harness | undefined;
let telegram: FakeTelegram | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await telegram?.close();
  telegram = undefined;
});

async function start(options: HarnessOptions = {}): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

async function withTelegram(options: HarnessOptions = {}): Promise<{ h: Harness; tg: FakeTelegram }> {
  telegram = await FakeTelegram.start();
  return { h: await start({ ...options, telegram }), tg: telegram };
}

const isZero = (qty: string): boolean => /^-?0(\.0+)?$/.test(qty);

/** Sets the fair price (and so the mid); 4 bps from the last takes both quotes out of the 7–10 bps band. */
function movePrice(h: Harness, mid: number): void {
  h.sim.setPrice(SYMBOL, mid.toFixed(2));
}

/** The common ending: a clean stop exits 0 and leaves no order and no position behind. */
async function expectCleanStop(h: Harness): Promise<void> {
  expect(await h.stop()).toBe(0);
  expect(h.sim.openOrders(h.account.address)).toEqual([]);
  expect(isZero(h.positionQty())).toBe(true);
  expect(h.logs.all('cleanup finished').at(-1)).toMatchObject({ isCancelConfirmed: true, isPositionFlat: true });
}

/** Requote to a new mid and wait for the daemon to settle two-sided inside the 7–10 bps band around it. */
async function requoteTo(h: Harness, mid: number): Promise<void> {
  movePrice(h, mid);
  const isInBand = (price: number): boolean => {
    const bps = (Math.abs(price - mid) / mid) * 10_000;
    return bps >= 6.99 && bps <= 10.01;
  };
  await h.waitFor(
    () => h.isTwoSidedSettled() && h.ownOpenOrders().every((order) => isInBand(Number(order.price))),
    `two-sided quotes in band around ${mid}`,
  );
}

const hasAlert = (tg: FakeTelegram, ...parts: string[]): boolean =>
  tg.messages.some((message) => parts.every((part) => message.text.toLowerCase().includes(part.toLowerCase())));

const byConnection = (name: string, msg: string) => (line: LogLine): boolean => line.msg === msg && line['connection'] === name;

describe('transport faults', () => {
  it.each<SocketKind>(['all', 'stream', 'api'])('reconnects after dropConnections(%s) and quotes one bid and one ask again', async (kind) => {
    const h = await start();
    const before = await h.waitForTwoSided();
    const since = h.mark();
    h.sim.faults.dropConnections(kind);
    await h.waitForLog('stream down: cancelling and pausing quotes', { since });
    await h.waitForLog('stream up', { since });
    const after = await h.waitForTwoSided();
    // The old quotes were cancelled while a stream was down; fresh ones replaced them.
    expect([after.bid.cl_ord_id, after.ask.cl_ord_id]).not.toContain(before.bid.cl_ord_id);
    expect(h.logs.count('unknown own order on the exchange: cancelling it', since)).toBe(0);
    await expectCleanStop(h);
  });

  it.each<'stream' | 'api'>(['stream', 'api'])('detects a half-open %s socket by the idle timeout and resumes quoting', async (kind) => {
    const h = await start();
    await h.waitForTwoSided();
    const since = h.mark();
    h.sim.faults.silence(kind, true);
    const name = kind === 'stream' ? 'ws-stream' : 'ws-api';
    await h.waitForLog(byConnection(name, 'ws half-open, terminating'), { since });
    h.sim.faults.silence(kind, false);
    await h.waitForLog(byConnection(name, 'ws ready'), { since });
    await h.waitForTwoSided();
    await expectCleanStop(h);
  });

  it('detects a ws-api socket whose pings go unanswered and resumes quoting', async () => {
    const h = await start();
    await h.waitForTwoSided();
    const since = h.mark();
    // The server keeps the socket open but withholds every pong: ws-api carries nothing else when idle.
    h.sim.faults.ignorePongs(true);
    await h.waitForLog(byConnection('ws-api', 'ws half-open, terminating'), { since });
    h.sim.faults.ignorePongs(false);
    await h.waitForLog(byConnection('ws-api', 'ws ready'), { since });
    await h.waitForTwoSided();
    await expectCleanStop(h);
  });

  it('ignores malformed frames on both sockets and keeps quoting', async () => {
    const h = await start();
    const before = await h.waitForTwoSided();
    const since = h.mark();
    h.sim.faults.sendMalformedFrame('all', 'invalid-json');
    h.sim.faults.sendMalformedFrame('all', 'wrong-shape');
    await h.waitForLog('ws-stream malformed frame ignored', { since });
    await h.waitForLog('ws-api malformed frame ignored', { since });
    await h.waitForLog('ws-api unknown frame ignored', { since });
    // Nothing was torn down: the same quotes still rest, and the next requote works.
    expect(h.logs.count((line) => line.msg === 'ws down' || line.msg === 'stream down: cancelling and pausing quotes', since)).toBe(0);
    expect(h.ownOpenOrders().map((order) => order.cl_ord_id).sort()).toEqual([before.bid.cl_ord_id, before.ask.cl_ord_id].sort());
    await requoteTo(h, 100_040);
    await expectCleanStop(h);
  });
});

describe('order-path faults', () => {
  it('settles lost acks of a requote and ends with exactly one bid and one ask', async () => {
    const h = await start();
    await h.waitForTwoSided();
    const since = h.mark();
    // A requote under the overlap policy sends two cancels and two places: lose every reply.
    h.sim.faults.loseAcks(4);
    movePrice(h, 100_040);
    await h.waitFor(() => h.logs.count('place outcome unknown: settling by the order channel or a read', since) === 2, 'both places timed out');
    await h.waitFor(() => h.logs.count('cancel outcome unknown: will retry', since) === 2, 'both cancels timed out');
    // Settled by the order channel: the new quotes rest, the old ones are gone, nothing was re-sent.
    await requoteTo(h, 100_040);
    expect(h.daemon.loop?.snapshot().stats.placed).toBe(4);
    expect(h.sim.stats().ordersReceived).toBe(4);
    await expectCleanStop(h);
  });

  it('treats acks later than ORDER_ACK_TIMEOUT_MS as unknown outcomes and ends two-sided', async () => {
    const h = await start();
    await h.waitForTwoSided();
    const since = h.mark();
    h.sim.faults.delayAcks(600);
    movePrice(h, 100_040);
    await h.waitForLog('place outcome unknown: settling by the order channel or a read', { since });
    await h.waitForLog('ws-api late reply', { since });
    await requoteTo(h, 100_040);
    h.sim.faults.delayAcks(0);
    expect(h.daemon.loop?.snapshot().stats.placed).toBe(4);
    expect(h.sim.stats().ordersReceived).toBe(4);
    await expectCleanStop(h);
  });

  it('pauses placements on an insufficient-margin rejection, alerts, then quotes again', async () => {
    const { h, tg } = await withTelegram();
    await h.waitForTwoSided();
    const since = h.mark();
    h.sim.faults.rejectNextOrders(2, 400, 'insufficient margin');
    movePrice(h, 100_040);
    const paused = await h.waitForLog('quote rejected: pausing placements', { since });
    expect(paused).toMatchObject({ reason: 'margin' });
    await h.waitFor(() => hasAlert(tg, 'order rejected', 'margin'), 'the orderRejected alert');
    // The pause is MakerTiming.pauseBaseMs, fixed at 5 s in cli/maker-settings.ts (not configurable).
    const resumed = await h.waitForTwoSided(10_000);
    const pauseMs = paused['pauseMs'] as number;
    const firstPlace = h.logs.all('placing quote', h.logs.lines.indexOf(paused))[0];
    expect(firstPlace).toBeDefined();
    expect(Date.parse(firstPlace?.['time'] as string) - Date.parse(paused['time'] as string)).toBeGreaterThanOrEqual(pauseMs - 50);
    expect([resumed.bid, resumed.ask].every((order) => Math.abs(Number(order.price) - 100_040) < 100)).toBe(true);
    await expectCleanStop(h);
  });

  it('reprices ALO rejections on the next mid without pausing', async () => {
    const h = await start();
    await h.waitForTwoSided();
    const since = h.mark();
    h.sim.faults.rejectNextOrders(2, 400, 'alo order rejected');
    await requoteTo(h, 100_040);
    expect(h.logs.count('post-only quote would cross: repricing on the next mid', since)).toBe(2);
    expect(h.logs.count('quote rejected: pausing placements', since)).toBe(0);
    expect(h.daemon.loop?.snapshot().stats.postOnlyRejects).toBe(2);
    await expectCleanStop(h);
  });

  it('survives second reply frames without duplicating quotes', async () => {
    const h = await start();
    await h.waitForTwoSided();
    const since = h.mark();
    h.sim.faults.duplicateReplies(4);
    await requoteTo(h, 100_040);
    await h.waitFor(() => h.logs.count('ws-api late reply', since) >= 4, 'four late second frames');
    expect(h.daemon.loop?.snapshot().stats.placed).toBe(4);
    expect(h.sim.stats().ordersReceived).toBe(4);
    expect(h.daemon.shutdown.state()).toBe('running');
    await expectCleanStop(h);
  });
});

describe('market-data faults', () => {
  it('cancels both quotes when the depth feed freezes past MARKET_STALE_MS and requotes once it thaws', async () => {
    const h = await start();
    await h.waitForTwoSided();
    const since = h.mark();
    h.sim.faults.freezeDepth(true);
    await h.waitForLog('market data stale: cancelling quotes', { since });
    await h.waitFor(() => h.ownOpenOrders().length === 0 && (h.daemon.loop?.snapshot().orders.length ?? 1) === 0, 'both quotes cancelled');
    const placed = h.daemon.loop?.snapshot().stats.placed;
    // Several reconcile rounds (each reads open orders) pass while frozen: nothing is placed.
    const reads = h.logs.count((line) => line.msg === 'StandX HTTP answer' && line['request'] === 'query_open_orders');
    await h.waitFor(() => h.logs.count((line) => line.msg === 'StandX HTTP answer' && line['request'] === 'query_open_orders') >= reads + 3, 'three reconcile reads while frozen');
    expect(h.daemon.loop?.snapshot().stats.placed).toBe(placed);
    expect(h.ownOpenOrders()).toEqual([]);
    h.sim.faults.freezeDepth(false);
    await h.waitForLog('market data fresh', { since });
    await h.waitForTwoSided();
    await expectCleanStop(h);
  });
});

describe('account faults', () => {
  it('exits 77 with an auth-failure alert when the token expires mid-run', async () => {
    const { h, tg } = await withTelegram({ env: { SHUTDOWN_TIMEOUT_SECONDS: '4' } });
    const quotes = await h.waitForTwoSided();
    h.sim.faults.expireToken(h.account.address);
    expect(await h.daemon.shutdown.exited).toBe(77);
    expect(h.exitCodes).toEqual([77]);
    expect(h.logs.count('fatal error, stopping')).toBe(1);
    await h.waitFor(() => hasAlert(tg, 'auth failed'), 'the authFailure alert');
    // With the token revoked no cancel can be authenticated: the cleanup gives up at once instead of
    // retrying until the deadline, tells the operator to check the account, and the two quotes it
    // knew of are the only orders left (nothing new was placed).
    expect(h.logs.count('cleanup failed')).toBe(1);
    await h.waitFor(() => hasAlert(tg, 'cleanup failed, check open orders'), 'the cleanup alert');
    expect(h.ownOpenOrders().map((order) => order.cl_ord_id).sort()).toEqual([quotes.bid.cl_ord_id, quotes.ask.cl_ord_id].sort());
    expect(isZero(h.positionQty())).toBe(true);
  });

  it('stops with exit 1 and an alert when signed requests fail with "signature has expired"', async () => {
    const { h, tg } = await withTelegram();
    await h.waitForTwoSided();
    const since = h.mark();
    h.sim.faults.skewClockMs(60_000);
    movePrice(h, 100_040);
    const fatal = await h.waitForLog('fatal error, stopping', { since });
    // Cleared before the cleanup's cancels go out, which are signed too.
    h.sim.faults.skewClockMs(0);
    expect(fatal['err']).toMatchObject({ type: 'ClockSkewError' });
    expect(await h.daemon.shutdown.exited).toBe(1);
    await h.waitFor(() => hasAlert(tg, 'fatal', 'signature has expired'), 'the fatal alert');
    expect(h.logs.count('placing quote', h.logs.lines.indexOf(fatal))).toBe(0);
    expect(h.logs.all('cleanup finished').at(-1)).toMatchObject({ isCancelConfirmed: true, isPositionFlat: true });
    expect(h.sim.openOrders(h.account.address)).toEqual([]);
    expect(isZero(h.positionQty())).toBe(true);
  });

  it.each<429 | 500>([429, 500])('retries HTTP %s on the reconcile read without touching the quotes', async (status) => {
    const h = await start();
    const quotes = await h.waitForTwoSided();
    const stats = { ...h.daemon.loop?.snapshot().stats };
    const since = h.mark();
    // Three failures exhaust one reconcile's read attempts; the fourth is retried within the next.
    h.sim.faults.httpErrors(status, 4, '/api/query_open_orders');
    await h.waitForLog('reconcile failed: will retry', { since });
    const failed = h.mark();
    await h.waitForLog((line) => line.msg === 'StandX read failed, retrying', { since: failed });
    await h.waitForLog((line) => line.msg === 'StandX HTTP answer' && line['request'] === 'query_open_orders' && line['status'] === 200, { since: failed });
    expect(h.logs.count('StandX read failed, retrying', since)).toBe(3);
    expect(h.ownOpenOrders().map((order) => order.cl_ord_id).sort()).toEqual([quotes.bid.cl_ord_id, quotes.ask.cl_ord_id].sort());
    expect(h.daemon.loop?.snapshot().stats).toEqual(stats);
    await expectCleanStop(h);
  });
});

describe('fills and REST lag', () => {
  it('flattens exactly the partly filled size with one reduce-only market order', async () => {
    const h = await start();
    const { bid } = await h.waitForTwoSided();
    const since = h.mark();
    // The best ask is fair + 2.50: touching the bid exactly fills a seeded part of it.
    movePrice(h, Number(bid.price) - 2.5);
    const filled = await h.waitForLog((line) => line.msg === 'order filled' && line['side'] === 'buy', { since });
    const filledLots = BigInt(filled['filledLots'] as string);
    expect(filledLots).toBeGreaterThan(0n);
    expect(filledLots).toBeLessThan(100n);
    await h.waitForLog('position flattened', { since });
    await h.waitFor(() => isZero(h.positionQty()) && h.isTwoSidedSettled(), 'flat and two-sided again');
    const flattens = h.logs.all('flattening position with a reduce-only market order', since);
    expect(flattens).toHaveLength(1);
    expect(flattens[0]).toMatchObject({ side: 'sell', qtyLots: filledLots.toString() });
    expect(h.daemon.loop?.snapshot().stats.flattens).toBe(1);
    await expectCleanStop(h);
  });

  it('does not cancel or re-place on lagging REST reads', async () => {
    const h = await start();
    await h.waitForTwoSided();
    const since = h.mark();
    h.sim.faults.restLagMs(1_500);
    const reads = (): number => h.logs.count((line) => line.msg === 'StandX HTTP answer' && line['request'] === 'query_open_orders', since);
    for (const mid of [100_040, 100_080, 100_120]) {
      await requoteTo(h, mid);
      const before = reads();
      await h.waitFor(() => reads() >= before + 2, 'two reconcile reads after the requote');
    }
    expect(h.logs.count('unknown own order on the exchange: cancelling it', since)).toBe(0);
    expect(h.logs.count('order no longer on the exchange: forgetting it', since)).toBe(0);
    // Three requotes of both sides: two places and two cancels each, nothing more.
    expect(h.daemon.loop?.snapshot().stats).toMatchObject({ placed: 8, cancelsSent: 6 });
    expect(h.sim.stats().ordersReceived).toBe(8);
    h.sim.faults.restLagMs(0);
    await expectCleanStop(h);
  });
});
