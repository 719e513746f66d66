import { once } from 'node:events';
import bs58 from 'bs58';
import { verifyMessage } from 'ethers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthError, ConfigError, TransientError } from '../../../../src/errors.js';
import { silentLog } from '../../../../src/ops/log.js';
import { createAuthSession, type AuthSession, type AuthSessionOptions } from '../../../../src/exchange/standx/auth.js';
import type { StandXEndpoints } from '../../../../src/exchange/standx/endpoints.js';
import { StandXHttpClient } from '../../../../src/exchange/standx/http.js';
import type { Clock } from '../../../../src/ops/clock.js';
import { hasValidSignature, InstantClock, json, makeJwt, ManualClock, startStub, type Received, type Stub } from './http-stub.js';

const WALLET_KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
const WALLET_ADDRESS = '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23';
const SEED = Uint8Array.from({ length: 32 }, (_, i) => i);
const SEED_BASE58 = '1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE';
const REQUEST_ID = 'FAe4sisG95oZ42w7buUn5qEE4TAnfTTFPiguZUHmhiF';
const NOW_MS = 1_767_225_600_000;

type Reply = { status: number; body: unknown };

/**
 * A StandX login host: prepare-signin issues a SIWE message bound to the requestId, login checks
 * the EIP-191 signature recovers the address and issues a token that expires `expiresSeconds` later.
 * Queued replies override the next answers of each route.
 */
class SigninHost {
  readonly tokens: string[] = [];
  readonly prepareReplies: Reply[] = [];
  readonly loginReplies: Reply[] = [];
  logins = 0;
  readonly #now: () => number;
  readonly #issued = new Map<string, { address: string; message: string }>();

  constructor(stub: Stub, now: () => number) {
    this.#now = now;
    stub.handle((req, res) => {
      const reply = req.query.get('chain') !== 'bsc' ? { status: 400, body: { message: 'bad chain' } } : this.#answer(req);
      json(res, reply.status, reply.body);
    });
  }

  #answer(req: Received): Reply {
    const body = JSON.parse(req.raw.toString('utf8')) as Record<string, unknown>;
    const nowS = Math.floor(this.#now() / 1000);
    if (req.path === '/v1/offchain/prepare-signin') {
      const queued = this.prepareReplies.shift();
      if (queued) return queued;
      const address = String(body.address);
      const message = `standx.com wants you to sign in with your Ethereum account:\n${address}\n\nNonce: n${this.#issued.size}`;
      const signedData = makeJwt({ domain: 'standx.com', chainId: 56, address, requestId: body.requestId, message, iat: nowS, exp: nowS + 180 });
      this.#issued.set(signedData, { address, message });
      return { status: 200, body: { success: true, signedData } };
    }
    this.logins += 1;
    const queued = this.loginReplies.shift();
    if (queued) return queued;
    const issued = this.#issued.get(String(body.signedData));
    if (!issued || verifyMessage(issued.message, String(body.signature)) !== issued.address) {
      return { status: 401, body: { message: 'invalid signature' } };
    }
    const token = makeJwt({ address: issued.address, n: this.logins, iat: nowS, exp: nowS + Number(body.expiresSeconds) });
    this.tokens.push(token);
    return { status: 200, body: { token, address: issued.address, chain: 'bsc' } };
  }
}

let stub: Stub;
const sessions: AuthSession[] = [];
beforeEach(async () => {
  stub = await startStub();
});
afterEach(async () => {
  for (const session of sessions.splice(0)) session.stop();
  await stub.close();
});

function endpoints(): StandXEndpoints {
  return { apiBase: stub.baseUrl, authBase: stub.baseUrl, geoBase: stub.baseUrl, wsStreamUrl: 'ws://unused', wsApiUrl: 'ws://unused' };
}

function walletSession(clock: Clock, options: Partial<AuthSessionOptions> = {}): AuthSession {
  const session = createAuthSession(
    { scheme: 'wallet', walletPrivateKey: WALLET_KEY },
    { signin: new StandXHttpClient({ endpoints: endpoints() }), clock, newSeed: () => SEED, random: () => 0.5, ...options },
  );
  sessions.push(session);
  return session;
}

function expectNoSecrets(error: unknown, tokens: readonly string[]): void {
  const text = `${String(error)} ${JSON.stringify(error)} ${String((error as Error).cause)}`;
  for (const secret of [WALLET_KEY, WALLET_KEY.slice(2), SEED_BASE58, ...tokens]) expect(text).not.toContain(secret);
}

describe('wallet scheme sign-in', () => {
  it('binds the session key with prepare-signin, signs the message with EIP-191 and uses the login token', async () => {
    const host = new SigninHost(stub, () => NOW_MS);
    const session = walletSession(new InstantClock(NOW_MS), { expiresSeconds: 86_400 });
    const emitted = vi.fn();
    session.on('token', emitted);
    await session.start();

    const [prepare, login] = stub.received;
    expect(prepare?.path).toBe('/v1/offchain/prepare-signin');
    expect(JSON.parse(prepare?.raw.toString('utf8') ?? '')).toEqual({ address: WALLET_ADDRESS, requestId: REQUEST_ID });
    expect(bs58.encode(session.signer.publicKey)).toBe(REQUEST_ID);
    expect(login?.path).toBe('/v1/offchain/login');
    expect(JSON.parse(login?.raw.toString('utf8') ?? '')).toMatchObject({ signature: expect.stringMatching(/^0x[0-9a-f]{130}$/), expiresSeconds: 86_400 });
    expect(session.scheme).toBe('wallet');
    expect(session.token()).toBe(host.tokens[0]);
    expect(session.expiresAtMs()).toBe(NOW_MS + 86_400_000);
    expect(emitted).toHaveBeenCalledExactlyOnceWith(host.tokens[0], NOW_MS + 86_400_000);
  });

  it('signs requests with the key it bound, under its token', async () => {
    const host = new SigninHost(stub, () => NOW_MS);
    const session = walletSession(new InstantClock(NOW_MS));
    await session.start();
    const http = new StandXHttpClient({ endpoints: endpoints() }).withAuth(session);
    stub.handle((_req, res) => json(res, 200, { code: 0, message: 'success', request_id: 'r' }));
    await http.cancelOrder('{"order_id":1}');
    const request = stub.received.at(-1);
    expect(request?.headers.authorization).toBe(`Bearer ${host.tokens[0]}`);
    expect(request && hasValidSignature(request, bs58.decode(REQUEST_ID))).toBe(true);
  });

  it('has no token before the first login', () => {
    expect(() => walletSession(new InstantClock(NOW_MS)).token()).toThrow(AuthError);
  });

  it('retries a first login that failed for network reasons', async () => {
    const host = new SigninHost(stub, () => NOW_MS);
    host.prepareReplies.push({ status: 503, body: { message: 'busy' } }, { status: 502, body: {} });
    const clock = new InstantClock(NOW_MS);
    const session = walletSession(clock, { retryBackoff: { baseMs: 1_000, maxMs: 60_000 } });
    await session.start();
    expect(session.token()).toBe(host.tokens[0]);
    expect(clock.sleeps).toEqual([500, 1_000]);
  });

  it('gives up a first login that keeps failing for network reasons with TransientError', async () => {
    const host = new SigninHost(stub, () => NOW_MS);
    for (let i = 0; i < 5; i += 1) host.prepareReplies.push({ status: 503, body: {} });
    await expect(walletSession(new InstantClock(NOW_MS), { startAttempts: 3 }).start()).rejects.toBeInstanceOf(TransientError);
    expect(stub.received).toHaveLength(3);
  });

  it.each<[string, (host: SigninHost) => void, number]>([
    ['prepare-signin answers success:false', (host) => host.prepareReplies.push({ status: 200, body: { success: false } }), 1],
    ['prepare-signin answers no signedData', (host) => host.prepareReplies.push({ status: 200, body: { success: true } }), 1],
    ['signedData is not a JWT', (host) => host.prepareReplies.push({ status: 200, body: { success: true, signedData: 'opaque' } }), 1],
    [
      'signedData binds another requestId',
      (host) => host.prepareReplies.push({ status: 200, body: { success: true, signedData: makeJwt({ requestId: 'other', message: 'sign me' }) } }),
      1,
    ],
    [
      'signedData is for another wallet',
      (host) => host.prepareReplies.push({ status: 200, body: { success: true, signedData: makeJwt({ address: '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf', message: 'sign me' }) } }),
      1,
    ],
    ['login answers 401', (host) => host.loginReplies.push({ status: 401, body: { message: 'invalid signature' } }), 2],
    ['login answers 400', (host) => host.loginReplies.push({ status: 400, body: { code: 400, message: 'nonce used' } }), 2],
    ['login answers no token', (host) => host.loginReplies.push({ status: 200, body: { address: WALLET_ADDRESS } }), 2],
  ])('fails with AuthError, without retrying or echoing secrets, when %s', async (_label, arrange, requests) => {
    const host = new SigninHost(stub, () => NOW_MS);
    arrange(host);
    const failure = await walletSession(new InstantClock(NOW_MS)).start().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthError);
    expect(stub.received).toHaveLength(requests);
    expectNoSecrets(failure, host.tokens);
  });

  it('rejects a malformed WALLET_PRIVATE_KEY with ConfigError', () => {
    expect(() => createAuthSession({ scheme: 'wallet', walletPrivateKey: '0x1234' }, { signin: new StandXHttpClient() })).toThrow(ConfigError);
  });
});

describe('wallet scheme renewal', () => {
  const LIFETIME_S = 600;

  async function started(clock: ManualClock, options: Partial<AuthSessionOptions> = {}): Promise<{ host: SigninHost; session: AuthSession }> {
    const host = new SigninHost(stub, () => clock.now());
    const session = walletSession(clock, { expiresSeconds: LIFETIME_S, refreshBeforeMs: 60_000, ...options });
    await session.start();
    return { host, session };
  }

  it('logs in again before the token expires and announces the new token', async () => {
    const clock = new ManualClock(NOW_MS);
    const { host, session } = await started(clock);
    const firstToken = session.token();
    expect(await clock.waitForSleep()).toBe(540_000); // exp − refreshBeforeMs

    await clock.advance(539_999);
    expect(host.logins).toBe(1);
    expect(session.token()).toBe(firstToken);

    const announced = once(session, 'token');
    await clock.advance(1);
    const [token, expiresAtMs] = (await announced) as [string, number];
    expect(host.logins).toBe(2);
    expect(token).toBe(host.tokens[1]);
    expect(session.token()).toBe(token);
    expect(expiresAtMs).toBe(NOW_MS + 540_000 + LIFETIME_S * 1_000);
    expect(session.expiresAtMs()).toBe(expiresAtMs);
    expect(await clock.waitForSleep()).toBe(540_000); // and schedules the next one
  });

  it('never leads by more than half the token lifetime', async () => {
    const clock = new ManualClock(NOW_MS);
    await started(clock, { refreshBeforeMs: 3_600_000 });
    expect(await clock.waitForSleep()).toBe(300_000);
  });

  it('waits for a week-long token in bounded timer steps', async () => {
    const clock = new ManualClock(NOW_MS);
    const { host, session } = await started(clock, { expiresSeconds: 604_800, refreshBeforeMs: 1_800_000, maxTimerMs: 3_600_000 });
    const announced = once(session, 'token');
    let waitedMs = 0;
    while (waitedMs < 604_800_000 - 1_800_000) {
      const ms = await clock.waitForSleep();
      expect(ms).toBeLessThanOrEqual(3_600_000);
      waitedMs += ms;
      await clock.advance(ms);
    }
    await announced;
    expect(waitedMs).toBe(604_800_000 - 1_800_000);
    expect(host.logins).toBe(2);
  });

  it('retries a failed re-login with backoff while the old token is valid', async () => {
    const clock = new ManualClock(NOW_MS);
    const warn = vi.fn();
    const { host, session } = await started(clock, { retryBackoff: { baseMs: 1_000, maxMs: 60_000 }, logger: { ...silentLog, debug: vi.fn(), warn } });
    const firstToken = session.token();
    host.loginReplies.push({ status: 503, body: { message: 'busy' } }, { status: 401, body: { message: 'nope' } });

    await clock.advance(await clock.waitForSleep());
    expect(await clock.waitForSleep()).toBe(500);
    expect(session.token()).toBe(firstToken);
    await clock.advance(500);
    expect(await clock.waitForSleep()).toBe(1_000);
    expect(session.token()).toBe(firstToken);

    const announced = once(session, 'token');
    await clock.advance(1_000);
    await announced;
    expect(host.logins).toBe(4);
    expect(session.token()).toBe(host.tokens[1]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(firstToken);
  });

  it('reports AuthError once the token expired without a successful re-login', async () => {
    const clock = new ManualClock(NOW_MS);
    const { host, session } = await started(clock, { retryBackoff: { baseMs: 20_000, maxMs: 20_000 } });
    for (let i = 0; i < 20; i += 1) host.loginReplies.push({ status: 503, body: { message: 'busy' } });
    const failed = once(session, 'authFailure');

    await clock.advance(await clock.waitForSleep()); // t = 540 s: first attempt
    for (let t = 540; t < 600; t += 10) {
      expect(await clock.waitForSleep()).toBe(10_000); // 0.5 × 20 s, never past the expiry
      await clock.advance(10_000);
    }
    const [failure] = (await failed) as [AuthError];
    expect(failure).toBeInstanceOf(AuthError);
    expect(failure.cause).toBeInstanceOf(TransientError);
    expect(host.logins).toBe(1 + 6);
    expect(clock.pendingSleeps).toBe(0);
    expectNoSecrets(failure, [session.token()]);
  });

  it('stops renewing on stop()', async () => {
    const clock = new ManualClock(NOW_MS);
    const { host, session } = await started(clock);
    await clock.waitForSleep();
    session.stop();
    expect(clock.pendingSleeps).toBe(0);
    await clock.advance(600_000);
    expect(host.logins).toBe(1);
  });

  it('stops renewing when the start signal aborts', async () => {
    const clock = new ManualClock(NOW_MS);
    const host = new SigninHost(stub, () => clock.now());
    const controller = new AbortController();
    const session = walletSession(clock, { expiresSeconds: LIFETIME_S });
    await session.start(controller.signal);
    await clock.waitForSleep();
    controller.abort();
    expect(clock.pendingSleeps).toBe(0);
    await clock.advance(600_000);
    expect(host.logins).toBe(1);
  });

  it('keeps renewing when a token listener throws', async () => {
    const clock = new ManualClock(NOW_MS);
    const { host, session } = await started(clock);
    session.on('token', () => {
      throw new Error('listener bug');
    });
    const announced = once(session, 'token');
    await clock.advance(await clock.waitForSleep());
    await announced;
    expect(await clock.waitForSleep()).toBe(540_000);
    expect(host.logins).toBe(2);
  });
});

describe('token scheme', () => {
  function tokenSession(accessToken: string, ed25519PrivateKey = SEED_BASE58): AuthSession {
    const session = createAuthSession({ scheme: 'token', ed25519PrivateKey, accessToken }, { clock: new InstantClock(NOW_MS) });
    sessions.push(session);
    return session;
  }

  it('uses ACCESS_TOKEN as is and learns its expiry from exp', async () => {
    const token = makeJwt({ address: WALLET_ADDRESS, exp: NOW_MS / 1000 + 86_400 });
    const session = tokenSession(`${token}\n`);
    const emitted = vi.fn();
    session.on('token', emitted);
    await session.start();
    expect(session.scheme).toBe('token');
    expect(session.token()).toBe(token);
    expect(session.expiresAtMs()).toBe(NOW_MS + 86_400_000);
    expect(emitted).toHaveBeenCalledExactlyOnceWith(token, NOW_MS + 86_400_000);
    expect(bs58.encode(session.signer.publicKey)).toBe(REQUEST_ID);
  });

  it('accepts a token without exp, whose expiry is then unknown', async () => {
    const session = tokenSession(makeJwt({ address: WALLET_ADDRESS }));
    await session.start();
    expect(session.expiresAtMs()).toBeNull();
  });

  it('signs HTTP writes with ED25519_PRIVATE_KEY under ACCESS_TOKEN', async () => {
    const token = makeJwt({ exp: NOW_MS / 1000 + 60 });
    const session = tokenSession(token);
    await session.start();
    stub.handle((_req, res) => json(res, 200, { code: 0, message: 'success' }));
    await new StandXHttpClient({ endpoints: endpoints() }).withAuth(session).newOrder('{"symbol":"BTC-USD"}');
    const [request] = stub.received;
    expect(request?.headers.authorization).toBe(`Bearer ${token}`);
    expect(request && hasValidSignature(request, bs58.decode(REQUEST_ID))).toBe(true);
  });

  it('refuses a token that does not decode, without echoing it', async () => {
    const token = 'definitely-not-a-jwt-0123456789';
    const failure = await tokenSession(token).start().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthError);
    expectNoSecrets(failure, [token]);
  });

  it('refuses a token that has already expired', async () => {
    const token = makeJwt({ exp: NOW_MS / 1000 - 1 });
    const failure = await tokenSession(token).start().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as Error).message).toContain(new Date(NOW_MS - 1000).toISOString());
    expectNoSecrets(failure, [token]);
  });

  it.each([
    ['a malformed ED25519_PRIVATE_KEY', SEED_BASE58.slice(0, 30), makeJwt({})],
    ['an empty ACCESS_TOKEN', SEED_BASE58, '  '],
  ])('rejects %s with ConfigError', (_label, key, token) => {
    expect(() => tokenSession(token, key)).toThrow(ConfigError);
  });
});
