// The last act of a forced exit (a stop signal repeated after the join window): one REST
// cancel_orders for every order the daemon knows to be open or on its way, by client id.

import type { Log } from '../ops/log.js';
import type { MakerLoop } from '../engine/maker-loop.js';
import type { Connection } from './connect.js';

export interface ForceCancelTarget {
  readonly loop: MakerLoop | null;
  readonly connection: Connection | null;
}

export async function forceCancelKnown(target: ForceCancelTarget, log: Log): Promise<void> {
  const { loop, connection } = target;
  if (loop === null || connection === null) return;
  const refs = loop.snapshot().orders.map((order) => ({ clOrdId: order.clOrdId }));
  if (refs.length === 0) return;
  log.warn({ count: refs.length }, 'forced exit: cancel_orders for the known orders');
  await connection.exchange.cancelOrders(refs);
}
