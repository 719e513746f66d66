// Applies one scheduled fault to the in-process simulator: switches it on, waits its duration,
// lifts it (also when the run is aborted), and says what it did.

import { setTimeout as sleep } from 'node:timers/promises';
import { formatUnits, fractionDigits, parseUnits } from '../domain/decimal.js';
import type { Clock } from '../ops/clock.js';
import type { SimFaults, Simulator } from '../sim/index.js';
import type { InjectedFault } from './soak-figures.js';
import type { FaultParams, ScheduledFault } from './soak-schedule.js';

export interface InjectContext {
  readonly sim: Simulator;
  readonly address: string;
  readonly symbol: string;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** Called right after the fault changed the simulator, so the sampler sees an effect the daemon may undo within a sample. */
  readonly applied: () => void;
}

/** A lasting fault: what to switch on, and how to lift it. */
interface Toggle {
  readonly on: () => void;
  readonly off: () => void;
  readonly detail: string;
}

function toggle(ctx: InjectContext, fault: ScheduledFault): Toggle | null {
  const f: SimFaults = ctx.sim.faults;
  const p = fault.params;
  const count = p.count ?? 1;
  switch (fault.kind) {
    case 'half-open-stream':
    case 'half-open-api': {
      const kind = fault.kind === 'half-open-stream' ? 'stream' : 'api';
      return { on: () => f.halfOpen(kind, true), off: () => f.halfOpen(kind, false), detail: `ws-${kind} half-open, no pings` };
    }
    case 'stall-stream':
    case 'stall-api': {
      const kind = fault.kind === 'stall-stream' ? 'stream' : 'api';
      return { on: () => f.stallData(kind, true), off: () => f.stallData(kind, false), detail: `ws-${kind} data lost, pings flow` };
    }
    case 'stop-pings':
      return { on: () => f.stopPings(true), off: () => f.stopPings(false), detail: 'no server pings' };
    case 'ignore-pongs':
      return { on: () => f.ignorePongs(true), off: () => f.ignorePongs(false), detail: 'client pings unanswered' };
    case 'cancel-race':
      return { on: () => f.fillBeforeCancel(count), off: () => f.fillBeforeCancel(0), detail: `next ${count} cancels find their order filled` };
    case 'late-reject':
      return { on: () => f.lateRejectAlo(count, p.delayMs ?? 0), off: () => f.lateRejectAlo(0, 0), detail: `next ${count} ALO rejected ${p.delayMs ?? 0} ms after the ack` };
    case 'reject-orders': {
      const { code, message } = p.rejection ?? { code: 400, message: 'alo order rejected' };
      return { on: () => f.rejectNextOrders(count, code, message), off: () => f.rejectNextOrders(0, code, message), detail: `next ${count} orders: ${code} ${message}` };
    }
    case 'lose-acks':
      return { on: () => f.loseAcks(count), off: () => f.loseAcks(0), detail: `next ${count} ws-api replies lost` };
    case 'duplicate-replies':
      return { on: () => f.duplicateReplies(count), off: () => f.duplicateReplies(0), detail: `next ${count} ws-api replies doubled` };
    case 'delay-acks':
      return { on: () => f.delayAcks(p.delayMs ?? 0), off: () => f.delayAcks(0), detail: `ws-api replies ${p.delayMs ?? 0} ms late` };
    case 'http-429':
    case 'http-500': {
      const status = fault.kind === 'http-429' ? 429 : 500;
      return { on: () => f.httpErrorsFor(status, fault.durationMs), off: () => f.httpErrorsFor(status, 0), detail: `every HTTP request answers ${status}` };
    }
    case 'rest-lag':
      return { on: () => f.restLagMs(p.delayMs ?? 0), off: () => f.restLagMs(0), detail: `REST reads ${(p.delayMs ?? 0) / 1_000} s behind` };
    case 'freeze-depth':
      return { on: () => f.freezeDepth(true), off: () => f.freezeDepth(false), detail: 'depth_book pushes stop' };
    default:
      return null;
  }
}

/** Forces a fill of the account's resting order on the fault's side; says what was filled. */
export function forceFill(ctx: InjectContext, params: FaultParams, silent: boolean): string {
  const side = params.side ?? 'buy';
  const order = ctx.sim.openOrders(ctx.address, ctx.symbol).find((open) => open.side === side && open.status === 'open');
  if (!order) return `no resting ${side} to fill`;
  const decimals = fractionDigits(order.qty);
  const remaining = parseUnits(order.qty, decimals) - parseUnits(order.fill_qty, decimals);
  const share = BigInt(Math.round((params.fillShare ?? 1) * 100));
  const part = (remaining * share) / 100n;
  const qty = formatUnits(part > 0n ? part : 1n, decimals);
  const fill = ctx.sim.faults.fillOrder(ctx.address, { clOrdId: order.cl_ord_id }, { qty, silent });
  return fill ? `filled ${fill.qty} of the ${side} at ${fill.price}${silent ? ', pushes lost' : ''}` : `the ${side} was gone`;
}

async function wait(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/** Runs the fault from its start to its end; resolves with its wall-clock window and what it did. */
export async function runFault(ctx: InjectContext, fault: ScheduledFault): Promise<InjectedFault> {
  const f = ctx.sim.faults;
  const startMs = ctx.clock.now();
  const done = (detail: string): InjectedFault => {
    ctx.applied();
    return { fault, startMs, endMs: ctx.clock.now(), detail };
  };
  switch (fault.kind) {
    case 'drop-stream':
    case 'drop-api':
    case 'drop-all': {
      const kind = fault.kind === 'drop-all' ? 'all' : fault.kind === 'drop-api' ? 'api' : 'stream';
      f.dropConnections(kind);
      return done(`${kind} sockets dropped`);
    }
    case 'malformed':
      f.sendMalformedFrame(fault.params.socket ?? 'all', fault.params.variant ?? 'invalid-json');
      return done(`${fault.params.variant ?? 'invalid-json'} on ${fault.params.socket ?? 'all'}`);
    case 'partial-fill':
    case 'fill-push-lost':
      return done(forceFill(ctx, fault.params, fault.kind === 'fill-push-lost'));
    case 'restart':
      f.restart(fault.durationMs);
      await wait(fault.durationMs, ctx.signal);
      return done(`down ${fixedSeconds(fault.durationMs)}, orders kept`);
    case 'fill-while-silent':
      return fillWhileSilent(ctx, fault, done);
    default:
      return lasting(ctx, fault, done);
  }
}

async function fillWhileSilent(ctx: InjectContext, fault: ScheduledFault, done: (detail: string) => InjectedFault): Promise<InjectedFault> {
  ctx.sim.faults.halfOpen('stream', true);
  try {
    await wait(fault.durationMs / 2, ctx.signal);
    const detail = forceFill(ctx, fault.params, false);
    ctx.applied();
    await wait(fault.durationMs / 2, ctx.signal);
    return done(`ws-stream half-open; ${detail}`);
  } finally {
    ctx.sim.faults.halfOpen('stream', false);
  }
}

async function lasting(ctx: InjectContext, fault: ScheduledFault, done: (detail: string) => InjectedFault): Promise<InjectedFault> {
  const switched = toggle(ctx, fault);
  if (!switched) return done('not injectable');
  switched.on();
  try {
    await wait(fault.durationMs, ctx.signal);
  } finally {
    switched.off();
  }
  return done(switched.detail);
}

function fixedSeconds(ms: number): string {
  return `${(ms / 1_000).toFixed(1)} s`;
}
