// The built daemon under a Type=notify unit, as far as a test can stand in for systemd: a datagram
// socket recorded by python3 is the NOTIFY_SOCKET, and the daemon's systemd-notify calls must reach it
// with READY=1 once quoting, WATCHDOG=1 pings at half WATCHDOG_USEC, and STOPPING=1 on SIGTERM.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { DaemonProcess, eventually, simEnv, writeWorkspace, type Workspace } from './process-harness.js';

const HAS_NOTIFY = (process.env['PATH'] ?? '').split(delimiter).some((dir) => existsSync(join(dir, 'systemd-notify')));
const HAS_PYTHON = (process.env['PATH'] ?? '').split(delimiter).some((dir) => existsSync(join(dir, 'python3')));

// Prints every datagram as one JSON string per line; systemd-notify's BARRIER=1 carries a descriptor
// that recv() drops (closes), which is what releases the barrier.
const RECORDER = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print(json.dumps("bound"), flush=True)
while True:
    print(json.dumps(s.recv(65536).decode()), flush=True)
`;

let sim: Simulator | null = null;
let workspace: Workspace | null = null;
let daemon: DaemonProcess | null = null;
let recorder: ChildProcess | null = null;
let socketDir: string | null = null;

afterEach(async () => {
  if (daemon && daemon.child.exitCode === null && daemon.child.signalCode === null) {
    daemon.kill('SIGKILL');
    await daemon.exited;
  }
  recorder?.kill('SIGKILL');
  workspace?.remove();
  if (socketDir) rmSync(socketDir, { recursive: true, force: true });
  await sim?.close();
  [daemon, recorder, workspace, socketDir, sim] = [null, null, null, null, null];
});

function record(path: string): Promise<string[]> {
  const messages: string[] = [];
  recorder = spawn('python3', ['-c', RECORDER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  let partial = '';
  return new Promise((resolve) => {
    recorder?.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const message = JSON.parse(line) as string;
        if (message === 'bound') resolve(messages);
        else messages.push(message);
      }
    });
  });
}

const title = HAS_NOTIFY && HAS_PYTHON
  ? 'tells systemd READY=1 once quoting, pings WATCHDOG=1 and says STOPPING=1 on SIGTERM'
  : 'talks to systemd through systemd-notify (SKIPPED: systemd-notify or python3 missing)';

it.skipIf(!HAS_NOTIFY || !HAS_PYTHON)(title, async () => {
  sim = await startSimulator({ seed: 11, pushIntervalMs: 50, autoRun: false });
  const account = sim.createAccount({ balance: '100000' });
  socketDir = mkdtempSync(join(tmpdir(), 'smm-notify-'));
  const socketPath = join(socketDir, 'notify.sock');
  const messages = await record(socketPath);
  workspace = writeWorkspace(simEnv(sim, account));
  daemon = new DaemonProcess(['run', '--config', workspace.configPath], { NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: '600000' });
  await eventually(() => messages.some((m) => m.split('\n').includes('READY=1')), 15_000, 'READY=1');
  const ready = messages.findIndex((m) => m.split('\n').includes('READY=1'));
  await eventually(() => messages.slice(ready).filter((m) => m === 'WATCHDOG=1').length >= 2, 5_000, 'two watchdog pings');
  expect(daemon.logs().some((line) => line['msg'] === 'systemd watchdog pings on' && line['pingMs'] === 300)).toBe(true);
  daemon.kill('SIGTERM');
  expect((await daemon.exited).code).toBe(0);
  expect(messages.some((m) => m.split('\n').includes('STOPPING=1'))).toBe(true);
  expect(messages.filter((m) => m.split('\n').includes('READY=1'))).toHaveLength(1);
});
