import { describe, expect, it } from 'vitest';
import type { TickPrice } from '../../../src/domain/price.js';
import type { OrderRef, Side, SymbolSpec } from '../../../src/domain/types.js';
import { parseBps, type Bps } from '../../../src/domain/bps.js';
import { planQuotes, type CancelReason, type Plan, type PlanInput, type RequotePolicy } from '../../../src/engine/plan.js';
import type { OwnOrder, OwnOrderStatus } from '../../../src/engine/side-orders.js';

// Mid 1 000 000 ticks: 1 bps = 100 ticks. Target 7.5 → bid 999 250, ask 1 000 750.
// Bid band [999 000, 999 300], ask band [1 000 700, 1 001 000].
const BID = 999_250n;
const ASK = 1_000_750n;
const POLICIES: readonly RequotePolicy[] = ['reference', 'side', 'overlap'];

const SPEC: SymbolSpec = {
  symbol: 'BTC-USD',
  priceDecimals: 2,
  qtyDecimals: 4,
  minOrderLots: 1n,
  maxOrderLots: 10_000n,
  maxOpenOrders: 20,
  enabled: true,
};

const tp = (num: bigint, den = 1n): TickPrice => ({ num, den });

function order(id: string, side: Side, priceTicks: bigint, status: OwnOrderStatus = 'resting'): OwnOrder {
  return { ref: { clOrdId: id }, side, priceTicks, qtyLots: 5n, status, restingSinceMs: status === 'resting' ? 0 : null };
}

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    spec: SPEC,
    qtyLots: 5n,
    band: {
      targetBps: parseBps('7.5'),
      minBps: parseBps('7'),
      maxBps: parseBps('10'),
      markBandBps: parseBps('10'),
      priority: 'mid',
      markPriorityMinBps: parseBps('5'),
    },
    policy: 'overlap',
    mid: tp(1_000_000n),
    mark: tp(1_000_000n),
    bestBidTicks: 999_990n,
    bestAskTicks: 1_000_010n,
    edgeMarginBps: null,
    isMidFresh: true,
    orders: [],
    positionLots: 0n,
    isFlattenInFlight: false,
    isPlacingPaused: false,
    maxOpenOrders: 10,
    nowMs: 1_000_000,
    minRestMs: 0,
    ...overrides,
  };
}

interface Summary {
  cancels: [string, CancelReason][];
  places: [Side, bigint][];
  flatten: [Side, bigint] | null;
}

const idOf = (ref: OrderRef): string => ('clOrdId' in ref ? ref.clOrdId : String(ref.orderId));

function summarize(plan: Plan): Summary {
  return {
    cancels: plan.cancels.map((cancel) => [idOf(cancel.ref), cancel.reason]),
    places: plan.places.map((place) => [place.side, place.priceTicks]),
    flatten: plan.flatten === null ? null : [plan.flatten.side, plan.flatten.qtyLots],
  };
}

const nothing: Summary = { cancels: [], places: [], flatten: null };
const both = (bid: OwnOrder, ask: OwnOrder): OwnOrder[] => [bid, ask];
const inBandPair = both(order('b1', 'buy', BID), order('a1', 'sell', ASK));

describe('planQuotes: flatten', () => {
  it.each<[string, Partial<PlanInput>, [Side, bigint] | null]>([
    ['sells a long position at once', { positionLots: 3n }, ['sell', 3n]],
    ['buys back a short position at once', { positionLots: -7n }, ['buy', 7n]],
    ['does not send a second flatten while one is in flight (long)', { positionLots: 3n, isFlattenInFlight: true }, null],
    ['does not send a second flatten while one is in flight (short)', { positionLots: -3n, isFlattenInFlight: true }, null],
    ['does nothing when flat', { positionLots: 0n }, null],
    ['caps the flatten at the max order size', { positionLots: 25_000n }, ['sell', 10_000n]],
    ['flattens even with a stale mid', { positionLots: 2n, mid: null }, ['sell', 2n]],
    ['flattens even while placing is paused', { positionLots: -2n, isPlacingPaused: true }, ['buy', 2n]],
    ['flattens the whole position when the max order size is unknown', { positionLots: 25_000n, spec: { ...SPEC, maxOrderLots: 0n } }, ['sell', 25_000n]],
  ])('%s', (_name, overrides, expected) => {
    for (const policy of POLICIES) {
      expect(summarize(planQuotes(input({ orders: inBandPair, ...overrides, policy }))).flatten).toEqual(expected);
    }
  });

  it('keeps quoting while a position is being flattened', () => {
    const plan = summarize(planQuotes(input({ positionLots: 3n, policy: 'side' })));
    expect(plan).toEqual({ cancels: [], places: [['buy', BID], ['sell', ASK]], flatten: ['sell', 3n] });
  });
});

describe('planQuotes: rules shared by every policy', () => {
  const cases: [string, Partial<PlanInput>, Summary][] = [
    [
      'cancels every resting order and places nothing on a stale mid',
      {
        mid: null,
        orders: [order('b1', 'buy', BID), order('a1', 'sell', 1_002_000n), order('b2', 'buy', BID, 'placing'), order('a2', 'sell', ASK, 'cancelling')],
      },
      { cancels: [['b1', 'stale-mid'], ['a1', 'stale-mid']], places: [], flatten: null },
    ],
    ['places nothing on a stale mid with no orders', { mid: null }, nothing],
    [
      'cancels everything when the symbol is disabled',
      { spec: { ...SPEC, enabled: false }, orders: inBandPair },
      { cancels: [['b1', 'symbol-disabled'], ['a1', 'symbol-disabled']], places: [], flatten: null },
    ],
    ['keeps an in-band pair', { orders: inBandPair }, nothing],
    [
      'keeps the bid nearest the target and cancels the other in-band one',
      { orders: [order('b1', 'buy', 999_100n), order('b2', 'buy', 999_240n), order('a1', 'sell', ASK)] },
      { cancels: [['b1', 'duplicate']], places: [], flatten: null },
    ],
    [
      'breaks a tie between duplicates by keeping the one further from the mid',
      { orders: [order('b1', 'buy', 999_300n), order('b2', 'buy', 999_200n), order('a1', 'sell', 1_000_800n), order('a2', 'sell', 1_000_700n)] },
      { cancels: [['b1', 'duplicate'], ['a2', 'duplicate']], places: [], flatten: null },
    ],
    [
      'cancels drifted extras, in band or not, beside a kept order',
      { orders: [order('b1', 'buy', 998_000n), order('b2', 'buy', BID), order('b3', 'buy', 999_010n), order('a1', 'sell', ASK)] },
      { cancels: [['b3', 'duplicate'], ['b1', 'out-of-band']], places: [], flatten: null },
    ],
    [
      'does not act again on orders already placing or cancelling',
      { orders: [order('b1', 'buy', BID, 'placing'), order('b2', 'buy', 998_000n, 'cancelling'), order('a1', 'sell', ASK, 'placing')] },
      nothing,
    ],
  ];

  it.each(cases)('%s', (_name, overrides, expected) => {
    for (const policy of POLICIES) {
      expect(summarize(planQuotes(input({ ...overrides, policy }))), policy).toEqual(expected);
    }
  });

  // Exactly at an edge is still in band: kept by every policy. Overlap also sends replacements
  // at the target ahead of time, since an edge is within any edge margin.
  it.each([
    ['min_bps', both(order('b1', 'buy', 999_300n), order('a1', 'sell', 1_000_700n))],
    ['max_bps', both(order('b1', 'buy', 999_000n), order('a1', 'sell', 1_001_000n))],
  ])('keeps a pair exactly at %s', (_edge, orders) => {
    for (const policy of ['reference', 'side'] as const) {
      expect(summarize(planQuotes(input({ orders, policy }))), policy).toEqual(nothing);
    }
    expect(summarize(planQuotes(input({ orders, policy: 'overlap' })))).toEqual(places(['buy', BID], ['sell', ASK]));
  });

  it.each<[string, Partial<PlanInput>, [Side, bigint][]]>([
    ['places both sides into an empty book', {}, [['buy', BID], ['sell', ASK]]],
    ['places nothing while paused', { isPlacingPaused: true }, []],
    ['places nothing with a zero quantity', { qtyLots: 0n }, []],
    ['places within maxOpenOrders only', { maxOpenOrders: 1 }, [['buy', BID]]],
    ['places nothing with maxOpenOrders 0', { maxOpenOrders: 0 }, []],
    ['quotes a side whose bands disagree at the tick nearest the mark (mid first)', { mark: tp(1_000_500n) }, [['buy', 999_300n], ['sell', ASK]]],
    ['skips a side with no open tick (the best ask at the band edge)', { bestAskTicks: 999_000n, bestBidTicks: 998_990n }, [['sell', ASK]]],
    ['places nothing when the tick is coarser than the band', { mid: tp(100n), mark: null, bestBidTicks: 99n, bestAskTicks: 101n }, []],
    ['places on a weighted mid off the tick grid', { mid: tp(7_999_999n, 8n), mark: null }, [['buy', 999_249n], ['sell', 1_000_750n]]],
    ['places one tick off a best price that would make it cross', { bestAskTicks: 999_250n, bestBidTicks: 999_240n }, [['buy', 999_249n], ['sell', ASK]]],
  ])('side and overlap: %s', (_name, overrides, expected) => {
    for (const policy of ['side', 'overlap'] as const) {
      expect(summarize(planQuotes(input({ ...overrides, policy }))).places, policy).toEqual(expected);
    }
  });

  it('uses the configured quantity for every place', () => {
    const plan = planQuotes(input({ qtyLots: 42n, policy: 'side' }));
    expect(plan.places.map((place) => place.qtyLots)).toEqual([42n, 42n]);
  });

  it('returns the cancelled order refs untouched', () => {
    const ref = { orderId: 77 };
    const plan = planQuotes(input({ mid: null, orders: [{ ref, side: 'buy', priceTicks: BID, qtyLots: 5n, status: 'resting', restingSinceMs: 0 }] }));
    expect(plan.cancels[0]).toEqual({ ref, side: 'buy', priceTicks: BID, reason: 'stale-mid' });
    expect(plan.cancels[0]?.ref).toBe(ref);
  });
});

describe("planQuotes: policy 'side'", () => {
  it.each<[string, OwnOrder[], Partial<PlanInput>, Summary]>([
    [
      'cancels only the bid that left the band above min_bps',
      both(order('b1', 'buy', 999_301n), order('a1', 'sell', ASK)),
      {},
      { cancels: [['b1', 'out-of-band']], places: [], flatten: null },
    ],
    [
      'cancels only the ask that left the band beyond max_bps',
      both(order('b1', 'buy', BID), order('a1', 'sell', 1_001_001n)),
      {},
      { cancels: [['a1', 'out-of-band']], places: [], flatten: null },
    ],
    [
      'cancels a bid too far from the mark',
      both(order('b1', 'buy', 999_050n), order('a1', 'sell', ASK)),
      { mark: tp(1_000_200n) },
      { cancels: [['b1', 'out-of-band']], places: [], flatten: null },
    ],
    [
      'waits for the cancel to be confirmed before replacing',
      both(order('b1', 'buy', 999_301n, 'cancelling'), order('a1', 'sell', ASK)),
      {},
      nothing,
    ],
    ['replaces the bid once its cancel is confirmed', [order('a1', 'sell', ASK)], {}, { cancels: [], places: [['buy', BID]], flatten: null }],
    ['waits while the replacement is placing', both(order('b2', 'buy', BID, 'placing'), order('a1', 'sell', ASK)), {}, nothing],
    [
      'cancels both sides when both left',
      both(order('b1', 'buy', 998_000n), order('a1', 'sell', 1_000_100n)),
      {},
      { cancels: [['b1', 'out-of-band'], ['a1', 'out-of-band']], places: [], flatten: null },
    ],
    ['does not replace while paused', [order('a1', 'sell', ASK)], { isPlacingPaused: true }, nothing],
    ['does not replace beyond maxOpenOrders', [order('a1', 'sell', ASK)], { maxOpenOrders: 1 }, nothing],
  ])('%s', (_name, orders, overrides, expected) => {
    expect(summarize(planQuotes(input({ ...overrides, orders, policy: 'side' })))).toEqual(expected);
  });
});

describe("planQuotes: policy 'overlap'", () => {
  it.each<[string, OwnOrder[], Partial<PlanInput>, Summary]>([
    [
      'places the replacement bid first and keeps the old one',
      both(order('b1', 'buy', 999_301n), order('a1', 'sell', ASK)),
      {},
      { cancels: [], places: [['buy', BID]], flatten: null },
    ],
    [
      'keeps the old bid while the replacement is placing',
      [order('b1', 'buy', 999_301n), order('b2', 'buy', BID, 'placing'), order('a1', 'sell', ASK)],
      {},
      nothing,
    ],
    [
      'cancels the old bid once the replacement rests',
      [order('b1', 'buy', 999_301n), order('b2', 'buy', BID), order('a1', 'sell', ASK)],
      {},
      { cancels: [['b1', 'out-of-band']], places: [], flatten: null },
    ],
    ['waits while the old bid is cancelling', [order('b1', 'buy', 999_301n, 'cancelling'), order('b2', 'buy', BID), order('a1', 'sell', ASK)], {}, nothing],
    [
      'places while an old order is still cancelling',
      both(order('b1', 'buy', 999_301n, 'cancelling'), order('a1', 'sell', ASK)),
      {},
      { cancels: [], places: [['buy', BID]], flatten: null },
    ],
    [
      'never holds three orders on a side: cancels two drifted out-of-band bids first',
      [order('b1', 'buy', 999_301n), order('b2', 'buy', 998_000n), order('a1', 'sell', ASK)],
      {},
      { cancels: [['b1', 'out-of-band'], ['b2', 'out-of-band']], places: [], flatten: null },
    ],
    [
      'waits when two orders of a side are already cancelling',
      [order('b1', 'buy', 999_301n, 'cancelling'), order('b2', 'buy', 998_000n, 'cancelling'), order('a1', 'sell', ASK)],
      {},
      nothing,
    ],
    [
      'falls back to side when maxOpenOrders would be exceeded',
      both(order('b1', 'buy', 999_301n), order('a1', 'sell', ASK)),
      { maxOpenOrders: 2 },
      { cancels: [['b1', 'out-of-band']], places: [], flatten: null },
    ],
    [
      'replaces one side first and falls back on the other at maxOpenOrders',
      both(order('b1', 'buy', 999_301n), order('a1', 'sell', 1_000_699n)),
      { maxOpenOrders: 3 },
      { cancels: [['a1', 'out-of-band']], places: [['buy', BID]], flatten: null },
    ],
    [
      'falls back to side while placing is paused',
      both(order('b1', 'buy', 999_301n), order('a1', 'sell', ASK)),
      { isPlacingPaused: true },
      { cancels: [['b1', 'out-of-band']], places: [], flatten: null },
    ],
    [
      'falls back to side when no replacement tick is open',
      both(order('b1', 'buy', 998_000n), order('a1', 'sell', ASK)),
      { bestAskTicks: 999_000n, bestBidTicks: 998_990n },
      { cancels: [['b1', 'out-of-band']], places: [], flatten: null },
    ],
  ])('%s', (_name, orders, overrides, expected) => {
    expect(summarize(planQuotes(input({ ...overrides, orders, policy: 'overlap' })))).toEqual(expected);
  });
});

describe("planQuotes: policy 'reference'", () => {
  it.each<[string, OwnOrder[], Partial<PlanInput>, Summary]>([
    [
      'cancels both when the bid leaves the band',
      both(order('b1', 'buy', 999_301n), order('a1', 'sell', ASK)),
      {},
      { cancels: [['b1', 'out-of-band'], ['a1', 'requote']], places: [], flatten: null },
    ],
    [
      'cancels both when the ask leaves the band',
      both(order('b1', 'buy', BID), order('a1', 'sell', 1_001_001n)),
      {},
      { cancels: [['b1', 'requote'], ['a1', 'out-of-band']], places: [], flatten: null },
    ],
    [
      'cancels both when the bid is too far from the mark',
      both(order('b1', 'buy', 999_050n), order('a1', 'sell', ASK)),
      { mark: tp(1_000_200n) },
      { cancels: [['b1', 'out-of-band'], ['a1', 'requote']], places: [], flatten: null },
    ],
    ['waits while both cancels are pending', both(order('b1', 'buy', 999_301n, 'cancelling'), order('a1', 'sell', ASK, 'cancelling')), {}, nothing],
    ['waits while one cancel is pending', [order('a1', 'sell', ASK, 'cancelling')], {}, nothing],
    ['places both once both are gone and the mid is fresh', [], {}, { cancels: [], places: [['buy', BID], ['sell', ASK]], flatten: null }],
    ['waits for a fresh mid before placing', [], { isMidFresh: false }, nothing],
    ['places neither when one side has no open tick', [], { bestAskTicks: 999_000n, bestBidTicks: 998_990n }, nothing],
    ['places neither while paused', [], { isPlacingPaused: true }, nothing],
    ['places neither when both would exceed maxOpenOrders', [], { maxOpenOrders: 1 }, nothing],
    [
      'cancels the lone ask when the bid is gone (filled or rejected)',
      [order('a1', 'sell', ASK)],
      {},
      { cancels: [['a1', 'requote']], places: [], flatten: null },
    ],
    ['waits while both are placing', both(order('b1', 'buy', BID, 'placing'), order('a1', 'sell', ASK, 'placing')), {}, nothing],
    ['waits while one side is placing and the other rests in band', both(order('b1', 'buy', BID, 'placing'), order('a1', 'sell', ASK)), {}, nothing],
    [
      'cancels a resting ask that left the band while the bid is still placing',
      both(order('b1', 'buy', BID, 'placing'), order('a1', 'sell', 1_000_100n)),
      {},
      { cancels: [['a1', 'out-of-band']], places: [], flatten: null },
    ],
    ['ignores a fresh mid while the pair is in band', inBandPair, { isMidFresh: true }, nothing],
  ])('%s', (_name, orders, overrides, expected) => {
    expect(summarize(planQuotes(input({ ...overrides, orders, policy: 'reference' })))).toEqual(expected);
  });
});

/** A tiny exchange model: applies a plan, then lets the test acknowledge places and cancels. */
class Snapshot {
  orders: OwnOrder[] = [];
  mid = tp(1_000_000n);
  isMidFresh = true;
  #nextId = 1;

  constructor(
    readonly policy: RequotePolicy,
    readonly edgeMarginBps: Bps | null = null,
  ) {}

  plan(): Summary {
    const plan = planQuotes(
      input({ policy: this.policy, edgeMarginBps: this.edgeMarginBps, mid: this.mid, mark: this.mid, isMidFresh: this.isMidFresh, orders: this.orders, bestBidTicks: null, bestAskTicks: null }),
    );
    for (const cancel of plan.cancels) this.#setStatus(idOf(cancel.ref), 'cancelling');
    for (const place of plan.places) {
      this.orders.push(order(`${place.side === 'buy' ? 'b' : 'a'}${this.#nextId++}`, place.side, place.priceTicks, 'placing'));
    }
    if (plan.places.length > 0) this.isMidFresh = false;
    return summarize(plan);
  }

  rest(id: string): void {
    this.#setStatus(id, 'resting');
  }

  gone(id: string): void {
    this.orders = this.orders.filter((own) => idOf(own.ref) !== id);
  }

  moveMid(ticks: bigint): void {
    this.mid = tp(ticks);
    this.isMidFresh = true;
  }

  #setStatus(id: string, status: OwnOrderStatus): void {
    this.orders = this.orders.map((own) => (idOf(own.ref) === id ? { ...own, status } : own));
  }
}

const places = (...list: [Side, bigint][]): Summary => ({ cancels: [], places: list, flatten: null });
const cancels = (...list: [string, CancelReason][]): Summary => ({ cancels: list, places: [], flatten: null });

describe('planQuotes over a sequence of snapshots', () => {
  // Mid up 1 bps to 1 000 100: bid 999 250 is 8.5 bps away (kept), ask 1 000 750 only 6.5 (out).
  const MOVED_MID = 1_000_100n;
  const MOVED_BID = 999_349n;
  const MOVED_ASK = 1_000_851n;

  it("reference: cancels both, waits for both confirmations and a fresh mid, places both", () => {
    const s = new Snapshot('reference');
    expect(s.plan()).toEqual(places(['buy', BID], ['sell', ASK]));
    expect(s.plan()).toEqual(nothing);
    s.rest('b1');
    s.rest('a2');
    expect(s.plan()).toEqual(nothing);
    s.moveMid(MOVED_MID);
    expect(s.plan()).toEqual(cancels(['b1', 'requote'], ['a2', 'out-of-band']));
    expect(s.plan()).toEqual(nothing);
    s.gone('a2');
    expect(s.plan()).toEqual(nothing);
    s.gone('b1');
    s.isMidFresh = false;
    expect(s.plan()).toEqual(nothing);
    s.moveMid(MOVED_MID);
    expect(s.plan()).toEqual(places(['buy', MOVED_BID], ['sell', MOVED_ASK]));
  });

  it('side: cancels only the ask, replaces it once the cancel is confirmed', () => {
    const s = new Snapshot('side');
    expect(s.plan()).toEqual(places(['buy', BID], ['sell', ASK]));
    s.rest('b1');
    s.rest('a2');
    s.moveMid(MOVED_MID);
    expect(s.plan()).toEqual(cancels(['a2', 'out-of-band']));
    expect(s.plan()).toEqual(nothing);
    s.gone('a2');
    expect(s.plan()).toEqual(places(['sell', MOVED_ASK]));
    expect(s.plan()).toEqual(nothing);
    s.rest('a3');
    expect(s.plan()).toEqual(nothing);
    expect(s.orders.map((own) => [idOf(own.ref), own.priceTicks])).toEqual([['b1', BID], ['a3', MOVED_ASK]]);
  });

  it('overlap: places the new ask first, cancels the old one once the new one rests', () => {
    const s = new Snapshot('overlap');
    expect(s.plan()).toEqual(places(['buy', BID], ['sell', ASK]));
    s.rest('b1');
    s.rest('a2');
    s.moveMid(MOVED_MID);
    expect(s.plan()).toEqual(places(['sell', MOVED_ASK]));
    expect(s.plan()).toEqual(nothing);
    s.rest('a3');
    expect(s.plan()).toEqual(cancels(['a2', 'out-of-band']));
    expect(s.plan()).toEqual(nothing);
    s.gone('a2');
    expect(s.plan()).toEqual(nothing);
    expect(s.orders.map((own) => [idOf(own.ref), own.priceTicks])).toEqual([['b1', BID], ['a3', MOVED_ASK]]);
  });

  it('overlap: re-places a replacement that the exchange rejected', () => {
    const s = new Snapshot('overlap');
    s.plan();
    s.rest('b1');
    s.rest('a2');
    s.moveMid(MOVED_MID);
    expect(s.plan()).toEqual(places(['sell', MOVED_ASK]));
    s.gone('a3');
    expect(s.plan()).toEqual(places(['sell', MOVED_ASK]));
  });

  it('overlap: replaces a quote that came within the edge margin while it still counts', () => {
    const s = new Snapshot('overlap');
    s.plan();
    s.rest('b1');
    s.rest('a2');
    // +0.3 bps: the ask is 7.2 bps away (in [7, 10], past the 7.25 halfway mark kept while the
    // volatility is not measured yet), the bid 7.8 (clear).
    s.moveMid(1_000_030n);
    expect(s.plan()).toEqual(places(['sell', 1_000_781n]));
    expect(s.plan()).toEqual(nothing);
    s.rest('a3');
    expect(s.plan()).toEqual(cancels(['a2', 'duplicate']));
    s.gone('a2');
    expect(s.plan()).toEqual(nothing);
  });

  it('overlap: keeps the same quote when the measured margin is small (calm market)', () => {
    const s = new Snapshot('overlap', parseBps('0.1'));
    s.plan();
    s.rest('b1');
    s.rest('a2');
    // The ask at 7.2 bps is clear of the floor margin (a quarter of 0.5 bps: 7.125); at 7.1 it is not.
    s.moveMid(1_000_030n);
    expect(s.plan()).toEqual(nothing);
    s.moveMid(1_000_040n);
    expect(s.plan()).toEqual(places(['sell', 1_000_791n]));
  });

  it.each(['side', 'reference'] as const)('%s: leaves a drifted quote alone while it is in band', (policy) => {
    const s = new Snapshot(policy);
    s.plan();
    s.rest('b1');
    s.rest('a2');
    s.moveMid(1_000_030n);
    expect(s.plan()).toEqual(nothing);
  });

  it.each(POLICIES)('%s: cancels everything on a stale mid and quotes again once it is back', (policy) => {
    const s = new Snapshot(policy);
    s.plan();
    s.rest('b1');
    s.rest('a2');
    const staleInput = input({ policy, mid: null, orders: s.orders });
    expect(summarize(planQuotes(staleInput))).toEqual(cancels(['b1', 'stale-mid'], ['a2', 'stale-mid']));
    s.gone('b1');
    s.gone('a2');
    s.moveMid(1_000_000n);
    expect(s.plan()).toEqual(places(['buy', BID], ['sell', ASK]));
  });
});

describe('planQuotes: minimum rest and hysteresis', () => {
  const NOW = 1_000_000;
  const MARK_FIRST = { ...input().band, priority: 'mark' } as const;
  const REST = 1_000;
  const aged = (own: OwnOrder, restedMs: number): OwnOrder => ({ ...own, restingSinceMs: NOW - restedMs });
  const rested = (policy: RequotePolicy, orders: OwnOrder[], overrides: Partial<PlanInput> = {}): Plan =>
    planQuotes(input({ policy, orders, nowMs: NOW, minRestMs: REST, ...overrides }));

  it.each<[string, RequotePolicy, OwnOrder[], Partial<PlanInput>, Summary, number | null]>([
    [
      'overlap: a drifting quote younger than the minimum rest is not replaced yet',
      'overlap',
      [aged(order('b1', 'buy', 999_300n), 400), aged(order('a1', 'sell', ASK), 5_000)],
      {},
      nothing,
      NOW + 600,
    ],
    [
      'overlap: a drifting quote that has rested is replaced early',
      'overlap',
      [aged(order('b1', 'buy', 999_300n), REST), aged(order('a1', 'sell', ASK), 5_000)],
      {},
      places(['buy', BID]),
      null,
    ],
    [
      'overlap: a young quote out of band is replaced at once',
      'overlap',
      [aged(order('b1', 'buy', 999_301n), 10), aged(order('a1', 'sell', ASK), 10)],
      {},
      places(['buy', BID]),
      null,
    ],
    [
      'side: a young quote out of band is cancelled at once',
      'side',
      [aged(order('b1', 'buy', 999_301n), 10), aged(order('a1', 'sell', ASK), 10)],
      {},
      cancels(['b1', 'out-of-band']),
      null,
    ],
    [
      'the old quote stays until its replacement has rested',
      'overlap',
      [aged(order('b1', 'buy', 999_300n), 9_000), aged(order('b2', 'buy', BID), 200), aged(order('a1', 'sell', ASK), 9_000)],
      {},
      nothing,
      NOW + 800,
    ],
    [
      'then the old quote is cancelled',
      'overlap',
      [aged(order('b1', 'buy', 999_300n), 9_000), aged(order('b2', 'buy', BID), REST), aged(order('a1', 'sell', ASK), 9_000)],
      {},
      cancels(['b1', 'duplicate']),
      null,
    ],
    [
      'a young duplicate waits for its own rest',
      'side',
      [aged(order('b1', 'buy', BID), 9_000), aged(order('b2', 'buy', 999_200n), 300), aged(order('a1', 'sell', ASK), 9_000)],
      {},
      nothing,
      NOW + 700,
    ],
    [
      'overlap: never a third order on a side, even while a young duplicate waits for its rest',
      'overlap',
      [aged(order('b1', 'buy', 999_300n), 9_000), aged(order('b2', 'buy', 999_000n), 300), aged(order('a1', 'sell', ASK), 9_000)],
      {},
      nothing,
      NOW + 700,
    ],
    [
      'an old quote out of band beside a young kept one goes at once',
      'overlap',
      [aged(order('b1', 'buy', 999_301n), 9_000), aged(order('b2', 'buy', BID), 100), aged(order('a1', 'sell', ASK), 9_000)],
      {},
      cancels(['b1', 'out-of-band']),
      null,
    ],
    [
      'reference: the partner of a side that left is cancelled once it has rested',
      'reference',
      [aged(order('b1', 'buy', 999_301n), 9_000), aged(order('a1', 'sell', ASK), 250)],
      {},
      cancels(['b1', 'out-of-band']),
      NOW + 750,
    ],
    [
      'overlap: a young quote just past the estimated mark window stays (slack of one edge margin: 10.05 < 10 + 0.625 bps)',
      'overlap',
      [aged(order('b1', 'buy', 999_195n), 100), aged(order('a1', 'sell', ASK), 100)],
      { mark: tp(1_000_200n), edgeMarginBps: parseBps('0.2') },
      nothing,
      NOW + 900,
    ],
    [
      'overlap: once rested, it is replaced inside the window by a quote clear of the mid band edges',
      'overlap',
      [aged(order('b1', 'buy', 999_195n), REST), aged(order('a1', 'sell', ASK), REST)],
      { mark: tp(1_000_200n), edgeMarginBps: parseBps('0.2') },
      places(['buy', BID]),
      null,
    ],
    [
      'side: no slack, a quote past the window is out of band at once',
      'side',
      [aged(order('b1', 'buy', 999_195n), 100), aged(order('a1', 'sell', ASK), 100)],
      { mark: tp(1_000_200n), edgeMarginBps: parseBps('0.2') },
      cancels(['b1', 'out-of-band']),
      null,
    ],
    [
      'overlap: a quote past the slack is out of band: replaced at once, young as it is (10.7 bps from the mark)',
      'overlap',
      [aged(order('b1', 'buy', 999_130n), 100), aged(order('a1', 'sell', ASK), 100)],
      { mark: tp(1_000_200n), edgeMarginBps: parseBps('0.2') },
      places(['buy', BID]),
      null,
    ],
    [
      'mark priority: a rested quote in the window but nearer the mid than the band is brought back into it',
      'overlap',
      [aged(order('b1', 'buy', 999_400n), REST), aged(order('a1', 'sell', ASK), REST)],
      { band: MARK_FIRST },
      places(['buy', BID]),
      null,
    ],
    [
      'mark priority: such a quote is left alone while young',
      'overlap',
      [aged(order('b1', 'buy', 999_400n), 100), aged(order('a1', 'sell', ASK), REST)],
      { band: MARK_FIRST },
      nothing,
      NOW + 900,
    ],
    [
      'mark priority: a quote placed while the rules parted stays when they agree again by a hair (no flip)',
      'overlap',
      // Placed at 6.9 bps under a mark 3.1 bps up; the mark now 2.9 bps up leaves [999 290, 999 300].
      [aged(order('b1', 'buy', 999_310n), REST), aged(order('a1', 'sell', ASK), REST)],
      { band: MARK_FIRST, mark: tp(1_000_290n) },
      nothing,
      null,
    ],
    [
      'hysteresis: no early replacement by a quote as near an edge as the old one (narrow slot)',
      'overlap',
      // The mark 2.8 bps above the mid leaves the bid [999 280, 999 300]: every tick is near an edge.
      [aged(order('b1', 'buy', 999_285n), 9_000), aged(order('a1', 'sell', ASK), 9_000)],
      { mark: tp(1_000_280n), edgeMarginBps: parseBps('0.2') },
      nothing,
      null,
    ],
  ])('%s', (_name, policy, orders, overrides, expected, recheckAtMs) => {
    const plan = rested(policy, orders, overrides);
    expect(summarize(plan)).toEqual(expected);
    expect(plan.recheckAtMs).toBe(recheckAtMs);
  });

  it('marks an early replacement as such, a place for an empty side as not', () => {
    const early = rested('overlap', [aged(order('b1', 'buy', 999_300n), REST), aged(order('a1', 'sell', ASK), REST)]);
    expect(early.places.map((place) => [place.side, place.isEarly])).toEqual([['buy', true]]);
    const fresh = rested('overlap', []);
    expect(fresh.places.map((place) => [place.side, place.isEarly])).toEqual([['buy', false], ['sell', false]]);
  });
});
