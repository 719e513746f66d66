// The simulator's own ledger of credited maker time, per account and symbol, in UTC hours of the
// server clock: both sides resting within the mark band of the published mark at the minimum size,
// measured continuously (re-evaluated on every own order change and every mark publication).

import { parseUnits } from '../domain/decimal.js';
import { openOrdersOf, type AccountStore } from './accounts.js';
import type { EventHub, SimEvent } from './events.js';
import type { SymbolEntry } from './ledger.js';
import { ratioFromNumber } from './money.js';
import { sidePresence, type PresenceRule } from './quote-presence.js';

export interface CreditLedgerDeps {
  readonly events: EventHub;
  readonly accounts: AccountStore;
  readonly symbols: ReadonlyMap<string, SymbolEntry>;
  /** Server wall time (ms); a clock stepping back accrues nothing. */
  readonly serverNowMs: () => number;
  readonly markBandBps: number;
}

interface Track {
  isCredited: boolean;
  lastMs: number;
  /** Hour start (ms) → credited ms in that hour. */
  readonly hours: Map<number, number>;
}

const HOUR_MS = 3_600_000;
/** The last 24 full hours plus the current one. */
const KEPT_HOURS = 25;
/** Reference: "both sides resting within 10 bps of the mark". */
export const DEFAULT_UPTIME_MARK_BAND_BPS = 10;

export class CreditLedger {
  readonly #deps: CreditLedgerDeps;
  readonly #rules = new Map<string, PresenceRule>();
  /** `${address}|${symbol}` → track. */
  readonly #tracks = new Map<string, Track>();

  constructor(deps: CreditLedgerDeps) {
    this.#deps = deps;
    for (const [symbol, entry] of deps.symbols) {
      const { spec } = entry;
      const minQty = spec.config.uptimeMinQty;
      this.#rules.set(symbol, {
        midBand: null,
        markBand: ratioFromNumber(deps.markBandBps),
        minLots: minQty === undefined ? spec.minLots : parseUnits(minQty, spec.qtyDecimals),
        minRestMs: 0,
      });
    }
    deps.events.on((event) => this.#onEvent(event));
  }

  /** Credited ms per UTC hour start, up to now, for one symbol or (without) the best symbol of each hour. */
  creditByHour(address: string, symbol?: string): Map<number, number> {
    const now = this.#deps.serverNowMs();
    const result = new Map<number, number>();
    for (const [key, track] of this.#tracks) {
      const [owner, trackSymbol] = key.split('|');
      if (owner !== address.toLowerCase() || (symbol !== undefined && trackSymbol !== symbol)) continue;
      this.#accrue(track, now);
      for (const [hour, ms] of track.hours) result.set(hour, Math.max(result.get(hour) ?? 0, ms));
    }
    return result;
  }

  #onEvent(event: SimEvent): void {
    if (event.kind === 'order') this.#evaluate(event.order.address, event.order.symbol);
    else if (event.kind === 'mark') {
      for (const key of this.#tracks.keys()) {
        const [address, symbol] = key.split('|');
        if (symbol === event.symbol && address !== undefined) this.#evaluate(address, symbol);
      }
    }
  }

  #evaluate(address: string, symbol: string): void {
    const entry = this.#deps.symbols.get(symbol);
    const rule = this.#rules.get(symbol);
    const account = this.#deps.accounts.get(address);
    if (!entry || !rule || !account) return;
    const key = `${account.address}|${symbol}`;
    const now = this.#deps.serverNowMs();
    const track = this.#tracks.get(key) ?? { isCredited: false, lastMs: now, hours: new Map<number, number>() };
    this.#tracks.set(key, track);
    this.#accrue(track, now);
    const orders = openOrdersOf(account, symbol);
    const book = entry.market.snapshot;
    track.isCredited = sidePresence(orders, 'buy', book, rule).credited && sidePresence(orders, 'sell', book, rule).credited;
  }

  /** Adds [lastMs, now) to its hours when credited, split at hour boundaries, and drops old hours. */
  #accrue(track: Track, now: number): void {
    let from = track.lastMs;
    track.lastMs = Math.max(track.lastMs, now);
    if (track.isCredited) {
      while (from < now) {
        const hour = Math.floor(from / HOUR_MS) * HOUR_MS;
        const to = Math.min(now, hour + HOUR_MS);
        track.hours.set(hour, (track.hours.get(hour) ?? 0) + (to - from));
        from = to;
      }
    }
    const oldest = Math.floor(now / HOUR_MS) * HOUR_MS - (KEPT_HOURS - 1) * HOUR_MS;
    for (const hour of track.hours.keys()) if (hour < oldest) track.hours.delete(hour);
  }
}
