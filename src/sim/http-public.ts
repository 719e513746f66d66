// Unauthenticated HTTP routes: the auth host's wallet sign-in (§2.1), server time on the geo host
// and kline/time, health, and the public market endpoints query_symbol_info/price/depth_book (§4).

import type { AuthService } from './auth-service.js';
import { errorBody, type Route, type SimRequest, type SimResponse } from './http-server.js';
import type { SymbolEntry } from './ledger.js';
import { depthView, priceView, symbolInfoView } from './views.js';

export interface PublicRouteDeps {
  readonly auth: AuthService;
  readonly symbols: ReadonlyMap<string, SymbolEntry>;
  readonly serverNowMs: () => number;
  readonly startedAtMs: number;
}

function jsonBody(request: SimRequest): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(request.body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function withSymbol(deps: PublicRouteDeps, request: SimRequest, view: (entry: SymbolEntry) => unknown): SimResponse {
  const symbol = request.query.get('symbol');
  if (!symbol) return errorBody(400, 'symbol is required');
  const entry = deps.symbols.get(symbol);
  if (!entry) return errorBody(400, `symbol not found: ${symbol}`);
  return { status: 200, body: view(entry) };
}

export function publicRoutes(deps: PublicRouteDeps): Map<string, Route> {
  const routes = new Map<string, Route>();
  routes.set('GET /v1/region', () => ({ status: 200, body: { systemTime: deps.serverNowMs(), region: 'jp' } }));
  routes.set('GET /api/kline/time', () => ({ status: 200, body: Math.floor(deps.serverNowMs() / 1000) }));
  routes.set('GET /api/health', () => ({ status: 200, body: 'OK' }));

  routes.set('POST /v1/offchain/prepare-signin', (request) => {
    const body = jsonBody(request);
    if (!body) return { status: 400, body: { success: false, message: 'invalid json body' } };
    const outcome = deps.auth.prepareSignin(request.query.get('chain'), body.address, body.requestId);
    if (!outcome.ok) return { status: outcome.status, body: { success: false, message: outcome.message } };
    return { status: 200, body: { success: true, signedData: outcome.value } };
  });

  routes.set('POST /v1/offchain/login', (request) => {
    const body = jsonBody(request);
    if (!body) return errorBody(400, 'invalid json body');
    const outcome = deps.auth.login(request.query.get('chain'), body);
    if (!outcome.ok) return errorBody(outcome.status, outcome.message);
    const { token, address } = outcome.value;
    const alias = `user${address.slice(2, 8).toLowerCase()}`;
    return { status: 200, body: { token, address, alias, chain: 'bsc', perpsAlpha: true } };
  });

  // Protocol §10.12: the docs call `symbol` required, callers omit it and get every symbol.
  routes.set('GET /api/query_symbol_info', (request) => {
    const symbol = request.query.get('symbol');
    const entries = [...deps.symbols.values()].filter((entry) => symbol === null || entry.spec.symbol === symbol);
    return { status: 200, body: entries.map((entry) => symbolInfoView(entry.spec, deps.startedAtMs)) };
  });
  routes.set('GET /api/query_symbol_price', (request) => withSymbol(deps, request, (entry) => priceView(entry, deps.serverNowMs())));
  routes.set('GET /api/query_depth_book', (request) => withSymbol(deps, request, depthView));
  return routes;
}
