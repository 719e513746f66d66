// Position and margin arithmetic: applying a fill to a signed position (average entry, realized
// P&L, flips), and the account metrics behind query_balance and the margin check. All exact money.

import { abs, floorDiv } from '../domain/decimal.js';
import type { AccountRecord, OrderRecord, PositionConfig, PositionRecord, Side } from './accounts.js';
import type { SymbolMarket } from './market.js';
import { markNotionalMoney, notionalMoney } from './money.js';
import type { SymbolSpec } from './symbol-spec.js';

export interface SymbolEntry {
  readonly spec: SymbolSpec;
  readonly market: SymbolMarket;
}

export interface AccountMetrics {
  readonly balance: bigint;
  readonly upnl: bigint;
  /** Initial margin of the positions at the mark. */
  readonly positionMargin: bigint;
  /** Initial margin locked by open, non-reduce-only orders. */
  readonly orderMargin: bigint;
  readonly equity: bigint;
  readonly available: bigint;
}

/** Applies a fill to the position and returns the realized P&L of the part that closed it. */
export function applyFill(position: PositionRecord, side: Side, lots: bigint, priceTicks: bigint, spec: SymbolSpec): bigint {
  const signed = side === 'buy' ? lots : -lots;
  const fillMoney = notionalMoney(priceTicks, lots, spec);
  if (position.qtyLots === 0n || position.qtyLots > 0n === signed > 0n) {
    position.qtyLots += signed;
    position.entryMoney += fillMoney;
    return 0n;
  }
  const openLots = abs(position.qtyLots);
  const closingLots = lots < openLots ? lots : openLots;
  // Cost basis leaves in proportion; the floor only ever drops sub-1e-18 DUSD.
  const closedCost = floorDiv(position.entryMoney * closingLots, openLots);
  const exitMoney = notionalMoney(priceTicks, closingLots, spec);
  const realized = position.qtyLots > 0n ? exitMoney - closedCost : closedCost - exitMoney;
  position.entryMoney -= closedCost;
  position.qtyLots += side === 'buy' ? closingLots : -closingLots;
  const flipLots = lots - closingLots;
  if (flipLots > 0n) {
    position.qtyLots = side === 'buy' ? flipLots : -flipLots;
    position.entryMoney = notionalMoney(priceTicks, flipLots, spec);
  }
  if (position.qtyLots === 0n) position.entryMoney = 0n;
  position.realizedMoney += realized;
  return realized;
}

export function positionUpnl(position: PositionRecord, markUnits: bigint, spec: SymbolSpec): bigint {
  if (position.qtyLots === 0n) return 0n;
  const markMoney = markNotionalMoney(markUnits, abs(position.qtyLots), spec);
  return position.qtyLots > 0n ? markMoney - position.entryMoney : position.entryMoney - markMoney;
}

export function positionMargin(position: PositionRecord, markUnits: bigint, spec: SymbolSpec, leverage: number): bigint {
  return markNotionalMoney(markUnits, abs(position.qtyLots), spec) / BigInt(leverage);
}

/** Margin an order locks while it rests: remaining notional / leverage; reduce-only locks none. */
export function orderMargin(order: OrderRecord, spec: SymbolSpec): bigint {
  if (order.reduceOnly || order.priceTicks === null) return 0n;
  return notionalMoney(order.priceTicks, order.qtyLots - order.filledLots, spec) / BigInt(order.leverage);
}

export function positionConfigOf(account: AccountRecord, spec: SymbolSpec): PositionConfig {
  let config = account.configs.get(spec.symbol);
  if (!config) {
    config = { leverage: spec.config.defaultLeverage, marginMode: 'cross' };
    account.configs.set(spec.symbol, config);
  }
  return config;
}

export function accountMetrics(account: AccountRecord, symbols: ReadonlyMap<string, SymbolEntry>): AccountMetrics {
  const balance = account.balanceMoney ?? 0n;
  let upnl = 0n;
  let positionTotal = 0n;
  for (const position of account.positions.values()) {
    const entry = symbols.get(position.symbol);
    if (!entry) continue;
    const mark = entry.market.snapshot.markUnits;
    upnl += positionUpnl(position, mark, entry.spec);
    positionTotal += positionMargin(position, mark, entry.spec, positionConfigOf(account, entry.spec).leverage);
  }
  let orderTotal = 0n;
  for (const order of account.openOrders.values()) {
    const entry = symbols.get(order.symbol);
    if (entry) orderTotal += orderMargin(order, entry.spec);
  }
  const equity = balance + upnl;
  return {
    balance,
    upnl,
    positionMargin: positionTotal,
    orderMargin: orderTotal,
    equity,
    available: equity - positionTotal - orderTotal,
  };
}
