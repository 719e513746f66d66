// The order engine: admits orders, executes them against the synthetic book, fills resting orders
// when the price path trades through them, cancels, and books fills into positions and balances.
// Every state change is announced on the event bus after it is complete.

import type { RandomSource } from '../domain/random.js';
import {
  isLive,
  openOrdersOf,
  orderNamedBy,
  recordOrder,
  snapshotOrder,
  type AccountRecord,
  type AccountStore,
  type OrderRecord,
  type PositionRecord,
} from './accounts.js';
import type { EventHub } from './events.js';
import { applyFill, positionConfigOf, type SymbolEntry } from './ledger.js';
import { crosses, restingFillLots, takerFills } from './matching.js';
import { applyRate, notionalMoney } from './money.js';
import type { CancelManyRequest, CancelRequest, OrderRequest } from './order-request.js';
import { preTradeCheck, reduceCapacity } from './pre-trade.js';
import type { StatsCounters } from './stats.js';

export interface EngineDeps {
  readonly symbols: ReadonlyMap<string, SymbolEntry>;
  readonly accounts: AccountStore;
  readonly events: EventHub;
  readonly stats: StatsCounters;
  readonly random: RandomSource;
  /** Server wall time (ms), including any injected skew. */
  readonly serverNowMs: () => number;
  readonly monoNowMs: () => number;
}

export interface EngineResult {
  readonly code: number;
  readonly message: string;
  readonly order: OrderRecord | null;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export class Engine {
  readonly #deps: EngineDeps;
  #nextOrderId = 1_000_001;
  #nextTradeId = 5_000_001;
  #nextPositionId = 1;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
  }

  /**
   * Runs the matching-time checks and executes; rejected orders are kept and pushed as `rejected`.
   * A `forcedRejection` (fault lateRejectAlo) stands in for the checks' verdict.
   */
  submit(account: AccountRecord, request: OrderRequest, forcedRejection: string | null = null): EngineResult {
    const entry = this.#entry(request.spec.symbol);
    const check = forcedRejection === null ? preTradeCheck(account, request, entry, this.#deps.symbols) : { ok: false as const, message: forcedRejection };
    const order = this.#createOrder(account, request, check.ok ? check.qtyLots : request.qtyLots);
    if (!check.ok) {
      // Protocol §10.7: whether rejected orders reach the order channel is unknown; they do here, so
      // an HTTP client (whose ack said only "submitted") can learn the outcome.
      order.status = 'rejected';
      order.remark = check.message;
      this.#publishOrder(account, order);
      this.#deps.stats.ordersRejected += 1;
      return { code: 400, message: check.message, order };
    }
    this.#deps.stats.ordersAccepted += 1;
    this.#publishOrder(account, order);
    this.#execute(account, order, entry);
    return { code: 0, message: 'success', order };
  }

  cancel(account: AccountRecord, request: CancelRequest): EngineResult {
    const order = orderNamedBy(account, request);
    if (!order) return { code: 404, message: 'order not found', order: null };
    if (!isLive(order.status)) return { code: 400, message: `order already ${order.status}`, order };
    this.#close(account, order, 'canceled', 'canceled by user');
    this.#deps.events.emit({ kind: 'balance', address: account.address });
    return { code: 0, message: 'success', order };
  }

  cancelMany(account: AccountRecord, request: CancelManyRequest): number {
    let canceled = 0;
    for (const id of request.orderIds) {
      if (this.cancel(account, { orderId: id, clOrdId: null }).code === 0) canceled += 1;
    }
    for (const clOrdId of request.clOrdIds) {
      if (this.cancel(account, { orderId: null, clOrdId }).code === 0) canceled += 1;
    }
    return canceled;
  }

  /** After a price move: resting own orders the book traded through fill as maker at their price. */
  matchResting(symbol: string): void {
    const entry = this.#entry(symbol);
    const book = entry.market.snapshot;
    for (const account of this.#deps.accounts.all()) {
      let touched = false;
      for (const order of openOrdersOf(account, symbol)) {
        if (order.priceTicks === null || order.status !== 'open') continue;
        const lots = restingFillLots(order.side, order.priceTicks, order.qtyLots - order.filledLots, book, this.#deps.random);
        if (lots === 0n) continue;
        if (this.#fill(account, order, entry, order.priceTicks, lots, true) === 0n) continue;
        order.status = order.filledLots === order.qtyLots ? 'filled' : 'open';
        this.#publishOrder(account, order);
        touched = true;
      }
      if (touched) this.#afterFills(account, symbol);
    }
  }

  /** Fills up to `lots` of a live resting order at its own price as maker (faults fillOrder, fillBeforeCancel). */
  fillAtOwnPrice(account: AccountRecord, order: OrderRecord, lots: bigint): bigint {
    if (order.priceTicks === null || !isLive(order.status)) return 0n;
    const remaining = order.qtyLots - order.filledLots;
    const filled = this.#fill(account, order, this.#entry(order.symbol), order.priceTicks, lots < remaining ? lots : remaining, true);
    if (filled === 0n) return 0n;
    order.status = order.filledLots === order.qtyLots ? 'filled' : 'open';
    this.#publishOrder(account, order);
    this.#afterFills(account, order.symbol);
    return filled;
  }

  #execute(account: AccountRecord, order: OrderRecord, entry: SymbolEntry): void {
    const book = entry.market.snapshot;
    const aggressive = order.priceTicks === null || crosses(order.side, order.priceTicks, book);
    if (aggressive) {
      for (const fill of takerFills(order.side, order.priceTicks, order.qtyLots, book)) {
        if (this.#fill(account, order, entry, fill.priceTicks, fill.lots, false) < fill.lots) break;
      }
    }
    const immediate = order.type === 'market' || order.timeInForce === 'ioc';
    if (order.filledLots === order.qtyLots) order.status = 'filled';
    else if (immediate) {
      order.status = 'canceled';
      order.remark = 'unfilled remainder canceled';
    } else order.status = 'open';
    this.#publishOrder(account, order);
    if (order.filledLots > 0n) this.#afterFills(account, order.symbol);
    else this.#deps.events.emit({ kind: 'balance', address: account.address });
  }

  /** Books one fill; a reduce-only order is capped at what still closes the position. Returns lots filled. */
  #fill(account: AccountRecord, order: OrderRecord, entry: SymbolEntry, priceTicks: bigint, lots: bigint, isMaker: boolean): bigint {
    const spec = entry.spec;
    const cap = order.reduceOnly ? reduceCapacity(account, order.symbol, order.side, order.id) : lots;
    const take = lots < cap ? lots : cap;
    if (take <= 0n) return 0n;
    const position = this.#position(account, order.symbol);
    const realized = applyFill(position, order.side, take, priceTicks, spec);
    const notional = notionalMoney(priceTicks, take, spec);
    const fee = applyRate(notional, isMaker ? spec.makerFee : spec.takerFee);
    const now = this.#deps.serverNowMs();
    account.balanceMoney = (account.balanceMoney ?? 0n) + realized - fee;
    position.updatedAtMs = now;
    order.filledLots += take;
    order.filledMoney += notional;
    order.updatedAtMs = now;
    this.#deps.stats.fills += 1;
    const trade = {
      id: this.#nextTradeId++,
      orderId: order.id,
      address: account.address,
      symbol: order.symbol,
      side: order.side,
      priceTicks,
      lots: take,
      feeMoney: fee,
      pnlMoney: realized,
      isMaker,
      timeMs: now,
    };
    this.#deps.events.emit({ kind: 'trade', trade });
    this.#deps.events.emit({ kind: 'position', address: account.address, symbol: order.symbol });
    return take;
  }

  /** Reduce-only orders that can no longer close anything are cancelled, then the balance is pushed. */
  #afterFills(account: AccountRecord, symbol: string): void {
    for (const order of openOrdersOf(account, symbol)) {
      if (order.reduceOnly && reduceCapacity(account, symbol, order.side, order.id) === 0n) {
        this.#close(account, order, 'canceled', 'reduce only order canceled: position closed');
      }
    }
    this.#deps.events.emit({ kind: 'balance', address: account.address });
  }

  #close(account: AccountRecord, order: OrderRecord, status: 'canceled', remark: string): void {
    order.status = status;
    order.remark = remark;
    order.updatedAtMs = this.#deps.serverNowMs();
    this.#publishOrder(account, order);
  }

  #publishOrder(account: AccountRecord, order: OrderRecord): void {
    snapshotOrder(account, order, this.#deps.monoNowMs());
    this.#deps.events.emit({ kind: 'order', order });
  }

  #createOrder(account: AccountRecord, request: OrderRequest, qtyLots: bigint): OrderRecord {
    const now = this.#deps.serverNowMs();
    const order: OrderRecord = {
      id: this.#nextOrderId++,
      clOrdId: request.clOrdId ?? this.#generateClOrdId(now),
      address: account.address,
      symbol: request.spec.symbol,
      side: request.side,
      type: request.type,
      timeInForce: request.timeInForce,
      priceTicks: request.priceTicks,
      qtyLots,
      reduceOnly: request.reduceOnly,
      leverage: positionConfigOf(account, request.spec).leverage,
      positionId: this.#position(account, request.spec.symbol).id,
      createdAtMs: now,
      filledLots: 0n,
      filledMoney: 0n,
      status: 'new',
      remark: '',
      updatedAtMs: now,
      history: [],
    };
    recordOrder(account, order);
    return order;
  }

  #position(account: AccountRecord, symbol: string): PositionRecord {
    let position = account.positions.get(symbol);
    if (!position) {
      const now = this.#deps.serverNowMs();
      position = { id: this.#nextPositionId++, symbol, qtyLots: 0n, entryMoney: 0n, realizedMoney: 0n, createdAtMs: now, updatedAtMs: now };
      account.positions.set(symbol, position);
    }
    return position;
  }

  /** ULID-like (26 Crockford base32 characters: 10 of time, 16 seeded), as StandX auto-generates. */
  #generateClOrdId(nowMs: number): string {
    let time = '';
    let rest = nowMs;
    for (let index = 0; index < 10; index += 1) {
      time = (CROCKFORD[rest % 32] ?? '0') + time;
      rest = Math.floor(rest / 32);
    }
    let tail = '';
    for (let index = 0; index < 16; index += 1) tail += CROCKFORD[Math.floor(this.#deps.random() * 32)] ?? '0';
    return time + tail;
  }

  #entry(symbol: string): SymbolEntry {
    const entry = this.#deps.symbols.get(symbol);
    if (!entry) throw new RangeError(`unknown symbol ${symbol}`);
    return entry;
  }
}
