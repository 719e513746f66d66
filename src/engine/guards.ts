// The kill switches' and the second-quoter guard's decisions, without I/O: which foreign-run order
// means another quoter, how many failed requests in a row, and the day's realized loss plus fees.
// cli/guards-wiring.ts feeds them the loop's observations and halts the loop on their verdicts.

import { ceilDiv, parseUnits, pow10 } from '../domain/decimal.js';
import type { Order } from '../domain/types.js';
import { runStartedAtMsOf } from './client-ids.js';

export type OtherRunVerdict = 'gone' | 'leftover' | 'secondQuoter';

/**
 * An order of another run of this account. A live order placed by a run that started after this one,
 * or a fresh order (nothing filled) pushed on the order channel while this one runs, is a second
 * quoter: leftovers of an earlier run never place new orders. Anything else live is a leftover of an
 * earlier run, which the start-up reconcile cancels.
 */
export function classifyOtherRunOrder(order: Order, via: 'stream' | 'rest', ownStartedAtMs: number): OtherRunVerdict {
  if (order.state !== 'live') return 'gone';
  const startedAtMs = runStartedAtMsOf(order.clOrdId);
  if (startedAtMs !== null && startedAtMs > ownStartedAtMs) return 'secondQuoter';
  if (via === 'stream' && order.filledLots === 0n) return 'secondQuoter';
  return 'leftover';
}

const DAY_MS = 86_400_000;

/** Days since the epoch, in UTC: the kill switches' day starts at 00:00 UTC. */
export function utcDayOf(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

/**
 * MAX_CONSECUTIVE_FAILURES: requests refused or failed in a row (see the `requestFailed` event for
 * what counts); a quote seen resting or a completed flatten resets the run. 0 turns it off.
 */
export class FailureStreak {
  #count = 0;

  constructor(readonly limit: number) {}

  get count(): number {
    return this.#count;
  }

  /** Returns true when this failure reaches the limit. */
  onFailure(): boolean {
    this.#count += 1;
    return this.limit > 0 && this.#count === this.limit;
  }

  onSuccess(): void {
    this.#count = 0;
  }
}

/** Money in 10^-8 of the quote currency: fine enough for fees on one lot, exact in bigint. */
export const MONEY_DECIMALS = 8;

export interface FillCost {
  readonly filledLots: bigint;
  readonly priceTicks: bigint;
  readonly qtyDecimals: number;
  readonly priceDecimals: number;
  /** The fee rate in basis points (protocol §11.5: maker 1, taker 4). */
  readonly feeBps: bigint;
}

/** The fee of one fill in money units, rounded up: an estimate never understates a loss. */
export function estimateFee(fill: FillCost): bigint {
  const numerator = fill.filledLots * fill.priceTicks * fill.feeBps * pow10(MONEY_DECIMALS);
  return ceilDiv(numerator, pow10(fill.qtyDecimals + fill.priceDecimals) * 10_000n);
}

/**
 * DAILY_LOSS_LIMIT's ledger: realized PnL learnt from the position pushes' cumulative realized_pnl
 * (each push adds its change from the previous one) minus the fees, since 00:00 UTC.
 */
export class DailyLoss {
  #day = -1;
  #realized = 0n;
  #fees = 0n;
  #lastCumulative: bigint | null = null;

  /** A position push's realized_pnl (cumulative, a decimal string). */
  onRealized(cumulative: string, atMs: number): void {
    this.#roll(atMs);
    const value = parseUnits(cumulative, MONEY_DECIMALS, 'floor');
    if (this.#lastCumulative !== null) this.#realized += value - this.#lastCumulative;
    this.#lastCumulative = value;
  }

  onFee(feeUnits: bigint, atMs: number): void {
    this.#roll(atMs);
    this.#fees += feeUnits;
  }

  /** The day's loss in money units (negative when in profit). */
  lossUnits(atMs: number): bigint {
    this.#roll(atMs);
    return this.#fees - this.#realized;
  }

  #roll(atMs: number): void {
    const day = utcDayOf(atMs);
    if (day === this.#day) return;
    this.#day = day;
    this.#realized = 0n;
    this.#fees = 0n;
  }
}
