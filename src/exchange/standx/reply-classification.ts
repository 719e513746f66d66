// What a StandX reply means, for HTTP answers, ws-api acks and requests that got no answer: one of
// the classes of ../../errors.ts, with the engine's reason for a refusal. The single place where
// statuses, codes and exchange texts are interpreted (protocol §3, §4 "HTTP errors", §6, §8).

import {
  AuthError,
  ClockSkewError,
  ExchangeRejectError,
  type MakerError,
  OutcomeUnknownError,
  ProtocolError,
  type RejectReason,
  ShutdownError,
  TransientError,
} from '../../errors.js';

/**
 * read: an idempotent query, retried on TransientError. write: new_order / cancel_order /
 * cancel_orders, never retried, and "maybe applied" once sent. signin: the two login calls, never
 * retried here (auth.ts restarts the whole sign-in) and without trading effect.
 */
export type RequestKind = 'read' | 'write' | 'signin';

/**
 * The only exchange texts the client matches. `signature has expired` is the one attested 403 text
 * for clock skew (protocol §3, §8, §10.1); `user balance not found` is the 404 of an unfunded
 * account (protocol §4). Matched case-insensitively against the raw body.
 */
const SIGNATURE_EXPIRED_TEXT = 'signature has expired';
const BALANCE_NOT_FOUND_TEXT = 'user balance not found';

/**
 * Transport error codes that prove the request never left this host (no connection, no name):
 * even a write may then be reported as not sent. Anything else (reset, socket closed, unknown)
 * after a write was started may have reached the exchange [I: conservative; fetch does not say how
 * far a request got, so a reset during a TLS handshake also counts as "maybe sent"].
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const MAX_MESSAGE_CHARS = 200;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The exchange's own words for a refusal: body `message` / `msg`, else a clipped raw body. */
function exchangeMessage(json: unknown, text: string): string {
  if (isRecord(json)) {
    for (const key of ['message', 'msg', 'error']) {
      const value = json[key];
      if (typeof value === 'string' && value !== '') return value.slice(0, MAX_MESSAGE_CHARS);
    }
  }
  const trimmed = text.trim();
  return trimmed === '' ? '(empty body)' : trimmed.slice(0, MAX_MESSAGE_CHARS);
}

function bodyCode(json: unknown): number | undefined {
  return isRecord(json) && typeof json.code === 'number' && Number.isInteger(json.code) ? json.code : undefined;
}

/** An unfunded account's query_balance answer, which means "all zero" (protocol §4). */
export function isBalanceNotFound(status: number, text: string): boolean {
  return status === 404 && text.toLowerCase().includes(BALANCE_NOT_FOUND_TEXT);
}

/**
 * StandX's refusal text -> what the engine does about it. Only `alo order rejected` is attested
 * (protocol §6); the other patterns are [I] readings of the documented failure causes (§4, §8:
 * insufficient margin, min/lot/tick rules, the reduce-only cap). Keep every such match here.
 */
export function classifyReject(code: number, message: string): RejectReason {
  const text = message.toLowerCase();
  if (text.includes('alo') || text.includes('post only') || text.includes('post-only') || text.includes('would cross')) return 'post-only';
  if (text.includes('margin') || text.includes('insufficient') || text.includes('balance')) return 'margin';
  if (text.includes('reduce')) return 'reduce-only';
  if (text.includes('not found') || text.includes('not exist') || text.includes('unknown order')) return 'unknown-order';
  if (/\b(qty|quantity|size|lot|tick|price|max open orders)\b/.test(text)) return 'size';
  return code === 404 ? 'unknown-order' : 'other';
}

/** A refusal, with the engine's reason read from StandX's code and text; HTTP and ws-api alike. */
export function rejection(code: number, message: string): ExchangeRejectError {
  return new ExchangeRejectError(code, message, { reason: classifyReject(code, message) });
}

/** A ws-api ack whose code is not 0; the clock-skew text maps as it does over HTTP (protocol §3, §8). */
export function wsApiReplyError(code: number, message: string): Error {
  if (code === 403 && message.toLowerCase().includes(SIGNATURE_EXPIRED_TEXT)) {
    return new ClockSkewError('ws-api: signature has expired (code 403): check the system clock (NTP)');
  }
  return rejection(code, message);
}

/**
 * Protocol §6 / §10.3: only `code 0` is an attested login success. [I] 429 and 5xx are retried;
 * every other code means the token was refused and stops the stream.
 */
export function classifyLogin(code: number, message: string): 'ok' | Error {
  if (code === 0) return 'ok';
  if (code === 429 || code >= 500) return new TransientError(`ws-api login unavailable (${code}): ${message}`);
  return new AuthError(`ws-api login refused (${code}): ${message}`);
}

/**
 * Maps one HTTP answer to its JSON body or throws:
 * - 401 → AuthError (missing, invalid or expired token, protocol §4, §8);
 * - 403 whose body contains `signature has expired` → ClockSkewError (protocol §3, §8);
 * - 429 and 5xx → TransientError with the status (rate limit, outage: nothing took effect);
 * - any other 4xx → ExchangeRejectError(body `code` or else the status, body message);
 * - other non-2xx → ProtocolError; a 2xx body that is not JSON → ProtocolError;
 * - a 2xx JSON object whose integer `code` is not 0 → ExchangeRejectError (checked defensively on
 *   every endpoint, protocol §4 [I]).
 */
export function interpretAnswer(what: string, status: number, text: string): unknown {
  const json = parseJson(text);
  if (status === 401) {
    throw new AuthError(`${what}: unauthorized (HTTP 401): ${exchangeMessage(json, text)}`);
  }
  if (status === 403 && text.toLowerCase().includes(SIGNATURE_EXPIRED_TEXT)) {
    throw new ClockSkewError(`${what}: signature has expired (HTTP 403): check the system clock (NTP)`);
  }
  if (status === 429 || status >= 500) {
    throw new TransientError(`${what}: HTTP ${status}: ${exchangeMessage(json, text)}`, { status });
  }
  if (status >= 400) {
    throw rejection(bodyCode(json) ?? status, exchangeMessage(json, text));
  }
  if (status < 200 || status >= 300) {
    throw new ProtocolError(`${what}: unexpected HTTP ${status}`);
  }
  if (json === undefined) {
    throw new ProtocolError(`${what}: answer is not JSON: ${exchangeMessage(undefined, text)}`);
  }
  const code = bodyCode(json);
  if (code !== undefined && code !== 0) {
    throw rejection(code, exchangeMessage(json, text));
  }
  return json;
}

function transportCode(error: unknown): string | undefined {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  for (const candidate of [cause, error]) {
    if (!(candidate instanceof Error)) continue;
    const code = (candidate as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // Happy-eyeballs connects fail with an AggregateError of one error per address.
    if (candidate instanceof AggregateError) {
      const first = (candidate.errors[0] as { code?: unknown } | undefined)?.code;
      if (typeof first === 'string') return first;
    }
  }
  return undefined;
}

/** The abort reason as an Error (a non-Error reason is wrapped, so only Errors are thrown). */
export function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new ShutdownError('aborted', { cause: reason });
}

/**
 * Maps a request that got no (complete) answer:
 * - `before-send`: the caller's signal was already aborted → its reason; nothing was sent;
 * - `aborted` (the caller's signal, in flight): a read → the abort reason; a write →
 *   OutcomeUnknownError (it may have reached the exchange);
 * - `timeout`: a write → OutcomeUnknownError, a read or sign-in → TransientError;
 * - `network`: refused / DNS / unreachable (NOT_SENT_CODES) → TransientError for every kind;
 *   any other failure (reset, socket closed) → OutcomeUnknownError for a write, TransientError otherwise.
 * A write outcome is never retried here: the caller settles it by reading open orders (style "Errors").
 */
export function transportFailure(
  what: string,
  kind: RequestKind,
  how: 'before-send' | 'aborted' | 'timeout' | 'network',
  error: unknown,
  signal: AbortSignal | undefined,
): Error {
  if (how === 'before-send') return abortError(signal);
  if (how === 'aborted') {
    return kind === 'write'
      ? new OutcomeUnknownError(`${what}: aborted after the request was sent`, { cause: error })
      : abortError(signal);
  }
  if (how === 'timeout') {
    return kind === 'write'
      ? new OutcomeUnknownError(`${what}: timed out after the request was sent`, { cause: error })
      : new TransientError(`${what}: timed out`, { cause: error });
  }
  const code = transportCode(error) ?? 'unknown';
  const failure: MakerError =
    kind === 'write' && !NOT_SENT_CODES.has(code)
      ? new OutcomeUnknownError(`${what}: connection lost after the request was sent (${code})`, { cause: error })
      : new TransientError(`${what}: network failure (${code})`, { cause: error });
  return failure;
}
