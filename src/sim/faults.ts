// Fault injection state (SimFaults). Counters and switches are read by the HTTP and WS layers at
// the moment they act; socket actions (drop, malformed frame, live-session revocation, forced
// fills, the restart's disconnections) are delegated.

import type { FillOptions, MalformedVariant, OrderSelector, SimFaults, SimFill, SocketKind } from './types.js';

export interface FaultActions {
  dropConnections(kind: SocketKind): void;
  sendMalformedFrame(kind: SocketKind, variant: MalformedVariant): void;
  /** Revoke the token (or every token of an address) and end live sessions that use it. */
  expireToken(tokenOrAddress: string): void;
  fillOrder(address: string, selector: OrderSelector, options: FillOptions): SimFill | null;
  /** Drops every socket and idle HTTP connection as a process restart would. */
  disconnectEverything(): void;
}

export interface Rejection {
  readonly code: number;
  readonly message: string;
}

interface HttpErrorFault {
  readonly status: 429 | 500;
  remaining: number;
  readonly pathPrefix: string;
}

interface HttpErrorWindow {
  readonly status: 429 | 500;
  readonly untilMs: number;
  readonly pathPrefix: string;
}

interface LateRejection {
  remaining: number;
  readonly delayMs: number;
}

function count(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`expected a non-negative integer, got ${n}`);
  return n;
}

function duration(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`expected a non-negative duration, got ${ms}`);
  return ms;
}

export class FaultState implements SimFaults {
  readonly #actions: FaultActions;
  readonly #monoNowMs: () => number;
  readonly #timers = new Set<NodeJS.Timeout>();
  #silencedStream = false;
  #silencedApi = false;
  #stalledStream = false;
  #stalledApi = false;
  #downUntilMs = -Infinity;
  #restarts = 0;
  pingsStopped = false;
  answeringPingsStopped = false;
  pongsDisregarded = false;
  ackDelayMs = 0;
  depthFrozen = false;
  clockSkewMs = 0;
  restLag = 0;
  #acksToLose = 0;
  #repliesToDuplicate = 0;
  #rejection: (Rejection & { remaining: number }) | null = null;
  #httpError: HttpErrorFault | null = null;
  #httpErrorWindow: HttpErrorWindow | null = null;
  #cancelRaces = 0;
  #lateRejection: LateRejection | null = null;

  constructor(actions: FaultActions, monoNowMs: () => number) {
    this.#actions = actions;
    this.#monoNowMs = monoNowMs;
  }

  dropConnections(kind: SocketKind): void {
    this.#actions.dropConnections(kind);
  }

  silence(kind: SocketKind, on: boolean): void {
    if (kind !== 'api') this.#silencedStream = on;
    if (kind !== 'stream') this.#silencedApi = on;
  }

  isSilenced(kind: 'stream' | 'api'): boolean {
    return kind === 'stream' ? this.#silencedStream : this.#silencedApi;
  }

  /** silence under the name of what it models: no data, no server pings, client pings unanswered. */
  halfOpen(kind: SocketKind, on: boolean): void {
    this.silence(kind, on);
  }

  stallData(kind: SocketKind, on: boolean): void {
    if (kind !== 'api') this.#stalledStream = on;
    if (kind !== 'stream') this.#stalledApi = on;
  }

  isDataStalled(kind: 'stream' | 'api'): boolean {
    return kind === 'stream' ? this.#stalledStream : this.#stalledApi;
  }

  fillOrder(address: string, selector: OrderSelector, options: FillOptions = {}): SimFill | null {
    return this.#actions.fillOrder(address, selector, options);
  }

  restart(downtimeMs: number): void {
    this.#downUntilMs = this.#monoNowMs() + duration(downtimeMs);
    this.#restarts += 1;
    this.#actions.disconnectEverything();
  }

  /** True while a restart's downtime lasts: new connections and requests are refused. */
  isDown(): boolean {
    return this.#monoNowMs() < this.#downUntilMs;
  }

  /** Counts restarts, so a request that was in flight across one can be told apart. */
  get restarts(): number {
    return this.#restarts;
  }

  fillBeforeCancel(n: number): void {
    this.#cancelRaces = count(n);
  }

  lateRejectAlo(n: number, delayMs: number): void {
    this.#lateRejection = { remaining: count(n), delayMs: duration(delayMs) };
  }

  stopPings(on: boolean): void {
    this.pingsStopped = on;
  }

  ignorePongs(on: boolean): void {
    this.answeringPingsStopped = on;
  }

  stopAnsweringPings(on: boolean): void {
    this.answeringPingsStopped = on;
  }

  disregardPongs(on: boolean): void {
    this.pongsDisregarded = on;
  }

  delayAcks(ms: number): void {
    this.ackDelayMs = duration(ms);
  }

  loseAcks(n: number): void {
    this.#acksToLose = count(n);
  }

  rejectNextOrders(n: number, code: number, message: string): void {
    this.#rejection = { code, message, remaining: count(n) };
  }

  sendMalformedFrame(kind: SocketKind, variant: MalformedVariant = 'invalid-json'): void {
    this.#actions.sendMalformedFrame(kind, variant);
  }

  duplicateReplies(n: number): void {
    this.#repliesToDuplicate = count(n);
  }

  expireToken(tokenOrAddress: string): void {
    this.#actions.expireToken(tokenOrAddress);
  }

  freezeDepth(on: boolean): void {
    this.depthFrozen = on;
  }

  skewClockMs(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError(`expected a finite skew, got ${ms}`);
    this.clockSkewMs = ms;
  }

  httpErrors(status: 429 | 500, n: number, pathPrefix = ''): void {
    if (status !== 429 && status !== 500) throw new RangeError(`status must be 429 or 500, got ${String(status)}`);
    this.#httpError = { status, remaining: count(n), pathPrefix };
  }

  httpErrorsFor(status: 429 | 500, durationMs: number, pathPrefix = ''): void {
    if (status !== 429 && status !== 500) throw new RangeError(`status must be 429 or 500, got ${String(status)}`);
    this.#httpErrorWindow = { status, untilMs: this.#monoNowMs() + duration(durationMs), pathPrefix };
  }

  restLagMs(ms: number): void {
    this.restLag = duration(ms);
  }

  reset(): void {
    this.#silencedStream = false;
    this.#silencedApi = false;
    this.#stalledStream = false;
    this.#stalledApi = false;
    this.#downUntilMs = -Infinity;
    this.#httpErrorWindow = null;
    this.#cancelRaces = 0;
    this.#lateRejection = null;
    this.pingsStopped = false;
    this.answeringPingsStopped = false;
    this.pongsDisregarded = false;
    this.ackDelayMs = 0;
    this.depthFrozen = false;
    this.clockSkewMs = 0;
    this.restLag = 0;
    this.#acksToLose = 0;
    this.#repliesToDuplicate = 0;
    this.#rejection = null;
    this.#httpError = null;
  }

  /** True when this ws-api request's reply must be swallowed. */
  takeLostAck(): boolean {
    if (this.#acksToLose === 0) return false;
    this.#acksToLose -= 1;
    return true;
  }

  takeDuplicate(): boolean {
    if (this.#repliesToDuplicate === 0) return false;
    this.#repliesToDuplicate -= 1;
    return true;
  }

  takeRejection(): Rejection | null {
    const rejection = this.#rejection;
    if (!rejection || rejection.remaining === 0) return null;
    rejection.remaining -= 1;
    return { code: rejection.code, message: rejection.message };
  }

  takeHttpError(path: string): 429 | 500 | null {
    const window = this.#httpErrorWindow;
    if (window && this.#monoNowMs() < window.untilMs && path.startsWith(window.pathPrefix)) return window.status;
    const fault = this.#httpError;
    if (!fault || fault.remaining === 0 || !path.startsWith(fault.pathPrefix)) return null;
    fault.remaining -= 1;
    return fault.status;
  }

  /** True when this cancel must find its (live) order filled just before it arrives. */
  takeCancelRace(): boolean {
    if (this.#cancelRaces === 0) return false;
    this.#cancelRaces -= 1;
    return true;
  }

  /** The delay after which this ALO order is to be rejected, or null when it is matched normally. */
  takeLateRejection(): number | null {
    const fault = this.#lateRejection;
    if (!fault || fault.remaining === 0) return null;
    fault.remaining -= 1;
    return fault.delayMs;
  }

  /** Resolves after `ms` unless the simulator closes first (the timer is then cleared). */
  later(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }

  dispose(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
