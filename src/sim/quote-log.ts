// The order flow of one account on one symbol during a metering window: orders placed, cancelled and
// filled, how long each quote rested before it was cancelled or filled, and every fill with the mid
// and published mark at that moment (so a report can price fills against the mid).

import { formatUnits } from '../domain/decimal.js';
import type { OrderRecord } from './accounts.js';
import type { TradeRecord } from './events.js';
import type { MarketSnapshot } from './market.js';
import { restingSinceMs } from './quote-presence.js';
import type { SymbolSpec } from './symbol-spec.js';
import type { MeterFill, QuoteLife } from './types.js';

export interface QuoteLogTotals {
  readonly ordersPlaced: number;
  readonly ordersCanceled: number;
  readonly ordersFilled: number;
  readonly quoteLives: QuoteLife[];
  readonly fills: MeterFill[];
}

const BPS = 10_000;

export class QuoteLog {
  readonly #spec: SymbolSpec;
  #placed = 0;
  #canceled = 0;
  #filled = 0;
  readonly #lives: QuoteLife[] = [];
  readonly #fills: MeterFill[] = [];

  constructor(spec: SymbolSpec) {
    this.#spec = spec;
  }

  /** An order push of the account: counts placements and endings, and closes a quote's life. */
  onOrder(order: OrderRecord, nowMonoMs: number): void {
    if (order.status === 'new') this.#placed += 1;
    if (order.status !== 'canceled' && order.status !== 'filled') return;
    if (order.status === 'canceled') this.#canceled += 1;
    else this.#filled += 1;
    const since = restingSinceMs(order);
    if (since !== null) this.#lives.push({ side: order.side, restedMs: nowMonoMs - since, endedBy: order.status });
  }

  onTrade(trade: TradeRecord, book: MarketSnapshot, nowMonoMs: number): void {
    const spec = this.#spec;
    const bid = book.bids[0]?.priceTicks ?? book.fairTicks;
    const ask = book.asks[0]?.priceTicks ?? book.fairTicks;
    const midTicks = Number(bid + ask) / 2;
    const priceTicks = Number(trade.priceTicks);
    const above = ((priceTicks - midTicks) / midTicks) * BPS;
    this.#fills.push({
      side: trade.side,
      price: formatUnits(trade.priceTicks, spec.priceDecimals),
      qty: formatUnits(trade.lots, spec.qtyDecimals),
      // The mid of two ticks may fall on a half tick: one more digit keeps it exact.
      mid: formatUnits((bid + ask) * 5n, spec.priceDecimals + 1),
      mark: formatUnits(book.markUnits, spec.markDecimals),
      isMaker: trade.isMaker,
      atMonoMs: nowMonoMs,
      costBps: trade.side === 'buy' ? above : -above,
    });
  }

  totals(): QuoteLogTotals {
    return { ordersPlaced: this.#placed, ordersCanceled: this.#canceled, ordersFilled: this.#filled, quoteLives: [...this.#lives], fills: [...this.#fills] };
  }
}
