// Carries a plan out: every frame of a reaction goes out before any of its log lines, each request is
// tracked and counted against the order budget (what does not fit waits for a later look), and what
// comes back (fills, flattens, failures) is read and reported through the loop's observation events.

import type { EventEmitter } from 'node:events';
import type { Order, Side } from '../domain/types.js';
import type { LateReject } from '../exchange/exchange.js';
import type { Log } from '../ops/log.js';
import type { FlattenTracker } from './flatten-tracker.js';
import { quoteKind } from './client-ids.js';
import type { MakerLoopOptions } from './maker-options.js';
import type { MakerLoopEvents, MakerStats } from './observations.js';
import type { OrderBudget } from './order-budget.js';
import { refOf, type OwnOrders, type TrackedOrder } from './own-orders.js';
import type { PlacementGate } from './placement-gate.js';
import type { Plan, PlannedCancel, PlannedFlatten, PlannedPlace } from './plan.js';
import { fitPlanToBudget } from './plan-budget.js';
import { priceLabel, type PriceLabel, type PriceReferences } from './price-label.js';
import { cancelOutcome, failureSeverity, flattenOutcome, placeOutcome } from './request-outcomes.js';

export interface PlanExecutorOptions extends Pick<MakerLoopOptions, 'exchange' | 'clock' | 'ids'> {
  readonly log: Log;
  readonly orders: OwnOrders;
  readonly flatten: FlattenTracker;
  readonly gate: PlacementGate;
  /** Every order command goes through it, on the clock's monotonic time. */
  readonly budget: OrderBudget;
  readonly positionLots: () => bigint;
  /** The book sequence number a post-only refusal waits past. */
  readonly bookSeq: () => number;
  /** The loop's emitter: the executor reports through the loop's observation events. */
  readonly events: EventEmitter<MakerLoopEvents>;
  readonly onCancelRefused: (tracked: TrackedOrder) => void;
  /** A reduce-only refusal: the position the flatten was sized from may be wrong. */
  readonly onPositionDoubtful: () => void;
  /** Something the planner reads changed. */
  readonly onChange: () => void;
  /** The mid and mark now, for log lines that say how far an order's price is from them. */
  readonly references: () => PriceReferences;
}

type Counters = { -readonly [K in keyof MakerStats]: number };

export interface Execution {
  /** A quote was placed or cancelled. */
  readonly acted: boolean;
  /** Look again this much later: commands waited for the budget, or an action for the minimum rest. */
  readonly lookAgainInMs: number | null;
}

export class PlanExecutor {
  readonly stats: Counters = { placed: 0, cancelsSent: 0, requotes: 0, fills: 0, flattens: 0, postOnlyRejects: 0, otherRejects: 0, commandsDeferred: 0 };
  readonly #o: PlanExecutorOptions;
  readonly #quotedSides = new Set<Side>();

  constructor(options: PlanExecutorOptions) {
    this.#o = options;
  }

  /**
   * Log writes are synchronous (so that the lines explaining a hard exit reach the disk) and would
   * delay the frames behind them. The flatten goes first: an open position is the bigger risk.
   */
  execute(plan: Plan, now: number): Execution {
    const { budget, clock } = this.#o;
    const mono = clock.monotonic();
    const fitted = fitPlanToBudget(plan, { risk: budget.capacity(mono, 'risk'), place: budget.capacity(mono, 'place') });
    const sent = fitted.plan;
    const logs: Array<() => void> = [];
    if (sent.flatten) logs.push(this.#sendFlatten(sent.flatten, now));
    for (const cancel of sent.cancels) logs.push(this.#sendCancel(cancel, now));
    for (const place of sent.places) logs.push(this.#sendPlace(place, now));
    for (const log of logs) log();
    this.stats.commandsDeferred += fitted.deferred;
    if (fitted.deferred > 0) this.#o.log.debug({ deferred: fitted.deferred }, 'order budget spent: holding commands for a later look');
    const isRiskDeferred = fitted.deferred > plan.places.length - sent.places.length;
    const budgetWaitMs = fitted.deferred > 0 ? budget.waitMs(clock.monotonic(), isRiskDeferred ? 'risk' : 'place') : null;
    const restWaitMs = plan.recheckAtMs === null ? null : plan.recheckAtMs - now;
    return { acted: sent.cancels.length > 0 || sent.places.length > 0, lookAgainInMs: earliest(budgetWaitMs, restWaitMs) };
  }

  /**
   * Sends a cancel when the budget allows (a later look or the settle timer retries it otherwise);
   * returns the log line to write once the reaction's frames are out.
   */
  cancel(tracked: TrackedOrder, reason: string, now: number): () => void {
    if (!this.#spend('risk')) return () => undefined;
    this.#o.orders.markCancelling(tracked.clOrdId, now);
    this.stats.cancelsSent += 1;
    this.#o.exchange.cancelOrder(refOf(tracked)).catch((error: unknown) => this.#onCancelFailed(tracked, error));
    this.#o.events.emit('orderSent', { action: 'cancel', clOrdId: tracked.clOrdId, side: tracked.side, priceTicks: tracked.priceTicks, atMs: now, reason });
    return () => this.#o.log.debug({ clOrdId: tracked.clOrdId, side: tracked.side, ...this.#label(tracked.side, tracked.priceTicks), reason }, 'cancelling order');
  }

  /** Cancels an own order the loop does not track (found by a reconcile); false when the budget is spent. */
  cancelUnknown(order: Order): boolean {
    if (!this.#spend('risk')) return false;
    this.#o.exchange.cancelOrder({ orderId: order.id }).catch((error: unknown) => this.onFailure(error, 'cancel of unknown order failed'));
    return true;
  }

  /** `avgFillPrice` is the order's average over everything filled so far, when the exchange says. */
  onFilled(tracked: TrackedOrder, lots: bigint, rawStatus: string, now: number, avgFillPrice?: string): void {
    if (tracked.purpose === 'quote') this.stats.fills += 1;
    this.#o.log.info({ clOrdId: tracked.clOrdId, side: tracked.side, purpose: tracked.purpose, filledLots: lots.toString(), ...this.#label(tracked.side, tracked.priceTicks), avgFillPrice, status: rawStatus }, 'order filled');
    const { clOrdId, side, purpose, priceTicks, filledLots: totalFilledLots } = tracked;
    this.#o.events.emit('fill', { clOrdId, side, purpose, filledLots: lots, totalFilledLots, priceTicks, avgFillPrice: avgFillPrice ?? null, atMs: now, orderAgeMs: now - tracked.placedAtMs });
  }

  onFlattened(flattened: { side: Side; qtyLots: bigint }, realizedPnl: string): void {
    this.stats.flattens += 1;
    this.#o.log.info({ side: flattened.side, qtyLots: flattened.qtyLots.toString(), realizedPnl }, 'position flattened');
    this.#o.events.emit('flattened', { ...flattened, realizedPnl });
  }

  /** A request refused by a frame after its ack (protocol §6). */
  onLateReject(reject: LateReject): void {
    this.#o.log.warn({ action: reject.action, clOrdId: reject.clOrdId, code: reject.error.exchangeCode, message: reject.error.exchangeMessage }, 'late rejection');
    if (reject.action !== 'place' || !reject.clOrdId) return;
    const tracked = this.#o.orders.get(reject.clOrdId);
    if (tracked && tracked.status === 'placing') this.onPlaceFailed(tracked, reject.error);
  }

  /** A place refused by its ack or by a later frame (protocol §6), or that failed to go out. */
  onPlaceFailed(tracked: TrackedOrder, error: unknown): void {
    const { orders, clock, gate, log } = this.#o;
    const now = clock.now();
    const outcome = placeOutcome(error);
    if (outcome.kind === 'unknown') {
      log.warn({ clOrdId: tracked.clOrdId, err: error }, 'place outcome unknown: settling by the order channel or a read');
    } else {
      orders.finish(tracked.clOrdId, now);
    }
    if (outcome.kind === 'reprice') {
      this.stats.postOnlyRejects += 1;
      gate.holdUntilNextBook(this.#o.bookSeq());
      log.debug({ clOrdId: tracked.clOrdId, side: tracked.side }, 'post-only quote would cross: repricing on the next mid');
    } else if (outcome.kind === 'pause') {
      this.stats.otherRejects += 1;
      this.#o.events.emit('requestFailed', { action: 'place', reason: outcome.reason });
      const pauseMs = gate.pause(now);
      if (pauseMs !== null) {
        log.error({ clOrdId: tracked.clOrdId, err: error, reason: outcome.reason, pauseMs }, 'quote rejected: pausing placements');
        this.#o.events.emit('placingPaused', { reason: outcome.reason, pauseMs, message: outcome.message });
      }
    } else if (outcome.kind === 'failed') {
      this.#o.events.emit('requestFailed', { action: 'place', reason: errorName(error) });
      this.onFailure(error, 'place failed before it was sent');
    }
    this.#o.onChange();
  }

  /** Shutdown: nothing; refused credentials or clock: fatal; expected: quiet; anything else is logged. */
  onFailure(error: unknown, what: string): void {
    const severity = failureSeverity(error);
    if (severity === 'fatal' && error instanceof Error) this.#o.events.emit('fatal', error);
    else if (severity === 'unexpected') this.#o.log.error({ err: error }, what);
  }

  /** Takes one slot of the budget, or returns false when there is none for this kind of command. */
  #spend(kind: 'risk' | 'place'): boolean {
    const mono = this.#o.clock.monotonic();
    if (this.#o.budget.capacity(mono, kind) < 1) return false;
    this.#o.budget.record(mono);
    return true;
  }

  #sendPlace(place: PlannedPlace, now: number): () => void {
    const { ids, orders, exchange, log } = this.#o;
    if (!this.#spend('place')) return () => undefined;
    const clOrdId = ids.next(quoteKind(place.side));
    const tracked = orders.addPlacing({ clOrdId, side: place.side, purpose: 'quote', priceTicks: place.priceTicks, qtyLots: place.qtyLots, sentAtMs: now });
    const isRequote = this.#quotedSides.has(place.side);
    if (isRequote) this.stats.requotes += 1;
    this.#quotedSides.add(place.side);
    this.stats.placed += 1;
    exchange
      .placeOrder({ side: place.side, type: 'limit', timeInForce: 'alo', qtyLots: place.qtyLots, priceTicks: place.priceTicks, reduceOnly: false, clOrdId })
      .catch((error: unknown) => this.onPlaceFailed(tracked, error));
    this.#o.events.emit('orderSent', { action: 'place', clOrdId, side: place.side, priceTicks: place.priceTicks, atMs: now, isRequote });
    return () => log.debug({ clOrdId, side: place.side, ...this.#label(place.side, place.priceTicks) }, 'placing quote');
  }

  #label(side: Side, priceTicks: bigint | null): PriceLabel | Record<string, never> {
    return priceTicks === null ? {} : priceLabel(side, priceTicks, this.#o.exchange.spec.priceDecimals, this.#o.references());
  }

  #sendCancel(cancel: PlannedCancel, now: number): () => void {
    const tracked = this.#o.orders.findByRef(cancel.ref);
    return tracked ? this.cancel(tracked, cancel.reason, now) : () => undefined;
  }

  #sendFlatten(flatten: PlannedFlatten, now: number): () => void {
    const { ids, orders, exchange, log } = this.#o;
    if (!this.#o.flatten.canSend(now) || !this.#spend('risk')) return () => undefined;
    const clOrdId = ids.next('flatten');
    orders.addPlacing({ clOrdId, side: flatten.side, purpose: 'flatten', priceTicks: null, qtyLots: flatten.qtyLots, sentAtMs: now });
    this.#o.flatten.onSent(clOrdId, flatten, this.#o.positionLots());
    exchange
      .placeOrder({ side: flatten.side, type: 'market', timeInForce: 'ioc', qtyLots: flatten.qtyLots, reduceOnly: true, clOrdId })
      .catch((error: unknown) => this.#onFlattenFailed(clOrdId, error));
    this.#o.events.emit('orderSent', { action: 'flatten', clOrdId, side: flatten.side, priceTicks: null, atMs: now });
    return () => log.warn({ clOrdId, side: flatten.side, qtyLots: flatten.qtyLots.toString() }, 'flattening position with a reduce-only market order');
  }

  #onCancelFailed(tracked: TrackedOrder, error: unknown): void {
    const outcome = cancelOutcome(error);
    if (outcome === 'refused') {
      // Usually the order filled or was already cancelled: its final push settles it.
      this.#o.log.debug({ clOrdId: tracked.clOrdId, err: error }, 'cancel refused: waiting for the order channel');
      this.#o.onCancelRefused(tracked);
    } else if (outcome === 'unknown') {
      this.#o.log.warn({ clOrdId: tracked.clOrdId, err: error }, 'cancel outcome unknown: will retry');
    } else {
      this.#o.events.emit('requestFailed', { action: 'cancel', reason: errorName(error) });
      this.onFailure(error, 'cancel failed');
    }
  }

  #onFlattenFailed(clOrdId: string, error: unknown): void {
    const { clock, orders, flatten, log } = this.#o;
    const outcome = flattenOutcome(error);
    if (outcome.kind === 'unknown') {
      log.warn({ clOrdId, err: error }, 'flatten outcome unknown: settling by the order channel or a read');
      return;
    }
    const now = clock.now();
    orders.finish(clOrdId, now);
    const attempts = flatten.onFailed(now);
    log.error({ clOrdId, err: error, attempts }, 'flatten failed: will retry');
    this.#o.events.emit('requestFailed', { action: 'flatten', reason: errorName(error) });
    if (outcome.isPositionDoubtful) this.#o.onPositionDoubtful();
    if (attempts >= 3) this.#o.events.emit('flattenFailing', { attempts, error: error instanceof Error ? error : new Error(String(error)) });
    this.onFailure(error, 'flatten failed');
  }
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.min(a, b);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
