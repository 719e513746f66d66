import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { appliedSections, planReload } from '../../../src/config/reload.js';

const BASE = {
  WALLET_PRIVATE_KEY: `0x${'11'.repeat(32)}`,
  TELEGRAM_BOT_TOKEN: '123:abc',
  TELEGRAM_CHAT_ID: '42',
};
const load = (env: Record<string, string> = {}): ReturnType<typeof loadConfig> => loadConfig({ ...BASE, ...env }, { accountName: 'a1' });

describe('planReload', () => {
  it('sees no change in the same file', () => {
    const plan = planReload(load(), load());
    expect(appliedSections(plan)).toEqual([]);
    expect(plan.needsRestart).toEqual([]);
  });

  it.each([
    [{ MARKET_MAKER_MIN_BPS: '6' }, ['quoting'], []],
    [{ MARKET_MAKER_QTY: '0.01' }, ['quoting'], []],
    [{ REQUOTE_POLICY: 'side', MARK_BAND_BPS: '0' }, ['quoting'], []],
    [{ MID_METHOD: 'weighted' }, ['quoting'], []],
    [{ TELEGRAM_CHAT_ID: '43' }, ['alerts'], []],
    [{ ALERT_THROTTLE_SECONDS: '5' }, ['alerts'], []],
    [{ LOG_LEVEL: 'debug' }, ['log level'], []],
    [{ MARKET_MAKER_SYMBOL: 'ETH-USD' }, [], ['quoting.symbol']],
    [{ WALLET_PRIVATE_KEY: `0x${'22'.repeat(32)}` }, [], ['credentials']],
    [{ STANDX_API_BASE: 'http://127.0.0.1:1' }, [], ['endpoints']],
    [{ MARKET_STALE_MS: '5000' }, [], ['timing']],
    [{ LOG_MAX_FILES: '9' }, [], ['log.file']],
    [{ CL_ORD_ID_PREFIX: 'abc' }, [], ['clOrdIdPrefix']],
    [{ DAILY_LOSS_LIMIT: '10' }, [], ['guards']],
    [{ MARKET_MAKER_MAX_BPS: '12', LOG_LEVEL: 'warn', MARKET_MAKER_SYMBOL: 'ETH-USD' }, ['quoting', 'log level'], ['quoting.symbol']],
  ])('%j applies %j and needs a restart for %j', (change, applied, needsRestart) => {
    const plan = planReload(load(), load(change));
    expect(appliedSections(plan)).toEqual(applied);
    expect(plan.needsRestart).toEqual(needsRestart);
  });
});
