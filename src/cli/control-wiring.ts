// The daemon's control commands on its socket (ops/control-socket.ts): `pause` halts quoting and
// returns once every quote is confirmed gone; `resume` quotes again. The state lives in the process
// only: a restarted daemon quotes.

import type { MakerLoop } from '../engine/maker-loop.js';
import type { Clock } from '../ops/clock.js';
import { ControlCommandError, startControlServer, type ControlHandler, type ControlServer } from '../ops/control-socket.js';
import type { Log } from '../ops/log.js';

export interface ControlTarget {
  /** Null until the exchange is connected. */
  readonly loop: () => MakerLoop | null;
  readonly clock: Clock;
  /** How long `pause` waits for the cancels to be confirmed. */
  readonly confirmMs?: number;
}

const DEFAULT_CONFIRM_MS = 10_000;

export function controlHandlers(target: ControlTarget): Map<string, ControlHandler> {
  const requireLoop = (): MakerLoop => {
    const loop = target.loop();
    if (loop === null) throw new ControlCommandError('the daemon is still starting: try again in a few seconds');
    return loop;
  };
  return new Map<string, ControlHandler>([
    ['pause', () => pause(requireLoop(), target)],
    ['resume', () => resume(requireLoop())],
  ]);
}

/** The commands every wiring added (pause, resume, status); a daemon without its socket still trades. */
export async function startControl(path: string, handlers: ReadonlyMap<string, ControlHandler>, log: Log): Promise<ControlServer | null> {
  try {
    return await startControlServer(path, handlers, log);
  } catch (error) {
    log.error({ err: error, path }, 'control socket not started: status, pause and resume cannot reach this daemon');
    return null;
  }
}

interface PauseResult {
  readonly state: 'paused' | 'halted';
  /** Why it was already halted, when it was. */
  readonly haltedFor: string | null;
  /** Quotes that were open or on their way when the pause came, all confirmed gone. */
  readonly cancelled: number;
}

async function pause(loop: MakerLoop, target: ControlTarget): Promise<PauseResult> {
  const quotes = (): number => loop.snapshot().orders.filter((order) => order.purpose === 'quote').length;
  const before = quotes();
  const existing = loop.snapshot().halt;
  loop.halt({ kind: 'paused', detail: 'paused by the operator (standx-mm pause)' });
  await waitForEvaluation(loop, target, () => quotes() === 0);
  const left = quotes();
  if (left > 0) throw new ControlCommandError(`paused, but ${left} quote(s) not confirmed gone within ${target.confirmMs ?? DEFAULT_CONFIRM_MS} ms: check the exchange`);
  return { state: existing === null ? 'paused' : 'halted', haltedFor: existing?.kind ?? null, cancelled: before };
}

function resume(loop: MakerLoop): { state: 'quoting'; wasHaltedFor: string | null } {
  const after = loop.resume();
  return { state: 'quoting', wasHaltedFor: after?.kind ?? null };
}

/** Resolves when `isDone` holds after one of the loop's evaluations (each order push causes one), or at the deadline. */
async function waitForEvaluation(loop: MakerLoop, target: ControlTarget, isDone: () => boolean): Promise<void> {
  if (isDone()) return;
  const controller = new AbortController();
  const check = (): void => {
    if (isDone()) controller.abort();
  };
  loop.on('evaluated', check);
  try {
    await target.clock.sleep(target.confirmMs ?? DEFAULT_CONFIRM_MS, controller.signal).catch(() => undefined);
  } finally {
    loop.off('evaluated', check);
  }
}
