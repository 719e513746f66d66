import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { wireLiveness } from '../../../src/cli/liveness-wiring.js';
import type { MakerLoopEvents, MakerSnapshot } from '../../../src/engine/observations.js';
import type { StreamName } from '../../../src/exchange/exchange.js';
import { silentLog } from '../../../src/ops/log.js';

class FakeLoop extends EventEmitter<MakerLoopEvents> {
  state = { nowMs: 1_000_000, lastBookAtMs: 1_000_000 as number | null, isStale: false, streamsDown: [] as StreamName[], mid: null as MakerSnapshot['mid'], isQuoting: true };
  snapshot(): MakerSnapshot {
    const s = this.state;
    return {
      atMs: s.nowMs, mid: s.mid, mark: null, markAtMs: null, bestBidTicks: null, bestAskTicks: null, lastBookAtMs: s.lastBookAtMs,
      isQuoting: s.isQuoting, halt: null, isStale: s.isStale, streamsDown: s.streamsDown, positionLots: 0n, orders: [],
      stats: { placed: 0, cancelsSent: 0, requotes: 0, fills: 0, flattens: 0, postOnlyRejects: 0, otherRejects: 0, commandsDeferred: 0 },
    };
  }
}

let loop: FakeLoop;
let sent: string[][];
const run = (args: readonly string[]): Promise<void> => {
  sent.push([...args]);
  return Promise.resolve();
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  loop = new FakeLoop();
  sent = [];
});
afterEach(() => vi.useRealTimers());

const start = (env: Record<string, string> = { NOTIFY_SOCKET: '/n.sock', WATCHDOG_USEC: '2000000' }) =>
  wireLiveness({ env, ownPid: 7, loop, staleAfterMs: 3_000, log: silentLog, run });

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

it('says READY=1 once, at the first evaluation that quotes on a mid', async () => {
  const liveness = start();
  loop.emit('evaluated', 0);
  loop.state.mid = { num: 1_000_000n, den: 1n };
  loop.emit('evaluated', 0);
  loop.emit('evaluated', 0);
  await flush();
  expect(sent.filter((args) => args.includes('READY=1'))).toHaveLength(1);
  liveness.close();
});

it('pings every half watchdog period while fresh, not while stale with every stream up, and again while a stream is down', async () => {
  const liveness = start();
  await vi.advanceTimersByTimeAsync(1_000);
  await vi.advanceTimersByTimeAsync(1_000);
  expect(sent.filter((args) => args.includes('WATCHDOG=1'))).toHaveLength(2);
  loop.state.isStale = true;
  await vi.advanceTimersByTimeAsync(3_000);
  expect(sent.filter((args) => args.includes('WATCHDOG=1'))).toHaveLength(2);
  loop.state.streamsDown = ['market'];
  await vi.advanceTimersByTimeAsync(1_000);
  expect(sent.filter((args) => args.includes('WATCHDOG=1'))).toHaveLength(3);
  liveness.stopping();
  await flush();
  expect(sent.at(-1)).toEqual(['STOPPING=1', 'STATUS=stopping']);
  liveness.close();
});

it('does nothing at all outside a notify unit', async () => {
  const liveness = start({});
  loop.state.mid = { num: 1n, den: 1n };
  loop.emit('evaluated', 0);
  await vi.advanceTimersByTimeAsync(5_000);
  liveness.stopping();
  expect(sent).toEqual([]);
  liveness.close();
});
