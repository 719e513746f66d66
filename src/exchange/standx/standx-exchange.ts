// StandX behind the engine's Exchange interface: REST for reads and fallbacks, ws-stream for the
// book, mark and account pushes, ws-api for order commands. Owns the wiring between the auth
// session and both sockets (a renewed token re-authenticates them without a gap).

import { EventEmitter } from 'node:events';
import type { Balance, NewOrderRequest, Order, OrderRef, Position, SymbolSpec } from '../../domain/types.js';
import type { Clock } from '../../ops/clock.js';
import type { Log } from '../../ops/log.js';
import type { Probe } from '../../ops/probe.js';
import { AuthError, ConfigError, ShutdownError } from '../../errors.js';
import type { Exchange, ExchangeEvents, StreamName, StreamStatus } from '../exchange.js';
import type { AuthSession } from './auth.js';
import { encodeCancel, encodeCancelMany, encodeNewOrder, flatPosition, toBalance, toOrder, toPosition, toSymbolSpec } from './codec.js';
import type { StandXEndpoints } from './endpoints.js';
import type { StandXHttpClient } from './http.js';
import { rejection } from './reply-classification.js';
import { MarketStream } from './market-stream.js';
import { OrderStream, type LateReply } from './order-stream.js';
import type { WsTuning } from './ws-connection.js';

export interface StandXExchangeOptions {
  readonly endpoints: StandXEndpoints;
  readonly auth: AuthSession;
  /** Already bound to `auth`. */
  readonly http: StandXHttpClient;
  readonly clock: Clock;
  readonly logger: Log;
  readonly orderAckTimeoutMs: number;
  readonly wsTuning?: WsTuning;
  readonly probe?: Probe;
}

const STREAMS: readonly StreamName[] = ['market', 'account', 'orders'];

/** Loads the symbol's trading rules; a missing or disabled symbol is a configuration problem. */
export async function loadSymbolSpec(http: StandXHttpClient, symbol: string, signal?: AbortSignal): Promise<SymbolSpec> {
  const infos = await http.querySymbolInfo(symbol, signal);
  const info = infos.find((candidate) => candidate.symbol === symbol);
  if (!info) throw new ConfigError([`MARKET_MAKER_SYMBOL: ${symbol} is not listed by the exchange`]);
  const spec = toSymbolSpec(info);
  if (!spec.enabled) throw new ConfigError([`MARKET_MAKER_SYMBOL: ${symbol} is not enabled for trading`]);
  return spec;
}

export class StandXExchange extends EventEmitter<ExchangeEvents> implements Exchange {
  readonly spec: SymbolSpec;
  readonly #o: StandXExchangeOptions;
  readonly #market: MarketStream;
  readonly #orders: OrderStream;
  readonly #up = new Map<StreamName, boolean>(STREAMS.map((stream) => [stream, false]));
  readonly #onToken = (_token: string, expiresAtMs: number | null): void => this.#renewed(expiresAtMs);
  readonly #onAuthFailure = (error: Error): void => {
    this.emit('authFailure', error);
  };
  #isClosed = false;

  constructor(spec: SymbolSpec, options: StandXExchangeOptions) {
    super();
    this.spec = spec;
    this.#o = options;
    const token = (): string | null => safeToken(options.auth);
    const common = {
      clock: options.clock,
      logger: options.logger,
      ...(options.wsTuning ? { tuning: options.wsTuning } : {}),
      ...(options.probe ? { probe: options.probe } : {}),
    };
    this.#market = new MarketStream({ ...common, url: options.endpoints.wsStreamUrl, spec, token });
    this.#orders = new OrderStream({
      ...common,
      url: options.endpoints.wsApiUrl,
      token,
      signer: options.auth.signer,
      requestTimeoutMs: options.orderAckTimeoutMs,
    });
    this.#wire();
  }

  #wire(): void {
    const market = this.#market;
    market.on('book', (book) => this.emit('book', book));
    market.on('mark', (mark) => this.emit('mark', mark));
    market.on('order', (order) => {
      if (order.symbol === this.spec.symbol) this.emit('order', order);
    });
    market.on('position', (position) => {
      if (position.symbol === this.spec.symbol) this.emit('position', position);
    });
    market.on('status', (status) => this.#onStatus(status));
    this.#orders.on('status', (status) => this.#onStatus(status));
    market.on('authFailure', this.#onAuthFailure);
    this.#orders.on('authFailure', this.#onAuthFailure);
    this.#orders.on('lateReply', (reply) => this.#onLateReply(reply));
    this.#o.auth.on('token', this.#onToken);
    this.#o.auth.on('authFailure', this.#onAuthFailure);
  }

  /** Starts both sockets; resolves once all streams are up, or rejects with AuthError. Slow links are left to the loop. */
  async connect(timeoutMs: number): Promise<void> {
    this.#market.start();
    this.#orders.start();
    this.emit('tokenExpiry', this.#o.auth.expiresAtMs());
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(done, timeoutMs);
      const onStatus = (): void => {
        if (this.isReady()) done();
      };
      const onFailure = (error: Error): void => done(error);
      function done(this: void, error?: Error): void {
        clearTimeout(timer);
        cleanup();
        if (error) reject(error instanceof AuthError ? error : new AuthError('authentication refused', { cause: error }));
        else resolve();
      }
      const cleanup = (): void => {
        this.off('status', onStatus);
        this.off('authFailure', onFailure);
      };
      this.on('status', onStatus);
      this.on('authFailure', onFailure);
      onStatus();
    });
  }

  isReady(): boolean {
    return !this.#isClosed && STREAMS.every((stream) => this.#up.get(stream));
  }

  async placeOrder(request: NewOrderRequest, signal?: AbortSignal): Promise<void> {
    if (this.#isClosed) throw new ShutdownError();
    const body = encodeNewOrder(request, this.spec);
    if (this.#orders.isReady()) await this.#orders.newOrder(body, signal);
    else await this.#o.http.newOrder(body, signal ? { signal } : {});
  }

  async cancelOrder(ref: OrderRef, signal?: AbortSignal): Promise<void> {
    const body = encodeCancel(ref);
    if (this.#orders.isReady()) await this.#orders.cancelOrder(body, signal);
    else await this.#o.http.cancelOrder(body, signal ? { signal } : {});
  }

  async cancelOrders(refs: readonly OrderRef[], signal?: AbortSignal): Promise<void> {
    if (refs.length === 0) return;
    await this.#o.http.cancelOrders(encodeCancelMany(refs), signal ? { signal } : {});
  }

  async openOrders(signal?: AbortSignal): Promise<Order[]> {
    const wires = await this.#o.http.queryOpenOrders(this.spec.symbol, signal);
    return wires.filter((wire) => wire.symbol === this.spec.symbol).map((wire) => toOrder(wire, this.spec));
  }

  async position(signal?: AbortSignal): Promise<Position> {
    const wires = await this.#o.http.queryPositions(this.spec.symbol, signal);
    const wire = wires.find((candidate) => candidate.symbol === this.spec.symbol);
    return wire ? toPosition(wire, this.spec) : flatPosition(this.spec.symbol);
  }

  async balance(signal?: AbortSignal): Promise<Balance> {
    return toBalance(await this.#o.http.queryBalance(signal));
  }

  /** Closes both sockets (pending order requests become outcome-unknown) and detaches from the session. */
  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#o.auth.off('token', this.#onToken);
    this.#o.auth.off('authFailure', this.#onAuthFailure);
    this.#orders.close();
    this.#market.close();
  }

  #onStatus(status: StreamStatus): void {
    if (this.#up.get(status.stream) === status.up) return;
    this.#up.set(status.stream, status.up);
    this.emit('status', status);
  }

  #renewed(expiresAtMs: number | null): void {
    this.emit('tokenExpiry', expiresAtMs);
    if (this.#isClosed) return;
    // Make before break: each stream logs in on a new socket with the new token, then drops the old one.
    this.#market.reauthenticate();
    this.#orders.reauthenticate();
  }

  #onLateReply(reply: LateReply): void {
    if (reply.code === 0) return;
    const error = rejection(reply.code, reply.message);
    this.emit('lateReject', {
      action: reply.method === 'order:new' ? 'place' : 'cancel',
      clOrdId: clientIdOf(reply.params),
      error,
    });
  }
}

function safeToken(auth: AuthSession): string | null {
  try {
    return auth.token();
  } catch {
    return null;
  }
}

function clientIdOf(params: string | undefined): string | null {
  if (!params) return null;
  try {
    const parsed = JSON.parse(params) as { cl_ord_id?: unknown };
    return typeof parsed.cl_ord_id === 'string' ? parsed.cl_ord_id : null;
  } catch {
    return null;
  }
}
