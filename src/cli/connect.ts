// Connecting an account: sign in (or check the token), compare clocks with the exchange, load the
// symbol's rules and open both sockets. Shared by `run`, `check`, `cancel-all` and `sim`.

import type { Log } from '../ops/log.js';
import type { Config, Credentials } from '../config/load.js';
import type { SymbolSpec } from '../domain/types.js';
import { ClockSkewError } from '../errors.js';
import { createAuthSession, type AuthSession, type Credentials as SessionCredentials } from '../exchange/standx/auth.js';
import { StandXHttpClient } from '../exchange/standx/http.js';
import { encodeBase58 } from '../exchange/standx/signing.js';
import { loadSymbolSpec, StandXExchange } from '../exchange/standx/standx-exchange.js';
import type { HttpFetch } from '../exchange/standx/http-transport.js';
import type { WsTuning } from '../exchange/standx/ws-connection.js';
import type { Clock } from '../ops/clock.js';
import type { Probe } from '../ops/probe.js';
import { readClockOffset, skewProblem, type ClockReading } from './clock-check.js';

export interface ConnectOptions {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Log;
  readonly fetch?: HttpFetch;
  readonly wsTuning?: WsTuning;
  readonly probe?: Probe;
  /** Checks the live symbol rules before any socket opens (e.g. the order size); throws ConfigError. */
  readonly validateSpec?: (spec: SymbolSpec) => void;
  /** How long to wait for the sockets; slower links are left to reconnect on their own. */
  readonly connectTimeoutMs?: number;
}

export interface Connection {
  readonly auth: AuthSession;
  readonly http: StandXHttpClient;
  readonly exchange: StandXExchange;
  /** Exchange clock against the local clock, measured at start; null when no host told the time. */
  readonly clock: ClockReading | null;
  close(): void;
}

export interface SignedIn {
  readonly auth: AuthSession;
  readonly http: StandXHttpClient;
  readonly clock: ClockReading | null;
}

/** Signs in and measures the clock offset; refuses to go on when the clock is too far off. */
export async function signIn(options: Pick<ConnectOptions, 'config' | 'clock' | 'logger' | 'fetch'>): Promise<SignedIn> {
  const { config, clock, logger } = options;
  const publicHttp = new StandXHttpClient({
    endpoints: config.endpoints,
    clock,
    readTimeoutMs: config.timing.httpTimeoutMs,
    writeTimeoutMs: config.timing.httpTimeoutMs,
    logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const auth = createAuthSession(sessionCredentials(config.credentials), {
    signin: publicHttp,
    clock,
    signerBackend: config.signer,
    refreshBeforeMs: config.timing.tokenRefreshBeforeMs,
    logger,
  });
  await auth.start();
  const http = publicHttp.withAuth(auth);
  const reading = await readClockOffset(http, clock, logger);
  logger.info({ clockOffsetMs: reading?.offsetMs ?? null, clockSource: reading?.source ?? null, scheme: auth.scheme, tokenExpiresAt: isoOrNull(auth.expiresAtMs()) }, 'signed in');
  const problem = reading === null ? null : skewProblem(reading, config.timing.maxClockSkewMs);
  if (problem !== null) {
    auth.stop();
    throw new ClockSkewError(problem);
  }
  return { auth, http, clock: reading };
}

export async function connectExchange(options: ConnectOptions): Promise<Connection> {
  const { config, clock, logger } = options;
  const { auth, http, clock: reading } = await signIn(options);
  try {
    const spec = await loadSymbolSpec(http, config.quoting.symbol);
    options.validateSpec?.(spec);
    const exchange = new StandXExchange(spec, {
      endpoints: config.endpoints,
      auth,
      http,
      clock,
      logger,
      orderAckTimeoutMs: config.timing.orderAckTimeoutMs,
      ...(options.wsTuning ? { wsTuning: options.wsTuning } : {}),
      ...(options.probe ? { probe: options.probe } : {}),
    });
    await exchange.connect(options.connectTimeoutMs ?? 15_000).catch((error: unknown) => {
      exchange.close();
      throw error;
    });
    return {
      auth,
      http,
      exchange,
      clock: reading,
      close: () => {
        exchange.close();
        auth.stop();
      },
    };
  } catch (error) {
    auth.stop();
    throw error;
  }
}

function sessionCredentials(credentials: Credentials): SessionCredentials {
  return credentials.scheme === 'token'
    ? { scheme: 'token', ed25519PrivateKey: encodeBase58(credentials.ed25519Seed), accessToken: credentials.accessToken }
    : { scheme: 'wallet', walletPrivateKey: credentials.walletPrivateKey };
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
