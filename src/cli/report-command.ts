// `standx-mm report`: one UTC day of an account from its fill ledger (which survives restarts and log
// rotation), with the hour still being counted taken from the uptime state file when the day is today.

import type { Writable } from 'node:stream';
import { z } from 'zod';
import type { Config } from '../config/load.js';
import { dayOf, formatDayReport, summariseDay, type DayReport } from '../engine/daily-report.js';
import { parseLedgerLine, type LedgerRecord } from '../engine/ledger-records.js';
import type { HourUptime } from '../engine/uptime-accumulator.js';
import type { Clock } from '../ops/clock.js';
import { readJsonFile } from '../ops/json-file.js';
import { readJsonLines } from '../ops/jsonl-file.js';

export interface ReportCommandOptions {
  readonly config: Config;
  readonly day: string | null;
  readonly json: boolean;
  readonly out: Writable;
  readonly clock: Clock;
}

const openHourSchema = z.object({ hour: z.object({ hourStartMs: z.number(), inBandMs: z.number(), creditedMs: z.number() }) });

export async function buildReport(config: Config, day: string): Promise<DayReport> {
  const records: LedgerRecord[] = [];
  await readJsonLines(config.runtime.fillLedgerFile, (line) => {
    const record = parseLedgerLine(line);
    if (record) records.push(record);
  });
  const saved = openHourSchema.safeParse(await readJsonFile(config.runtime.uptimeStateFile));
  const openHour: HourUptime | undefined = saved.success ? saved.data.hour : undefined;
  return summariseDay(day, records, openHour);
}

export async function runReportCommand(options: ReportCommandOptions): Promise<number> {
  const day = options.day ?? dayOf(options.clock.now());
  const report = await buildReport(options.config, day);
  const header = `${options.config.accountName} · ${options.config.quoting.symbol}`;
  options.out.write(options.json ? `${JSON.stringify({ account: options.config.accountName, ...report }, null, 2)}\n` : `${[header, ...formatDayReport(report)].join('\n')}\n`);
  return 0;
}
