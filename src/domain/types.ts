// Plain value types shared by the engine, the exchange adapter and the simulator's tests.
// Prices are integer ticks and sizes integer lots of the symbol (see SymbolSpec); P&L and balances,
// which nothing computes with, stay decimal strings.

import type { TickPrice } from './price.js';

export type Side = 'buy' | 'sell';
export type OrderType = 'limit' | 'market';
export type TimeInForce = 'gtc' | 'ioc' | 'alo';

export interface SymbolSpec {
  readonly symbol: string;
  /** tick = 10^-priceDecimals (query_symbol_info price_tick_decimals). */
  readonly priceDecimals: number;
  /** lot = 10^-qtyDecimals (query_symbol_info qty_tick_decimals). */
  readonly qtyDecimals: number;
  readonly minOrderLots: bigint;
  readonly maxOrderLots: bigint;
  readonly maxOpenOrders: number;
  readonly enabled: boolean;
  /** Fee rates as decimal fractions of the notional (query_symbol_info maker_fee, taker_fee), when given. */
  readonly makerFeeRate?: string;
  readonly takerFeeRate?: string;
}

export interface BookLevel {
  readonly priceTicks: bigint;
  readonly qtyLots: bigint;
}

/** A depth snapshot: bids best (highest) first, asks best (lowest) first, never crossed. */
export interface Book {
  readonly symbol: string;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  /** Local receive time (ms, injected clock). */
  readonly receivedAtMs: number;
}

export interface MarkPrice {
  readonly symbol: string;
  readonly mark: TickPrice;
  readonly receivedAtMs: number;
}

/** Normalised order life: the raw exchange status is kept for logs. */
export type OrderState = 'live' | 'filled' | 'canceled' | 'rejected';

export interface Order {
  readonly id: number;
  readonly clOrdId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** Null for market orders. */
  readonly priceTicks: bigint | null;
  readonly qtyLots: bigint;
  readonly filledLots: bigint;
  readonly reduceOnly: boolean;
  readonly state: OrderState;
  readonly rawStatus: string;
  /** The average price of what filled so far (fill_avg_price, exact decimal), when the exchange gives it. */
  readonly avgFillPrice?: string;
}

export interface Position {
  readonly symbol: string;
  /** Signed: negative is short. */
  readonly qtyLots: bigint;
  readonly entryPrice: string;
  readonly realizedPnl: string;
}

export interface Balance {
  readonly balance: string;
  readonly equity: string;
  readonly crossAvailable: string;
  readonly upnl: string;
}

export interface NewOrderRequest {
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly qtyLots: bigint;
  /** Required for limit orders. */
  readonly priceTicks?: bigint;
  readonly reduceOnly: boolean;
  readonly clOrdId: string;
}

export type OrderRef = { readonly orderId: number } | { readonly clOrdId: string };
