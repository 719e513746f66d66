// Subscribing the loop to the exchange so that handlers never throw into the exchange's emitter: a bug
// in one event's handler is logged and must not stop the others.

import type { Exchange, ExchangeEvents } from '../exchange/exchange.js';
import type { Log } from '../ops/log.js';

/** Returns the unsubscribe function. */
export function listenSafely<K extends keyof ExchangeEvents>(
  exchange: Exchange,
  log: Log,
  event: K,
  handler: (...args: ExchangeEvents[K]) => void,
): () => void {
  const safe = (...args: ExchangeEvents[K]): void => {
    try {
      handler(...args);
    } catch (error) {
      log.error({ err: error, event }, 'event handler failed');
    }
  };
  exchange.on(event, safe as never);
  return () => exchange.off(event, safe as never);
}
