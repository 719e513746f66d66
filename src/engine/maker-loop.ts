// The only stateful part of the engine: turns exchange events into snapshots, asks the pure planner
// what to do, and carries the plan out. Depth frame in -> plan -> signed order frame out runs
// synchronously on the hot path; request outcomes come back later and only update state.

import { EventEmitter } from 'node:events';
import type { TickPrice } from '../domain/price.js';
import type { Book, Order, Position } from '../domain/types.js';
import type { StreamName, StreamStatus } from '../exchange/exchange.js';
import type { Log } from '../ops/log.js';
import { FlattenTracker } from './flatten-tracker.js';
import { ForeignOrders } from './foreign-orders.js';
import { HaltState } from './halt-state.js';
import type { MakerLoopOptions, MakerQuoting } from './maker-options.js';
import { estimateMark, type MarkPush } from './mark-estimate.js';
import { referencePrice } from './mid.js';
import type { HaltReason, MakerLoopEvents, MakerSnapshot } from './observations.js';
import { OrderBudget } from './order-budget.js';
import { OrderSync } from './order-sync.js';
import { OwnOrders } from './own-orders.js';
import { PlacementGate } from './placement-gate.js';
import { planQuotes, type Plan } from './plan.js';
import { PlanExecutor } from './plan-executor.js';
import { PositionState } from './position-state.js';
import { listenSafely } from './safe-listen.js';
import { LookMoves } from './volatility.js';
import { WakeTimer } from './wake-timer.js';

export class MakerLoop extends EventEmitter<MakerLoopEvents> {
  #o: MakerLoopOptions;
  readonly #log: Log;
  readonly #orders: OwnOrders;
  readonly #position: PositionState;
  readonly #flatten: FlattenTracker;
  readonly #gate: PlacementGate;
  readonly #sync: OrderSync;
  readonly #executor: PlanExecutor;
  readonly #foreign: ForeignOrders;
  readonly #down = new Set<StreamName>();
  readonly #midMoves = new LookMoves();
  #book: Book | null = null;
  #bookSeq = 0;
  #bookSeqAtLastAction = 0;
  #markPush: MarkPush | null = null;
  #isQuoting = false;
  #isStale = true;
  readonly #halt: HaltState;
  readonly #wake: WakeTimer;
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
    this.#wake = new WakeTimer(clock, () => this.#evaluate());
    this.#executor = new PlanExecutor({
      ...options,
      budget: new OrderBudget(timing.orderBudget),
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
      references: () => ({ mid: this.#mid(), mark: this.#markPush?.mark ?? null }),
    });
    this.#sync = new OrderSync({
      ...options,
      log: this.#log,
      orders: this.#orders,
      position: this.#position,
      flatten: this.#flatten,
      cancel: (tracked, reason) => this.#executor.cancel(tracked, reason, clock.now())(),
      cancelUnknown: (order) => this.#executor.cancelUnknown(order),
      onForeign: (order) => this.#foreign.onRead(order),
      onFailure: (error, what) => this.#executor.onFailure(error, what),
      onChange: () => this.#scheduleEvaluation(),
    });
    this.#halt = new HaltState(this.#log, this);
    const onFailure = (error: unknown, what: string): void => this.#executor.onFailure(error, what);
    this.#foreign = new ForeignOrders({ ...options, log: this.#log, events: this, isHalted: () => this.#halt.reason !== null, onFailure });
  }

  /** Subscribes to the exchange, cancels orders left by an earlier run, and starts quoting. */
  async start(): Promise<void> {
    const { timing, exchange } = this.#o;
    this.#detach.push(
      listenSafely(exchange, this.#log, 'book', (book) => this.#onBook(book)),
      listenSafely(exchange, this.#log, 'mark', (mark) => (this.#markPush = { mark: mark.mark, midAtPush: this.#mid(), receivedAtMs: mark.receivedAtMs })),
      listenSafely(exchange, this.#log, 'order', (order) => this.#onOrder(order)),
      listenSafely(exchange, this.#log, 'position', (position) => this.#onPosition(position)),
      listenSafely(exchange, this.#log, 'status', (status) => this.#onStatus(status)),
      listenSafely(exchange, this.#log, 'lateReject', (reject) => this.#executor.onLateReject(reject)),
    );
    this.#isQuoting = true;
    await this.reconcile();
    // A stop during the first reconcile must not leave timers behind.
    if (!this.#isQuoting) return;
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
    this.#wake.clear();
    this.#log.info('quoting stopped');
  }

  /** Cancels every quote and places none until resume(); fills are still flattened, the streams stay up. */
  halt(reason: HaltReason): void {
    if (this.#halt.halt(reason)) this.#evaluate();
  }

  /** Quotes again after a halt; returns what it was halted for, or null when it was not. */
  resume(): HaltReason | null {
    const reason = this.#halt.resume();
    this.#evaluate();
    return reason;
  }

  /** New quoting settings (a reload): quotes the new band still admits stay; a new size replaces them. */
  updateQuoting(quoting: MakerQuoting): void {
    this.#o = { ...this.#o, quoting };
    const resized = this.#orders.all().filter((order) => order.purpose === 'quote' && order.status === 'resting' && order.qtyLots !== quoting.qtyLots);
    for (const order of resized) this.#executor.cancel(order, 'size changed', this.#o.clock.now())();
    this.#log.info({ resized: resized.length }, 'quoting settings updated');
    this.#scheduleEvaluation();
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
      mark: this.#markPush?.mark ?? null,
      markAtMs: this.#markPush?.receivedAtMs ?? null,
      bestBidTicks: book?.bids[0]?.priceTicks ?? null,
      bestAskTicks: book?.asks[0]?.priceTicks ?? null,
      lastBookAtMs: book?.receivedAtMs ?? null,
      isQuoting: this.#isQuoting,
      halt: this.#halt.reason,
      isStale: this.#isStale,
      streamsDown: [...this.#down],
      positionLots: this.#position.lots,
      orders: this.#orders.views(),
      stats: { ...this.#executor.stats },
    };
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
    if (this.#foreign.onPush(order)) return;
    const update = this.#orders.applyPush(order, now);
    if (!update) return;
    const { tracked } = update;
    if (update.isAdopted) this.#log.warn({ clOrdId: order.clOrdId, orderId: order.id }, 'adopted own order seen on the order channel');
    if (update.newlyFilledLots > 0n) this.#executor.onFilled(tracked, update.newlyFilledLots, order.rawStatus, now, order.avgFillPrice);
    if (tracked.purpose === 'flatten' && update.isTerminal) this.#flatten.onOrderFinished(tracked.clOrdId, order.state === 'filled');
    if (update.isTerminal) this.#log.debug({ clOrdId: tracked.clOrdId, status: order.rawStatus }, 'order finished');
    else if (tracked.status === 'resting') {
      this.#gate.onResting();
      if (tracked.purpose === 'quote') this.emit('quoteResting', tracked.clOrdId);
    }
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
    const { acted, lookAgainInMs } = this.#executor.execute(this.#plan(now), now);
    if (acted) this.#bookSeqAtLastAction = this.#bookSeq;
    if (lookAgainInMs !== null) this.#wake.after(lookAgainInMs);
    this.emit('evaluated', now);
  }

  /** The mid quotes are measured from: null while stale, a stream is down, or quoting is halted. */
  #mid(): TickPrice | null {
    const book = this.#book;
    const isUp = this.#down.size === 0 && this.#o.exchange.isReady();
    return isUp && book && !this.#isStale && this.#halt.reason === null ? referencePrice(book, this.#o.quoting.midMethod) : null;
  }

  #plan(now: number): Plan {
    const { exchange, quoting, timing } = this.#o;
    const book = this.#book;
    // Halted, stale or a stream down: no mid, so the planner cancels and places nothing; flattening goes on.
    const mid = this.#mid();
    const midAgeMs = book ? now - book.receivedAtMs : Number.POSITIVE_INFINITY;
    this.#midMoves.observe(mid, this.#bookSeq);
    return planQuotes({
      spec: exchange.spec,
      qtyLots: quoting.qtyLots,
      band: quoting.band,
      policy: quoting.policy,
      mid,
      mark: estimateMark(this.#markPush, mid, now, timing.markStaleMs),
      bestBidTicks: book?.bids[0]?.priceTicks ?? null,
      bestAskTicks: book?.asks[0]?.priceTicks ?? null,
      edgeMarginBps: this.#midMoves.edgeMarginBps(),
      isMidFresh: this.#bookSeq > this.#bookSeqAtLastAction,
      orders: this.#orders.quotes(),
      positionLots: this.#position.lots,
      isFlattenInFlight: this.#flatten.isBusy(),
      isPlacingPaused: midAgeMs > timing.freshMidTimeoutMs || this.#gate.isPaused(now, this.#bookSeq),
      maxOpenOrders: exchange.spec.maxOpenOrders,
      nowMs: now,
      minRestMs: timing.minQuoteRestMs,
    });
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
