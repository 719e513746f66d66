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
  /** Exchange clock minus local clock, measured at start (ms). */
  readonly clockOffsetMs: number;
  close(): void;
}

export interface SignedIn {
  readonly auth: AuthSession;
  readonly http: StandXHttpClient;
  readonly clockOffsetMs: number;
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
  const clockOffsetMs = await measureClockOffset(http, clock);
  logger.info({ clockOffsetMs, scheme: auth.scheme, tokenExpiresAt: isoOrNull(auth.expiresAtMs()) }, 'signed in');
  if (Math.abs(clockOffsetMs) > config.timing.maxClockSkewMs) {
    auth.stop();
    throw new ClockSkewError(
      `local clock is ${clockOffsetMs} ms off the exchange (limit ${config.timing.maxClockSkewMs} ms): enable NTP (timedatectl set-ntp true)`,
    );
  }
  return { auth, http, clockOffsetMs };
}

export async function connectExchange(options: ConnectOptions): Promise<Connection> {
  const { config, clock, logger } = options;
  const { auth, http, clockOffsetMs } = await signIn(options);
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
      clockOffsetMs,
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

/** Offset of the exchange clock, halving the round trip (GET /v1/region systemTime, protocol §1). */
export async function measureClockOffset(http: StandXHttpClient, clock: Clock): Promise<number> {
  const sentAt = clock.now();
  const serverMs = await http.serverTimeMs();
  const receivedAt = clock.now();
  return Math.round(serverMs - (sentAt + receivedAt) / 2);
}

function sessionCredentials(credentials: Credentials): SessionCredentials {
  return credentials.scheme === 'token'
    ? { scheme: 'token', ed25519PrivateKey: encodeBase58(credentials.ed25519Seed), accessToken: credentials.accessToken }
    : { scheme: 'wallet', walletPrivateKey: credentials.walletPrivateKey };
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
