// loadConfig(env) → a frozen, nested Config, or a ConfigError listing every problem (one line per
// variable, never a secret's value). describeConfig gives the secret-free view for the start-up log.

import { join } from 'node:path';
import { formatBps, type Bps } from '../domain/bps.js';
import { DEFAULT_MARK_PRIORITY_MIN_BPS, type BandPriority } from '../engine/band-priority.js';
import type { MidMethodKind } from '../engine/mid.js';
import type { RequotePolicy } from '../engine/plan.js';
import { ConfigError } from '../errors.js';
import { decodeEd25519Seed, type SignerBackend } from '../exchange/standx/signing.js';
import { ACCOUNT_NAME_PATTERN, envSchema, type ConfigLogLevel, type ParsedEnv } from './schema.js';

export type Credentials =
  | { readonly scheme: 'token'; readonly ed25519Seed: Uint8Array; readonly accessToken: string }
  | { readonly scheme: 'wallet'; readonly walletPrivateKey: string };

export interface QuotingConfig {
  readonly symbol: string;
  /** Decimal string; converted to lots against the live symbol info. */
  readonly qty: string;
  readonly targetBps: Bps;
  readonly minBps: Bps;
  readonly maxBps: Bps;
  readonly checkIntervalMs: number;
  readonly policy: RequotePolicy;
  /** Null when MARK_BAND_BPS is 0 (off). */
  readonly markBandBps: Bps | null;
  readonly bandPriority: BandPriority;
  /** MARK_PRIORITY_MIN_BPS, or the default capped at minBps. */
  readonly markPriorityMinBps: Bps;
  readonly midMethod: MidMethodKind;
  readonly midDepthLevels: number;
}

export interface TelegramConfig {
  readonly botToken: string;
  readonly chatId: string;
  readonly apiRoot: string;
  readonly throttleMs: number;
}

export interface LogConfig {
  readonly level: ConfigLogLevel;
  readonly dir: string;
  /** LOG_FILE, or `<dir>/<account>_market_maker.log` like the reference bot. */
  readonly file: string;
  readonly maxSizeMb: number;
  readonly maxFiles: number;
}

/**
 * The account's files beside its logs (LOG_DIR is the one directory the units let the daemon write):
 * the lock that keeps one daemon per account, the control socket, and the state that survives a restart.
 */
export interface RuntimePaths {
  readonly lockFile: string;
  readonly controlSocket: string;
  readonly uptimeStateFile: string;
  readonly fillLedgerFile: string;
}

export interface EndpointsConfig {
  readonly apiBase: string;
  readonly authBase: string;
  readonly geoBase: string;
  readonly wsStreamUrl: string;
  readonly wsApiUrl: string;
}

export interface TimingConfig {
  readonly marketStaleMs: number;
  readonly freshMidTimeoutMs: number;
  readonly reconcileIntervalMs: number;
  readonly shutdownTimeoutMs: number;
  readonly orderAckTimeoutMs: number;
  readonly httpTimeoutMs: number;
  readonly maxClockSkewMs: number;
  readonly tokenRefreshBeforeMs: number;
  readonly tokenExpiryAlertMs: number;
  readonly minQuoteRestMs: number;
  readonly orderBudgetPerSecond: number;
  readonly orderBudgetPerMinute: number;
}

/** The kill switches (cli/guards-wiring.ts); 0 / null is off. */
export interface GuardsConfig {
  /** Order requests refused or failed in a row before quoting halts (engine/guards.ts FailureStreak). */
  readonly maxConsecutiveFailures: number;
  /** Realized loss plus fees since 00:00 UTC, in the quote currency, as a decimal string; null: off. */
  readonly dailyLossLimit: string | null;
}

export interface Config {
  readonly accountName: string;
  readonly credentials: Credentials;
  readonly quoting: QuotingConfig;
  readonly telegram: TelegramConfig | null;
  readonly log: LogConfig;
  readonly runtime: RuntimePaths;
  readonly endpoints: EndpointsConfig;
  readonly timing: TimingConfig;
  readonly clOrdIdPrefix: string;
  readonly signer: SignerBackend;
  readonly guards: GuardsConfig;
  /** METRICS_PORT: metrics, /healthz and the status page on 127.0.0.1; null when off. */
  readonly metricsPort: number | null;
}

export interface LoadConfigOptions {
  /** From the command line (e.g. the env file's suffix); ACCOUNT_NAME overrides it. */
  readonly accountName: string;
}

/** What the start-up log line shows: no key, token, seed or chat id. */
export interface ConfigDescription {
  readonly accountName: string;
  readonly credentials: { readonly scheme: Credentials['scheme'] };
  readonly quoting: Omit<QuotingConfig, 'targetBps' | 'minBps' | 'maxBps' | 'markBandBps' | 'markPriorityMinBps'> & {
    readonly targetBps: string;
    readonly minBps: string;
    readonly maxBps: string;
    readonly markBandBps: string | null;
    readonly markPriorityMinBps: string;
  };
  readonly telegram: { readonly enabled: boolean; readonly apiRoot?: string; readonly throttleMs?: number };
  readonly log: LogConfig;
  readonly runtime: RuntimePaths;
  readonly endpoints: EndpointsConfig;
  readonly timing: TimingConfig;
  readonly clOrdIdPrefix: string;
  readonly signer: SignerBackend;
  readonly guards: GuardsConfig;
  readonly metricsPort: number | null;
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>, options: LoadConfigOptions): Config {
  const result = envSchema.safeParse(env);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${String(issue.path[0] ?? 'config')}: ${issue.message}`);
  const account = resolveAccountName(env['ACCOUNT_NAME'], options.accountName);
  if (typeof account !== 'string') problems.push(account.problem);
  if (!result.success || typeof account !== 'string') {
    // No cause: zod issues may carry the raw input, and so a secret.
    throw new ConfigError([...new Set(problems)]);
  }
  return deepFreeze(buildConfig(result.data, account));
}

export function describeConfig(config: Config): ConfigDescription {
  const { quoting, telegram } = config;
  return {
    accountName: config.accountName,
    credentials: { scheme: config.credentials.scheme },
    quoting: {
      ...quoting,
      targetBps: formatBps(quoting.targetBps),
      minBps: formatBps(quoting.minBps),
      maxBps: formatBps(quoting.maxBps),
      markBandBps: quoting.markBandBps === null ? null : formatBps(quoting.markBandBps),
      markPriorityMinBps: formatBps(quoting.markPriorityMinBps),
    },
    telegram:
      telegram === null
        ? { enabled: false }
        : { enabled: true, apiRoot: telegram.apiRoot, throttleMs: telegram.throttleMs },
    log: { ...config.log },
    runtime: { ...config.runtime },
    endpoints: { ...config.endpoints },
    timing: { ...config.timing },
    clOrdIdPrefix: config.clOrdIdPrefix,
    signer: config.signer,
    guards: { ...config.guards },
    metricsPort: config.metricsPort,
  };
}

/** ACCOUNT_NAME (already checked by the schema) wins; else the command-line name, checked here. */
function resolveAccountName(fromEnv: string | undefined, fromOptions: string): string | { problem: string } {
  const override = fromEnv?.trim();
  if (override) return override;
  const name = fromOptions.trim();
  if (name === '') return { problem: 'ACCOUNT_NAME: is required (set it or pass an account name)' };
  if (!ACCOUNT_NAME_PATTERN.test(name)) {
    return { problem: `ACCOUNT_NAME: the account name ${JSON.stringify(name)} must be letters, digits, _ or -` };
  }
  return name;
}

function buildConfig(env: ParsedEnv, accountName: string): Config {
  return {
    accountName,
    credentials: buildCredentials(env),
    quoting: buildQuoting(env),
    telegram:
      env.TELEGRAM_BOT_TOKEN !== undefined && env.TELEGRAM_CHAT_ID !== undefined
        ? {
            botToken: env.TELEGRAM_BOT_TOKEN,
            chatId: env.TELEGRAM_CHAT_ID,
            apiRoot: env.TELEGRAM_API_ROOT,
            throttleMs: env.ALERT_THROTTLE_SECONDS,
          }
        : null,
    log: {
      level: env.LOG_LEVEL,
      dir: env.LOG_DIR,
      file: env.LOG_FILE ?? join(env.LOG_DIR, `${accountName}_market_maker.log`),
      maxSizeMb: env.LOG_MAX_SIZE_MB,
      maxFiles: env.LOG_MAX_FILES,
    },
    runtime: runtimePaths(env.LOG_DIR, accountName),
    endpoints: {
      apiBase: env.STANDX_API_BASE,
      authBase: env.STANDX_AUTH_BASE,
      geoBase: env.STANDX_GEO_BASE,
      wsStreamUrl: env.STANDX_WS_STREAM_URL,
      wsApiUrl: env.STANDX_WS_API_URL,
    },
    timing: buildTiming(env),
    clOrdIdPrefix: env.CL_ORD_ID_PREFIX,
    signer: env.SIGNER,
    guards: {
      maxConsecutiveFailures: env.MAX_CONSECUTIVE_FAILURES,
      dailyLossLimit: /^[0.]*$/.test(env.DAILY_LOSS_LIMIT) ? null : env.DAILY_LOSS_LIMIT,
    },
    metricsPort: env.METRICS_PORT ?? null,
  };
}

export function runtimePaths(dir: string, accountName: string): RuntimePaths {
  return {
    lockFile: join(dir, `${accountName}.lock`),
    controlSocket: join(dir, `${accountName}.sock`),
    uptimeStateFile: join(dir, `${accountName}_uptime.json`),
    fillLedgerFile: join(dir, `${accountName}_fills.jsonl`),
  };
}

function buildQuoting(env: ParsedEnv): QuotingConfig {
  return {
    symbol: env.MARKET_MAKER_SYMBOL,
    qty: env.MARKET_MAKER_QTY,
    targetBps: env.MARKET_MAKER_TARGET_BPS,
    minBps: env.MARKET_MAKER_MIN_BPS,
    maxBps: env.MARKET_MAKER_MAX_BPS,
    checkIntervalMs: env.MARKET_MAKER_CHECK_INTERVAL,
    policy: env.REQUOTE_POLICY,
    markBandBps: env.MARK_BAND_BPS === 0n ? null : env.MARK_BAND_BPS,
    bandPriority: env.BAND_PRIORITY,
    markPriorityMinBps: env.MARK_PRIORITY_MIN_BPS ?? defaultMarkPriorityMin(env.MARKET_MAKER_MIN_BPS),
    midMethod: env.MID_METHOD,
    midDepthLevels: env.MID_DEPTH_LEVELS,
  };
}

/** Unset MARK_PRIORITY_MIN_BPS: the engine's default, unless the band lets quotes nearer the mid. */
function defaultMarkPriorityMin(minBps: Bps): Bps {
  return DEFAULT_MARK_PRIORITY_MIN_BPS < minBps ? DEFAULT_MARK_PRIORITY_MIN_BPS : minBps;
}

function buildTiming(env: ParsedEnv): TimingConfig {
  return {
    marketStaleMs: env.MARKET_STALE_MS,
    freshMidTimeoutMs: env.FRESH_MID_TIMEOUT_MS,
    reconcileIntervalMs: env.RECONCILE_INTERVAL_SECONDS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_SECONDS,
    orderAckTimeoutMs: env.ORDER_ACK_TIMEOUT_MS,
    httpTimeoutMs: env.HTTP_TIMEOUT_MS,
    maxClockSkewMs: env.MAX_CLOCK_SKEW_MS,
    tokenRefreshBeforeMs: env.TOKEN_REFRESH_BEFORE_SECONDS,
    tokenExpiryAlertMs: env.TOKEN_EXPIRY_ALERT_HOURS,
    minQuoteRestMs: env.MIN_QUOTE_REST_MS,
    orderBudgetPerSecond: env.ORDER_BUDGET_PER_SECOND,
    orderBudgetPerMinute: env.ORDER_BUDGET_PER_MINUTE,
  };
}

/** The schema has checked the scheme and the key formats; this only shapes them. */
function buildCredentials(env: ParsedEnv): Credentials {
  const credentials: Credentials =
    env.WALLET_PRIVATE_KEY !== undefined
      ? { scheme: 'wallet', walletPrivateKey: env.WALLET_PRIVATE_KEY }
      : {
          scheme: 'token',
          ed25519Seed: decodeEd25519Seed(env.ED25519_PRIVATE_KEY ?? ''),
          accessToken: env.ACCESS_TOKEN ?? '',
        };
  // Keep secrets out of JSON.stringify and util.inspect of the config (e.g. a careless log line).
  const redacted = { scheme: credentials.scheme, secrets: '[redacted]' };
  Object.defineProperty(credentials, 'toJSON', { value: () => redacted, enumerable: false });
  Object.defineProperty(credentials, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => redacted,
    enumerable: false,
  });
  return credentials;
}

/** Freezes plain objects recursively; byte arrays cannot be frozen and are left as they are. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
