// The fill ledger of a running daemon: every fill the loop reports is priced, charged its fee and booked
// (engine/fill-accounting.ts), then appended to config.runtime.fillLedgerFile with every completed
// uptime hour. Keeps today's records for the status, and sends the daily report when 23:00 UTC closes.

import { formatDayReport, dayOf, summariseDay, type DayReport } from '../engine/daily-report.js';
import { FillAccounting, STANDX_FEE_RATES, type FeeRates } from '../engine/fill-accounting.js';
import { parseLedgerLine, type FillRecord, type LedgerRecord } from '../engine/ledger-records.js';
import type { FillObservation, MakerSnapshot } from '../engine/observations.js';
import { tierOf, type HourUptime } from '../engine/uptime-accumulator.js';
import { money, moneyFromDecimal, moneyFromTickPrice, moneyFromTicks, notionalOf, type Money } from '../domain/money.js';
import { pow10 } from '../domain/decimal.js';
import type { SymbolSpec } from '../domain/types.js';
import type { Clock } from '../ops/clock.js';
import { JsonLinesWriter, readJsonLines } from '../ops/jsonl-file.js';
import type { Log } from '../ops/log.js';
import type { Notifier } from '../ops/notifier.js';

export interface FillLedgerOptions {
  readonly file: string;
  readonly spec: SymbolSpec;
  readonly clock: Clock;
  readonly log: Log;
  readonly notifier: Notifier;
}

/** Enough of the file's end to hold two busy days (50 fills an hour at ~400 bytes a line). */
const TAIL_BYTES = 2 * 24 * 50 * 400 * 2;

export function feeRatesOf(spec: SymbolSpec): FeeRates {
  return { maker: spec.makerFeeRate ?? STANDX_FEE_RATES.maker, taker: spec.takerFeeRate ?? STANDX_FEE_RATES.taker };
}

export class FillLedger {
  readonly #o: FillLedgerOptions;
  readonly #writer: JsonLinesWriter;
  readonly #books: FillAccounting;
  /** Per order: lots and money already booked, to price the next part of its fill from the average. */
  readonly #booked = new Map<string, { lots: bigint; money: Money }>();
  #records: LedgerRecord[];

  private constructor(options: FillLedgerOptions, records: LedgerRecord[]) {
    this.#o = options;
    this.#records = records;
    this.#writer = new JsonLinesWriter(options.file, options.log);
    this.#books = new FillAccounting(options.spec, feeRatesOf(options.spec));
  }

  /** Reads back what the ledger already holds for yesterday and today (they survive a restart). */
  static async open(options: FillLedgerOptions): Promise<FillLedger> {
    const records: LedgerRecord[] = [];
    await readJsonLines(options.file, (line) => {
      const record = parseLedgerLine(line);
      if (record) records.push(record);
    }, TAIL_BYTES);
    const ledger = new FillLedger(options, records);
    ledger.#prune();
    options.log.info({ file: options.file, feeRates: feeRatesOf(options.spec), recordsToday: ledger.#records.length }, 'fill ledger open');
    return ledger;
  }

  /** Books a fill the loop reported, at the prices of `snapshot` (read when the fill arrived). */
  recordFill(fill: FillObservation, snapshot: Pick<MakerSnapshot, 'mid' | 'mark' | 'bestBidTicks' | 'bestAskTicks'>): FillRecord {
    const record = this.#books.record({
      atMs: fill.atMs,
      clOrdId: fill.clOrdId,
      side: fill.side,
      purpose: fill.purpose,
      lots: fill.filledLots,
      price: this.#priceOf(fill, snapshot),
      mid: snapshot.mid,
      mark: snapshot.mark,
      quoteAgeMs: fill.orderAgeMs,
    });
    this.#append(record);
    return record;
  }

  recordHour(hour: HourUptime): void {
    this.#append({ kind: 'hour', ...hour, tier: tierOf(hour.creditedMs) });
    if (dayOf(hour.hourStartMs + 3_600_000) !== dayOf(hour.hourStartMs)) this.#sendDailyReport(dayOf(hour.hourStartMs));
  }

  today(openHour?: HourUptime): DayReport {
    return summariseDay(dayOf(this.#o.clock.now()), this.#records, openHour);
  }

  flush(): Promise<void> {
    return this.#writer.flush();
  }

  /**
   * A quote rests and fills at its own limit price. A flatten fills at the market: the part filled now
   * is the order's average over everything filled, less what earlier parts were booked at.
   */
  #priceOf(fill: FillObservation, snapshot: Pick<MakerSnapshot, 'mid' | 'bestBidTicks' | 'bestAskTicks'>): Money {
    const { priceDecimals, qtyDecimals } = this.#o.spec;
    if (fill.purpose === 'quote' && fill.priceTicks !== null) return moneyFromTicks(fill.priceTicks, priceDecimals);
    if (fill.avgFillPrice !== null) {
      const booked = this.#booked.get(fill.clOrdId) ?? { lots: 0n, money: money(0n) };
      const total = notionalOf(moneyFromDecimal(fill.avgFillPrice), fill.totalFilledLots, qtyDecimals);
      this.#booked.set(fill.clOrdId, { lots: fill.totalFilledLots, money: total });
      return money(((total - booked.money) * pow10(qtyDecimals)) / fill.filledLots);
    }
    // No average from the exchange: the best price the market order would have met.
    const touch = fill.side === 'sell' ? snapshot.bestBidTicks : snapshot.bestAskTicks;
    this.#o.log.warn({ clOrdId: fill.clOrdId }, 'fill without an average price: booked at the touch');
    if (touch !== null) return moneyFromTicks(touch, priceDecimals);
    return snapshot.mid ? moneyFromTickPrice(snapshot.mid, priceDecimals) : money(0n);
  }

  #append(record: LedgerRecord): void {
    this.#writer.append(record);
    this.#records.push(record);
    this.#prune();
  }

  /** Keeps yesterday and today. */
  #prune(): void {
    const yesterday = dayOf(this.#o.clock.now() - 86_400_000);
    this.#records = this.#records.filter((record) => dayOf(record.kind === 'hour' ? record.hourStartMs : record.atMs) >= yesterday);
  }

  #sendDailyReport(day: string): void {
    const report = summariseDay(day, this.#records);
    const lines = formatDayReport(report);
    this.#o.log.info({ report, text: lines.join(' | ') }, 'daily report');
    this.#o.notifier.notify({ kind: 'dailyReport', day, lines: lines.slice(1) });
  }
}
