// Leaving nothing behind: cancel every target order and confirm it, then flatten and confirm.
// Used by the shutdown path (own orders) and by `standx-mm cancel-all` (every order on the symbol).
// Confirmation trusts the order channel first: REST open-order reads may lag it (protocol §8).

import type { Log } from '../ops/log.js';
import type { Order, OrderRef } from '../domain/types.js';
import { AuthError, ExchangeRejectError } from '../errors.js';
import type { Exchange } from '../exchange/exchange.js';
import type { Clock } from '../ops/clock.js';
import type { ClientIds } from './client-ids.js';
import { flattenOrderFor } from './plan.js';

export interface CancelAllOptions {
  readonly exchange: Exchange;
  readonly clock: Clock;
  readonly logger: Log;
  /** Which open orders to cancel. */
  readonly isTarget: (order: Order) => boolean;
  /** Orders known locally that a lagging REST read may not show yet (client ids). */
  readonly knownClientIds?: readonly string[];
  /** Epoch ms by which to give up. */
  readonly deadlineMs: number;
  /** How long to wait for confirmations between rounds. */
  readonly roundMs?: number;
}

export interface CancelReport {
  /** Distinct orders a cancel was sent for. */
  readonly cancelled: number;
  /** Of those, the ones seen gone: a final push, or absent from the last read (what a stop alert may claim). */
  readonly confirmed: number;
  /** Orders still open (or unconfirmed) at the deadline. */
  readonly remaining: number;
}

/** After this many rounds of single cancels, fall back to one REST cancel_orders batch. */
const SINGLE_CANCEL_ROUNDS = 2;

export async function cancelAllAndConfirm(options: CancelAllOptions): Promise<CancelReport> {
  const { exchange, clock, logger } = options;
  const roundMs = options.roundMs ?? 500;
  const gone = new Set<string>();
  const refused = new Set<string>();
  const cancelled = new Set<string>();
  let pendingLocal = new Set(options.knownClientIds ?? []);
  const onOrder = (order: Order): void => {
    if (order.state !== 'live') gone.add(order.clOrdId || `id:${order.id}`);
  };
  exchange.on('order', onOrder);
  try {
    for (let round = 0; clock.now() < options.deadlineMs; round += 1) {
      const restOpen = await readOpen(exchange, logger);
      const open = (restOpen ?? []).filter((order) => options.isTarget(order) && !gone.has(keyOf(order)));
      // A local order the exchange refused to cancel and REST does not list never existed.
      pendingLocal = new Set([...pendingLocal].filter((id) => !gone.has(id) && !(refused.has(id) && !open.some((o) => o.clOrdId === id))));
      const targets = mergeTargets(open, pendingLocal);
      if (restOpen !== null && targets.length === 0) return { cancelled: cancelled.size, confirmed: cancelled.size, remaining: 0 };
      await sendCancels(exchange, targets, round >= SINGLE_CANCEL_ROUNDS, refused, logger);
      for (const target of targets) cancelled.add(target.key);
      await waitUntil(clock, Math.min(roundMs, Math.max(0, options.deadlineMs - clock.now())), exchange, () =>
        targets.every((target) => gone.has(target.key)),
      );
    }
    const lastRead = await readOpen(exchange, logger);
    const stillOpen = new Set([
      ...(lastRead ?? []).filter((order) => options.isTarget(order) && !gone.has(keyOf(order))).map(keyOf),
      ...[...pendingLocal].filter((id) => !gone.has(id)),
    ]);
    const confirmed = [...cancelled].filter((key) => gone.has(key) || (lastRead !== null && !stillOpen.has(key))).length;
    return { cancelled: cancelled.size, confirmed, remaining: stillOpen.size };
  } finally {
    exchange.off('order', onOrder);
  }
}

interface CancelTarget {
  readonly key: string;
  readonly ref: OrderRef;
}

function keyOf(order: Order): string {
  return order.clOrdId || `id:${order.id}`;
}

function mergeTargets(open: readonly Order[], localIds: ReadonlySet<string>): CancelTarget[] {
  const targets = new Map<string, CancelTarget>();
  for (const order of open) targets.set(keyOf(order), { key: keyOf(order), ref: { orderId: order.id } });
  for (const clOrdId of localIds) if (!targets.has(clOrdId)) targets.set(clOrdId, { key: clOrdId, ref: { clOrdId } });
  return [...targets.values()];
}

async function readOpen(exchange: Exchange, logger: Log): Promise<Order[] | null> {
  try {
    return await exchange.openOrders();
  } catch (error) {
    // Refused credentials will not come back before the deadline: stop trying, say so.
    if (error instanceof AuthError) throw error;
    logger.warn({ err: error }, 'open-order read failed during cleanup');
    return null;
  }
}

async function sendCancels(
  exchange: Exchange,
  targets: readonly CancelTarget[],
  isBatch: boolean,
  refused: Set<string>,
  logger: Log,
): Promise<void> {
  if (targets.length === 0) return;
  if (isBatch) {
    await exchange.cancelOrders(targets.map((target) => target.ref)).catch((error: unknown) => {
      logger.warn({ err: error, count: targets.length }, 'cancel_orders failed');
    });
    return;
  }
  await Promise.all(
    targets.map((target) =>
      exchange.cancelOrder(target.ref).catch((error: unknown) => {
        if (error instanceof ExchangeRejectError) refused.add(target.key);
        logger.info({ err: error, order: target.key }, 'cancel not accepted');
      }),
    ),
  );
}

/** Resolves when `isDone` holds after an order/position event, or after `ms`. */
export async function waitUntil(clock: Clock, ms: number, exchange: Exchange, isDone: () => boolean): Promise<void> {
  if (isDone()) return;
  const controller = new AbortController();
  const check = (): void => {
    if (isDone()) controller.abort();
  };
  exchange.on('order', check);
  exchange.on('position', check);
  try {
    await clock.sleep(ms, controller.signal).catch(() => undefined);
  } finally {
    exchange.off('order', check);
    exchange.off('position', check);
  }
}

export interface FlattenOptions {
  readonly exchange: Exchange;
  readonly clock: Clock;
  readonly logger: Log;
  readonly ids: ClientIds;
  readonly deadlineMs: number;
  readonly roundMs?: number;
}

/** Flattens with reduce-only market orders until a read shows the position flat. Returns the last lots seen (null: never read). */
export async function flattenAndConfirm(options: FlattenOptions): Promise<bigint | null> {
  const { exchange, clock, logger } = options;
  const roundMs = options.roundMs ?? 1_000;
  let lastLots: bigint | null = null;
  let isFlat = false;
  const onPosition = (position: { qtyLots: bigint; symbol: string }): void => {
    if (position.symbol === exchange.spec.symbol && position.qtyLots === 0n) isFlat = true;
  };
  exchange.on('position', onPosition);
  try {
    while (clock.now() < options.deadlineMs && !isFlat) {
      const lots = await exchange.position().then(
        (position) => position.qtyLots,
        (error: unknown) => {
          if (error instanceof AuthError) throw error;
          logger.warn({ err: error }, 'position read failed during cleanup');
          return null;
        },
      );
      if (lots === 0n) return 0n;
      if (lots !== null) {
        lastLots = lots;
        await sendFlatten(options, lots);
      }
      await waitUntil(clock, Math.min(roundMs, Math.max(0, options.deadlineMs - clock.now())), exchange, () => isFlat);
    }
    return isFlat ? 0n : lastLots;
  } finally {
    exchange.off('position', onPosition);
  }
}

async function sendFlatten(options: FlattenOptions, lots: bigint): Promise<void> {
  const { exchange, logger, ids } = options;
  const flatten = flattenOrderFor(lots, exchange.spec.maxOrderLots);
  if (!flatten) return;
  const { side, qtyLots } = flatten;
  logger.warn({ side, qtyLots: qtyLots.toString() }, 'flattening position before exit');
  await exchange
    .placeOrder({ side, type: 'market', timeInForce: 'ioc', reduceOnly: true, clOrdId: ids.next('flatten'), qtyLots })
    .catch((error: unknown) => logger.warn({ err: error }, 'flatten order failed'));
}
