// How an order's price reads in a log line: the decimal price and its distance from the mid and the
// mark in bps (on the order's own side: positive is away from the reference), rounded for people.

import { formatUnits } from '../domain/decimal.js';
import type { TickPrice } from '../domain/price.js';
import type { Side } from '../domain/types.js';
import { bpsRatioToNumber, distanceBps } from './band.js';

export interface PriceReferences {
  readonly mid: TickPrice | null;
  readonly mark: TickPrice | null;
}

export interface PriceLabel {
  readonly price: string;
  readonly fromMidBps: number | null;
  readonly fromMarkBps: number | null;
}

/** Two decimals of a bp are finer than any tick on StandX's symbols. */
export function roundBps(value: number): number {
  return Math.round(value * 100) / 100;
}

export function priceLabel(side: Side, priceTicks: bigint, priceDecimals: number, references: PriceReferences): PriceLabel {
  const from = (ref: TickPrice | null): number | null => (ref && ref.num > 0n ? roundBps(bpsRatioToNumber(distanceBps(side, priceTicks, ref))) : null);
  return { price: formatUnits(priceTicks, priceDecimals), fromMidBps: from(references.mid), fromMarkBps: from(references.mark) };
}
