// The exchange as the engine sees it: streams of book / mark / order / position events and a few
// commands. StandXExchange implements it over the real protocol; engine tests use an in-memory one.

import type { EventEmitter } from 'node:events';
import type { ExchangeRejectError } from '../errors.js';
import type {
  Balance,
  Book,
  MarkPrice,
  NewOrderRequest,
  Order,
  OrderRef,
  Position,
  SymbolSpec,
} from '../domain/types.js';

export type StreamName = 'market' | 'account' | 'orders';

export interface StreamStatus {
  readonly stream: StreamName;
  readonly up: boolean;
  /** Why it went down (for logs and alerts). */
  readonly reason?: string;
}

export type ExchangeEvents = {
  /** A fresh depth snapshot for the symbol. */
  book: [book: Book];
  mark: [mark: MarkPrice];
  /** Any update of one of the account's orders on the symbol (placed, filled, canceled, rejected). */
  order: [order: Order];
  position: [position: Position];
  /** A stream went down or came back (after re-authenticating and resubscribing). */
  status: [status: StreamStatus];
  /** The credentials stopped working (token expired or revoked): unrecoverable without the user. */
  authFailure: [error: Error];
  /** The access token's expiry time changed (after a login or a re-login). */
  tokenExpiry: [expiresAtMs: number | null];
  /**
   * A request that had been acknowledged was refused by a later frame (protocol §6: an ALO accepted
   * then rejected at matching, a cancel refused because the order filled first).
   */
  lateReject: [reject: LateReject];
};

export interface LateReject {
  readonly action: 'place' | 'cancel';
  /** The client order id of the request, when the adapter could tell. */
  readonly clOrdId: string | null;
  readonly error: ExchangeRejectError;
}

export interface Exchange extends EventEmitter<ExchangeEvents> {
  readonly spec: SymbolSpec;
  /**
   * Resolves once the order stream is logged in. Rejects with ExchangeRejectError
   * (e.g. "alo order rejected"), TransientError (not sent), OutcomeUnknownError (sent, no answer).
   * An accepted request only means submitted: the order's fate arrives as `order` events.
   */
  placeOrder(request: NewOrderRequest, signal?: AbortSignal): Promise<void>;
  cancelOrder(ref: OrderRef, signal?: AbortSignal): Promise<void>;
  /** REST cancel_orders; asynchronous on the exchange side, so confirm with openOrders(). */
  cancelOrders(refs: readonly OrderRef[], signal?: AbortSignal): Promise<void>;
  openOrders(signal?: AbortSignal): Promise<Order[]>;
  position(signal?: AbortSignal): Promise<Position>;
  balance(signal?: AbortSignal): Promise<Balance>;
  /** True while both the market and the order stream are up and authenticated. */
  isReady(): boolean;
}
