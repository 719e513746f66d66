// One reconnecting StandX WebSocket: the state machine (idle → connecting → handshaking → ready →
// closing → closed, `backoff` between attempts), capped full-jitter reconnects and make-before-break
// rotation. Each socket's listeners and liveness (pings, half-open watchdog) live in ws-link.ts.

import { EventEmitter } from 'node:events';
import type { Clock } from '../../ops/clock.js';
import { AuthError, TransientError } from '../../errors.js';
import type { RandomSource } from '../../domain/random.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';
import { WsLink, type CloseAction, type HandshakeChannel, type WsLinkTiming } from './ws-link.js';
import { silentLog, type Log } from '../../ops/log.js';
import { nullProbe, type Probe } from '../../ops/probe.js';
import { defaultSocketFactory, type SocketFactory, type WsSocket } from './ws-socket.js';
import { cancel, startTimeout, type TimerHandle } from './ws-timers.js';

export type ConnectionState = 'idle' | 'connecting' | 'handshaking' | 'ready' | 'backoff' | 'closing' | 'closed';

/** Timing and plumbing knobs; the streams pass these through. */
export interface WsTuning {
  readonly socketFactory?: SocketFactory;
  readonly random?: RandomSource;
  /** Reconnect delays: uniform in [0, min(maxMs, baseMs·2^attempt)]. */
  readonly backoff?: BackoffPolicy;
  /** The attempt counter resets only after the connection stayed ready this long. */
  readonly stableAfterMs?: number;
  readonly pingIntervalMs?: number;
  /** No inbound frame for this long: open a replacement socket while the silent one may still recover. */
  readonly suspectAfterMs?: number;
  /** No inbound frame (data, ping or pong) for this long = half-open socket (protocol §6: CLI uses 45 s). */
  readonly idleTimeoutMs?: number;
  /** From creating the socket until its handshake completes. */
  readonly connectTimeoutMs?: number;
  /** Rotate before the exchange's 24 h cut (protocol §5: CLI rotates at 23 h 50 m). */
  readonly maxAgeMs?: number;
  /** Cap on `drain` after a rotation. */
  readonly drainTimeoutMs?: number;
}

export interface WsConnectionOptions extends WsTuning {
  /** For logs. */
  readonly name: string;
  readonly url: string;
  readonly clock: Clock;
  readonly handshake: (channel: HandshakeChannel, signal: AbortSignal) => Promise<void>;
  /**
   * After a rotation the old socket stays attached (its frames still emitted) until this resolves
   * or drainTimeoutMs passes, e.g. so that replies routed to its session still arrive. Default: close at once.
   */
  readonly drain?: (generation: number, signal: AbortSignal) => Promise<void>;
  /** Handshake errors that stop reconnecting. Default: AuthError. */
  readonly isFatal?: (error: unknown) => boolean;
  readonly logger?: Log;
  readonly probe?: Probe;
}

export type WsConnectionEvents = {
  /** `rotated`: a make-before-break switch; the data never stopped. */
  ready: [info: { generation: number; rotated: boolean }];
  /** The ready connection was lost (a reconnect follows unless closed or fatal). */
  down: [reason: string];
  /** A frame from the active socket (or a draining one after rotation). */
  message: [data: string, generation: number];
  /** Any socket of this connection is gone, active or not. */
  socketClosed: [generation: number, reason: string];
  /** An unretryable handshake failure; the connection is closed. */
  fatal: [error: Error];
  state: [state: ConnectionState];
};

export const DEFAULT_WS_TUNING = {
  backoff: { baseMs: 250, maxMs: 30_000 },
  stableAfterMs: 60_000,
  pingIntervalMs: 15_000,
  idleTimeoutMs: 45_000,
  connectTimeoutMs: 15_000,
  maxAgeMs: (23 * 60 + 50) * 60_000,
  drainTimeoutMs: 10_000,
} as const;

const noop = (): void => undefined;

export class WsConnection extends EventEmitter<WsConnectionEvents> {
  readonly #options: WsConnectionOptions;
  readonly #log: Log;
  readonly #probe: Probe;
  readonly #timing: WsLinkTiming;
  #state: ConnectionState = 'idle';
  #generation = 0;
  #attempt = 0;
  #rotationAttempt = 0;
  #active: WsLink | undefined;
  #candidate: WsLink | undefined;
  readonly #retiring = new Set<WsLink>();
  #reconnectTimer: TimerHandle | undefined;
  #rotationTimer: TimerHandle | undefined;
  #stableTimer: TimerHandle | undefined;

  constructor(options: WsConnectionOptions) {
    super();
    this.#options = options;
    this.#log = options.logger ?? silentLog;
    this.#probe = options.probe ?? nullProbe;
    this.#timing = {
      pingIntervalMs: options.pingIntervalMs ?? DEFAULT_WS_TUNING.pingIntervalMs,
      // Without its own setting, a silent socket is only acted on at the idle deadline.
      suspectAfterMs: options.suspectAfterMs ?? options.idleTimeoutMs ?? DEFAULT_WS_TUNING.idleTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_WS_TUNING.idleTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_WS_TUNING.connectTimeoutMs,
      maxAgeMs: options.maxAgeMs ?? DEFAULT_WS_TUNING.maxAgeMs,
    };
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The socket that `send` writes to, when ready. */
  get activeGeneration(): number | null {
    return this.#state === 'ready' && this.#active ? this.#active.generation : null;
  }

  isReady(): boolean {
    return this.#state === 'ready';
  }

  start(): void {
    if (this.#state !== 'idle') return;
    this.#connect();
  }

  /** Make before break: a new socket is handshaken to ready before the current one is closed. */
  rotate(): void {
    if (this.#state !== 'ready') return; // a (re)connect in progress uses fresh credentials anyway
    cancel(this.#rotationTimer);
    if (this.#candidate) this.#closeLink(this.#candidate, 'superseded by a newer rotation', true);
    this.#log.info({ connection: this.#options.name }, 'ws rotating');
    this.#openLink();
  }

  /**
   * The active socket looks dead (silent, or a request went unanswered): make before break, a new
   * socket is readied beside it, and the silent one is dropped once the new one is ready or its own
   * idle deadline passes. A rotation already under way is left to finish.
   */
  suspect(reason: string): void {
    if (this.#state !== 'ready' || this.#candidate) return;
    this.#log.warn({ connection: this.#options.name, reason }, 'ws suspect: opening a replacement socket');
    this.rotate();
  }

  /** Writes to the active socket; returns its generation. Throws TransientError when nothing was written. */
  send(data: string): number {
    const link = this.#active;
    if (this.#state !== 'ready' || !link) throw new TransientError(`${this.#options.name}: not connected`);
    link.send(data);
    return link.generation;
  }

  close(): void {
    if (this.#state === 'closed' || this.#state === 'closing') return;
    this.#setState('closing');
    this.#teardown('closed by client', { reconnect: false, graceful: true });
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  #connect(): void {
    this.#setState('connecting');
    this.#openLink();
  }

  #openLink(): void {
    let socket: WsSocket;
    try {
      socket = (this.#options.socketFactory ?? defaultSocketFactory)(this.#options.url);
    } catch (error) {
      this.#log.warn({ connection: this.#options.name, err: error }, 'ws socket creation failed');
      this.#afterCandidateLost();
      return;
    }
    this.#candidate = new WsLink({
      socket,
      generation: ++this.#generation,
      name: this.#options.name,
      clock: this.#options.clock,
      timing: this.#timing,
      log: this.#log,
      hooks: {
        onOpen: (link) => this.#onOpen(link),
        onFrame: (link, text) => this.#onFrame(link, text),
        onLost: (link, reason, action) => this.#onLinkLost(link, reason, action),
        onMaxAge: (link) => link.role === 'active' && this.rotate(),
        onSilent: (link, silentMs) => link.role === 'active' && this.suspect(`silent for ${silentMs} ms`),
      },
    });
  }

  #onOpen(link: WsLink): void {
    if (!this.#active) this.#setState('handshaking');
    // new Promise(): a handshake that throws synchronously fails like one that rejects.
    new Promise<void>((resolve) => resolve(this.#options.handshake(link.channel(), link.signal))).then(
      () => this.#promote(link),
      (error: unknown) => this.#onHandshakeFailed(link, error),
    );
  }

  #onFrame(link: WsLink, text: string): void {
    if (link.role !== 'candidate') {
      this.#emitSafe('message', text, link.generation);
      return;
    }
    if (link.offer(text)) return;
    // During a rotation the active socket carries this stream; during a (re)connect keep it.
    if (!this.#active) link.buffer(text);
  }

  #promote(link: WsLink): void {
    if (link.isClosed || this.#candidate !== link) return;
    this.#candidate = undefined;
    const previous = this.#active;
    link.role = 'active';
    link.markReady();
    this.#active = link;
    const buffered = link.takeBuffered();
    if (previous) {
      // The handler now reads the new socket; only then is the old one retired.
      this.#rotationAttempt = 0;
      this.#log.info({ connection: this.#options.name, generation: link.generation }, 'ws rotated');
      this.#probe.connection(this.#options.name, 'rotated');
      this.#emitSafe('ready', { generation: link.generation, rotated: true });
      this.#retire(previous);
      return;
    }
    this.#setState('ready');
    this.#log.info({ connection: this.#options.name, generation: link.generation }, 'ws ready');
    const stableAfterMs = this.#options.stableAfterMs ?? DEFAULT_WS_TUNING.stableAfterMs;
    this.#stableTimer = startTimeout(() => {
      this.#attempt = 0;
    }, stableAfterMs);
    this.#probe.connection(this.#options.name, 'ready');
    this.#emitSafe('ready', { generation: link.generation, rotated: false });
    for (const text of buffered) {
      if (this.#active !== link) break;
      this.#emitSafe('message', text, link.generation);
    }
  }

  #retire(link: WsLink): void {
    const drain = this.#options.drain;
    if (!drain) {
      this.#closeLink(link, 'rotated', true);
      return;
    }
    link.role = 'retiring';
    this.#retiring.add(link);
    const signal = link.drainSignal(this.#options.drainTimeoutMs ?? DEFAULT_WS_TUNING.drainTimeoutMs);
    drain(link.generation, signal)
      .catch(noop)
      .finally(() => this.#closeLink(link, 'rotated', true));
  }

  #onHandshakeFailed(link: WsLink, error: unknown): void {
    if (link.isClosed || this.#candidate !== link) return;
    const isFatal = this.#options.isFatal ?? ((e: unknown) => e instanceof AuthError);
    const message = error instanceof Error ? error.message : String(error);
    if (isFatal(error)) {
      this.#log.error({ connection: this.#options.name, err: error }, 'ws handshake refused, not reconnecting');
      const fatal = error instanceof Error ? error : new AuthError(message);
      this.#teardown(`handshake refused: ${message}`, { reconnect: false, graceful: true, fatal });
      return;
    }
    this.#onLinkLost(link, `handshake failed: ${message}`);
  }

  #onLinkLost(link: WsLink, reason: string, action: CloseAction = 'back-off'): void {
    if (link.isClosed) return;
    if (link.role === 'active') {
      if (action === 'reauthenticate') this.#log.warn({ connection: this.#options.name, reason }, 'ws session refused by the server: logging in again');
      if (this.#candidate) this.#loseActiveKeepCandidate(link, reason);
      else this.#teardown(reason, { reconnect: true, graceful: false, isOrderly: action !== 'back-off' });
      return;
    }
    const wasCandidate = this.#candidate === link;
    this.#closeLink(link, reason, false);
    if (wasCandidate) this.#afterCandidateLost();
  }

  /** The active socket died while its replacement is being readied: the replacement is the reconnect. */
  #loseActiveKeepCandidate(link: WsLink, reason: string): void {
    cancel(this.#rotationTimer);
    cancel(this.#stableTimer);
    this.#active = undefined;
    this.#closeLink(link, reason, false);
    this.#setState('handshaking');
    this.#log.warn({ connection: this.#options.name, reason }, 'ws down: its replacement is already connecting');
    this.#probe.connection(this.#options.name, 'down', reason);
    this.#emitSafe('down', reason);
  }

  #afterCandidateLost(): void {
    this.#candidate = undefined;
    if (this.#active) {
      const policy = this.#options.backoff ?? DEFAULT_WS_TUNING.backoff;
      const delayMs = backoffDelayMs(this.#rotationAttempt++, policy, this.#random());
      this.#rotationTimer = startTimeout(() => this.rotate(), delayMs);
    } else if (this.#state !== 'closing' && this.#state !== 'closed') {
      this.#scheduleReconnect();
    }
  }

  /** An orderly close of a connection that was stable comes back at once; a repeat backs off as usual. */
  #scheduleReconnect(isOrderly = false): void {
    const policy = this.#options.backoff ?? DEFAULT_WS_TUNING.backoff;
    const delayMs = isOrderly && this.#attempt === 0 ? 0 : backoffDelayMs(this.#attempt, policy, this.#random());
    this.#log.info({ connection: this.#options.name, attempt: this.#attempt, delayMs }, 'ws reconnect scheduled');
    this.#attempt += 1;
    this.#setState('backoff');
    this.#reconnectTimer = startTimeout(() => this.#connect(), delayMs);
  }

  /** The one teardown: every socket and timer of this connection goes, then reconnect or stop. */
  #teardown(reason: string, how: { reconnect: boolean; graceful: boolean; fatal?: Error; isOrderly?: boolean }): void {
    const wasReady = this.#state === 'ready' || (this.#state === 'closing' && this.#active !== undefined);
    cancel(this.#reconnectTimer);
    cancel(this.#rotationTimer);
    cancel(this.#stableTimer);
    const links = [this.#active, this.#candidate, ...this.#retiring];
    this.#active = undefined;
    this.#candidate = undefined;
    for (const link of links) if (link) this.#closeLink(link, reason, how.graceful);
    if (how.reconnect && this.#state !== 'closing') {
      this.#log.warn({ connection: this.#options.name, reason }, 'ws down');
      this.#scheduleReconnect(how.isOrderly);
    } else {
      this.#setState('closed');
    }
    if (wasReady) {
      this.#probe.connection(this.#options.name, 'down', reason);
      this.#emitSafe('down', reason);
    }
    if (how.fatal) this.#emitSafe('fatal', how.fatal);
  }

  #closeLink(link: WsLink, reason: string, graceful: boolean): void {
    this.#retiring.delete(link);
    if (this.#candidate === link) this.#candidate = undefined;
    if (link.close(reason, graceful)) this.#emitSafe('socketClosed', link.generation, reason);
  }

  #random(): RandomSource {
    return this.#options.random ?? Math.random;
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#emitSafe('state', state);
  }

  /** Listeners never throw into the socket's event loop. */
  #emitSafe<K extends keyof WsConnectionEvents>(event: K, ...args: WsConnectionEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: WsConnectionEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.#log.error({ connection: this.#options.name, event, err: error }, 'ws listener threw');
    }
  }
}
