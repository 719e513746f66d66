import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { parseBps } from '../../../src/domain/bps.js';
import { makerTiming, quotingOf } from '../../../src/cli/maker-settings.js';

const WALLET = { WALLET_PRIVATE_KEY: '0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef' };
const load = (env: Record<string, string>) => loadConfig({ ...WALLET, ...env }, { accountName: 'account1' });

describe('maker settings from the configuration', () => {
  it('hands the band priority and the safety distance to the quoting band', () => {
    const band = quotingOf(load({ BAND_PRIORITY: 'mid', MARK_PRIORITY_MIN_BPS: '6' }), 5n).band;
    expect(band).toMatchObject({ priority: 'mid', markPriorityMinBps: parseBps('6'), markBandBps: parseBps('10') });
  });

  it('hands the minimum rest and the order budget to the timing', () => {
    const timing = makerTiming(load({ MIN_QUOTE_REST_MS: '750', ORDER_BUDGET_PER_SECOND: '8', ORDER_BUDGET_PER_MINUTE: '200' }));
    expect(timing).toMatchObject({ minQuoteRestMs: 750, orderBudget: { perSecond: 8, perMinute: 200 } });
  });

  it.each(['500', '3000', '10000'])('keeps the mark for several pushes whatever MARKET_STALE_MS is (%s)', (marketStaleMs) => {
    expect(makerTiming(load({ MARKET_STALE_MS: marketStaleMs })).markStaleMs).toBe(12_000);
  });
});
