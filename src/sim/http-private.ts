// Bearer-authenticated HTTP routes (protocol §4): account queries, and the signed order commands
// whose results are also delivered to the ws-api connection named by x-session-id.

import type { AccountRecord, AccountStore, OrderRecord, OrderSnapshot } from './accounts.js';
import { isLive } from './accounts.js';
import type { TokenSession } from './auth-service.js';
import type { EventHub } from './events.js';
import type { FaultState } from './faults.js';
import type { CommandResult, Gateway } from './gateway.js';
import { errorBody, type Route, type SimRequest, type SimResponse } from './http-server.js';
import { positionConfigOf, type SymbolEntry } from './ledger.js';
import type { PositionHistory } from './position-history.js';
import { balanceView, orderView, positionView } from './views.js';

export interface PrivateRouteDeps {
  readonly gateway: Gateway;
  readonly accounts: AccountStore;
  readonly symbols: ReadonlyMap<string, SymbolEntry>;
  readonly faults: FaultState;
  readonly events: EventHub;
  readonly positionHistory: PositionHistory;
  readonly serverNowMs: () => number;
  readonly monoNowMs: () => number;
}

type Authed = (session: TokenSession, request: SimRequest) => SimResponse;
type Command = (session: TokenSession, body: string) => CommandResult;

const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 1200;

export function header(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function bearer(request: SimRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header(request, 'authorization') ?? '');
  return match?.[1];
}

/** The order as REST shows it `lagMs` ago (fault restLagMs), or null if it was not open then. */
function lagged(order: OrderRecord, atMonoMs: number): OrderSnapshot | null {
  let state: OrderSnapshot | null = null;
  for (const snapshot of order.history) {
    if (snapshot.atMonoMs > atMonoMs) break;
    state = snapshot;
  }
  return state && isLive(state.status) ? state : null;
}

function openOrdersAsOf(deps: PrivateRouteDeps, account: AccountRecord, symbol: string | null): ReturnType<typeof orderView>[] {
  const lagMs = deps.faults.restLag;
  const views: ReturnType<typeof orderView>[] = [];
  const source = lagMs > 0 ? account.orders.values() : account.openOrders.values();
  for (const order of source) {
    const spec = deps.symbols.get(order.symbol)?.spec;
    if (!spec || (symbol !== null && order.symbol !== symbol)) continue;
    if (lagMs === 0) views.push(orderView(order, spec));
    else {
      const state = lagged(order, deps.monoNowMs() - lagMs);
      if (state) views.push(orderView(order, spec, state));
    }
  }
  return views;
}

function limitOf(request: SimRequest): number {
  const raw = Number(request.query.get('limit') ?? DEFAULT_LIMIT);
  return Number.isInteger(raw) && raw > 0 ? Math.min(raw, MAX_LIMIT) : DEFAULT_LIMIT;
}

type Answer = (result: CommandResult, requestId: string) => SimResponse;

function authedBy(deps: PrivateRouteDeps, handler: Authed): Route {
  return (request) => {
    const outcome = deps.gateway.authenticate(bearer(request));
    return outcome.ok ? handler(outcome.value, request) : errorBody(401, outcome.message);
  };
}

function queryOrder(deps: PrivateRouteDeps, account: AccountRecord, request: SimRequest): SimResponse {
  const byId = Number(request.query.get('order_id'));
  const clOrdId = request.query.get('cl_ord_id');
  const id = Number.isInteger(byId) && byId > 0 ? byId : clOrdId === null ? undefined : account.clOrdIndex.get(clOrdId);
  const order = id === undefined ? undefined : account.orders.get(id);
  const spec = order && deps.symbols.get(order.symbol)?.spec;
  return order && spec ? { status: 200, body: orderView(order, spec) } : errorBody(404, 'order not found');
}

/** Positions come back as a bare array (protocol §4); flat ones are left out. They lag as open orders do. */
function queryPositions(deps: PrivateRouteDeps, account: AccountRecord, symbol: string | null): SimResponse {
  const lagMs = deps.faults.restLag;
  const views = [...account.positions.values()].flatMap((current) => {
    const position = lagMs > 0 ? deps.positionHistory.asOf(account.address, current, deps.monoNowMs() - lagMs) : current;
    const entry = deps.symbols.get(position.symbol);
    if (!entry || position.qtyLots === 0n || (symbol !== null && position.symbol !== symbol)) return [];
    return [positionView(account, position, entry, deps.serverNowMs())];
  });
  return { status: 200, body: views };
}

function queryRoutes(deps: PrivateRouteDeps): [string, Route][] {
  const accountOf = (session: TokenSession): AccountRecord => deps.accounts.getOrCreate(session.address);
  const route = (key: string, handler: Authed): [string, Route] => [key, authedBy(deps, handler)];
  return [
    route('GET /api/query_open_orders', (session, request) => {
      const result = openOrdersAsOf(deps, accountOf(session), request.query.get('symbol')).slice(0, limitOf(request));
      return { status: 200, body: { page_size: result.length, result, total: result.length } };
    }),
    route('GET /api/query_order', (session, request) => queryOrder(deps, accountOf(session), request)),
    route('GET /api/query_positions', (session, request) => queryPositions(deps, accountOf(session), request.query.get('symbol'))),
    route('GET /api/query_balance', (session) => {
      const account = accountOf(session);
      if (account.balanceMoney === null) return errorBody(404, 'user balance not found');
      return { status: 200, body: balanceView(account, deps.symbols) };
    }),
    route('GET /api/query_position_config', (session, request) => {
      const entry = deps.symbols.get(request.query.get('symbol') ?? '');
      if (!entry) return errorBody(400, 'symbol not found');
      const config = positionConfigOf(accountOf(session), entry.spec);
      return { status: 200, body: { symbol: entry.spec.symbol, leverage: config.leverage, margin_mode: config.marginMode } };
    }),
  ];
}

/** Bearer + §3 signature over the raw body, then the command; x-session-id also gets the result. */
function signedRoute(deps: PrivateRouteDeps, kind: 'order' | 'cancel', command: Command, answer: Answer): Route {
  return authedBy(deps, (session, request) => {
    const signature = {
      // Required over HTTP (protocol §3 header list); ws-api may omit it (§6).
      version: header(request, 'x-request-sign-version') ?? '',
      requestId: header(request, 'x-request-id'),
      timestamp: header(request, 'x-request-timestamp'),
      signature: header(request, 'x-request-signature'),
    };
    const failure = deps.gateway.checkSignature(session, signature, request.body);
    if (failure) {
      deps.gateway.noteRefused(kind);
      return errorBody(failure.status, failure.message);
    }
    const requestId = signature.requestId ?? '';
    const result = command(session, request.body.toString('utf8'));
    const sessionId = header(request, 'x-session-id');
    if (sessionId && result.stage === 'engine') {
      const report = (code: number, message: string): void => deps.events.emit({ kind: 'session-result', result: { sessionId, requestId, code, message } });
      if (!result.deferred) report(result.code, result.message);
      else {
        // The same two frames a ws-api request gets (protocol §6).
        report(0, 'accepted');
        void result.deferred.then((settled) => report(settled.code, settled.message));
      }
    }
    return answer(result, requestId);
  });
}

/** new_order answers "submitted" (code 0) even when matching later rejects it (protocol §4). */
const ack: Answer = (result, requestId) =>
  result.asyncOverHttp
    ? { status: 200, body: { code: 0, message: 'success', request_id: requestId } }
    : { status: result.httpStatus, body: { code: result.code, message: result.message, request_id: requestId } };

const emptyList: Answer = (result) => (result.code === 0 ? { status: 200, body: [] } : errorBody(result.httpStatus, result.message));

export function privateRoutes(deps: PrivateRouteDeps): Map<string, Route> {
  const { gateway } = deps;
  return new Map([
    ...queryRoutes(deps),
    ['POST /api/new_order', signedRoute(deps, 'order', (session, body) => gateway.newOrder(session, body), ack)],
    ['POST /api/cancel_order', signedRoute(deps, 'cancel', (session, body) => gateway.cancelOrder(session, body), ack)],
    ['POST /api/cancel_orders', signedRoute(deps, 'cancel', (session, body) => gateway.cancelOrders(session, body), emptyList)],
  ]);
}
