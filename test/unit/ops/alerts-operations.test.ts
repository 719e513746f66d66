import { describe, expect, it } from 'vitest';
import { formatAlert, isCriticalAlert, type Alert } from '../../../src/ops/alerts.js';

const context = { account: 'account1', symbol: 'BTC-USD', now: Date.parse('2026-11-24T10:00:00Z') };

describe('operations alerts (issue 11)', () => {
  it.each<[Alert, string[], boolean]>([
    [{ kind: 'halted', reason: 'dailyLoss', detail: 'loss 12.5 (limit 10)' }, ['account1 · BTC-USD · QUOTING HALTED (dailyLoss)', 'loss 12.5 (limit 10)', 'standx-mm resume'], true],
    [{ kind: 'resumed', after: 'paused' }, ['quoting resumed', 'after paused'], false],
    [{ kind: 'reload', applied: ['quoting'], needsRestart: ['endpoints'], problems: [] }, ['settings reloaded', 'applied: quoting', 'needs a restart: endpoints'], false],
    [{ kind: 'reload', applied: [], needsRestart: [], problems: ['MARKET_MAKER_MIN_BPS: must not exceed MARKET_MAKER_TARGET_BPS'] }, ['reload REFUSED, old settings kept', 'MARKET_MAKER_MIN_BPS: must not exceed'], false],
    [{ kind: 'cleanup', reason: 'unclean stop (result=signal)', cancelled: 2, remaining: 0, position: '0.0000' }, ['cleanup after an unclean stop', 'unclean stop (result=signal)', '2 orders cancelled · 0 left · position 0.0000'], true],
    [{ kind: 'cleanup', reason: 'x', cancelled: 0, remaining: null, position: null }, ['0 orders cancelled · UNKNOWN left · position UNKNOWN'], true],
    [{ kind: 'notStarted', reason: 'another standx-mm daemon already runs this account', exitCode: 73 }, ['NOT started (exit 73)', 'another standx-mm daemon'], true],
  ])('%j reads as expected', (alert, parts, isCritical) => {
    const text = formatAlert(alert, context);
    for (const part of parts) expect(text).toContain(part);
    expect(isCriticalAlert(alert)).toBe(isCritical);
  });
});
