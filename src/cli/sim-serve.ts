// `standx-mm sim --serve`: a standalone simulator in the foreground, until Ctrl-C, with one ready env
// file per simulated account (`.env.sim1`, …, mode 600) pointing at it, so that an operator can try
// run, check, cancel-all, pause and resume without an exchange account.

import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { startSimulator } from '../sim/index.js';
import { simAccountEnv } from './sim-env.js';

export interface SimServeOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly accounts: number;
  readonly envDir: string;
  readonly seed: number;
  readonly symbol: string;
  readonly out: Writable;
  /** Resolves when the operator asks to stop (Ctrl-C). */
  readonly stopRequested: Promise<string>;
}

const DEFAULT_QTY: Record<string, string> = { 'BTC-USD': '0.0100', 'ETH-USD': '0.100' };

/** Resolves with the env files it wrote once the simulator has closed. */
export async function runSimServe(options: SimServeOptions): Promise<readonly string[]> {
  const sim = await startSimulator({ seed: options.seed, port: options.port });
  try {
    const files: string[] = [];
    for (let index = 1; index <= options.accounts; index += 1) {
      const account = sim.createAccount({ balance: '100000' });
      const path = resolve(join(options.envDir, `.env.sim${index}`));
      const env = { ...simAccountEnv(sim.urls, account), MARKET_MAKER_SYMBOL: options.symbol, MARKET_MAKER_QTY: DEFAULT_QTY[options.symbol] ?? '0.01' };
      const text = ['# Written by `standx-mm sim --serve`: a simulated account, valid while that simulator runs.', ...Object.entries(env).map(([name, value]) => `${name}=${value}`)];
      writeFileSync(path, `${text.join('\n')}\n`, { mode: 0o600 });
      // An existing file keeps its mode through writeFileSync.
      chmodSync(path, 0o600);
      files.push(path);
    }
    options.out.write(`simulator listening on ${sim.urls.apiBase} (Ctrl-C to stop)\n`);
    for (const path of files) options.out.write(`  ${path}\n`);
    options.out.write(`try: standx-mm run --config ${files[0] ?? '.env.sim1'}   (then pause, resume, cancel-all, check with the same --config)\n`);
    await options.stopRequested;
    return files;
  } finally {
    await sim.close();
  }
}
