// Seeded randomness: the simulator's price paths and fills, and the jitter of retries, draw from a
// RandomSource that is injected, so that every run and every test is repeatable from its seed.

/** A random source in [0, 1). */
export type RandomSource = () => number;

/** Deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
