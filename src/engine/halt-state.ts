// Whether the loop is halted (paused by the operator, stopped by a kill switch or the second-quoter
// guard) and why; reports each change through the loop's `halted` and `resumed` events.

import type { EventEmitter } from 'node:events';
import type { Log } from '../ops/log.js';
import type { HaltReason, MakerLoopEvents } from './observations.js';

export class HaltState {
  #reason: HaltReason | null = null;

  constructor(
    private readonly log: Log,
    private readonly events: EventEmitter<MakerLoopEvents>,
  ) {}

  get reason(): HaltReason | null {
    return this.#reason;
  }

  /** Returns false when already halted: the first reason stands until a resume. */
  halt(reason: HaltReason): boolean {
    if (this.#reason !== null) return false;
    this.#reason = reason;
    this.log.info({ halt: reason.kind, detail: reason.detail }, 'quoting halted: cancelling quotes');
    this.events.emit('halted', reason);
    return true;
  }

  /** Returns what it was halted for, or null when it was not. */
  resume(): HaltReason | null {
    const reason = this.#reason;
    if (reason === null) return null;
    this.#reason = null;
    this.log.info({ haltedFor: reason.kind }, 'quoting resumed');
    this.events.emit('resumed', reason);
    return reason;
  }
}
