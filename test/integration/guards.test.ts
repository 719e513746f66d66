// The kill switches, the second-quoter guard and the clock fallback, with the daemon in-process
// against the simulator (issue 11). A guard's verdict halts quoting: own quotes cancelled, fills
// still flattened, streams up, an alert; never an exit and never a restart loop.

import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, type Daemon } from '../../src/cli/daemon.js';
import { systemClock } from '../../src/ops/clock.js';
import { FakeTelegram } from '../fixtures/fake-telegram.js';
import { fastWsTuning, LogCapture, startHarness, SYMBOL, type Harness, type HarnessOptions } from './daemon-harness.js';

let harness: Harness | undefined;
let telegram: FakeTelegram | undefined;
let second: Daemon | undefined;

afterEach(async () => {
  if (second && second.shutdown.state() === 'running') second.shutdown.requestStop('teardown');
  await second?.shutdown.exited;
  second = undefined;
  await harness?.close();
  harness = undefined;
  await telegram?.close();
  telegram = undefined;
});

async function withTelegram(options: HarnessOptions = {}): Promise<{ h: Harness; tg: FakeTelegram }> {
  telegram = await FakeTelegram.start();
  harness = await startHarness({ ...options, telegram });
  return { h: harness, tg: telegram };
}

const hasAlert = (tg: FakeTelegram, ...parts: string[]): boolean => tg.messages.some((message) => parts.every((part) => message.text.includes(part)));
const isZero = (qty: string): boolean => /^-?0(\.0+)?$/.test(qty);

/** Halted, nothing of ours left on the book, flat, still running and connected. */
async function expectHaltedAndSafe(h: Harness, kind: string): Promise<void> {
  await h.waitFor(() => h.daemon.loop?.snapshot().halt?.kind === kind, `a ${kind} halt`);
  await h.waitFor(() => h.ownOpenOrders().length === 0 && isZero(h.positionQty()), 'no own order and a flat position');
  expect(h.daemon.shutdown.state()).toBe('running');
  expect(h.daemon.connection?.exchange.isReady()).toBe(true);
  expect(h.exitCodes).toEqual([]);
}

describe('MAX_CONSECUTIVE_FAILURES', () => {
  it('halts after that many refused places in a row, cancels, alerts, stays connected; resume quotes again', async () => {
    const { h, tg } = await withTelegram({ env: { MAX_CONSECUTIVE_FAILURES: '2' } });
    await h.waitForTwoSided();
    h.sim.faults.rejectNextOrders(2, 400, 'insufficient margin');
    h.sim.setPrice(SYMBOL, '100040.00');
    await expectHaltedAndSafe(h, 'failures');
    await h.waitFor(() => hasAlert(tg, 'QUOTING HALTED (failures)', '2 order requests failed in a row'), 'the halt alert');
    const placed = h.daemon.loop?.snapshot().stats.placed;
    const bestBid = h.daemon.loop?.snapshot().bestBidTicks;
    h.sim.setPrice(SYMBOL, '100080.00');
    await h.waitFor(() => h.daemon.loop?.snapshot().bestBidTicks !== bestBid, 'the daemon to see the new book');
    expect(h.daemon.loop?.snapshot().stats.placed).toBe(placed);
    h.daemon.loop?.resume();
    await h.waitForTwoSided(12_000);
  });

  it('does not count post-only "would cross" refusals', async () => {
    const h = (harness = await startHarness({ env: { MAX_CONSECUTIVE_FAILURES: '2' } }));
    await h.waitForTwoSided();
    h.sim.faults.rejectNextOrders(4, 400, 'alo order rejected');
    h.sim.setPrice(SYMBOL, '100040.00');
    await h.waitFor(() => (h.daemon.loop?.snapshot().stats.postOnlyRejects ?? 0) >= 4, 'four post-only refusals');
    await h.waitForTwoSided();
    expect(h.daemon.loop?.snapshot().halt).toBeNull();
  });
});

describe('DAILY_LOSS_LIMIT', () => {
  it('halts once the realized loss plus fees since 00:00 UTC reaches the limit, after flattening the fill', async () => {
    const { h, tg } = await withTelegram({ env: { DAILY_LOSS_LIMIT: '0.05' } });
    await h.waitForTwoSided();
    // Trade down through the bid: it fills (0.01 BTC, a maker fee of about 0.1 DUSD), the flatten sells lower.
    h.sim.setPrice(SYMBOL, '99800.00');
    await expectHaltedAndSafe(h, 'dailyLoss');
    await h.waitFor(() => hasAlert(tg, 'QUOTING HALTED (dailyLoss)', 'limit 0.05'), 'the halt alert');
    expect(h.logs.count('position flattened')).toBeGreaterThanOrEqual(1);
  });
});

describe('a second quoter on the account', () => {
  it('halts the first daemon when a later run\'s orders appear, alerts, and never cancels them', async () => {
    const { h, tg } = await withTelegram();
    await h.waitForTwoSided();
    const logs = new LogCapture();
    second = await startDaemon({ config: h.config, clock: systemClock, stdout: logs, logToFile: false, exit: () => undefined, wsTuning: fastWsTuning(2) });
    await expectHaltedAndSafeForFirst(h);
    await h.waitFor(() => hasAlert(tg, 'QUOTING HALTED (secondQuoter)', 'a second daemon quotes this account'), 'the second-quoter alert');
    expect(h.logs.count('order left by an earlier run: cancelling it')).toBe(0);
  });
});

/** The first daemon halts; the second may be quoting, so only the first's own orders must be gone. */
async function expectHaltedAndSafeForFirst(h: Harness): Promise<void> {
  await h.waitFor(() => h.daemon.loop?.snapshot().halt?.kind === 'secondQuoter', 'a secondQuoter halt');
  const ownRun = h.daemon.ids.runTag;
  await h.waitFor(() => h.ownOpenOrders().every((order) => !order.cl_ord_id.includes(`-${ownRun}-`)), 'the first run\'s quotes gone');
  expect(h.daemon.shutdown.state()).toBe('running');
}

describe('clock check', () => {
  it('starts and quotes when the time host is unreachable, reading the API host\'s clock instead', async () => {
    const h = (harness = await startHarness({ env: { STANDX_GEO_BASE: 'http://127.0.0.1:9' } }));
    await h.waitForTwoSided();
    expect(h.logs.count("time host unreachable: reading the API host's clock instead (good to about ±1 s)")).toBe(1);
    expect(h.logs.all('signed in')[0]).toMatchObject({ clockSource: 'api host' });
  });
});
