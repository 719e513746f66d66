// What one side of an account's own quotes looks like against the book and the published mark:
// inside the mid band, near the mark, credited (near the mark at the minimum size), since when the
// credited size has rested long enough, or empty. Pure; exact integer arithmetic on prices.

import { pow10 } from '../domain/decimal.js';
import type { OrderRecord, Side } from './accounts.js';
import type { MarketSnapshot } from './market.js';
import type { Ratio } from './money.js';
import { MARK_EXTRA_DECIMALS } from './symbol-spec.js';

export interface PresenceRule {
  /** The mid band [min, max] in bps; null when only the mark matters. */
  readonly midBand: { readonly min: Ratio; readonly max: Ratio } | null;
  readonly markBand: Ratio;
  /** Credited size: the side's orders near the mark must add up to at least this. */
  readonly minLots: bigint;
  /** A quote counts for rested credit only this long after it started resting (monotonic ms). */
  readonly minRestMs: number;
}

export interface SidePresence {
  readonly inBand: boolean;
  readonly nearMark: boolean;
  readonly credited: boolean;
  /** When the credited size had rested minRestMs (may be in the future); null: never at this state. */
  readonly restedFromMs: number | null;
  readonly isEmpty: boolean;
}

/** Prices are compared in units of 1 / (2 * 10^MARK_EXTRA_DECIMALS) tick: mids and marks are whole there. */
const MARK_SCALE = pow10(MARK_EXTRA_DECIMALS);
const BPS = 10_000n;
const EMPTY: SidePresence = { inBand: false, nearMark: false, credited: false, restedFromMs: null, isEmpty: true };

/** distance / reference * 10 000 compared with bps, all positive, no division. */
function bpsAtLeast(distance: bigint, reference: bigint, bps: Ratio): boolean {
  return distance * BPS * bps.den >= bps.num * reference;
}

function bpsAtMost(distance: bigint, reference: bigint, bps: Ratio): boolean {
  return distance * BPS * bps.den <= bps.num * reference;
}

/** The monotonic time the order started resting (its first `open` state), or null. */
export function restingSinceMs(order: OrderRecord): number | null {
  return order.history.find((snapshot) => snapshot.status === 'open')?.atMonoMs ?? null;
}

/** When the size resting near the mark first adds up to minLots, counting each order minRestMs after it rested. */
function restedFrom(near: readonly { readonly fromMs: number; readonly lots: bigint }[], rule: PresenceRule): number | null {
  let lots = 0n;
  for (const quote of [...near].sort((a, b) => a.fromMs - b.fromMs)) {
    lots += quote.lots;
    if (lots >= rule.minLots) return quote.fromMs + rule.minRestMs;
  }
  return null;
}

/** `orders`: the account's open orders on the symbol (any side). */
export function sidePresence(orders: readonly OrderRecord[], side: Side, book: MarketSnapshot, rule: PresenceRule): SidePresence {
  const bid = book.bids[0]?.priceTicks;
  const ask = book.asks[0]?.priceTicks;
  const resting = orders.filter((order) => order.side === side && order.status === 'open' && order.priceTicks !== null);
  if (bid === undefined || ask === undefined || resting.length === 0) return EMPTY;
  const mid = (bid + ask) * MARK_SCALE;
  const mark = book.markUnits * 2n;
  let inBand = false;
  const near: { fromMs: number; lots: bigint }[] = [];
  for (const order of resting) {
    const price = (order.priceTicks ?? 0n) * 2n * MARK_SCALE;
    const fromMid = side === 'buy' ? mid - price : price - mid;
    const band = rule.midBand;
    if (band && fromMid >= 0n && bpsAtLeast(fromMid, mid, band.min) && bpsAtMost(fromMid, mid, band.max)) inBand = true;
    const fromMark = price > mark ? price - mark : mark - price;
    if (bpsAtMost(fromMark, mark, rule.markBand)) near.push({ fromMs: restingSinceMs(order) ?? Number.POSITIVE_INFINITY, lots: order.qtyLots - order.filledLots });
  }
  const nearLots = near.reduce((sum, quote) => sum + quote.lots, 0n);
  return { inBand, nearMark: near.length > 0, credited: nearLots >= rule.minLots, restedFromMs: restedFrom(near, rule), isEmpty: false };
}
