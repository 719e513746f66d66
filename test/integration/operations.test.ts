// Operating one account as systemd would: the built daemon as a child process against the simulator,
// driven by signals and the standx-mm commands an operator types (issue 11).

import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimAccountCredentials, type Simulator } from '../../src/sim/index.js';
import { FakeTelegram } from '../fixtures/fake-telegram.js';
import { DaemonProcess, eventually, simEnv, writeWorkspace, type Workspace } from './process-harness.js';

const SYMBOL = 'BTC-USD';

let sim: Simulator;
let account: SimAccountCredentials;
let telegram: FakeTelegram;
let workspace: Workspace | null = null;
const children: DaemonProcess[] = [];

beforeEach(async () => {
  sim = await startSimulator({ seed: 11, pushIntervalMs: 50, autoRun: false });
  account = sim.createAccount({ balance: '100000' });
  telegram = await FakeTelegram.start();
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.child.exitCode === null && child.child.signalCode === null) {
      child.kill('SIGKILL');
      await child.exited;
    }
  }
  workspace?.remove();
  workspace = null;
  await telegram.close();
  await sim.close();
});

function variables(extra: Record<string, string> = {}): Record<string, string> {
  return { ...simEnv(sim, account), TELEGRAM_BOT_TOKEN: '123456:ops-tests', TELEGRAM_CHAT_ID: '42', TELEGRAM_API_ROOT: telegram.url, ALERT_THROTTLE_SECONDS: '0', ...extra };
}

function command(...args: string[]): DaemonProcess {
  const child = new DaemonProcess(args, {});
  children.push(child);
  return child;
}

function startDaemon(extra: Record<string, string> = {}): DaemonProcess {
  workspace = writeWorkspace(variables(extra));
  return command('run', '--config', workspace.configPath);
}

function configPath(): string {
  if (!workspace) throw new Error('no workspace');
  return workspace.configPath;
}

function openIds(): number[] {
  return sim.openOrders(account.address, SYMBOL).map((order) => order.id).sort((a, b) => a - b);
}

async function twoSided(): Promise<number[]> {
  await eventually(() => {
    const open = sim.openOrders(account.address, SYMBOL);
    return open.filter((order) => order.side === 'buy').length === 1 && open.filter((order) => order.side === 'sell').length === 1;
  }, 15_000, 'one bid and one ask resting');
  return openIds();
}

async function stop(daemon: DaemonProcess): Promise<number | null> {
  daemon.kill('SIGTERM');
  return (await daemon.exited).code;
}

describe('one daemon per account', () => {
  it('a second daemon on the same account exits 73 with a clear message, and the first keeps quoting', async () => {
    const first = startDaemon();
    const quotes = await twoSided();
    const second = command('run', '--config', configPath());
    expect((await second.exited).code).toBe(73);
    expect(second.stderr.join('\n')).toMatch(/another standx-mm daemon already runs this account: pid \d+ .*holds .*itest\.lock/);
    expect(second.stdout).toEqual([]);
    expect(openIds()).toEqual(quotes);
    const texts = (await telegram.waitForMessages(2)).map((message) => message.text);
    expect(texts.some((text) => text.includes('NOT started (exit 73)'))).toBe(true);
    expect(await stop(first)).toBe(0);
  });
});

describe('signals', () => {
  it('a repeated SIGTERM milliseconds later joins the stop: exit 0, no order left, one stop alert, no stream DOWN', async () => {
    const daemon = startDaemon();
    await twoSided();
    daemon.kill('SIGTERM');
    await daemon.waitForLog('stopping');
    daemon.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
    expect(sim.openOrders(account.address)).toEqual([]);
    expect(daemon.logs().filter((line) => line['msg'] === 'stop already in progress: the signal joins it')).toHaveLength(1);
    const texts = (await telegram.waitForMessages(2)).map((message) => message.text);
    expect(texts.filter((text) => text.includes('stopped (SIGTERM)'))).toHaveLength(1);
    expect(texts.find((text) => text.includes('stopped'))).toContain('2 orders cancelled · position flat');
    expect(texts.filter((text) => /stream DOWN/.test(text))).toEqual([]);
  });

  it('SIGHUP applies a wider band without re-placing quotes it still admits', async () => {
    const daemon = startDaemon({ LOG_LEVEL: 'debug' });
    const quotes = await twoSided();
    const wider = variables({ LOG_LEVEL: 'debug', MARKET_MAKER_MIN_BPS: '5', MARKET_MAKER_MAX_BPS: '12' });
    writeFileSync(configPath(), `${Object.entries({ LOG_DIR: workspace?.logDir ?? '', ...wider }).map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
    daemon.kill('SIGHUP');
    const reloaded = await daemon.waitForLog('settings reloaded');
    expect(reloaded['applied']).toEqual(['quoting']);
    expect((await telegram.waitForMessages(2)).some((message) => message.text.includes('settings reloaded'))).toBe(true);
    expect(openIds()).toEqual(quotes);
    expect(await stop(daemon)).toBe(0);
    // From the start to the stop, only the first two quotes were ever placed.
    expect(daemon.logs().filter((line) => line['msg'] === 'placing quote')).toHaveLength(2);
  });

  it('SIGHUP with an invalid file refuses it, keeps the old settings and quotes, and alerts', async () => {
    const daemon = startDaemon();
    const quotes = await twoSided();
    writeFileSync(configPath(), `${Object.entries({ LOG_DIR: workspace?.logDir ?? '', ...variables({ MARKET_MAKER_MIN_BPS: '9', MARKET_MAKER_TARGET_BPS: '8' }) }).map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
    daemon.kill('SIGHUP');
    const refused = await daemon.waitForLog('reload refused: the old settings stay');
    expect(String(refused['problems'])).toContain('MARKET_MAKER_MIN_BPS');
    expect(daemon.child.exitCode).toBeNull();
    expect(openIds()).toEqual(quotes);
    const refusal = (await telegram.waitForMessages(2)).find((message) => message.text.includes('reload REFUSED'));
    expect(refusal?.text).toContain('MARKET_MAKER_MIN_BPS');
    expect(await stop(daemon)).toBe(0);
  });
});

describe('pause and resume over the control socket', () => {
  it('pause cancels and confirms every quote and stays connected; cancel-all refuses while it runs; resume quotes again', async () => {
    const daemon = startDaemon();
    await twoSided();
    const pause = command('pause', '--config', configPath());
    expect((await pause.exited).code).toBe(0);
    expect(JSON.parse(pause.stdout.join(''))).toMatchObject({ account: 'itest', command: 'pause', state: 'paused', cancelled: 2 });
    expect(sim.openOrders(account.address)).toEqual([]);
    // New prices arrive and nothing is placed while paused.
    sim.setPrice(SYMBOL, '100500.00');
    await daemon.waitForLog('market data fresh');
    expect(sim.openOrders(account.address)).toEqual([]);

    const refused = command('cancel-all', '--config', configPath());
    expect((await refused.exited).code).toBe(73);
    expect(refused.stderr.join('\n')).toContain('Pause it (standx-mm pause --config FILE) or stop it');

    const resume = command('resume', '--config', configPath());
    expect((await resume.exited).code).toBe(0);
    expect(JSON.parse(resume.stdout.join(''))).toMatchObject({ state: 'quoting', wasHaltedFor: 'paused' });
    await twoSided();
    expect(await stop(daemon)).toBe(0);
    const texts = (await telegram.waitForMessages(4)).map((message) => message.text);
    expect(texts.some((text) => text.includes('QUOTING HALTED (paused)'))).toBe(true);
    expect(texts.some((text) => text.includes('quoting resumed'))).toBe(true);
  });

  it('pause without a running daemon says so and exits 1', async () => {
    workspace = writeWorkspace(variables());
    const pause = command('pause', '--config', configPath());
    expect((await pause.exited).code).toBe(1);
    expect(pause.stderr.join('\n')).toContain('no daemon runs account itest');
  });

  it('cancel-all --force cancels while the daemon runs', async () => {
    const daemon = startDaemon();
    const quotes = await twoSided();
    const forced = command('cancel-all', '--force', '--config', configPath());
    await forced.exited;
    expect(JSON.parse(forced.stdout.join('').trim().split('\n').pop() ?? '{}').cancelled).toBeGreaterThanOrEqual(2);
    expect(openIds().filter((id) => quotes.includes(id))).toEqual([]);
    expect(await stop(daemon)).toBe(0);
  });
});
