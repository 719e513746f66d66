// One UTC day of an account in figures, from its ledger: credited maker hours by tier, fills, fees,
// flatten slippage, P&L and what each credited hour cost. Pure; the text form is shared by the
// `report` command, the midnight log line and the Telegram summary.

import { money, moneyFromDecimal, bpsOf, roundMoney, type Money } from '../domain/money.js';
import type { FillRecord, LedgerRecord } from './ledger-records.js';
import { tierOf, type HourUptime } from './uptime-accumulator.js';

export interface DayReport {
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
  readonly hours: { readonly full: number; readonly half: number; readonly none: number };
  /** Full hours plus half of the half-tier ones. */
  readonly creditedHours: number;
  readonly creditedMinutes: number;
  readonly quoteFills: number;
  readonly flattens: number;
  /** Decimal strings in the quote currency, exact. */
  readonly volume: string;
  readonly feesPaid: string;
  readonly realizedPnl: string;
  /** Realized P&L less fees. */
  readonly netPnl: string;
  /** What flattens cost against the mid at the quote fills they closed (positive = a cost). */
  readonly flattenSlippage: string;
  readonly flattenSlippageBps: string | null;
  /** −net P&L per credited hour; null with no credited hour. */
  readonly costPerCreditedHour: string | null;
}

export function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/**
 * Sums the day's records. `openHour` is the hour still being counted (for a report of today so far);
 * an hour already in the records is not counted twice.
 */
export function summariseDay(day: string, records: readonly LedgerRecord[], openHour?: HourUptime): DayReport {
  const hours = new Map<number, HourUptime>();
  const fills: FillRecord[] = [];
  for (const record of records) {
    if (record.kind === 'hour' && dayOf(record.hourStartMs) === day) hours.set(record.hourStartMs, record);
    if (record.kind === 'fill' && dayOf(record.atMs) === day) fills.push(record);
  }
  if (openHour && dayOf(openHour.hourStartMs) === day && !hours.has(openHour.hourStartMs)) hours.set(openHour.hourStartMs, openHour);
  const tiers = { full: 0, half: 0, none: 0 };
  let creditedMs = 0;
  for (const hour of hours.values()) {
    tiers[tierOf(hour.creditedMs)] += 1;
    creditedMs += hour.creditedMs;
  }
  const sums = sumFills(fills);
  const net = money(sums.realized - sums.fees);
  const halfHours = BigInt(tiers.full * 2 + tiers.half);
  return {
    day,
    hours: tiers,
    creditedHours: tiers.full + tiers.half / 2,
    creditedMinutes: Math.floor(creditedMs / 60_000),
    quoteFills: fills.filter((fill) => fill.purpose === 'quote').length,
    flattens: fills.filter((fill) => fill.purpose === 'flatten').length,
    volume: roundMoney(sums.volume, 2),
    feesPaid: roundMoney(sums.fees, 4),
    realizedPnl: roundMoney(sums.realized, 4),
    netPnl: roundMoney(net, 4),
    flattenSlippage: roundMoney(sums.slippage, 4),
    flattenSlippageBps: bpsOf(sums.slippage, sums.slippageReference),
    costPerCreditedHour: halfHours === 0n ? null : roundMoney(money((-net * 2n) / halfHours), 4),
  };
}

interface FillSums {
  volume: Money;
  fees: Money;
  realized: Money;
  slippage: Money;
  slippageReference: Money;
}

function sumFills(fills: readonly FillRecord[]): FillSums {
  const sums: FillSums = { volume: money(0n), fees: money(0n), realized: money(0n), slippage: money(0n), slippageReference: money(0n) };
  for (const fill of fills) {
    const notional = moneyFromDecimal(fill.notional);
    sums.volume = money(sums.volume + notional);
    sums.fees = money(sums.fees + moneyFromDecimal(fill.fee));
    if (fill.realizedPnl !== null) sums.realized = money(sums.realized + moneyFromDecimal(fill.realizedPnl));
    if (fill.slippage === undefined) continue;
    const slippage = moneyFromDecimal(fill.slippage);
    sums.slippage = money(sums.slippage + slippage);
    // The reference the slippage was measured against: a sale fell short of it, a purchase exceeded it.
    sums.slippageReference = money(sums.slippageReference + (fill.side === 'sell' ? notional + slippage : notional - slippage));
  }
  return sums;
}

/** The report as a few plain lines, for a terminal, a log line and Telegram. */
export function formatDayReport(report: DayReport): string[] {
  const observed = report.hours.full + report.hours.half + report.hours.none;
  return [
    `day ${report.day} (UTC)`,
    `credited maker hours ${report.creditedHours} of ${observed} observed (full ${report.hours.full}, half ${report.hours.half}, none ${report.hours.none}; ${report.creditedMinutes} credited min)`,
    `fills ${report.quoteFills} quotes, ${report.flattens} flattens; volume ${report.volume}`,
    `fees paid ${report.feesPaid}; flatten slippage ${report.flattenSlippage}${report.flattenSlippageBps === null ? '' : ` (${report.flattenSlippageBps} bps)`}`,
    `realized PnL ${report.realizedPnl}; net PnL ${report.netPnl}`,
    `cost per credited hour ${report.costPerCreditedHour ?? 'n/a (no credited hour)'}`,
  ];
}
