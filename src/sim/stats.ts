// Counters of what the simulator received and did, for tests, the benchmark and `standx-mm sim`.

import type { SimStats } from './types.js';

export type StatsCounters = { -readonly [K in keyof SimStats]: number };

export function createStats(): StatsCounters {
  return {
    ordersReceived: 0,
    ordersAccepted: 0,
    ordersRejected: 0,
    cancelsReceived: 0,
    fills: 0,
    wsMessagesIn: 0,
    wsMessagesOut: 0,
    httpRequests: 0,
    connections: 0,
    connectionsTotal: 0,
  };
}
