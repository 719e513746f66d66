// How far a price moves between two consecutive looks of the maker loop, in bps. The overlap
// policy sizes its early-replacement margin from it (quotes.ts): a quote closer to a band edge than
// a couple of typical moves may be out by the next look, so it is replaced while it still counts.
// A statistic, not a price: floats are fine here, and only the size of a margin depends on it.

import { BPS_UNIT_SCALE, bpsFromUnits, type Bps } from '../domain/bps.js';
import type { TickPrice } from '../domain/price.js';

export interface MoveVolatilityOptions {
  /** Weight of the newest move in the exponentially weighted mean of squared moves. */
  readonly weight: number;
  /** Moves seen before the estimate is trusted. */
  readonly warmupMoves: number;
  /** Once warm, a move is clipped to this many RMS moves: one jump, which no margin could have
   *  caught, must not inflate the margins (and the order rate) for the next minute. */
  readonly clipRms: number;
}

export const DEFAULT_MOVE_VOLATILITY: MoveVolatilityOptions = { weight: 0.05, warmupMoves: 20, clipRms: 4 };

export class MoveVolatility {
  readonly #options: MoveVolatilityOptions;
  #meanSquare = 0;
  #moves = 0;
  #last: number | null = null;

  constructor(options: MoveVolatilityOptions = DEFAULT_MOVE_VOLATILITY) {
    this.#options = options;
  }

  /** The price at one look; non-positive or non-finite prices are ignored. */
  observe(price: number): void {
    if (!(price > 0) || !Number.isFinite(price)) return;
    const last = this.#last;
    this.#last = price;
    if (last === null) return;
    let moveBps = Math.abs((price - last) / last) * 10_000;
    const rms = this.rmsBps();
    if (rms !== null && rms > 0) moveBps = Math.min(moveBps, this.#options.clipRms * rms);
    const weight = this.#moves === 0 ? 1 : Math.max(this.#options.weight, 1 / (this.#moves + 1));
    this.#meanSquare += weight * (moveBps * moveBps - this.#meanSquare);
    this.#moves += 1;
  }

  /** Forget the last price (after a gap in the data), keep the estimate: the next move would span the gap. */
  breakSequence(): void {
    this.#last = null;
  }

  /** RMS move per look in bps, or null until warmed up. */
  rmsBps(): number | null {
    return this.#moves < this.#options.warmupMoves ? null : Math.sqrt(this.#meanSquare);
  }

  /** `multiple` RMS moves as a Bps (rounded up to the next 1e-4 bps), or null until warmed up. */
  marginBps(multiple: number): Bps | null {
    const rms = this.rmsBps();
    return rms === null ? null : bpsFromUnits(BigInt(Math.ceil(rms * multiple * Number(BPS_UNIT_SCALE))));
  }
}

/**
 * Overlap's early-replacement margin, in RMS moves between two looks: a normally distributed move
 * exceeds two of them about 2 % of the time, so a quote kept outside the margin is rarely out of
 * band by the next look, and in calm markets quotes are left alone longer (fewer messages).
 */
const EDGE_MARGIN_RMS_MOVES = 2;

/** The maker loop's view of its mid between looks: one sample per look that saw a new book. */
export class LookMoves {
  readonly #moves: MoveVolatility;
  #lastBookSeq = 0;

  constructor(options: MoveVolatilityOptions = DEFAULT_MOVE_VOLATILITY) {
    this.#moves = new MoveVolatility(options);
  }

  /** The mid at one look and the book it came from; no mid (a gap in the data) breaks the sequence. */
  observe(mid: TickPrice | null, bookSeq: number): void {
    if (mid === null) this.#moves.breakSequence();
    else if (bookSeq !== this.#lastBookSeq) this.#moves.observe(Number(mid.num) / Number(mid.den));
    this.#lastBookSeq = bookSeq;
  }

  /** The early-replacement margin, or null until warmed up. */
  edgeMarginBps(): Bps | null {
    return this.#moves.marginBps(EDGE_MARGIN_RMS_MOVES);
  }
}
