// The daemon's read-only HTTP endpoint (METRICS_PORT): loopback only, GET only, a fixed set of paths.
// Handlers produce the whole answer; nothing here knows what the paths mean.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Log } from './log.js';

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export type HttpRoute = () => HttpAnswer | Promise<HttpAnswer>;

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Binds 127.0.0.1 only: the page and the metrics are for an SSH tunnel or a local scraper, never the network. */
export async function startMetricsServer(port: number, routes: ReadonlyMap<string, HttpRoute>, log: Log): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = routes.get(path);
    const answer = request.method !== 'GET' && request.method !== 'HEAD'
      ? Promise.resolve(text(405, 'method not allowed'))
      : route
        ? Promise.resolve().then(route)
        : Promise.resolve(text(404, 'not found'));
    answer
      .catch((error: unknown) => {
        log.error({ err: error, path }, 'metrics endpoint failed');
        return text(500, 'internal error');
      })
      .then((result) => {
        response.writeHead(result.status, { 'content-type': result.contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
        response.end(request.method === 'HEAD' ? undefined : result.body);
      }, () => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error({ err: error }, 'metrics endpoint error'));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function text(status: number, body: string): HttpAnswer {
  return { status, contentType: 'text/plain; charset=utf-8', body };
}
