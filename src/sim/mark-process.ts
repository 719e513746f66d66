// StandX's mark recipe, in spirit (reference: "price indicators"): the median of the index carried by
// funding, the index plus a short moving average of (mid − index), and the last trade (the index when
// trading is quiet); pinned to the index (standing for the other venues' marks) when it drifts too far.

import type { RandomSource } from '../domain/random.js';
import { sign } from './random-draws.js';
import type { MarkParams } from './regimes.js';

/** What the recipe reads of the world, bps of log-price from the anchor. */
export interface MarkInputs {
  readonly indexBps: number;
  readonly bookBps: number;
}

export class MarkRecipe {
  readonly #params: MarkParams;
  readonly #random: RandomSource;
  readonly #halfSpreadBps: number;
  #timeMs = 0;
  #basisAverageBps = 0;
  #lastTradeBps = 0;
  #lastTradeMs = Number.NEGATIVE_INFINITY;
  #pinnedUntilMs = Number.NEGATIVE_INFINITY;

  constructor(params: MarkParams, random: RandomSource, halfSpreadBps: number) {
    this.#params = params;
    this.#random = random;
    this.#halfSpreadBps = halfSpreadBps;
  }

  /** The last trade leg as last computed (the index when quiet). */
  get lastTradeBps(): number {
    return this.#lastTradeBps;
  }

  /** Back to the anchor with no basis and no recent trade. */
  reset(): void {
    this.#basisAverageBps = 0;
    this.#lastTradeBps = 0;
    this.#lastTradeMs = Number.NEGATIVE_INFINITY;
    this.#pinnedUntilMs = Number.NEGATIVE_INFINITY;
  }

  /** Carries the moving average and the trade tape forward to `timeMs` with the world as it is now. */
  observe(timeMs: number, world: MarkInputs): void {
    const dtS = Math.max(0, timeMs - this.#timeMs) / 1_000;
    this.#timeMs = Math.max(this.#timeMs, timeMs);
    if (dtS === 0) return;
    const weight = 1 - Math.exp(-dtS / this.#params.basisAverageS);
    this.#basisAverageBps += (world.bookBps - world.indexBps - this.#basisAverageBps) * weight;
    if (this.#random() < 1 - Math.exp(-this.#params.tradesPerS * dtS)) {
      this.#lastTradeBps = world.bookBps + sign(this.#random) * this.#halfSpreadBps;
      this.#lastTradeMs = this.#timeMs;
    }
  }

  /** The mark to publish now. */
  compute(world: MarkInputs): number {
    const { fundingCarryBps, quietTradeS, pinBps, pinHoldS } = this.#params;
    const index = world.indexBps;
    const isQuiet = this.#timeMs - this.#lastTradeMs > quietTradeS * 1_000;
    const recipe = median(index + fundingCarryBps, index + this.#basisAverageBps, isQuiet ? index : this.#lastTradeBps);
    if (this.#timeMs < this.#pinnedUntilMs) return index;
    if (Math.abs(recipe - index) <= pinBps) return recipe;
    this.#pinnedUntilMs = this.#timeMs + pinHoldS * 1_000;
    return index;
  }
}

function median(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}
