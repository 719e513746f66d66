#!/usr/bin/env node
// Composition root and the only code that touches `process`: parses the command line, loads the
// account's env file, and hands signals, exit and stdout to the commands.

import process from 'node:process';
import pino from 'pino';
import { parseCommand, UsageError, USAGE, type Command } from './cli/args.js';
import { loadAccountConfig } from './cli/account-config.js';
import { runDaemonCommand } from './cli/run-command.js';
import type { Config } from './config/load.js';
import { ConfigError } from './errors.js';
import { systemClock } from './ops/clock.js';
import { EXIT_CONFIG, EXIT_INTERRUPTED } from './ops/exit-codes.js';
import { createLogger } from './ops/logger.js';

const EXIT_USAGE = 64;

async function main(argv: readonly string[]): Promise<void> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`standx-mm: ${error.message}\n${USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
  switch (command.name) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return;
    case 'run':
      return run(command.config);
    case 'check':
      return check(loadOrExit(command.config));
    case 'cancel-all':
      return cancelAll(loadOrExit(command.config), command);
    case 'pause':
    case 'resume':
      return control(loadOrExit(command.config), command.name);
    case 'status':
      return status(command);
    case 'report':
      return report(command, loadOrExit(command.config));
    case 'sim':
      return sim(command);
    case 'sim-serve':
      return simServe(command);
  }
}

function loadOrExit(path: string): Config {
  try {
    return loadAccountConfig(path, process.env).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`standx-mm: config error: ${problem}\n`);
    process.exit(EXIT_CONFIG);
  }
}

async function run(configPath: string): Promise<void> {
  await runDaemonCommand({
    configPath,
    processEnv: process.env,
    clock: systemClock,
    stdout: process.stdout,
    stderr: process.stderr,
    proc: process,
    pid: process.pid,
    exit: (code) => process.exit(code),
    systemdEnv: {
      NOTIFY_SOCKET: process.env['NOTIFY_SOCKET'],
      WATCHDOG_USEC: process.env['WATCHDOG_USEC'],
      WATCHDOG_PID: process.env['WATCHDOG_PID'],
      PATH: process.env['PATH'],
    },
  });
}

// The other commands are loaded on demand: the daemon's process never carries the simulator.
async function check(config: Config): Promise<void> {
  const { runCheck } = await import('./cli/check.js');
  const logger = pino({ level: 'error', base: { account: config.accountName, symbol: config.quoting.symbol } }, process.stderr);
  process.exitCode = await runCheck(config, process.stdout, systemClock, logger);
  process.exit();
}

async function cancelAll(config: Config, command: Extract<Command, { name: 'cancel-all' }>): Promise<void> {
  const { runCancelAll } = await import('./cli/cancel-all.js');
  const handle = await createLogger({
    account: config.accountName,
    symbol: config.quoting.symbol,
    level: config.log.level,
    file: config.log.file,
    maxSizeMb: config.log.maxSizeMb,
    maxFiles: config.log.maxFiles,
    stdout: process.stderr,
  });
  const code = await runCancelAll({
    config,
    flatten: command.flatten,
    force: command.force,
    reason: command.reason,
    out: process.stdout,
    err: process.stderr,
    pid: process.pid,
    clock: systemClock,
    logger: handle.logger,
  });
  await handle.flush();
  process.exit(code);
}

async function control(config: Config, name: 'pause' | 'resume'): Promise<void> {
  const { runControlClient } = await import('./cli/control-client.js');
  process.exit(await runControlClient(config, name, process.stdout, process.stderr));
}

async function simServe(command: Extract<Command, { name: 'sim-serve' }>): Promise<void> {
  const { runSimServe } = await import('./cli/sim-serve.js');
  const stopRequested = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  await runSimServe({ ...command, out: process.stdout, stopRequested });
  process.exit(0);
}

async function status(command: Extract<Command, { name: 'status' }>): Promise<void> {
  const { runStatusCommand } = await import('./cli/status-command.js');
  process.exit(await runStatusCommand({ dir: command.dir, config: command.config, json: command.json, processEnv: process.env, out: process.stdout }));
}

async function report(command: Extract<Command, { name: 'report' }>, config: Config): Promise<void> {
  const { runReportCommand } = await import('./cli/report-command.js');
  process.exit(await runReportCommand({ config, day: command.day, json: command.json, out: process.stdout, clock: systemClock }));
}

async function sim(command: Extract<Command, { name: 'sim' }>): Promise<void> {
  const { runSimCommand } = await import('./cli/sim-command.js');
  let interrupts = 0;
  const stopRequested = new Promise<string>((resolve) => {
    const onSignal = (signal: string): void => {
      interrupts += 1;
      if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  const extraEnv: Record<string, string> = {};
  for (const name of ['LOG_DIR', 'LOG_LEVEL', 'METRICS_PORT']) {
    const value = process.env[name];
    if (value) extraEnv[name] = value;
  }
  const summary = await runSimCommand({
    ...command,
    out: process.stdout,
    status: process.stderr,
    clock: systemClock,
    stopRequested,
    extraEnv,
  });
  process.exit(summary.openOrdersLeft === 0 && summary.exitCode === 0 ? 0 : 1);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) process.stderr.write(`standx-mm: config error: ${problem}\n`);
    process.exit(EXIT_CONFIG);
  }
  process.stderr.write(`standx-mm: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
