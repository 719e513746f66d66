// A symbol's configuration turned into exact integer units: ticks, lots, fee rates, and the scale
// of the mark price, which may carry more digits than the tick (it is derived from the index,
// protocol §11.1, not traded on the tick grid [I]).

import { fractionDigits, parseUnits } from '../domain/decimal.js';
import type { SimSymbolConfig } from './types.js';

/** A decimal rate (fee) as units of 10^-decimals. */
export interface Rate {
  readonly units: bigint;
  readonly decimals: number;
}

export interface SymbolSpec {
  readonly config: SimSymbolConfig;
  readonly symbol: string;
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
  /** The mark price is quoted with this many decimals (tick decimals + MARK_EXTRA_DECIMALS). */
  readonly markDecimals: number;
  readonly minLots: bigint;
  readonly maxLots: bigint;
  readonly startTicks: bigint;
  readonly levelStepTicks: bigint;
  readonly makerFee: Rate;
  readonly takerFee: Rate;
  readonly maxLeverage: number;
}

export const MARK_EXTRA_DECIMALS = 2;

export function parseRate(value: string): Rate {
  const decimals = fractionDigits(value);
  return { units: parseUnits(value, decimals), decimals };
}

export function toSymbolSpec(config: SimSymbolConfig): SymbolSpec {
  const priceDecimals = config.priceTickDecimals;
  const qtyDecimals = config.qtyTickDecimals;
  const minLots = parseUnits(config.minOrderQty, qtyDecimals);
  const maxLots = parseUnits(config.maxOrderQty, qtyDecimals);
  if (minLots <= 0n || maxLots < minLots) throw new RangeError(`${config.symbol}: bad order size limits`);
  return {
    config,
    symbol: config.symbol,
    priceDecimals,
    qtyDecimals,
    markDecimals: priceDecimals + MARK_EXTRA_DECIMALS,
    minLots,
    maxLots,
    startTicks: parseUnits(config.startPrice, priceDecimals),
    levelStepTicks: BigInt(config.levelStepTicks ?? Math.max(1, Math.floor(config.spreadTicks / 4))),
    makerFee: parseRate(config.makerFee),
    takerFee: parseRate(config.takerFee),
    maxLeverage: config.maxLeverage ?? 20,
  };
}
