// The single loopback port: one node:http server for every HTTP host (paths collapse, protocol §1)
// and one upgrade handler routing /ws-stream/v1 and /ws-api/v1; anything else, trailing slash included, is 404.

import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { handleHttp, type HttpDeps } from './http-server.js';
import type { EndpointKind, SimSocket } from './sim-socket.js';
import type { StatsCounters } from './stats.js';

export const WS_STREAM_PATH = '/ws-stream/v1';
export const WS_API_PATH = '/ws-api/v1';

export interface ListenerDeps {
  readonly http: HttpDeps;
  readonly stats: StatsCounters;
  /** Wraps an upgraded socket in its endpoint. */
  readonly accept: (kind: EndpointKind, ws: WebSocket) => SimSocket;
}

export interface Listener {
  readonly port: number;
  /** Ends keep-alive HTTP connections that carry no request now (a restart resets them). */
  closeIdleConnections(): void;
  close(): Promise<void>;
}

function kindOf(url: string | undefined): EndpointKind | null {
  const path = new URL(url ?? '/', 'http://sim.invalid').pathname;
  if (path === WS_STREAM_PATH) return 'stream';
  if (path === WS_API_PATH) return 'api';
  return null;
}

function refuseUpgrade(socket: Socket, statusLine = '404 Not Found'): void {
  socket.end(`HTTP/1.1 ${statusLine}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function listen(deps: ListenerDeps, host: string, port: number): Promise<Listener> {
  // autoPong off: answering client pings is a fault-controlled behaviour (SimSocket).
  const wss = new WebSocketServer({ noServer: true, autoPong: false, maxPayload: 1 << 20 });
  const server: Server = createServer((request, response) => {
    handleHttp(deps.http, request, response).catch(() => response.destroy());
  });
  server.on('upgrade', (request, socket: Socket, head: Buffer) => {
    const kind = kindOf(request.url);
    if (!kind) return refuseUpgrade(socket);
    if (deps.http.faults.isDown()) return refuseUpgrade(socket, '503 Service Unavailable');
    wss.handleUpgrade(request, socket, head, (ws) => {
      deps.stats.connections += 1;
      deps.stats.connectionsTotal += 1;
      ws.on('close', () => {
        deps.stats.connections -= 1;
      });
      deps.accept(kind, ws);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    closeIdleConnections: () => server.closeIdleConnections(),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
