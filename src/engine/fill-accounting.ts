// The daemon's own books on its fills: the position they build, the P&L realized when a fill closes
// part of it, the fee at the symbol's maker or taker rate, and a flatten's slippage against the mid
// at the moment the quotes it closes were filled. Exact money; no I/O.

import { abs } from '../domain/decimal.js';
import { bpsOf, feeOf, formatMoney, money, moneyFromTickPrice, notionalOf, type Money } from '../domain/money.js';
import type { TickPrice } from '../domain/price.js';
import type { Side } from '../domain/types.js';
import type { FillRecord } from './ledger-records.js';
import type { OrderPurpose } from './own-orders.js';

export interface FeeRates {
  /** Decimal fractions of the notional, e.g. "0.0001" for 1 bp. */
  readonly maker: string;
  readonly taker: string;
}

/** StandX charges 1 bp to makers and 4 bp to takers on every symbol (protocol §11.5). */
export const STANDX_FEE_RATES: FeeRates = { maker: '0.0001', taker: '0.0004' };

export interface FillInput {
  readonly atMs: number;
  readonly clOrdId: string;
  readonly side: Side;
  readonly purpose: OrderPurpose;
  readonly lots: bigint;
  /** What this fill paid or got per unit. */
  readonly price: Money;
  readonly mid: TickPrice | null;
  readonly mark: TickPrice | null;
  readonly quoteAgeMs: number;
}

export interface AccountingSpec {
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
}

/** The open position as these books see it, with what opened it. */
interface Book {
  /** Signed, like the exchange's. */
  lots: bigint;
  /** Σ price·lots of the open part. */
  cost: Money;
  /** Σ mid·lots at the fills that opened it (the flatten's reference). */
  reference: Money;
}

export class FillAccounting {
  readonly #spec: AccountingSpec;
  readonly #rates: FeeRates;
  readonly #book: Book = { lots: 0n, cost: money(0n), reference: money(0n) };

  constructor(spec: AccountingSpec, rates: FeeRates) {
    this.#spec = spec;
    this.#rates = rates;
  }

  /** Books one fill and returns the ledger record for it. */
  record(fill: FillInput): FillRecord {
    const { qtyDecimals, priceDecimals } = this.#spec;
    // A quote is post-only, so it rests and makes; a flatten is a market order and takes.
    const liquidity = fill.purpose === 'quote' ? 'maker' : 'taker';
    const notional = notionalOf(fill.price, fill.lots, qtyDecimals);
    const fee = feeOf(notional, liquidity === 'maker' ? this.#rates.maker : this.#rates.taker);
    const midMoney = fill.mid ? moneyFromTickPrice(fill.mid, priceDecimals) : null;
    const closing = this.#close(fill, notional);
    if (closing === null && fill.purpose === 'quote') this.#open(fill.side, fill.lots, notional, midMoney ?? fill.price);
    const record: FillRecord = {
      kind: 'fill',
      atMs: fill.atMs,
      clOrdId: fill.clOrdId,
      side: fill.side,
      purpose: fill.purpose,
      liquidity,
      lots: fill.lots.toString(),
      price: formatMoney(fill.price),
      notional: formatMoney(notional),
      fee: formatMoney(fee),
      realizedPnl: closing === null ? null : formatMoney(closing.realized),
      quoteAgeMs: fill.quoteAgeMs,
      mid: midMoney === null ? null : formatMoney(midMoney),
      mark: fill.mark ? formatMoney(moneyFromTickPrice(fill.mark, priceDecimals)) : null,
    };
    if (closing === null || fill.purpose !== 'flatten') return record;
    return { ...record, ...slippage(fill.side, notional, closing.reference) };
  }

  /** Closes what the fill can of an opposite position; null when it closes nothing these books know of. */
  #close(fill: FillInput, notional: Money): { realized: Money; reference: Money } | null {
    const book = this.#book;
    const signed = fill.side === 'buy' ? fill.lots : -fill.lots;
    if (book.lots === 0n || book.lots > 0n === signed > 0n) return null;
    const openLots = abs(book.lots);
    const closingLots = fill.lots < openLots ? fill.lots : openLots;
    const closedCost = money((book.cost * closingLots) / openLots);
    const closedReference = money((book.reference * closingLots) / openLots);
    const exit = money((notional * closingLots) / fill.lots);
    const realized = money(book.lots > 0n ? exit - closedCost : closedCost - exit);
    book.cost = money(book.cost - closedCost);
    book.reference = money(book.reference - closedReference);
    book.lots += fill.side === 'buy' ? closingLots : -closingLots;
    const rest = fill.lots - closingLots;
    // A quote that closes a position and goes beyond it opens the other way with the rest.
    if (rest > 0n && fill.purpose === 'quote') this.#open(fill.side, rest, money(notional - exit), fill.price);
    return { realized, reference: money((closedReference * fill.lots) / closingLots) };
  }

  #open(side: Side, lots: bigint, notional: Money, referencePrice: Money): void {
    const book = this.#book;
    book.lots += side === 'buy' ? lots : -lots;
    book.cost = money(book.cost + notional);
    book.reference = money(book.reference + notionalOf(referencePrice, lots, this.#spec.qtyDecimals));
  }
}

/** What closing at this notional cost against the reference: a sale below it, a purchase above it. */
function slippage(side: Side, notional: Money, reference: Money): { slippage: string; slippageBps: string | null } {
  const cost = money(side === 'sell' ? reference - notional : notional - reference);
  return { slippage: formatMoney(cost), slippageBps: bpsOf(cost, reference) };
}
