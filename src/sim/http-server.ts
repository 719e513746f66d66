// The HTTP side of the one loopback port: body reading, injected latency and HTTP error faults,
// and dispatch to the route tables (auth + geo + perps REST collapse onto paths, admin under /admin).

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { FaultState } from './faults.js';
import type { StatsCounters } from './stats.js';

export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The raw bytes: signatures cover exactly these (protocol §3). */
  readonly body: Buffer;
}

export interface SimResponse {
  readonly status: number;
  /** JSON-serialised unless it is a string, which is sent as text/plain. */
  readonly body: unknown;
}

export type Route = (request: SimRequest) => SimResponse;
/** Keyed by `${METHOD} ${path}`. */
export type RouteTable = ReadonlyMap<string, Route>;

export interface HttpDeps {
  readonly routes: RouteTable;
  readonly faults: FaultState;
  readonly stats: StatsCounters;
  readonly latencyMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;
const ADMIN_PREFIX = '/admin/';
const FAULT_TEXT: Record<number, string> = { 429: 'too many requests', 500: 'internal server error' };
const RESTARTING = errorBody(503, 'service unavailable');

export function errorBody(status: number, message: string): SimResponse {
  return { status, body: { code: status, message } };
}

function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function write(response: ServerResponse, reply: SimResponse): void {
  const { body } = reply;
  const isText = typeof body === 'string';
  response.writeHead(reply.status, { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json' });
  response.end(isText ? body : JSON.stringify(body));
}

function route(deps: HttpDeps, request: SimRequest): SimResponse {
  const handler = deps.routes.get(`${request.method} ${request.path}`);
  if (!handler) return errorBody(404, 'not found');
  try {
    return handler(request);
  } catch {
    return errorBody(500, 'internal server error');
  }
}

/**
 * Latency applies on the way in and on the way out; admin calls see neither latency nor faults.
 * During a restart's downtime requests get 503, as a load balancer in front of restarting servers
 * answers; one in flight when the restart began loses its answer with its connection.
 */
export async function handleHttp(deps: HttpDeps, incoming: IncomingMessage, response: ServerResponse): Promise<void> {
  deps.stats.httpRequests += 1;
  const url = new URL(incoming.url ?? '/', 'http://sim.invalid');
  const isAdmin = url.pathname.startsWith(ADMIN_PREFIX);
  const restarts = deps.faults.restarts;
  const body = await readBody(incoming);
  if (body === null) return write(response, errorBody(413, 'body too large'));
  if (!isAdmin && deps.faults.isDown()) return write(response, RESTARTING);
  const delayMs = isAdmin ? 0 : deps.latencyMs;
  if (delayMs > 0) await deps.sleep(delayMs);
  const request: SimRequest = { method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: incoming.headers, body };
  const faultStatus = isAdmin ? null : deps.faults.takeHttpError(url.pathname);
  const reply = faultStatus === null ? route(deps, request) : errorBody(faultStatus, FAULT_TEXT[faultStatus] ?? 'error');
  if (delayMs > 0) await deps.sleep(delayMs);
  if (!isAdmin && deps.faults.restarts !== restarts) response.destroy();
  if (!response.destroyed) write(response, reply);
}
