// The one place the soak reads the simulator's uptime meter. Another helper is extending the meter's
// report (credited and rested figures); when it lands, only this mapping changes.

import type { UptimeReport } from '../sim/index.js';

export interface UptimeFigures {
  readonly elapsedS: number;
  /** Both sides resting within the configured [min, max] bps of the book mid. */
  readonly twoSidedPct: number;
  /** Both sides resting within the mark band (10 bps) of the mark: what the uptime program credits. */
  readonly creditedPct: number;
}

export function uptimeFigures(report: UptimeReport): UptimeFigures {
  const share = (ms: number): number => (report.elapsedMs > 0 ? (100 * ms) / report.elapsedMs : 0);
  return { elapsedS: report.elapsedMs / 1_000, twoSidedPct: share(report.twoSidedInBandMs), creditedPct: share(report.twoSidedMarkMs) };
}
