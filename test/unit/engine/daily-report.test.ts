import { describe, expect, it } from 'vitest';
import { dayOf, formatDayReport, summariseDay } from '../../../src/engine/daily-report.js';
import { parseLedgerLine, type FillRecord, type HourRecord, type LedgerRecord } from '../../../src/engine/ledger-records.js';

const DAY = '2026-11-03';
const T = (hour: number, minute = 0): number => Date.UTC(2026, 10, 3, hour, minute);
const MIN = 60_000;

const hour = (h: number, creditedMin: number, day = 3): HourRecord => ({
  kind: 'hour',
  hourStartMs: Date.UTC(2026, 10, day, h),
  inBandMs: creditedMin * MIN,
  creditedMs: creditedMin * MIN,
  tier: creditedMin >= 42 ? 'full' : creditedMin >= 30 ? 'half' : 'none',
});

function fillRecord(over: Partial<FillRecord>): FillRecord {
  return {
    kind: 'fill',
    atMs: T(10, 5),
    clOrdId: 'smm-b-1',
    side: 'buy',
    purpose: 'quote',
    liquidity: 'maker',
    lots: '100',
    price: '99925.00',
    notional: '999.25',
    fee: '0.099925',
    realizedPnl: null,
    quoteAgeMs: 3_000,
    mid: '100000.00',
    mark: null,
    ...over,
  };
}

const quoteFill = fillRecord({});
const flattenFill = fillRecord({
  clOrdId: 'smm-f-1',
  side: 'sell',
  purpose: 'flatten',
  liquidity: 'taker',
  price: '99890.00',
  notional: '998.90',
  fee: '0.39956',
  realizedPnl: '-0.35',
  slippage: '1.10',
  slippageBps: '11.00',
});

describe('summariseDay', () => {
  const records: LedgerRecord[] = [
    hour(9, 60),
    hour(10, 42),
    hour(11, 41),
    hour(12, 30),
    hour(13, 10),
    hour(23, 60, 2),
    quoteFill,
    flattenFill,
    fillRecord({ atMs: Date.UTC(2026, 10, 4, 0, 1), fee: '5' }),
  ];

  it('counts tiers, fills, fees, slippage and P&L of that UTC day only', () => {
    expect(summariseDay(DAY, records)).toEqual({
      day: DAY,
      hours: { full: 2, half: 2, none: 1 },
      creditedHours: 3,
      creditedMinutes: 183,
      quoteFills: 1,
      flattens: 1,
      volume: '1998.15',
      feesPaid: '0.4995',
      realizedPnl: '-0.3500',
      netPnl: '-0.8495',
      flattenSlippage: '1.1000',
      flattenSlippageBps: '11.00',
      costPerCreditedHour: '0.2832',
    });
  });

  it('adds the hour still being counted unless the ledger already has it', () => {
    const open = { hourStartMs: T(14), inBandMs: 45 * MIN, creditedMs: 44 * MIN };
    expect(summariseDay(DAY, records, open).hours).toEqual({ full: 3, half: 2, none: 1 });
    expect(summariseDay(DAY, records, { ...hour(13, 50) }).hours).toEqual({ full: 2, half: 2, none: 1 });
  });

  it('has no cost per credited hour on a day without one', () => {
    const report = summariseDay(DAY, [hour(13, 10), quoteFill]);
    expect(report.costPerCreditedHour).toBeNull();
    expect(formatDayReport(report).at(-1)).toBe('cost per credited hour n/a (no credited hour)');
  });

  it('reads as a few lines', () => {
    expect(formatDayReport(summariseDay(DAY, records))).toEqual([
      'day 2026-11-03 (UTC)',
      'credited maker hours 3 of 5 observed (full 2, half 2, none 1; 183 credited min)',
      'fills 1 quotes, 1 flattens; volume 1998.15',
      'fees paid 0.4995; flatten slippage 1.1000 (11.00 bps)',
      'realized PnL -0.3500; net PnL -0.8495',
      'cost per credited hour 0.2832',
    ]);
  });

  it('dayOf is the UTC date', () => {
    expect(dayOf(Date.UTC(2026, 10, 3, 23, 59, 59, 999))).toBe(DAY);
  });
});

describe('parseLedgerLine', () => {
  it.each<[string, LedgerRecord]>([
    ['a quote fill', quoteFill],
    ['a flatten with slippage', flattenFill],
    ['an hour', hour(10, 42)],
  ])('reads back %s exactly as written', (_name, record) => {
    expect(parseLedgerLine(JSON.stringify(record))).toEqual(record);
  });

  it.each([
    ['a torn line', '{"kind":"fill","atMs":17'],
    ['another kind', '{"kind":"note","text":"x"}'],
    ['a fill with a float price', JSON.stringify({ ...quoteFill, price: 99925.5 })],
    ['not an object', '42'],
  ])('skips %s', (_name, line) => {
    expect(parseLedgerLine(line)).toBeNull();
  });
});
