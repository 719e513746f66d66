// A notifier whose destination can change while the daemon runs (a reload with new Telegram
// settings); everything that holds it keeps the same object.

import type { Alert } from './alerts.js';
import type { Notifier } from './notifier.js';

export class SwitchableNotifier implements Notifier {
  #target: Notifier;

  constructor(target: Notifier) {
    this.#target = target;
  }

  /** Later alerts go to `next`; what the old one still queues is flushed within `flushMs`. */
  switchTo(next: Notifier, flushMs = 3_000): Promise<void> {
    const previous = this.#target;
    this.#target = next;
    return previous.flush(flushMs);
  }

  notify(alert: Alert): void {
    this.#target.notify(alert);
  }

  flush(timeoutMs: number): Promise<void> {
    return this.#target.flush(timeoutMs);
  }
}
