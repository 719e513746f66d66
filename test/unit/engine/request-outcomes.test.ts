import { describe, expect, it } from 'vitest';
import {
  AuthError,
  ClockSkewError,
  ConfigError,
  ExchangeRejectError,
  OutcomeUnknownError,
  ProtocolError,
  ShutdownError,
  TransientError,
  type RejectReason,
} from '../../../src/errors.js';
import { cancelOutcome, failureSeverity, flattenOutcome, placeOutcome } from '../../../src/engine/request-outcomes.js';

const reject = (reason: RejectReason): ExchangeRejectError => new ExchangeRejectError(400, `refused: ${reason}`, { reason });

describe('failureSeverity', () => {
  it.each([
    ['a stop in progress', new ShutdownError(), 'ignore'],
    ['refused credentials', new AuthError('401'), 'fatal'],
    ['a clock off the exchange', new ClockSkewError('signature has expired'), 'fatal'],
    ['a network failure', new TransientError('ECONNRESET'), 'expected'],
    ['an exchange refusal', reject('margin'), 'expected'],
    ['an unknown outcome', new OutcomeUnknownError('no ack'), 'unexpected'],
    ['a malformed frame', new ProtocolError('bad json'), 'unexpected'],
    ['a configuration error', new ConfigError(['X: bad']), 'unexpected'],
    ['a plain Error', new Error('bug'), 'unexpected'],
    ['a thrown string', 'oops', 'unexpected'],
  ] as const)('%s is %s', (_what, error, severity) => {
    expect(failureSeverity(error)).toBe(severity);
  });
});

describe('placeOutcome', () => {
  it.each([
    ['post-only would cross', reject('post-only'), { kind: 'reprice' }],
    ['insufficient margin', reject('margin'), { kind: 'pause', reason: 'margin', message: 'refused: margin' }],
    ['a size refusal', reject('size'), { kind: 'pause', reason: 'size', message: 'refused: size' }],
    ['another refusal', reject('other'), { kind: 'pause', reason: 'other', message: 'refused: other' }],
    ['sent without an answer', new OutcomeUnknownError('timeout'), { kind: 'unknown' }],
    ['not sent', new TransientError('socket not open'), { kind: 'failed' }],
    ['refused credentials', new AuthError('401'), { kind: 'failed' }],
  ] as const)('%s', (_what, error, outcome) => {
    expect(placeOutcome(error)).toEqual(outcome);
  });
});

describe('cancelOutcome', () => {
  it.each([
    ['refused (already filled or cancelled)', reject('unknown-order'), 'refused'],
    ['sent without an answer', new OutcomeUnknownError('timeout'), 'unknown'],
    ['not sent', new TransientError('socket not open'), 'failed'],
    ['stopping', new ShutdownError(), 'failed'],
  ] as const)('%s', (_what, error, outcome) => {
    expect(cancelOutcome(error)).toBe(outcome);
  });
});

describe('flattenOutcome', () => {
  it.each([
    ['sent without an answer', new OutcomeUnknownError('timeout'), { kind: 'unknown' }],
    ['refused as reduce-only: the position may be wrong', reject('reduce-only'), { kind: 'failed', isPositionDoubtful: true }],
    ['refused for margin', reject('margin'), { kind: 'failed', isPositionDoubtful: false }],
    ['not sent', new TransientError('socket not open'), { kind: 'failed', isPositionDoubtful: false }],
  ] as const)('%s', (_what, error, outcome) => {
    expect(flattenOutcome(error)).toEqual(outcome);
  });
});
