// Where the daemon's resting quotes stand in a snapshot: each one's distance from the mid and from the
// mark, whether it is in the daemon's own band and whether the uptime programme would credit it
// (within 10 bps of the mark, at least the minimum size: protocol §11.4). Exact; pure.

import { abs } from '../domain/decimal.js';
import { BPS_UNITS_PER_ONE, type Bps } from '../domain/bps.js';
import type { TickPrice } from '../domain/price.js';
import type { Side } from '../domain/types.js';
import { distanceBps, isInBand, type BpsBand, type BpsRatio } from './band.js';
import type { MakerSnapshot } from './observations.js';
import type { OwnOrderView } from './own-orders.js';
import type { UptimeSample } from './uptime-accumulator.js';

export interface CreditRules {
  /** The daemon's own band around the mid (MIN_BPS … MAX_BPS). */
  readonly band: BpsBand;
  /** How far from the mark a quote may rest and still count (10 bps). */
  readonly markBandBps: Bps;
  /** The smallest remaining size that counts (the symbol's minimum order). */
  readonly minLots: bigint;
}

export interface QuoteStanding {
  readonly clOrdId: string;
  readonly side: Side;
  readonly priceTicks: bigint;
  readonly remainingLots: bigint;
  /** On the quote's own side (positive = away from the mid); null without a mid. */
  readonly fromMidBps: BpsRatio | null;
  /** Signed the same way, from the mark; null before the first mark. */
  readonly fromMarkBps: BpsRatio | null;
  readonly isInBand: boolean;
  readonly isCredited: boolean;
}

/** Resting quotes only: an order being cancelled is still on the book until the exchange says otherwise. */
function isOnBook(order: OwnOrderView): order is OwnOrderView & { priceTicks: bigint } {
  return order.purpose === 'quote' && order.priceTicks !== null && (order.status === 'resting' || order.status === 'cancelling');
}

/** |price − mark| / mark ≤ band on either side of the mark, cross-multiplied: no division. */
export function isNearMark(priceTicks: bigint, mark: TickPrice, markBandBps: Bps): boolean {
  if (mark.num <= 0n) return false;
  return abs(priceTicks * mark.den - mark.num) * BPS_UNITS_PER_ONE <= markBandBps * mark.num;
}

export function quoteStandings(snapshot: Pick<MakerSnapshot, 'mid' | 'mark' | 'orders'>, rules: CreditRules): QuoteStanding[] {
  const { mid, mark } = snapshot;
  return snapshot.orders.filter(isOnBook).map((order) => {
    const remainingLots = order.qtyLots - order.filledLots;
    return {
      clOrdId: order.clOrdId,
      side: order.side,
      priceTicks: order.priceTicks,
      remainingLots,
      fromMidBps: mid ? distanceBps(order.side, order.priceTicks, mid) : null,
      fromMarkBps: mark ? distanceBps(order.side, order.priceTicks, mark) : null,
      isInBand: mid !== null && isInBand(order.side, order.priceTicks, mid, rules.band),
      isCredited: mark !== null && remainingLots >= rules.minLots && isNearMark(order.priceTicks, mark, rules.markBandBps),
    };
  });
}

/** Both sides covered: some bid and some ask in band; some bid and some ask credited. */
export function uptimeSample(standings: readonly QuoteStanding[]): UptimeSample {
  const covered = (test: (standing: QuoteStanding) => boolean): boolean =>
    standings.some((s) => s.side === 'buy' && test(s)) && standings.some((s) => s.side === 'sell' && test(s));
  return { isInBand: covered((s) => s.isInBand), isCredited: covered((s) => s.isCredited) };
}
