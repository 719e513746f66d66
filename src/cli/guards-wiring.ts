// The kill switches and the second-quoter guard, wired to the loop's observations and the position
// pushes. A verdict halts the loop (cancel, keep flattening, stay connected) and alerts; a kill
// switch's halt lifts at the next 00:00 UTC, `standx-mm resume` lifts any.

import type { Config } from '../config/load.js';
import { formatUnits, parseUnits } from '../domain/decimal.js';
import type { ClientIds } from '../engine/client-ids.js';
import { classifyOtherRunOrder, DailyLoss, estimateFee, FailureStreak, MONEY_DECIMALS, utcDayOf } from '../engine/guards.js';
import type { MakerLoop } from '../engine/maker-loop.js';
import type { FillObservation, HaltReason } from '../engine/observations.js';
import type { Exchange } from '../exchange/exchange.js';
import type { Clock } from '../ops/clock.js';
import type { Log } from '../ops/log.js';
import type { Notifier } from '../ops/notifier.js';

/** Protocol §11.5: maker 1 bp, taker 4 bp on every symbol. Fills carry no fee, so it is estimated. */
const MAKER_FEE_BPS = 1n;
const TAKER_FEE_BPS = 4n;

export interface WireGuardsOptions {
  readonly loop: MakerLoop;
  readonly exchange: Exchange;
  readonly ids: ClientIds;
  readonly config: Config;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly logger: Log;
}

export function wireGuards(options: WireGuardsOptions): void {
  const { loop, notifier, clock } = options;
  const log = options.logger.child({ component: 'guards' });
  let haltDay: number | null = null;
  const haltFor = (reason: HaltReason): void => {
    if (loop.snapshot().halt !== null) return;
    log.error({ halt: reason.kind, detail: reason.detail }, 'kill switch: halting quoting');
    haltDay = utcDayOf(clock.now());
    loop.halt(reason);
    notifier.notify({ kind: 'halted', reason: reason.kind, detail: reason.detail });
  };
  loop.on('resumed', (after) => notifier.notify({ kind: 'resumed', after: after.kind }));
  loop.on('halted', (reason) => {
    if (reason.kind === 'paused') notifier.notify({ kind: 'halted', reason: reason.kind, detail: reason.detail });
  });
  // A kill switch's halt lasts until the next UTC day; a pause or a second quoter waits for `resume`.
  loop.on('evaluated', (atMs) => {
    const halt = loop.snapshot().halt;
    if (halt === null || haltDay === null || utcDayOf(atMs) === haltDay) return;
    if (halt.kind === 'failures' || halt.kind === 'dailyLoss') loop.resume();
    haltDay = null;
  });
  watchSecondQuoter(options, haltFor);
  watchFailures(options, haltFor);
  watchDailyLoss(options, haltFor, log);
}

function watchSecondQuoter({ loop, ids }: WireGuardsOptions, haltFor: (reason: HaltReason) => void): void {
  loop.on('otherRunOrder', ({ order, via }) => {
    if (classifyOtherRunOrder(order, via, ids.startedAtMs) !== 'secondQuoter') return;
    haltFor({
      kind: 'secondQuoter',
      detail: `order ${order.clOrdId} belongs to another run (this run is ${ids.runTag}): a second daemon quotes this account; stop one, then resume the other`,
    });
  });
}

function watchFailures({ loop, config }: WireGuardsOptions, haltFor: (reason: HaltReason) => void): void {
  const streak = new FailureStreak(config.guards.maxConsecutiveFailures);
  loop.on('quoteResting', () => streak.onSuccess());
  loop.on('flattened', () => streak.onSuccess());
  loop.on('requestFailed', ({ action, reason }) => {
    if (streak.onFailure()) haltFor({ kind: 'failures', detail: `${streak.count} order requests failed in a row (last: ${action}, ${reason})` });
  });
  loop.on('resumed', () => streak.onSuccess());
}

function watchDailyLoss({ loop, exchange, config, clock }: WireGuardsOptions, haltFor: (reason: HaltReason) => void, log: Log): void {
  const limit = config.guards.dailyLossLimit;
  if (limit === null) return;
  const limitUnits = parseUnits(limit, MONEY_DECIMALS, 'floor');
  const ledger = new DailyLoss();
  const check = (atMs: number): void => {
    const lossUnits = ledger.lossUnits(atMs);
    if (lossUnits < limitUnits) return;
    haltFor({ kind: 'dailyLoss', detail: `realized loss plus estimated fees since 00:00 UTC is ${formatUnits(lossUnits, MONEY_DECIMALS)} (limit ${limit})` });
  };
  exchange.on('position', (position) => {
    if (position.symbol !== exchange.spec.symbol) return;
    ledger.onRealized(position.realizedPnl, clock.now());
    check(clock.now());
  });
  loop.on('fill', (fill) => {
    const fee = feeOf(fill, loop, exchange);
    if (fee === null) log.warn({ clOrdId: fill.clOrdId }, 'fill without a known price: its fee is left out of the daily loss');
    else ledger.onFee(fee, fill.atMs);
    check(fill.atMs);
  });
}

/** Quotes fill as makers at their limit; a flatten is a taker at about the touch. */
function feeOf(fill: FillObservation, loop: MakerLoop, exchange: Exchange): bigint | null {
  const view = loop.snapshot();
  const touch = fill.side === 'buy' ? view.bestAskTicks : view.bestBidTicks;
  const priceTicks = fill.priceTicks ?? touch;
  if (priceTicks === null) return null;
  const { qtyDecimals, priceDecimals } = exchange.spec;
  const feeBps = fill.purpose === 'quote' ? MAKER_FEE_BPS : TAKER_FEE_BPS;
  return estimateFee({ filledLots: fill.filledLots, priceTicks, qtyDecimals, priceDecimals, feeBps });
}
