// Draws from the distributions the price model uses, all from one injected seeded RandomSource so
// that a path is repeatable from its seed.

import type { RandomSource } from '../domain/random.js';
import type { DurationSpread } from './regimes.js';

/** z of the 90th percentile of a standard normal. */
const Z90 = 1.2815515655446004;

export function gaussian(random: RandomSource): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Exponential with the given mean (waiting times of a Poisson process). */
export function exponential(random: RandomSource, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

/** Lognormal duration with the spread's median and 90th percentile. */
export function duration(random: RandomSource, spread: DurationSpread): number {
  const sigma = Math.log(spread.p90Ms / spread.medianMs) / Z90;
  return spread.medianMs * Math.exp(sigma * gaussian(random));
}

export function uniform(random: RandomSource, min: number, max: number): number {
  return min + (max - min) * random();
}

export function sign(random: RandomSource): 1 | -1 {
  return random() < 0.5 ? -1 : 1;
}

/** Milliseconds until the next event of a Poisson process with `perMin` events a minute (Infinity at 0). */
export function waitMs(random: RandomSource, perMin: number): number {
  return perMin > 0 ? exponential(random, 60_000 / perMin) : Number.POSITIVE_INFINITY;
}
