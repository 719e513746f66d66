// The status page's data: a sampled price history of the last hour, and the page model built from the
// account's status and its hours (ops/status-page.ts draws it).

import { tickPriceToNumber } from '../domain/price.js';
import type { SymbolSpec } from '../domain/types.js';
import type { MakerSnapshot } from '../engine/observations.js';
import type { QuoteStanding } from '../engine/quote-standing.js';
import { FULL_TIER_MS, type HourProjection, type HourUptime } from '../engine/uptime-accumulator.js';
import type { DayReport } from '../engine/daily-report.js';
import { renderStatusPage, type HourBar, type PricePoint } from '../ops/status-page.js';
import type { AccountStatus, QuoteStatus } from './status-view.js';

const HISTORY_MS = 3_600_000;

/** Mid, mark and the best own quotes, one point per sample, the last hour kept. */
export class PriceHistory {
  readonly #points: PricePoint[] = [];

  record(snapshot: MakerSnapshot, standings: readonly QuoteStanding[], spec: SymbolSpec): void {
    const toNumber = (value: MakerSnapshot['mid']): number | null => (value ? tickPriceToNumber(value, spec.priceDecimals) : null);
    const quote = (side: 'buy' | 'sell'): number | null => {
      const prices = standings.filter((s) => s.side === side).map((s) => Number(s.priceTicks) / 10 ** spec.priceDecimals);
      if (prices.length === 0) return null;
      return side === 'buy' ? Math.max(...prices) : Math.min(...prices);
    };
    this.#points.push({ atMs: snapshot.atMs, mid: toNumber(snapshot.mid), mark: toNumber(snapshot.mark), bid: quote('buy'), ask: quote('sell') });
    const horizon = snapshot.atMs - HISTORY_MS;
    while ((this.#points[0]?.atMs ?? horizon) < horizon) this.#points.shift();
  }

  points(): readonly PricePoint[] {
    return this.#points;
  }
}

function quoteText(quote: QuoteStatus | null): string {
  if (!quote) return 'none';
  const bps = (value: number | null): string => (value === null ? '?' : value.toFixed(2));
  return `${quote.price} · ${bps(quote.fromMidBps)} bps from mid · ${bps(quote.fromMarkBps)} bps from mark${quote.isCredited ? ' · credited' : ' · NOT credited'}`;
}

export interface PageInputs {
  readonly status: AccountStatus;
  readonly hour: HourProjection;
  readonly recentHours: readonly HourUptime[];
  readonly today: DayReport;
  readonly prices: readonly PricePoint[];
  readonly nowMs: number;
}

export function renderAccountPage(inputs: PageInputs): string {
  const { status, hour, today } = inputs;
  const bars: HourBar[] = [...inputs.recentHours, hour]
    .filter((h) => h.hourStartMs > hour.hourStartMs - 24 * 3_600_000)
    .map((h) => ({ hourStartMs: h.hourStartMs, creditedMin: Math.floor(h.creditedMs / 60_000), isCurrent: h.hourStartMs === hour.hourStartMs }));
  return renderStatusPage({
    title: `${status.account} · ${status.symbol}`,
    state: status.state,
    isHealthy: status.healthReasons.length === 0,
    reasons: status.healthReasons,
    now: [
      ['mid', status.mid ?? 'unknown'],
      ['mark', status.mark ?? 'unknown'],
      ['bid', quoteText(status.bid)],
      ['ask', quoteText(status.ask)],
      ['this hour', `${status.hour.creditedMin} min credited · ${status.hour.inBandMin} min in band · ${status.hour.remainingMin} min left${status.hour.canReachFull ? '' : ' · 42 min out of reach'}`],
      ['position', status.position],
      ['last error', status.lastError ?? 'none'],
    ],
    today: [
      ['credited hours', String(today.creditedHours)],
      ['fills', `${today.quoteFills} quotes, ${today.flattens} flattens`],
      ['fees paid', today.feesPaid],
      ['flatten cost', `${today.flattenSlippage}${today.flattenSlippageBps === null ? '' : ` (${today.flattenSlippageBps} bps)`}`],
      ['realized PnL', today.realizedPnl],
      ['net PnL', today.netPnl],
      ['cost per credited hour', today.costPerCreditedHour ?? 'n/a'],
    ],
    prices: inputs.prices,
    hours: bars,
    fullTierMin: FULL_TIER_MS / 60_000,
    generatedAtMs: inputs.nowMs,
    refreshSeconds: 15,
  });
}
