// The daemon's uptime count: feeds the pure accumulator from the loop's evaluations and a one-second
// tick, keeps the current hour across restarts (config.runtime.uptimeStateFile), logs every completed
// hour, alerts once when an hour can no longer reach 42 credited minutes, and compares completed hours
// with the exchange's own record (GET /api/maker/uptime).

import { z } from 'zod';
import type { ObservableLoop } from '../engine/observations.js';
import { quoteStandings, uptimeSample, type CreditRules } from '../engine/quote-standing.js';
import { compareHour } from '../engine/uptime-comparison.js';
import { accrue, observe, projectHour, resumeUptime, tierOf, type HourProjection, type HourUptime, type UptimeState } from '../engine/uptime-accumulator.js';
import type { ExchangeUptime } from '../exchange/standx/maker-uptime.js';
import type { Clock } from '../ops/clock.js';
import { readJsonFile, writeJsonAtomic } from '../ops/json-file.js';
import type { Log } from '../ops/log.js';
import type { Notifier } from '../ops/notifier.js';

export interface UptimeTiming {
  /** How often the count moves on without an evaluation (and the at-risk check runs). */
  readonly tickMs: number;
  readonly saveEveryMs: number;
  /** After an hour closes, how long to leave the exchange before reading its record of it. */
  readonly exchangeCheckDelayMs: number;
}

export const DEFAULT_UPTIME_TIMING: UptimeTiming = { tickMs: 1_000, saveEveryMs: 10_000, exchangeCheckDelayMs: 120_000 };

export interface UptimeTrackerOptions {
  readonly loop: ObservableLoop;
  readonly rules: CreditRules;
  readonly clock: Clock;
  readonly log: Log;
  readonly notifier: Notifier;
  readonly stateFile: string;
  readonly timing: UptimeTiming;
  readonly onHourCompleted: (hour: HourUptime) => void;
  /** Null where there is no exchange record to read. */
  readonly readExchangeUptime: (() => Promise<ExchangeUptime>) | null;
}

const RECENT_HOURS = 24;
const hourSchema = z.object({ hourStartMs: z.number(), inBandMs: z.number().min(0), creditedMs: z.number().min(0) });
const stateSchema = z.object({ hour: hourSchema, countedToMs: z.number(), recentHours: z.array(hourSchema).catch([]) });

export const minutes = (ms: number): number => Math.floor(ms / 60_000);
const isoHour = (ms: number): string => new Date(ms).toISOString().slice(0, 13) + ':00Z';

export class UptimeTracker {
  readonly #o: UptimeTrackerOptions;
  readonly #recent: HourUptime[];
  readonly #compared = new Set<number>();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #onEvaluated = (): void => this.#sample();
  #state: UptimeState;
  #alertedHourMs: number;
  #lastSaveMs: number;
  #isStopped = false;
  #saving: Promise<void> = Promise.resolve();

  private constructor(options: UptimeTrackerOptions, state: UptimeState, recent: HourUptime[]) {
    this.#o = options;
    this.#state = state;
    this.#recent = recent;
    this.#lastSaveMs = options.clock.now();
    // An hour already out of reach when the daemon started is no news: the start alert said enough.
    this.#alertedHourMs = projectHour(state, options.clock.now()).canReachFull ? -1 : state.hour.hourStartMs;
  }

  /** Resumes the saved count (downtime counts as not credited) and starts counting. */
  static async start(options: UptimeTrackerOptions): Promise<UptimeTracker> {
    const saved = stateSchema.safeParse(await readJsonFile(options.stateFile));
    const nowMs = options.clock.now();
    const resumed = resumeUptime(saved.success ? saved.data : null, nowMs);
    const tracker = new UptimeTracker(options, resumed.state, saved.success ? saved.data.recentHours : []);
    if (saved.success) options.log.info({ hour: isoHour(saved.data.hour.hourStartMs), creditedMin: minutes(saved.data.hour.creditedMs) }, 'uptime count resumed');
    tracker.#complete(resumed.completed);
    options.loop.on('evaluated', tracker.#onEvaluated);
    tracker.#timers.push(setInterval(() => tracker.#tick(), options.timing.tickMs).unref());
    return tracker;
  }

  projection(): HourProjection {
    return projectHour(this.#state, this.#o.clock.now());
  }

  /** Completed hours, oldest first, at most the last 24. */
  recentHours(): readonly HourUptime[] {
    return this.#recent;
  }

  /** Counts up to now, saves, logs the summary and stops; returns the summary for the stop alert. */
  async stop(): Promise<string> {
    if (!this.#isStopped) {
      this.#isStopped = true;
      this.#o.loop.off('evaluated', this.#onEvaluated);
      for (const timer of this.#timers.splice(0)) clearTimeout(timer);
      this.#advance(accrue(this.#state, this.#o.clock.now()));
      await this.#save();
    }
    const hour = this.projection();
    const summary = `hour ${isoHour(hour.hourStartMs).slice(11, 16)} UTC: ${minutes(hour.creditedMs)} min credited, ${minutes(hour.inBandMs)} min in band`;
    this.#o.log.info({ hour: isoHour(hour.hourStartMs), creditedMin: minutes(hour.creditedMs), inBandMin: minutes(hour.inBandMs), completedHours: this.#recent.length }, 'uptime at stop');
    return summary;
  }

  #sample(): void {
    if (this.#isStopped) return;
    const snapshot = this.#o.loop.snapshot();
    this.#advance(observe(this.#state, snapshot.atMs, uptimeSample(quoteStandings(snapshot, this.#o.rules))));
  }

  #tick(): void {
    this.#sample();
    const nowMs = this.#o.clock.now();
    this.#checkAtRisk(projectHour(this.#state, nowMs));
    if (nowMs - this.#lastSaveMs >= this.#o.timing.saveEveryMs) void this.#save();
  }

  #advance(accrual: { state: UptimeState; completed: readonly HourUptime[] }): void {
    this.#state = accrual.state;
    this.#complete(accrual.completed);
  }

  #complete(hours: readonly HourUptime[]): void {
    if (hours.length === 0) return;
    for (const hour of hours) {
      this.#o.log.info({ hour: isoHour(hour.hourStartMs), creditedMin: minutes(hour.creditedMs), inBandMin: minutes(hour.inBandMs), tier: tierOf(hour.creditedMs) }, 'uptime hour completed');
      this.#recent.push(hour);
      this.#o.onHourCompleted(hour);
    }
    this.#recent.splice(0, Math.max(0, this.#recent.length - RECENT_HOURS));
    void this.#save();
    if (this.#o.readExchangeUptime && !this.#isStopped) {
      this.#timers.push(setTimeout(() => void this.#compareWithExchange(), this.#o.timing.exchangeCheckDelayMs).unref());
    }
  }

  #checkAtRisk(hour: HourProjection): void {
    if (hour.canReachFull || this.#alertedHourMs === hour.hourStartMs) return;
    this.#alertedHourMs = hour.hourStartMs;
    this.#o.log.warn({ hour: isoHour(hour.hourStartMs), creditedMin: minutes(hour.creditedMs), remainingMin: minutes(hour.remainingMs) }, 'uptime hour can no longer reach 42 credited minutes');
    this.#o.notifier.notify({ kind: 'uptimeAtRisk', hourStartMs: hour.hourStartMs, creditedMs: hour.creditedMs, remainingMs: hour.remainingMs });
  }

  async #compareWithExchange(): Promise<void> {
    const read = this.#o.readExchangeUptime;
    if (!read || this.#isStopped) return;
    let record: ExchangeUptime;
    try {
      record = await read();
    } catch (error) {
      this.#o.log.warn({ err: error }, 'cannot read the exchange uptime record');
      return;
    }
    for (const hour of this.#recent) {
      const recorded = record.hours.find((candidate) => candidate.hourStartMs === hour.hourStartMs);
      if (!recorded || this.#compared.has(hour.hourStartMs)) continue;
      this.#compared.add(hour.hourStartMs);
      const comparison = compareHour(hour.creditedMs, recorded);
      const fields = { hour: isoHour(hour.hourStartMs), creditedMin: minutes(hour.creditedMs), inBandMin: minutes(hour.inBandMs), exchange: comparison.exchange };
      if (!comparison.isMismatch) {
        this.#o.log.info(fields, 'uptime hour beside the exchange record');
        continue;
      }
      this.#o.log.warn(fields, 'uptime hour differs from the exchange record by more than 5 minutes');
      this.#o.notifier.notify({ kind: 'uptimeMismatch', hourStartMs: hour.hourStartMs, daemonCreditedMs: hour.creditedMs, exchange: comparison.exchange });
    }
    this.#o.log.info({ totalEligibleHours: record.totalEligibleHours, hoursListed: record.hours.length }, 'exchange uptime record read');
  }

  /** Saves one after another, so that an older count never lands over a newer one. */
  #save(): Promise<void> {
    this.#lastSaveMs = this.#o.clock.now();
    const { hour, countedToMs } = this.#state;
    const content = { version: 1, hour, countedToMs, recentHours: [...this.#recent] };
    this.#saving = this.#saving.then(() =>
      writeJsonAtomic(this.#o.stateFile, content).catch((error: unknown) => this.#o.log.warn({ err: error, file: this.#o.stateFile }, 'cannot save the uptime count')),
    );
    return this.#saving;
  }
}
