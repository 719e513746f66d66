// The prices around StandX's mark, in bps of log-price from an anchor (floats: this is a model):
// the external price, the oracle index that follows it, and the StandX book that follows it with a
// persistent, mean-reverting, fat-tailed basis. Jumps are followed late, first, or never (seeded).

import type { RandomSource } from '../domain/random.js';
import { duration, gaussian, sign, uniform, waitMs } from './random-draws.js';
import type { BasisParams, RegimeParams } from './regimes.js';

/** A part of a jump one follower (index or book) has not taken yet. */
interface Leg {
  readonly bps: number;
  readonly atMs: number;
}

type JumpKind = 'late' | 'first' | 'never';

export class PriceWorld {
  readonly #params: RegimeParams;
  readonly #random: RandomSource;
  #timeMs = 0;
  #externalBps = 0;
  #basisBps = 0;
  #basisMeanBps: number;
  #indexLegs: Leg[] = [];
  #bookLegs: Leg[] = [];
  #nextJumpMs: number;
  #nextShockMs: number;
  #nextEpisodeMs: number;

  constructor(params: RegimeParams, random: RandomSource) {
    this.#params = params;
    this.#random = random;
    this.#basisMeanBps = params.basis.meanBps;
    this.#nextJumpMs = waitMs(random, params.jumps.perMin);
    this.#nextShockMs = waitMs(random, params.basis.shocksPerMin);
    this.#nextEpisodeMs = params.basis.episodes ? 0 : Number.POSITIVE_INFINITY;
  }

  get indexBps(): number {
    return this.#externalBps - pending(this.#indexLegs);
  }

  get bookBps(): number {
    return this.#externalBps + this.#basisBps - pending(this.#bookLegs);
  }

  /** Everything back to the anchor: no basis, no pending legs (the clock and schedules go on). */
  reset(): void {
    this.#externalBps = 0;
    this.#basisBps = 0;
    this.#indexLegs = [];
    this.#bookLegs = [];
  }

  /** Evolves to `timeMs`: diffusion and basis over the interval, then the events that fell inside it. */
  advanceTo(timeMs: number): void {
    const dtS = Math.max(0, timeMs - this.#timeMs) / 1_000;
    this.#timeMs = Math.max(this.#timeMs, timeMs);
    if (dtS > 0) {
      this.#externalBps += this.#params.volatilityBpsPerSqrtS * Math.sqrt(dtS) * gaussian(this.#random);
      this.#basisBps = ornsteinUhlenbeck(this.#basisBps, this.#basisMeanBps, this.#params.basis, dtS, gaussian(this.#random));
    }
    this.#indexLegs = this.#indexLegs.filter((leg) => leg.atMs > this.#timeMs);
    this.#bookLegs = this.#bookLegs.filter((leg) => leg.atMs > this.#timeMs);
    while (this.#nextEpisodeMs <= this.#timeMs) this.#newEpisode();
    while (this.#nextShockMs <= this.#timeMs) this.#shock();
    while (this.#nextJumpMs <= this.#timeMs) this.#jump();
  }

  #newEpisode(): void {
    const episodes = this.#params.basis.episodes;
    if (!episodes) return;
    this.#basisMeanBps = sign(this.#random) * uniform(this.#random, episodes.minBps, episodes.maxBps);
    this.#nextEpisodeMs += uniform(this.#random, episodes.minS, episodes.maxS) * 1_000;
  }

  #shock(): void {
    const { basis } = this.#params;
    this.#basisBps += sign(this.#random) * -Math.log(1 - this.#random()) * basis.shockMeanBps;
    this.#nextShockMs += waitMs(this.#random, basis.shocksPerMin);
  }

  #jump(): void {
    const { jumps } = this.#params;
    const bps = sign(this.#random) * uniform(this.#random, jumps.minBps, jumps.maxBps);
    const draw = this.#random();
    const kind: JumpKind = draw < jumps.lateShare ? 'late' : draw < jumps.lateShare + jumps.firstShare ? 'first' : 'never';
    const atMs = this.#nextJumpMs;
    if (kind === 'never') this.#basisBps += bps;
    else {
      this.#externalBps += bps;
      const legs = kind === 'late' ? this.#indexLegs : this.#bookLegs;
      legs.push({ bps, atMs: atMs + duration(this.#random, kind === 'late' ? jumps.indexDelay : jumps.bookDelay) });
    }
    this.#nextJumpMs += waitMs(this.#random, jumps.perMin);
  }
}

function pending(legs: readonly Leg[]): number {
  let sum = 0;
  for (const leg of legs) sum += leg.bps;
  return sum;
}

/** Exact OU transition over dtS: mean reversion plus the matching share of the stationary spread. */
function ornsteinUhlenbeck(value: number, mean: number, basis: BasisParams, dtS: number, z: number): number {
  const decay = Math.exp(-dtS / basis.reversionS);
  return mean + (value - mean) * decay + basis.sdBps * Math.sqrt(1 - decay * decay) * z;
}
