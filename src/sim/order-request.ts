// Parsing and stateless validation of new_order / cancel_order / cancel_orders bodies (protocol §4):
// decimals must be JSON strings on the tick/lot grid, enums exact, limit orders need a price.

import { z } from 'zod';
import { parseUnits } from '../domain/decimal.js';
import type { MarginMode, OrderType, Side, TimeInForce } from './accounts.js';
import type { SymbolSpec } from './symbol-spec.js';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export interface OrderRequest {
  readonly spec: SymbolSpec;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly qtyLots: bigint;
  readonly priceTicks: bigint | null;
  readonly reduceOnly: boolean;
  readonly clOrdId: string | null;
  readonly marginMode: MarginMode | null;
  readonly leverage: number | null;
}

export interface CancelRequest {
  readonly orderId: number | null;
  readonly clOrdId: string | null;
}

export interface CancelManyRequest {
  readonly orderIds: readonly number[];
  readonly clOrdIds: readonly string[];
}

const decimal = (field: string): z.ZodString =>
  z.string({ error: `${field} must be a decimal string` }).regex(/^\d+(\.\d+)?$/, `${field} must be a decimal string`);
const clOrdId = z.string().min(1).max(64);

const newOrderSchema = z.object({
  symbol: z.string({ error: 'symbol is required' }),
  side: z.enum(['buy', 'sell'], { error: 'invalid side' }),
  order_type: z.enum(['limit', 'market'], { error: 'invalid order_type' }),
  qty: decimal('qty'),
  price: decimal('price').optional(),
  time_in_force: z.enum(['gtc', 'ioc', 'alo'], { error: 'invalid time_in_force' }),
  reduce_only: z.boolean({ error: 'reduce_only must be a boolean' }),
  cl_ord_id: clOrdId.optional(),
  margin_mode: z.enum(['cross', 'isolated'], { error: 'invalid margin_mode' }).optional(),
  leverage: z.number({ error: 'leverage must be an integer' }).int('leverage must be an integer').positive().optional(),
});

const cancelSchema = z.object({ order_id: z.number().int().positive().optional(), cl_ord_id: clOrdId.optional() });
const cancelManySchema = z.object({
  order_id_list: z.array(z.number().int().positive()).optional(),
  cl_ord_id_list: z.array(clOrdId).optional(),
});

function parseJson<T>(body: string, schema: z.ZodType<T>): Parsed<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, message: 'invalid json body' };
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, message: issue ? `${issue.message} (${issue.path.join('.') || 'body'})` : 'invalid body' };
}

/** Whole units of 10^-decimals, or null when the string is off the grid. */
function onGrid(value: string, decimals: number): bigint | null {
  try {
    return parseUnits(value, decimals, 'exact');
  } catch {
    return null;
  }
}

function sizeAndPrice(body: z.infer<typeof newOrderSchema>, spec: SymbolSpec): Parsed<{ qtyLots: bigint; priceTicks: bigint | null }> {
  const qtyLots = onGrid(body.qty, spec.qtyDecimals);
  if (qtyLots === null) return { ok: false, message: `qty is not a multiple of the lot size` };
  if (qtyLots < spec.minLots) return { ok: false, message: `qty below min_order_qty ${spec.config.minOrderQty}` };
  if (qtyLots > spec.maxLots) return { ok: false, message: `qty above max_order_qty ${spec.config.maxOrderQty}` };
  if (body.order_type === 'market') {
    // EB sends market orders with gtc (protocol §7) and they execute; a post-only market is nonsense.
    if (body.time_in_force === 'alo') return { ok: false, message: 'invalid time_in_force for market order' };
    return { ok: true, value: { qtyLots, priceTicks: null } };
  }
  if (body.price === undefined) return { ok: false, message: 'price is required for limit orders' };
  const priceTicks = onGrid(body.price, spec.priceDecimals);
  if (priceTicks === null) return { ok: false, message: 'price is not a multiple of the tick size' };
  if (priceTicks <= 0n) return { ok: false, message: 'price must be positive' };
  return { ok: true, value: { qtyLots, priceTicks } };
}

export function parseNewOrder(body: string, symbols: ReadonlyMap<string, { spec: SymbolSpec }>): Parsed<OrderRequest> {
  const parsed = parseJson(body, newOrderSchema);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const spec = symbols.get(value.symbol)?.spec;
  if (!spec) return { ok: false, message: `symbol not found: ${value.symbol}` };
  if (!spec.config.enabled) return { ok: false, message: `symbol disabled: ${value.symbol}` };
  const grid = sizeAndPrice(value, spec);
  if (!grid.ok) return grid;
  return {
    ok: true,
    value: {
      spec,
      side: value.side,
      type: value.order_type,
      timeInForce: value.time_in_force,
      qtyLots: grid.value.qtyLots,
      priceTicks: grid.value.priceTicks,
      reduceOnly: value.reduce_only,
      clOrdId: value.cl_ord_id ?? null,
      marginMode: value.margin_mode ?? null,
      leverage: value.leverage ?? null,
    },
  };
}

export function parseCancel(body: string): Parsed<CancelRequest> {
  const parsed = parseJson(body, cancelSchema);
  if (!parsed.ok) return parsed;
  const { order_id: orderId, cl_ord_id: clId } = parsed.value;
  if (orderId === undefined && clId === undefined) return { ok: false, message: 'order_id or cl_ord_id is required' };
  return { ok: true, value: { orderId: orderId ?? null, clOrdId: clId ?? null } };
}

export function parseCancelMany(body: string): Parsed<CancelManyRequest> {
  const parsed = parseJson(body, cancelManySchema);
  if (!parsed.ok) return parsed;
  const orderIds = parsed.value.order_id_list ?? [];
  const clOrdIds = parsed.value.cl_ord_id_list ?? [];
  if (parsed.value.order_id_list === undefined && parsed.value.cl_ord_id_list === undefined) {
    return { ok: false, message: 'order_id_list or cl_ord_id_list is required' };
  }
  return { ok: true, value: { orderIds, clOrdIds } };
}
