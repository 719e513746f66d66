// The daemon-wide error taxonomy: config, ops, the exchange adapter and the engine all throw these.
// Callers branch on the class or `code`, never on message text, and no message ever contains a secret.

export type MakerErrorCode =
  | 'CONFIG'
  | 'AUTH'
  | 'CLOCK_SKEW'
  | 'REJECTED'
  | 'TRANSIENT'
  | 'OUTCOME_UNKNOWN'
  | 'PROTOCOL'
  | 'SHUTDOWN';

export class MakerError extends Error {
  readonly code: MakerErrorCode;

  constructor(code: MakerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class ConfigError extends MakerError {
  /** One entry per problem: `VARIABLE: what is wrong`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: { cause?: unknown }) {
    super('CONFIG', `invalid configuration: ${problems.join('; ')}`, options);
    this.problems = problems;
  }
}

/** The exchange refused our credentials (HTTP 401, a refused ws login, a failed wallet sign-in). */
export class AuthError extends MakerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('AUTH', message, options);
  }
}

/** HTTP 403 "signature has expired": the local clock is off from the exchange's. */
export class ClockSkewError extends MakerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLOCK_SKEW', message, options);
  }
}

/**
 * Why an order was refused, as far as the engine needs to know: a post-only order that would cross is
 * repriced on the next mid; margin and size refusals pause quoting; the rest are logged.
 */
export type RejectReason = 'post-only' | 'margin' | 'size' | 'reduce-only' | 'unknown-order' | 'other';

/** A deterministic refusal: ALO would cross, insufficient margin, bad size or tick. */
export class ExchangeRejectError extends MakerError {
  /** The exchange's code (HTTP status or body `code`). */
  readonly exchangeCode: number;
  readonly exchangeMessage: string;
  readonly reason: RejectReason;

  constructor(exchangeCode: number, exchangeMessage: string, options?: { cause?: unknown; reason?: RejectReason }) {
    super('REJECTED', `rejected by the exchange (${exchangeCode}): ${exchangeMessage}`, options);
    this.exchangeCode = exchangeCode;
    this.exchangeMessage = exchangeMessage;
    this.reason = options?.reason ?? 'other';
  }
}

/** Failed before anything took effect (network down, 429, 5xx, timeout before send): safe to retry. */
export class TransientError extends MakerError {
  /** HTTP status when there was one. */
  readonly status: number | undefined;

  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super('TRANSIENT', message, options);
    this.status = options?.status;
  }
}

/** The request was sent but no answer came: it may or may not have taken effect. Reconcile, never resend blindly. */
export class OutcomeUnknownError extends MakerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('OUTCOME_UNKNOWN', message, options);
  }
}

/** A malformed or unexpected frame or body. */
export class ProtocolError extends MakerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PROTOCOL', message, options);
  }
}

/** The operation was abandoned because the daemon is stopping. */
export class ShutdownError extends MakerError {
  constructor(message = 'shutting down', options?: { cause?: unknown }) {
    super('SHUTDOWN', message, options);
  }
}

export function isMakerError(error: unknown): error is MakerError {
  return error instanceof MakerError;
}
