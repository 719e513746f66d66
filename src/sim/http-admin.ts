// Admin endpoints for other processes (a forked daemon's test, the benchmark): POST /admin/faults
// {"fault":"<name>","args":[…]} calls the same SimFaults as the in-process API and answers
// {"ok":true,"result":…}; GET /admin/state and /admin/stats read what the in-process accessors return.

import { z } from 'zod';
import { errorBody, type Route } from './http-server.js';
import type { SimFaults, SimOrderView, SimPositionView, SimStats } from './types.js';

export interface AdminDeps {
  readonly faults: SimFaults;
  readonly openOrders: (address: string, symbol?: string) => SimOrderView[];
  readonly position: (address: string, symbol: string) => SimPositionView;
  readonly stats: () => SimStats;
}

type FaultCall = (args: unknown) => { readonly problem: string } | { readonly result: unknown };

const kind = z.enum(['stream', 'api', 'all']);
const flag = z.tuple([z.boolean()]);
const int = z.number().int().nonnegative();
const ms = z.tuple([z.number().nonnegative()]);
const status = z.union([z.literal(429), z.literal(500)]);
const variant = z.enum(['invalid-json', 'wrong-shape', 'concatenated', 'huge', 'unknown-channel', 'numbers-for-strings', 'missing-fields', 'data-array']);
const selector = z.strictObject({ side: z.enum(['buy', 'sell']).optional(), clOrdId: z.string().min(1).optional() });
const fillOptions = z.strictObject({ qty: z.string().regex(/^\d+(\.\d+)?$/).optional(), silent: z.boolean().optional() });

function call<T>(schema: z.ZodType<T>, run: (args: T) => unknown): FaultCall {
  return (args) => {
    const parsed = schema.safeParse(args);
    if (!parsed.success) return { problem: `bad args: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
    try {
      return { result: run(parsed.data) ?? null };
    } catch (error) {
      return { problem: error instanceof Error ? error.message : 'bad args' };
    }
  };
}

/** exactOptionalPropertyTypes: zod's optional keys may hold undefined; the fault API wants them absent. */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

function faultTable(f: SimFaults): Record<string, FaultCall> {
  return {
    dropConnections: call(z.tuple([kind]), ([k]) => f.dropConnections(k)),
    silence: call(z.tuple([kind, z.boolean()]), ([k, on]) => f.silence(k, on)),
    stopPings: call(flag, ([on]) => f.stopPings(on)),
    ignorePongs: call(flag, ([on]) => f.ignorePongs(on)),
    stopAnsweringPings: call(flag, ([on]) => f.stopAnsweringPings(on)),
    disregardPongs: call(flag, ([on]) => f.disregardPongs(on)),
    delayAcks: call(ms, ([value]) => f.delayAcks(value)),
    loseAcks: call(z.tuple([int]), ([n]) => f.loseAcks(n)),
    rejectNextOrders: call(z.tuple([int, z.number().int(), z.string()]), ([n, code, message]) => f.rejectNextOrders(n, code, message)),
    sendMalformedFrame: call(z.tuple([kind]).or(z.tuple([kind, variant])), (args) => f.sendMalformedFrame(args[0], args[1])),
    duplicateReplies: call(z.tuple([int]), ([n]) => f.duplicateReplies(n)),
    expireToken: call(z.tuple([z.string().min(1)]), ([token]) => f.expireToken(token)),
    freezeDepth: call(flag, ([on]) => f.freezeDepth(on)),
    skewClockMs: call(z.tuple([z.number()]), ([value]) => f.skewClockMs(value)),
    httpErrors: call(z.tuple([status, int]).or(z.tuple([status, int, z.string()])), (args) => f.httpErrors(args[0], args[1], args[2])),
    httpErrorsFor: call(z.tuple([status, z.number().nonnegative()]).or(z.tuple([status, z.number().nonnegative(), z.string()])), (args) =>
      f.httpErrorsFor(args[0], args[1], args[2])),
    restLagMs: call(ms, ([value]) => f.restLagMs(value)),
    halfOpen: call(z.tuple([kind, z.boolean()]), ([k, on]) => f.halfOpen(k, on)),
    stallData: call(z.tuple([kind, z.boolean()]), ([k, on]) => f.stallData(k, on)),
    fillOrder: call(z.tuple([z.string().min(1), selector]).or(z.tuple([z.string().min(1), selector, fillOptions])), (args) =>
      f.fillOrder(args[0], defined(args[1]), defined(args[2] ?? {}))),
    restart: call(ms, ([value]) => f.restart(value)),
    fillBeforeCancel: call(z.tuple([int]), ([n]) => f.fillBeforeCancel(n)),
    lateRejectAlo: call(z.tuple([int, z.number().nonnegative()]), ([n, delay]) => f.lateRejectAlo(n, delay)),
    reset: call(z.tuple([]), () => f.reset()),
  };
}

const faultRequest = z.object({ fault: z.string(), args: z.array(z.unknown()).default([]) });

export function adminRoutes(deps: AdminDeps): Map<string, Route> {
  const table = faultTable(deps.faults);
  const routes = new Map<string, Route>();
  routes.set('POST /admin/faults', (request) => {
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString('utf8'));
    } catch {
      return errorBody(400, 'invalid json body');
    }
    const parsed = faultRequest.safeParse(body);
    if (!parsed.success) return errorBody(400, 'expected {"fault":"<name>","args":[…]}');
    const run = Object.hasOwn(table, parsed.data.fault) ? table[parsed.data.fault] : undefined;
    if (!run) return errorBody(404, `unknown fault ${parsed.data.fault}`);
    const outcome = run(parsed.data.args);
    return 'problem' in outcome ? errorBody(400, outcome.problem) : { status: 200, body: { ok: true, result: outcome.result } };
  });
  routes.set('GET /admin/state', (request) => {
    const address = request.query.get('address');
    const symbol = request.query.get('symbol');
    if (!address || !symbol) return errorBody(400, 'address and symbol are required');
    try {
      return { status: 200, body: { address, symbol, openOrders: deps.openOrders(address, symbol), position: deps.position(address, symbol) } };
    } catch (error) {
      return errorBody(400, error instanceof Error ? error.message : 'bad request');
    }
  });
  routes.set('GET /admin/stats', () => ({ status: 200, body: deps.stats() }));
  return routes;
}
