// Default symbols and option values of the simulator, and the resolution of user options
// against them. Values follow the live query_symbol_info shapes quoted in protocol §4.

import { systemClock, type Clock } from '../ops/clock.js';
import type { RegimeName } from './regimes.js';
import type { SimSymbolConfig, SimulatorOptions } from './types.js';

export const DEFAULT_SYMBOLS: readonly SimSymbolConfig[] = Object.freeze([
  Object.freeze({
    symbol: 'BTC-USD',
    priceTickDecimals: 2,
    qtyTickDecimals: 4,
    minOrderQty: '0.0001',
    maxOrderQty: '100',
    maxOpenOrders: 100,
    startPrice: '100000.00',
    volatilityBps: 0.5,
    jumpProbability: 0.001,
    jumpBps: 10,
    spreadTicks: 500,
    levels: 20,
    levelStepTicks: 100,
    enabled: true,
    makerFee: '0.0001',
    takerFee: '0.0004',
    defaultLeverage: 10,
  }),
  Object.freeze({
    symbol: 'ETH-USD',
    priceTickDecimals: 1,
    qtyTickDecimals: 3,
    minOrderQty: '0.001',
    maxOrderQty: '1000',
    maxOpenOrders: 100,
    startPrice: '3500.0',
    volatilityBps: 0.6,
    jumpProbability: 0.001,
    jumpBps: 12,
    spreadTicks: 5,
    levels: 20,
    levelStepTicks: 2,
    enabled: true,
    makerFee: '0.0001',
    takerFee: '0.0004',
    defaultLeverage: 10,
  }),
]);

export interface ResolvedOptions {
  host: string;
  port: number;
  seed: number;
  symbols: readonly SimSymbolConfig[];
  pushIntervalMs: number;
  autoRun: boolean;
  latencyMs: number;
  signatureWindowMs: number;
  tokenTtlSeconds: number;
  pingIntervalMs: number;
  pongTimeoutMs: number;
  maxConnectionAgeMs: number;
  clock: Clock;
  regime: RegimeName;
}

/**
 * BTC as measured live: a simulator that measures the daemon must not be kinder than live (a mark
 * pushed every ~3 s, lagging the book, drifting a few bps from the mid). Calm or legacy: by choice only.
 */
export const DEFAULT_REGIME: RegimeName = 'standard';

/**
 * Protocol §10.1: StandX does not document its accepted timestamp skew. 30 s is the common
 * exchange recv-window and comfortably above NTP drift, so a client that fails here is really off.
 */
const DEFAULT_SIGNATURE_WINDOW_MS = 30_000;

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    seed: options.seed ?? 1,
    symbols: options.symbols ?? DEFAULT_SYMBOLS,
    pushIntervalMs: options.pushIntervalMs ?? 100,
    autoRun: options.autoRun ?? true,
    latencyMs: options.latencyMs ?? 0,
    signatureWindowMs: options.signatureWindowMs ?? DEFAULT_SIGNATURE_WINDOW_MS,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 604_800,
    // Protocol §5: ping every 10 s, drop after 5 min without pong, close after 24 h.
    pingIntervalMs: options.pingIntervalMs ?? 10_000,
    pongTimeoutMs: options.pongTimeoutMs ?? 300_000,
    maxConnectionAgeMs: options.maxConnectionAgeMs ?? 86_400_000,
    clock: options.clock ?? systemClock,
    regime: options.regime ?? DEFAULT_REGIME,
  };
}
