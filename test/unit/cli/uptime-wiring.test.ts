import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseBps } from '../../../src/domain/bps.js';
import type { MakerLoopEvents, MakerSnapshot } from '../../../src/engine/observations.js';
import type { OwnOrderView } from '../../../src/engine/own-orders.js';
import type { HourUptime } from '../../../src/engine/uptime-accumulator.js';
import type { ExchangeUptime } from '../../../src/exchange/standx/maker-uptime.js';
import type { Alert } from '../../../src/ops/alerts.js';
import type { Notifier } from '../../../src/ops/notifier.js';
import { UptimeTracker, type UptimeTrackerOptions } from '../../../src/cli/uptime-wiring.js';
import { ManualClock, memoryLogger } from '../ops/helpers.js';

const HOUR = Date.UTC(2026, 10, 3, 10);
const SEC = 1_000;
const MIN = 60 * SEC;
const MID = { num: 1_000_000n, den: 1n };

function quote(side: 'buy' | 'sell', priceTicks: bigint): OwnOrderView {
  return { clOrdId: side, side, purpose: 'quote', priceTicks, qtyLots: 10n, filledLots: 0n, status: 'resting', sentAtMs: 0 };
}
const CREDITED = [quote('buy', 999_250n), quote('sell', 1_000_750n)];

class FakeLoop extends EventEmitter<MakerLoopEvents> {
  orders: OwnOrderView[] = [];
  constructor(private readonly clock: ManualClock) {
    super();
  }
  snapshot(): MakerSnapshot {
    return {
      atMs: this.clock.now(), mid: MID, mark: MID, markAtMs: 0, bestBidTicks: null, bestAskTicks: null, lastBookAtMs: this.clock.now(),
      isQuoting: true, halt: null, isStale: false, streamsDown: [], positionLots: 0n, orders: this.orders,
      stats: { placed: 0, cancelsSent: 0, requotes: 0, fills: 0, flattens: 0, postOnlyRejects: 0, otherRejects: 0, commandsDeferred: 0 },
    };
  }
  set(orders: OwnOrderView[]): void {
    this.orders = orders;
    this.emit('evaluated', this.clock.now());
  }
}

class RecordingNotifier implements Notifier {
  readonly alerts: Alert[] = [];
  notify(alert: Alert): void {
    this.alerts.push(alert);
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
}

let dir: string;
let clock: ManualClock;
let loop: FakeLoop;
let notifier: RecordingNotifier;
let completed: HourUptime[];
let log: ReturnType<typeof memoryLogger>;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
  dir = mkdtempSync(join(tmpdir(), 'smm-uptime-'));
  clock = new ManualClock(HOUR);
  loop = new FakeLoop(clock);
  notifier = new RecordingNotifier();
  completed = [];
  log = memoryLogger();
});

afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

function start(over: Partial<UptimeTrackerOptions> = {}): Promise<UptimeTracker> {
  return UptimeTracker.start({
    loop,
    rules: { band: { minBps: parseBps('7'), maxBps: parseBps('10') }, markBandBps: parseBps('10'), minLots: 1n },
    clock,
    log: log.logger,
    notifier,
    stateFile: join(dir, 'acct_uptime.json'),
    timing: { tickMs: SEC, saveEveryMs: 10 * SEC, exchangeCheckDelayMs: 5 * SEC },
    onHourCompleted: (hour) => completed.push(hour),
    readExchangeUptime: null,
    ...over,
  });
}

/** Moves the injected clock and the timers together, one tick at a time. */
async function pass(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= Math.min(SEC, left)) {
    clock.advance(Math.min(SEC, left));
    await vi.advanceTimersByTimeAsync(Math.min(SEC, left));
  }
}

describe('UptimeTracker', () => {
  it('counts exact credited seconds on a scripted path', async () => {
    const tracker = await start();
    loop.set(CREDITED);
    await pass(90 * SEC + 500);
    loop.set([CREDITED[0] as OwnOrderView]);
    await pass(30 * SEC);
    loop.set(CREDITED);
    await pass(15 * SEC + 250);
    expect(tracker.projection()).toMatchObject({ creditedMs: 105_750, inBandMs: 105_750 });
    await tracker.stop();
  });

  it('completes the hour at its end, logs it and hands it on', async () => {
    clock.advance(59 * MIN);
    const tracker = await start();
    loop.set(CREDITED);
    await pass(2 * MIN);
    expect(completed).toEqual([{ hourStartMs: HOUR, inBandMs: MIN, creditedMs: MIN }]);
    expect(log.lines.find((line) => line.msg === 'uptime hour completed')).toMatchObject({ hour: '2026-11-03T10:00Z', creditedMin: 1, inBandMin: 1, tier: 'none' });
    expect(tracker.projection()).toMatchObject({ hourStartMs: HOUR + 60 * MIN, creditedMs: MIN });
    await tracker.stop();
  });

  it('alerts once, and not before, when 42 credited minutes are out of reach', async () => {
    const tracker = await start();
    await pass(18 * MIN);
    expect(notifier.alerts).toEqual([]);
    await pass(SEC);
    expect(notifier.alerts).toEqual([{ kind: 'uptimeAtRisk', hourStartMs: HOUR, creditedMs: 0, remainingMs: 42 * MIN - SEC }]);
    loop.set(CREDITED);
    await pass(10 * MIN);
    expect(notifier.alerts).toHaveLength(1);
    await tracker.stop();
  });

  it('does not alert for an hour already lost when the daemon started', async () => {
    clock.advance(25 * MIN);
    const tracker = await start();
    await pass(MIN);
    expect(notifier.alerts).toEqual([]);
    await tracker.stop();
  });

  it('resumes the hour after a restart, the downtime not credited', async () => {
    const first = await start();
    loop.set(CREDITED);
    await pass(10 * MIN);
    expect(await first.stop()).toBe('hour 10:00 UTC: 10 min credited, 10 min in band');
    clock.advance(5 * MIN);
    loop.orders = [];
    const second = await start();
    expect(second.projection()).toMatchObject({ creditedMs: 10 * MIN });
    loop.set(CREDITED);
    await pass(3 * MIN);
    expect(second.projection()).toMatchObject({ creditedMs: 13 * MIN, inBandMs: 13 * MIN });
    expect(JSON.parse(readFileSync(join(dir, 'acct_uptime.json'), 'utf8'))).toMatchObject({ hour: { hourStartMs: HOUR } });
    await second.stop();
  });

  it('completes the saved hour when it restarts in a later hour', async () => {
    const first = await start();
    loop.set(CREDITED);
    await pass(45 * MIN);
    await first.stop();
    clock.advance(20 * MIN);
    const second = await start();
    expect(completed).toEqual([{ hourStartMs: HOUR, inBandMs: 45 * MIN, creditedMs: 45 * MIN }]);
    expect(second.recentHours()).toEqual(completed);
    await second.stop();
  });

  it.each([
    ['a corrupt file', '{"hour": {"hourStartMs": '],
    ['a file of another shape', '{"hour": 3}'],
  ])('starts afresh from %s', async (_name, content) => {
    writeFileSync(join(dir, 'acct_uptime.json'), content);
    const tracker = await start();
    expect(tracker.projection()).toMatchObject({ hourStartMs: HOUR, creditedMs: 0 });
    await tracker.stop();
  });

  it('compares completed hours with the exchange record and alerts on a gap over 5 minutes', async () => {
    const record: ExchangeUptime = {
      hours: [{ hourStartMs: HOUR, tier: 'tier_a', eligibleHours: 1, reachedFull: true, reachedHalf: true, creditedSeconds: 3_300 }],
      totalEligibleHours: 1,
    };
    clock.advance(30 * MIN);
    const tracker = await start({ readExchangeUptime: () => Promise.resolve(record) });
    loop.set(CREDITED);
    await pass(30 * MIN + 10 * SEC);
    expect(notifier.alerts).toEqual([{ kind: 'uptimeMismatch', hourStartMs: HOUR, daemonCreditedMs: 30 * MIN, exchange: '55 min credited, tier_a, x70 yes, x50 yes, eligible 1 h' }]);
    expect(log.lines.some((line) => line.msg === 'uptime hour differs from the exchange record by more than 5 minutes')).toBe(true);
    await tracker.stop();
  });
});
