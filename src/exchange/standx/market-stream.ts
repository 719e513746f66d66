// ws-stream/v1 (protocol §5): public depth_book + price for one symbol and, with a token, the
// account's order / position / balance pushes. Owns the desired subscriptions (replayed on every
// connection), parses each frame once and emits typed events.

import { EventEmitter } from 'node:events';
import type { Book, MarkPrice, Order, Position, SymbolSpec } from '../../domain/types.js';
import type { Clock } from '../../ops/clock.js';
import { silentLog, type Log } from '../../ops/log.js';
import { nullProbe, type Probe } from '../../ops/probe.js';
import { AuthError, TransientError } from '../../errors.js';
import type { StreamName, StreamStatus } from '../exchange.js';
import {
  balancePushWire,
  depthBookWire,
  orderWire,
  parseWire,
  positionWire,
  streamAuthWire,
  streamPushWire,
  symbolPriceWire,
  toBook,
  toMarkPrice,
  toOrder,
  toPosition,
} from './codec.js';
import { WsConnection, type WsTuning } from './ws-connection.js';
import type { HandshakeChannel } from './ws-link.js';
import { parseFrame } from './ws-frames.js';

/** The ws `balance` push is a wallet view (token, free, total, locked, …), not REST query_balance (§5). */
export type StreamBalance = Readonly<Record<string, unknown>>;

export interface MarketStreamOptions {
  readonly url: string;
  readonly spec: SymbolSpec;
  /** Read on every handshake, so a renewed token is picked up. Null = public channels only. */
  readonly token: () => string | null;
  readonly clock: Clock;
  readonly logger?: Log;
  readonly probe?: Probe;
  readonly tuning?: WsTuning;
}

/**
 * A live market socket is never quiet: depth moves about every 250 ms, mark comes every ~3 s, and the
 * server must answer each client ping (RFC 6455 requires a Pong for every Ping). A second of silence
 * after a ping is unusual, two mean a replacement is readied before the stale-mid timeout cancels
 * the quotes (MARKET_STALE_MS, 3 s), six mean the socket is dead (protocol §5: server pings every 10 s).
 */
export const MARKET_LIVENESS = { pingIntervalMs: 1_000, suspectAfterMs: 2_000, idleTimeoutMs: 6_000 } as const;

export type MarketStreamEvents = {
  book: [book: Book];
  mark: [mark: MarkPrice];
  order: [order: Order];
  position: [position: Position];
  balance: [balance: StreamBalance];
  /** 'market' for the public feed; 'account' for the private pushes when a token is used. */
  status: [status: StreamStatus];
  authFailure: [error: Error];
};

export interface MarketStreamStats {
  /** depth_book pushes without a usable mid (crossed or one-sided), dropped. */
  readonly droppedBooks: number;
  readonly malformedFrames: number;
  readonly ignoredFrames: number;
}

type Delivery = (() => void) | undefined;

const PRIVATE_CHANNELS = ['order', 'position', 'balance'] as const;

/**
 * Protocol §5 / §10.10: public subscribes need no auth and go first, so the mid flows even if
 * auth is slow. Private channels ride in the auth message's `streams` (D-WS) and, once the auth
 * ack arrived (as RIT waits), are also subscribed explicitly (as EB does, live-tested): a
 * duplicated order/position/balance push is a harmless snapshot, a missing one is not.
 */
const SUBSCRIBE_PRIVATE_EXPLICITLY_AFTER_AUTH = true;

/**
 * Protocol §5: auth answers `{"channel":"auth","data":{"code":200,"msg":"success"}}`; 0 is also
 * accepted (CLI, RIT). [I] 429 and 5xx are the server's trouble, not ours: retried, not fatal.
 */
export function classifyStreamAuth(code: number, message: string): 'ok' | Error {
  if (code === 200 || code === 0) return 'ok';
  if (code === 429 || code >= 500) return new TransientError(`stream auth unavailable (${code}): ${message}`);
  return new AuthError(`stream auth refused (${code}): ${message}`);
}

export class MarketStream extends EventEmitter<MarketStreamEvents> {
  readonly #options: MarketStreamOptions;
  readonly #log: Log;
  readonly #connection: WsConnection;
  /** Generations whose handshake authenticated. */
  readonly #authenticated = new Set<number>();
  #accountUp = false;
  #lastBookAtMs: number | null = null;
  #droppedBooks = 0;
  #malformedFrames = 0;
  #ignoredFrames = 0;

  constructor(options: MarketStreamOptions) {
    super();
    this.#options = options;
    this.#log = options.logger ?? silentLog;
    this.#connection = new WsConnection({
      ...MARKET_LIVENESS,
      ...options.tuning,
      name: 'ws-stream',
      url: options.url,
      clock: options.clock,
      logger: this.#log,
      ...(options.probe ? { probe: options.probe } : {}),
      handshake: (channel, signal) => this.#handshake(channel, signal),
    });
    this.#connection.on('ready', ({ generation, rotated }) => this.#onReady(generation, rotated));
    this.#connection.on('down', (reason) => this.#onDown(reason));
    this.#connection.on('message', (data) => this.#onFrame(data));
    this.#connection.on('socketClosed', (generation) => this.#authenticated.delete(generation));
    this.#connection.on('fatal', (error) => this.emit('authFailure', error));
  }

  start(): void {
    this.#connection.start();
  }

  close(): void {
    this.#connection.close();
  }

  /** After a token renewal: a new socket authenticates with the current token before the old closes. */
  reauthenticate(): void {
    this.#connection.rotate();
  }

  isUp(): boolean {
    return this.#connection.isReady();
  }

  /** Receive time (clock.now) of the last usable book; null before the first. */
  get lastBookAtMs(): number | null {
    return this.#lastBookAtMs;
  }

  /** Monotonic time the frame being handled (or the last one) came off the socket, before parsing. */

  get stats(): MarketStreamStats {
    return { droppedBooks: this.#droppedBooks, malformedFrames: this.#malformedFrames, ignoredFrames: this.#ignoredFrames };
  }

  /** The desired subscriptions, replayed on every connection. */
  #publicSubscriptions(): object[] {
    const symbol = this.#options.spec.symbol;
    return [{ subscribe: { channel: 'depth_book', symbol } }, { subscribe: { channel: 'price', symbol } }];
  }

  async #handshake(channel: HandshakeChannel, signal: AbortSignal): Promise<void> {
    for (const message of this.#publicSubscriptions()) channel.send(JSON.stringify(message));
    const token = this.#options.token();
    if (token === null) return;
    const answer = channel.waitFor(matchAuthAnswer);
    answer.catch(() => undefined); // awaited below; keeps an early send failure from leaving it unhandled
    channel.send(JSON.stringify({ auth: { token, streams: PRIVATE_CHANNELS.map((name) => ({ channel: name })) } }));
    await answer;
    signal.throwIfAborted();
    if (SUBSCRIBE_PRIVATE_EXPLICITLY_AFTER_AUTH) {
      for (const name of PRIVATE_CHANNELS) channel.send(JSON.stringify({ subscribe: { channel: name } }));
    }
    this.#authenticated.add(channel.generation);
  }

  #onReady(generation: number, rotated: boolean): void {
    if (!rotated) this.#emitStatus('market', true);
    const accountUp = this.#authenticated.has(generation);
    if (accountUp !== this.#accountUp) {
      this.#accountUp = accountUp;
      this.#emitStatus('account', accountUp);
    }
  }

  #onDown(reason: string): void {
    this.#emitStatus('market', false, reason);
    if (this.#accountUp) {
      this.#accountUp = false;
      this.#emitStatus('account', false, reason);
    }
  }

  #emitStatus(stream: StreamName, up: boolean, reason?: string): void {
    this.emit('status', reason === undefined ? { stream, up } : { stream, up, reason });
  }

  #onFrame(text: string): void {
    const arrivedAtMs = this.#options.clock.monotonic();
    const receivedAtMs = this.#options.clock.now();
    const { values, malformed } = parseFrame(text);
    if (malformed > 0) {
      this.#malformedFrames += malformed;
      this.#log.debug({ frame: text.slice(0, 200) }, 'ws-stream malformed frame ignored');
    }
    for (const value of values) {
      const push = streamPushWire.safeParse(value);
      if (!push.success) {
        this.#ignoredFrames += 1;
        this.#log.debug({ frame: text.slice(0, 200) }, 'ws-stream unknown frame ignored');
        continue;
      }
      const items = Array.isArray(push.data.data) ? (push.data.data as unknown[]) : [push.data.data];
      for (const item of items) {
        let deliver: Delivery;
        try {
          deliver = this.#decode(push.data.channel, item, receivedAtMs, arrivedAtMs);
        } catch (error) {
          this.#malformedFrames += 1;
          this.#log.debug({ channel: push.data.channel, err: error }, 'ws-stream malformed push ignored');
          continue;
        }
        try {
          deliver?.();
        } catch (error) {
          // A listener's bug must neither pass for a bad frame nor stop the frames that follow.
          this.#log.error({ channel: push.data.channel, err: error }, 'ws-stream listener threw');
        }
      }
    }
  }

  /** From the frame's arrival, so that parsing and validation count in the tick-to-order time. */
  #emitBook(book: Book, arrivedAtMs: number): void {
    const probe = this.#options.probe ?? nullProbe;
    probe.depthFrameIn(arrivedAtMs);
    try {
      this.emit('book', book);
    } finally {
      probe.depthFrameDone();
    }
  }

  /** Parses one push; returns how to emit it (undefined: nothing to emit). Throws on a malformed push. */
  #decode(channel: string, data: unknown, receivedAtMs: number, arrivedAtMs: number): Delivery {
    const spec = this.#options.spec;
    switch (channel) {
      case 'depth_book': {
        const wire = parseWire(depthBookWire, data, 'depth_book push');
        if (wire.symbol !== spec.symbol) return this.#ignore(channel, wire.symbol);
        const book = toBook(wire, spec, receivedAtMs);
        if (book === null) {
          this.#droppedBooks += 1;
          this.#log.debug({ droppedBooks: this.#droppedBooks }, 'crossed or one-sided book dropped');
          return undefined;
        }
        this.#lastBookAtMs = receivedAtMs;
        return () => this.#emitBook(book, arrivedAtMs);
      }
      case 'price': {
        const wire = parseWire(symbolPriceWire, data, 'price push');
        if (wire.symbol !== spec.symbol) return this.#ignore(channel, wire.symbol);
        const mark = toMarkPrice(wire, spec, receivedAtMs);
        return mark ? () => this.emit('mark', mark) : undefined;
      }
      case 'order': {
        const wire = parseWire(orderWire, data, 'order push');
        if (wire.symbol !== spec.symbol) return this.#ignore(channel, wire.symbol);
        const order = toOrder(wire, spec);
        return () => this.emit('order', order);
      }
      case 'position': {
        const wire = parseWire(positionWire, data, 'position push');
        if (wire.symbol !== spec.symbol) return this.#ignore(channel, wire.symbol);
        const position = toPosition(wire, spec);
        return () => this.emit('position', position);
      }
      case 'balance': {
        const balance = parseWire(balancePushWire, data, 'balance push');
        return () => this.emit('balance', balance);
      }
      default:
        this.#ignoredFrames += 1;
        this.#log.debug({ channel }, 'ws-stream push on an unhandled channel ignored');
        return undefined;
    }
  }

  #ignore(channel: string, symbol: string): undefined {
    this.#ignoredFrames += 1;
    this.#log.debug({ channel, symbol }, 'ws-stream push for another symbol ignored');
  }
}

/** The handshake's matcher: true on a successful auth answer, throws on a refusal, else undefined. */
function matchAuthAnswer(text: string): true | undefined {
  if (!text.includes('"auth"')) return undefined;
  for (const value of parseFrame(text).values) {
    const push = streamPushWire.safeParse(value);
    if (!push.success || push.data.channel !== 'auth') continue;
    const answer = parseWire(streamAuthWire, push.data.data, 'auth answer');
    const outcome = classifyStreamAuth(answer.code, answer.msg ?? '');
    if (outcome !== 'ok') throw outcome;
    return true;
  }
  return undefined;
}
