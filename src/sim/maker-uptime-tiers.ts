// The uptime programme's hourly tiers and the GET /api/maker/uptime body built from credited time.
// INFERRED, not documented upstream: peers' code reads `hours[].hour/tier/eligible_hour` and lists
// only hours with presence; community write-ups give ≥ 42 min → 1.0× (X70) and ≥ 30 min → 0.5× (X50).
// tier_c / tier_d thresholds and the boolean x70 / x50 are our guesses; total_eligible_hours counts hours.

import type { MakerUptimeHour, MakerUptimeHours } from './types.js';

const MINUTE_MS = 60_000;

/** Highest first: an hour takes the first tier whose minimum it reaches. */
export const UPTIME_TIERS: readonly { readonly tier: MakerUptimeHour['tier']; readonly minMinutes: number }[] = [
  { tier: 'tier_a', minMinutes: 42 },
  { tier: 'tier_b', minMinutes: 30 },
  { tier: 'tier_c', minMinutes: 15 },
  { tier: 'tier_d', minMinutes: 0 },
];
export const X70_MINUTES = 42;
export const X50_MINUTES = 30;

export function hourView(hourStartMs: number, creditedMs: number): MakerUptimeHour {
  const minutes = creditedMs / MINUTE_MS;
  const tier = UPTIME_TIERS.find((candidate) => minutes >= candidate.minMinutes)?.tier ?? 'tier_d';
  return {
    hour: new Date(hourStartMs).toISOString(),
    tier,
    eligible_hour: minutes >= X50_MINUTES,
    x70: minutes >= X70_MINUTES,
    x50: minutes >= X50_MINUTES,
    credited_seconds: Math.floor(creditedMs / 1_000),
  };
}

/** Oldest first (peers read the last entry as the current hour); hours without credit are left out. */
export function uptimeBody(creditByHour: ReadonlyMap<number, number>): MakerUptimeHours {
  const hours = [...creditByHour.entries()]
    .filter(([, creditedMs]) => creditedMs >= 1_000)
    .sort(([a], [b]) => a - b)
    .map(([hourStartMs, creditedMs]) => hourView(hourStartMs, creditedMs));
  return { hours, total_eligible_hours: hours.filter((hour) => hour.eligible_hour).length };
}
