// The alert sink the rest of the daemon talks to. Implementations are fire-and-forget: notify()
// never blocks, never throws, and a lost alert never affects trading.

import type { Alert } from './alerts.js';

export interface Notifier {
  /** Queues the alert and returns at once. */
  notify(alert: Alert): void;
  /** Waits until queued alerts are sent (or failed), but never longer than `timeoutMs`. */
  flush(timeoutMs: number): Promise<void>;
}

/** Used when Telegram is not configured: alerts go nowhere (they are logged by their callers). */
export class NullNotifier implements Notifier {
  notify(_alert: Alert): void {}

  flush(_timeoutMs: number): Promise<void> {
    return Promise.resolve();
  }
}
