// Time-weighted quoting uptime of one account on one symbol, on a monotonic clock: two-sided within
// [minBps, maxBps] of the book mid, two-sided within markBandBps of the published mark, and per-side requote
// gaps. In/out of band is decided with exact integer arithmetic; only durations are numbers.

import { pow10 } from '../domain/decimal.js';
import { openOrdersOf, type AccountStore, type Side } from './accounts.js';
import type { EventHub } from './events.js';
import type { SymbolEntry } from './ledger.js';
import { ratioFromNumber, type Ratio } from './money.js';
import { MARK_EXTRA_DECIMALS } from './symbol-spec.js';
import type { UptimeBand, UptimeMeter, UptimeReport } from './types.js';

export interface MeterDeps {
  readonly events: EventHub;
  readonly accounts: AccountStore;
  readonly entry: SymbolEntry;
  readonly address: string;
  readonly band: UptimeBand;
  readonly monoNowMs: () => number;
}

interface SideState {
  readonly inBand: boolean;
  readonly nearMark: boolean;
}

interface Bands {
  readonly min: Ratio;
  readonly max: Ratio;
  readonly mark: Ratio;
}

/** Prices are compared in units of 1 / (2 * 10^MARK_EXTRA_DECIMALS) tick: mids and marks are whole there. */
const MARK_SCALE = pow10(MARK_EXTRA_DECIMALS);
const BPS = 10_000n;

/** distance / reference * 10 000 compared with bps, all positive, no division. */
function bpsAtLeast(distance: bigint, reference: bigint, bps: Ratio): boolean {
  return distance * BPS * bps.den >= bps.num * reference;
}

function bpsAtMost(distance: bigint, reference: bigint, bps: Ratio): boolean {
  return distance * BPS * bps.den <= bps.num * reference;
}

/** Whether one side has a resting own order in the mid band, and one near the mark. */
function evaluateSide(deps: MeterDeps, bands: Bands, side: Side): SideState {
  const book = deps.entry.market.snapshot;
  const bid = book.bids[0]?.priceTicks;
  const ask = book.asks[0]?.priceTicks;
  const account = deps.accounts.get(deps.address);
  if (bid === undefined || ask === undefined || !account) return { inBand: false, nearMark: false };
  const mid = (bid + ask) * MARK_SCALE;
  const mark = book.markUnits * 2n;
  let inBand = false;
  let nearMark = false;
  for (const order of openOrdersOf(account, deps.entry.spec.symbol)) {
    if (order.side !== side || order.priceTicks === null || order.status !== 'open') continue;
    const price = order.priceTicks * 2n * MARK_SCALE;
    const fromMid = side === 'buy' ? mid - price : price - mid;
    if (fromMid >= 0n && bpsAtLeast(fromMid, mid, bands.min) && bpsAtMost(fromMid, mid, bands.max)) inBand = true;
    const fromMark = price > mark ? price - mark : mark - price;
    if (bpsAtMost(fromMark, mark, bands.mark)) nearMark = true;
  }
  return { inBand, nearMark };
}

class Meter implements UptimeMeter {
  readonly #deps: MeterDeps;
  readonly #bands: Bands;
  readonly #startMs: number;
  readonly #gapStart: Record<Side, number | null> = { buy: null, sell: null };
  readonly #gaps: number[] = [];
  readonly #unsubscribe: () => void;
  #lastMs: number;
  #inBandMs = 0;
  #markMs = 0;
  #state: Record<Side, SideState>;
  #stopped = false;

  constructor(deps: MeterDeps) {
    this.#deps = { ...deps, address: deps.address.toLowerCase() };
    this.#bands = { min: ratioFromNumber(deps.band.minBps), max: ratioFromNumber(deps.band.maxBps), mark: ratioFromNumber(deps.band.markBandBps) };
    this.#startMs = deps.monoNowMs();
    this.#lastMs = this.#startMs;
    this.#state = this.#evaluate();
    const { address, entry } = this.#deps;
    this.#unsubscribe = deps.events.on((event) => {
      const relevant =
        ((event.kind === 'market' || event.kind === 'mark') && event.symbol === entry.spec.symbol) ||
        (event.kind === 'order' && event.order.address === address && event.order.symbol === entry.spec.symbol);
      if (relevant) this.#update();
    });
  }

  report(): UptimeReport {
    if (!this.#stopped) this.#accrue(this.#deps.monoNowMs());
    return { elapsedMs: this.#lastMs - this.#startMs, twoSidedInBandMs: this.#inBandMs, twoSidedMarkMs: this.#markMs, requoteGapsMs: [...this.#gaps] };
  }

  stop(): void {
    if (this.#stopped) return;
    this.#accrue(this.#deps.monoNowMs());
    this.#stopped = true;
    this.#unsubscribe();
  }

  #evaluate(): Record<Side, SideState> {
    return { buy: evaluateSide(this.#deps, this.#bands, 'buy'), sell: evaluateSide(this.#deps, this.#bands, 'sell') };
  }

  #accrue(now: number): void {
    const dt = now - this.#lastMs;
    if (this.#state.buy.inBand && this.#state.sell.inBand) this.#inBandMs += dt;
    if (this.#state.buy.nearMark && this.#state.sell.nearMark) this.#markMs += dt;
    this.#lastMs = now;
  }

  #update(): void {
    const now = this.#deps.monoNowMs();
    this.#accrue(now);
    const next = this.#evaluate();
    for (const side of ['buy', 'sell'] as const) {
      const wasIn = this.#state[side].inBand;
      const started = this.#gapStart[side];
      if (wasIn && !next[side].inBand) this.#gapStart[side] = now;
      if (!wasIn && next[side].inBand && started !== null) {
        this.#gaps.push(now - started);
        this.#gapStart[side] = null;
      }
    }
    this.#state = next;
  }
}

export function createUptimeMeter(deps: MeterDeps): UptimeMeter {
  return new Meter(deps);
}
