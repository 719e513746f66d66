// Append-only JSON-lines files (the fill ledger): one object per line, appended in order by one writer,
// read back line by line. Kept apart from the rotating log so that rotation never loses a line.

import { createReadStream } from 'node:fs';
import { appendFile, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Log } from './log.js';

/** Appends lines in the order given; a failed write is logged and the next one still goes. */
export class JsonLinesWriter {
  readonly #path: string;
  readonly #log: Log;
  #chain: Promise<void>;

  constructor(path: string, log: Log) {
    this.#path = path;
    this.#log = log;
    this.#chain = mkdir(dirname(path), { recursive: true }).then(
      () => undefined,
      (error: unknown) => log.error({ err: error, path }, 'cannot create the folder of a JSON-lines file'),
    );
  }

  append(value: unknown): void {
    const line = `${JSON.stringify(value)}\n`;
    this.#chain = this.#chain.then(() =>
      appendFile(this.#path, line, { mode: 0o600 }).catch((error: unknown) => this.#log.error({ err: error, path: this.#path }, 'cannot append to a JSON-lines file')),
    );
  }

  /** Resolves once every line appended so far is written (or failed). */
  flush(): Promise<void> {
    return this.#chain;
  }
}

/**
 * Calls `onLine` for each line of the file, from `fromEndBytes` before its end (or the start);
 * a missing file has no lines. A first line cut by the offset is skipped.
 */
export async function readJsonLines(path: string, onLine: (line: string) => void, fromEndBytes?: number): Promise<void> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return;
  }
  const start = fromEndBytes === undefined ? 0 : Math.max(0, size - fromEndBytes);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8', start }), crlfDelay: Infinity });
  let isFirst = start > 0;
  for await (const line of lines) {
    if (!isFirst && line.trim() !== '') onLine(line);
    isFirst = false;
  }
}
