// Shorter periods for the observers in integration tests: the uptime tick, saves, the status line and
// the page's price samples all happen within a second.

import type { ObservabilityTiming } from '../../src/cli/observability-wiring.js';

export const FAST_OBSERVABILITY: ObservabilityTiming = {
  uptime: { tickMs: 50, saveEveryMs: 200, exchangeCheckDelayMs: 100 },
  statusLineMs: 300,
  priceSampleMs: 100,
};
