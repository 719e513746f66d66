// Test doubles for the StandX HTTP and auth tests: a loopback node:http stub that records the exact
// bytes it receives, an Ed25519 check over those bytes with node:crypto, a manual Clock, JWT builders.

import { createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../../src/ops/clock.js';

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  readonly raw: Buffer;
}

export type Handler = (request: Received, response: ServerResponse) => void;

export interface Stub {
  readonly baseUrl: string;
  readonly received: Received[];
  /** Resolves with the next request the stub receives (after its body is complete). */
  nextRequest(): Promise<Received>;
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startStub(handler: Handler = (_req, res) => json(res, 200, {})): Promise<Stub> {
  let current = handler;
  const received: Received[] = [];
  const waiters: Array<(request: Received) => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const request: Received = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        raw: Buffer.concat(chunks),
      };
      received.push(request);
      for (const waiter of waiters.splice(0)) waiter(request);
      current(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    nextRequest: () => new Promise((resolve) => waiters.push(resolve)),
    handle: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(response: ServerResponse, status: number, body: unknown): void {
  text(response, status, JSON.stringify(body));
}

export function text(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(body);
}

// DER prefix of an SPKI Ed25519 public key; the 32 raw bytes follow it (RFC 8410).
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * True when the x-request-* headers carry a valid Ed25519 signature of
 * `v1,<id>,<timestamp>,<body bytes as received>` under `publicKey` (protocol §3).
 */
export function hasValidSignature(request: Received, publicKey: Uint8Array): boolean {
  const { headers } = request;
  const id = headers['x-request-id'];
  const timestamp = headers['x-request-timestamp'];
  const signature = headers['x-request-signature'];
  if (headers['x-request-sign-version'] !== 'v1' || typeof id !== 'string' || typeof timestamp !== 'string') return false;
  if (typeof signature !== 'string') return false;
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
  const message = Buffer.concat([Buffer.from(`v1,${id},${timestamp},`, 'utf8'), request.raw]);
  return verify(null, message, key, Buffer.from(signature, 'base64'));
}

export function makeJwt(payload: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${part({ alg: 'ES256', typ: 'JWT' })}.${part(payload)}.c2lnbmF0dXJl`;
}

interface PendingSleep {
  readonly wakeAtMs: number;
  readonly ms: number;
  readonly resolve: () => void;
}

/** A Clock whose time moves only through advance(); sleeps resolve when their time is reached. */
export class ManualClock implements Clock {
  #nowMs: number;
  #pending: PendingSleep[] = [];
  #sleepWaiters: Array<(ms: number) => void> = [];
  readonly sleeps: number[] = [];

  constructor(startMs: number) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  monotonic(): number {
    return this.#nowMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const entry: PendingSleep = {
        wakeAtMs: this.#nowMs + ms,
        ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#pending = this.#pending.filter((pending) => pending !== entry);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.push(entry);
      this.sleeps.push(ms);
      for (const waiter of this.#sleepWaiters.splice(0)) waiter(ms);
    });
  }

  /** Number of sleeps not yet woken or aborted. */
  get pendingSleeps(): number {
    return this.#pending.length;
  }

  /** Resolves with the duration of a pending sleep that matches, waiting for one when there is none. */
  waitForSleep(matches: (ms: number) => boolean = () => true): Promise<number> {
    const pending = this.#pending.find((entry) => matches(entry.ms));
    if (pending) return Promise.resolve(pending.ms);
    return new Promise((resolve) => {
      const waiter = (ms: number): void => {
        if (matches(ms)) resolve(ms);
        else this.#sleepWaiters.push(waiter);
      };
      this.#sleepWaiters.push(waiter);
    });
  }

  /** Moves time forward and wakes every sleep that is due. */
  async advance(ms: number): Promise<void> {
    this.#nowMs += ms;
    const due = this.#pending.filter((pending) => pending.wakeAtMs <= this.#nowMs);
    this.#pending = this.#pending.filter((pending) => pending.wakeAtMs > this.#nowMs);
    for (const pending of due) pending.resolve();
    await Promise.resolve();
  }
}

/**
 * A Clock whose short sleeps (backoff) resolve at once and are recorded, while sleeps of `hangFromMs`
 * or more (request timeouts) only end when aborted. `now` is fixed.
 */
export class InstantClock implements Clock {
  readonly sleeps: number[] = [];
  readonly #nowMs: number;
  readonly #hangFromMs: number;

  constructor(nowMs: number, hangFromMs = 60_000) {
    this.#nowMs = nowMs;
    this.#hangFromMs = hangFromMs;
  }

  now(): number {
    return this.#nowMs;
  }

  monotonic(): number {
    return this.#nowMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (ms < this.#hangFromMs) {
      this.sleeps.push(ms);
      return Promise.resolve();
    }
    return new Promise((_resolve, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
}
