import { inspect } from 'node:util';
import { parse as parseDotenv } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, type Config } from '../../../src/config/load.js';
import { parseBps } from '../../../src/domain/bps.js';
import { ConfigError } from '../../../src/errors.js';
import { encodeBase58 } from '../../../src/exchange/standx/signing.js';

type Env = Record<string, string | undefined>;

// Seed bytes 00..1f (protocol §3 golden vector).
const ED25519_KEY = '1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE';
const SEED = Uint8Array.from({ length: 32 }, (_, i) => i);
const ACCESS_TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLXNlY3JldA';
const WALLET_KEY = '0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef';
const BOT_TOKEN = '123456789:AAHsecretSECRETsecret_-42';
const TOKEN_ENV: Env = { ED25519_PRIVATE_KEY: ED25519_KEY, ACCESS_TOKEN };
const OPTIONS = { accountName: 'account1' };

function load(env: Env, options = OPTIONS): Config {
  return loadConfig(env, options);
}

function problemsOf(env: Env, options = OPTIONS): string[] {
  try {
    loadConfig(env, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.code).toBe('CONFIG');
    expect(configError.cause).toBeUndefined();
    expect(configError.message).toBe(`invalid configuration: ${configError.problems.join('; ')}`);
    return [...configError.problems];
  }
  throw new Error('expected a ConfigError');
}

/** The whole error text, for asserting that no secret leaks into it. */
function errorText(env: Env): string {
  try {
    loadConfig(env, OPTIONS);
  } catch (error) {
    return `${String(error)} ${(error as ConfigError).problems.join('\n')} ${inspect(error)}`;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: defaults', () => {
  it('fills every default from the token scheme alone', () => {
    const config = load(TOKEN_ENV);
    expect({ ...config, credentials: undefined }).toEqual({
      accountName: 'account1',
      credentials: undefined,
      quoting: {
        symbol: 'BTC-USD',
        qty: '0.005',
        targetBps: parseBps('7.5'),
        minBps: parseBps('7'),
        maxBps: parseBps('10'),
        checkIntervalMs: 0,
        policy: 'overlap',
        markBandBps: parseBps('10'),
        bandPriority: 'mark',
        markPriorityMinBps: parseBps('5'),
        midMethod: 'simple',
        midDepthLevels: 5,
      },
      telegram: null,
      log: { level: 'info', dir: 'logs', file: 'logs/account1_market_maker.log', maxSizeMb: 10, maxFiles: 5 },
      runtime: {
        lockFile: 'logs/account1.lock',
        controlSocket: 'logs/account1.sock',
        uptimeStateFile: 'logs/account1_uptime.json',
        fillLedgerFile: 'logs/account1_fills.jsonl',
      },
      endpoints: {
        apiBase: 'https://perps.standx.com',
        authBase: 'https://api.standx.com',
        geoBase: 'https://geo.standx.com',
        wsStreamUrl: 'wss://perps.standx.com/ws-stream/v1',
        wsApiUrl: 'wss://perps.standx.com/ws-api/v1',
      },
      timing: {
        marketStaleMs: 3000,
        freshMidTimeoutMs: 2000,
        reconcileIntervalMs: 30_000,
        shutdownTimeoutMs: 20_000,
        orderAckTimeoutMs: 5000,
        httpTimeoutMs: 10_000,
        maxClockSkewMs: 2000,
        tokenRefreshBeforeMs: 3_600_000,
        tokenExpiryAlertMs: 86_400_000,
        minQuoteRestMs: 1000,
        orderBudgetPerSecond: 10,
        orderBudgetPerMinute: 300,
      },
      clOrdIdPrefix: 'smm',
      signer: 'node',
      guards: { maxConsecutiveFailures: 0, dailyLossLimit: null },
      metricsPort: null,
    });
    expect(config.credentials.scheme).toBe('token');
    if (config.credentials.scheme !== 'token') return;
    expect(config.credentials.ed25519Seed).toEqual(SEED);
    expect(config.credentials.accessToken).toBe(ACCESS_TOKEN);
  });

  it('takes the wallet scheme from WALLET_PRIVATE_KEY alone', () => {
    expect(load({ WALLET_PRIVATE_KEY: WALLET_KEY }).credentials).toEqual({ scheme: 'wallet', walletPrivateKey: WALLET_KEY });
  });

  it.each(['', '   ', '\t'])('treats %j as unset', (blank) => {
    const config = load({
      ...TOKEN_ENV,
      WALLET_PRIVATE_KEY: blank,
      MARKET_MAKER_SYMBOL: blank,
      MARKET_MAKER_TARGET_BPS: blank,
      TELEGRAM_BOT_TOKEN: blank,
      TELEGRAM_CHAT_ID: blank,
      LOG_FILE: blank,
      ACCOUNT_NAME: blank,
      REQUOTE_POLICY: blank,
    });
    expect(config.quoting.symbol).toBe('BTC-USD');
    expect(config.quoting.targetBps).toBe(parseBps('7.5'));
    expect(config.quoting.policy).toBe('overlap');
    expect(config.telegram).toBeNull();
    expect(config.accountName).toBe('account1');
    expect(config.log.file).toBe('logs/account1_market_maker.log');
    expect(config.credentials.scheme).toBe('token');
  });

  it('ignores variables it does not know (the reference bot reads some it never uses)', () => {
    expect(load({ ...TOKEN_ENV, REORDER_NOTIFY_THROTTLE_SECONDS: 'x', PATH: '/usr/bin' }).quoting.symbol).toBe('BTC-USD');
  });
});

describe('loadConfig: values', () => {
  it.each<[string, Env, (config: Config) => unknown, unknown]>([
    ['trims values', { MARKET_MAKER_QTY: ' 0.0001 ' }, (c) => c.quoting.qty, '0.0001'],
    ['keeps the quantity as written', { MARKET_MAKER_QTY: '0.00100' }, (c) => c.quoting.qty, '0.00100'],
    ['reads the symbol', { MARKET_MAKER_SYMBOL: 'XAU-USD' }, (c) => c.quoting.symbol, 'XAU-USD'],
    ['reads bps exactly', { MARKET_MAKER_MAX_BPS: '9.9' }, (c) => c.quoting.maxBps, 99_000n],
    ['accepts min = target = max', { MARKET_MAKER_MIN_BPS: '8', MARKET_MAKER_TARGET_BPS: '8.0', MARKET_MAKER_MAX_BPS: '8.0000' }, (c) => c.quoting.minBps, 80_000n],
    ['converts a fractional check interval', { MARKET_MAKER_CHECK_INTERVAL: '0.5' }, (c) => c.quoting.checkIntervalMs, 500],
    ['reads 0.0 seconds', { MARKET_MAKER_CHECK_INTERVAL: '0.0' }, (c) => c.quoting.checkIntervalMs, 0],
    ['rounds sub-millisecond seconds up', { MARKET_MAKER_CHECK_INTERVAL: '0.0001' }, (c) => c.quoting.checkIntervalMs, 1],
    ['turns the mark band off with 0', { MARK_BAND_BPS: '0' }, (c) => c.quoting.markBandBps, null],
    ['reads the band priority', { BAND_PRIORITY: 'MID' }, (c) => c.quoting.bandPriority, 'mid'],
    ['reads a safety distance', { MARK_PRIORITY_MIN_BPS: '6.5' }, (c) => c.quoting.markPriorityMinBps, parseBps('6.5')],
    ['accepts a safety distance equal to min_bps', { MARK_PRIORITY_MIN_BPS: '7' }, (c) => c.quoting.markPriorityMinBps, parseBps('7')],
    [
      'caps the default safety distance at a narrower min_bps',
      { MARKET_MAKER_MIN_BPS: '3', MARKET_MAKER_TARGET_BPS: '4', MARKET_MAKER_MAX_BPS: '6' },
      (c) => c.quoting.markPriorityMinBps,
      parseBps('3'),
    ],
    ['reads a mark band', { MARK_BAND_BPS: '12.5' }, (c) => c.quoting.markBandBps, 125_000n],
    ['reads the policy case-insensitively', { REQUOTE_POLICY: 'Reference' }, (c) => c.quoting.policy, 'reference'],
    ['reads the mid method', { MID_METHOD: 'WEIGHTED', MID_DEPTH_LEVELS: '10' }, (c) => [c.quoting.midMethod, c.quoting.midDepthLevels], ['weighted', 10]],
    ['reads LOG_LEVEL case-insensitively', { LOG_LEVEL: 'INFO' }, (c) => c.log.level, 'info'],
    ['maps Python WARNING to warn', { LOG_LEVEL: 'WARNING' }, (c) => c.log.level, 'warn'],
    ['maps Python CRITICAL to fatal', { LOG_LEVEL: 'critical' }, (c) => c.log.level, 'fatal'],
    ['reads trace', { LOG_LEVEL: 'Trace' }, (c) => c.log.level, 'trace'],
    ['puts the log file in LOG_DIR', { LOG_DIR: '/var/log/standx' }, (c) => c.log.file, '/var/log/standx/account1_market_maker.log'],
    ['reads METRICS_PORT', { METRICS_PORT: '9464' }, (c) => c.metricsPort, 9464],
    ['takes METRICS_PORT 0 as any free port', { METRICS_PORT: '0' }, (c) => c.metricsPort, 0],
    ['takes an explicit LOG_FILE', { LOG_FILE: '/tmp/mm.log' }, (c) => c.log.file, '/tmp/mm.log'],
    ['reads log rotation', { LOG_MAX_SIZE_MB: '0.5', LOG_MAX_FILES: '2' }, (c) => [c.log.maxSizeMb, c.log.maxFiles], [0.5, 2]],
    ['lets ACCOUNT_NAME override the option', { ACCOUNT_NAME: 'acct_2-b' }, (c) => [c.accountName, c.log.file], ['acct_2-b', 'logs/acct_2-b_market_maker.log']],
    [
      'strips trailing slashes from endpoints',
      { STANDX_API_BASE: 'http://127.0.0.1:8080/', STANDX_WS_API_URL: 'ws://127.0.0.1:8080/ws-api/v1//' },
      (c) => [c.endpoints.apiBase, c.endpoints.wsApiUrl],
      ['http://127.0.0.1:8080', 'ws://127.0.0.1:8080/ws-api/v1'],
    ],
    ['reads every other endpoint', { STANDX_AUTH_BASE: 'https://a.example', STANDX_GEO_BASE: 'http://g.example/x', STANDX_WS_STREAM_URL: 'wss://s.example/ws' }, (c) => [c.endpoints.authBase, c.endpoints.geoBase, c.endpoints.wsStreamUrl], ['https://a.example', 'http://g.example/x', 'wss://s.example/ws']],
    [
      'converts every timing to milliseconds',
      {
        MARKET_STALE_MS: '500',
        FRESH_MID_TIMEOUT_MS: '250',
        RECONCILE_INTERVAL_SECONDS: '0.2',
        SHUTDOWN_TIMEOUT_SECONDS: '1.5',
        ORDER_ACK_TIMEOUT_MS: '100',
        HTTP_TIMEOUT_MS: '300',
        MAX_CLOCK_SKEW_MS: '50',
        TOKEN_REFRESH_BEFORE_SECONDS: '0',
        TOKEN_EXPIRY_ALERT_HOURS: '1.5',
        MIN_QUOTE_REST_MS: '0',
        ORDER_BUDGET_PER_SECOND: '20',
        ORDER_BUDGET_PER_MINUTE: '20',
      },
      (c) => c.timing,
      {
        marketStaleMs: 500,
        freshMidTimeoutMs: 250,
        reconcileIntervalMs: 200,
        shutdownTimeoutMs: 1500,
        orderAckTimeoutMs: 100,
        httpTimeoutMs: 300,
        maxClockSkewMs: 50,
        tokenRefreshBeforeMs: 0,
        tokenExpiryAlertMs: 5_400_000,
        minQuoteRestMs: 0,
        orderBudgetPerSecond: 20,
        orderBudgetPerMinute: 20,
      },
    ],
    ['reads the client id prefix', { CL_ORD_ID_PREFIX: 'mm2' }, (c) => c.clOrdIdPrefix, 'mm2'],
    ['reads the signer', { SIGNER: 'NOBLE' }, (c) => c.signer, 'noble'],
    [
      'enables Telegram with both variables',
      { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: '-1001234567890', TELEGRAM_API_ROOT: 'http://127.0.0.1:9/', ALERT_THROTTLE_SECONDS: '5' },
      (c) => c.telegram,
      { botToken: BOT_TOKEN, chatId: '-1001234567890', apiRoot: 'http://127.0.0.1:9', throttleMs: 5000 },
    ],
    ['accepts an @channel chat id', { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: '@standx_alerts' }, (c) => c.telegram?.chatId, '@standx_alerts'],
  ])('%s', (_name, env, pick, expected) => {
    expect(pick(load({ ...TOKEN_ENV, ...env }))).toEqual(expected);
  });

  it('returns a deeply frozen config', () => {
    const config = load({ ...TOKEN_ENV, TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: '42' });
    for (const part of [config, config.quoting, config.credentials, config.telegram, config.log, config.endpoints, config.timing]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    expect(() => {
      (config.quoting as { symbol: string }).symbol = 'ETH-USD';
    }).toThrow(TypeError);
  });
});

describe('loadConfig: the reference bot’s example files parse unchanged', () => {
  // ethan0xbuilds/standx-perps-market-maker (MIT) .env.account1.example @ 496a352.
  const ACCOUNT1_EXAMPLE = `# ============================================================
# 账户1配置示例
# ============================================================

# 认证配置（二选一）
# 方式1：钱包私钥（自动生成 Ed25519 密钥对）
# WALLET_PRIVATE_KEY=0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef

# 方式2：Ed25519 私钥 + 访问令牌
ED25519_PRIVATE_KEY=your_account1_44_char_base58_key_here
ACCESS_TOKEN=your_account1_access_token_here

# ============================================================
# 做市策略参数
# ============================================================
MARKET_MAKER_SYMBOL=BTC-USD
MARKET_MAKER_QTY=0.005
MARKET_MAKER_TARGET_BPS=7.5    # 初始挂单偏离
MARKET_MAKER_MIN_BPS=7.0       # 最小偏离（低于此值重新挂）
MARKET_MAKER_MAX_BPS=9.9       # 最大偏离（超过此值重新挂）

MARKET_MAKER_CHECK_INTERVAL=0.0         # 检查间隔（秒，0 = 无延迟）

# ============================================================
# 日志 & 通知（可选）
# ============================================================
LOG_LEVEL=INFO                          # DEBUG | INFO | WARNING | ERROR | CRITICAL

# Telegram 通知（留空则禁用）
TELEGRAM_BOT_TOKEN=
TELEGRAM_CHAT_ID=
REORDER_NOTIFY_THROTTLE_SECONDS=3600    # 重挂通知限流（秒）
`;
  // .env.example @ d13bef7 (the older one, with the limit-order demo's variables).
  const ENV_EXAMPLE = `# StandX BSC Wallet Configuration
# Copy this file to .env and replace with your actual wallet private key
WALLET_PRIVATE_KEY=0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef

# Limit order demo config
LIMIT_ORDER_BPS=7.5
LIMIT_ORDER_TOLERANCE_BPS=0.5
LIMIT_ORDER_SYMBOL=BTC-USD
LIMIT_ORDER_SIDE=buy
LIMIT_ORDER_QTY=0.005

# Market maker config
MAX_ORDER_BPS=10
`;

  it('reads .env.account1.example once its placeholder credentials are filled in', () => {
    const filled = ACCOUNT1_EXAMPLE.replace('your_account1_44_char_base58_key_here', ED25519_KEY).replace(
      'your_account1_access_token_here',
      ACCESS_TOKEN,
    );
    const config = load(parseDotenv(filled));
    expect(config.quoting).toMatchObject({
      symbol: 'BTC-USD',
      qty: '0.005',
      targetBps: parseBps('7.5'),
      minBps: parseBps('7.0'),
      maxBps: parseBps('9.9'),
      checkIntervalMs: 0,
    });
    expect(config.log.level).toBe('info');
    expect(config.telegram).toBeNull();
    expect(config.credentials.scheme).toBe('token');
  });

  it('reports only the two placeholder credentials of the unedited file, without echoing them', () => {
    const env = parseDotenv(ACCOUNT1_EXAMPLE);
    const problems = problemsOf(env);
    expect(problems.map((line) => line.split(':')[0])).toEqual(['ED25519_PRIVATE_KEY', 'ACCESS_TOKEN']);
    const text = errorText(env);
    expect(text).not.toContain('your_account1');
  });

  it('reads .env.example (wallet scheme) unchanged', () => {
    const config = load(parseDotenv(ENV_EXAMPLE));
    expect(config.credentials).toEqual({ scheme: 'wallet', walletPrivateKey: WALLET_KEY });
    expect(config.quoting.maxBps).toBe(parseBps('10'));
  });
});

describe('loadConfig: credentials', () => {
  const SCHEME_PROBLEM = 'use exactly one scheme: WALLET_PRIVATE_KEY alone, or ED25519_PRIVATE_KEY with ACCESS_TOKEN';
  it.each<[string, Env, string[]]>([
    ['no credentials at all', {}, [`WALLET_PRIVATE_KEY: no credentials are set; ${SCHEME_PROBLEM}`]],
    ['both schemes', { WALLET_PRIVATE_KEY: WALLET_KEY, ...TOKEN_ENV }, [`WALLET_PRIVATE_KEY: cannot be combined with ED25519_PRIVATE_KEY or ACCESS_TOKEN; ${SCHEME_PROBLEM}`]],
    ['the wallet key with a token', { WALLET_PRIVATE_KEY: WALLET_KEY, ACCESS_TOKEN }, [`WALLET_PRIVATE_KEY: cannot be combined with ED25519_PRIVATE_KEY or ACCESS_TOKEN; ${SCHEME_PROBLEM}`]],
    ['the wallet key with an Ed25519 key', { WALLET_PRIVATE_KEY: WALLET_KEY, ED25519_PRIVATE_KEY: ED25519_KEY }, [`WALLET_PRIVATE_KEY: cannot be combined with ED25519_PRIVATE_KEY or ACCESS_TOKEN; ${SCHEME_PROBLEM}`]],
    ['the Ed25519 key alone', { ED25519_PRIVATE_KEY: ED25519_KEY }, ['ACCESS_TOKEN: is required with ED25519_PRIVATE_KEY']],
    ['the token alone', { ACCESS_TOKEN }, ['ED25519_PRIVATE_KEY: is required with ACCESS_TOKEN']],
    ['a wallet key without 0x', { WALLET_PRIVATE_KEY: WALLET_KEY.slice(2) }, ['WALLET_PRIVATE_KEY: must be 0x followed by 64 hex digits']],
    ['a short wallet key', { WALLET_PRIVATE_KEY: WALLET_KEY.slice(0, -2) }, ['WALLET_PRIVATE_KEY: must be 0x followed by 64 hex digits']],
    ['a wallet key with a non-hex digit', { WALLET_PRIVATE_KEY: `${WALLET_KEY.slice(0, -1)}g` }, ['WALLET_PRIVATE_KEY: must be 0x followed by 64 hex digits']],
    ['an Ed25519 key that is not base58', { ...TOKEN_ENV, ED25519_PRIVATE_KEY: '0OIl+/' }, ['ED25519_PRIVATE_KEY: must be the base58 of a 32-byte Ed25519 seed (not valid base58)']],
    ['an Ed25519 key of 31 bytes', { ...TOKEN_ENV, ED25519_PRIVATE_KEY: encodeBase58(SEED.slice(1)) }, ['ED25519_PRIVATE_KEY: must be the base58 of a 32-byte Ed25519 seed (decodes to 31 bytes, expected 32)']],
    ['an Ed25519 key of 64 bytes', { ...TOKEN_ENV, ED25519_PRIVATE_KEY: encodeBase58(new Uint8Array(64).fill(7)) }, ['ED25519_PRIVATE_KEY: must be the base58 of a 32-byte Ed25519 seed (decodes to 64 bytes, expected 32)']],
    ['a token with two parts', { ...TOKEN_ENV, ACCESS_TOKEN: 'abc.def' }, ['ACCESS_TOKEN: must be a JWT: three base64url parts joined by dots']],
    ['a token with a padding character', { ...TOKEN_ENV, ACCESS_TOKEN: 'abc.def.ghi=' }, ['ACCESS_TOKEN: must be a JWT: three base64url parts joined by dots']],
    ['a token with an empty part', { ...TOKEN_ENV, ACCESS_TOKEN: 'abc..ghi' }, ['ACCESS_TOKEN: must be a JWT: three base64url parts joined by dots']],
    ['a bad key and a missing token', { ED25519_PRIVATE_KEY: 'short' }, ['ED25519_PRIVATE_KEY: must be the base58 of a 32-byte Ed25519 seed (decodes to 4 bytes, expected 32)', 'ACCESS_TOKEN: is required with ED25519_PRIVATE_KEY']],
  ])('reports %s as one clear problem', (_name, env, expected) => {
    expect(problemsOf(env)).toEqual(expected);
  });
});

describe('loadConfig: every bad value names its variable', () => {
  it.each<[string, string]>([
    ['MARKET_MAKER_SYMBOL', 'btc-usd'],
    ['MARKET_MAKER_SYMBOL', 'BTCUSD'],
    ['MARKET_MAKER_QTY', '0'],
    ['MARKET_MAKER_QTY', '-0.005'],
    ['MARKET_MAKER_QTY', 'abc'],
    ['MARKET_MAKER_QTY', '1e-3'],
    ['MARKET_MAKER_TARGET_BPS', 'x'],
    ['MARKET_MAKER_TARGET_BPS', '0'],
    ['MARKET_MAKER_TARGET_BPS', '7.55555'],
    ['MARKET_MAKER_MIN_BPS', '-1'],
    ['MARKET_MAKER_MIN_BPS', '0'],
    ['MARKET_MAKER_MAX_BPS', '10000'],
    ['MARKET_MAKER_MAX_BPS', 'ten'],
    ['MARKET_MAKER_CHECK_INTERVAL', '-1'],
    ['MARKET_MAKER_CHECK_INTERVAL', 'soon'],
    ['MARKET_MAKER_CHECK_INTERVAL', '9999999'],
    ['TELEGRAM_API_ROOT', 'api.telegram.org'],
    ['TELEGRAM_API_ROOT', 'ftp://api.telegram.org'],
    ['ALERT_THROTTLE_SECONDS', '-5'],
    ['LOG_LEVEL', 'verbose'],
    ['LOG_MAX_SIZE_MB', '0'],
    ['LOG_MAX_SIZE_MB', 'big'],
    ['LOG_MAX_FILES', '0'],
    ['LOG_MAX_FILES', '2.5'],
    ['ACCOUNT_NAME', 'account 1'],
    ['ACCOUNT_NAME', 'a/b'],
    ['STANDX_API_BASE', 'not a url'],
    ['STANDX_API_BASE', 'wss://perps.standx.com'],
    ['STANDX_AUTH_BASE', 'ws://api.standx.com'],
    ['STANDX_GEO_BASE', '//geo.standx.com'],
    ['STANDX_WS_STREAM_URL', 'https://perps.standx.com/ws-stream/v1'],
    ['STANDX_WS_API_URL', 'perps.standx.com/ws-api/v1'],
    ['REQUOTE_POLICY', 'always'],
    ['MARK_BAND_BPS', '-1'],
    ['MARK_BAND_BPS', 'off'],
    ['BAND_PRIORITY', 'both'],
    ['MARK_PRIORITY_MIN_BPS', '0'],
    ['MARK_PRIORITY_MIN_BPS', 'far'],
    ['MIN_QUOTE_REST_MS', '-1'],
    ['MIN_QUOTE_REST_MS', '0.5'],
    ['ORDER_BUDGET_PER_SECOND', '21'],
    ['ORDER_BUDGET_PER_SECOND', '1'],
    ['ORDER_BUDGET_PER_MINUTE', '1201'],
    ['ORDER_BUDGET_PER_MINUTE', 'lots'],
    ['MID_METHOD', 'vwa'],
    ['MID_DEPTH_LEVELS', '0'],
    ['MID_DEPTH_LEVELS', '101'],
    ['MARKET_STALE_MS', '0'],
    ['MARKET_STALE_MS', '1.5'],
    ['FRESH_MID_TIMEOUT_MS', '-1'],
    ['RECONCILE_INTERVAL_SECONDS', '0'],
    ['SHUTDOWN_TIMEOUT_SECONDS', '0'],
    ['SHUTDOWN_TIMEOUT_SECONDS', 'x'],
    ['ORDER_ACK_TIMEOUT_MS', '5s'],
    ['HTTP_TIMEOUT_MS', '3000000000'],
    ['MAX_CLOCK_SKEW_MS', 'NaN'],
    ['METRICS_PORT', '65536'],
    ['METRICS_PORT', 'http'],
    ['TOKEN_REFRESH_BEFORE_SECONDS', '-1'],
    ['TOKEN_EXPIRY_ALERT_HOURS', 'day'],
    ['TOKEN_EXPIRY_ALERT_HOURS', '1000'],
    ['CL_ORD_ID_PREFIX', 'SMM'],
    ['CL_ORD_ID_PREFIX', 'toolongprefix'],
    ['CL_ORD_ID_PREFIX', 'a-b'],
    ['SIGNER', 'openssl'],
  ])('%s=%j', (name, value) => {
    const problems = problemsOf({ ...TOKEN_ENV, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
    expect(problems[0]).toContain(JSON.stringify(value));
  });

  it.each<[string, Env, string[]]>([
    ['min above target', { MARKET_MAKER_MIN_BPS: '8' }, ['MARKET_MAKER_MIN_BPS: must not exceed MARKET_MAKER_TARGET_BPS']],
    ['target above max', { MARKET_MAKER_TARGET_BPS: '10.5', MARKET_MAKER_MAX_BPS: '10' }, ['MARKET_MAKER_MAX_BPS: must not be below MARKET_MAKER_TARGET_BPS']],
    ['min above max', { MARKET_MAKER_MIN_BPS: '11', MARKET_MAKER_TARGET_BPS: '10.5', MARKET_MAKER_MAX_BPS: '10', MARK_BAND_BPS: '0' }, ['MARKET_MAKER_MIN_BPS: must not exceed MARKET_MAKER_TARGET_BPS', 'MARKET_MAKER_MAX_BPS: must not be below MARKET_MAKER_TARGET_BPS']],
    ['a mark band narrower than min', { MARK_BAND_BPS: '6.9999' }, ['MARK_BAND_BPS: must be 0 (off) or at least MARKET_MAKER_MIN_BPS, or no quote could satisfy both bands']],
    ['a safety distance beyond min', { MARK_PRIORITY_MIN_BPS: '7.0001' }, ['MARK_PRIORITY_MIN_BPS: must not exceed MARKET_MAKER_MIN_BPS']],
    ['a minute budget below the second budget', { ORDER_BUDGET_PER_SECOND: '12', ORDER_BUDGET_PER_MINUTE: '11' }, ['ORDER_BUDGET_PER_MINUTE: must not be below ORDER_BUDGET_PER_SECOND']],
    ['a chat id without a bot token', { TELEGRAM_CHAT_ID: '42' }, ['TELEGRAM_BOT_TOKEN: is required with TELEGRAM_CHAT_ID']],
    ['a bot token without a chat id', { TELEGRAM_BOT_TOKEN: BOT_TOKEN }, ['TELEGRAM_CHAT_ID: is required with TELEGRAM_BOT_TOKEN']],
    ['a malformed bot token', { TELEGRAM_BOT_TOKEN: 'not-a-token', TELEGRAM_CHAT_ID: '42' }, ['TELEGRAM_BOT_TOKEN: must look like <digits>:<token> as given by @BotFather']],
    ['a malformed chat id', { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: 'my chat' }, ['TELEGRAM_CHAT_ID: must be a numeric chat id or an @channel name']],
  ])('reports %s', (_name, env, expected) => {
    expect(problemsOf({ ...TOKEN_ENV, ...env })).toEqual(expected);
  });

  it('rejects a URL carrying credentials without echoing it', () => {
    const problems = problemsOf({ ...TOKEN_ENV, STANDX_API_BASE: 'https://user:hunter2@perps.standx.com' });
    expect(problems).toEqual(['STANDX_API_BASE: must not contain credentials']);
  });

  it.each<[string, string, string]>([
    ['an empty option', '', 'ACCOUNT_NAME: is required (set it or pass an account name)'],
    ['an option with a space', 'my account', 'ACCOUNT_NAME: the account name "my account" must be letters, digits, _ or -'],
  ])('reports the account name from %s', (_name, accountName, expected) => {
    expect(problemsOf(TOKEN_ENV, { accountName })).toEqual([expected]);
  });

  it('accepts a bad option name when ACCOUNT_NAME overrides it', () => {
    expect(load({ ...TOKEN_ENV, ACCOUNT_NAME: 'acct1' }, { accountName: 'bad name' }).accountName).toBe('acct1');
  });
});

describe('loadConfig: several problems at once', () => {
  it('reports every problem, one line each', () => {
    const problems = problemsOf(
      {
        ED25519_PRIVATE_KEY: 'nope',
        MARKET_MAKER_QTY: '0',
        MARKET_MAKER_MIN_BPS: '9',
        MARK_BAND_BPS: '8',
        LOG_LEVEL: 'loud',
        STANDX_WS_API_URL: 'https://x',
        TELEGRAM_CHAT_ID: '5',
        SIGNER: 'gpu',
      },
      { accountName: 'a b' },
    );
    expect(problems.map((line) => line.split(':')[0]).sort()).toEqual(
      [
        'ACCESS_TOKEN',
        'ACCOUNT_NAME',
        'ED25519_PRIVATE_KEY',
        'LOG_LEVEL',
        'MARKET_MAKER_MIN_BPS',
        'MARKET_MAKER_QTY',
        'MARK_BAND_BPS',
        'SIGNER',
        'STANDX_WS_API_URL',
        'TELEGRAM_BOT_TOKEN',
      ].sort(),
    );
  });

  it('still checks the band order when an unrelated variable is bad', () => {
    const problems = problemsOf({ ...TOKEN_ENV, MARKET_MAKER_MIN_BPS: '8', LOG_MAX_FILES: 'x' });
    expect(problems.map((line) => line.split(':')[0])).toEqual(['LOG_MAX_FILES', 'MARKET_MAKER_MIN_BPS']);
  });

  it('does not repeat a field problem as a band-order problem', () => {
    expect(problemsOf({ ...TOKEN_ENV, MARKET_MAKER_MIN_BPS: 'x' }).map((line) => line.split(':')[0])).toEqual([
      'MARKET_MAKER_MIN_BPS',
    ]);
  });
});

describe('loadConfig: secrets never appear in problems', () => {
  const WALLET_LIKE = '0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdeX';
  it.each<[string, Env, string[]]>([
    ['a malformed wallet key', { WALLET_PRIVATE_KEY: WALLET_LIKE }, [WALLET_LIKE]],
    ['a wallet key mixed with a token scheme', { WALLET_PRIVATE_KEY: WALLET_KEY, ...TOKEN_ENV }, [WALLET_KEY, ED25519_KEY, ACCESS_TOKEN]],
    ['a malformed Ed25519 key', { ED25519_PRIVATE_KEY: 'SECRETsecretSECRET0000', ACCESS_TOKEN }, ['SECRETsecretSECRET', ACCESS_TOKEN]],
    ['a malformed token', { ED25519_PRIVATE_KEY: ED25519_KEY, ACCESS_TOKEN: 'secret-token-value' }, [ED25519_KEY, 'secret-token-value']],
    ['a lone token', { ACCESS_TOKEN }, [ACCESS_TOKEN]],
    ['a malformed bot token', { ...TOKEN_ENV, TELEGRAM_BOT_TOKEN: 'bot-secret-value', TELEGRAM_CHAT_ID: '1' }, ['bot-secret-value', ED25519_KEY]],
    ['a bot token without chat id', { ...TOKEN_ENV, TELEGRAM_BOT_TOKEN: BOT_TOKEN }, [BOT_TOKEN]],
    ['valid secrets beside another problem', { ...TOKEN_ENV, TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: '1', LOG_LEVEL: 'x' }, [ED25519_KEY, ACCESS_TOKEN, BOT_TOKEN]],
  ])('%s', (_name, env, secrets) => {
    const text = errorText(env);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe('describeConfig and accidental serialisation', () => {
  const config = load({ ...TOKEN_ENV, TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: '-100777' });
  const secrets = [ED25519_KEY, ACCESS_TOKEN, BOT_TOKEN, '-100777'];

  it('describes the config without any secret', () => {
    const description = describeConfig(config);
    const text = JSON.stringify(description);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('ed25519Seed');
    expect(description).toMatchObject({
      accountName: 'account1',
      credentials: { scheme: 'token' },
      quoting: { targetBps: '7.5', minBps: '7', maxBps: '10', markBandBps: '10', policy: 'overlap', bandPriority: 'mark', markPriorityMinBps: '5' },
      telegram: { enabled: true, apiRoot: 'https://api.telegram.org', throttleMs: 60_000 },
    });
  });

  it('describes a wallet config without Telegram', () => {
    const description = describeConfig(load({ WALLET_PRIVATE_KEY: WALLET_KEY, MARK_BAND_BPS: '0' }));
    expect(JSON.stringify(description)).not.toContain(WALLET_KEY.slice(2));
    expect(description.credentials).toEqual({ scheme: 'wallet' });
    expect(description.telegram).toEqual({ enabled: false });
    expect(description.quoting.markBandBps).toBeNull();
  });

  it('redacts the credentials in JSON.stringify and util.inspect of the whole config', () => {
    for (const text of [JSON.stringify(config, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)), inspect(config, { depth: 5 })]) {
      expect(text).not.toContain(ED25519_KEY);
      expect(text).not.toContain(ACCESS_TOKEN);
      expect(text).toContain('[redacted]');
    }
    const wallet = load({ WALLET_PRIVATE_KEY: WALLET_KEY });
    expect(inspect(wallet)).not.toContain(WALLET_KEY);
  });
});

describe('kill switches', () => {
  const base = { WALLET_PRIVATE_KEY: `0x${'11'.repeat(32)}` };
  it.each([
    [{}, { maxConsecutiveFailures: 0, dailyLossLimit: null }],
    [{ MAX_CONSECUTIVE_FAILURES: '20', DAILY_LOSS_LIMIT: '50.5' }, { maxConsecutiveFailures: 20, dailyLossLimit: '50.5' }],
    [{ DAILY_LOSS_LIMIT: '0.00' }, { maxConsecutiveFailures: 0, dailyLossLimit: null }],
  ])('%j → %j', (env, guards) => {
    expect(loadConfig({ ...base, ...env }, { accountName: 'a' }).guards).toEqual(guards);
  });

  it.each([
    ['MAX_CONSECUTIVE_FAILURES', '-1'],
    ['MAX_CONSECUTIVE_FAILURES', '2.5'],
    ['DAILY_LOSS_LIMIT', '-10'],
    ['DAILY_LOSS_LIMIT', 'ten'],
  ])('%s=%s is refused with a line naming it', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value }, { accountName: 'a' })).toThrow(new RegExp(`^invalid configuration: ${name}: `));
  });
});
