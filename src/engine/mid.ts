// Reference prices from a depth snapshot, exact in ticks: the simple mid of the best prices and the
// size-weighted mid over the first N levels (protocol §9: the reference bot's "vwa" method).

import type { Book, BookLevel } from '../domain/types.js';
import { abs } from '../domain/decimal.js';
import type { TickPrice } from '../domain/price.js';

/** The reference prices the loop can quote around; the config schema offers exactly these. */
export const MID_METHOD_KINDS = ['simple', 'weighted'] as const;
export type MidMethodKind = (typeof MID_METHOD_KINDS)[number];

export type MidMethod =
  | { readonly kind: 'simple' }
  | { readonly kind: 'weighted'; readonly depthLevels: number };

/** (best bid + best ask) / 2, or null when a side is empty or the book is locked/crossed. */
export function simpleMid(book: Book): TickPrice | null {
  const bid = book.bids[0];
  const ask = book.asks[0];
  if (bid === undefined || ask === undefined || !hasOpenTop(book)) return null;
  return reducePrice({ num: bid.priceTicks + ask.priceTicks, den: 2n });
}

/** Both sides quoted and the best bid below the best ask. */
function hasOpenTop(book: Book): boolean {
  const bid = book.bids[0];
  const ask = book.asks[0];
  return bid !== undefined && ask !== undefined && bid.priceTicks < ask.priceTicks;
}

/**
 * Mean of the size-weighted average bid and the size-weighted average ask over the first
 * `depthLevels` levels of each side (levels with a non-positive size are ignored). Null when a side
 * has no sized level or the best prices are locked/crossed.
 */
export function weightedMid(book: Book, depthLevels: number): TickPrice | null {
  if (!hasOpenTop(book)) return null;
  const bid = weightedAverage(book.bids.slice(0, Math.max(depthLevels, 1)));
  const ask = weightedAverage(book.asks.slice(0, Math.max(depthLevels, 1)));
  if (bid === null || ask === null) return null;
  // (pb/qb + pa/qa) / 2 = (pb·qa + pa·qb) / (2·qb·qa)
  return reducePrice({ num: bid.num * ask.den + ask.num * bid.den, den: 2n * bid.den * ask.den });
}

/** The price the band is measured from; one entry point so further methods (mark) can be added. */
export function referencePrice(book: Book, method: MidMethod): TickPrice | null {
  switch (method.kind) {
    case 'simple':
      return simpleMid(book);
    case 'weighted':
      return weightedMid(book, method.depthLevels);
  }
}

function weightedAverage(levels: readonly BookLevel[]): TickPrice | null {
  let notional = 0n;
  let size = 0n;
  for (const level of levels) {
    if (level.qtyLots <= 0n) continue;
    notional += level.priceTicks * level.qtyLots;
    size += level.qtyLots;
  }
  return size === 0n ? null : { num: notional, den: size };
}

/** The same price with num and den divided by their greatest common divisor. */
export function reducePrice(price: TickPrice): TickPrice {
  const divisor = gcd(abs(price.num), price.den);
  return divisor > 1n ? { num: price.num / divisor, den: price.den / divisor } : price;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
