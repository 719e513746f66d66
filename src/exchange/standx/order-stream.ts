// ws-api/v1 (protocol §6): one session per socket (auth:login, acked before use), signed
// order:new / order:cancel requests matched to their replies by request_id, each with its own
// timeout. Nothing is buffered or re-sent across a reconnect: an unknown outcome is the caller's to reconcile.

import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../../ops/clock.js';
import { onAbort } from '../../ops/abort.js';
import { silentLog, type Log } from '../../ops/log.js';
import { nullProbe, type Probe } from '../../ops/probe.js';
import { AuthError, OutcomeUnknownError, TransientError } from '../../errors.js';
import type { StreamStatus } from '../exchange.js';
import { ackWire } from './codec.js';
import { classifyLogin, wsApiReplyError } from './reply-classification.js';
import { signRequest, type Ed25519Signer, type SignedHeaders } from './signing.js';
import { WsConnection, type WsTuning } from './ws-connection.js';
import type { HandshakeChannel } from './ws-link.js';
import { parseFrame } from './ws-frames.js';
import { cancel, startTimeout, type TimerHandle } from './ws-timers.js';

export type OrderMethod = 'order:new' | 'order:cancel';

/** A further frame for a request that was already answered or given up on (protocol §6, §10.4). */
export interface LateReply {
  readonly requestId: string;
  readonly method: OrderMethod;
  readonly code: number;
  readonly message: string;
  /** The request's params exactly as sent (e.g. to find its cl_ord_id). */
  readonly params: string;
}

export interface OrderStreamOptions {
  readonly url: string;
  /** Read on every login, so a renewed token is picked up. Null refuses the login (AuthError). */
  readonly token: () => string | null;
  readonly signer: Ed25519Signer;
  readonly clock: Clock;
  readonly logger?: Log;
  readonly tuning?: WsTuning;
  /** Per request, from the write of its frame. Default 5 000 ms. */
  readonly requestTimeoutMs?: number;
  readonly uuid?: () => string;
  readonly probe?: Probe;
}

export type OrderStreamEvents = {
  status: [status: StreamStatus];
  authFailure: [error: Error];
  lateReply: [reply: LateReply];
};

interface Sent {
  readonly method: OrderMethod;
  readonly params: string;
}

interface Pending extends Sent {
  readonly generation: number;
  /** Monotonic ms when its frame went out. */
  readonly writtenAtMs: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  timer: TimerHandle | undefined;
  detachSignal: () => void;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/** Answered request ids kept to recognise late second frames. */
const SETTLED_MEMORY = 4_096;

/**
 * Protocol §6: EB sends only the three documented header keys, CLI adds x-request-sign-version;
 * both work live. We send the three of the D-WS envelope.
 */
export function wsRequestHeader(signed: SignedHeaders): Record<string, string> {
  return {
    'x-request-id': signed['x-request-id'],
    'x-request-timestamp': signed['x-request-timestamp'],
    'x-request-signature': signed['x-request-signature'],
  };
}

/** One signed ws-api request frame; `params` is the body exactly as signed. */
export function encodeRequestFrame(sessionId: string, requestId: string, method: OrderMethod, signed: SignedHeaders, params: string): string {
  return JSON.stringify({ session_id: sessionId, request_id: requestId, method, header: wsRequestHeader(signed), params });
}

/**
 * The order socket carries only replies and pings, so its liveness rests on pings: a client ping every
 * 2.5 s must be answered (RFC 6455); two unanswered ones, or a request that got no reply, ready a
 * replacement, and 15 s of silence (past the server's own 10 s ping, protocol §5) is a dead socket.
 */
export const ORDER_LIVENESS = { pingIntervalMs: 2_500, suspectAfterMs: 6_000, idleTimeoutMs: 15_000 } as const;

export class OrderStream extends EventEmitter<OrderStreamEvents> {
  readonly #options: OrderStreamOptions;
  readonly #log: Log;
  readonly #probe: Probe;
  readonly #connection: WsConnection;
  readonly #uuid: () => string;
  /** session_id per socket generation (fresh per connection). */
  readonly #sessions = new Map<number, string>();
  readonly #pending = new Map<string, Pending>();
  readonly #settled = new Map<string, Sent>();
  readonly #drainWaiters = new Set<() => void>();

  constructor(options: OrderStreamOptions) {
    super();
    this.#options = options;
    this.#log = options.logger ?? silentLog;
    this.#probe = options.probe ?? nullProbe;
    this.#uuid = options.uuid ?? randomUUID;
    this.#connection = new WsConnection({
      ...ORDER_LIVENESS,
      ...options.tuning,
      name: 'ws-api',
      url: options.url,
      clock: options.clock,
      logger: this.#log,
      probe: this.#probe,
      handshake: (channel, signal) => this.#login(channel, signal),
      // After a rotation, replies to requests written on the old session still arrive there.
      drain: (generation, signal) => this.#drained(generation, signal),
    });
    this.#connection.on('ready', ({ rotated }) => {
      if (!rotated) this.emit('status', { stream: 'orders', up: true });
    });
    this.#connection.on('down', (reason) => this.emit('status', { stream: 'orders', up: false, reason }));
    this.#connection.on('message', (data) => this.#onFrame(data));
    this.#connection.on('socketClosed', (generation, reason) => this.#onSocketClosed(generation, reason));
    this.#connection.on('fatal', (error) => this.emit('authFailure', error));
  }

  start(): void {
    this.#connection.start();
  }

  /** Pending requests are rejected with OutcomeUnknownError (their frames were written). */
  close(): void {
    this.#connection.close();
  }

  /** After a token renewal: a new session logs in before the old socket closes. */
  reauthenticate(): void {
    this.#connection.rotate();
  }

  isReady(): boolean {
    return this.#connection.isReady();
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** `params`: the new_order body exactly as it is to be signed and sent (codec.encodeNewOrder). */
  newOrder(params: string, signal?: AbortSignal): Promise<void> {
    return this.#request('order:new', params, signal);
  }

  /** `params`: the cancel_order body (codec.encodeCancel). */
  cancelOrder(params: string, signal?: AbortSignal): Promise<void> {
    return this.#request('order:cancel', params, signal);
  }

  async #login(channel: HandshakeChannel, signal: AbortSignal): Promise<void> {
    const token = this.#options.token();
    if (token === null) throw new AuthError('no access token for the ws-api login');
    const sessionId = this.#uuid();
    const requestId = this.#uuid();
    const answer = channel.waitFor((text) => matchLoginAnswer(text, requestId));
    answer.catch(() => undefined); // awaited below; keeps an early send failure from leaving it unhandled
    // Protocol §6: login has no signed header; params is a JSON string.
    channel.send(JSON.stringify({ session_id: sessionId, request_id: requestId, method: 'auth:login', params: JSON.stringify({ token }) }));
    await answer;
    signal.throwIfAborted();
    this.#sessions.set(channel.generation, sessionId);
  }

  #request(method: OrderMethod, params: string, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new TransientError(`${method} abandoned before send`, { cause: signal.reason }));
        return;
      }
      const generation = this.#connection.activeGeneration;
      const sessionId = generation === null ? undefined : this.#sessions.get(generation);
      if (sessionId === undefined) {
        reject(new TransientError(`${method} not sent: ws-api not connected`));
        return;
      }
      const requestId = this.#uuid();
      // Two fresh uuids, as EB and CLI do (protocol §6); replies carry the envelope request_id.
      const signed = signRequest(this.#options.signer, this.#uuid(), this.#options.clock.now(), params);
      const frame = encodeRequestFrame(sessionId, requestId, method, signed, params);
      let writtenOn: number;
      try {
        writtenOn = this.#connection.send(frame);
      } catch (error) {
        reject(error instanceof TransientError ? error : new TransientError(`${method} not sent`, { cause: error }));
        return;
      }
      const writtenAtMs = this.#options.clock.monotonic();
      this.#probe.orderFrameOut(method, writtenAtMs);
      const entry: Pending = { method, params, generation: writtenOn, writtenAtMs, resolve, reject, timer: undefined, detachSignal: () => undefined };
      this.#pending.set(requestId, entry);
      const timeoutMs = this.#options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      entry.timer = startTimeout(() => {
        this.#settle(requestId, new OutcomeUnknownError(`${method} ${requestId}: no reply within ${timeoutMs} ms`));
        this.#connection.suspect(`${method} got no reply within ${timeoutMs} ms`);
      }, timeoutMs);
      entry.detachSignal = onAbort(signal, (reason) =>
        this.#settle(requestId, new OutcomeUnknownError(`${method} ${requestId}: abandoned after send`, { cause: reason })),
      );
    });
  }


  #settle(requestId: string, error?: Error): void {
    const entry = this.#pending.get(requestId);
    if (!entry) return;
    this.#pending.delete(requestId);
    cancel(entry.timer);
    entry.detachSignal();
    this.#settled.set(requestId, { method: entry.method, params: entry.params });
    const outcome = !error ? 'accepted' : error instanceof OutcomeUnknownError ? 'unknown' : 'rejected';
    this.#probe.requestSettled(entry.method, this.#options.clock.monotonic() - entry.writtenAtMs, outcome);
    if (this.#settled.size > SETTLED_MEMORY) {
      const oldest = this.#settled.keys().next();
      if (!oldest.done) this.#settled.delete(oldest.value);
    }
    if (error) entry.reject(error);
    else entry.resolve();
    for (const check of this.#drainWaiters) check();
  }

  #onFrame(text: string): void {
    const { values, malformed } = parseFrame(text);
    if (malformed > 0) this.#log.debug({ frame: text.slice(0, 200) }, 'ws-api malformed frame ignored');
    for (const value of values) {
      const parsed = ackWire.safeParse(value);
      const requestId = parsed.success ? parsed.data.request_id : undefined;
      if (!parsed.success || requestId === undefined) {
        this.#log.debug({ frame: text.slice(0, 200) }, 'ws-api unknown frame ignored');
        continue;
      }
      const { code, message } = parsed.data;
      if (this.#pending.has(requestId)) {
        this.#settle(requestId, code === 0 ? undefined : wsApiReplyError(code, message));
        continue;
      }
      const sent = this.#settled.get(requestId);
      if (sent === undefined) {
        this.#log.debug({ requestId, code }, 'ws-api reply for an unknown request ignored');
        continue;
      }
      // Protocol §6: an accepted ack can be followed by a terminal frame (ALO rejected, cancel
      // refused because the order filled). The order channel and REST are the truth; report it.
      this.#log.info({ requestId, method: sent.method, code, message }, 'ws-api late reply');
      try {
        this.emit('lateReply', { requestId, method: sent.method, code, message, params: sent.params });
      } catch (error) {
        this.#log.error({ err: error }, 'lateReply listener threw');
      }
    }
  }

  #onSocketClosed(generation: number, reason: string): void {
    this.#sessions.delete(generation);
    for (const [requestId, entry] of this.#pending) {
      if (entry.generation !== generation) continue;
      this.#settle(requestId, new OutcomeUnknownError(`${entry.method} ${requestId}: connection lost after send (${reason})`));
    }
  }

  #hasPendingOn(generation: number): boolean {
    for (const entry of this.#pending.values()) if (entry.generation === generation) return true;
    return false;
  }

  #drained(generation: number, signal: AbortSignal): Promise<void> {
    if (!this.#hasPendingOn(generation)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.#drainWaiters.delete(check);
        detach();
        resolve();
      };
      const check = (): void => {
        if (!this.#hasPendingOn(generation)) done();
      };
      this.#drainWaiters.add(check);
      const detach = onAbort(signal, done);
    });
  }
}

/**
 * The login ack is matched on its request_id. [I] protocol §10.3: an ack without request_id on a
 * fresh session can only be the login's, so it is accepted too.
 */
function matchLoginAnswer(text: string, requestId: string): true | undefined {
  for (const value of parseFrame(text).values) {
    const parsed = ackWire.safeParse(value);
    if (!parsed.success) continue;
    if (parsed.data.request_id !== undefined && parsed.data.request_id !== requestId) continue;
    const outcome = classifyLogin(parsed.data.code, parsed.data.message);
    if (outcome !== 'ok') throw outcome;
    return true;
  }
  return undefined;
}
