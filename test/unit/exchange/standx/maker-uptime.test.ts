import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../src/errors.js';
import { StandXHttpClient } from '../../../../src/exchange/standx/http.js';
import { parseMakerUptime, type ExchangeUptimeHour } from '../../../../src/exchange/standx/maker-uptime.js';
import { createSigner } from '../../../../src/exchange/standx/signing.js';
import { hasValidSignature, InstantClock, json, makeJwt, startStub, type Stub } from './http-stub.js';

const H10 = Date.UTC(2026, 10, 3, 10);
const H11 = Date.UTC(2026, 10, 3, 11);

const hour = (over: Partial<ExchangeUptimeHour>): ExchangeUptimeHour => ({
  hourStartMs: H10,
  tier: null,
  eligibleHours: null,
  reachedFull: null,
  reachedHalf: null,
  creditedSeconds: null,
  ...over,
});

describe('parseMakerUptime', () => {
  it('reads the simulator’s answer', () => {
    const body = {
      hours: [
        { hour: '2026-11-03T11:00:00Z', tier: 'tier_b', eligible_hour: 0.5, x70: false, x50: true, credited_seconds: 1900 },
        { hour: '2026-11-03T10:00:00Z', tier: 'tier_a', eligible_hour: 1, x70: true, x50: true, credited_seconds: 3600 },
      ],
      total_eligible_hours: 1.5,
    };
    expect(parseMakerUptime(body)).toEqual({
      hours: [
        hour({ tier: 'tier_a', eligibleHours: 1, reachedFull: true, reachedHalf: true, creditedSeconds: 3600 }),
        hour({ hourStartMs: H11, tier: 'tier_b', eligibleHours: 0.5, reachedFull: false, reachedHalf: true, creditedSeconds: 1900 }),
      ],
      totalEligibleHours: 1.5,
    });
  });

  it.each<[string, unknown]>([
    ['a bare list', [{ hour: H10 }]],
    ['a list under data', { code: 0, data: [{ hour: H10 }] }],
    ['a list under data.hours', { data: { hours: [{ hour: H10 }] } }],
    ['a list under result', { result: [{ hour: H10 }] }],
  ])('finds the hours in %s', (_name, body) => {
    expect(parseMakerUptime(body).hours.map((h) => h.hourStartMs)).toEqual([H10]);
  });

  it.each<[string, unknown, number]>([
    ['epoch milliseconds', H10 + 5, H10],
    ['epoch seconds', H10 / 1000, H10],
    ['epoch seconds as a string', String(H10 / 1000), H10],
    ['an ISO time with an offset', '2026-11-03T12:30:00+02:00', H10],
    ['a time without a zone (UTC)', '2026-11-03 10:15:00', H10],
    ['an hour alone', '2026-11-03T10', H10],
  ])('reads an hour given as %s', (_name, value, expected) => {
    expect(parseMakerUptime({ hours: [{ hour: value }] }).hours[0]?.hourStartMs).toBe(expected);
  });

  it('reads flags and counts given as numbers or strings, and ignores unknown fields', () => {
    const [read] = parseMakerUptime({ hours: [{ hour: H10, x70: 1, x50: '0', eligible_hour: '1', new_field: { a: 1 } }] }).hours;
    expect(read).toEqual(hour({ reachedFull: true, reachedHalf: false, eligibleHours: 1 }));
  });

  it('keeps an hour whose optional fields are malformed, without them', () => {
    const [read] = parseMakerUptime({ hours: [{ hour: H10, tier: 7, x70: 'yes', credited_seconds: 'lots' }] }).hours;
    expect(read).toEqual(hour({}));
  });

  it('skips entries without a readable hour and keeps the others', () => {
    expect(parseMakerUptime({ hours: [{ hour: 'soon' }, { tier: 'tier_a' }, null, { hour: H11 }] }).hours.map((h) => h.hourStartMs)).toEqual([H11]);
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['an object without a list', { total_eligible_hours: 3 }],
    ['null', null],
  ])('refuses %s as a ProtocolError', (_name, body) => {
    expect(() => parseMakerUptime(body)).toThrow(ProtocolError);
  });
});

describe('StandXHttpClient.queryMakerUptime', () => {
  const signer = createSigner(Uint8Array.from({ length: 32 }, (_, i) => i), 'node');
  const token = makeJwt({ sub: 'bsc_0xabc' });
  let stub: Stub;
  beforeEach(async () => {
    stub = await startStub();
  });
  afterEach(async () => {
    await stub.close();
  });

  it('sends a Bearer GET signed over an empty body and parses the answer', async () => {
    stub.handle((_req, res) => json(res, 200, { hours: [{ hour: '2026-11-03T10:00:00Z', tier: 'tier_a', credited_seconds: 2600 }], total_eligible_hours: 1 }));
    const http = new StandXHttpClient({
      endpoints: { apiBase: stub.baseUrl, authBase: stub.baseUrl, geoBase: stub.baseUrl, wsStreamUrl: 'ws://unused', wsApiUrl: 'ws://unused' },
      auth: { token: () => token, signer },
      clock: new InstantClock(H11),
      readTimeoutMs: 60_000,
      readAttempts: 1,
    });
    const uptime = await http.queryMakerUptime();
    expect(uptime.hours).toEqual([hour({ tier: 'tier_a', creditedSeconds: 2600 })]);
    const [request] = stub.received;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/api/maker/uptime');
    expect(request?.headers.authorization).toBe(`Bearer ${token}`);
    expect(request && hasValidSignature(request, signer.publicKey)).toBe(true);
  });
});
