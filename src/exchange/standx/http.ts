// StandX REST client (protocol §2.1, §3, §4): public and Bearer queries with retry, signed order
// writes sent once, the two sign-in calls and the server time. Answers are the zod-parsed wire
// objects of codec.ts; failures are the classes of ../errors.ts, mapped in reply-classification.ts.

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { systemClock, type Clock } from '../../ops/clock.js';
import { afterTimeout, onAbort } from '../../ops/abort.js';
import type { Log } from '../../ops/log.js';
import { AuthError, TransientError } from '../../errors.js';
import type { RandomSource } from '../../domain/random.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';
import {
  ackWire,
  balanceWire,
  depthBookWire,
  orderWire,
  parseWire,
  positionWire,
  symbolInfoListWire,
  symbolPriceWire,
  type AckWire,
  type DepthBookWire,
  type OrderWire,
  type PositionWire,
  type SymbolInfoWire,
  type SymbolPriceWire,
} from './codec.js';
import { DEFAULT_ENDPOINTS, PATHS, SIGNIN_CHAIN, type StandXEndpoints } from './endpoints.js';
import { parseMakerUptime, type ExchangeUptime } from './maker-uptime.js';
import { createNodeFetch, type HttpFetch, type HttpRequestInit } from './http-transport.js';
import { abortError, interpretAnswer, isBalanceNotFound, transportFailure, type RequestKind } from './reply-classification.js';
import { signRequest, type Ed25519Signer } from './signing.js';

export type BalanceWire = z.infer<typeof balanceWire>;

/** What authenticated calls need from the session (auth.ts). */
export interface HttpAuth {
  token(): string;
  readonly signer: Ed25519Signer;
}

export interface StandXHttpOptions {
  readonly endpoints?: StandXEndpoints;
  /** Required for Bearer queries and signed writes; public queries and sign-in work without it. */
  readonly auth?: HttpAuth;
  readonly fetch?: HttpFetch;
  readonly clock?: Clock;
  /** Jitter source for read retries. */
  readonly random?: RandomSource;
  /** x-request-id generator (UUID v4, protocol §3). */
  readonly newUuid?: () => string;
  /** Per attempt, covering the whole answer body. Default 10 s. */
  readonly readTimeoutMs?: number;
  readonly writeTimeoutMs?: number;
  /** Total attempts of a read on TransientError (1 = no retry). Default 3. */
  readonly readAttempts?: number;
  readonly readBackoff?: BackoffPolicy;
  readonly logger?: Log;
}

export interface WriteOptions {
  /** `x-session-id`: route the async result to the ws-api connection with this session_id (protocol §3). */
  readonly sessionId?: string;
  readonly signal?: AbortSignal;
}

interface Call {
  readonly kind: RequestKind;
  readonly what: string;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal: AbortSignal | undefined;
}

interface Answer {
  readonly status: number;
  readonly text: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_READ_ATTEMPTS = 3;
const DEFAULT_READ_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 4_000 };

/** What an unfunded account's balance is (protocol §4: 404 "user balance not found"). */
const ZERO_BALANCE: BalanceWire = Object.freeze({
  isolated_balance: '0',
  isolated_upnl: '0',
  cross_balance: '0',
  cross_margin: '0',
  cross_upnl: '0',
  locked: '0',
  cross_available: '0',
  balance: '0',
  upnl: '0',
  equity: '0',
  pnl_freeze: '0',
});

// Paged answers; `result` is read defensively as possibly null when empty [I].
const openOrdersWire = z.looseObject({ result: z.array(orderWire).nullable() });
const positionsWire = z.array(positionWire).nullable();
const regionWire = z.looseObject({ systemTime: z.number().int().positive() });
const klineTimeWire = z.number().int().positive();
const cancelOrdersWire = z.union([z.array(z.unknown()), ackWire]);
const prepareSigninWire = z.looseObject({ success: z.literal(true), signedData: z.string().min(1) });
const loginWire = z.looseObject({ token: z.string().min(1), address: z.string().optional() });

export interface LoginAnswer {
  readonly token: string;
  readonly address: string | undefined;
}

export class StandXHttpClient {
  readonly #options: StandXHttpOptions;
  readonly #endpoints: StandXEndpoints;
  readonly #fetch: HttpFetch;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #newUuid: () => string;

  constructor(options: StandXHttpOptions = {}) {
    this.#options = options;
    this.#endpoints = options.endpoints ?? DEFAULT_ENDPOINTS;
    this.#fetch = options.fetch ?? createNodeFetch();
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#newUuid = options.newUuid ?? randomUUID;
  }

  /** The same client with a session: lets auth.ts sign in through a client without one first. */
  withAuth(auth: HttpAuth): StandXHttpClient {
    return new StandXHttpClient({ ...this.#options, auth });
  }

  // ---- public queries -------------------------------------------------------------------------

  /** All symbols when `symbol` is omitted (protocol §4, §10.12). */
  async querySymbolInfo(symbol?: string, signal?: AbortSignal): Promise<SymbolInfoWire[]> {
    const body = await this.#get(PATHS.querySymbolInfo, symbol === undefined ? {} : { symbol }, false, signal);
    return parseWire(symbolInfoListWire, body, 'query_symbol_info answer');
  }

  async querySymbolPrice(symbol: string, signal?: AbortSignal): Promise<SymbolPriceWire> {
    const body = await this.#get(PATHS.querySymbolPrice, { symbol }, false, signal);
    return parseWire(symbolPriceWire, body, 'query_symbol_price answer');
  }

  /** Levels as received (unsorted, protocol §4); codec.toBook sorts them. */
  async queryDepthBook(symbol: string, signal?: AbortSignal): Promise<DepthBookWire> {
    const body = await this.#get(PATHS.queryDepthBook, { symbol }, false, signal);
    return parseWire(depthBookWire, body, 'query_depth_book answer');
  }

  /** `GET {geoBase}/v1/region` → `systemTime` (epoch ms, protocol §1). */
  async serverTimeMs(signal?: AbortSignal): Promise<number> {
    const url = `${this.#endpoints.geoBase}${PATHS.region}`;
    const body = await this.#read(this.#call('read', 'region', 'GET', url, {}, undefined, signal), (answer) =>
      interpretAnswer('region', answer.status, answer.text),
    );
    return parseWire(regionWire, body, 'region answer').systemTime;
  }

  /** `GET {apiBase}/api/kline/time` → Unix seconds (protocol §1): the API host's clock, to ±1 s. */
  async apiServerTimeS(signal?: AbortSignal): Promise<number> {
    const body = await this.#get(PATHS.klineTime, {}, false, signal);
    return parseWire(klineTimeWire, body, 'kline/time answer');
  }

  // ---- Bearer queries -------------------------------------------------------------------------

  /** `{page_size, result, total}` → result (protocol §4). */
  async queryOpenOrders(symbol: string, signal?: AbortSignal): Promise<OrderWire[]> {
    const body = await this.#get(PATHS.queryOpenOrders, { symbol }, true, signal);
    return parseWire(openOrdersWire, body, 'query_open_orders answer').result ?? [];
  }

  /** A bare array; `qty` is signed (protocol §4). */
  async queryPositions(symbol: string, signal?: AbortSignal): Promise<PositionWire[]> {
    const body = await this.#get(PATHS.queryPositions, { symbol }, true, signal);
    return parseWire(positionsWire, body, 'query_positions answer') ?? [];
  }

  /** An unfunded account (404 "user balance not found") reads as all zero (protocol §4). */
  async queryBalance(signal?: AbortSignal): Promise<BalanceWire> {
    const url = this.#apiUrl(PATHS.queryBalance, {});
    const call = this.#call('read', 'query_balance', 'GET', url, this.#bearer(), undefined, signal);
    return this.#read(call, (answer) =>
      isBalanceNotFound(answer.status, answer.text)
        ? { ...ZERO_BALANCE }
        : parseWire(balanceWire, interpretAnswer('query_balance', answer.status, answer.text), 'query_balance answer'),
    );
  }

  /**
   * The account's uptime record (protocol §12). Peers sign it over an empty body besides the Bearer
   * token; a signature is harmless on a read (§3), so it is sent the same way.
   */
  async queryMakerUptime(signal?: AbortSignal): Promise<ExchangeUptime> {
    const headers = { ...this.#bearer(), ...signRequest(this.#requireAuth().signer, this.#newUuid(), this.#clock.now(), '') };
    const call = this.#call('read', 'maker_uptime', 'GET', this.#apiUrl(PATHS.makerUptime, {}), headers, undefined, signal);
    return parseMakerUptime(await this.#read(call, (answer) => interpretAnswer('maker_uptime', answer.status, answer.text)));
  }

  // ---- signed writes (sent once, never retried) -----------------------------------------------

  /** `body` is sent byte for byte as signed (codec.encodeNewOrder). `code 0` means submitted only. */
  async newOrder(body: string, options: WriteOptions = {}): Promise<AckWire> {
    const answer = await this.#signedPost(PATHS.newOrder, 'new_order', body, options);
    return parseWire(ackWire, answer, 'new_order answer');
  }

  async cancelOrder(body: string, options: WriteOptions = {}): Promise<AckWire> {
    const answer = await this.#signedPost(PATHS.cancelOrder, 'cancel_order', body, options);
    return parseWire(ackWire, answer, 'cancel_order answer');
  }

  /** Answers `[]`; asynchronous on the exchange side, so confirm with queryOpenOrders (protocol §4). */
  async cancelOrders(body: string, options: WriteOptions = {}): Promise<void> {
    const answer = await this.#signedPost(PATHS.cancelOrders, 'cancel_orders', body, options);
    parseWire(cancelOrdersWire, answer, 'cancel_orders answer');
  }

  // ---- wallet sign-in (protocol §2.1; used by auth.ts) ------------------------------------------

  /** Step 2: returns `signedData`. `success != true` or no `signedData` → AuthError. */
  async prepareSignin(address: string, requestId: string, signal?: AbortSignal): Promise<string> {
    const body = await this.#signin(PATHS.prepareSignin, 'prepare-signin', { address, requestId }, signal);
    const parsed = prepareSigninWire.safeParse(body);
    if (!parsed.success) throw new AuthError('prepare-signin refused: no signedData in the answer');
    return parsed.data.signedData;
  }

  /** Step 5: returns the access token. An answer without `token` → AuthError. */
  async login(signature: string, signedData: string, expiresSeconds: number, signal?: AbortSignal): Promise<LoginAnswer> {
    const body = await this.#signin(PATHS.login, 'login', { signature, signedData, expiresSeconds }, signal);
    const parsed = loginWire.safeParse(body);
    if (!parsed.success) throw new AuthError('login refused: no token in the answer');
    return { token: parsed.data.token, address: parsed.data.address };
  }

  // ---- plumbing -------------------------------------------------------------------------------

  #apiUrl(path: string, query: Record<string, string>): string {
    const search = new URLSearchParams(query).toString();
    return `${this.#endpoints.apiBase}${path}${search === '' ? '' : `?${search}`}`;
  }

  #requireAuth(): HttpAuth {
    if (!this.#options.auth) throw new TypeError('this StandX call needs a session (StandXHttpClient.withAuth)');
    return this.#options.auth;
  }

  /** Queries carry the Bearer token only, no body signature (protocol §3). */
  #bearer(): Record<string, string> {
    return { authorization: `Bearer ${this.#requireAuth().token()}` };
  }

  #call(
    kind: RequestKind,
    what: string,
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Call {
    return body === undefined
      ? { kind, what, method, url, headers, signal }
      : { kind, what, method, url, headers, body, signal };
  }

  async #get(path: string, query: Record<string, string>, bearer: boolean, signal?: AbortSignal): Promise<unknown> {
    const what = path.slice(path.lastIndexOf('/') + 1);
    const call = this.#call('read', what, 'GET', this.#apiUrl(path, query), bearer ? this.#bearer() : {}, undefined, signal);
    return this.#read(call, (answer) => interpretAnswer(what, answer.status, answer.text));
  }

  async #signedPost(path: string, what: string, body: string, options: WriteOptions): Promise<unknown> {
    const auth = this.#requireAuth();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      authorization: `Bearer ${auth.token()}`,
      ...signRequest(auth.signer, this.#newUuid(), this.#clock.now(), body),
    };
    if (options.sessionId !== undefined) headers['x-session-id'] = options.sessionId;
    const answer = await this.#attempt(this.#call('write', what, 'POST', this.#apiUrl(path, {}), headers, body, options.signal));
    return interpretAnswer(what, answer.status, answer.text);
  }

  async #signin(path: string, what: string, payload: object, signal?: AbortSignal): Promise<unknown> {
    const url = `${this.#endpoints.authBase}${path}?${new URLSearchParams({ chain: SIGNIN_CHAIN }).toString()}`;
    const headers = { 'content-type': 'application/json' };
    const answer = await this.#attempt(this.#call('signin', what, 'POST', url, headers, JSON.stringify(payload), signal));
    return interpretAnswer(what, answer.status, answer.text);
  }

  /** A read with retries on TransientError: capped full-jitter backoff, cut short by the signal. */
  async #read<T>(call: Call, decode: (answer: Answer) => T): Promise<T> {
    const attempts = Math.max(1, this.#options.readAttempts ?? DEFAULT_READ_ATTEMPTS);
    const policy = this.#options.readBackoff ?? DEFAULT_READ_BACKOFF;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return decode(await this.#attempt(call));
      } catch (error) {
        if (!(error instanceof TransientError) || attempt + 1 >= attempts) throw error;
        const delayMs = backoffDelayMs(attempt, policy, this.#random);
        this.#options.logger?.warn({ request: call.what, attempt: attempt + 1, delayMs, err: error.message }, 'StandX read failed, retrying');
        try {
          await this.#clock.sleep(delayMs, call.signal);
        } catch (sleepError) {
          throw call.signal?.aborted ? abortError(call.signal) : sleepError;
        }
      }
    }
  }

  /** One HTTP exchange under its own timeout and the caller's signal; listeners removed in finally. */
  async #attempt(call: Call): Promise<Answer> {
    const { signal } = call;
    if (signal?.aborted) throw transportFailure(call.what, call.kind, 'before-send', undefined, signal);
    const controller = new AbortController();
    let how: 'aborted' | 'timeout' | undefined;
    const detach = onAbort(signal, (reason) => {
      how ??= 'aborted';
      controller.abort(reason);
    });
    const timeoutMs = (call.kind === 'write' ? this.#options.writeTimeoutMs : this.#options.readTimeoutMs) ?? DEFAULT_TIMEOUT_MS;
    const cancelTimeout = afterTimeout(this.#clock, timeoutMs, () => {
      how ??= 'timeout';
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    });
    const startedMs = this.#clock.monotonic();
    try {
      const init: HttpRequestInit = call.body === undefined
        ? { method: call.method, headers: call.headers, signal: controller.signal }
        : { method: call.method, headers: call.headers, signal: controller.signal, body: call.body };
      const response = await this.#fetch(call.url, init);
      const text = await response.text();
      const elapsedMs = Math.round(this.#clock.monotonic() - startedMs);
      this.#options.logger?.debug({ request: call.what, status: response.status, elapsedMs }, 'StandX HTTP answer');
      return { status: response.status, text };
    } catch (error) {
      throw transportFailure(call.what, call.kind, how ?? 'network', error, signal);
    } finally {
      cancelTimeout();
      detach();
    }
  }
}
