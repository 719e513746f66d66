// The only stateful part of the engine: turns exchange events into snapshots, asks the pure planner
// what to do, and carries the plan out. Depth frame in -> plan -> signed order frame out runs
// synchronously on the hot path; request outcomes come back later and only update state.

import { EventEmitter } from 'node:events';
import type { TickPrice } from '../domain/price.js';
import type { Book, MarkPrice, Order, Position } from '../domain/types.js';
import type { ExchangeEvents, LateReject, StreamName, StreamStatus } from '../exchange/exchange.js';
import type { Log } from '../ops/log.js';
import { FlattenTracker } from './flatten-tracker.js';
import type { MakerLoopOptions } from './maker-options.js';
import { referencePrice } from './mid.js';
import type { MakerLoopEvents, MakerSnapshot } from './observations.js';
import { OrderSync } from './order-sync.js';
import { OwnOrders } from './own-orders.js';
import { PlacementGate } from './placement-gate.js';
import { planQuotes, type Plan } from './plan.js';
import { PlanExecutor } from './plan-executor.js';
import { PositionState } from './position-state.js';
import { MoveVolatility } from './volatility.js';

/**
 * Overlap's early-replacement margin, in RMS moves between two looks: a normally distributed move
 * exceeds two of them about 2 % of the time, so a quote kept outside the margin is rarely out of
 * band by the next look, and in calm markets quotes are left alone longer (fewer messages).
 */
const EDGE_MARGIN_RMS_MOVES = 2;

export class MakerLoop extends EventEmitter<MakerLoopEvents> {
  readonly #o: MakerLoopOptions;
  readonly #log: Log;
  readonly #orders: OwnOrders;
  readonly #position: PositionState;
  readonly #flatten: FlattenTracker;
  readonly #gate: PlacementGate;
  readonly #sync: OrderSync;
  readonly #executor: PlanExecutor;
  readonly #down = new Set<StreamName>();
  readonly #warnedForeign = new Set<number>();
  readonly #midMoves = new MoveVolatility();
  #book: Book | null = null;
  #bookSeq = 0;
  #bookSeqAtLastAction = 0;
  #bookSeqSeenMoving = 0;
  #mark: MarkPrice | null = null;
  #isQuoting = false;
  #isStale = true;
  #lastEvaluationMs = Number.NEGATIVE_INFINITY;
  #evaluationTimer: NodeJS.Timeout | null = null;
  #watchdog: NodeJS.Timeout | null = null;
  #reconcileTimer: NodeJS.Timeout | null = null;
  readonly #detach: Array<() => void> = [];

  constructor(options: MakerLoopOptions) {
    super();
    this.#o = options;
    const { timing, clock } = options;
    this.#log = options.logger.child({ component: 'maker' });
    this.#orders = new OwnOrders({ finishedRetentionMs: timing.restLagMs * 3 });
    this.#position = new PositionState(timing.restLagMs);
    this.#flatten = new FlattenTracker(clock, timing.flattenRetryMs);
    this.#gate = new PlacementGate(timing.pauseBaseMs, timing.pauseMaxMs);
    this.#executor = new PlanExecutor({
      ...options,
      log: this.#log,
      orders: this.#orders,
      flatten: this.#flatten,
      gate: this.#gate,
      positionLots: () => this.#position.lots,
      bookSeq: () => this.#bookSeq,
      events: this,
      onCancelRefused: (tracked) => void this.#sync.forgetIfNotOpen(tracked.clOrdId),
      onPositionDoubtful: () => void this.#sync.reconcile(),
      onChange: () => this.#scheduleEvaluation(),
      references: () => ({ mid: this.#book && !this.#isStale ? referencePrice(this.#book, options.quoting.midMethod) : null, mark: this.#mark?.mark ?? null }),
    });
    this.#sync = new OrderSync({
      ...options,
      log: this.#log,
      orders: this.#orders,
      position: this.#position,
      flatten: this.#flatten,
      cancel: (tracked, reason) => this.#executor.cancel(tracked, reason, clock.now())(),
      onForeign: (order) => this.#warnForeign(order),
      onFailure: (error, what) => this.#executor.onFailure(error, what),
      onChange: () => this.#scheduleEvaluation(),
    });
  }

  /** Subscribes to the exchange, cancels orders left by an earlier run, and starts quoting. */
  async start(): Promise<void> {
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
    const { timing, exchange } = this.#o;
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

  /** Reads open orders and the position over REST and repairs drift. Single-flight. */
  reconcile(): Promise<void> {
    return this.#sync.reconcile();
  }

  /** What the loop sees now, copied: observers read this, never the loop's state. */
  snapshot(): MakerSnapshot {
    const book = this.#book;
    const isMidValid = book !== null && !this.#isStale && this.#down.size === 0;
    return {
      atMs: this.#o.clock.now(),
      mid: isMidValid ? referencePrice(book, this.#o.quoting.midMethod) : null,
      mark: this.#mark?.mark ?? null,
      markAtMs: this.#mark?.receivedAtMs ?? null,
      bestBidTicks: book?.bids[0]?.priceTicks ?? null,
      bestAskTicks: book?.asks[0]?.priceTicks ?? null,
      lastBookAtMs: book?.receivedAtMs ?? null,
      isQuoting: this.#isQuoting,
      isStale: this.#isStale,
      streamsDown: [...this.#down],
      positionLots: this.#position.lots,
      orders: this.#orders.views(),
      stats: { ...this.#executor.stats },
    };
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
      this.emit('marketFresh');
    }
    this.#scheduleEvaluation();
  }

  #onOrder(order: Order): void {
    const now = this.#o.clock.now();
    if (!this.#o.ids.isOwn(order.clOrdId)) {
      this.#warnForeign(order);
      return;
    }
    const update = this.#orders.applyPush(order, now);
    if (!update) return;
    const { tracked } = update;
    if (update.isAdopted) this.#log.warn({ clOrdId: order.clOrdId, orderId: order.id }, 'adopted own order seen on the order channel');
    if (update.newlyFilledLots > 0n) this.#executor.onFilled(tracked, update.newlyFilledLots, order.rawStatus, now, order.avgFillPrice);
    if (tracked.purpose === 'flatten' && update.isTerminal) this.#flatten.onOrderFinished(tracked.clOrdId, order.state === 'filled');
    if (update.isTerminal) this.#log.debug({ clOrdId: tracked.clOrdId, status: order.rawStatus }, 'order finished');
    else if (tracked.status === 'resting') this.#gate.onResting();
    this.#scheduleEvaluation();
  }

  #onPosition(position: Position): void {
    if (position.symbol !== this.#o.exchange.spec.symbol) return;
    const { beforeLots, afterLots } = this.#position.applyPush(position, this.#o.clock.now());
    const flattened = this.#flatten.onPosition(beforeLots, afterLots);
    if (flattened) {
      this.#executor.onFlattened(flattened, position.realizedPnl);
    } else if (afterLots !== 0n && afterLots !== beforeLots) {
      this.#log.warn({ qtyLots: afterLots.toString(), entryPrice: position.entryPrice }, 'position opened');
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
    if (reject.action !== 'place' || !reject.clOrdId) return;
    const tracked = this.#orders.get(reject.clOrdId);
    if (tracked && tracked.status === 'placing') this.#executor.onPlaceFailed(tracked, reject.error);
  }

  #warnForeign(order: Order): void {
    if (this.#warnedForeign.has(order.id) || order.state !== 'live') return;
    this.#warnedForeign.add(order.id);
    this.#log.warn({ orderId: order.id, clOrdId: order.clOrdId, side: order.side }, 'order not placed by this daemon: left alone');
  }

  #scheduleEvaluation(): void {
    const spacing = this.#o.quoting.checkIntervalMs;
    const wait = spacing <= 0 ? 0 : this.#lastEvaluationMs + spacing - this.#o.clock.now();
    if (wait <= 0) {
      this.#evaluate();
      return;
    }
    this.#evaluationTimer ??= setTimeout(() => {
      this.#evaluationTimer = null;
      this.#evaluate();
    }, wait);
  }

  #evaluate(): void {
    if (!this.#isQuoting) return;
    const now = this.#o.clock.now();
    this.#lastEvaluationMs = now;
    if (this.#executor.execute(this.#plan(now), now)) this.#bookSeqAtLastAction = this.#bookSeq;
    this.emit('evaluated', now);
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
      orders: this.#orders.quotes(),
      positionLots: this.#position.lots,
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

  #onWatchdog(): void {
    const now = this.#o.clock.now();
    const book = this.#book;
    if (!this.#isStale && (!book || now - book.receivedAtMs > this.#o.timing.marketStaleMs)) {
      this.#isStale = true;
      const lastBookAgeMs = book ? now - book.receivedAtMs : null;
      this.#log.warn({ lastBookAgeMs }, 'market data stale: cancelling quotes');
      this.emit('marketStale', { lastBookAgeMs });
    }
    this.#sync.settleStuck(now);
    this.#flatten.expireGrace(now);
    this.#evaluate();
  }
}
