// Watches the account from the simulator's side while the soak runs: its resting quotes per side,
// whether it holds a position, its open sockets and the order commands received, sampled on a
// timer and kept on change; and the daemon's resident set, read from /proc.

import { readFileSync } from 'node:fs';
import type { Clock } from '../ops/clock.js';
import type { Simulator } from '../sim/index.js';
import type { StateSample } from './soak-accounting.js';
import { isFlatQty } from './soak-figures.js';

export interface ObserverDeps {
  readonly sim: Simulator;
  readonly address: string;
  readonly symbol: string;
  readonly clock: Clock;
  readonly sampleMs: number;
  readonly rssEveryMs: number;
  /** The daemon's process, whose RSS is read. */
  readonly pid: number | undefined;
}

export interface RssSample {
  readonly atMs: number;
  readonly bytes: number;
}

/** VmRSS of a Linux process, or null where /proc is not there to read. */
export function readRssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? null : Number(match[1]) * 1_024;
  } catch {
    return null;
  }
}

export class SoakObserver {
  readonly samples: StateSample[] = [];
  readonly rss: RssSample[] = [];
  readonly #deps: ObserverDeps;
  #sampleTimer: NodeJS.Timeout | undefined;
  #rssTimer: NodeJS.Timeout | undefined;

  constructor(deps: ObserverDeps) {
    this.#deps = deps;
  }

  /** The account's state now, as the simulator holds it. */
  read(): StateSample {
    const { sim, address, symbol, clock } = this.#deps;
    const resting = sim.openOrders(address, symbol).filter((order) => order.status === 'open');
    const stats = sim.stats();
    return {
      atMs: clock.now(),
      bids: resting.filter((order) => order.side === 'buy').length,
      asks: resting.filter((order) => order.side === 'sell').length,
      isFlat: isFlatQty(sim.position(address, symbol).qty),
      connections: stats.connections,
      commands: stats.ordersReceived + stats.cancelsReceived,
    };
  }

  start(): void {
    this.sample();
    this.readRss();
    this.#sampleTimer = setInterval(() => this.sample(), this.#deps.sampleMs);
    this.#rssTimer = setInterval(() => this.readRss(), this.#deps.rssEveryMs);
  }

  /** Records the state if it differs from the last one kept (or `always`). */
  sample(always = false): void {
    const next = this.read();
    const last = this.samples.at(-1);
    const isSame =
      last &&
      last.bids === next.bids &&
      last.asks === next.asks &&
      last.isFlat === next.isFlat &&
      last.connections === next.connections &&
      last.commands === next.commands;
    if (always || !isSame) this.samples.push(next);
  }

  readRss(): void {
    const { pid, clock } = this.#deps;
    const bytes = pid === undefined ? null : readRssBytes(pid);
    if (bytes !== null) this.rss.push({ atMs: clock.now(), bytes });
  }

  stop(): void {
    clearInterval(this.#sampleTimer);
    clearInterval(this.#rssTimer);
  }
}
