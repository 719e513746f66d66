// The account's own uptime record, `GET /api/maker/uptime` (protocol §12). Its shape is known only from
// peers' code, so all the guessing lives here: the hour list may sit at the top, under `hours`, `data`
// or `result`; an hour may be an ISO string or epoch seconds or milliseconds; flags may be booleans or
// numbers. Unreadable entries are skipped rather than failing the whole answer.

import { z } from 'zod';
import { ProtocolError } from '../../errors.js';

export interface ExchangeUptimeHour {
  /** The hour's first millisecond (UTC). */
  readonly hourStartMs: number;
  /** `tier_a` … `tier_d` as given. */
  readonly tier: string | null;
  /** The hours this one is worth (1, 0.5, 0), as given by `eligible_hour`. */
  readonly eligibleHours: number | null;
  /** `x70`: reached 42 minutes; `x50`: reached 30 minutes. */
  readonly reachedFull: boolean | null;
  readonly reachedHalf: boolean | null;
  /** Seconds credited in the hour, when the answer says (the simulator does; StandX may not). */
  readonly creditedSeconds: number | null;
}

export interface ExchangeUptime {
  readonly hours: readonly ExchangeUptimeHour[];
  readonly totalEligibleHours: number | null;
}

const numberLike = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);
const flagLike = z.union([z.boolean(), numberLike.transform((value) => value > 0)]);
const hourLike = z.union([z.number(), z.string()]);

const hourWire = z.looseObject({
  hour: hourLike,
  tier: z.string().nullable().optional().catch(null),
  eligible_hour: z.union([numberLike, z.boolean().transform((value) => (value ? 1 : 0))]).nullable().optional().catch(null),
  x70: flagLike.nullable().optional().catch(null),
  x50: flagLike.nullable().optional().catch(null),
  credited_seconds: numberLike.nullable().optional().catch(null),
});

const LIST_KEYS = ['hours', 'data', 'result', 'records', 'list'] as const;

/** A 10-digit epoch is in seconds, a 13-digit one in milliseconds; strings are such numbers or ISO times. */
function hourStartOf(value: number | string): number | null {
  if (typeof value === 'string' && /^\d+$/.test(value)) return hourStartOf(Number(value));
  const ms = typeof value === 'number' ? (value < 1e11 ? value * 1000 : value) : parseUtc(value);
  return Number.isFinite(ms) ? Math.floor(ms / 3_600_000) * 3_600_000 : null;
}

/** "2026-11-03T10:00:00Z", "2026-11-03 10:00:00" and "2026-11-03T10" alike; no zone means UTC. */
function parseUtc(value: string): number {
  const iso = value.trim().replace(' ', 'T');
  const withMinutes = /T\d\d$/.test(iso) ? `${iso}:00` : iso;
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/.test(withMinutes) || !withMinutes.includes('T');
  return Date.parse(hasZone ? withMinutes : `${withMinutes}Z`);
}

function findList(body: unknown): unknown[] | null {
  if (Array.isArray(body)) return body;
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  for (const key of LIST_KEYS) {
    const found = findList(record[key]);
    if (found) return found;
  }
  return null;
}

function findTotal(body: unknown): number | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  const total = numberLike.safeParse(record['total_eligible_hours']);
  if (total.success) return total.data;
  return findTotal(record['data']);
}

function toHour(entry: unknown): ExchangeUptimeHour | null {
  const parsed = hourWire.safeParse(entry);
  if (!parsed.success) return null;
  const hourStartMs = hourStartOf(parsed.data.hour);
  if (hourStartMs === null) return null;
  return {
    hourStartMs,
    tier: parsed.data.tier ?? null,
    eligibleHours: parsed.data.eligible_hour ?? null,
    reachedFull: parsed.data.x70 ?? null,
    reachedHalf: parsed.data.x50 ?? null,
    creditedSeconds: parsed.data.credited_seconds ?? null,
  };
}

/** The answer as hours, oldest first. Throws ProtocolError only when no hour list can be found at all. */
export function parseMakerUptime(body: unknown): ExchangeUptime {
  const list = findList(body);
  if (list === null) throw new ProtocolError('maker uptime answer has no list of hours');
  const hours = list.map(toHour).filter((hour): hour is ExchangeUptimeHour => hour !== null);
  hours.sort((a, b) => a.hourStartMs - b.hourStartMs);
  return { hours, totalEligibleHours: findTotal(body) };
}
