// How far the local clock is from the exchange's. The time host (geo, milliseconds) first; when it
// cannot be reached, the API host's `/api/kline/time`, which answers whole seconds, so that reading is
// only good to about ±1 s and the tolerance widens by as much. When neither answers, start anyway:
// a skewed clock still shows as HTTP 403 "signature has expired" (ClockSkewError), which stops us.

import type { Clock } from '../ops/clock.js';
import type { Log } from '../ops/log.js';

export interface ServerTimeSource {
  /** The time host, epoch ms (protocol §1). */
  serverTimeMs(): Promise<number>;
  /** The API host, Unix seconds (protocol §1). */
  apiServerTimeS(): Promise<number>;
}

export interface ClockReading {
  /** Exchange clock minus local clock. */
  readonly offsetMs: number;
  readonly source: 'time host' | 'api host';
  /** How much the reading itself may be off, to add to the allowed skew. */
  readonly uncertaintyMs: number;
}

/** A whole-second answer can be up to a second behind the moment it was read. */
const SECONDS_UNCERTAINTY_MS = 1_000;

/** Null when neither host answered. */
export async function readClockOffset(http: ServerTimeSource, clock: Clock, log: Log): Promise<ClockReading | null> {
  try {
    return { offsetMs: await offsetFrom(clock, () => http.serverTimeMs()), source: 'time host', uncertaintyMs: 0 };
  } catch (error) {
    log.warn({ err: error }, 'time host unreachable: reading the API host\'s clock instead (good to about ±1 s)');
  }
  try {
    // The answer truncates to the second: the middle of that second is the best single guess.
    const offsetMs = await offsetFrom(clock, async () => (await http.apiServerTimeS()) * 1_000 + SECONDS_UNCERTAINTY_MS / 2);
    return { offsetMs, source: 'api host', uncertaintyMs: SECONDS_UNCERTAINTY_MS };
  } catch (error) {
    log.warn({ err: error }, 'clock offset not measured: a skewed clock will show as expired signatures');
    return null;
  }
}

/** Halves the round trip. */
async function offsetFrom(clock: Clock, read: () => Promise<number>): Promise<number> {
  const sentAt = clock.now();
  const serverMs = await read();
  const receivedAt = clock.now();
  return Math.round(serverMs - (sentAt + receivedAt) / 2);
}

/** The allowed skew plus the reading's own uncertainty; null when the offset is within it. */
export function skewProblem(reading: ClockReading, maxSkewMs: number): string | null {
  const limitMs = maxSkewMs + reading.uncertaintyMs;
  if (Math.abs(reading.offsetMs) <= limitMs) return null;
  return `local clock is ${reading.offsetMs} ms off the exchange (${reading.source}; limit ${limitMs} ms): enable NTP (timedatectl set-ntp true)`;
}
