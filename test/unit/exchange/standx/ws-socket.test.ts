import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { defaultSocketFactory } from '../../../../src/exchange/standx/ws-socket.js';

let server: WebSocketServer | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

describe('defaultSocketFactory', () => {
  it('does not negotiate permessage-deflate even with a server that offers it', async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0 } });
    await new Promise<void>((resolve) => server?.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const offered = new Promise<string | undefined>((resolve) =>
      server?.once('connection', (_socket, request) => resolve(request.headers['sec-websocket-extensions'])),
    );
    const socket = defaultSocketFactory(`ws://127.0.0.1:${port}`) as unknown as WebSocket;
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    expect(await offered).toBeUndefined();
    expect(socket.extensions).toBe('');
    socket.terminate();
  });
});
