// The slice of a `ws` WebSocket that the StandX streams use, and the default factory. Tests inject test/fixtures/mock-websocket.ts instead.

import { WebSocket } from 'ws';

/** What `ws` hands to 'message' listeners. */
export type WsData = Buffer | ArrayBuffer | Buffer[];

export const WS_OPEN = 1;

export interface WsSocket {
  readonly readyState: number;
  send(data: string, callback?: (error?: Error) => void): void;
  ping(): void;
  pong(data?: Buffer): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'open', listener: () => void): unknown;
  on(event: 'message', listener: (data: WsData, isBinary: boolean) => void): unknown;
  on(event: 'ping' | 'pong', listener: (data: Buffer) => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(): unknown;
}

export type SocketFactory = (url: string) => WsSocket;

/**
 * `autoPong: false`: the connection answers server pings itself (ws-connection.ts), so the
 * behaviour the exchange requires (protocol §5: Pong within 5 min or dropped) is ours and tested.
 * `perMessageDeflate: false`: ws offers compression by default, and a server that accepts it would
 * put every depth frame and every order frame through zlib (on the thread pool) on the hot path,
 * to save a few hundred bytes per frame.
 */
export const defaultSocketFactory: SocketFactory = (url) => new WebSocket(url, { autoPong: false, perMessageDeflate: false });


export function decodeWsData(data: WsData | string): string {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
