// Config -> the maker loop's settings: the order size in lots against the live symbol rules, and the
// timings that are not user knobs, derived here, in one place, from the ones that are.

import type { Config } from '../config/load.js';
import { formatUnits, parseUnits } from '../domain/decimal.js';
import type { SymbolSpec } from '../domain/types.js';
import { ConfigError } from '../errors.js';
import type { MakerQuoting, MakerTiming } from '../engine/maker-options.js';

/**
 * StandX pushes the mark about every 3.2 s and the loop carries the last push's basis over to the
 * current mid (engine/mark-estimate.ts), so a mark a few seconds old is normal. Three pushes missed
 * in a row mean the price channel has stopped: quoting on the mid band alone then beats a window
 * drawn from a basis that may have moved. Not tied to MARKET_STALE_MS: a depth timeout under ~1.1 s
 * would otherwise have dropped the mark between two ordinary pushes, and made quotes flicker.
 */
const MARK_STALE_MS = 12_000;

export function quotingOf(config: Config, qtyLots: bigint): MakerQuoting {
  const { quoting } = config;
  return {
    qtyLots,
    band: {
      targetBps: quoting.targetBps,
      minBps: quoting.minBps,
      maxBps: quoting.maxBps,
      markBandBps: quoting.markBandBps,
      priority: quoting.bandPriority,
      markPriorityMinBps: quoting.markPriorityMinBps,
    },
    policy: quoting.policy,
    midMethod: quoting.midMethod === 'weighted' ? { kind: 'weighted', depthLevels: quoting.midDepthLevels } : { kind: 'simple' },
    checkIntervalMs: quoting.checkIntervalMs,
  };
}

export function makerTiming(config: Config): MakerTiming {
  const { timing } = config;
  return {
    marketStaleMs: timing.marketStaleMs,
    freshMidTimeoutMs: timing.freshMidTimeoutMs,
    markStaleMs: MARK_STALE_MS,
    minQuoteRestMs: timing.minQuoteRestMs,
    orderBudget: { perSecond: timing.orderBudgetPerSecond, perMinute: timing.orderBudgetPerMinute },
    reconcileIntervalMs: timing.reconcileIntervalMs,
    settleMs: timing.orderAckTimeoutMs,
    // Users report REST open-order reads trailing the order channel by 15 s or more.
    restLagMs: 20_000,
    flattenRetryMs: 1_000,
    pauseBaseMs: 5_000,
    pauseMaxMs: 300_000,
    watchdogIntervalMs: Math.max(50, Math.min(250, Math.floor(timing.marketStaleMs / 4))),
  };
}

/** MARKET_MAKER_QTY against the live symbol rules: a whole number of lots within [min, max]. */
export function qtyLotsFor(qty: string, spec: SymbolSpec): bigint {
  let lots: bigint;
  try {
    lots = parseUnits(qty, spec.qtyDecimals, 'exact');
  } catch {
    throw new ConfigError([`MARKET_MAKER_QTY: ${qty} is not a whole number of lots (lot size ${formatUnits(1n, spec.qtyDecimals)})`]);
  }
  if (lots < spec.minOrderLots) {
    throw new ConfigError([`MARKET_MAKER_QTY: ${qty} is below the minimum order size ${formatUnits(spec.minOrderLots, spec.qtyDecimals)}`]);
  }
  if (lots > spec.maxOrderLots) {
    throw new ConfigError([`MARKET_MAKER_QTY: ${qty} is above the maximum order size ${formatUnits(spec.maxOrderLots, spec.qtyDecimals)}`]);
  }
  return lots;
}
