// The environment as one zod object: every variable (the reference bot's names unchanged, plus
// standx-mm's own knobs) parsed to a typed value with a one-line problem naming it, and the
// cross-field rules as refinements. load.ts turns the flat result into the nested Config.

import { z } from 'zod';
import { fractionDigits, isDecimalString, parseUnits } from '../domain/decimal.js';
import { parseBps, tryParseBps, type Bps } from '../domain/bps.js';
import { BAND_PRIORITIES, DEFAULT_BAND_PRIORITY } from '../engine/band-priority.js';
import { MID_METHOD_KINDS } from '../engine/mid.js';
import { REQUOTE_POLICIES } from '../engine/plan.js';
import { DEFAULT_ENDPOINTS } from '../exchange/standx/endpoints.js';
import { decodeEd25519Seed, InvalidKeyError, SIGNER_BACKENDS } from '../exchange/standx/signing.js';

/** Variables whose values must never appear in a problem, a log line or an alert. */
export const SECRET_VARIABLES = [
  'WALLET_PRIVATE_KEY',
  'ED25519_PRIVATE_KEY',
  'ACCESS_TOKEN',
  'TELEGRAM_BOT_TOKEN',
] as const;

export const ACCOUNT_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
/** setTimeout's limit: every duration is used as a timer somewhere. */
export const MAX_DURATION_MS = 2_147_483_647;
/** StandX's REST allowance bursts to 20 requests per account: no second of order commands goes above it. */
const MAX_ORDERS_PER_SECOND = 20;
/** Band limits are fractions of the price: 10 000 bps would quote at zero. */
const MAX_BPS = parseBps('10000');

const WALLET_KEY_PATTERN = /^0x[0-9a-fA-F]{64}$/;
const JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const TELEGRAM_TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]+$/;
const TELEGRAM_CHAT_PATTERN = /^(-?\d+|@[A-Za-z0-9_]{4,})$/;

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: string): Parsed<never> => ({ ok: false, problem });

/** Non-secret values are echoed (shortened) to help the operator; secrets never are. */
function shown(raw: string): string {
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}

/** Blank or whitespace-only values count as unset; others are trimmed. */
function blankToUndefined(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function parsedString<T>(parse: (raw: string) => Parsed<T>) {
  return z.string({ error: 'must be a string' }).transform((raw, ctx): T => {
    const result = parse(raw);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.problem });
    return z.NEVER;
  });
}

/** A variable with a default written as it would be in the env file. */
function withDefault<T>(parse: (raw: string) => Parsed<T>, defaultRaw: string) {
  return z.preprocess(blankToUndefined, parsedString(parse).prefault(defaultRaw));
}

function optional<T>(parse: (raw: string) => Parsed<T>) {
  return z.preprocess(blankToUndefined, parsedString(parse).optional());
}

const anyString = (raw: string): Parsed<string> => ok(raw);

function bps(options: { allowZero: boolean }): (raw: string) => Parsed<Bps> {
  return (raw) => {
    const value = tryParseBps(raw);
    const lower = options.allowZero ? '≥ 0' : '> 0';
    if (value === null) return bad(`must be a number of basis points with at most 4 decimals, got ${shown(raw)}`);
    if (value < 0n || (!options.allowZero && value === 0n) || value >= MAX_BPS) {
      return bad(`must be ${lower} and below 10000 basis points, got ${shown(raw)}`);
    }
    return ok(value);
  };
}

function positiveDecimal(raw: string): Parsed<string> {
  if (!isDecimalString(raw) || parseUnits(raw, fractionDigits(raw)) <= 0n) {
    return bad(`must be a decimal number > 0, got ${shown(raw)}`);
  }
  return ok(raw);
}

/** A decimal amount ≥ 0 (0 = off). */
function nonNegativeDecimal(raw: string): Parsed<string> {
  return isDecimalString(raw) && !raw.trim().startsWith('-') ? ok(raw) : bad(`must be a decimal number ≥ 0, got ${shown(raw)}`);
}

/** A decimal count of `unit`s converted to whole milliseconds (rounded up). */
function duration(unit: 'seconds' | 'hours', options: { allowZero: boolean }): (raw: string) => Parsed<number> {
  const msPerThousandth = unit === 'seconds' ? 1n : 3600n;
  return (raw) => {
    const lower = options.allowZero ? '≥ 0' : '> 0';
    const problem = `must be a number of ${unit} ${lower} (at most ${MAX_DURATION_MS} ms), got ${shown(raw)}`;
    if (!isDecimalString(raw)) return bad(problem);
    const ms = parseUnits(raw, 3, 'ceil') * msPerThousandth;
    if (ms < 0n || (!options.allowZero && ms === 0n) || ms > BigInt(MAX_DURATION_MS)) return bad(problem);
    return ok(Number(ms));
  };
}

function wholeNumber(min: number, max: number, unit = ''): (raw: string) => Parsed<number> {
  return (raw) => {
    const value = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= min && value <= max)) {
      return bad(`must be a whole number${unit} from ${min} to ${max}, got ${shown(raw)}`);
    }
    return ok(value);
  };
}

function positiveNumber(raw: string): Parsed<number> {
  const value = isDecimalString(raw) ? Number(raw) : NaN;
  return value > 0 && value <= 1_000_000 ? ok(value) : bad(`must be a number > 0, got ${shown(raw)}`);
}

/** Case-insensitive choice; `aliases` maps other spellings (e.g. Python's level names). */
function choice<T extends string>(values: readonly T[], aliases: Readonly<Record<string, NoInfer<T>>> = {}) {
  return (raw: string): Parsed<T> => {
    const lower = raw.toLowerCase();
    const found = values.find((value) => value === lower) ?? aliases[lower];
    return found !== undefined ? ok(found) : bad(`must be one of ${values.join(', ')}, got ${shown(raw)}`);
  };
}

function url(protocols: readonly ('http' | 'https' | 'ws' | 'wss')[]): (raw: string) => Parsed<string> {
  return (raw) => {
    const expected = `must be a ${protocols.join(' or ')} URL, got ${shown(raw)}`;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return bad(expected);
    }
    if (!protocols.some((protocol) => parsed.protocol === `${protocol}:`)) return bad(expected);
    if (parsed.username !== '' || parsed.password !== '') return bad('must not contain credentials');
    return ok(raw.replace(/\/+$/, ''));
  };
}

function pattern(regex: RegExp, description: string): (raw: string) => Parsed<string> {
  return (raw) => (regex.test(raw) ? ok(raw) : bad(`must be ${description}, got ${shown(raw)}`));
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type ConfigLogLevel = (typeof LOG_LEVELS)[number];

const secret = z.preprocess(blankToUndefined, z.string({ error: 'must be a string' }).optional());
const seconds = (allowZero: boolean) => duration('seconds', { allowZero });
const ms = (min: number) => wholeNumber(min, MAX_DURATION_MS, ' of milliseconds');

const fields = {
  WALLET_PRIVATE_KEY: secret,
  ED25519_PRIVATE_KEY: secret,
  ACCESS_TOKEN: secret,
  MARKET_MAKER_SYMBOL: withDefault(pattern(/^[A-Z0-9]+-[A-Z0-9]+$/, 'a symbol such as BTC-USD'), 'BTC-USD'),
  MARKET_MAKER_QTY: withDefault(positiveDecimal, '0.005'),
  MARKET_MAKER_TARGET_BPS: withDefault(bps({ allowZero: false }), '7.5'),
  MARKET_MAKER_MIN_BPS: withDefault(bps({ allowZero: false }), '7.0'),
  MARKET_MAKER_MAX_BPS: withDefault(bps({ allowZero: false }), '10'),
  MARKET_MAKER_CHECK_INTERVAL: withDefault(seconds(true), '0'),
  TELEGRAM_BOT_TOKEN: secret,
  TELEGRAM_CHAT_ID: z.preprocess(blankToUndefined, z.string({ error: 'must be a string' }).optional()),
  TELEGRAM_API_ROOT: withDefault(url(['http', 'https']), 'https://api.telegram.org'),
  ALERT_THROTTLE_SECONDS: withDefault(seconds(true), '60'),
  LOG_LEVEL: withDefault(choice(LOG_LEVELS, { warning: 'warn', critical: 'fatal' }), 'info'),
  LOG_DIR: withDefault(anyString, 'logs'),
  LOG_FILE: optional(anyString),
  LOG_MAX_SIZE_MB: withDefault(positiveNumber, '10'),
  LOG_MAX_FILES: withDefault(wholeNumber(1, 1000), '5'),
  ACCOUNT_NAME: optional(pattern(ACCOUNT_NAME_PATTERN, 'letters, digits, _ or -')),
  STANDX_API_BASE: withDefault(url(['http', 'https']), DEFAULT_ENDPOINTS.apiBase),
  STANDX_AUTH_BASE: withDefault(url(['http', 'https']), DEFAULT_ENDPOINTS.authBase),
  STANDX_GEO_BASE: withDefault(url(['http', 'https']), DEFAULT_ENDPOINTS.geoBase),
  STANDX_WS_STREAM_URL: withDefault(url(['ws', 'wss']), DEFAULT_ENDPOINTS.wsStreamUrl),
  STANDX_WS_API_URL: withDefault(url(['ws', 'wss']), DEFAULT_ENDPOINTS.wsApiUrl),
  REQUOTE_POLICY: withDefault(choice(REQUOTE_POLICIES), 'overlap'),
  MARK_BAND_BPS: withDefault(bps({ allowZero: true }), '10'),
  BAND_PRIORITY: withDefault(choice(BAND_PRIORITIES), DEFAULT_BAND_PRIORITY),
  MARK_PRIORITY_MIN_BPS: optional(bps({ allowZero: false })),
  MIN_QUOTE_REST_MS: withDefault(ms(0), '1000'),
  ORDER_BUDGET_PER_SECOND: withDefault(wholeNumber(2, MAX_ORDERS_PER_SECOND, ' of commands'), '10'),
  ORDER_BUDGET_PER_MINUTE: withDefault(wholeNumber(2, MAX_ORDERS_PER_SECOND * 60, ' of commands'), '300'),
  MID_METHOD: withDefault(choice(MID_METHOD_KINDS), 'simple'),
  MID_DEPTH_LEVELS: withDefault(wholeNumber(1, 100), '5'),
  MARKET_STALE_MS: withDefault(ms(1), '3000'),
  FRESH_MID_TIMEOUT_MS: withDefault(ms(1), '2000'),
  RECONCILE_INTERVAL_SECONDS: withDefault(seconds(false), '30'),
  SHUTDOWN_TIMEOUT_SECONDS: withDefault(seconds(false), '20'),
  ORDER_ACK_TIMEOUT_MS: withDefault(ms(1), '5000'),
  HTTP_TIMEOUT_MS: withDefault(ms(1), '10000'),
  MAX_CLOCK_SKEW_MS: withDefault(ms(1), '2000'),
  TOKEN_REFRESH_BEFORE_SECONDS: withDefault(seconds(true), '3600'),
  TOKEN_EXPIRY_ALERT_HOURS: withDefault(duration('hours', { allowZero: true }), '24'),
  CL_ORD_ID_PREFIX: withDefault(pattern(/^[a-z0-9]{1,8}$/, '1 to 8 lower-case letters or digits'), 'smm'),
  SIGNER: withDefault(choice(SIGNER_BACKENDS), 'node'),
  MAX_CONSECUTIVE_FAILURES: withDefault(wholeNumber(0, 1_000_000), '0'),
  DAILY_LOSS_LIMIT: withDefault(nonNegativeDecimal, '0'),
  // Opt-in; 0 picks a free port (tests).
  METRICS_PORT: optional(wholeNumber(0, 65_535)),
};

type FieldName = keyof typeof fields;
type Env = z.output<z.ZodObject<typeof fields>>;
type Ctx = z.RefinementCtx<Env>;

/**
 * Runs a cross-field rule only when the fields it reads parsed (another rule's finding about the
 * same field does not count), so each problem is reported once and none hides another.
 */
function whenParsed(names: readonly FieldName[]): { when: (payload: z.core.ParsePayload) => boolean } {
  const isFieldIssue = (issue: z.core.$ZodRawIssue): boolean =>
    !(issue.code === 'custom' && issue.params?.[CROSS_FIELD] === true) && names.includes(issue.path?.[0] as FieldName);
  return { when: (payload) => !payload.issues.some(isFieldIssue) };
}

const CROSS_FIELD = 'crossField';

function problem(ctx: Ctx, name: FieldName, message: string): void {
  ctx.addIssue({ code: 'custom', path: [name], message, params: { [CROSS_FIELD]: true } });
}

const ONE_SCHEME = 'use exactly one scheme: WALLET_PRIVATE_KEY alone, or ED25519_PRIVATE_KEY with ACCESS_TOKEN';

/** Exactly one scheme (protocol §2): the wallet key alone, or the Ed25519 key with its access token. */
function checkCredentials(env: Env, ctx: Ctx): void {
  const wallet = env.WALLET_PRIVATE_KEY;
  const ed25519 = env.ED25519_PRIVATE_KEY;
  const token = env.ACCESS_TOKEN;
  if (wallet !== undefined && (ed25519 !== undefined || token !== undefined)) {
    problem(ctx, 'WALLET_PRIVATE_KEY', `cannot be combined with ED25519_PRIVATE_KEY or ACCESS_TOKEN; ${ONE_SCHEME}`);
    return;
  }
  if (wallet === undefined && ed25519 === undefined && token === undefined) {
    problem(ctx, 'WALLET_PRIVATE_KEY', `no credentials are set; ${ONE_SCHEME}`);
    return;
  }
  if (wallet !== undefined) {
    if (!WALLET_KEY_PATTERN.test(wallet)) problem(ctx, 'WALLET_PRIVATE_KEY', 'must be 0x followed by 64 hex digits');
    return;
  }
  if (ed25519 === undefined) problem(ctx, 'ED25519_PRIVATE_KEY', 'is required with ACCESS_TOKEN');
  else checkEd25519Key(ed25519, ctx);
  if (token === undefined) problem(ctx, 'ACCESS_TOKEN', 'is required with ED25519_PRIVATE_KEY');
  else if (!JWT_PATTERN.test(token)) problem(ctx, 'ACCESS_TOKEN', 'must be a JWT: three base64url parts joined by dots');
}

function checkEd25519Key(key: string, ctx: Ctx): void {
  try {
    decodeEd25519Seed(key);
  } catch (error) {
    if (!(error instanceof InvalidKeyError)) throw error;
    // InvalidKeyError messages never contain the key (signing.ts).
    problem(ctx, 'ED25519_PRIVATE_KEY', `must be the base58 of a 32-byte Ed25519 seed (${error.message})`);
  }
}

function checkTelegram(env: Env, ctx: Ctx): void {
  const token = env.TELEGRAM_BOT_TOKEN;
  const chat = env.TELEGRAM_CHAT_ID;
  if (token === undefined && chat !== undefined) problem(ctx, 'TELEGRAM_BOT_TOKEN', 'is required with TELEGRAM_CHAT_ID');
  if (token !== undefined && chat === undefined) problem(ctx, 'TELEGRAM_CHAT_ID', 'is required with TELEGRAM_BOT_TOKEN');
  if (token !== undefined && !TELEGRAM_TOKEN_PATTERN.test(token)) {
    problem(ctx, 'TELEGRAM_BOT_TOKEN', 'must look like <digits>:<token> as given by @BotFather');
  }
  if (chat !== undefined && !TELEGRAM_CHAT_PATTERN.test(chat)) {
    problem(ctx, 'TELEGRAM_CHAT_ID', 'must be a numeric chat id or an @channel name');
  }
}

/** 0 < min ≤ target ≤ max, compared exactly. */
function checkBandOrder(env: Env, ctx: Ctx): void {
  const { MARKET_MAKER_MIN_BPS: min, MARKET_MAKER_TARGET_BPS: target, MARKET_MAKER_MAX_BPS: max } = env;
  if (min > target) problem(ctx, 'MARKET_MAKER_MIN_BPS', 'must not exceed MARKET_MAKER_TARGET_BPS');
  if (target > max) problem(ctx, 'MARKET_MAKER_MAX_BPS', 'must not be below MARKET_MAKER_TARGET_BPS');
}

/** With the mark at the mid, a mark band narrower than min_bps leaves no admissible tick. */
function checkMarkBand(env: Env, ctx: Ctx): void {
  const markBand = env.MARK_BAND_BPS;
  if (markBand !== 0n && markBand < env.MARKET_MAKER_MIN_BPS) {
    problem(ctx, 'MARK_BAND_BPS', 'must be 0 (off) or at least MARKET_MAKER_MIN_BPS, or no quote could satisfy both bands');
  }
}

/** The mark priority lets a quote nearer the mid than the band, never further out. */
function checkMarkPriorityMin(env: Env, ctx: Ctx): void {
  const safety = env.MARK_PRIORITY_MIN_BPS;
  if (safety !== undefined && safety > env.MARKET_MAKER_MIN_BPS) {
    problem(ctx, 'MARK_PRIORITY_MIN_BPS', 'must not exceed MARKET_MAKER_MIN_BPS');
  }
}

function checkOrderBudget(env: Env, ctx: Ctx): void {
  if (env.ORDER_BUDGET_PER_MINUTE < env.ORDER_BUDGET_PER_SECOND) {
    problem(ctx, 'ORDER_BUDGET_PER_MINUTE', 'must not be below ORDER_BUDGET_PER_SECOND');
  }
}

export const envSchema = z
  .object(fields)
  .superRefine(checkCredentials, whenParsed(['WALLET_PRIVATE_KEY', 'ED25519_PRIVATE_KEY', 'ACCESS_TOKEN']))
  .superRefine(checkTelegram, whenParsed(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID']))
  .superRefine(checkBandOrder, whenParsed(['MARKET_MAKER_MIN_BPS', 'MARKET_MAKER_TARGET_BPS', 'MARKET_MAKER_MAX_BPS']))
  .superRefine(checkMarkBand, whenParsed(['MARK_BAND_BPS', 'MARKET_MAKER_MIN_BPS']))
  .superRefine(checkMarkPriorityMin, whenParsed(['MARK_PRIORITY_MIN_BPS', 'MARKET_MAKER_MIN_BPS']))
  .superRefine(checkOrderBudget, whenParsed(['ORDER_BUDGET_PER_SECOND', 'ORDER_BUDGET_PER_MINUTE']));

/** The parsed, validated environment (flat, by variable name). */
export type ParsedEnv = z.output<typeof envSchema>;
