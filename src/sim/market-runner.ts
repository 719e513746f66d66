// Moves every symbol's market. Live-like regimes run a RegimeProcess per symbol whose depth updates
// and mark publications follow the server's monotonic clock (autoRun), or one depth update per
// step(); the legacy regime steps the old per-push random walk. Paused or manual: the unchanged
// book and mark are re-pushed every pushIntervalMs, as a heartbeat.

import { seededRandom } from '../domain/random.js';
import type { Clock } from '../ops/clock.js';
import type { SymbolEntry } from './ledger.js';
import { RegimeProcess, type ProcessEvent } from './regime-process.js';
import { REGIMES, type RegimeName } from './regimes.js';

export interface MarketRunnerDeps {
  readonly symbols: ReadonlyMap<string, SymbolEntry>;
  readonly regime: RegimeName;
  readonly seed: number;
  readonly clock: Clock;
  /** 0: no timer at all; markets move only on step() and setPrice(). */
  readonly pushIntervalMs: number;
  readonly autoRun: boolean;
  /** Announces a depth update (`market`) or a mark publication (`mark`) of `symbol`. */
  readonly emit: (kind: 'market' | 'mark', symbol: string) => void;
  /** After the book moved: own resting orders it traded through fill. */
  readonly matchResting: (symbol: string) => void;
}

/** Independent of the seeds of the books, the engine and auth (see simulator.ts). */
const PROCESS_SEED_OFFSET = 3_000_017;
/** After a stall (suspend, debugger) the market resumes instead of replaying the backlog in a burst. */
const MAX_CATCH_UP_MS = 5_000;

export class MarketRunner {
  readonly #deps: MarketRunnerDeps;
  readonly #processes = new Map<string, RegimeProcess>();
  readonly #abort = new AbortController();
  /** Process time = monotonic clock − origin, while running. */
  #originMs: number;
  #pausedAtMs: number | null = null;

  constructor(deps: MarketRunnerDeps) {
    this.#deps = deps;
    const { regime } = deps;
    if (regime !== 'legacy') {
      [...deps.symbols.values()].forEach((entry, index) => {
        const random = seededRandom(deps.seed + PROCESS_SEED_OFFSET + index * 7919);
        const process = new RegimeProcess({ params: REGIMES[regime], startTicks: entry.market.snapshot.fairTicks, spreadTicks: entry.spec.config.spreadTicks, random });
        this.#processes.set(entry.spec.symbol, process);
      });
    }
    this.#originMs = deps.clock.monotonic();
  }

  /** Starts the clock-driven loop (nothing when pushIntervalMs is 0). */
  start(): void {
    if (this.#deps.pushIntervalMs > 0) void this.#loop();
  }

  /** One depth update of every symbol (with the mark publications due before it). */
  step(): void {
    for (const [symbol, entry] of this.#deps.symbols) {
      const process = this.#processes.get(symbol);
      if (!process) {
        entry.market.step();
        this.#moved(symbol, true);
        continue;
      }
      for (const event of process.runToNextDepth()) this.#apply(symbol, entry, process, event);
    }
  }

  /** Book, index, last trade and a published mark all exactly at `ticks`, at once. */
  setPrice(symbol: string, ticks: bigint): void {
    const entry = this.#deps.symbols.get(symbol);
    if (!entry) throw new RangeError(`unknown symbol ${symbol}`);
    this.#processes.get(symbol)?.reset(ticks);
    entry.market.setFair(ticks);
    this.#moved(symbol, true);
  }

  pause(): void {
    this.#pausedAtMs ??= this.#targetMs();
  }

  resume(): void {
    if (this.#pausedAtMs === null) return;
    this.#originMs = this.#deps.clock.monotonic() - this.#pausedAtMs;
    this.#pausedAtMs = null;
  }

  close(): void {
    this.#abort.abort();
  }

  get #isRunning(): boolean {
    return this.#deps.autoRun && this.#pausedAtMs === null;
  }

  #targetMs(): number {
    return this.#deps.clock.monotonic() - this.#originMs;
  }

  async #loop(): Promise<void> {
    const { clock, pushIntervalMs } = this.#deps;
    const signal = this.#abort.signal;
    const isLive = this.#processes.size > 0;
    while (!signal.aborted) {
      try {
        await clock.sleep(isLive && this.#isRunning ? this.#untilNextEventMs() : pushIntervalMs, signal);
      } catch {
        return;
      }
      if (!this.#isRunning) this.#heartbeat();
      else if (isLive) this.#catchUp();
      else this.step();
    }
  }

  #earliestEventMs(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const process of this.#processes.values()) next = Math.min(next, process.nextEventAtMs);
    return next;
  }

  /** Whole ms, so that a sleep always reaches the event (a fraction could round back to now). */
  #untilNextEventMs(): number {
    return Math.max(0, Math.ceil(this.#earliestEventMs() - this.#targetMs()));
  }

  /** Runs every event due by now, across symbols, in time order. */
  #catchUp(): void {
    let due = this.#targetMs();
    const lagMs = due - this.#earliestEventMs();
    if (lagMs > MAX_CATCH_UP_MS) {
      this.#originMs += lagMs;
      due -= lagMs;
    }
    for (;;) {
      const next = this.#nextDue(due);
      if (!next) return;
      const [symbol, process] = next;
      const entry = this.#deps.symbols.get(symbol);
      if (entry) this.#apply(symbol, entry, process, process.runNext());
    }
  }

  #nextDue(due: number): [string, RegimeProcess] | null {
    let best: [string, RegimeProcess] | null = null;
    for (const pair of this.#processes) {
      if (pair[1].nextEventAtMs <= due && (!best || pair[1].nextEventAtMs < best[1].nextEventAtMs)) best = pair;
    }
    return best;
  }

  #apply(symbol: string, entry: SymbolEntry, process: RegimeProcess, event: ProcessEvent): void {
    if (event === 'mark') {
      entry.market.publishMark(process.published);
      this.#deps.emit('mark', symbol);
      return;
    }
    entry.market.moveBook(process.fairTicks);
    this.#deps.emit('market', symbol);
    this.#deps.matchResting(symbol);
  }

  /** Depth then price pushes, as the book and mark stand; fills only when the book has moved. */
  #moved(symbol: string, hasMoved: boolean): void {
    this.#deps.emit('market', symbol);
    this.#deps.emit('mark', symbol);
    if (hasMoved) this.#deps.matchResting(symbol);
  }

  #heartbeat(): void {
    for (const symbol of this.#deps.symbols.keys()) this.#moved(symbol, false);
  }
}
