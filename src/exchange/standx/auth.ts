// The StandX session: the bearer token and the Ed25519 request-signing key shared by HTTP and both
// WebSockets. Token scheme: a session-page token used as is. Wallet scheme: EIP-191 sign-in, renewed
// before expiry, each new token announced with 'token' (protocol §2, §8 "Token expiry").

import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { systemClock, type Clock } from '../../ops/clock.js';
import { onAbort } from '../../ops/abort.js';
import type { Log } from '../../ops/log.js';
import { AuthError, ConfigError, TransientError } from '../../errors.js';
import type { RandomSource } from '../../domain/random.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';
import { checkWalletKey, loadWallet, personalSign, type EvmWallet } from './eip191.js';
import { abortError } from './reply-classification.js';
import type { LoginAnswer } from './http.js';
import { decodeJwtPayload, jwtExpiryMs } from './jwt.js';
import {
  createSigner,
  decodeEd25519Seed,
  generateEd25519Seed,
  requestIdOf,
  type Ed25519Signer,
  type SignerBackend,
} from './signing.js';

export type AuthSessionEvents = {
  /** After every successful (re)login, and once at start for the token scheme. */
  token: [token: string, expiresAtMs: number | null];
  /** Wallet scheme: the token expired before a re-login succeeded. Not emitted after stop(). */
  authFailure: [error: AuthError];
};

export interface AuthSession extends EventEmitter<AuthSessionEvents> {
  readonly scheme: 'token' | 'wallet';
  readonly signer: Ed25519Signer;
  /** The current bearer token. Wallet scheme: throws AuthError before the first login. */
  token(): string;
  expiresAtMs(): number | null;
  /** Wallet: first login (and renewal until stop() or `signal` aborts). Token: checks the token decodes. */
  start(signal?: AbortSignal): Promise<void>;
  stop(): void;
}

export type Credentials =
  | { readonly scheme: 'token'; readonly ed25519PrivateKey: string; readonly accessToken: string }
  | { readonly scheme: 'wallet'; readonly walletPrivateKey: string };

/** The two sign-in calls (StandXHttpClient implements them). */
export interface SigninApi {
  prepareSignin(address: string, requestId: string, signal?: AbortSignal): Promise<string>;
  login(signature: string, signedData: string, expiresSeconds: number, signal?: AbortSignal): Promise<LoginAnswer>;
}

export interface AuthSessionOptions {
  /** Required by the wallet scheme. */
  readonly signin?: SigninApi;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly signerBackend?: SignerBackend;
  /** Wallet scheme: the fresh Ed25519 seed (tests inject a fixed one). */
  readonly newSeed?: () => Uint8Array;
  /** Requested token lifetime; StandX's default is 604 800 s = 7 days (protocol §2.1 step 5). */
  readonly expiresSeconds?: number;
  /**
   * Re-login this long before `exp` (at most half the token's lifetime). Default 30 min [I: no
   * refresh endpoint exists, protocol §8; a fresh sign-in replaces the token before it lapses].
   */
  readonly refreshBeforeMs?: number;
  /** Attempts of the first login on TransientError. Default 3, as the reference bot (protocol §9). */
  readonly startAttempts?: number;
  readonly retryBackoff?: BackoffPolicy;
  /** Longest single timer; long waits are re-checked against the clock. Default 1 h. */
  readonly maxTimerMs?: number;
  readonly logger?: Log;
}

const DEFAULT_EXPIRES_SECONDS = 604_800;
const DEFAULT_REFRESH_BEFORE_MS = 30 * 60_000;
const DEFAULT_START_ATTEMPTS = 3;
const DEFAULT_RETRY_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };
const DEFAULT_MAX_TIMER_MS = 60 * 60_000;

export function createAuthSession(credentials: Credentials, options: AuthSessionOptions = {}): AuthSession {
  return credentials.scheme === 'token' ? new TokenSession(credentials, options) : new WalletSession(credentials, options);
}

abstract class BaseSession extends EventEmitter<AuthSessionEvents> {
  protected readonly options: AuthSessionOptions;
  protected readonly clock: Clock;

  constructor(options: AuthSessionOptions) {
    super();
    this.options = options;
    this.clock = options.clock ?? systemClock;
  }

  /** Each listener runs even if another throws, and none throws into the session (style "Isolation"). */
  protected emitSafely<K extends keyof AuthSessionEvents>(event: K, ...args: AuthSessionEvents[K]): void {
    // rawListeners: calling a once() wrapper also removes it, as emit() would.
    for (const listener of this.rawListeners(event) as Array<(...values: AuthSessionEvents[K]) => void>) {
      try {
        listener.apply(this, args);
      } catch (error) {
        this.options.logger?.warn({ event, err: error instanceof Error ? error.message : String(error) }, 'auth listener threw');
      }
    }
  }
}

class TokenSession extends BaseSession implements AuthSession {
  readonly scheme = 'token' as const;
  readonly signer: Ed25519Signer;
  readonly #token: string;
  #expiresAtMs: number | null = null;

  constructor(credentials: Extract<Credentials, { scheme: 'token' }>, options: AuthSessionOptions) {
    super(options);
    let seed: Uint8Array;
    try {
      seed = decodeEd25519Seed(credentials.ed25519PrivateKey);
    } catch (error) {
      // InvalidKeyError messages describe the problem without the key.
      throw new ConfigError([`ED25519_PRIVATE_KEY: ${error instanceof Error ? error.message : 'invalid'}`]);
    }
    this.signer = createSigner(seed, options.signerBackend ?? 'node');
    this.#token = credentials.accessToken.trim();
    if (this.#token === '') throw new ConfigError(['ACCESS_TOKEN: empty']);
  }

  token(): string {
    return this.#token;
  }

  expiresAtMs(): number | null {
    return this.#expiresAtMs;
  }

  /** The token is used as is: no refresh endpoint exists (protocol §2.2, §8, §10.11). */
  async start(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortError(signal);
    let expiresAtMs: number | null;
    try {
      expiresAtMs = jwtExpiryMs(this.#token);
    } catch (error) {
      throw new AuthError('ACCESS_TOKEN is not a decodable JWT', { cause: error });
    }
    if (expiresAtMs !== null && expiresAtMs <= this.clock.now()) {
      throw new AuthError(`ACCESS_TOKEN expired at ${new Date(expiresAtMs).toISOString()}`);
    }
    this.#expiresAtMs = expiresAtMs;
    this.emitSafely('token', this.#token, expiresAtMs);
  }

  stop(): void {}
}

const signinPayloadWire = z.looseObject({
  message: z.string().min(1),
  requestId: z.string().optional(),
  address: z.string().optional(),
});

/** The SIWE text to sign from prepare-signin's `signedData` (unverified JWT, protocol §2.1 step 3). */
function signinMessage(signedData: string, requestId: string, address: string): string {
  const parsed = signinPayloadWire.safeParse(decodeJwtPayload(signedData));
  if (!parsed.success) throw new AuthError('prepare-signin: signedData carries no message');
  const payload = parsed.data;
  // Never sign a message that binds another key or another wallet.
  if (payload.requestId !== undefined && payload.requestId !== requestId) {
    throw new AuthError('prepare-signin: signedData is for another requestId');
  }
  if (payload.address !== undefined && payload.address.toLowerCase() !== address.toLowerCase()) {
    throw new AuthError('prepare-signin: signedData is for another address');
  }
  return payload.message;
}

class WalletSession extends BaseSession implements AuthSession {
  readonly scheme = 'wallet' as const;
  /**
   * One Ed25519 key for the whole session, bound again by every re-login: requests signed just
   * before a renewal then stay valid under the new token, and `signer` never changes. Re-binding the
   * same requestId is not documented either way [I] (protocol §2.1 step 1).
   */
  readonly signer: Ed25519Signer;
  readonly #walletKey: string;
  #wallet: Promise<EvmWallet> | null = null;
  readonly #signin: SigninApi;
  #token: string | null = null;
  #expiresAtMs: number | null = null;
  #obtainedAtMs = 0;
  #stopper: AbortController | null = null;
  #starting: Promise<void> | null = null;
  #unlink: (() => void) | null = null;

  constructor(credentials: Extract<Credentials, { scheme: 'wallet' }>, options: AuthSessionOptions) {
    super(options);
    if (!options.signin) throw new TypeError('the wallet scheme needs options.signin');
    this.#signin = options.signin;
    this.#walletKey = checkWalletKey(credentials.walletPrivateKey);
    this.signer = createSigner((options.newSeed ?? generateEd25519Seed)(), options.signerBackend ?? 'node');
  }

  token(): string {
    if (this.#token === null) throw new AuthError('not signed in yet');
    return this.#token;
  }

  expiresAtMs(): number | null {
    return this.#expiresAtMs;
  }

  /** A second call while running returns the first call's promise. */
  start(signal?: AbortSignal): Promise<void> {
    this.#starting ??= this.#start(signal);
    return this.#starting;
  }

  async #start(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) throw abortError(signal);
    const stopper = new AbortController();
    this.#stopper = stopper;
    this.#unlink = onAbort(signal, () => this.stop());
    try {
      await this.#firstLogin(stopper.signal);
    } catch (error) {
      this.stop();
      throw signal?.aborted ? abortError(signal) : error;
    }
    void this.#renewLoop(stopper.signal);
  }

  stop(): void {
    this.#starting = null;
    this.#unlink?.();
    this.#unlink = null;
    this.#stopper?.abort();
    this.#stopper = null;
  }

  /** Retries only what may pass next time (network, 5xx); a refusal is an AuthError at once. */
  async #firstLogin(signal: AbortSignal): Promise<void> {
    const attempts = Math.max(1, this.options.startAttempts ?? DEFAULT_START_ATTEMPTS);
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.#login(signal);
        return;
      } catch (error) {
        if (!(error instanceof TransientError) || attempt + 1 >= attempts || signal.aborted) throw error;
        const delayMs = this.#backoffMs(attempt);
        this.options.logger?.warn({ attempt: attempt + 1, delayMs, err: error.message }, 'wallet sign-in failed, retrying');
        await this.clock.sleep(delayMs, signal);
      }
    }
  }

  /** Steps 1-5 of protocol §2.1. Network trouble stays TransientError; anything else is an AuthError. */
  async #login(signal: AbortSignal): Promise<void> {
    const obtainedAtMs = this.clock.now();
    const expiresSeconds = this.options.expiresSeconds ?? DEFAULT_EXPIRES_SECONDS;
    let answer: LoginAnswer;
    try {
      const requestId = requestIdOf(this.signer);
      const wallet = await (this.#wallet ??= loadWallet(this.#walletKey));
      const signedData = await this.#signin.prepareSignin(wallet.address, requestId, signal);
      const signature = await personalSign(wallet, signinMessage(signedData, requestId, wallet.address));
      answer = await this.#signin.login(signature, signedData, expiresSeconds, signal);
    } catch (error) {
      if (error instanceof TransientError || error instanceof AuthError || signal.aborted) throw error;
      throw new AuthError(`wallet sign-in failed: ${error instanceof Error ? error.message : 'unknown error'}`, { cause: error });
    }
    this.#token = answer.token;
    this.#expiresAtMs = tokenExpiryMs(answer.token) ?? obtainedAtMs + expiresSeconds * 1_000;
    this.#obtainedAtMs = obtainedAtMs;
    this.options.logger?.debug({ expiresAt: new Date(this.#expiresAtMs).toISOString() }, 'signed in to StandX');
    this.emitSafely('token', answer.token, this.#expiresAtMs);
  }

  /** Sleeps until the renewal time, renews, repeats; ends on stop() or with 'authFailure'. */
  async #renewLoop(signal: AbortSignal): Promise<void> {
    try {
      for (;;) {
        await this.#sleepUntil(this.#renewAtMs(), signal);
        await this.#renew(signal);
      }
    } catch (error) {
      if (signal.aborted) return;
      const failure = error instanceof AuthError ? error : new AuthError('token renewal failed', { cause: error });
      this.options.logger?.warn({ err: failure.message }, 'StandX token renewal gave up');
      this.emitSafely('authFailure', failure);
    }
  }

  /** Retries any failure with backoff while the current token is valid; AuthError once it has expired. */
  async #renew(signal: AbortSignal): Promise<void> {
    const deadlineMs = this.#expiresAtMs ?? this.clock.now();
    let lastError: unknown;
    // At least one attempt, even when the timer fired late (suspended host): the wallet can still sign in.
    for (let attempt = 0; attempt === 0 || this.clock.now() < deadlineMs; attempt += 1) {
      try {
        await this.#login(signal);
        return;
      } catch (error) {
        if (signal.aborted) throw error;
        lastError = error;
        const delayMs = Math.min(this.#backoffMs(attempt), Math.max(0, deadlineMs - this.clock.now()));
        const err = error instanceof Error ? error.message : String(error);
        this.options.logger?.warn({ attempt: attempt + 1, delayMs, err }, 'StandX re-login failed, retrying while the token is valid');
        await this.clock.sleep(delayMs, signal);
      }
    }
    const expiredAt = new Date(deadlineMs).toISOString();
    throw new AuthError(`the access token expired at ${expiredAt} before a re-login succeeded`, { cause: lastError });
  }

  #renewAtMs(): number {
    const expiresAtMs = this.#expiresAtMs ?? this.clock.now();
    const lifetimeMs = Math.max(0, expiresAtMs - this.#obtainedAtMs);
    return expiresAtMs - Math.min(this.options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS, lifetimeMs / 2);
  }

  async #sleepUntil(atMs: number, signal: AbortSignal): Promise<void> {
    const maxTimerMs = this.options.maxTimerMs ?? DEFAULT_MAX_TIMER_MS;
    for (let remainingMs = atMs - this.clock.now(); remainingMs > 0; remainingMs = atMs - this.clock.now()) {
      await this.clock.sleep(Math.min(remainingMs, maxTimerMs), signal);
    }
  }

  #backoffMs(attempt: number): number {
    return backoffDelayMs(attempt, this.options.retryBackoff ?? DEFAULT_RETRY_BACKOFF, this.options.random ?? Math.random);
  }
}

/**
 * The login token's `exp`, or null when it has none or is not a JWT; the caller then assumes the
 * requested `expiresSeconds` from the moment the sign-in started [I: the docs show a JWT token but
 * do not promise it, protocol §2.1 step 5].
 */
function tokenExpiryMs(token: string): number | null {
  try {
    return jwtExpiryMs(token);
  } catch {
    return null;
  }
}
