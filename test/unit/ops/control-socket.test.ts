import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ControlCommandError,
  DaemonNotRunningError,
  sendControlCommand,
  startControlServer,
  type ControlHandler,
  type ControlServer,
} from '../../../src/ops/control-socket.js';
import { silentLog } from '../../../src/ops/log.js';

let dir: string;
let server: ControlServer | null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smm-control-'));
  server = null;
});

afterEach(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(handlers: Record<string, ControlHandler>): Promise<string> {
  const path = join(dir, 'account1.sock');
  server = await startControlServer(path, new Map(Object.entries(handlers)), silentLog);
  return path;
}

describe('control socket', () => {
  it('runs a registered command and returns its result, with bigints as strings', async () => {
    const path = await serve({ status: () => ({ state: 'quoting', positionLots: 12n }) });
    await expect(sendControlCommand(path, 'status')).resolves.toEqual({ state: 'quoting', positionLots: '12' });
  });

  it('passes the arguments and awaits an async handler', async () => {
    const path = await serve({ pause: async (args) => ({ pausedBy: args['by'] }) });
    await expect(sendControlCommand(path, 'pause', { by: 'operator' })).resolves.toEqual({ pausedBy: 'operator' });
  });

  it('answers an unknown command with an error, and a refused one with its message', async () => {
    const path = await serve({
      resume: () => {
        throw new ControlCommandError('halted by the daily loss limit until 00:00 UTC');
      },
    });
    await expect(sendControlCommand(path, 'launch')).rejects.toThrow('unknown command: launch');
    await expect(sendControlCommand(path, 'resume')).rejects.toThrow('halted by the daily loss limit until 00:00 UTC');
  });

  it('does not leak the text of an unexpected failure', async () => {
    const path = await serve({
      status: () => {
        throw new Error('token eyJhbGciOi… inside');
      },
    });
    const error = await sendControlCommand(path, 'status').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ControlCommandError);
    expect((error as Error).message).toBe('status failed');
  });

  it('is readable and writable by its owner only', async () => {
    const path = await serve({});
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('replaces a socket file left behind by a killed daemon', async () => {
    const path = join(dir, 'account1.sock');
    writeFileSync(path, '');
    server = await startControlServer(path, new Map([['status', () => 'up']]), silentLog);
    await expect(sendControlCommand(path, 'status')).resolves.toBe('up');
  });

  it('says no daemon is running when nothing listens', async () => {
    await expect(sendControlCommand(join(dir, 'nobody.sock'), 'status')).rejects.toBeInstanceOf(DaemonNotRunningError);
  });

  it('answers a malformed line with an error and keeps serving the connection', async () => {
    const path = await serve({ status: () => 'up' });
    const lines = await new Promise<string[]>((resolve, reject) => {
      const socket = connect(path);
      let text = '';
      socket.setEncoding('utf8');
      socket.on('error', reject);
      socket.on('data', (chunk: string) => {
        text += chunk;
        const received = text.split('\n').filter(Boolean);
        if (received.length === 2) {
          socket.destroy();
          resolve(received);
        }
      });
      socket.write('not json\n{"id":7,"command":"status"}\n');
    });
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { id: 0, ok: false, error: 'malformed request' },
      { id: 7, ok: true, result: 'up' },
    ]);
  });

  it('removes its socket file when closed', async () => {
    const path = await serve({});
    await server?.close();
    server = null;
    expect(() => statSync(path)).toThrow();
  });
});
