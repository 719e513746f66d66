// Checks of an order against account and market state. Admission errors (duplicate cl_ord_id,
// margin_mode/leverage mismatch) are answered synchronously; the rest are matching-time rejections
// that StandX reports after the `code 0` submit ack (protocol §4, §6).

import { pow10 } from '../domain/decimal.js';
import { isLive, openOrdersOf, type AccountRecord, type Side } from './accounts.js';
import { accountMetrics, positionConfigOf, type SymbolEntry } from './ledger.js';
import { crosses } from './matching.js';
import { notionalMoney } from './money.js';
import type { OrderRequest } from './order-request.js';
import { MARK_EXTRA_DECIMALS } from './symbol-spec.js';

export type Check = { readonly ok: true; readonly qtyLots: bigint } | { readonly ok: false; readonly message: string };

/** query_symbol_info price_cap_ratio / price_floor_ratio: limit prices within ±30 % of the mark. */
const PRICE_BAND_PERCENT = 30n;

export function admissionError(account: AccountRecord, request: OrderRequest): string | null {
  if (request.clOrdId !== null) {
    const existing = account.clOrdIndex.get(request.clOrdId);
    if (existing !== undefined && account.orders.has(existing)) return 'duplicate cl_ord_id';
  }
  // Protocol §4/§8: margin_mode and leverage, when sent, must match the position's config.
  const config = positionConfigOf(account, request.spec);
  if (request.marginMode !== null && request.marginMode !== config.marginMode) return 'margin_mode does not match position';
  if (request.leverage !== null && request.leverage !== config.leverage) return 'leverage does not match position';
  return null;
}

/** Lots an order on `side` can still close: the opposite position less pending reduce-only orders. */
export function reduceCapacity(account: AccountRecord, symbol: string, side: Side, excludeOrderId?: number): bigint {
  const positionLots = account.positions.get(symbol)?.qtyLots ?? 0n;
  const closable = side === 'sell' ? positionLots : -positionLots;
  if (closable <= 0n) return 0n;
  let pending = 0n;
  for (const order of openOrdersOf(account, symbol)) {
    if (order.id === excludeOrderId || !order.reduceOnly || order.side !== side || !isLive(order.status)) continue;
    pending += order.qtyLots - order.filledLots;
  }
  return closable > pending ? closable - pending : 0n;
}

function outsidePriceBand(priceTicks: bigint, markUnits: bigint): boolean {
  const priceUnits = priceTicks * pow10(MARK_EXTRA_DECIMALS) * 100n;
  return priceUnits > markUnits * (100n + PRICE_BAND_PERCENT) || priceUnits < markUnits * (100n - PRICE_BAND_PERCENT);
}

function marginShortfall(account: AccountRecord, request: OrderRequest, entry: SymbolEntry, qtyLots: bigint, symbols: ReadonlyMap<string, SymbolEntry>): boolean {
  if (request.reduceOnly) return false;
  const book = entry.market.snapshot;
  const opposite = request.side === 'buy' ? book.asks[0] : book.bids[0];
  const priceTicks = request.priceTicks ?? opposite?.priceTicks ?? book.fairTicks;
  const leverage = positionConfigOf(account, entry.spec).leverage;
  const required = notionalMoney(priceTicks, qtyLots, entry.spec) / BigInt(leverage);
  return accountMetrics(account, symbols).available < required;
}

/**
 * Matching-time checks, in StandX's likely order: limits, reduce-only, price band, margin, post-only.
 * Reduce-only is capped, not rejected, when it exceeds the closable size: the docs describe a "cap"
 * (protocol §4) and a flattening order sent against a stale position must not fail outright (§9).
 * One that can close nothing would grow the position and is rejected.
 */
export function preTradeCheck(
  account: AccountRecord,
  request: OrderRequest,
  entry: SymbolEntry,
  symbols: ReadonlyMap<string, SymbolEntry>,
): Check {
  const { spec } = request;
  if (openOrdersOf(account, spec.symbol).length >= spec.config.maxOpenOrders) {
    return { ok: false, message: 'max open orders exceeded' };
  }
  let qtyLots = request.qtyLots;
  if (request.reduceOnly) {
    const capacity = reduceCapacity(account, spec.symbol, request.side);
    if (capacity === 0n) return { ok: false, message: 'reduce only order would increase position' };
    if (qtyLots > capacity) qtyLots = capacity;
  }
  const book = entry.market.snapshot;
  if (request.priceTicks !== null && outsidePriceBand(request.priceTicks, book.markUnits)) {
    return { ok: false, message: 'price out of range' };
  }
  if (marginShortfall(account, request, entry, qtyLots, symbols)) return { ok: false, message: 'insufficient margin' };
  if (request.timeInForce === 'alo' && request.priceTicks !== null && crosses(request.side, request.priceTicks, book)) {
    return { ok: false, message: 'alo order rejected' };
  }
  return { ok: true, qtyLots };
}
