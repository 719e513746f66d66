// GET /api/maker/uptime: credited time per UTC hour from the simulator's own ledger (both sides
// within 10 bps of the published mark at the minimum size), across hour boundaries on an injected
// clock, the inferred tiers, the 25-hour window, and the signed-read authentication.

import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SYMBOLS, type MakerUptimeHours, type SimAccountCredentials, type Simulator } from '../../src/sim/index.js';
import { getJson, limitOrder, manualClock, postSigned, signedHeaders, startQuietSim, type HttpResult, type ManualClock } from './helpers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** 2026-01-05 10:20 UTC. */
const START_MS = Date.UTC(2026, 0, 5, 10, 20);

let sim: Simulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

interface Session {
  readonly sim: Simulator;
  readonly clock: ManualClock;
  readonly creds: SimAccountCredentials;
  send(path: '/api/new_order' | '/api/cancel_order', body: object): Promise<void>;
  uptime(query?: string): Promise<HttpResult>;
}

async function session(options: Parameters<typeof startQuietSim>[0] = {}): Promise<Session> {
  const clock = manualClock(START_MS);
  const started = await startQuietSim({ clock, ...options });
  sim = started;
  const creds = started.createAccount();
  return {
    sim: started,
    clock,
    creds,
    async send(path, body) {
      const reply = await postSigned(started, creds, path, body, { timestampMs: clock.now() });
      expect(reply.body).toMatchObject({ code: 0 });
    },
    async uptime(query = '') {
      const headers = { authorization: `Bearer ${creds.accessToken}`, ...signedHeaders(creds, '', { timestampMs: clock.now() }) };
      const response = await fetch(`${started.urls.apiBase}/api/maker/uptime${query}`, { headers });
      return { status: response.status, body: (await response.json()) as unknown };
    },
  };
}

const hour = (utcHour: number): string => new Date(Date.UTC(2026, 0, 5, utcHour)).toISOString();

describe('GET /api/maker/uptime', () => {
  it('credits two-sided time near the mark per UTC hour, split at hour boundaries, with tiers', async () => {
    const s = await session();
    await s.send('/api/new_order', limitOrder('buy', '99930.00', '0.0100', { cl_ord_id: 'b' }));
    await s.send('/api/new_order', limitOrder('sell', '100080.00', '0.0100', { cl_ord_id: 'a1' }));
    s.clock.advance(85 * MINUTE); // 10:20 → 11:45
    await s.send('/api/cancel_order', { cl_ord_id: 'a1' });
    s.clock.advance(55 * MINUTE); // → 12:40, one-sided
    await s.send('/api/new_order', limitOrder('sell', '100080.00', '0.0100', { cl_ord_id: 'a2' }));
    s.clock.advance(30 * MINUTE); // → 13:10
    s.sim.setPrice('BTC-USD', '99970.00'); // both still rest, but the ask is now 11 bps from the mark
    s.clock.advance(20 * MINUTE); // → 13:30
    const expected: MakerUptimeHours = {
      hours: [
        { hour: hour(10), tier: 'tier_b', eligible_hour: true, x70: false, x50: true, credited_seconds: 40 * 60 },
        { hour: hour(11), tier: 'tier_a', eligible_hour: true, x70: true, x50: true, credited_seconds: 45 * 60 },
        { hour: hour(12), tier: 'tier_c', eligible_hour: false, x70: false, x50: false, credited_seconds: 20 * 60 },
        { hour: hour(13), tier: 'tier_d', eligible_hour: false, x70: false, x50: false, credited_seconds: 10 * 60 },
      ],
      total_eligible_hours: 2,
    };
    expect(await s.uptime()).toEqual({ status: 200, body: expected });
    expect(s.sim.makerUptime(s.creds.address)).toEqual(expected);
    expect((await s.uptime('?symbol=BTC-USD')).body).toEqual(expected);
    expect((await s.uptime('?symbol=ETH-USD')).body).toEqual({ hours: [], total_eligible_hours: 0 });
  });

  it('keeps the last 24 hours plus the current one', async () => {
    const s = await session();
    await s.send('/api/new_order', limitOrder('buy', '99930.00', '0.0100', { cl_ord_id: 'b' }));
    await s.send('/api/new_order', limitOrder('sell', '100080.00', '0.0100', { cl_ord_id: 'a' }));
    s.clock.advance(30 * HOUR); // 10:20 on day one → 16:20 on day two
    const { hours } = s.sim.makerUptime(s.creds.address);
    expect(hours).toHaveLength(25);
    expect(hours[0]?.hour).toBe(new Date(Date.UTC(2026, 0, 5, 16)).toISOString());
    expect(hours.at(-1)).toMatchObject({ hour: new Date(Date.UTC(2026, 0, 6, 16)).toISOString(), credited_seconds: 20 * 60, tier: 'tier_c' });
    expect(hours.slice(0, -1).every((entry) => entry.credited_seconds === 3_600 && entry.tier === 'tier_a')).toBe(true);
  });

  it('credits nothing below the symbol’s uptime minimum size', async () => {
    const symbols = DEFAULT_SYMBOLS.map((symbol) => ({ ...symbol, uptimeMinQty: '0.0200' }));
    const s = await session({ symbols });
    await s.send('/api/new_order', limitOrder('buy', '99930.00', '0.0100'));
    await s.send('/api/new_order', limitOrder('sell', '100080.00', '0.0300'));
    s.clock.advance(50 * MINUTE);
    expect(s.sim.makerUptime(s.creds.address)).toEqual({ hours: [], total_eligible_hours: 0 });
  });

  it('shows each account only its own hours', async () => {
    const s = await session();
    await s.send('/api/new_order', limitOrder('buy', '99930.00'));
    await s.send('/api/new_order', limitOrder('sell', '100080.00'));
    s.clock.advance(45 * MINUTE);
    const other = s.sim.createAccount();
    expect(s.sim.makerUptime(other.address)).toEqual({ hours: [], total_eligible_hours: 0 });
    expect(s.sim.makerUptime(s.creds.address).hours).toHaveLength(2);
  });

  it('wants a token and the request signature over the empty body', async () => {
    const s = await session();
    const url = `${s.sim.urls.apiBase}/api/maker/uptime`;
    expect((await getJson(url)).status).toBe(401);
    expect(await getJson(url, s.creds.accessToken)).toMatchObject({ status: 403, body: { message: 'invalid signature: missing signature headers' } });
    const stale = { authorization: `Bearer ${s.creds.accessToken}`, ...signedHeaders(s.creds, '', { timestampMs: s.clock.now() - HOUR }) };
    expect((await fetch(url, { headers: stale })).status).toBe(403);
    expect((await s.uptime()).status).toBe(200);
    expect((await s.uptime('?symbol=DOGE-USD')).status).toBe(400);
  });
});
