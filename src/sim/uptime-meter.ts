// Time-weighted quoting uptime of one account on one symbol, on a monotonic clock: two-sided within
// [minBps, maxBps] of the book mid, near the published mark, credited as StandX would (near the mark
// at the minimum size, optionally only after resting), empty sides, requote gaps, and the order flow.

import { parseUnits } from '../domain/decimal.js';
import { openOrdersOf, type AccountStore, type Side } from './accounts.js';
import type { EventHub, SimEvent } from './events.js';
import type { SymbolEntry } from './ledger.js';
import { ratioFromNumber } from './money.js';
import { sidePresence, type PresenceRule, type SidePresence } from './quote-presence.js';
import { QuoteLog } from './quote-log.js';
import type { MakerUptimeReport, UptimeBand, UptimeMeter } from './types.js';

export interface MeterDeps {
  readonly events: EventHub;
  readonly accounts: AccountStore;
  readonly entry: SymbolEntry;
  readonly address: string;
  readonly band: UptimeBand;
  readonly monoNowMs: () => number;
}

/** The older volume programme's minimum resting time (reference: "orders live ≥ 0.5 s"). */
export const DEFAULT_MIN_REST_MS = 500;

interface Totals {
  inBandMs: number;
  markMs: number;
  creditedMs: number;
  creditedRestedMs: number;
  emptyBuyMs: number;
  emptySellMs: number;
  bothEmptyMs: number;
}

export function presenceRuleOf(band: UptimeBand, entry: SymbolEntry): PresenceRule {
  const { spec } = entry;
  return {
    midBand: { min: ratioFromNumber(band.minBps), max: ratioFromNumber(band.maxBps) },
    markBand: ratioFromNumber(band.markBandBps),
    minLots: band.minQty === undefined ? spec.minLots : parseUnits(band.minQty, spec.qtyDecimals),
    minRestMs: band.minRestMs ?? DEFAULT_MIN_REST_MS,
  };
}

class Meter implements UptimeMeter {
  readonly #deps: MeterDeps;
  readonly #rule: PresenceRule;
  readonly #startMs: number;
  readonly #gapStart: Record<Side, number | null> = { buy: null, sell: null };
  readonly #gaps: number[] = [];
  readonly #log: QuoteLog;
  readonly #unsubscribe: () => void;
  readonly #totals: Totals = { inBandMs: 0, markMs: 0, creditedMs: 0, creditedRestedMs: 0, emptyBuyMs: 0, emptySellMs: 0, bothEmptyMs: 0 };
  #lastMs: number;
  #state: Record<Side, SidePresence>;
  #stopped = false;

  constructor(deps: MeterDeps) {
    this.#deps = { ...deps, address: deps.address.toLowerCase() };
    this.#rule = presenceRuleOf(deps.band, deps.entry);
    this.#log = new QuoteLog(deps.entry.spec);
    this.#startMs = deps.monoNowMs();
    this.#lastMs = this.#startMs;
    this.#state = this.#evaluate();
    this.#unsubscribe = deps.events.on((event) => this.#onEvent(event));
  }

  report(): MakerUptimeReport {
    if (!this.#stopped) this.#accrue(this.#deps.monoNowMs());
    const t = this.#totals;
    return {
      elapsedMs: this.#lastMs - this.#startMs,
      twoSidedInBandMs: t.inBandMs,
      twoSidedMarkMs: t.markMs,
      requoteGapsMs: [...this.#gaps],
      creditedMs: t.creditedMs,
      creditedRestedMs: t.creditedRestedMs,
      emptySideMs: { buy: t.emptyBuyMs, sell: t.emptySellMs },
      twoSidedEmptyMs: t.bothEmptyMs,
      ...this.#log.totals(),
    };
  }

  stop(): void {
    if (this.#stopped) return;
    this.#accrue(this.#deps.monoNowMs());
    this.#stopped = true;
    this.#unsubscribe();
  }

  #onEvent(event: SimEvent): void {
    const { address, entry } = this.#deps;
    const symbol = entry.spec.symbol;
    if ((event.kind === 'market' || event.kind === 'mark') && event.symbol === symbol) this.#update();
    else if (event.kind === 'order' && event.order.address === address && event.order.symbol === symbol) {
      this.#update();
      this.#log.onOrder(event.order, this.#deps.monoNowMs());
    } else if (event.kind === 'trade' && event.trade.address === address && event.trade.symbol === symbol) {
      this.#log.onTrade(event.trade, entry.market.snapshot, this.#deps.monoNowMs());
    }
  }

  #evaluate(): Record<Side, SidePresence> {
    const account = this.#deps.accounts.get(this.#deps.address);
    const orders = account ? openOrdersOf(account, this.#deps.entry.spec.symbol) : [];
    const book = this.#deps.entry.market.snapshot;
    return { buy: sidePresence(orders, 'buy', book, this.#rule), sell: sidePresence(orders, 'sell', book, this.#rule) };
  }

  #accrue(now: number): void {
    const dt = now - this.#lastMs;
    const { buy, sell } = this.#state;
    const t = this.#totals;
    if (buy.inBand && sell.inBand) t.inBandMs += dt;
    if (buy.nearMark && sell.nearMark) t.markMs += dt;
    if (buy.credited && sell.credited) t.creditedMs += dt;
    if (buy.restedFromMs !== null && sell.restedFromMs !== null) {
      t.creditedRestedMs += Math.max(0, now - Math.max(this.#lastMs, buy.restedFromMs, sell.restedFromMs));
    }
    if (buy.isEmpty) t.emptyBuyMs += dt;
    if (sell.isEmpty) t.emptySellMs += dt;
    if (buy.isEmpty && sell.isEmpty) t.bothEmptyMs += dt;
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
