#!/usr/bin/env node
// `npm run soak -- --minutes N`: the composition root of the soak and its only code that touches
// `process`. Runs the daemon against the simulator under seeded faults, writes the markdown report
// (default bench/soak.md) and prints a one-line JSON summary on stdout.

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import process from 'node:process';
import { computeSoakFigures } from './soak-figures.js';
import { renderSoakMarkdown, soakSummaryLine } from './soak-markdown.js';
import { parseSoakArgs, SOAK_USAGE, SoakUsageError, type SoakOptions } from './soak-options.js';
import { runSoak } from './soak-run.js';
import { STANDARD_QTY } from './standard-path.js';

const EXIT_USAGE = 64;

async function main(argv: readonly string[]): Promise<void> {
  const options = parseOrExit(argv);
  progress(`${options.minutes} min, seed ${options.seed}, ${options.kinds.length} fault kinds`);
  const run = await runSoak(options, progress);
  const figures = computeSoakFigures(run.record);
  const cpus = os.cpus();
  const markdown = renderSoakMarkdown({
    generatedAt: new Date().toISOString(),
    machine: `${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length}, Node ${process.version}, load ${os.loadavg()[0]?.toFixed(1) ?? '?'}`,
    options,
    qty: STANDARD_QTY,
    band: run.band,
    figures,
  });
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, markdown);
  progress(`wrote ${options.out}`);
  process.stdout.write(`${soakSummaryLine(figures, options.seed)}\n`);
}

function parseOrExit(argv: readonly string[]): SoakOptions {
  try {
    return parseSoakArgs(argv);
  } catch (error) {
    if (!(error instanceof SoakUsageError)) throw error;
    process.stderr.write(`soak: ${error.message}\n${SOAK_USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
}

function progress(line: string): void {
  process.stderr.write(`soak: ${line}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
