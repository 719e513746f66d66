import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimAccountCredentials, type Simulator } from '../../src/sim/index.js';
import { schedulingPolicyOf } from '../../src/ops/scheduling.js';
import { FakeTelegram } from '../fixtures/fake-telegram.js';
import { DaemonProcess, eventually, readLogFiles, REPO_ROOT, simEnv, writeWorkspace, type Workspace } from './process-harness.js';

const SYMBOL = 'BTC-USD';
const BOT_TOKEN = '123456:TEST-bot-token-never-logged';

let sim: Simulator;
let account: SimAccountCredentials;
let telegram: FakeTelegram;
let workspace: Workspace | null = null;
let daemon: DaemonProcess | null = null;

beforeEach(async () => {
  // The price stays put unless a test moves it; books are pushed every 50 ms.
  sim = await startSimulator({ seed: 7, pushIntervalMs: 50, autoRun: false });
  account = sim.createAccount({ balance: '100000' });
  telegram = await FakeTelegram.start();
});

afterEach(async () => {
  if (daemon && daemon.child.exitCode === null && daemon.child.signalCode === null) {
    daemon.kill('SIGKILL');
    await daemon.exited;
  }
  daemon = null;
  workspace?.remove();
  workspace = null;
  await telegram.close();
  await sim.close();
});

function start(extra: Record<string, string> = {}): DaemonProcess {
  workspace = writeWorkspace({
    ...simEnv(sim, account),
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_CHAT_ID: '42',
    TELEGRAM_API_ROOT: telegram.url,
    ...extra,
  });
  daemon = new DaemonProcess(['run', '--config', workspace.configPath], {});
  return daemon;
}

function ownOpen(): { buys: number[]; sells: number[]; ids: number[] } {
  const open = sim.openOrders(account.address, SYMBOL);
  return {
    buys: open.filter((order) => order.side === 'buy').map((order) => Number(order.price)),
    sells: open.filter((order) => order.side === 'sell').map((order) => Number(order.price)),
    ids: open.map((order) => order.id).sort((a, b) => a - b),
  };
}

async function bookMid(): Promise<number> {
  const book = (await (await fetch(`${sim.urls.apiBase}/api/query_depth_book?symbol=${SYMBOL}`)).json()) as {
    bids: [string, string][];
    asks: [string, string][];
  };
  const bestBid = Math.max(...book.bids.map(([price]) => Number(price)));
  const bestAsk = Math.min(...book.asks.map(([price]) => Number(price)));
  return (bestBid + bestAsk) / 2;
}

function bps(price: number, mid: number): number {
  return (Math.abs(price - mid) / mid) * 10_000;
}

async function twoSided(): Promise<void> {
  await eventually(() => {
    const { buys, sells } = ownOpen();
    return buys.length === 1 && sells.length === 1;
  }, 15_000, 'one bid and one ask resting');
}

describe('the daemon as a child process', () => {
  it('quotes both sides at target inside the band, requotes on a move, keeps in-band quotes, and stops cleanly on SIGTERM', async () => {
    const proc = start();
    await twoSided();
    const mid = await bookMid();
    const first = ownOpen();
    expect(bps(first.buys[0] ?? 0, mid)).toBeGreaterThanOrEqual(7);
    expect(bps(first.buys[0] ?? 0, mid)).toBeLessThanOrEqual(10);
    expect(bps(first.sells[0] ?? 0, mid)).toBeGreaterThanOrEqual(7);
    expect(bps(first.sells[0] ?? 0, mid)).toBeLessThanOrEqual(10);
    expect(bps(first.buys[0] ?? 0, mid)).toBeCloseTo(7.5, 1);

    // A 0.1 bps move keeps both quotes well inside [7, 10]: nothing is touched.
    const received = sim.stats().ordersReceived;
    sim.setPrice(SYMBOL, (mid * 1.00001).toFixed(2));
    const pushesBefore = sim.stats().wsMessagesOut;
    await eventually(() => sim.stats().wsMessagesOut > pushesBefore + 20, 5_000, 'twenty more pushes');
    expect(ownOpen().ids).toEqual(first.ids);
    expect(sim.stats().ordersReceived).toBe(received);

    // A 20 bps move takes both out: each side is replaced, still exactly one per side.
    sim.setPrice(SYMBOL, (mid * 1.002).toFixed(2));
    await eventually(() => {
      const now = ownOpen();
      return now.buys.length === 1 && now.sells.length === 1 && !now.ids.some((id) => first.ids.includes(id));
    }, 10_000, 'both quotes replaced');
    const movedMid = await bookMid();
    const moved = ownOpen();
    for (const price of [...moved.buys, ...moved.sells]) {
      expect(bps(price, movedMid)).toBeGreaterThanOrEqual(7);
      expect(bps(price, movedMid)).toBeLessThanOrEqual(10);
    }

    proc.kill('SIGTERM');
    const exit = await proc.exited;
    expect(exit.code).toBe(0);
    expect(sim.openOrders(account.address)).toEqual([]);
    expect(Number(sim.position(account.address, SYMBOL).qty)).toBe(0);
    const finished = proc.logs().find((line) => line['msg'] === 'cleanup finished');
    expect(finished).toMatchObject({ isCancelConfirmed: true, isPositionFlat: true, account: 'itest', symbol: SYMBOL });
    expect(Number(finished?.['ordersCancelled'])).toBeGreaterThanOrEqual(2);

    const texts = (await telegram.waitForMessages(2)).map((message) => message.text);
    expect(texts[0]).toMatch(/itest.*BTC-USD[\s\S]*start/i);
    expect(texts.some((text) => /stop/i.test(text) && /2|orders/.test(text))).toBe(true);
  });

  it.runIf(process.platform === 'linux')('runs every thread but the main one as a batch task', async () => {
    const proc = start();
    const line = await proc.waitForLog('background threads are SCHED_BATCH: they no longer preempt the order path');
    await twoSided();
    const pid = proc.child.pid ?? 0;
    const threads = readdirSync(`/proc/${pid}/task`).map(Number);
    expect(line['threads']).toBe(threads.length - 1);
    for (const tid of threads) expect(await schedulingPolicyOf(pid, tid)).toBe(tid === pid ? 'normal' : 'batch');
    proc.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
  });

  it('flattens a fill with one reduce-only market order', async () => {
    const proc = start();
    await twoSided();
    const mid = await bookMid();
    // Trade down through the bid: it fills, the daemon is long and must sell it back at once.
    sim.setPrice(SYMBOL, (mid * 0.998).toFixed(2));
    await proc.waitForLog('position flattened');
    await eventually(() => Number(sim.position(account.address, SYMBOL).qty) === 0, 10_000, 'flat position');
    const flattens = proc.logs().filter((line) => line['msg'] === 'flattening position with a reduce-only market order');
    expect(flattens).toHaveLength(1);
    await twoSided();
    proc.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
    expect(sim.openOrders(account.address)).toEqual([]);
    expect((await telegram.waitForMessages(2)).some((message) => /flatten/i.test(message.text))).toBe(true);
  });

  it('leaves no secret in stdout, stderr or the log file', async () => {
    const proc = start({ LOG_LEVEL: 'trace' });
    await twoSided();
    proc.kill('SIGTERM');
    await proc.exited;
    const everything = [proc.stdout.join('\n'), proc.stderr.join('\n'), readLogFiles(workspace?.logDir ?? '')].join('\n');
    expect(everything.length).toBeGreaterThan(1_000);
    for (const secret of [account.ed25519PrivateKey, account.accessToken, BOT_TOKEN, account.accessToken.split('.')[2] ?? '']) {
      expect(everything).not.toContain(secret);
    }
    expect(readLogFiles(workspace?.logDir ?? '')).toContain('"account":"itest"');
  });

  it('after a SIGKILL, the unit ExecStopPost command cancels what was left', async () => {
    const proc = start();
    await twoSided();
    proc.kill('SIGKILL');
    expect((await proc.exited).signal).toBe('SIGKILL');
    expect(sim.openOrders(account.address)).toHaveLength(2);

    const unit = readFileSync(join(REPO_ROOT, 'standx-account1.service'), 'utf8');
    const execStopPost = /^ExecStopPost=(\S+) (\S+)$/m.exec(unit);
    expect(execStopPost?.[1]).toBe('/opt/standx-mm/current/deploy/stop-post.sh');
    const script = join(REPO_ROOT, 'deploy', 'stop-post.sh');
    const stopPost = spawn(script, [workspace?.configPath ?? ''], {
      env: { PATH: process.env['PATH'] ?? '', NODE: process.execPath, SERVICE_RESULT: 'signal', EXIT_CODE: 'killed', EXIT_STATUS: 'KILL' },
      stdio: 'pipe',
    });
    let output = '';
    stopPost.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => stopPost.on('exit', resolve));
    expect(code).toBe(0);
    expect(sim.openOrders(account.address)).toEqual([]);
    expect(JSON.parse(output.trim().split('\n').pop() ?? '{}')).toMatchObject({ cancelled: 2, remaining: 0, position: '0.0000' });
    // The start alert may or may not have left before the SIGKILL: look for the cleanup's own.
    await eventually(() => telegram.messages.some((message) => message.text.includes('cleanup after an unclean stop')), 5_000, 'the cleanup alert');
    const cleanup = telegram.messages.find((message) => message.text.includes('cleanup after an unclean stop'));
    expect(cleanup?.text).toContain('result=signal');
    expect(cleanup?.text).toContain('2 orders cancelled · 0 left · position 0.0000');
  });

  it('ExecStopPost leaves a refused start alone: another daemon holds the account (73)', async () => {
    workspace = writeWorkspace(simEnv(sim, account));
    const stopPost = spawn(join(REPO_ROOT, 'deploy', 'stop-post.sh'), [workspace.configPath], {
      env: { PATH: process.env['PATH'] ?? '', NODE: process.execPath, SERVICE_RESULT: 'exit-code', EXIT_CODE: 'exited', EXIT_STATUS: '73' },
    });
    expect(await new Promise((resolve) => stopPost.on('exit', resolve))).toBe(0);
    expect(sim.stats().httpRequests).toBe(0);
  });

  it('does nothing after a clean stop: ExecStopPost sees SERVICE_RESULT=success', async () => {
    workspace = writeWorkspace(simEnv(sim, account));
    const stopPost = spawn(join(REPO_ROOT, 'deploy', 'stop-post.sh'), [workspace.configPath], {
      env: { PATH: process.env['PATH'] ?? '', SERVICE_RESULT: 'success' },
    });
    expect(await new Promise((resolve) => stopPost.on('exit', resolve))).toBe(0);
    expect(sim.stats().httpRequests).toBe(0);
  });

  it.each([
    ['a band out of order', { MARKET_MAKER_MIN_BPS: '8', MARKET_MAKER_TARGET_BPS: '7.5' }, 'MARKET_MAKER_MIN_BPS'],
    ['two credential schemes', { WALLET_PRIVATE_KEY: `0x${'ab'.repeat(32)}` }, 'WALLET_PRIVATE_KEY'],
    ['a size that is not a number', { MARKET_MAKER_QTY: 'lots' }, 'MARKET_MAKER_QTY'],
    ['a size below the symbol minimum', { MARKET_MAKER_QTY: '0.00001' }, 'MARKET_MAKER_QTY'],
    ['an unknown symbol', { MARKET_MAKER_SYMBOL: 'DOGE-USD' }, 'MARKET_MAKER_SYMBOL'],
  ])('exits 78 naming the variable for %s, before any order', async (_label, extra, variable) => {
    const proc = start(extra);
    const exit = await proc.exited;
    expect(exit.code).toBe(78);
    const output = [...proc.stderr, ...proc.stdout].join('\n');
    expect(output).toContain(variable);
    expect(output).not.toContain(account.ed25519PrivateKey);
    expect(output).not.toContain(account.accessToken);
    expect(sim.stats().ordersReceived).toBe(0);
  });

  it('runs with the wallet scheme: signs in with the wallet key, quotes, and stops cleanly', async () => {
    const { ED25519_PRIVATE_KEY: _key, ACCESS_TOKEN: _token, ...rest } = simEnv(sim, account);
    workspace = writeWorkspace({ ...rest, WALLET_PRIVATE_KEY: account.walletPrivateKey });
    const proc = new DaemonProcess(['run', '--config', workspace.configPath], {});
    daemon = proc;
    await twoSided();
    expect(proc.logs().find((line) => line['msg'] === 'signed in')).toMatchObject({ scheme: 'wallet' });
    proc.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
    expect(sim.openOrders(account.address)).toEqual([]);
    expect(proc.stdout.join('\n')).not.toContain(account.walletPrivateKey.slice(2));
  });

  it('check reports ready against the simulator and places nothing', async () => {
    workspace = writeWorkspace(simEnv(sim, account));
    const proc = new DaemonProcess(['check', '--config', workspace.configPath], {});
    const exit = await proc.exited;
    expect(proc.stdout.join('\n')).toContain('ready to trade');
    expect(exit.code).toBe(0);
    expect(sim.stats().ordersReceived).toBe(0);
  });
});
