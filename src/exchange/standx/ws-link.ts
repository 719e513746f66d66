// One socket of a WsConnection: its listeners, liveness (client pings, answers to server pings,
// half-open watchdog), connect and max-age timers, handshake waiters, and its teardown. The
// connection (ws-connection.ts) decides what each event means.

import type { Clock } from '../../ops/clock.js';
import { TransientError } from '../../errors.js';
import { onAbort } from '../../ops/abort.js';
import type { Log } from '../../ops/log.js';
import { decodeWsData, WS_OPEN, type WsData, type WsSocket } from './ws-socket.js';
import { cancel, startInterval, startTimeout, type TimerHandle } from './ws-timers.js';

export type LinkRole = 'candidate' | 'active' | 'retiring';

/**
 * What a lost socket calls for. reconnect: the server closed in order (rotation, restart), so come
 * back at once; reauthenticate: the server refused the session (e.g. an expired or revoked token),
 * so come back at once with a token read afresh, whose refusal is then fatal; back-off: anything else.
 */
export type CloseAction = 'reconnect' | 'reauthenticate' | 'back-off';

/**
 * Close codes (RFC 6455 section 7.4) to actions, as discord.js maps its gateway's codes. StandX documents
 * none of its own (protocol §5 only describes the 408 pong timeout, sent as a frame before closing).
 */
const CLOSE_ACTIONS: ReadonlyMap<number, CloseAction> = new Map([
  [1000, 'reconnect'], // normal closure: the 24 h limit, or the server's pong timeout
  [1001, 'reconnect'], // going away: the server is shutting down or restarting
  [1012, 'reconnect'], // service restart
  [1008, 'reauthenticate'], // policy violation: the session was refused
  [1006, 'back-off'], // abnormal closure: no close frame, the network or the process died
  [1011, 'back-off'], // internal server error
  [1013, 'back-off'], // try again later
]);

export function closeAction(code: number): CloseAction {
  return CLOSE_ACTIONS.get(code) ?? 'back-off';
}

/** What a handshake (auth + subscribe) sees of its not-yet-ready socket. */
export interface HandshakeChannel {
  readonly generation: number;
  /** Throws TransientError when the socket is not open. */
  send(data: string): void;
  /**
   * Resolves with the first inbound frame for which `match` returns a value (it may throw to fail
   * the handshake); rejects when the handshake is aborted. Unmatched frames are not consumed.
   */
  waitFor<T>(match: (text: string) => T | undefined): Promise<T>;
}

export interface WsLinkTiming {
  readonly pingIntervalMs: number;
  /** Silent this long: the connection is told (onSilent) so it can open a replacement first. */
  readonly suspectAfterMs: number;
  readonly idleTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxAgeMs: number;
}

export interface WsLinkHooks {
  readonly onOpen: (link: WsLink) => void;
  readonly onFrame: (link: WsLink, text: string) => void;
  /** Closed, errored, timed out before ready, or silent for idleTimeoutMs. Called at most once. */
  readonly onLost: (link: WsLink, reason: string, action: CloseAction) => void;
  /** No inbound frame for suspectAfterMs; called once per silence, again after the socket spoke. */
  readonly onSilent: (link: WsLink, silentMs: number) => void;
  readonly onMaxAge: (link: WsLink) => void;
}

const MAX_BUFFERED_FRAMES = 1_000;
const noop = (): void => undefined;

export class WsLink {
  readonly generation: number;
  role: LinkRole = 'candidate';
  readonly #socket: WsSocket;
  readonly #name: string;
  readonly #clock: Clock;
  readonly #timing: WsLinkTiming;
  readonly #hooks: WsLinkHooks;
  readonly #log: Log;
  readonly #abort = new AbortController();
  readonly #waiters = new Set<(text: string) => boolean>();
  #buffered: string[] = [];
  #lastInboundMs: number;
  #isSilent = false;
  #isClosed = false;
  #connectTimer: TimerHandle | undefined;
  #idleTimer: TimerHandle | undefined;
  #maxAgeTimer: TimerHandle | undefined;
  #drainTimer: TimerHandle | undefined;
  #pingTimer: TimerHandle | undefined;

  constructor(init: {
    socket: WsSocket;
    generation: number;
    name: string;
    clock: Clock;
    timing: WsLinkTiming;
    hooks: WsLinkHooks;
    log: Log;
  }) {
    this.#socket = init.socket;
    this.generation = init.generation;
    this.#name = init.name;
    this.#clock = init.clock;
    this.#timing = init.timing;
    this.#hooks = init.hooks;
    this.#log = init.log;
    this.#lastInboundMs = init.clock.monotonic();
    this.#connectTimer = startTimeout(() => this.#lost('connect/handshake timeout'), init.timing.connectTimeoutMs);
    this.#attach();
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Aborted when the link is closed; handshakes run under it. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** The handshake completed: the connect timeout no longer applies. */
  markReady(): void {
    cancel(this.#connectTimer);
  }

  /** Offers a frame to the handshake's waiters; true when one consumed it. */
  offer(text: string): boolean {
    for (const waiter of this.#waiters) if (waiter(text)) return true;
    return false;
  }

  buffer(text: string): void {
    if (this.#buffered.length >= MAX_BUFFERED_FRAMES) this.#buffered.shift();
    this.#buffered.push(text);
  }

  takeBuffered(): string[] {
    const frames = this.#buffered;
    this.#buffered = [];
    return frames;
  }

  /** Throws TransientError when the socket is not open or refuses the frame (nothing written). */
  send(data: string): void {
    if (this.#isClosed || this.#socket.readyState !== WS_OPEN) {
      throw new TransientError(`${this.#name}: socket not open`);
    }
    try {
      this.#socket.send(data);
    } catch (error) {
      throw new TransientError(`${this.#name}: send failed`, { cause: error });
    }
  }

  channel(): HandshakeChannel {
    return {
      generation: this.generation,
      send: (data) => this.send(data),
      waitFor: <T>(match: (text: string) => T | undefined) => this.#waitFor(match),
    };
  }

  /** A signal that aborts after `ms` (for draining a retired link); cleared with the link. */
  drainSignal(ms: number): AbortSignal {
    const controller = new AbortController();
    this.#drainTimer = startTimeout(() => controller.abort(new TransientError('drain timeout')), ms);
    return controller.signal;
  }

  /** Idempotent. Detaches every listener before closing, so nothing of this socket arrives later. */
  close(reason: string, graceful: boolean): boolean {
    if (this.#isClosed) return false;
    this.#isClosed = true;
    for (const timer of [this.#connectTimer, this.#idleTimer, this.#maxAgeTimer, this.#drainTimer, this.#pingTimer]) {
      cancel(timer);
    }
    this.#abort.abort(new TransientError(`${this.#name}: connection closed (${reason})`));
    this.#waiters.clear();
    this.#buffered = [];
    this.#socket.removeAllListeners();
    // An error sink, so a late socket error cannot become an uncaught 'error' event.
    this.#socket.on('error', noop);
    try {
      if (graceful) this.#socket.close(1000, 'bye');
      else this.#socket.terminate();
    } catch {
      // already closed
    }
    return true;
  }

  #attach(): void {
    const socket = this.#socket;
    socket.on('open', () => this.#onOpen());
    socket.on('message', (data: WsData) => {
      if (this.#isClosed) return;
      this.#heard();
      this.#hooks.onFrame(this, decodeWsData(data));
    });
    socket.on('ping', (data: Buffer) => {
      this.#heard();
      try {
        socket.pong(data); // protocol §5: the server drops sockets that do not pong for 5 min
      } catch {
        // the close event follows
      }
    });
    socket.on('pong', () => this.#heard());
    socket.on('close', (code: number, reason: Buffer) => this.#lost(`closed (${code} ${reason.toString()})`, closeAction(code)));
    socket.on('error', (error: Error) => this.#lost(`socket error: ${error.message}`));
  }

  #onOpen(): void {
    if (this.#isClosed) return;
    this.#lastInboundMs = this.#clock.monotonic();
    this.#pingTimer = startInterval(() => {
      try {
        this.#socket.ping();
      } catch {
        // the close event follows
      }
    }, this.#timing.pingIntervalMs);
    this.#idleTimer = startTimeout(() => this.#checkIdle(), Math.min(this.#timing.suspectAfterMs, this.#timing.idleTimeoutMs));
    this.#maxAgeTimer = startTimeout(() => this.#hooks.onMaxAge(this), this.#timing.maxAgeMs);
    this.#hooks.onOpen(this);
  }

  /** Any inbound frame, ping or pong is life. */
  #heard(): void {
    this.#lastInboundMs = this.#clock.monotonic();
    this.#isSilent = false;
  }

  /**
   * One timer per deadline rather than one per frame, re-armed for the time still left: silent past
   * suspectAfterMs tells the connection once, silent past idleTimeoutMs is a dead (half-open) socket.
   */
  #checkIdle(): void {
    const { idleTimeoutMs, suspectAfterMs } = this.#timing;
    const idleMs = this.#clock.monotonic() - this.#lastInboundMs;
    if (idleMs >= idleTimeoutMs) {
      this.#log.warn({ connection: this.#name, generation: this.generation, idleMs }, 'ws half-open, terminating');
      this.#lost(`no inbound frame for ${idleMs} ms`);
      return;
    }
    if (idleMs >= suspectAfterMs && !this.#isSilent) {
      this.#isSilent = true;
      this.#hooks.onSilent(this, idleMs);
    }
    const nextDeadlineMs = idleMs < suspectAfterMs ? suspectAfterMs : idleTimeoutMs;
    this.#idleTimer = startTimeout(() => this.#checkIdle(), nextDeadlineMs - idleMs);
  }

  #lost(reason: string, action: CloseAction = 'back-off'): void {
    if (!this.#isClosed) this.#hooks.onLost(this, reason, action);
  }

  #waitFor<T>(match: (text: string) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cleanup = (): void => {
        this.#waiters.delete(waiter);
        detach();
      };
      const waiter = (text: string): boolean => {
        let value: T | undefined;
        try {
          value = match(text);
        } catch (error) {
          cleanup();
          reject(error);
          return true;
        }
        if (value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      this.#waiters.add(waiter);
      const detach = onAbort(this.#abort.signal, (reason) => {
        cleanup();
        reject(reason);
      });
    });
  }
}
