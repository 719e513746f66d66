// One symbol's synthetic book of `levels` levels per side around a fair price in whole ticks, and
// the mark as last published (more digits than the tick). The legacy regime's price process lives
// here too: a seeded random walk with jumps and a freshly noisy mark at every step.

import { pow10 } from '../domain/decimal.js';
import type { RandomSource } from '../domain/random.js';
import type { PublishedMark } from './regime-process.js';
import { MARK_EXTRA_DECIMALS, type SymbolSpec } from './symbol-spec.js';

export interface BookLevel {
  readonly priceTicks: bigint;
  readonly qtyLots: bigint;
}

export interface MarketSnapshot {
  readonly fairTicks: bigint;
  /** Best (highest) first. */
  readonly bids: readonly BookLevel[];
  /** Best (lowest) first. */
  readonly asks: readonly BookLevel[];
  /** Units of 10^-spec.markDecimals: the published mark, the one every reader of "the mark" uses. */
  readonly markUnits: bigint;
  /** The index and last trade the published mark was computed from. */
  readonly indexTicks: bigint;
  readonly lastTicks: bigint;
}

type MarkFields = Pick<MarketSnapshot, 'markUnits' | 'indexTicks' | 'lastTicks'>;

const BPS = 10_000;

export class SymbolMarket {
  readonly #spec: SymbolSpec;
  readonly #random: RandomSource;
  #snapshot: MarketSnapshot;

  constructor(spec: SymbolSpec, random: RandomSource) {
    this.#spec = spec;
    this.#random = random;
    const fair = this.#clampFair(spec.startTicks);
    this.#snapshot = this.#build(fair, this.#exactMark(fair));
  }

  get snapshot(): MarketSnapshot {
    return this.#snapshot;
  }

  /** One step: Gaussian move of volatilityBps (stdev), plus a jump of ±jumpBps with jumpProbability. */
  step(): void {
    const config = this.#spec.config;
    const fair = Number(this.#snapshot.fairTicks);
    let moveTicks = Math.round(((fair * config.volatilityBps) / BPS) * this.#gaussian());
    if (this.#random() < config.jumpProbability) {
      const jump = Math.max(1, Math.round((fair * config.jumpBps) / BPS));
      moveTicks += this.#random() < 0.5 ? -jump : jump;
    }
    const nextFair = this.#clampFair(this.#snapshot.fairTicks + BigInt(moveTicks));
    this.#snapshot = this.#build(nextFair, this.#noisyMark(nextFair));
  }

  /** A depth update of a live-like regime: the book moves, the published mark stays. */
  moveBook(fairTicks: bigint): void {
    const { markUnits, indexTicks, lastTicks } = this.#snapshot;
    this.#snapshot = this.#build(this.#clampFair(fairTicks), { markUnits, indexTicks, lastTicks });
  }

  /** A mark publication of a live-like regime: the book stays. */
  publishMark(mark: PublishedMark): void {
    const { markUnits, indexTicks, lastTicks } = mark;
    this.#snapshot = { ...this.#snapshot, markUnits, indexTicks, lastTicks };
  }

  /** Moves the fair price to `ticks`; the mark equals it exactly, so tests can reason about bands. */
  setFair(ticks: bigint): void {
    const fair = this.#clampFair(ticks);
    this.#snapshot = this.#build(fair, this.#exactMark(fair));
  }

  #build(fairTicks: bigint, mark: MarkFields): MarketSnapshot {
    const config = this.#spec.config;
    const spread = BigInt(Math.max(1, config.spreadTicks));
    const bestBid = fairTicks - spread / 2n;
    const bestAsk = bestBid + spread;
    const bids: BookLevel[] = [];
    const asks: BookLevel[] = [];
    for (let level = 0; level < config.levels; level += 1) {
      const offset = BigInt(level) * this.#spec.levelStepTicks;
      bids.push({ priceTicks: bestBid - offset, qtyLots: this.#levelLots() });
      asks.push({ priceTicks: bestAsk + offset, qtyLots: this.#levelLots() });
    }
    return { fairTicks, bids, asks, ...mark };
  }

  /** Keeps the deepest synthetic bid at one tick or more. */
  #clampFair(ticks: bigint): bigint {
    const config = this.#spec.config;
    const floor = BigInt(config.spreadTicks) + BigInt(config.levels) * this.#spec.levelStepTicks + 1n;
    return ticks < floor ? floor : ticks;
  }

  /** The mark, index and last trade all exactly at the fair price. */
  #exactMark(fairTicks: bigint): MarkFields {
    return { markUnits: fairTicks * pow10(MARK_EXTRA_DECIMALS), indexTicks: fairTicks, lastTicks: fairTicks };
  }

  #noisyMark(fairTicks: bigint): MarkFields {
    const exact = this.#exactMark(fairTicks);
    const halfWidth = (Number(exact.markUnits) * (this.#spec.config.markNoiseBps ?? 0.5)) / BPS;
    const noise = Math.round((this.#random() * 2 - 1) * halfWidth);
    const mark = exact.markUnits + BigInt(noise);
    return mark > 0n ? { ...exact, markUnits: mark } : exact;
  }

  /** Between the minimum order size and two units of the base asset. */
  #levelLots(): bigint {
    const span = Number(2n * pow10(this.#spec.qtyDecimals));
    return this.#spec.minLots + BigInt(Math.floor(this.#random() * span));
  }

  #gaussian(): number {
    // Box-Muller; 1 - u keeps the logarithm finite.
    const u1 = 1 - this.#random();
    const u2 = this.#random();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
