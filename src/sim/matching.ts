// Pure matching rules against the synthetic book: whether a limit price crosses, the taker fills of
// an aggressive order walking the levels, and how much of a resting own order the price path trades.
// Own orders are not shown in the synthetic depth: the book stands for the rest of the market, so a
// quoting daemon never measures its mid against its own quotes.

import type { RandomSource } from '../domain/random.js';
import type { Side } from './accounts.js';
import type { MarketSnapshot } from './market.js';

export interface Fill {
  readonly priceTicks: bigint;
  readonly lots: bigint;
}

/** A buy at or above the best ask, or a sell at or below the best bid, would take liquidity. */
export function crosses(side: Side, priceTicks: bigint, book: MarketSnapshot): boolean {
  const best = side === 'buy' ? book.asks[0] : book.bids[0];
  if (!best) return false;
  return side === 'buy' ? priceTicks >= best.priceTicks : priceTicks <= best.priceTicks;
}

/** Walks the opposite side best-first while the level is within the limit (null = market). */
export function takerFills(side: Side, limitTicks: bigint | null, lots: bigint, book: MarketSnapshot): Fill[] {
  const levels = side === 'buy' ? book.asks : book.bids;
  const fills: Fill[] = [];
  let remaining = lots;
  for (const level of levels) {
    if (remaining === 0n) break;
    const beyondLimit = side === 'buy' ? level.priceTicks > (limitTicks ?? level.priceTicks) : level.priceTicks < (limitTicks ?? level.priceTicks);
    if (beyondLimit) break;
    const take = level.qtyLots < remaining ? level.qtyLots : remaining;
    fills.push({ priceTicks: level.priceTicks, lots: take });
    remaining -= take;
  }
  return fills;
}

/**
 * Lots of a resting order that the market trades after a price move. Trading strictly through the
 * price fills the rest of the order; touching it exactly fills a seeded part (at least one lot).
 */
export function restingFillLots(
  side: Side,
  priceTicks: bigint,
  remainingLots: bigint,
  book: MarketSnapshot,
  random: RandomSource,
): bigint {
  const touch = side === 'buy' ? book.asks[0]?.priceTicks : book.bids[0]?.priceTicks;
  if (touch === undefined || remainingLots <= 0n) return 0n;
  const through = side === 'buy' ? touch < priceTicks : touch > priceTicks;
  if (through) return remainingLots;
  if (touch !== priceTicks) return 0n;
  const part = BigInt(Math.floor(random() * Number(remainingLots))) + 1n;
  return part < remainingLots ? part : remainingLots;
}
