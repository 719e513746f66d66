// The lines of an account's fill ledger (config.runtime.fillLedgerFile, one JSON object per line): every
// fill with its price, fee and P&L, and every completed UTC hour with its uptime. The schema reads the
// file back for the daily report and the status, skipping what it does not recognise.

import { z } from 'zod';
import type { Side } from '../domain/types.js';
import type { OrderPurpose } from './own-orders.js';
import type { UptimeTier } from './uptime-accumulator.js';

export interface FillRecord {
  readonly kind: 'fill';
  readonly atMs: number;
  readonly clOrdId: string;
  readonly side: Side;
  readonly purpose: OrderPurpose;
  readonly liquidity: 'maker' | 'taker';
  /** Lots of the symbol (a bigint as a string). */
  readonly lots: string;
  /** Decimal strings in the quote currency. */
  readonly price: string;
  readonly notional: string;
  /** Computed from the symbol's maker or taker rate: StandX's order push states no fee. */
  readonly fee: string;
  /** Null when the fill closed nothing these books had seen open (a position from before a restart). */
  readonly realizedPnl: string | null;
  /** Since the order was sent. */
  readonly quoteAgeMs: number;
  readonly mid: string | null;
  readonly mark: string | null;
  /** Flattens only: the cost against the mid when the quotes it closed were filled. */
  readonly slippage?: string;
  readonly slippageBps?: string | null;
}

export interface HourRecord {
  readonly kind: 'hour';
  readonly hourStartMs: number;
  readonly inBandMs: number;
  readonly creditedMs: number;
  readonly tier: UptimeTier;
}

export type LedgerRecord = FillRecord | HourRecord;

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);

const fillSchema = z.looseObject({
  kind: z.literal('fill'),
  atMs: z.number(),
  clOrdId: z.string(),
  side: z.enum(['buy', 'sell']),
  purpose: z.enum(['quote', 'flatten']),
  liquidity: z.enum(['maker', 'taker']),
  lots: z.string().regex(/^\d+$/),
  price: decimal,
  notional: decimal,
  fee: decimal,
  realizedPnl: decimal.nullable(),
  quoteAgeMs: z.number(),
  mid: decimal.nullable(),
  mark: decimal.nullable(),
  slippage: decimal.optional(),
  slippageBps: decimal.nullable().optional(),
});

const hourSchema = z.looseObject({
  kind: z.literal('hour'),
  hourStartMs: z.number(),
  inBandMs: z.number(),
  creditedMs: z.number(),
  tier: z.enum(['full', 'half', 'none']),
});

const recordSchema = z.discriminatedUnion('kind', [fillSchema, hourSchema]);

/** One ledger line, or null for a line this version does not understand (torn, foreign, future). */
export function parseLedgerLine(line: string): LedgerRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) return null;
  const data = parsed.data;
  if (data.kind === 'hour') {
    return { kind: 'hour', hourStartMs: data.hourStartMs, inBandMs: data.inBandMs, creditedMs: data.creditedMs, tier: data.tier };
  }
  const { slippage, slippageBps } = data;
  return {
    kind: 'fill',
    atMs: data.atMs,
    clOrdId: data.clOrdId,
    side: data.side,
    purpose: data.purpose,
    liquidity: data.liquidity,
    lots: data.lots,
    price: data.price,
    notional: data.notional,
    fee: data.fee,
    realizedPnl: data.realizedPnl,
    quoteAgeMs: data.quoteAgeMs,
    mid: data.mid,
    mark: data.mark,
    ...(slippage === undefined ? {} : { slippage }),
    ...(slippageBps === undefined ? {} : { slippageBps }),
  };
}
