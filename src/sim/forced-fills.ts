// Fills the fault API forces on resting own orders: which order a selector or a cancel names, and
// the fill at the order's own price, optionally with the account's private pushes withheld.

import { formatUnits, parseUnits } from '../domain/decimal.js';
import { isLive, openOrdersOf, type AccountRecord, type AccountStore, type OrderRecord } from './accounts.js';
import type { Engine } from './engine.js';
import type { SymbolEntry } from './ledger.js';
import type { FillOptions, OrderSelector, SimFill } from './types.js';

export interface ForcedFillDeps {
  readonly accounts: AccountStore;
  readonly symbols: ReadonlyMap<string, SymbolEntry>;
  readonly engine: Engine;
  /** Runs `fill` with the address's private pushes (order, trade, position, balance) dropped. */
  readonly withholdPushes: <T>(address: string, fill: () => T) => T;
}

/** The oldest live limit order matching every field the selector gives. */
export function selectRestingOrder(account: AccountRecord, selector: OrderSelector): OrderRecord | undefined {
  return openOrdersOf(account).find(
    (order) =>
      order.priceTicks !== null &&
      isLive(order.status) &&
      (selector.side === undefined || order.side === selector.side) &&
      (selector.clOrdId === undefined || order.clOrdId === selector.clOrdId),
  );
}

export function forceFill(deps: ForcedFillDeps, address: string, selector: OrderSelector, options: FillOptions): SimFill | null {
  const account = deps.accounts.get(address);
  const order = account && selectRestingOrder(account, selector);
  const spec = order && deps.symbols.get(order.symbol)?.spec;
  if (!account || !order || !spec || order.priceTicks === null) return null;
  const remaining = order.qtyLots - order.filledLots;
  const lots = options.qty === undefined ? remaining : parseUnits(options.qty, spec.qtyDecimals);
  if (lots <= 0n) throw new RangeError(`fill quantity must be positive, got ${options.qty ?? ''}`);
  const priceTicks = order.priceTicks;
  const fill = (): bigint => deps.engine.fillAtOwnPrice(account, order, lots);
  const filled = options.silent === true ? deps.withholdPushes(account.address, fill) : fill();
  if (filled === 0n) return null;
  return {
    orderId: order.id,
    clOrdId: order.clOrdId,
    side: order.side,
    price: formatUnits(priceTicks, spec.priceDecimals),
    qty: formatUnits(filled, spec.qtyDecimals),
    status: order.status === 'filled' ? 'filled' : 'open',
  };
}
