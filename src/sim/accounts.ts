// Account state held by the simulator: balance, orders (open and a bounded history), positions and
// per-symbol position config. Plain records mutated only by the engine; keyed by lower-case address.

import type { OrderType, Side, TimeInForce } from '../domain/types.js';

export type { OrderType, Side, TimeInForce };
export type OrderStatus = 'new' | 'open' | 'filled' | 'canceled' | 'rejected';
export type MarginMode = 'cross' | 'isolated';

/** What an order looked like at a monotonic instant; lets REST reads lag the WS channel. */
export interface OrderSnapshot {
  readonly atMonoMs: number;
  readonly status: OrderStatus;
  readonly filledLots: bigint;
  readonly filledMoney: bigint;
  readonly updatedAtMs: number;
}

export interface OrderRecord {
  readonly id: number;
  readonly clOrdId: string;
  readonly address: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** Null for market orders. */
  readonly priceTicks: bigint | null;
  qtyLots: bigint;
  readonly reduceOnly: boolean;
  readonly leverage: number;
  readonly positionId: number;
  readonly createdAtMs: number;
  filledLots: bigint;
  /** Sum of fill price x fill qty, money units: fill_avg_price = filledMoney / filledLots. */
  filledMoney: bigint;
  status: OrderStatus;
  remark: string;
  updatedAtMs: number;
  readonly history: OrderSnapshot[];
}

export interface PositionRecord {
  readonly id: number;
  readonly symbol: string;
  /** Signed: negative is short. */
  qtyLots: bigint;
  /** Cost of the open quantity, money units (always >= 0). */
  entryMoney: bigint;
  realizedMoney: bigint;
  readonly createdAtMs: number;
  updatedAtMs: number;
}

export interface PositionConfig {
  leverage: number;
  marginMode: MarginMode;
}

export interface AccountRecord {
  readonly address: string;
  /** Null: no balance record, so query_balance answers 404 (protocol §4). */
  balanceMoney: bigint | null;
  readonly openOrders: Map<number, OrderRecord>;
  /** Every order in creation order, the oldest closed ones evicted beyond HISTORY_LIMIT. */
  readonly orders: Map<number, OrderRecord>;
  readonly clOrdIndex: Map<string, number>;
  readonly positions: Map<string, PositionRecord>;
  readonly configs: Map<string, PositionConfig>;
}

const HISTORY_LIMIT = 10_000;

export function isLive(status: OrderStatus): boolean {
  return status === 'new' || status === 'open';
}

export class AccountStore {
  readonly #accounts = new Map<string, AccountRecord>();

  get(address: string): AccountRecord | undefined {
    return this.#accounts.get(address.toLowerCase());
  }

  getOrCreate(address: string): AccountRecord {
    const key = address.toLowerCase();
    let account = this.#accounts.get(key);
    if (!account) {
      account = {
        address: key,
        balanceMoney: null,
        openOrders: new Map(),
        orders: new Map(),
        clOrdIndex: new Map(),
        positions: new Map(),
        configs: new Map(),
      };
      this.#accounts.set(key, account);
    }
    return account;
  }

  all(): IterableIterator<AccountRecord> {
    return this.#accounts.values();
  }
}

export function recordOrder(account: AccountRecord, order: OrderRecord): void {
  account.orders.set(order.id, order);
  account.clOrdIndex.set(order.clOrdId, order.id);
  if (isLive(order.status)) account.openOrders.set(order.id, order);
  if (account.orders.size <= HISTORY_LIMIT) return;
  for (const [id, old] of account.orders) {
    if (account.orders.size <= HISTORY_LIMIT) break;
    if (isLive(old.status)) continue;
    account.orders.delete(id);
    if (account.clOrdIndex.get(old.clOrdId) === id) account.clOrdIndex.delete(old.clOrdId);
  }
}

/** Appends the order's current state to its history and keeps the open-order index in step. */
export function snapshotOrder(account: AccountRecord, order: OrderRecord, atMonoMs: number): void {
  order.history.push({
    atMonoMs,
    status: order.status,
    filledLots: order.filledLots,
    filledMoney: order.filledMoney,
    updatedAtMs: order.updatedAtMs,
  });
  if (isLive(order.status)) account.openOrders.set(order.id, order);
  else account.openOrders.delete(order.id);
}

export function openOrdersOf(account: AccountRecord, symbol?: string): OrderRecord[] {
  const result: OrderRecord[] = [];
  for (const order of account.openOrders.values()) {
    if (symbol === undefined || order.symbol === symbol) result.push(order);
  }
  return result;
}

/** The order a cancel names; with both ids sent (EB does), they must name the same order (protocol §10.2). */
export function orderNamedBy(
  account: AccountRecord,
  ids: { readonly orderId: number | null; readonly clOrdId: string | null },
): OrderRecord | undefined {
  const byId = ids.orderId === null ? undefined : account.orders.get(ids.orderId);
  const clId = ids.clOrdId === null ? undefined : account.clOrdIndex.get(ids.clOrdId);
  const byClId = clId === undefined ? undefined : account.orders.get(clId);
  return byId && byClId && byId !== byClId ? undefined : (byId ?? byClId);
}
