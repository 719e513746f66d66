// What a failed request means for the loop: a pure reading of the error's class (never its text),
// so that the loop only carries out the answer and every case is tested in one table.

import {
  AuthError,
  ClockSkewError,
  ExchangeRejectError,
  OutcomeUnknownError,
  ShutdownError,
  TransientError,
  type RejectReason,
} from '../errors.js';

/** How loud a failure is: nothing (stopping), fatal for the daemon, expected and quiet, or a bug-like surprise. */
export type FailureSeverity = 'ignore' | 'fatal' | 'expected' | 'unexpected';

export function failureSeverity(error: unknown): FailureSeverity {
  if (error instanceof ShutdownError) return 'ignore';
  // Refused credentials or a clock off from the exchange's: every signed request would fail alike.
  if (error instanceof AuthError || error instanceof ClockSkewError) return 'fatal';
  if (error instanceof TransientError || error instanceof ExchangeRejectError) return 'expected';
  return 'unexpected';
}

export type PlaceOutcome =
  /** A post-only quote would have crossed: try again on the next book. */
  | { readonly kind: 'reprice' }
  /** A margin, size or other refusal: pause placements with backoff. */
  | { readonly kind: 'pause'; readonly reason: RejectReason; readonly message: string }
  /** Sent, no answer: the order channel or a read settles it. */
  | { readonly kind: 'unknown' }
  /** Not placed (never sent, or failed before taking effect). */
  | { readonly kind: 'failed' };

export function placeOutcome(error: unknown): PlaceOutcome {
  if (error instanceof ExchangeRejectError) {
    return error.reason === 'post-only' ? { kind: 'reprice' } : { kind: 'pause', reason: error.reason, message: error.exchangeMessage };
  }
  return error instanceof OutcomeUnknownError ? { kind: 'unknown' } : { kind: 'failed' };
}

/** refused: usually the order filled or was already cancelled; unknown: re-sent by the settle timer. */
export type CancelOutcome = 'refused' | 'unknown' | 'failed';

export function cancelOutcome(error: unknown): CancelOutcome {
  if (error instanceof ExchangeRejectError) return 'refused';
  return error instanceof OutcomeUnknownError ? 'unknown' : 'failed';
}

/** unknown: wait for the order channel; failed: retry with backoff, re-reading the position first when reduce-only refused it. */
export type FlattenOutcome = { readonly kind: 'unknown' } | { readonly kind: 'failed'; readonly isPositionDoubtful: boolean };

export function flattenOutcome(error: unknown): FlattenOutcome {
  if (error instanceof OutcomeUnknownError) return { kind: 'unknown' };
  return { kind: 'failed', isPositionDoubtful: error instanceof ExchangeRejectError && error.reason === 'reduce-only' };
}
