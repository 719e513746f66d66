// The only stateful part of the engine: turns exchange events into snapshots, asks the pure planner
// what to do, and carries the plan out. Depth frame in -> plan -> signed order frame out runs
// synchronously on the hot path; request outcomes come back later and only update state.

import { EventEmitter } from 'node:events';
import type { Log } from '../ops/log.js';
import type { TickPrice } from '../domain/price.js';
import type { Book, MarkPrice, Order, Position, Side } from '../domain/types.js';
import {
  AuthError,
  ClockSkewError,
  ExchangeRejectError,
  OutcomeUnknownError,
  ShutdownError,
  TransientError,
  type RejectReason,
} from '../errors.js';
import type { Exchange, ExchangeEvents, LateReject, StreamName, StreamStatus } from '../exchange/exchange.js';
import type { Clock } from '../ops/clock.js';
import { ClientIds, quoteKind } from './client-ids.js';
import { referencePrice, type MidMethod } from './mid.js';
import { OwnOrders, refOf, type TrackedOrder } from './own-orders.js';
import { planQuotes, type Plan, type PlannedCancel, type PlannedFlatten, type PlannedPlace, type RequotePolicy } from './plan.js';
import type { QuoteBand } from './quotes.js';
import { reconcileOrders } from './reconcile.js';
import { FlattenTracker } from './flatten-tracker.js';
import { PlacementGate } from './placement-gate.js';
import { MoveVolatility } from './volatility.js';

/**
 * Overlap's early-replacement margin, in RMS moves between two looks: a normally distributed move
 * exceeds two of them about 2 % of the time, so a quote kept outside the margin is rarely out of
 * band by the next look, and in calm markets quotes are left alone longer (fewer messages).
 */
const EDGE_MARGIN_RMS_MOVES = 2;

export interface MakerQuoting {
  readonly qtyLots: bigint;
  readonly band: QuoteBand;
  readonly policy: RequotePolicy;
  readonly midMethod: MidMethod;
  /** Minimum spacing between evaluations (0 = every event). */
  readonly checkIntervalMs: number;
}

export interface MakerTiming {
  /** No depth snapshot for this long: the mid is stale, cancel and stop quoting. */
  readonly marketStaleMs: number;
  /** Places need a mid at most this old (the reference bot's 2 s wait for a fresh price). */
  readonly freshMidTimeoutMs: number;
  readonly markStaleMs: number;
  readonly reconcileIntervalMs: number;
  /** A request without a visible outcome for this long is settled (cancel by client id, re-read). */
  readonly settleMs: number;
  readonly restLagMs: number;
  readonly flattenRetryMs: number;
  readonly pauseBaseMs: number;
  readonly pauseMaxMs: number;
  readonly watchdogIntervalMs: number;
}

export interface MakerLoopOptions {
  readonly exchange: Exchange;
  readonly clock: Clock;
  readonly logger: Log;
  readonly ids: ClientIds;
  readonly quoting: MakerQuoting;
  readonly timing: MakerTiming;
}

export interface MakerStats {
  placed: number;
  cancelsSent: number;
  /** Quotes placed on a side after its first one (replacements, whatever the policy). */
  requotes: number;
  /** Fills of quotes; a flatten's own fill is counted in `flattens`. */
  fills: number;
  flattens: number;
  postOnlyRejects: number;
  otherRejects: number;
}

export type MakerLoopEvents = {
  flattened: [info: { side: Side; qtyLots: bigint; realizedPnl: string }];
  placingPaused: [info: { reason: RejectReason; pauseMs: number; message: string }];
  flattenFailing: [info: { attempts: number; error: Error }];
  fatal: [error: Error];
};

export class MakerLoop extends EventEmitter<MakerLoopEvents> {
  readonly stats: MakerStats = { placed: 0, cancelsSent: 0, requotes: 0, fills: 0, flattens: 0, postOnlyRejects: 0, otherRejects: 0 };
  readonly orders: OwnOrders;
  readonly #o: MakerLoopOptions;
  readonly #log: Log;
  readonly #flatten: FlattenTracker;
  readonly #gate: PlacementGate;
  readonly #down = new Set<StreamName>();
  readonly #warnedForeign = new Set<number>();
  readonly #quotedSides = new Set<Side>();
  #book: Book | null = null;
  #bookSeq = 0;
  #bookSeqAtLastAction = 0;
  #mark: MarkPrice | null = null;
  readonly #midMoves = new MoveVolatility();
  #bookSeqSeenMoving = 0;
  #position: Position | null = null;
  #positionPushAtMs = Number.NEGATIVE_INFINITY;
  #isQuoting = false;
  #isStale = true;
  #lastEvaluationMs = Number.NEGATIVE_INFINITY;
  #evaluationTimer: NodeJS.Timeout | null = null;
  #watchdog: NodeJS.Timeout | null = null;
  #reconcileTimer: NodeJS.Timeout | null = null;
  #reconciling: Promise<void> | null = null;
  readonly #detach: Array<() => void> = [];

  constructor(options: MakerLoopOptions) {
    super();
    this.#o = options;
    this.#log = options.logger.child({ component: 'maker' });
    this.orders = new OwnOrders({ finishedRetentionMs: options.timing.restLagMs * 3 });
    this.#flatten = new FlattenTracker(options.clock, options.timing.flattenRetryMs);
    this.#gate = new PlacementGate(options.timing.pauseBaseMs, options.timing.pauseMaxMs);
  }

  /** Subscribes to the exchange, cancels orders left by an earlier run, and starts quoting. */
  async start(): Promise<void> {
    const { exchange } = this.#o;
    this.#listen('book', (book) => this.#onBook(book));
    this.#listen('mark', (mark) => (this.#mark = mark));
    this.#listen('order', (order) => this.#onOrder(order));
    this.#listen('position', (position) => this.#onPosition(position));
    this.#listen('status', (status) => this.#onStatus(status));
    this.#listen('lateReject', (reject) => this.#onLateReject(reject));
    this.#isQuoting = true;
    await this.reconcile();
    // A stop during the first reconcile must not leave timers behind.
    if (!this.#isQuoting) return;
    const { timing } = this.#o;
    this.#watchdog = setInterval(() => this.#onWatchdog(), timing.watchdogIntervalMs);
    this.#reconcileTimer = setInterval(() => void this.reconcile(), timing.reconcileIntervalMs);
    this.#log.info({ ready: exchange.isReady() }, 'maker loop started');
    this.#evaluate();
  }

  /** Stops quoting: no new orders from now on. Order and position tracking go on for the cleanup. */
  stopQuoting(): void {
    if (!this.#isQuoting) return;
    this.#isQuoting = false;
    for (const timer of [this.#watchdog, this.#reconcileTimer]) if (timer) clearInterval(timer);
    if (this.#evaluationTimer) clearTimeout(this.#evaluationTimer);
    this.#watchdog = this.#reconcileTimer = this.#evaluationTimer = null;
    this.#log.info('quoting stopped');
  }

  detach(): void {
    this.stopQuoting();
    for (const off of this.#detach.splice(0)) off();
  }

  get positionLots(): bigint {
    return this.#position?.qtyLots ?? 0n;
  }

  /** Current mid as a rational in ticks, or null while stale. */
  currentMid(): TickPrice | null {
    return this.#book && !this.#isStale ? referencePrice(this.#book, this.#o.quoting.midMethod) : null;
  }

  /** Handlers never throw into the exchange's emitter: a bug in one event must not stop the others. */
  #listen<K extends keyof ExchangeEvents>(event: K, handler: (...args: ExchangeEvents[K]) => void): void {
    const { exchange } = this.#o;
    const safe = (...args: ExchangeEvents[K]): void => {
      try {
        handler(...args);
      } catch (error) {
        this.#log.error({ err: error, event }, 'event handler failed');
      }
    };
    exchange.on(event, safe as never);
    this.#detach.push(() => exchange.off(event, safe as never));
  }

  #onBook(book: Book): void {
    this.#book = book;
    this.#bookSeq += 1;
    if (this.#isStale) {
      this.#isStale = false;
      this.#log.info('market data fresh');
    }
    this.#scheduleEvaluation();
  }

  #onOrder(order: Order): void {
    const now = this.#o.clock.now();
    if (!this.#o.ids.isOwn(order.clOrdId)) {
      this.#warnForeign(order);
      return;
    }
    const update = this.orders.applyPush(order, now);
    if (!update) return;
    const { tracked } = update;
    if (update.isAdopted) this.#log.warn({ clOrdId: order.clOrdId, orderId: order.id }, 'adopted own order seen on the order channel');
    if (update.newlyFilledLots > 0n) {
      if (tracked.purpose === 'quote') this.stats.fills += 1;
      this.#log.info({ clOrdId: tracked.clOrdId, side: tracked.side, purpose: tracked.purpose, filledLots: update.newlyFilledLots.toString(), status: order.rawStatus }, 'order filled');
    }
    if (tracked.purpose === 'flatten' && update.isTerminal) this.#flatten.onOrderFinished(tracked.clOrdId, order.state === 'filled');
    if (update.isTerminal) this.#log.debug({ clOrdId: tracked.clOrdId, status: order.rawStatus }, 'order finished');
    else if (tracked.status === 'resting') this.#gate.onResting();
    this.#scheduleEvaluation();
  }

  #onPosition(position: Position): void {
    if (position.symbol !== this.#o.exchange.spec.symbol) return;
    const before = this.positionLots;
    this.#position = position;
    this.#positionPushAtMs = this.#o.clock.now();
    const flattened = this.#flatten.onPosition(before, position.qtyLots);
    if (flattened) {
      this.stats.flattens += 1;
      this.#log.info({ side: flattened.side, qtyLots: flattened.qtyLots.toString(), realizedPnl: position.realizedPnl }, 'position flattened');
      this.emit('flattened', { ...flattened, realizedPnl: position.realizedPnl });
    } else if (position.qtyLots !== 0n && position.qtyLots !== before) {
      this.#log.warn({ qtyLots: position.qtyLots.toString(), entryPrice: position.entryPrice }, 'position opened');
    }
    this.#evaluate();
  }

  #onStatus(status: StreamStatus): void {
    if (status.up) {
      this.#down.delete(status.stream);
      this.#log.info({ stream: status.stream }, 'stream up');
      if (this.#down.size === 0) void this.reconcile().then(() => this.#evaluate());
      return;
    }
    this.#down.add(status.stream);
    this.#log.warn({ stream: status.stream, reason: status.reason }, 'stream down: cancelling and pausing quotes');
    this.#evaluate();
  }

  #onLateReject(reject: LateReject): void {
    this.#log.warn({ action: reject.action, clOrdId: reject.clOrdId, code: reject.error.exchangeCode, message: reject.error.exchangeMessage }, 'late rejection');
    if (reject.action === 'place' && reject.clOrdId) {
      const tracked = this.orders.get(reject.clOrdId);
      if (tracked && tracked.status === 'placing') this.#onPlaceRejected(tracked, reject.error);
    }
  }

  #warnForeign(order: Order): void {
    if (this.#warnedForeign.has(order.id) || order.state !== 'live') return;
    this.#warnedForeign.add(order.id);
    this.#log.warn({ orderId: order.id, clOrdId: order.clOrdId, side: order.side }, 'order not placed by this daemon: left alone');
  }

  #scheduleEvaluation(): void {
    const spacing = this.#o.quoting.checkIntervalMs;
    if (spacing <= 0) {
      this.#evaluate();
      return;
    }
    if (this.#evaluationTimer) return;
    const wait = this.#lastEvaluationMs + spacing - this.#o.clock.now();
    if (wait <= 0) {
      this.#evaluate();
      return;
    }
    this.#evaluationTimer = setTimeout(() => {
      this.#evaluationTimer = null;
      this.#evaluate();
    }, wait);
  }

  #evaluate(): void {
    if (!this.#isQuoting) return;
    const now = this.#o.clock.now();
    this.#lastEvaluationMs = now;
    this.#execute(this.#plan(now), now);
  }

  #plan(now: number): Plan {
    const { exchange, quoting, timing } = this.#o;
    const book = this.#book;
    const isUp = this.#down.size === 0 && exchange.isReady();
    const mid = isUp && book && !this.#isStale ? referencePrice(book, quoting.midMethod) : null;
    const midAgeMs = book ? now - book.receivedAtMs : Number.POSITIVE_INFINITY;
    const mark = this.#mark && now - this.#mark.receivedAtMs <= timing.markStaleMs ? this.#mark.mark : null;
    this.#observeMidMove(mid);
    return planQuotes({
      spec: exchange.spec,
      qtyLots: quoting.qtyLots,
      band: quoting.band,
      policy: quoting.policy,
      mid,
      mark,
      bestBidTicks: book?.bids[0]?.priceTicks ?? null,
      bestAskTicks: book?.asks[0]?.priceTicks ?? null,
      edgeMarginBps: this.#midMoves.marginBps(EDGE_MARGIN_RMS_MOVES),
      isMidFresh: this.#bookSeq > this.#bookSeqAtLastAction,
      orders: this.orders.quotes(),
      positionLots: this.positionLots,
      isFlattenInFlight: this.#flatten.isBusy(),
      isPlacingPaused: !isUp || midAgeMs > timing.freshMidTimeoutMs || this.#gate.isPaused(now, this.#bookSeq),
      maxOpenOrders: exchange.spec.maxOpenOrders,
    });
  }

  /** One sample per look that saw a new book; a gap in the data breaks the sequence. */
  #observeMidMove(mid: TickPrice | null): void {
    if (mid === null) this.#midMoves.breakSequence();
    else if (this.#bookSeq !== this.#bookSeqSeenMoving) this.#midMoves.observe(Number(mid.num) / Number(mid.den));
    this.#bookSeqSeenMoving = this.#bookSeq;
  }

  /**
   * Every frame of a reaction goes out before any of its log lines is written: log writes are
   * synchronous (so that the lines explaining a hard exit reach the disk) and would delay the
   * frames behind them. The flatten goes first: an open position is the bigger risk.
   */
  #execute(plan: Plan, now: number): void {
    const logs: Array<() => void> = [];
    if (plan.flatten) logs.push(this.#sendFlatten(plan.flatten, now));
    for (const cancel of plan.cancels) logs.push(this.#sendCancel(cancel, now));
    for (const place of plan.places) {
      if (this.#quotedSides.has(place.side)) this.stats.requotes += 1;
      this.#quotedSides.add(place.side);
      logs.push(this.#sendPlace(place, now));
    }
    if (plan.cancels.length > 0 || plan.places.length > 0) this.#bookSeqAtLastAction = this.#bookSeq;
    for (const log of logs) log();
  }

  #sendPlace(place: PlannedPlace, now: number): () => void {
    const clOrdId = this.#o.ids.next(quoteKind(place.side));
    const tracked = this.orders.addPlacing({ clOrdId, side: place.side, purpose: 'quote', priceTicks: place.priceTicks, qtyLots: place.qtyLots, sentAtMs: now });
    this.stats.placed += 1;
    this.#o.exchange
      .placeOrder({ side: place.side, type: 'limit', timeInForce: 'alo', qtyLots: place.qtyLots, priceTicks: place.priceTicks, reduceOnly: false, clOrdId })
      .catch((error: unknown) => this.#onPlaceFailed(tracked, error));
    return () => this.#log.info({ clOrdId, side: place.side, priceTicks: place.priceTicks.toString() }, 'placing quote');
  }

  #sendCancel(cancel: PlannedCancel, now: number): () => void {
    const tracked = this.orders.findByRef(cancel.ref);
    return tracked ? this.#cancelTracked(tracked, cancel.reason, now) : () => undefined;
  }

  #cancelTracked(tracked: TrackedOrder, reason: string, now: number): () => void {
    this.orders.markCancelling(tracked.clOrdId, now);
    this.stats.cancelsSent += 1;
    this.#o.exchange.cancelOrder(refOf(tracked)).catch((error: unknown) => this.#onCancelFailed(tracked, error));
    return () => this.#log.info({ clOrdId: tracked.clOrdId, side: tracked.side, priceTicks: tracked.priceTicks?.toString(), reason }, 'cancelling order');
  }

  #sendFlatten(flatten: PlannedFlatten, now: number): () => void {
    if (!this.#flatten.canSend(now)) return () => undefined;
    const clOrdId = this.#o.ids.next('flatten');
    this.orders.addPlacing({ clOrdId, side: flatten.side, purpose: 'flatten', priceTicks: null, qtyLots: flatten.qtyLots, sentAtMs: now });
    this.#flatten.onSent(clOrdId, flatten, this.positionLots);
    this.#o.exchange
      .placeOrder({ side: flatten.side, type: 'market', timeInForce: 'ioc', qtyLots: flatten.qtyLots, reduceOnly: true, clOrdId })
      .catch((error: unknown) => this.#onFlattenFailed(clOrdId, error));
    return () => this.#log.warn({ clOrdId, side: flatten.side, qtyLots: flatten.qtyLots.toString() }, 'flattening position with a reduce-only market order');
  }

  #onPlaceFailed(tracked: TrackedOrder, error: unknown): void {
    if (error instanceof ExchangeRejectError) {
      this.#onPlaceRejected(tracked, error);
    } else if (error instanceof OutcomeUnknownError) {
      this.#log.warn({ clOrdId: tracked.clOrdId, err: error }, 'place outcome unknown: settling by the order channel or a read');
    } else {
      this.orders.finish(tracked.clOrdId, this.#o.clock.now());
      this.#onOtherFailure(error, 'place failed before it was sent');
    }
    this.#scheduleEvaluation();
  }

  #onPlaceRejected(tracked: TrackedOrder, error: ExchangeRejectError): void {
    const now = this.#o.clock.now();
    this.orders.finish(tracked.clOrdId, now);
    if (error.reason === 'post-only') {
      this.stats.postOnlyRejects += 1;
      this.#gate.holdUntilNextBook(this.#bookSeq);
      this.#log.info({ clOrdId: tracked.clOrdId, side: tracked.side }, 'post-only quote would cross: repricing on the next mid');
      return;
    }
    this.stats.otherRejects += 1;
    const pauseMs = this.#gate.pause(now);
    if (pauseMs === null) return;
    this.#log.error({ clOrdId: tracked.clOrdId, err: error, reason: error.reason, pauseMs }, 'quote rejected: pausing placements');
    this.emit('placingPaused', { reason: error.reason, pauseMs, message: error.exchangeMessage });
  }

  #onCancelFailed(tracked: TrackedOrder, error: unknown): void {
    if (error instanceof ExchangeRejectError) {
      // Usually the order filled or was already cancelled: its final push settles it.
      this.#log.info({ clOrdId: tracked.clOrdId, err: error }, 'cancel refused: waiting for the order channel');
      void this.#forgetIfNotOpen(tracked.clOrdId);
    } else if (error instanceof OutcomeUnknownError) {
      this.#log.warn({ clOrdId: tracked.clOrdId, err: error }, 'cancel outcome unknown: will retry');
    } else {
      this.#onOtherFailure(error, 'cancel failed');
    }
  }

  /**
   * A refused cancel whose order REST does not list is gone (cleanup.ts applies the same rule): its
   * final push was lost, e.g. sent while ws-stream reconnected. Without this the settle timer re-sends
   * the cancel for ever, and each re-send refreshes sentAtMs so reconcile never forgets the order.
   */
  async #forgetIfNotOpen(clOrdId: string): Promise<void> {
    const open = await this.#o.exchange.openOrders().catch(() => null);
    if (open === null || this.orders.get(clOrdId)?.status !== 'cancelling' || open.some((order) => order.clOrdId === clOrdId)) return;
    this.#log.warn({ clOrdId }, 'cancel refused and the order is not open: forgetting it');
    this.orders.finish(clOrdId, this.#o.clock.now());
    this.#scheduleEvaluation();
  }

  #onFlattenFailed(clOrdId: string, error: unknown): void {
    const now = this.#o.clock.now();
    if (error instanceof OutcomeUnknownError) {
      this.#log.warn({ clOrdId, err: error }, 'flatten outcome unknown: settling by the order channel or a read');
      return;
    }
    this.orders.finish(clOrdId, now);
    const attempts = this.#flatten.onFailed(now);
    this.#log.error({ clOrdId, err: error, attempts }, 'flatten failed: will retry');
    if (error instanceof ExchangeRejectError && error.reason === 'reduce-only') void this.reconcile();
    if (attempts >= 3) this.emit('flattenFailing', { attempts, error: error instanceof Error ? error : new Error(String(error)) });
    this.#onOtherFailure(error, 'flatten failed');
  }

  #onOtherFailure(error: unknown, what: string): void {
    if (error instanceof ShutdownError) return;
    // Refused credentials or a clock off from the exchange's: every signed request would fail alike.
    if (error instanceof AuthError || error instanceof ClockSkewError) {
      this.emit('fatal', error);
      return;
    }
    if (!(error instanceof TransientError) && !(error instanceof ExchangeRejectError)) {
      this.#log.error({ err: error }, what);
    }
  }

  #onWatchdog(): void {
    const now = this.#o.clock.now();
    const book = this.#book;
    if (!this.#isStale && (!book || now - book.receivedAtMs > this.#o.timing.marketStaleMs)) {
      this.#isStale = true;
      this.#log.warn({ lastBookAgeMs: book ? now - book.receivedAtMs : null }, 'market data stale: cancelling quotes');
    }
    this.#settleStuckRequests(now);
    this.#flatten.expireGrace(now);
    this.#evaluate();
  }

  /** Requests with no visible outcome: cancel by client id (harmless if it never existed) and re-send stuck cancels. */
  #settleStuckRequests(now: number): void {
    const { settleMs } = this.#o.timing;
    for (const tracked of this.orders.all()) {
      if (now - tracked.sentAtMs <= settleMs) continue;
      if (tracked.status === 'placing' && tracked.purpose === 'flatten') {
        this.orders.finish(tracked.clOrdId, now);
        this.#flatten.onOrderFinished(tracked.clOrdId, false);
        void this.reconcile();
      } else if (tracked.status === 'placing' || tracked.status === 'cancelling') {
        this.#cancelTracked(tracked, tracked.status === 'placing' ? 'no outcome' : 'cancel not confirmed', now)();
      }
    }
  }

  /** Reads open orders and the position over REST and repairs drift. Single-flight. */
  reconcile(): Promise<void> {
    this.#reconciling ??= this.#reconcileOnce().finally(() => (this.#reconciling = null));
    return this.#reconciling;
  }

  async #reconcileOnce(): Promise<void> {
    const { exchange, clock, timing, ids } = this.#o;
    try {
      const [restOpen, position] = await Promise.all([exchange.openOrders(), exchange.position()]);
      const now = clock.now();
      const decision = reconcileOrders({
        nowMs: now,
        restLagMs: timing.restLagMs,
        tracked: this.orders.all(),
        restOpen,
        isOwn: (clOrdId) => ids.isOwn(clOrdId),
        wasFinishedWithinLag: (clOrdId) => this.orders.finishedWithin(clOrdId, now, timing.restLagMs),
      });
      for (const tracked of decision.forget) {
        this.#log.warn({ clOrdId: tracked.clOrdId, status: tracked.status }, 'order no longer on the exchange: forgetting it');
        this.orders.finish(tracked.clOrdId, now);
      }
      for (const order of decision.cancelUnknown) {
        this.#log.warn({ clOrdId: order.clOrdId, orderId: order.id }, 'unknown own order on the exchange: cancelling it');
        exchange.cancelOrder({ orderId: order.id }).catch((error: unknown) => this.#onOtherFailure(error, 'cancel of unknown order failed'));
      }
      for (const order of decision.foreign) this.#warnForeign(order);
      this.#adoptRestPosition(position, now);
    } catch (error) {
      this.#log.warn({ err: error }, 'reconcile failed: will retry');
      this.#onOtherFailure(error, 'reconcile failed');
    }
  }

  #adoptRestPosition(position: Position, now: number): void {
    // A reduce-only flatten cannot overshoot, so a non-zero read is acted on at once; a flat read
    // only replaces a push older than the REST lag.
    const isPushOld = now - this.#positionPushAtMs > this.#o.timing.restLagMs;
    if (position.qtyLots !== 0n || isPushOld) {
      if (position.qtyLots !== this.positionLots) this.#log.warn({ restQtyLots: position.qtyLots.toString(), localQtyLots: this.positionLots.toString() }, 'position drift repaired from REST');
      this.#position = position;
    }
  }
}
