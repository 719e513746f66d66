// The daemon's local control channel: a Unix socket, owner-only, speaking one JSON object per line.
// The daemon registers commands (status, pause, resume, …); `standx-mm <command>` is the client. Only
// the holder of the account's lock may start the server, so a socket file left by a killed daemon
// is removed rather than feared.

import { chmod, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Log } from './log.js';

/** A command's handler: JSON-safe arguments in, a JSON-safe result out (bigint becomes a string). */
export type ControlHandler = (args: Readonly<Record<string, unknown>>) => unknown;

export interface ControlRequest {
  readonly id: number;
  readonly command: string;
  readonly args?: Record<string, unknown>;
}

export type ControlResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** Refuses a request; the message goes back to the client as is, so it must never hold a secret. */
export class ControlCommandError extends Error {
  override readonly name = 'ControlCommandError';
}

/** No daemon answers on that socket (not running, or not this account's). */
export class DaemonNotRunningError extends Error {
  override readonly name = 'DaemonNotRunningError';
}

const MAX_LINE_BYTES = 64 * 1024;

export interface ControlServer {
  readonly path: string;
  close(): Promise<void>;
}

export async function startControlServer(path: string, handlers: ReadonlyMap<string, ControlHandler>, log: Log): Promise<ControlServer> {
  await unlink(path).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  });
  const server = createServer((socket) => serve(socket, handlers, log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Owner only: pause and resume must not be open to other local users.
  await chmod(path, 0o600);
  server.on('error', (error) => log.error({ err: error }, 'control socket error'));
  return { path, close: () => closeServer(server, path) };
}

function serve(socket: Socket, handlers: ReadonlyMap<string, ControlHandler>, log: Log): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.length > MAX_LINE_BYTES) {
      socket.destroy();
      return;
    }
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      void answer(line, handlers, log).then((response) => {
        if (!socket.destroyed) socket.write(`${toJson(response)}\n`);
      });
    }
  });
}

async function answer(line: string, handlers: ReadonlyMap<string, ControlHandler>, log: Log): Promise<ControlResponse> {
  const request = parseRequest(line);
  if (request === null) return { id: 0, ok: false, error: 'malformed request' };
  const handler = handlers.get(request.command);
  if (!handler) return { id: request.id, ok: false, error: `unknown command: ${request.command}` };
  try {
    return { id: request.id, ok: true, result: await handler(request.args ?? {}) };
  } catch (error) {
    if (error instanceof ControlCommandError) return { id: request.id, ok: false, error: error.message };
    log.error({ err: error, command: request.command }, 'control command failed');
    return { id: request.id, ok: false, error: `${request.command} failed` };
  }
}

function parseRequest(line: string): ControlRequest | null {
  try {
    const value = JSON.parse(line) as Partial<ControlRequest> | null;
    if (typeof value !== 'object' || value === null || typeof value.command !== 'string' || typeof value.id !== 'number') return null;
    const args = typeof value.args === 'object' && value.args !== null && !Array.isArray(value.args) ? value.args : {};
    return { id: value.id, command: value.command, args };
  } catch {
    return null;
  }
}

function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner));
}

async function closeServer(server: Server, path: string): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await unlink(path).catch(() => undefined);
}

/** Sends one command to the daemon listening on `path` and returns its result. */
export function sendControlCommand(path: string, command: string, args: Record<string, unknown> = {}, timeoutMs = 5_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let buffered = '';
    const timer = setTimeout(() => finish(new Error(`no answer from the daemon within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error: Error | null, result?: unknown): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(result);
    };
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${toJson({ id: 1, command, args })}\n`));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const isAbsent = error.code === 'ENOENT' || error.code === 'ECONNREFUSED';
      finish(isAbsent ? new DaemonNotRunningError(`no daemon is listening on ${path}`) : error);
    });
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      let response: ControlResponse;
      try {
        response = JSON.parse(buffered.slice(0, newline)) as ControlResponse;
      } catch {
        finish(new Error('malformed answer from the daemon'));
        return;
      }
      if (response.ok) finish(null, response.result);
      else finish(new ControlCommandError(response.error));
    });
  });
}
