// What a maker loop is given: the exchange and clock it runs on, how it quotes, and its timings.
// cli/maker-settings.ts builds these from the configuration.

import type { Exchange } from '../exchange/exchange.js';
import type { Clock } from '../ops/clock.js';
import type { Log } from '../ops/log.js';
import type { ClientIds } from './client-ids.js';
import type { MidMethod } from './mid.js';
import type { OrderBudgetLimits } from './order-budget.js';
import type { RequotePolicy } from './plan.js';
import type { QuoteBand } from './quotes.js';

export interface MakerQuoting {
  readonly qtyLots: bigint;
  readonly band: QuoteBand;
  readonly policy: RequotePolicy;
  readonly midMethod: MidMethod;
  /** Minimum spacing between evaluations (0 = every event). */
  readonly checkIntervalMs: number;
}

export interface MakerTiming {
  /** No depth snapshot for this long: the mid is stale, cancel and stop quoting. */
  readonly marketStaleMs: number;
  /** Places need a mid at most this old (the reference bot's 2 s wait for a fresh price). */
  readonly freshMidTimeoutMs: number;
  /** No mark push for this long: quote without the mark window (pushes normally come every ~3 s). */
  readonly markStaleMs: number;
  /** A quote its side may keep is not replaced (nor cancelled as a duplicate) before resting this long. */
  readonly minQuoteRestMs: number;
  /** Every order command the loop sends counts against it. */
  readonly orderBudget: OrderBudgetLimits;
  readonly reconcileIntervalMs: number;
  /** A request without a visible outcome for this long is settled (cancel by client id, re-read). */
  readonly settleMs: number;
  readonly restLagMs: number;
  readonly flattenRetryMs: number;
  readonly pauseBaseMs: number;
  readonly pauseMaxMs: number;
  readonly watchdogIntervalMs: number;
}

export interface MakerLoopOptions {
  readonly exchange: Exchange;
  readonly clock: Clock;
  readonly logger: Log;
  readonly ids: ClientIds;
  readonly quoting: MakerQuoting;
  readonly timing: MakerTiming;
}
