// Config -> the maker loop's settings. The timings that are not user knobs are derived here, in
// one place, from the ones that are.

import type { Config } from '../config/load.js';
import type { MakerQuoting, MakerTiming } from '../engine/maker-loop.js';

export function quotingOf(config: Config, qtyLots: bigint): MakerQuoting {
  const { quoting } = config;
  return {
    qtyLots,
    band: { targetBps: quoting.targetBps, minBps: quoting.minBps, maxBps: quoting.maxBps, markBandBps: quoting.markBandBps },
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
    // The price channel is slower than depth_book; a mark a few feed-timeouts old is still useful.
    markStaleMs: timing.marketStaleMs * 3,
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
