// `standx-mm pause` and `resume`: one command to the account's running daemon over its control
// socket, its answer printed as one JSON line.

import type { Writable } from 'node:stream';
import type { Config } from '../config/load.js';
import { ControlCommandError, DaemonNotRunningError, sendControlCommand } from '../ops/control-socket.js';
import { EXIT_FATAL, EXIT_OK } from '../ops/exit-codes.js';

/** pause waits for the cancels to be confirmed (up to 10 s in the daemon). */
const ANSWER_TIMEOUT_MS = 15_000;

export async function runControlClient(config: Config, command: 'pause' | 'resume', out: Writable, err: Writable): Promise<number> {
  try {
    const result = await sendControlCommand(config.runtime.controlSocket, command, {}, ANSWER_TIMEOUT_MS);
    out.write(`${JSON.stringify({ account: config.accountName, command, ...(typeof result === 'object' && result !== null ? result : { result }) })}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof DaemonNotRunningError) {
      err.write(`standx-mm: no daemon runs account ${config.accountName} (nothing answers on ${config.runtime.controlSocket})\n`);
    } else if (error instanceof ControlCommandError) {
      err.write(`standx-mm: ${command} refused: ${error.message}\n`);
    } else {
      err.write(`standx-mm: ${command} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return EXIT_FATAL;
  }
}
