// Test helpers for the simulator suite: raw fetch/ws clients and node:crypto request signing,
// written independently of src/exchange/standx so that these tests check the protocol, not the client.

import { createPrivateKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import bs58 from 'bs58';
import { Wallet } from 'ethers';
import WebSocket from 'ws';
import { afterEach } from 'vitest';
import type { Clock } from '../../src/ops/clock.js';
import { startSimulator, type SimAccountCredentials, type Simulator, type SimulatorOptions } from '../../src/sim/index.js';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
export const WAIT_MS = 3_000;

export type Frame = Record<string, unknown>;

/** A quiet simulator: no timers moving prices or pushing books unless the test says so. */
export function startQuietSim(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ autoRun: false, pushIntervalMs: 0, ...options });
}

export interface PerTest {
  /** A quiet simulator (unless `options` say otherwise), closed after the test; a test may start several. */
  start(options?: SimulatorOptions): Promise<Simulator>;
  /** Sockets to close after the test, before the simulator. */
  track(...sockets: TestSocket[]): void;
}

/** Call once per test file: what each test starts or tracks is closed after it. */
export function closedAfterEachTest(): PerTest {
  const sims: Simulator[] = [];
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await Promise.all(sims.splice(0).map((sim) => sim.close()));
  });
  return {
    start: async (options) => {
      const sim = await startQuietSim(options);
      sims.push(sim);
      return sim;
    },
    track: (...opened) => void sockets.push(...opened),
  };
}

export function ed25519Key(base58Seed: string): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, bs58.decode(base58Seed)]), format: 'der', type: 'pkcs8' });
}

export interface SignOptions {
  readonly timestampMs?: number;
  readonly requestId?: string;
  readonly key?: KeyObject;
}

/** The four §3 headers for `payload`, signed with the account's Ed25519 key unless another is given. */
export function signedHeaders(creds: SimAccountCredentials, payload: string, options: SignOptions = {}): Record<string, string> {
  const requestId = options.requestId ?? randomUUID();
  const timestamp = String(options.timestampMs ?? Date.now());
  const key = options.key ?? ed25519Key(creds.ed25519PrivateKey);
  const signature = sign(null, Buffer.from(`v1,${requestId},${timestamp},${payload}`, 'utf8'), key).toString('base64');
  return {
    'x-request-sign-version': 'v1',
    'x-request-id': requestId,
    'x-request-timestamp': timestamp,
    'x-request-signature': signature,
  };
}

export interface HttpResult {
  readonly status: number;
  readonly body: unknown;
}

async function result(response: Response): Promise<HttpResult> {
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
  }
}

export async function getJson(url: string, token?: string): Promise<HttpResult> {
  return result(await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }));
}

export async function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return result(await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }));
}

/** A signed POST to the perps API as StandX expects it: Bearer + §3 headers over the exact body bytes. */
export function postSigned(
  sim: Simulator,
  creds: SimAccountCredentials,
  path: string,
  body: object | string,
  options: SignOptions & { readonly extraHeaders?: Record<string, string>; readonly token?: string } = {},
): Promise<HttpResult> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const headers = { authorization: `Bearer ${options.token ?? creds.accessToken}`, ...signedHeaders(creds, payload, options), ...options.extraHeaders };
  return postJson(`${sim.urls.apiBase}${path}`, payload, headers);
}

/** A raw ws client that buffers every frame, so a test can await the frame it expects. */
export class TestSocket {
  readonly ws: WebSocket;
  readonly frames: (Frame | string)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #waiters = new Set<() => void>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      try {
        this.frames.push(JSON.parse(text) as Frame);
      } catch {
        this.frames.push(text);
      }
      for (const waiter of [...this.#waiters]) waiter();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async open(url: string, options: WebSocket.ClientOptions = {}): Promise<TestSocket> {
    const ws = new WebSocket(url, options);
    const socket = new TestSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** The first buffered or future frame matching `match` (frames are not consumed). */
  next(match: (frame: Frame | string) => boolean, timeoutMs = WAIT_MS): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.frames.find(match);
        if (found === undefined) return false;
        cleanup();
        resolve(typeof found === 'string' ? { raw: found } : found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames).slice(0, 2000)}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const waiter = (): void => void check();
      this.#waiters.add(waiter);
      check();
    });
  }

  /** Resolves with the close info, or rejects if the socket is still open after timeoutMs. */
  async waitClosed(timeoutMs = WAIT_MS): Promise<{ code: number; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.ws.terminate();
  }
}

export const isFrame = (channel: string) => (frame: Frame | string): boolean =>
  typeof frame === 'object' && frame.channel === channel;

export const isReply = (requestId: string) => (frame: Frame | string): boolean =>
  typeof frame === 'object' && frame.request_id === requestId;

export function dataOf(frame: Frame): Frame {
  return frame.data as Frame;
}

/** Stream socket authenticated for the account's private channels. */
export async function privateStream(sim: Simulator, creds: SimAccountCredentials, channels = ['order', 'position', 'balance', 'trade']): Promise<TestSocket> {
  const socket = await TestSocket.open(sim.urls.wsStream);
  socket.send({ auth: { token: creds.accessToken, streams: channels.map((channel) => ({ channel })) } });
  const auth = await socket.next(isFrame('auth'));
  if ((auth.data as Frame).code !== 200) throw new Error(`stream auth failed: ${JSON.stringify(auth)}`);
  return socket;
}

export function envelope(method: string, params: string, header?: Record<string, string>, sessionId = 'session-1'): Frame & { request_id: string } {
  const request = { session_id: sessionId, request_id: randomUUID(), method, params };
  return header === undefined ? request : { ...request, header };
}

/** ws-api socket after a successful auth:login. */
export async function loggedInApi(sim: Simulator, creds: SimAccountCredentials, sessionId = 'session-1'): Promise<TestSocket> {
  const socket = await TestSocket.open(sim.urls.wsApi);
  const login = envelope('auth:login', JSON.stringify({ token: creds.accessToken }), undefined, sessionId);
  socket.send(login);
  const reply = await socket.next(isReply(login.request_id));
  if (reply.code !== 0) throw new Error(`ws-api login failed: ${JSON.stringify(reply)}`);
  return socket;
}

/** A signed order:new / order:cancel envelope; the signature covers the params string as sent. */
export function signedEnvelope(creds: SimAccountCredentials, method: string, params: object, options: SignOptions = {}): Frame & { request_id: string } {
  const text = JSON.stringify(params);
  const { 'x-request-sign-version': _version, ...header } = signedHeaders(creds, text, options);
  return envelope(method, text, header);
}

export function limitOrder(side: 'buy' | 'sell', price: string, qty = '0.0100', extra: object = {}): Frame {
  return { symbol: 'BTC-USD', side, order_type: 'limit', qty, price, time_in_force: 'alo', reduce_only: false, ...extra };
}

export interface ManualClock extends Clock {
  advance(ms: number): void;
}

/** Wall and monotonic time that move only when the test says so; sleep still uses real timers. */
export function manualClock(startMs = 1_700_000_000_000): ManualClock {
  let offsetMs = 0;
  return {
    now: () => startMs + offsetMs,
    monotonic: () => offsetMs,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    advance: (ms) => {
      offsetMs += ms;
    },
  };
}

export function decodeJwtPayload(jwt: string): Frame {
  const part = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Frame;
}

/** A fresh Ed25519 session key: requestId = base58(public key), seed as ED25519_PRIVATE_KEY. */
export function freshEd25519(): { requestId: string; seedBase58: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  return { requestId: bs58.encode(raw), seedBase58: bs58.encode(seed) };
}

/** The §2.1 wallet scheme: prepare-signin, EIP-191 signature of the message, login. */
export async function walletSignIn(sim: Simulator, walletPrivateKey: string): Promise<{ token: string; seedBase58: string }> {
  const wallet = new Wallet(walletPrivateKey);
  const key = freshEd25519();
  const prepare = await postJson(`${sim.urls.authBase}/v1/offchain/prepare-signin?chain=bsc`, JSON.stringify({ address: wallet.address, requestId: key.requestId }));
  const signedData = (prepare.body as Frame).signedData as string;
  const signature = await wallet.signMessage(decodeJwtPayload(signedData).message as string);
  const login = await postJson(`${sim.urls.authBase}/v1/offchain/login?chain=bsc`, JSON.stringify({ signature, signedData }));
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  return { token: (login.body as Frame).token as string, seedBase58: key.seedBase58 };
}
