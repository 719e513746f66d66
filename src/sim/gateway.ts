// Transport-independent command handling shared by HTTP and ws-api: token checks, Ed25519 body
// signature and timestamp window (protocol §3), the order commands with their result staging, and
// the order-path faults that act inside a command (late ALO rejections, cancels racing fills).

import { isLive, orderNamedBy, type AccountRecord, type AccountStore } from './accounts.js';
import type { AuthOutcome, AuthService, TokenSession } from './auth-service.js';
import type { Engine } from './engine.js';
import type { FaultState } from './faults.js';
import { verifyEd25519 } from './keys.js';
import type { SymbolEntry } from './ledger.js';
import { parseCancel, parseCancelMany, parseNewOrder, type CancelRequest, type OrderRequest } from './order-request.js';
import { admissionError } from './pre-trade.js';
import type { StatsCounters } from './stats.js';

export interface SignatureHeaders {
  readonly version: string | undefined;
  readonly requestId: string | undefined;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

/** The terminal outcome of a command whose first answer was an "accepted" ack. */
export interface Settled {
  readonly code: number;
  readonly message: string;
}

export interface CommandResult {
  readonly code: number;
  readonly message: string;
  /**
   * Protocol §6 two frames forced by a fault (late ALO rejection, cancel racing a fill): ws-api
   * acknowledges "accepted" at once and sends this terminal result when it settles.
   */
  readonly deferred?: Promise<Settled>;
  /**
   * 'engine' results passed the gateway: over ws-api a duplicated reply is then an "accepted" ack
   * followed by this final frame (protocol §6 two-frame behaviour).
   */
  readonly stage: 'gateway' | 'engine';
  /** HTTP answers `code 0` at once and reports this result only asynchronously (new_order, §4). */
  readonly asyncOverHttp: boolean;
  readonly httpStatus: number;
}

export interface GatewayDeps {
  readonly auth: AuthService;
  readonly engine: Engine;
  readonly accounts: AccountStore;
  readonly symbols: ReadonlyMap<string, SymbolEntry>;
  readonly faults: FaultState;
  readonly stats: StatsCounters;
  readonly signatureWindowMs: number;
  readonly serverNowMs: () => number;
}

export type SignatureFailure = { readonly status: 403; readonly message: string };

function statusFor(code: number): number {
  return code >= 400 && code <= 599 ? code : 400;
}

function refused(code: number, message: string): CommandResult {
  return { code, message, stage: 'gateway', asyncOverHttp: false, httpStatus: statusFor(code) };
}

export class Gateway {
  readonly #deps: GatewayDeps;

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
  }

  authenticate(token: string | undefined): AuthOutcome<TokenSession> {
    if (!token) return { ok: false, status: 401, message: 'missing token' };
    return this.#deps.auth.verify(token);
  }

  /**
   * Verifies `v1,<x-request-id>,<x-request-timestamp>,<payload bytes>` with the key bound to the token.
   * The signature is checked before the window, so "signature has expired" (the only attested text,
   * protocol §10.1) always means a clock problem, never a bad key.
   */
  checkSignature(session: TokenSession, headers: SignatureHeaders, payload: Buffer): SignatureFailure | null {
    const { version, requestId, timestamp, signature } = headers;
    if (version !== undefined && version !== 'v1') return { status: 403, message: 'invalid signature: unsupported x-request-sign-version' };
    if (!requestId || !timestamp || !signature) return { status: 403, message: 'invalid signature: missing signature headers' };
    if (!/^\d{1,16}$/.test(timestamp)) return { status: 403, message: 'invalid signature: bad x-request-timestamp' };
    const message = Buffer.concat([Buffer.from(`v1,${requestId},${timestamp},`, 'utf8'), payload]);
    if (!verifyEd25519(session.publicKey, message, signature)) return { status: 403, message: 'invalid signature' };
    if (Math.abs(this.#deps.serverNowMs() - Number(timestamp)) > this.#deps.signatureWindowMs) {
      return { status: 403, message: 'signature has expired' };
    }
    return null;
  }

  /** Counts a command refused before it reached the gateway (token or signature). */
  noteRefused(kind: 'order' | 'cancel'): void {
    const { stats } = this.#deps;
    if (kind === 'cancel') {
      stats.cancelsReceived += 1;
      return;
    }
    stats.ordersReceived += 1;
    stats.ordersRejected += 1;
  }

  newOrder(session: TokenSession, body: string): CommandResult {
    const { stats, faults } = this.#deps;
    stats.ordersReceived += 1;
    const forced = faults.takeRejection();
    const parsed = parseNewOrder(body, this.#deps.symbols);
    const account = this.#deps.accounts.getOrCreate(session.address);
    const problem = forced?.message ?? (parsed.ok ? admissionError(account, parsed.value) : parsed.message);
    if (problem !== null || !parsed.ok) {
      stats.ordersRejected += 1;
      return refused(forced?.code ?? 400, problem ?? 'invalid order');
    }
    const lateMs = parsed.value.timeInForce === 'alo' ? faults.takeLateRejection() : null;
    if (lateMs !== null) return this.#rejectLater(account, parsed.value, lateMs);
    const result = this.#deps.engine.submit(account, parsed.value);
    return { code: result.code, message: result.message, stage: 'engine', asyncOverHttp: true, httpStatus: 200 };
  }

  cancelOrder(session: TokenSession, body: string): CommandResult {
    this.#deps.stats.cancelsReceived += 1;
    const parsed = parseCancel(body);
    if (!parsed.ok) return refused(400, parsed.message);
    const account = this.#deps.accounts.getOrCreate(session.address);
    const raced = this.#fillBeforeCancel(account, [parsed.value]);
    const result = this.#deps.engine.cancel(account, parsed.value);
    const settled: Settled = { code: result.code, message: result.message };
    return {
      ...settled,
      ...(raced ? { deferred: Promise.resolve(settled) } : {}),
      stage: 'engine',
      asyncOverHttp: false,
      httpStatus: result.code === 0 ? 200 : statusFor(result.code),
    };
  }

  /** cancel_orders answers `[]` (protocol §4); unknown or closed ids are skipped silently. */
  cancelOrders(session: TokenSession, body: string): CommandResult {
    this.#deps.stats.cancelsReceived += 1;
    const parsed = parseCancelMany(body);
    if (!parsed.ok) return refused(400, parsed.message);
    const account = this.#deps.accounts.getOrCreate(session.address);
    const { orderIds, clOrdIds } = parsed.value;
    this.#fillBeforeCancel(account, [
      ...orderIds.map((orderId) => ({ orderId, clOrdId: null })),
      ...clOrdIds.map((clOrdId) => ({ orderId: null, clOrdId })),
    ]);
    this.#deps.engine.cancelMany(account, parsed.value);
    return { code: 0, message: 'success', stage: 'engine', asyncOverHttp: false, httpStatus: 200 };
  }

  /** Fault lateRejectAlo: "accepted" now; after delayMs matching rejects it (pushed as `rejected`). */
  #rejectLater(account: AccountRecord, request: OrderRequest, delayMs: number): CommandResult {
    const deferred = this.#deps.faults.later(delayMs).then((): Settled => {
      const result = this.#deps.engine.submit(account, request, 'alo order rejected');
      return { code: result.code, message: result.message };
    });
    return { code: 0, message: 'accepted', deferred, stage: 'engine', asyncOverHttp: true, httpStatus: 200 };
  }

  /** Fault fillBeforeCancel: each named live order the fault still covers fills in full first. */
  #fillBeforeCancel(account: AccountRecord, requests: readonly CancelRequest[]): boolean {
    let raced = false;
    for (const request of requests) {
      const order = orderNamedBy(account, request);
      if (!order || !isLive(order.status) || order.priceTicks === null || !this.#deps.faults.takeCancelRace()) continue;
      raced = this.#deps.engine.fillAtOwnPrice(account, order, order.qtyLots - order.filledLots) > 0n || raced;
    }
    return raced;
  }
}
