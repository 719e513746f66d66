// The daemon's observability against the simulator: the metrics a scrape shows, /healthz turning 503
// when the feed freezes, `status` over two daemons and one that is not running, and the fill ledger
// and daily report after a fill and its flatten.

import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runReportCommand } from '../../src/cli/report-command.js';
import { runStatusCommand, type AccountRow } from '../../src/cli/status-command.js';
import { simAccountEnv } from '../../src/cli/sim-env.js';
import { parseLedgerLine, type FillRecord } from '../../src/engine/ledger-records.js';
import { systemClock } from '../../src/ops/clock.js';
import { SYMBOL, startHarness, type Harness, type HarnessOptions } from './daemon-harness.js';
import { FAST_OBSERVABILITY } from './observability-timing.js';


const harnesses: Harness[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(options: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({ observabilityTiming: FAST_OBSERVABILITY, ...options, env: { METRICS_PORT: '0', LOG_LEVEL: 'info', ...options.env } });
  harnesses.push(h);
  return h;
}

function url(h: Harness, path: string): string {
  const port = h.daemon.observability.metricsPort();
  if (port === null) throw new Error('no metrics port');
  return `http://127.0.0.1:${port}${path}`;
}

/** `name{labels} value` lines of a scrape, by series. */
function series(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1]) found.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  return found;
}

const labels = (extra = ''): string => `{${extra ? `${extra},` : ''}account="faults",symbol="${SYMBOL}"}`;

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

describe('metrics and health', () => {
  it('serves the metrics of a quoting daemon on loopback', async () => {
    const h = await start();
    await h.waitForTwoSided();
    await h.waitForLog((line) => line.msg.startsWith('status '));
    const response = await fetch(url(h, '/metrics'));
    expect(response.headers.get('content-type')).toContain('text/plain');
    const scraped = series(await response.text());
    expect(scraped.get(`standx_mm_mid_price${labels()}`)).toBeGreaterThan(90_000);
    expect(scraped.get(`standx_mm_mark_price${labels()}`)).toBeGreaterThan(90_000);
    const bidFromMid = scraped.get(`standx_mm_quote_distance_bps${labels('side="buy",reference="mid"')}`) ?? NaN;
    expect(bidFromMid).toBeGreaterThanOrEqual(7);
    expect(bidFromMid).toBeLessThanOrEqual(10);
    expect(scraped.has(`standx_mm_quote_distance_bps${labels('side="sell",reference="mark"')}`)).toBe(true);
    expect(scraped.get(`standx_mm_uptime_hour_seconds${labels('kind="in_band"')}`)).toBeGreaterThan(0);
    expect(scraped.has(`standx_mm_uptime_hour_seconds${labels('kind="credited"')}`)).toBe(true);
    expect(scraped.get(`standx_mm_order_messages_total${labels('action="place"')}`)).toBeGreaterThanOrEqual(2);
    expect(scraped.get(`standx_mm_quoting${labels()}`)).toBe(1);
    expect(scraped.get(`standx_mm_healthy${labels()}`)).toBe(1);
    expect(scraped.get(`standx_mm_position${labels()}`)).toBe(0);
    expect(scraped.get(`standx_mm_tick_to_order_seconds_count${labels()}`)).toBeGreaterThan(0);
    expect([...scraped.keys()].some((key) => key.startsWith('standx_mm_order_round_trip_seconds_bucket{'))).toBe(true);
    expect(scraped.get(`standx_mm_connection_events_total${labels('connection="ws-stream",event="ready"')}`)).toBe(1);
    expect(scraped.has(`standx_mm_nodejs_eventloop_lag_p99_seconds${labels()}`)).toBe(true);
    expect(scraped.get(`standx_mm_token_expiry_timestamp_seconds${labels()}`)).toBeGreaterThan(Date.now() / 1000);
    expect(scraped.get(`standx_mm_process_resident_memory_bytes${labels()}`)).toBeGreaterThan(0);
    expect(await fetch(url(h, '/metrics'), { method: 'POST' }).then((r) => r.status)).toBe(405);
  });

  it('answers /healthz 200 while quoting and 503 with the reason once the feed freezes', async () => {
    const h = await start();
    await h.waitForTwoSided();
    const healthy = await fetch(url(h, '/healthz'));
    expect(healthy.status).toBe(200);
    expect(await healthy.text()).toMatch(/^ok\nlast depth frame \d+ ms ago\n$/);
    const since = h.mark();
    h.sim.faults.freezeDepth(true);
    await h.waitForLog('market data stale: cancelling quotes', { since });
    const stale = await fetch(url(h, '/healthz'));
    expect(stale.status).toBe(503);
    expect(await stale.text()).toMatch(/^unhealthy: feed stale: last depth frame \d+ ms ago\nlast depth frame \d+ ms ago\n$/);
    h.sim.faults.freezeDepth(false);
    await h.waitForTwoSided();
    expect((await fetch(url(h, '/healthz'))).status).toBe(200);
  });
});

describe('standx-mm status', () => {
  function envFile(dir: string, name: string, h: Harness): void {
    const vars = { ...simAccountEnv(h.sim.urls, h.account), MARKET_MAKER_SYMBOL: SYMBOL, LOG_DIR: h.logDir, ACCOUNT_NAME: h.config.accountName };
    writeFileSync(join(dir, name), Object.entries(vars).map(([k, v]) => `${k}=${v}`).join('\n'), { mode: 0o600 });
  }

  it('shows one line per account, not running for a silent one, and exits 0 only when all quote', async () => {
    const [one, two] = [await start({ accountName: 'account1', seed: 1 }), await start({ accountName: 'account2', seed: 2 })];
    await Promise.all([one.waitForTwoSided(), two.waitForTwoSided()]);
    const dir = mkdtempSync(join(tmpdir(), 'smm-status-'));
    dirs.push(dir);
    envFile(dir, '.env.account1', one);
    envFile(dir, '.env.account2', two);
    const quoting = new Capture();
    expect(await runStatusCommand({ dir, config: null, json: false, processEnv: {}, out: quoting })).toBe(0);
    const lines = quoting.text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+STATE\s+MID\s+BID/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 2))).toEqual([['account1', 'quoting'], ['account2', 'quoting']]);

    writeFileSync(join(dir, '.env.account3'), readFileSync(join(dir, '.env.account2'), 'utf8').replace('ACCOUNT_NAME=account2', 'ACCOUNT_NAME=account3'), { mode: 0o600 });
    writeFileSync(join(dir, '.env.account3.example'), 'not an account');
    const json = new Capture();
    expect(await runStatusCommand({ dir, config: null, json: true, processEnv: {}, out: json })).toBe(1);
    const rows = JSON.parse(json.text) as AccountRow[];
    expect(rows.map((row) => [row.account, row.status?.state ?? row.problem])).toEqual([['account1', 'quoting'], ['account2', 'quoting'], ['account3', 'not running']]);
    const status = rows[0]?.status;
    expect(status?.bid?.fromMidBps).toBeGreaterThanOrEqual(7);
    expect(status?.ask?.fromMidBps).toBeLessThanOrEqual(10);
    expect(status).toMatchObject({ symbol: SYMBOL, position: '0.0000', today: { fills: 0 } });
  });
});

describe('fill ledger and daily report', () => {
  it('books a quote fill and its flatten with fees, P&L and slippage, and reports the day', async () => {
    const h = await start();
    const { bid } = await h.waitForTwoSided();
    const since = h.mark();
    h.sim.setPrice(SYMBOL, (Number(bid.price) * 0.998).toFixed(2));
    await h.waitForLog('position flattened', { since });
    expect(await h.stop()).toBe(0);
    const records = readFileSync(h.config.runtime.fillLedgerFile, 'utf8').trim().split('\n').map(parseLedgerLine);
    const fills = records.filter((record): record is FillRecord => record?.kind === 'fill');
    const quote = fills.find((fill) => fill.purpose === 'quote');
    const flatten = fills.find((fill) => fill.purpose === 'flatten');
    expect(quote).toMatchObject({ side: 'buy', liquidity: 'maker', price: Number(bid.price).toFixed(2), lots: '100', realizedPnl: null });
    expect(Number(quote?.fee)).toBeCloseTo(Number(quote?.notional) * 0.0001, 12);
    expect(flatten).toMatchObject({ side: 'sell', liquidity: 'taker' });
    expect(Number(flatten?.fee)).toBeCloseTo(Number(flatten?.notional) * 0.0004, 12);
    expect(Number(flatten?.realizedPnl)).toBeCloseTo(Number(flatten?.notional) - Number(quote?.notional), 9);
    expect(Number(flatten?.slippage)).toBeGreaterThan(0);
    const out = new Capture();
    await runReportCommand({ config: h.config, day: null, json: false, out, clock: systemClock });
    expect(out.text).toContain('fills 1 quotes, 1 flattens');
    expect(out.text).toMatch(/fees paid 0\.\d{4}; flatten slippage \d+\.\d{4} \(\d+\.\d{2} bps\)/);
    expect(out.text).toMatch(/net PnL -\d+\.\d{4}/);
  });
});
