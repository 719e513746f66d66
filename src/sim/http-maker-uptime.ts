// GET /api/maker/uptime: the account's credited maker time per UTC hour from the simulator's ledger.
// Peers sign it like an order command over an empty payload ("this endpoint needs request
// signature"), so the simulator requires Bearer + the §3 signature headers over the empty body.

import type { Gateway } from './gateway.js';
import { bearer, header } from './http-private.js';
import { errorBody, type Route } from './http-server.js';
import type { SymbolEntry } from './ledger.js';
import type { CreditLedger } from './maker-uptime-ledger.js';
import { uptimeBody } from './maker-uptime-tiers.js';

export interface MakerUptimeRouteDeps {
  readonly gateway: Gateway;
  readonly ledger: CreditLedger;
  readonly symbols: ReadonlyMap<string, SymbolEntry>;
}

export function makerUptimeRoutes(deps: MakerUptimeRouteDeps): Map<string, Route> {
  const route: Route = (request) => {
    const outcome = deps.gateway.authenticate(bearer(request));
    if (!outcome.ok) return errorBody(401, outcome.message);
    const failure = deps.gateway.checkSignature(
      outcome.value,
      {
        version: header(request, 'x-request-sign-version'),
        requestId: header(request, 'x-request-id'),
        timestamp: header(request, 'x-request-timestamp'),
        signature: header(request, 'x-request-signature'),
      },
      request.body,
    );
    if (failure) return errorBody(failure.status, failure.message);
    const symbol = request.query.get('symbol') ?? undefined;
    if (symbol !== undefined && !deps.symbols.has(symbol)) return errorBody(400, `symbol not found: ${symbol}`);
    return { status: 200, body: uptimeBody(deps.ledger.creditByHour(outcome.value.address, symbol)) };
  };
  return new Map([['GET /api/maker/uptime', route]]);
}
