// The benchmark's standard price path: BTC-USD at a typical BTC volatility (0.2 bps per 50 ms step
// ≈ 0.9 bps/√s ≈ 50 % a year) with occasional 10 bps jumps, stepped on every depth push (20 pushes/s
// by default). The simulator's own default (0.5 bps per 100 ms step) is a harsher, demo-friendly path.

import { DEFAULT_SYMBOLS, type SimSymbolConfig } from '../sim/index.js';

export const STANDARD_SYMBOL = 'BTC-USD';
/** The sim command's default size for BTC-USD. */
export const STANDARD_QTY = '0.0100';

const VOLATILITY_BPS = 0.2;
const JUMP_PROBABILITY = 0.0005;
const JUMP_BPS = 10;

export function standardSymbols(): SimSymbolConfig[] {
  const base = DEFAULT_SYMBOLS.find((symbol) => symbol.symbol === STANDARD_SYMBOL);
  if (!base) throw new Error(`the simulator has no ${STANDARD_SYMBOL}`);
  return [{ ...base, volatilityBps: VOLATILITY_BPS, jumpProbability: JUMP_PROBABILITY, jumpBps: JUMP_BPS }];
}

/** One line for the results: what the path is, against the simulator's default. */
export function describeStandardPath(pushIntervalMs: number): string {
  const base = DEFAULT_SYMBOLS.find((symbol) => symbol.symbol === STANDARD_SYMBOL);
  const stepsPerSecond = 1_000 / pushIntervalMs;
  const perSecondBps = VOLATILITY_BPS * Math.sqrt(stepsPerSecond);
  const jumpsPerMinute = JUMP_PROBABILITY * stepsPerSecond * 60;
  return (
    `${STANDARD_SYMBOL} from ${base?.startPrice ?? '?'}, one random-walk step per depth push: Gaussian ${VOLATILITY_BPS} bps/step ` +
    `(≈${perSecondBps.toFixed(2)} bps/√s at ${stepsPerSecond} steps/s), jumps of ±${JUMP_BPS} bps with p=${JUMP_PROBABILITY}/step ` +
    `(≈${jumpsPerMinute.toFixed(1)}/min); simulator default: ${base?.volatilityBps ?? '?'} bps/step, ` +
    `±${base?.jumpBps ?? '?'} bps jumps with p=${base?.jumpProbability ?? '?'}. Book spread ${base?.spreadTicks ?? '?'} ticks, mark noise ±0.5 bps.`
  );
}
