// One symbol's market in a live-like regime on its own simulated timeline: depth updates at the
// regime's cadence (the book's fair price in whole ticks) and mark publications every ~3 s (exact
// mark units), both drawn from one seeded source so that a run is repeatable from its seed.

import { pow10 } from '../domain/decimal.js';
import type { RandomSource } from '../domain/random.js';
import { MarkRecipe } from './mark-process.js';
import { PriceWorld } from './price-world.js';
import { duration } from './random-draws.js';
import type { RegimeParams } from './regimes.js';
import { MARK_EXTRA_DECIMALS } from './symbol-spec.js';

/** The mark as last published, with the index and last trade it was computed from. */
export interface PublishedMark {
  /** Units of 10^-(price decimals + MARK_EXTRA_DECIMALS). */
  readonly markUnits: bigint;
  readonly indexTicks: bigint;
  readonly lastTicks: bigint;
  readonly atMs: number;
}

export type ProcessEvent = 'depth' | 'mark';

export interface RegimeProcessOptions {
  readonly params: RegimeParams;
  readonly startTicks: bigint;
  /** Book spread, for the price of the last trade. */
  readonly spreadTicks: number;
  readonly random: RandomSource;
}

const BPS = 10_000;
const MARK_SCALE = Number(pow10(MARK_EXTRA_DECIMALS));

export class RegimeProcess {
  readonly #params: RegimeParams;
  readonly #random: RandomSource;
  readonly #world: PriceWorld;
  readonly #recipe: MarkRecipe;
  #anchorTicks: number;
  #timeMs = 0;
  #nextDepthMs: number;
  #nextMarkMs: number;
  #fairTicks: bigint;
  #published: PublishedMark;

  constructor(options: RegimeProcessOptions) {
    const { params, startTicks, random } = options;
    this.#params = params;
    this.#random = random;
    this.#anchorTicks = Number(startTicks);
    this.#world = new PriceWorld(params, random);
    this.#recipe = new MarkRecipe(params.mark, random, (options.spreadTicks / 2 / this.#anchorTicks) * BPS);
    this.#fairTicks = startTicks;
    this.#published = exactMark(startTicks, 0);
    this.#nextDepthMs = duration(random, params.depth);
    this.#nextMarkMs = this.#markSpacingMs();
  }

  /** Simulated time of the last event, ms from the start. */
  get nowMs(): number {
    return this.#timeMs;
  }

  get nextEventAtMs(): number {
    return Math.min(this.#nextDepthMs, this.#nextMarkMs);
  }

  /** The book's fair price as of the last depth update. */
  get fairTicks(): bigint {
    return this.#fairTicks;
  }

  get published(): PublishedMark {
    return this.#published;
  }

  /** Runs the next scheduled event (a mark publication first when both fall on the same ms). */
  runNext(): ProcessEvent {
    const isMark = this.#nextMarkMs <= this.#nextDepthMs;
    const atMs = isMark ? this.#nextMarkMs : this.#nextDepthMs;
    this.#world.advanceTo(atMs);
    this.#recipe.observe(atMs, { indexBps: this.#world.indexBps, bookBps: this.#world.bookBps });
    this.#timeMs = atMs;
    if (isMark) {
      this.#publish(atMs);
      this.#nextMarkMs = atMs + this.#markSpacingMs();
      return 'mark';
    }
    this.#fairTicks = this.#ticksAt(this.#world.bookBps);
    this.#nextDepthMs = atMs + duration(this.#random, this.#params.depth);
    return 'depth';
  }

  /** Runs events up to and including the next depth update; returns every event run, in order. */
  runToNextDepth(): ProcessEvent[] {
    const events: ProcessEvent[] = [];
    while (events.at(-1) !== 'depth') events.push(this.runNext());
    return events;
  }

  /** The whole market at `ticks` at once: book, index, last trade and a published mark exactly there. */
  reset(ticks: bigint): void {
    this.#anchorTicks = Number(ticks);
    this.#world.reset();
    this.#recipe.reset();
    this.#fairTicks = ticks;
    this.#published = exactMark(ticks, this.#timeMs);
  }

  #publish(atMs: number): void {
    const world = { indexBps: this.#world.indexBps, bookBps: this.#world.bookBps };
    const markBps = this.#recipe.compute(world);
    const markUnits = BigInt(Math.round(this.#priceAt(markBps) * MARK_SCALE));
    this.#published = {
      markUnits: markUnits > 0n ? markUnits : 1n,
      indexTicks: this.#ticksAt(world.indexBps),
      lastTicks: this.#ticksAt(this.#recipe.lastTradeBps),
      atMs,
    };
  }

  #markSpacingMs(): number {
    const { publishIntervalMs, publishJitterMs } = this.#params.mark;
    return publishIntervalMs + this.#random() * publishJitterMs;
  }

  #priceAt(bps: number): number {
    return this.#anchorTicks * Math.exp(bps / BPS);
  }

  #ticksAt(bps: number): bigint {
    const ticks = BigInt(Math.round(this.#priceAt(bps)));
    return ticks > 0n ? ticks : 1n;
  }
}

function exactMark(ticks: bigint, atMs: number): PublishedMark {
  return { markUnits: ticks * pow10(MARK_EXTRA_DECIMALS), indexTicks: ticks, lastTicks: ticks, atMs };
}
