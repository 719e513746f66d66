// Command-line parsing: `standx-mm <command> [options]`.

import { parseArgs } from 'node:util';

export type Command =
  | { name: 'run'; config: string }
  | { name: 'check'; config: string }
  | { name: 'cancel-all'; config: string; flatten: boolean; force: boolean; reason: string | null }
  | { name: 'pause' | 'resume'; config: string }
  | { name: 'status'; dir: string; config: string | null; json: boolean }
  | { name: 'report'; config: string; day: string | null; json: boolean }
  | { name: 'sim'; durationS: number | null; seed: number; policy: string | null; latencyMs: number; symbol: string; qty: string | null }
  | { name: 'sim-serve'; port: number; accounts: number; envDir: string; seed: number; symbol: string }
  | { name: 'help' };

export const USAGE = `usage:
  standx-mm run --config FILE          run the market maker for one account
  standx-mm check --config FILE        check config, auth, clock, symbol and balance; places nothing
  standx-mm cancel-all --config FILE [--flatten] [--force] [--reason TEXT]
                                       cancel every open order of the account on the symbol (and flatten);
                                       refused while a daemon runs the account unless --force;
                                       --reason alerts the outcome (the units' stop-post cleanup)
  standx-mm pause --config FILE        the running daemon cancels its quotes and stops quoting
  standx-mm resume --config FILE       the running daemon quotes again
  standx-mm status [--dir DIR | --config FILE] [--json]
                                       one line per account (the .env.account* files in DIR, default .):
                                       state, quotes, uptime this hour, position, fills; exit 0 only if all quote
  standx-mm report --config FILE [--day YYYY-MM-DD] [--json]
                                       a UTC day from the fill ledger (default today): credited hours,
                                       fills, fees, flatten slippage, net PnL, cost per credited hour
  standx-mm sim [--duration S] [--seed N] [--policy reference|side|overlap] [--latency MS]
                [--symbol BTC-USD] [--qty Q]
                                       run the maker against the built-in simulator, no account needed
  standx-mm sim --serve [--port N] [--accounts N] [--env-dir DIR] [--seed N] [--symbol BTC-USD]
                                       run a standalone simulator until Ctrl-C and write .env.sim1, …
                                       pointing at it, for run, check, cancel-all, pause and resume`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  switch (name) {
    case 'run':
    case 'check':
      return { name, config: requireConfig(rest, {}).config };
    case 'cancel-all': {
      const { config, values } = requireConfig(rest, { flatten: { type: 'boolean' }, force: { type: 'boolean' }, reason: { type: 'string' } });
      const reason = typeof values['reason'] === 'string' && values['reason'] !== '' ? values['reason'] : null;
      return { name, config, flatten: values['flatten'] === true, force: values['force'] === true, reason };
    }
    case 'pause':
    case 'resume':
      return { name, config: requireConfig(rest, {}).config };
    case 'status':
      return parseStatus(rest);
    case 'report':
      return parseReport(rest);
    case 'sim':
      return rest.includes('--serve') ? parseSimServe(rest) : parseSim(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { name: 'help' };
    default:
      throw new UsageError(`unknown command: ${name}`);
  }
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function requireConfig(args: string[], extra: Options): { config: string; values: Record<string, unknown> } {
  const { values } = parse(args, { config: { type: 'string', short: 'c' }, ...extra });
  const config = values['config'];
  if (typeof config !== 'string' || config === '') throw new UsageError('--config FILE is required');
  return { config, values };
}

function parseStatus(args: string[]): Command {
  const { values } = parse(args, { dir: { type: 'string' }, config: { type: 'string', short: 'c' }, json: { type: 'boolean' } });
  const config = typeof values['config'] === 'string' && values['config'] !== '' ? values['config'] : null;
  if (config !== null && values['dir'] !== undefined) throw new UsageError('give --dir or --config, not both');
  return { name: 'status', dir: typeof values['dir'] === 'string' ? values['dir'] : '.', config, json: values['json'] === true };
}

function parseReport(args: string[]): Command {
  const { config, values } = requireConfig(args, { day: { type: 'string' }, json: { type: 'boolean' } });
  const day = typeof values['day'] === 'string' ? values['day'] : null;
  if (day !== null && !(/^\d{4}-\d{2}-\d{2}$/.test(day) && Number.isFinite(Date.parse(`${day}T00:00:00Z`)))) {
    throw new UsageError('--day must be a date written YYYY-MM-DD');
  }
  return { name: 'report', config, day, json: values['json'] === true };
}

function parseSim(args: string[]): Command {
  const { values } = parse(args, {
    duration: { type: 'string' },
    seed: { type: 'string' },
    policy: { type: 'string' },
    latency: { type: 'string' },
    symbol: { type: 'string' },
    qty: { type: 'string' },
  });
  return {
    name: 'sim',
    durationS: values['duration'] === undefined ? null : positiveNumber('--duration', values['duration']),
    seed: values['seed'] === undefined ? 1 : Math.trunc(positiveNumber('--seed', values['seed'], true)),
    policy: typeof values['policy'] === 'string' ? values['policy'] : null,
    latencyMs: values['latency'] === undefined ? 0 : positiveNumber('--latency', values['latency'], true),
    symbol: typeof values['symbol'] === 'string' ? values['symbol'] : 'BTC-USD',
    qty: typeof values['qty'] === 'string' ? values['qty'] : null,
  };
}

function parseSimServe(args: string[]): Command {
  const { values } = parse(args, {
    serve: { type: 'boolean' },
    port: { type: 'string' },
    accounts: { type: 'string' },
    'env-dir': { type: 'string' },
    seed: { type: 'string' },
    symbol: { type: 'string' },
  });
  const accounts = values['accounts'] === undefined ? 1 : Math.trunc(positiveNumber('--accounts', values['accounts']));
  if (accounts > 100) throw new UsageError('--accounts must be at most 100');
  const port = values['port'] === undefined ? 0 : Math.trunc(positiveNumber('--port', values['port'], true));
  if (port > 65_535) throw new UsageError('--port must be at most 65535');
  return {
    name: 'sim-serve',
    port,
    accounts,
    envDir: typeof values['env-dir'] === 'string' ? values['env-dir'] : '.',
    seed: values['seed'] === undefined ? 1 : Math.trunc(positiveNumber('--seed', values['seed'], true)),
    symbol: typeof values['symbol'] === 'string' ? values['symbol'] : 'BTC-USD',
  };
}

function parse(args: string[], options: Options): { values: Record<string, unknown> } {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function positiveNumber(flag: string, value: unknown, allowZero = false): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || (!allowZero && number === 0)) {
    throw new UsageError(`${flag} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
  }
  return number;
}
