// What each position looked like at recent monotonic instants, recorded on every position change,
// so that REST position reads can trail the stream (fault restLagMs) as open-order reads do.

import type { PositionRecord } from './accounts.js';

interface PositionSnapshot {
  readonly atMonoMs: number;
  readonly qtyLots: bigint;
  readonly entryMoney: bigint;
  readonly realizedMoney: bigint;
  readonly updatedAtMs: number;
}

interface Track {
  readonly snapshots: PositionSnapshot[];
  /** Older snapshots were dropped: before the oldest kept, the state is no longer known. */
  isTruncated: boolean;
}

/** Per position; at one fill a second this covers far more than any lag a test or the soak sets. */
const SNAPSHOT_LIMIT = 512;

function keyOf(address: string, symbol: string): string {
  return `${address.toLowerCase()}|${symbol}`;
}

export class PositionHistory {
  readonly #tracks = new Map<string, Track>();

  record(address: string, position: PositionRecord, atMonoMs: number): void {
    const key = keyOf(address, position.symbol);
    let track = this.#tracks.get(key);
    if (!track) {
      track = { snapshots: [], isTruncated: false };
      this.#tracks.set(key, track);
    }
    const { qtyLots, entryMoney, realizedMoney, updatedAtMs } = position;
    track.snapshots.push({ atMonoMs, qtyLots, entryMoney, realizedMoney, updatedAtMs });
    if (track.snapshots.length > SNAPSHOT_LIMIT) {
      track.snapshots.shift();
      track.isTruncated = true;
    }
  }

  /** The position as of `atMonoMs`: flat before its first recorded change, the oldest kept if truncated. */
  asOf(address: string, position: PositionRecord, atMonoMs: number): PositionRecord {
    const track = this.#tracks.get(keyOf(address, position.symbol));
    if (!track) return position;
    let state: PositionSnapshot | undefined;
    for (const snapshot of track.snapshots) {
      if (snapshot.atMonoMs > atMonoMs) break;
      state = snapshot;
    }
    if (!state && track.isTruncated) state = track.snapshots[0];
    if (!state) return { ...position, qtyLots: 0n, entryMoney: 0n, realizedMoney: 0n, updatedAtMs: position.createdAtMs };
    return { ...position, qtyLots: state.qtyLots, entryMoney: state.entryMoney, realizedMoney: state.realizedMoney, updatedAtMs: state.updatedAtMs };
  }
}
