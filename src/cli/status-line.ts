// The periodic status line at info: what an operator reading the journal needs to see that the
// daemon is alive and quoting, once a minute, whatever the log level of the per-order lines.

import { formatUnits } from '../domain/decimal.js';
import type { MakerLoop } from '../engine/maker-loop.js';
import type { Log } from '../ops/log.js';

export const STATUS_INTERVAL_MS = 60_000;

/** Logs the status every `intervalMs` until the returned function is called. */
export function startStatusLine(loop: MakerLoop, qtyDecimals: number, log: Log, intervalMs = STATUS_INTERVAL_MS): () => void {
  const timer = setInterval(() => logStatus(loop, qtyDecimals, log), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export function logStatus(loop: MakerLoop, qtyDecimals: number, log: Log): void {
  const view = loop.snapshot();
  const quotes = view.orders.filter((order) => order.purpose === 'quote');
  log.info(
    {
      state: view.halt !== null ? `halted (${view.halt.kind})` : view.isStale || view.streamsDown.length > 0 ? 'waiting for market data' : 'quoting',
      bids: quotes.filter((order) => order.side === 'buy').length,
      asks: quotes.filter((order) => order.side === 'sell').length,
      position: formatUnits(view.positionLots, qtyDecimals),
      streamsDown: view.streamsDown,
      ...view.stats,
    },
    'status',
  );
}
