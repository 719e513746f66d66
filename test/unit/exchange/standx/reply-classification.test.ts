import { describe, expect, it } from 'vitest';
import {
  AuthError,
  ClockSkewError,
  ExchangeRejectError,
  OutcomeUnknownError,
  ProtocolError,
  type RejectReason,
  ShutdownError,
  TransientError,
} from '../../../../src/errors.js';
import {
  abortError,
  classifyLogin,
  classifyReject,
  interpretAnswer,
  isBalanceNotFound,
  rejection,
  type RequestKind,
  transportFailure,
  wsApiReplyError,
} from '../../../../src/exchange/standx/reply-classification.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** A fetch failure as undici reports it: a TypeError whose cause carries the system error code. */
function fetchFailure(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
}

describe('classifyReject: refusal text -> the engine reason', () => {
  it.each<[number, string, RejectReason]>([
    [400, 'alo order rejected', 'post-only'],
    [400, 'ALO order rejected', 'post-only'],
    [400, 'post only order would cross the book', 'post-only'],
    [400, 'Post-Only violation', 'post-only'],
    [400, 'order would cross', 'post-only'],
    [400, 'insufficient margin', 'margin'],
    [10003, 'Insufficient available', 'margin'],
    [400, 'user balance too low', 'margin'],
    [400, 'margin check failed for reduce only order', 'margin'],
    [400, 'reduce only order exceeds position', 'reduce-only'],
    [400, 'reduce-only qty exceeds closable size', 'reduce-only'],
    [400, 'order not found', 'unknown-order'],
    [400, 'order does not exist', 'unknown-order'],
    [400, 'unknown order', 'unknown-order'],
    [404, 'anything at all', 'unknown-order'],
    [400, 'qty below minimum', 'size'],
    [400, 'invalid quantity', 'size'],
    [400, 'order size too large', 'size'],
    [400, 'qty is not a multiple of the lot', 'size'],
    [400, 'price not on tick', 'size'],
    [400, 'price out of band', 'size'],
    [400, 'max open orders reached', 'size'],
    [400, 'sizes differ', 'other'],
    [400, 'ticket closed', 'other'],
    [400, 'bad request', 'other'],
    [500, '', 'other'],
  ])('%i %j -> %s', (code, message, reason) => {
    expect(classifyReject(code, message)).toBe(reason);
  });
});

describe('rejection', () => {
  it('keeps the exchange code and text and reads the reason from them', () => {
    const error = rejection(400, 'alo order rejected');
    expect(error).toBeInstanceOf(ExchangeRejectError);
    expect(error).toMatchObject({ code: 'REJECTED', exchangeCode: 400, exchangeMessage: 'alo order rejected', reason: 'post-only' });
  });
});

describe('wsApiReplyError: a ws-api ack whose code is not 0', () => {
  it.each<[number, string, ErrorClass, Record<string, unknown>]>([
    [403, 'signature has expired', ClockSkewError, { code: 'CLOCK_SKEW' }],
    [403, 'Request Signature Has Expired', ClockSkewError, { code: 'CLOCK_SKEW' }],
    [403, 'forbidden', ExchangeRejectError, { exchangeCode: 403, reason: 'other' }],
    [400, 'signature has expired', ExchangeRejectError, { exchangeCode: 400, reason: 'other' }],
    [400, 'alo order rejected', ExchangeRejectError, { exchangeCode: 400, reason: 'post-only' }],
    [400, 'insufficient margin', ExchangeRejectError, { reason: 'margin' }],
    [404, 'order not found', ExchangeRejectError, { exchangeCode: 404, reason: 'unknown-order' }],
  ])('%i %j -> %o', (code, message, errorClass, fields) => {
    const error = wsApiReplyError(code, message);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject(fields);
  });
});

describe('classifyLogin: the ws-api auth:login ack', () => {
  it('accepts code 0 only', () => {
    expect(classifyLogin(0, 'success')).toBe('ok');
  });

  it.each<[number, ErrorClass]>([
    [429, TransientError],
    [500, TransientError],
    [503, TransientError],
    [401, AuthError],
    [403, AuthError],
    [400, AuthError],
    [200, AuthError],
    [1, AuthError],
  ])('code %i -> %o', (code, errorClass) => {
    const outcome = classifyLogin(code, 'token expired');
    expect(outcome).toBeInstanceOf(errorClass);
    expect((outcome as Error).message).toContain(`(${String(code)}): token expired`);
  });
});

describe('isBalanceNotFound', () => {
  it.each<[number, string, boolean]>([
    [404, '{"code":404,"message":"user balance not found"}', true],
    [404, 'User Balance Not Found', true],
    [404, '{"message":"not found"}', false],
    [200, 'user balance not found', false],
    [400, 'user balance not found', false],
  ])('%i %j -> %s', (status, text, expected) => {
    expect(isBalanceNotFound(status, text)).toBe(expected);
  });
});

describe('interpretAnswer: an HTTP status and body', () => {
  it.each<[string, number, string, ErrorClass, Record<string, unknown>]>([
    ['401 → AuthError', 401, '{"code":401,"message":"invalid token"}', AuthError, { code: 'AUTH' }],
    ['401 with an empty body → AuthError', 401, '', AuthError, { message: 'q: unauthorized (HTTP 401): (empty body)' }],
    ['403 "signature has expired" → ClockSkewError', 403, '{"message":"signature has expired"}', ClockSkewError, { code: 'CLOCK_SKEW' }],
    ['403 "Signature has expired" in plain text → ClockSkewError', 403, 'Signature has expired', ClockSkewError, {}],
    ['other 403 → rejected', 403, '{"message":"forbidden"}', ExchangeRejectError, { exchangeCode: 403, exchangeMessage: 'forbidden', reason: 'other' }],
    ['429 → TransientError', 429, '{"message":"too many requests"}', TransientError, { status: 429 }],
    ['500 → TransientError', 500, 'internal error', TransientError, { status: 500 }],
    ['502 → TransientError', 502, '<html>bad gateway</html>', TransientError, { status: 502 }],
    ['503 with a body code → TransientError all the same', 503, '{"code":400,"message":"alo order rejected"}', TransientError, { status: 503 }],
    ['400 ALO → rejected, post-only', 400, '{"code":400,"message":"alo order rejected"}', ExchangeRejectError, { exchangeCode: 400, reason: 'post-only' }],
    ['400 with a body code → that code', 400, '{"code":10001,"msg":"qty below minimum"}', ExchangeRejectError, { exchangeCode: 10001, exchangeMessage: 'qty below minimum', reason: 'size' }],
    ['400 with an `error` text', 400, '{"error":"reduce only order exceeds position"}', ExchangeRejectError, { exchangeCode: 400, reason: 'reduce-only' }],
    ['400 with a non-integer body code → the status', 400, '{"code":"E1","message":"insufficient margin"}', ExchangeRejectError, { exchangeCode: 400, reason: 'margin' }],
    ['404 text → rejected, unknown order', 404, 'not found', ExchangeRejectError, { exchangeCode: 404, exchangeMessage: 'not found', reason: 'unknown-order' }],
    ['404 "user balance not found" outside query_balance → rejected', 404, '{"message":"user balance not found"}', ExchangeRejectError, { reason: 'margin' }],
    ['302 → ProtocolError', 302, '', ProtocolError, { message: 'q: unexpected HTTP 302' }],
    ['204 with no body → ProtocolError (not JSON)', 204, '', ProtocolError, {}],
    ['200 that is not JSON → ProtocolError', 200, '<html>ok</html>', ProtocolError, {}],
    ['200 with code ≠ 0 → rejected', 200, '{"code":10003,"message":"insufficient margin"}', ExchangeRejectError, { exchangeCode: 10003, reason: 'margin' }],
    ['200 with a negative code → rejected', 200, '{"code":-1,"message":"busy"}', ExchangeRejectError, { exchangeCode: -1, reason: 'other' }],
  ])('%s', (_label, status, text, errorClass, fields) => {
    let thrown: unknown;
    try {
      interpretAnswer('q', status, text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(errorClass);
    expect(thrown).toMatchObject(fields);
  });

  it.each<[string, string, unknown]>([
    ['an ack with code 0', '{"code":0,"message":"success","request_id":"r1"}', { code: 0, message: 'success', request_id: 'r1' }],
    ['a bare array (query_positions, cancel_orders)', '[]', []],
    ['an object without code', '{"page_size":0,"result":[],"total":0}', { page_size: 0, result: [], total: 0 }],
    ['a string code, which is not a refusal code', '{"code":"1"}', { code: '1' }],
    ['a fractional code, which is not a refusal code', '{"code":1.5}', { code: 1.5 }],
    ['a JSON scalar', '"OK"', 'OK'],
  ])('returns the JSON of a 2xx with %s', (_label, text, json) => {
    expect(interpretAnswer('q', 200, text)).toEqual(json);
  });

  it('clips a long refusal text to 200 characters', () => {
    const long = 'x'.repeat(500);
    expect(() => interpretAnswer('q', 400, long)).toThrow(expect.objectContaining({ exchangeMessage: 'x'.repeat(200) }));
  });
});

describe('transportFailure: a request that got no (complete) answer', () => {
  const shutdown = new ShutdownError('stopping');
  const aborted = (): AbortSignal => AbortSignal.abort(shutdown);

  it.each<[RequestKind, 'before-send' | 'aborted' | 'timeout', ErrorClass | 'abort reason']>([
    ['read', 'before-send', 'abort reason'],
    ['write', 'before-send', 'abort reason'],
    ['signin', 'before-send', 'abort reason'],
    ['read', 'aborted', 'abort reason'],
    ['write', 'aborted', OutcomeUnknownError],
    ['signin', 'aborted', 'abort reason'],
    ['read', 'timeout', TransientError],
    ['write', 'timeout', OutcomeUnknownError],
    ['signin', 'timeout', TransientError],
  ])('%s, %s -> %o', (kind, how, expected) => {
    const failure = transportFailure('q', kind, how, new Error('underlying'), aborted());
    if (expected === 'abort reason') expect(failure).toBe(shutdown);
    else expect(failure).toBeInstanceOf(expected);
  });

  it.each<[RequestKind, unknown, ErrorClass]>([
    ['write', fetchFailure('ECONNREFUSED'), TransientError],
    ['write', fetchFailure('ENOTFOUND'), TransientError],
    ['write', fetchFailure('EAI_AGAIN'), TransientError],
    ['write', fetchFailure('EHOSTUNREACH'), TransientError],
    ['write', fetchFailure('UND_ERR_CONNECT_TIMEOUT'), TransientError],
    ['write', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), TransientError],
    ['write', new TypeError('fetch failed', { cause: new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]) }), TransientError],
    ['write', fetchFailure('ECONNRESET'), OutcomeUnknownError],
    ['write', fetchFailure('UND_ERR_SOCKET'), OutcomeUnknownError],
    ['write', new TypeError('fetch failed'), OutcomeUnknownError],
    ['write', 'not even an Error', OutcomeUnknownError],
    ['read', fetchFailure('ECONNRESET'), TransientError],
    ['read', new TypeError('fetch failed'), TransientError],
    ['signin', fetchFailure('ECONNRESET'), TransientError],
  ])('network failure of a %s (%o) -> %o', (kind, error, errorClass) => {
    const failure = transportFailure('q', kind, 'network', error, undefined);
    expect(failure).toBeInstanceOf(errorClass);
    expect(failure).toMatchObject({ cause: error });
  });

  it('names the transport code in the message', () => {
    expect(transportFailure('new_order', 'write', 'network', fetchFailure('ECONNRESET'), undefined).message).toBe(
      'new_order: connection lost after the request was sent (ECONNRESET)',
    );
    expect(transportFailure('query_orders', 'read', 'network', new Error('?'), undefined).message).toBe('query_orders: network failure (unknown)');
  });
});

describe('abortError', () => {
  it('returns an Error reason as it is', () => {
    const reason = new TransientError('deadline');
    expect(abortError(AbortSignal.abort(reason))).toBe(reason);
  });

  it('wraps a reason that is not an Error in a ShutdownError', () => {
    const error = abortError(AbortSignal.abort('bye'));
    expect(error).toBeInstanceOf(ShutdownError);
    expect(error.cause).toBe('bye');
  });

  it('gives a ShutdownError without a signal', () => {
    expect(abortError(undefined)).toBeInstanceOf(ShutdownError);
  });
});
