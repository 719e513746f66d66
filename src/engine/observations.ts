// What the maker loop lets others see: the events it emits (the seam that alerts, accounting,
// metrics, the fill ledger and guards subscribe to from cli/*-wiring.ts) and its read-only snapshot.
// Observers only read; nothing they do feeds back into a quoting decision except through the loop's API.

import type { TickPrice } from '../domain/price.js';
import type { Order, Side } from '../domain/types.js';
import type { RejectReason } from '../errors.js';
import type { StreamName } from '../exchange/exchange.js';
import type { OrderPurpose, OwnOrderView } from './own-orders.js';

export interface MakerStats {
  readonly placed: number;
  readonly cancelsSent: number;
  /** Quotes placed on a side after its first one (replacements, whatever the policy). */
  readonly requotes: number;
  /** Fills of quotes; a flatten's own fill is counted in `flattens`. */
  readonly fills: number;
  readonly flattens: number;
  readonly postOnlyRejects: number;
  readonly otherRejects: number;
  /** Commands held back because the order budget was spent, counted on every look that held them. */
  readonly commandsDeferred: number;
}

export interface MakerSnapshot {
  readonly atMs: number;
  /** The reference price quotes are measured from; null while stale or a stream is down. */
  readonly mid: TickPrice | null;
  /** The exchange's last mark, and when it arrived (null before the first). */
  readonly mark: TickPrice | null;
  readonly markAtMs: number | null;
  readonly bestBidTicks: bigint | null;
  readonly bestAskTicks: bigint | null;
  readonly lastBookAtMs: number | null;
  readonly isQuoting: boolean;
  /** Why quoting is halted (pause, kill switch, second quoter); null while it quotes. */
  readonly halt: HaltReason | null;
  readonly isStale: boolean;
  readonly streamsDown: readonly StreamName[];
  readonly positionLots: bigint;
  /** Every own order not known to be gone: quotes and flattens. */
  readonly orders: readonly OwnOrderView[];
  readonly stats: MakerStats;
}

export interface FillObservation {
  readonly clOrdId: string;
  readonly side: Side;
  readonly purpose: OrderPurpose;
  readonly filledLots: bigint;
  /** Everything the order has filled so far, this fill included. */
  readonly totalFilledLots: bigint;
  /** The order's limit price; null for a market order. */
  readonly priceTicks: bigint | null;
  /** The order's average fill price over totalFilledLots (a decimal string), when the exchange gives it. */
  readonly avgFillPrice: string | null;
  readonly atMs: number;
  /** Since the place was sent. */
  readonly orderAgeMs: number;
}

export interface OrderSentObservation {
  readonly action: 'place' | 'cancel' | 'flatten';
  readonly clOrdId: string;
  readonly side: Side;
  readonly priceTicks: bigint | null;
  readonly atMs: number;
  /** place: a replacement of an earlier quote on this side; cancel: why. */
  readonly isRequote?: boolean;
  readonly reason?: string;
}

/** Why the loop stopped placing quotes while staying connected and flattening. */
export interface HaltReason {
  readonly kind: 'paused' | 'failures' | 'dailyLoss' | 'secondQuoter';
  /** For people: the log line and the alert. */
  readonly detail: string;
}

/** An order with the daemon's prefix but another run's tag (ClientIds.runTag). */
export interface OtherRunOrderObservation {
  readonly order: Order;
  /** stream: an order-channel push; rest: a reconcile read. */
  readonly via: 'stream' | 'rest';
}

export type MakerLoopEvents = {
  /** The loop looked at a new state and acted on it; read snapshot() for what it sees. */
  evaluated: [atMs: number];
  orderSent: [sent: OrderSentObservation];
  fill: [fill: FillObservation];
  flattened: [info: { side: Side; qtyLots: bigint; realizedPnl: string }];
  placingPaused: [info: { reason: RejectReason; pauseMs: number; message: string }];
  flattenFailing: [info: { attempts: number; error: Error }];
  marketStale: [info: { lastBookAgeMs: number | null }];
  marketFresh: [];
  fatal: [error: Error];
  halted: [reason: HaltReason];
  resumed: [after: HaltReason];
  otherRunOrder: [seen: OtherRunOrderObservation];
  /**
   * A request the exchange refused or that failed, other than a post-only "would cross" refusal, a
   * request whose outcome is only unknown (settled later) and a cancel of an order already gone.
   */
  requestFailed: [info: { action: 'place' | 'cancel' | 'flatten'; reason: string }];
  /** An own quote was seen resting on the book: requests are getting through. */
  quoteResting: [clOrdId: string];
};

/** What an observer needs of the loop: its events and its snapshot (a test double can provide both). */
export interface ObservableLoop {
  on<K extends keyof MakerLoopEvents>(event: K, listener: (...args: MakerLoopEvents[K]) => void): unknown;
  off<K extends keyof MakerLoopEvents>(event: K, listener: (...args: MakerLoopEvents[K]) => void): unknown;
  snapshot(): MakerSnapshot;
}
