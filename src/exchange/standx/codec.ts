// StandX wire formats (zod) and their translation to and from domain values. The only place where
// decimal strings become ticks and lots and back. Shapes follow docs/standx-protocol.md §4-§6.

import { z } from 'zod';
import { formatUnits, parseUnits } from '../../domain/decimal.js';
import { tickPriceFromDecimal } from '../../domain/price.js';
import type {
  Balance,
  Book,
  BookLevel,
  MarkPrice,
  NewOrderRequest,
  Order,
  OrderRef,
  OrderState,
  Position,
  SymbolSpec,
} from '../../domain/types.js';
import { ProtocolError } from '../../errors.js';

const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/, 'decimal string');
/** Counts such as max_open_orders arrive as strings ("100") in the docs; accept numbers too. */
const countLike = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(Number);

export const symbolInfoWire = z.looseObject({
  symbol: z.string(),
  price_tick_decimals: z.number().int().min(0).max(18),
  qty_tick_decimals: z.number().int().min(0).max(18),
  min_order_qty: decimalString,
  max_order_qty: decimalString,
  max_open_orders: countLike,
  enabled: z.boolean(),
  maker_fee: decimalString.optional(),
  taker_fee: decimalString.optional(),
});
export type SymbolInfoWire = z.infer<typeof symbolInfoWire>;

// Level strings are checked once, by parseUnits in toBook: depth frames are the hot path.
const levelWire = z.tuple([z.string(), z.string()]).rest(z.unknown());
export const depthBookWire = z.looseObject({
  symbol: z.string(),
  bids: z.array(levelWire),
  asks: z.array(levelWire),
});
export type DepthBookWire = z.infer<typeof depthBookWire>;

export const symbolInfoListWire = z.array(symbolInfoWire);

export const symbolPriceWire = z.looseObject({
  symbol: z.string(),
  mark_price: decimalString.nullable().optional(),
  index_price: decimalString.nullable().optional(),
  last_price: decimalString.nullable().optional(),
  mid_price: decimalString.nullable().optional(),
});
export type SymbolPriceWire = z.infer<typeof symbolPriceWire>;

export const orderWire = z.looseObject({
  id: z.number().int(),
  cl_ord_id: z.string().nullable().optional(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  order_type: z.enum(['limit', 'market']),
  time_in_force: z.enum(['gtc', 'ioc', 'alo']).catch('gtc'),
  price: decimalString.nullable().optional(),
  qty: decimalString,
  fill_qty: decimalString.nullable().optional(),
  fill_avg_price: decimalString.nullable().optional(),
  status: z.string(),
  reduce_only: z.boolean().optional(),
});
export type OrderWire = z.infer<typeof orderWire>;

export const positionWire = z.looseObject({
  symbol: z.string(),
  qty: decimalString,
  entry_price: decimalString.nullable().optional(),
  realized_pnl: decimalString.nullable().optional(),
});
export type PositionWire = z.infer<typeof positionWire>;

/** A balance push is passed on as it comes: nothing reads its fields. */
export const balancePushWire = z.looseObject({});

export const balanceWire = z.looseObject({
  balance: decimalString,
  equity: decimalString,
  cross_available: decimalString,
  upnl: decimalString,
});

/** new_order / cancel_order answer over HTTP, and every ws-api reply frame. */
export const ackWire = z.looseObject({
  code: z.number().int(),
  message: z.string().optional().default(''),
  request_id: z.string().optional(),
});
export type AckWire = z.infer<typeof ackWire>;

/** Every ws-stream push: `{"seq":n,"channel":"…","symbol"?:"…","data":{…}}`. */
export const streamPushWire = z.looseObject({
  seq: z.number().int().optional(),
  channel: z.string(),
  symbol: z.string().optional(),
  data: z.unknown(),
});
export type StreamPushWire = z.infer<typeof streamPushWire>;

/** The ws-stream auth answer's data: code 200 (docs) or 0 (seen in clients) means success. */
export const streamAuthWire = z.looseObject({
  code: z.number().int(),
  msg: z.string().optional(),
});

export function parseWire<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ProtocolError(`malformed ${what}: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

export function toSymbolSpec(wire: SymbolInfoWire): SymbolSpec {
  const qtyDecimals = wire.qty_tick_decimals;
  return {
    symbol: wire.symbol,
    priceDecimals: wire.price_tick_decimals,
    qtyDecimals,
    // A minimum that is not on the lot grid is rounded up: an order must satisfy it.
    minOrderLots: parseUnits(wire.min_order_qty, qtyDecimals, 'ceil'),
    maxOrderLots: parseUnits(wire.max_order_qty, qtyDecimals, 'floor'),
    maxOpenOrders: wire.max_open_orders,
    enabled: wire.enabled,
    ...(wire.maker_fee === undefined ? {} : { makerFeeRate: wire.maker_fee }),
    ...(wire.taker_fee === undefined ? {} : { takerFeeRate: wire.taker_fee }),
  };
}

function toLevels(levels: DepthBookWire['bids'], spec: SymbolSpec, side: 'bid' | 'ask'): BookLevel[] {
  // Off-grid prices round away from the mid, so a level never looks better than it is.
  const rounding = side === 'bid' ? 'floor' : 'ceil';
  const parsed: BookLevel[] = [];
  for (const [price, qty] of levels) {
    const qtyLots = parseUnits(qty, spec.qtyDecimals, 'floor');
    if (qtyLots <= 0n) continue;
    parsed.push({ priceTicks: parseUnits(price, spec.priceDecimals, rounding), qtyLots });
  }
  parsed.sort((a, b) => {
    const order = a.priceTicks < b.priceTicks ? -1 : a.priceTicks > b.priceTicks ? 1 : 0;
    return side === 'bid' ? -order : order;
  });
  return parsed;
}

/**
 * A depth_book push or REST answer as a sorted snapshot. StandX does not guarantee level order
 * (protocol §4/§5), so levels are sorted here. A crossed or one-sided book has no usable mid and
 * yields null: the previous mid then ages until the feed watchdog declares it stale.
 */
export function toBook(wire: DepthBookWire, spec: SymbolSpec, receivedAtMs: number): Book | null {
  const bids = toLevels(wire.bids, spec, 'bid');
  const asks = toLevels(wire.asks, spec, 'ask');
  const bestBid = bids[0];
  const bestAsk = asks[0];
  if (!bestBid || !bestAsk || bestBid.priceTicks >= bestAsk.priceTicks) return null;
  return { symbol: wire.symbol, bids, asks, receivedAtMs };
}

export function toMarkPrice(wire: SymbolPriceWire, spec: SymbolSpec, receivedAtMs: number): MarkPrice | null {
  if (!wire.mark_price) return null;
  return { symbol: wire.symbol, mark: tickPriceFromDecimal(wire.mark_price, spec.priceDecimals), receivedAtMs };
}

/**
 * Raw status -> lifecycle state. Documented: open, canceled, filled, rejected, untriggered; the docs'
 * own examples also show `new`, community clients `partially_filled` and `expired` (protocol §7,
 * §10.6). Anything unknown is treated as live so that it is cancelled rather than forgotten.
 */
export function toOrderState(rawStatus: string): OrderState {
  switch (rawStatus) {
    case 'filled':
      return 'filled';
    case 'canceled':
    case 'cancelled':
    case 'expired':
      return 'canceled';
    case 'rejected':
      return 'rejected';
    default:
      return 'live';
  }
}

export function toOrder(wire: OrderWire, spec: SymbolSpec): Order {
  const isMarket = wire.order_type === 'market';
  const price = wire.price && !isMarket ? parseUnits(wire.price, spec.priceDecimals, 'floor') : null;
  return {
    id: wire.id,
    clOrdId: wire.cl_ord_id ?? '',
    symbol: wire.symbol,
    side: wire.side,
    type: wire.order_type,
    timeInForce: wire.time_in_force,
    priceTicks: price !== null && price > 0n ? price : null,
    qtyLots: parseUnits(wire.qty, spec.qtyDecimals, 'floor'),
    filledLots: wire.fill_qty ? parseUnits(wire.fill_qty, spec.qtyDecimals, 'floor') : 0n,
    reduceOnly: wire.reduce_only ?? false,
    state: toOrderState(wire.status),
    rawStatus: wire.status,
    // "0" before anything filled: only a positive average is a price.
    ...(wire.fill_avg_price && /[1-9]/.test(wire.fill_avg_price) ? { avgFillPrice: wire.fill_avg_price } : {}),
  };
}

export function toPosition(wire: PositionWire, spec: SymbolSpec): Position {
  return {
    symbol: wire.symbol,
    qtyLots: parseUnits(wire.qty, spec.qtyDecimals, 'floor'),
    entryPrice: wire.entry_price ?? '0',
    realizedPnl: wire.realized_pnl ?? '0',
  };
}

export function flatPosition(symbol: string): Position {
  return { symbol, qtyLots: 0n, entryPrice: '0', realizedPnl: '0' };
}

export function toBalance(wire: z.infer<typeof balanceWire>): Balance {
  return {
    balance: wire.balance,
    equity: wire.equity,
    crossAvailable: wire.cross_available,
    upnl: wire.upnl,
  };
}

/**
 * The new_order body, serialised once: the exact string that is signed is the exact string sent
 * (protocol §3). Key order follows the docs' examples; the server checks bytes, not order.
 */
export function encodeNewOrder(request: NewOrderRequest, spec: SymbolSpec): string {
  const body: Record<string, string | boolean> = {
    symbol: spec.symbol,
    side: request.side,
    order_type: request.type,
    qty: formatUnits(request.qtyLots, spec.qtyDecimals),
  };
  if (request.type === 'limit') {
    if (request.priceTicks === undefined) throw new TypeError('a limit order needs a price');
    body.price = formatUnits(request.priceTicks, spec.priceDecimals);
  }
  body.time_in_force = request.timeInForce;
  body.reduce_only = request.reduceOnly;
  body.cl_ord_id = request.clOrdId;
  return JSON.stringify(body);
}

/** The cancel_order body: by exchange id when known, else by our client id (protocol §10.2). */
export function encodeCancel(ref: OrderRef): string {
  return 'orderId' in ref ? JSON.stringify({ order_id: ref.orderId }) : JSON.stringify({ cl_ord_id: ref.clOrdId });
}

export function encodeCancelMany(refs: readonly OrderRef[]): string {
  const ids: number[] = [];
  const clientIds: string[] = [];
  for (const ref of refs) {
    if ('orderId' in ref) ids.push(ref.orderId);
    else clientIds.push(ref.clOrdId);
  }
  const body: { order_id_list?: number[]; cl_ord_id_list?: string[] } = {};
  if (ids.length > 0) body.order_id_list = ids;
  if (clientIds.length > 0) body.cl_ord_id_list = clientIds;
  return JSON.stringify(body);
}
