// One account's status as plain JSON (the control socket's `status` answer, the status page and the
// minute log line), and its text forms: the log line and the `standx-mm status` table.

import { formatUnits } from '../domain/decimal.js';
import { tickPriceToNumber } from '../domain/price.js';
import type { SymbolSpec } from '../domain/types.js';
import { bpsRatioToNumber } from '../engine/band.js';
import type { DayReport } from '../engine/daily-report.js';
import type { Health } from '../engine/health.js';
import type { MakerSnapshot } from '../engine/observations.js';
import { roundBps } from '../engine/price-label.js';
import type { QuoteStanding } from '../engine/quote-standing.js';
import type { HourProjection } from '../engine/uptime-accumulator.js';

export interface QuoteStatus {
  readonly price: string;
  readonly fromMidBps: number | null;
  readonly fromMarkBps: number | null;
  readonly isCredited: boolean;
}

export interface AccountStatus {
  readonly account: string;
  readonly symbol: string;
  readonly atMs: number;
  readonly state: Health['state'];
  readonly healthReasons: readonly string[];
  readonly lastBookAgeMs: number | null;
  /** Decimal prices for people, rounded to a tenth of a tick for the mid and the mark. */
  readonly mid: string | null;
  readonly mark: string | null;
  readonly bid: QuoteStatus | null;
  readonly ask: QuoteStatus | null;
  readonly hour: { readonly startMs: number; readonly creditedMin: number; readonly inBandMin: number; readonly remainingMin: number; readonly canReachFull: boolean };
  readonly position: string;
  readonly today: { readonly fills: number; readonly flattens: number; readonly feesPaid: string; readonly realizedPnl: string; readonly netPnl: string; readonly creditedHours: number };
  readonly lastError: string | null;
}

export interface StatusInputs {
  readonly account: string;
  readonly spec: SymbolSpec;
  readonly snapshot: MakerSnapshot;
  readonly health: Health;
  readonly standings: readonly QuoteStanding[];
  readonly hour: HourProjection;
  readonly today: DayReport;
  readonly lastError: string | null;
}

const minutes = (ms: number): number => Math.floor(ms / 60_000);

function priceText(price: MakerSnapshot['mid'], spec: SymbolSpec): string | null {
  return price ? tickPriceToNumber(price, spec.priceDecimals).toFixed(spec.priceDecimals + 1) : null;
}

/** The side's quote to show: a credited one first, then one in band, then any. */
function quoteOf(standings: readonly QuoteStanding[], side: 'buy' | 'sell', spec: SymbolSpec): QuoteStatus | null {
  const ranked = standings.filter((s) => s.side === side).sort((a, b) => Number(b.isCredited) - Number(a.isCredited) || Number(b.isInBand) - Number(a.isInBand));
  const best = ranked[0];
  if (!best) return null;
  const bps = (ratio: QuoteStanding['fromMidBps']): number | null => (ratio ? roundBps(bpsRatioToNumber(ratio)) : null);
  return { price: formatUnits(best.priceTicks, spec.priceDecimals), fromMidBps: bps(best.fromMidBps), fromMarkBps: bps(best.fromMarkBps), isCredited: best.isCredited };
}

export function accountStatus(inputs: StatusInputs): AccountStatus {
  const { snapshot, spec, health, hour, today } = inputs;
  return {
    account: inputs.account,
    symbol: spec.symbol,
    atMs: snapshot.atMs,
    state: health.state,
    healthReasons: health.reasons,
    lastBookAgeMs: health.lastBookAgeMs,
    mid: priceText(snapshot.mid, spec),
    mark: priceText(snapshot.mark, spec),
    bid: quoteOf(inputs.standings, 'buy', spec),
    ask: quoteOf(inputs.standings, 'sell', spec),
    hour: { startMs: hour.hourStartMs, creditedMin: minutes(hour.creditedMs), inBandMin: minutes(hour.inBandMs), remainingMin: minutes(hour.remainingMs), canReachFull: hour.canReachFull },
    position: formatUnits(snapshot.positionLots, spec.qtyDecimals),
    today: { fills: today.quoteFills, flattens: today.flattens, feesPaid: today.feesPaid, realizedPnl: today.realizedPnl, netPnl: today.netPnl, creditedHours: today.creditedHours },
    lastError: inputs.lastError,
  };
}

function quoteText(quote: QuoteStatus | null): string {
  if (!quote) return '-';
  const bps = (value: number | null): string => (value === null ? '?' : value.toFixed(1));
  return `${quote.price} (${bps(quote.fromMidBps)}/${bps(quote.fromMarkBps)} bps mid/mark${quote.isCredited ? '' : ', not credited'})`;
}

/** The minute log line: reads like a dashboard under `tail -f`. */
export function statusLine(status: AccountStatus): string {
  const hour = new Date(status.hour.startMs).toISOString().slice(11, 16);
  return [
    `${status.state}`,
    `mid ${status.mid ?? '-'} mark ${status.mark ?? '-'}`,
    `bid ${quoteText(status.bid)}`,
    `ask ${quoteText(status.ask)}`,
    `hour ${hour} credited ${status.hour.creditedMin}m in band ${status.hour.inBandMin}m${status.hour.canReachFull ? '' : ' (42m out of reach)'}`,
    `pos ${status.position}`,
    `fills today ${status.today.fills} net ${status.today.netPnl}`,
  ].join(' | ');
}

const COLUMNS = ['ACCOUNT', 'STATE', 'MID', 'BID (bps mid/mark)', 'ASK (bps mid/mark)', 'CRED/BAND MIN', 'POSITION', 'FILLS', 'NET PNL', 'LAST ERROR'] as const;

/** A row per account; an account without an answer shows only its name and why. */
export function statusTable(rows: ReadonlyArray<{ account: string; status: AccountStatus | null; problem: string | null }>): string {
  const cells = rows.map(({ account, status, problem }) => {
    if (!status) return [account, problem ?? 'not running', '', '', '', '', '', '', '', ''];
    const quote = (q: QuoteStatus | null): string => (q ? `${q.price} ${q.fromMidBps ?? '?'}/${q.fromMarkBps ?? '?'}${q.isCredited ? '' : '!'}` : '-');
    return [
      account,
      status.state,
      status.mid ?? '-',
      quote(status.bid),
      quote(status.ask),
      `${status.hour.creditedMin}/${status.hour.inBandMin}`,
      status.position,
      String(status.today.fills),
      status.today.netPnl,
      status.lastError ?? '',
    ];
  });
  const table = [[...COLUMNS], ...cells];
  const widths = COLUMNS.map((_, index) => Math.max(...table.map((row) => (row[index] ?? '').length)));
  return table.map((row) => row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd()).join('\n');
}
