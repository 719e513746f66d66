// Named market regimes: every parameter of the price, basis, jump and mark processes in one table,
// calibrated against the live measurements quoted in the mark-price reference (BTC, HYPE, XAG).
// `legacy` is the pre-regime model (per-step noisy mark pushed on every depth push): kinder than live.

export const REGIME_NAMES = ['calm', 'standard', 'volatile', 'divergent', 'jumpy', 'legacy'] as const;
export type RegimeName = (typeof REGIME_NAMES)[number];
export type LiveRegimeName = Exclude<RegimeName, 'legacy'>;

/** A lognormal duration: half of the draws fall below `medianMs`, a tenth above `p90Ms`. */
export interface DurationSpread {
  readonly medianMs: number;
  readonly p90Ms: number;
}

export interface BasisParams {
  /** Where the book sits against the index on average, bps (divergent draws episodes instead). */
  readonly meanBps: number;
  /** Stationary standard deviation of the Ornstein-Uhlenbeck part, bps. */
  readonly sdBps: number;
  readonly reversionS: number;
  /** Fat tail: book-local shocks (Laplace sizes) on top of the diffusion. */
  readonly shocksPerMin: number;
  readonly shockMeanBps: number;
  /** Divergent only: the mean is redrawn in [min, max] bps with a random sign for each episode. */
  readonly episodes?: { readonly minBps: number; readonly maxBps: number; readonly minS: number; readonly maxS: number };
}

export interface JumpParams {
  readonly perMin: number;
  readonly minBps: number;
  readonly maxBps: number;
  /** Share of jumps the book takes at once while the index (so the mark) catches up late. */
  readonly lateShare: number;
  /** Share of jumps the index (so the mark) takes before the book. The rest: book-local, never followed. */
  readonly firstShare: number;
  readonly indexDelay: DurationSpread;
  readonly bookDelay: DurationSpread;
}

export interface MarkParams {
  readonly publishIntervalMs: number;
  /** Each spacing adds a uniform draw in [0, jitter). */
  readonly publishJitterMs: number;
  /** Time constant of the moving average of (mid − index), seconds. */
  readonly basisAverageS: number;
  readonly tradesPerS: number;
  /** Without a trade for this long, the last-trade leg of the median is the index. */
  readonly quietTradeS: number;
  readonly fundingCarryBps: number;
  /** Beyond this distance from the index the mark is pinned to it (StandX pins to other venues). */
  readonly pinBps: number;
  readonly pinHoldS: number;
}

export interface RegimeParams {
  readonly description: string;
  /** Diffusion of the external price, bps per √second. */
  readonly volatilityBpsPerSqrtS: number;
  readonly basis: BasisParams;
  readonly jumps: JumpParams;
  readonly mark: MarkParams;
  /** Spacing of depth_book updates. */
  readonly depth: DurationSpread;
}

/** Live cadences (reference: depth top ~250 ms, p90 ~500 ms; mark every ~3 s, BTC ~3.2 s). */
const LIVE_DEPTH: DurationSpread = { medianMs: 250, p90Ms: 500 };
const LIVE_MARK: MarkParams = {
  publishIntervalMs: 3_000,
  publishJitterMs: 400,
  basisAverageS: 8,
  tradesPerS: 0.5,
  quietTradeS: 10,
  fundingCarryBps: 0.3,
  pinBps: 4,
  pinHoldS: 20,
};
/** Reference: follows late 61 %, moved first 20 %, never 19 %; half the move covered at median 2.6 s. */
const LIVE_FOLLOW = {
  lateShare: 0.61,
  firstShare: 0.2,
  indexDelay: { medianMs: 1_100, p90Ms: 2_400 },
  bookDelay: { medianMs: 3_500, p90Ms: 6_000 },
} as const;
/** BTC's book against the index, fitted so that standard meets the measured |mark − mid| percentiles. */
const BTC_BASIS: BasisParams = { meanBps: 0, sdBps: 3.3, reversionS: 12, shocksPerMin: 0.5, shockMeanBps: 3 };

export const REGIMES: Readonly<Record<LiveRegimeName, RegimeParams>> = {
  calm: {
    description: 'quiet market: low volatility, small basis, rare small jumps',
    volatilityBpsPerSqrtS: 0.35,
    basis: { meanBps: 0, sdBps: 0.4, reversionS: 20, shocksPerMin: 0.1, shockMeanBps: 1 },
    jumps: { perMin: 0.05, minBps: 8, maxBps: 10, ...LIVE_FOLLOW },
    mark: LIVE_MARK,
    depth: LIVE_DEPTH,
  },
  standard: {
    description: 'BTC as measured live: |mark − mid| p50 1.9, p90 5.3, p99 11.65 bps',
    volatilityBpsPerSqrtS: 0.9,
    basis: BTC_BASIS,
    jumps: { perMin: 0.3, minBps: 8, maxBps: 16, ...LIVE_FOLLOW },
    mark: LIVE_MARK,
    depth: LIVE_DEPTH,
  },
  volatile: {
    description: 'a jump of 8–16 bps about every 10 s on a faster diffusion',
    volatilityBpsPerSqrtS: 1.5,
    basis: BTC_BASIS,
    jumps: { perMin: 6, minBps: 8, maxBps: 16, ...LIVE_FOLLOW },
    mark: LIVE_MARK,
    depth: LIVE_DEPTH,
  },
  divergent: {
    description: 'a persistent 5–8 bps basis held for minutes (the XAG case); the mark stays with the index',
    volatilityBpsPerSqrtS: 0.9,
    basis: { meanBps: 0, sdBps: 0.8, reversionS: 30, shocksPerMin: 0.2, shockMeanBps: 1, episodes: { minBps: 5, maxBps: 8, minS: 60, maxS: 300 } },
    jumps: { perMin: 0.2, minBps: 8, maxBps: 16, ...LIVE_FOLLOW },
    mark: { ...LIVE_MARK, pinBps: 3 },
    depth: LIVE_DEPTH,
  },
  jumpy: {
    description: 'frequent fast external moves of 8–32 bps, followed late, first or never',
    volatilityBpsPerSqrtS: 0.9,
    basis: BTC_BASIS,
    jumps: { perMin: 2, minBps: 8, maxBps: 32, ...LIVE_FOLLOW },
    mark: LIVE_MARK,
    depth: LIVE_DEPTH,
  },
};

export function isRegimeName(value: string): value is RegimeName {
  return (REGIME_NAMES as readonly string[]).includes(value);
}

export function regimeParams(name: LiveRegimeName): RegimeParams {
  return REGIMES[name];
}
