// Start-up refusals of the built daemon (issue 11): a misspelt variable, a key readable by others, a
// size the symbol's rules refuse. Each exits 78 with one line naming the cause; those found after the
// settings parsed are alerted too.

import { chmodSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimAccountCredentials, type Simulator } from '../../src/sim/index.js';
import { FakeTelegram } from '../fixtures/fake-telegram.js';
import { DaemonProcess, simEnv, writeWorkspace, type Workspace } from './process-harness.js';

let sim: Simulator;
let account: SimAccountCredentials;
let telegram: FakeTelegram;
let workspace: Workspace | null = null;

beforeEach(async () => {
  sim = await startSimulator({ seed: 13, pushIntervalMs: 50, autoRun: false });
  account = sim.createAccount({ balance: '100000' });
  telegram = await FakeTelegram.start();
});

afterEach(async () => {
  workspace?.remove();
  workspace = null;
  await telegram.close();
  await sim.close();
});

async function run(extra: Record<string, string>, mode = 0o600): Promise<{ code: number | null; stderr: string; daemon: DaemonProcess }> {
  workspace = writeWorkspace({ ...simEnv(sim, account), TELEGRAM_BOT_TOKEN: '123456:refusals', TELEGRAM_CHAT_ID: '42', TELEGRAM_API_ROOT: telegram.url, ...extra });
  chmodSync(workspace.configPath, mode);
  const daemon = new DaemonProcess(['run', '--config', workspace.configPath], {});
  const exit = await daemon.exited;
  return { code: exit.code, stderr: daemon.stderr.join('\n'), daemon };
}

describe('refused starts', () => {
  it('a misspelt variable exits 78 with one line naming it and the likely name, and alerts', async () => {
    const { code, stderr } = await run({ MARKET_MAKER_MINBPS: '8' });
    expect(code).toBe(78);
    expect(stderr.split('\n')).toEqual(['standx-mm: config error: MARKET_MAKER_MINBPS: unknown variable (did you mean MARKET_MAKER_MIN_BPS?)']);
    const [alert] = await telegram.waitForMessages(1);
    expect(alert?.text).toContain('NOT started (exit 78)');
    expect(alert?.text).toContain('MARKET_MAKER_MINBPS');
    expect(sim.stats().httpRequests).toBe(0);
  });

  it('the Python bot\'s variables are listed once as ignored, not refused', async () => {
    workspace = writeWorkspace({ ...simEnv(sim, account), BALANCE_EXIT_THRESHOLD: '10', REORDER_NOTIFY_THROTTLE_SECONDS: '3600' });
    const daemon = new DaemonProcess(['run', '--config', workspace.configPath], {});
    const line = await daemon.waitForLog('variables not used by standx-mm: ignored');
    expect(line['variables']).toEqual(['BALANCE_EXIT_THRESHOLD', 'REORDER_NOTIFY_THROTTLE_SECONDS']);
    daemon.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
  });

  it('an env file holding a key with mode 644 exits 78 and says chmod 600', async () => {
    const { code, stderr } = await run({}, 0o644);
    expect(code).toBe(78);
    expect(stderr).toMatch(/holds ED25519_PRIVATE_KEY, ACCESS_TOKEN, TELEGRAM_BOT_TOKEN and is readable by group or others \(mode 644\): run chmod 600 /);
    expect(stderr).not.toContain(account.accessToken);
    expect(sim.stats().httpRequests).toBe(0);
  });

  it('a size the symbol rules refuse exits 78 before any order, and alerts why', async () => {
    const { code, daemon } = await run({ MARKET_MAKER_QTY: '0.00001' });
    expect(code).toBe(78);
    expect(daemon.logs().find((line) => line['msg'] === 'invalid configuration')?.['problem']).toContain('MARKET_MAKER_QTY');
    const [alert] = await telegram.waitForMessages(1);
    expect(alert?.text).toContain('NOT started (exit 78)');
    expect(alert?.text).toContain('MARKET_MAKER_QTY: 0.00001');
    expect(sim.stats().ordersReceived).toBe(0);
  });
});
