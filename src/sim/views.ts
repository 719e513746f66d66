// Wire shapes built from simulator state: the REST/WS order object, position, balance (REST and
// wallet views), symbol info, symbol price and depth book, exactly as protocol §4/§5 show them.

import { abs, formatUnits } from '../domain/decimal.js';
import { isLive, type AccountRecord, type OrderRecord, type OrderSnapshot, type PositionRecord } from './accounts.js';
import type { TradeRecord } from './events.js';
import { accountMetrics, orderMargin, positionConfigOf, positionMargin, positionUpnl, type SymbolEntry } from './ledger.js';
import type { BookLevel } from './market.js';
import { averagePrice, formatMoney, markNotionalMoney, notionalMoney } from './money.js';
import type { SymbolSpec } from './symbol-spec.js';
import type { SimOrderView, SimPositionView } from './types.js';

export type Json = Record<string, unknown>;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function price(ticks: bigint, spec: SymbolSpec): string {
  return formatUnits(ticks, spec.priceDecimals);
}

function qty(lots: bigint, spec: SymbolSpec): string {
  return formatUnits(lots, spec.qtyDecimals);
}

export function markString(entry: SymbolEntry): string {
  return formatUnits(entry.market.snapshot.markUnits, entry.spec.markDecimals);
}

/** The order object; `at` renders an older snapshot of it (lagging REST reads). */
export function orderView(order: OrderRecord, spec: SymbolSpec, at?: OrderSnapshot): SimOrderView {
  const filledLots = at?.filledLots ?? order.filledLots;
  const filledMoney = at?.filledMoney ?? order.filledMoney;
  const status = at?.status ?? order.status;
  return {
    id: order.id,
    cl_ord_id: order.clOrdId,
    symbol: order.symbol,
    side: order.side,
    order_type: order.type,
    time_in_force: order.timeInForce,
    price: order.priceTicks === null ? null : price(order.priceTicks, spec),
    qty: qty(order.qtyLots, spec),
    fill_qty: qty(filledLots, spec),
    fill_avg_price: averagePrice(filledMoney, filledLots, spec, spec.priceDecimals + 2),
    status,
    reduce_only: order.reduceOnly,
    leverage: String(order.leverage),
    margin: '0',
    avail_locked: isLive(status) ? formatMoney(orderMargin({ ...order, filledLots }, spec)) : '0',
    position_id: order.positionId,
    liq_id: 0,
    closed_block: -1,
    created_block: -1,
    payload: null,
    remark: order.remark,
    source: 'user',
    user: `bsc_${order.address}`,
    created_at: iso(order.createdAtMs),
    updated_at: iso(at?.updatedAtMs ?? order.updatedAtMs),
  };
}

export function flatPosition(symbol: string, nowMs: number): PositionRecord {
  return { id: 0, symbol, qtyLots: 0n, entryMoney: 0n, realizedMoney: 0n, createdAtMs: nowMs, updatedAtMs: nowMs };
}

export function positionView(account: AccountRecord, position: PositionRecord, entry: SymbolEntry, nowMs: number): SimPositionView {
  const { spec } = entry;
  const config = positionConfigOf(account, spec);
  const mark = entry.market.snapshot.markUnits;
  const lots = abs(position.qtyLots);
  const margin = positionMargin(position, mark, spec, config.leverage);
  return {
    id: position.id,
    symbol: position.symbol,
    qty: qty(position.qtyLots, spec),
    entry_price: averagePrice(position.entryMoney, lots, spec, spec.priceDecimals + 4),
    entry_value: formatMoney(position.entryMoney),
    leverage: String(config.leverage),
    margin_mode: config.marginMode,
    margin_asset: 'DUSD',
    // Protocol §7: the closed-position status is undocumented; "closed" once flat.
    status: position.qtyLots === 0n ? 'closed' : 'open',
    upnl: formatMoney(positionUpnl(position, mark, spec)),
    realized_pnl: formatMoney(position.realizedMoney),
    mark_price: markString(entry),
    liq_price: '0',
    bankruptcy_price: '0',
    holding_margin: formatMoney(margin),
    initial_margin: formatMoney(margin),
    maint_margin: formatMoney(margin / 2n),
    mmr: '0',
    position_value: formatMoney(markNotionalMoney(mark, lots, spec)),
    time: iso(nowMs),
    created_at: iso(position.createdAtMs),
    updated_at: iso(position.updatedAtMs),
    user: `bsc_${account.address}`,
  };
}

/** query_balance (protocol §4): everything in the cross account. */
export function balanceView(account: AccountRecord, symbols: ReadonlyMap<string, SymbolEntry>): Json {
  const metrics = accountMetrics(account, symbols);
  return {
    isolated_balance: '0',
    isolated_upnl: '0',
    cross_balance: formatMoney(metrics.balance),
    cross_margin: formatMoney(metrics.positionMargin),
    cross_upnl: formatMoney(metrics.upnl),
    locked: formatMoney(metrics.orderMargin),
    cross_available: formatMoney(metrics.available),
    balance: formatMoney(metrics.balance),
    upnl: formatMoney(metrics.upnl),
    equity: formatMoney(metrics.equity),
    pnl_freeze: '0',
  };
}

/** The `balance` push is the wallet view, not the REST shape (protocol §5). */
export function walletBalanceView(account: AccountRecord, symbols: ReadonlyMap<string, SymbolEntry>, version: number): Json {
  const metrics = accountMetrics(account, symbols);
  return {
    token: 'DUSD',
    free: formatMoney(metrics.available),
    total: formatMoney(metrics.balance),
    locked: formatMoney(metrics.orderMargin),
    occupied: formatMoney(metrics.positionMargin),
    inbound: '0',
    outbound: '0',
    account_type: 'perps',
    is_enabled: true,
    kind: 'perps',
    wallet_id: `bsc_${account.address}`,
    version,
  };
}

export function tradeView(trade: TradeRecord, spec: SymbolSpec): Json {
  return {
    id: trade.id,
    order_id: trade.orderId,
    symbol: trade.symbol,
    side: trade.side,
    price: price(trade.priceTicks, spec),
    qty: qty(trade.lots, spec),
    value: formatMoney(notionalMoney(trade.priceTicks, trade.lots, spec)),
    fee_asset: 'DUSD',
    fee_qty: formatMoney(trade.feeMoney),
    pnl: formatMoney(trade.pnlMoney),
    is_maker: trade.isMaker,
    created_at: iso(trade.timeMs),
  };
}

export function symbolInfoView(spec: SymbolSpec, createdMs: number): Json {
  const config = spec.config;
  return {
    symbol: spec.symbol,
    base_asset: spec.symbol.split('-')[0] ?? spec.symbol,
    quote_asset: 'DUSD',
    base_decimals: 9,
    quote_decimals: 9,
    price_tick_decimals: spec.priceDecimals,
    qty_tick_decimals: spec.qtyDecimals,
    min_order_qty: config.minOrderQty,
    max_order_qty: config.maxOrderQty,
    max_open_orders: String(config.maxOpenOrders),
    max_position_size: '1000',
    def_leverage: String(config.defaultLeverage),
    max_leverage: String(spec.maxLeverage),
    maker_fee: config.makerFee,
    taker_fee: config.takerFee,
    price_cap_ratio: '0.3',
    price_floor_ratio: '0.3',
    depth_ticks: '0.01,0.1,1',
    enabled: config.enabled,
    created_at: iso(createdMs),
    updated_at: iso(createdMs),
  };
}

export function priceView(entry: SymbolEntry, nowMs: number): Json {
  const { spec, market } = entry;
  const book = market.snapshot;
  const bid = book.bids[0]?.priceTicks ?? book.fairTicks;
  const ask = book.asks[0]?.priceTicks ?? book.fairTicks;
  return {
    base: spec.symbol.split('-')[0] ?? spec.symbol,
    quote: 'DUSD',
    symbol: spec.symbol,
    index_price: price(book.indexTicks, spec),
    mark_price: markString(entry),
    last_price: price(book.lastTicks, spec),
    // The mid of two ticks may fall on a half tick: one more digit keeps it exact.
    mid_price: formatUnits((bid + ask) * 5n, spec.priceDecimals + 1),
    spread_bid: price(bid, spec),
    spread_ask: price(ask, spec),
    spread: [price(bid, spec), price(ask, spec)],
    time: iso(nowMs),
  };
}

/** Levels are deliberately unsorted, as StandX sends them (protocol §4/§5): odd ranks reversed, then even. */
function unsorted(levels: readonly BookLevel[], spec: SymbolSpec): [string, string][] {
  const odd = levels.filter((_, index) => index % 2 === 1).reverse();
  const even = levels.filter((_, index) => index % 2 === 0);
  return [...odd, ...even].map((level) => [price(level.priceTicks, spec), qty(level.qtyLots, spec)]);
}

export function depthLevels(entry: SymbolEntry): { asks: [string, string][]; bids: [string, string][] } {
  const book = entry.market.snapshot;
  return { asks: unsorted(book.asks, entry.spec), bids: unsorted(book.bids, entry.spec) };
}

export function depthView(entry: SymbolEntry): Json {
  return { ...depthLevels(entry), symbol: entry.spec.symbol };
}
