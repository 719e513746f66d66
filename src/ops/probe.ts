// Measurement points the I/O edges report to. The exchange adapter, its streams and its connections
// get one Probe, injected like the logger; the benchmark and the metrics read the daemon through it.
// Nothing decides on what a probe sees, and a probe never throws into the code it measures.

import type { Log } from './log.js';

export type RequestOutcome = 'accepted' | 'rejected' | 'unknown';
export type ConnectionEvent = 'ready' | 'rotated' | 'down';

export interface Probe {
  /** A depth frame came off the market socket at `atMs` (monotonic) and is being handled now. */
  depthFrameIn(atMs: number): void;
  /** That frame's handling returned: later order frames are not reactions to it. */
  depthFrameDone(): void;
  /** An order command frame was written to the socket at `atMs` (monotonic). */
  orderFrameOut(method: string, atMs: number): void;
  /** A request got its answer (or was given up on) `roundTripMs` after its frame went out. */
  requestSettled(method: string, roundTripMs: number, outcome: RequestOutcome): void;
  /** A connection came up, rotated to a new socket, or went down. */
  connection(name: string, event: ConnectionEvent, reason?: string): void;
}

/** What a probe's consumers want to hear; each is optional. */
export interface ProbeSinks {
  /** Microseconds from a depth frame coming off the socket to an order frame written while handling it. */
  readonly tickToOrder?: (micros: number) => void;
  readonly requestSettled?: (method: string, roundTripMs: number, outcome: RequestOutcome) => void;
  readonly connection?: (name: string, event: ConnectionEvent, reason?: string) => void;
}

const noop = (): void => undefined;

/** Sinks that feed every one of `all` (the benchmark's and the metrics'). */
export function combineSinks(...all: ReadonlyArray<ProbeSinks | undefined>): ProbeSinks {
  const present = all.filter((sinks): sinks is ProbeSinks => sinks !== undefined);
  return {
    tickToOrder: (micros) => present.forEach((sinks) => sinks.tickToOrder?.(micros)),
    requestSettled: (method, roundTripMs, outcome) => present.forEach((sinks) => sinks.requestSettled?.(method, roundTripMs, outcome)),
    connection: (name, event, reason) => present.forEach((sinks) => sinks.connection?.(name, event, reason)),
  };
}

export const nullProbe: Probe = {
  depthFrameIn: noop,
  depthFrameDone: noop,
  orderFrameOut: noop,
  requestSettled: noop,
  connection: noop,
};

/** A probe that pairs depth frames with the order frames written in reaction, and feeds the sinks. */
export function createProbe(sinks: ProbeSinks, log: Log): Probe {
  let reactionStartMs: number | null = null;
  const guarded = <A extends unknown[]>(what: string, sink: ((...args: A) => void) | undefined) =>
    (...args: A): void => {
      if (!sink) return;
      try {
        sink(...args);
      } catch (error) {
        log.error({ err: error, sink: what }, 'probe sink threw');
      }
    };
  const tickToOrder = guarded('tickToOrder', sinks.tickToOrder);
  return {
    depthFrameIn: (atMs) => {
      reactionStartMs = atMs;
    },
    depthFrameDone: () => {
      reactionStartMs = null;
    },
    orderFrameOut: (_method, atMs) => {
      if (reactionStartMs !== null) tickToOrder((atMs - reactionStartMs) * 1000);
    },
    requestSettled: guarded('requestSettled', sinks.requestSettled),
    connection: guarded('connection', sinks.connection),
  };
}
