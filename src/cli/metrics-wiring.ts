// The daemon's Prometheus metrics (prefix standx_mm_, labels account and symbol) in a registry of its own,
// so that several daemons can share a process. Probe sinks feed the latency histograms and connection
// counters; the rest is read when scraped. The default process metrics (same prefix) include the
// event-loop delay, measured with perf_hooks.monitorEventLoopDelay and reset at every scrape.

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { bpsRatioToNumber } from '../engine/band.js';
import type { DayReport } from '../engine/daily-report.js';
import type { Health } from '../engine/health.js';
import type { MakerLoopEvents, MakerSnapshot, MakerStats } from '../engine/observations.js';
import type { QuoteStanding } from '../engine/quote-standing.js';
import type { HourProjection } from '../engine/uptime-accumulator.js';
import { tickPriceToNumber } from '../domain/price.js';
import type { SymbolSpec } from '../domain/types.js';
import type { ProbeSinks } from '../ops/probe.js';

export const METRIC_PREFIX = 'standx_mm_';

/** What a scrape reads; attached once the loop exists. */
export interface MetricsSources {
  readonly spec: SymbolSpec;
  snapshot(): MakerSnapshot;
  standings(): readonly QuoteStanding[];
  hour(): HourProjection;
  today(): DayReport;
  health(): Health;
  tokenExpiresAtMs(): number | null;
}

type CounterName = 'requotes' | 'fills' | 'flattens' | 'postOnlyRejects';
const STAT_COUNTERS: ReadonlyArray<[CounterName, keyof MakerStats, string]> = [
  ['requotes', 'requotes', 'Quotes placed on a side after its first one'],
  ['fills', 'fills', 'Fills of quotes'],
  ['flattens', 'flattens', 'Positions flattened'],
  ['postOnlyRejects', 'postOnlyRejects', 'Post-only quotes refused because they would have crossed'],
];

export class DaemonMetrics {
  readonly registry = new Registry();
  readonly probeSinks: ProbeSinks;
  #sources: MetricsSources | null = null;
  readonly #orderMessages: Counter<'action'>;
  readonly #errors: Counter<'kind'>;
  readonly #readyConnections = new Set<string>();

  constructor(labels: { account: string; symbol: string }) {
    this.registry.setDefaultLabels(labels);
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
    const registers = [this.registry];
    const roundTrip = new Histogram({ name: `${METRIC_PREFIX}order_round_trip_seconds`, help: 'From an order request written to its answer', labelNames: ['method', 'outcome'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers });
    const tickToOrder = new Histogram({ name: `${METRIC_PREFIX}tick_to_order_seconds`, help: 'From a depth frame read to the order frame written in reaction', buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05], registers });
    const connectionEvents = new Counter({ name: `${METRIC_PREFIX}connection_events_total`, help: 'WebSocket connections ready, rotated or down', labelNames: ['connection', 'event'], registers });
    const reconnects = new Counter({ name: `${METRIC_PREFIX}reconnects_total`, help: 'Connections ready again after their first time', labelNames: ['connection'], registers });
    this.#orderMessages = new Counter({ name: `${METRIC_PREFIX}order_messages_total`, help: 'Order messages sent, by action', labelNames: ['action'], registers });
    this.#errors = new Counter({ name: `${METRIC_PREFIX}errors_total`, help: 'Errors and anomalies, by kind', labelNames: ['kind'], registers });
    this.probeSinks = {
      tickToOrder: (micros) => tickToOrder.observe(micros / 1e6),
      requestSettled: (method, roundTripMs, outcome) => roundTrip.observe({ method, outcome }, roundTripMs / 1000),
      connection: (name, event) => {
        connectionEvents.inc({ connection: name, event });
        if (event === 'down') this.#errors.inc({ kind: 'connection_down' });
        if (event !== 'ready') return;
        if (this.#readyConnections.has(name)) reconnects.inc({ connection: name });
        this.#readyConnections.add(name);
      },
    };
    this.#defineScrapedGauges();
    this.#defineStatCounters();
  }

  /** Starts reading the daemon at each scrape. */
  attach(sources: MetricsSources, events: { on<K extends keyof MakerLoopEvents>(event: K, listener: (...args: MakerLoopEvents[K]) => void): unknown }): void {
    this.#sources = sources;
    events.on('orderSent', (sent) => this.#orderMessages.inc({ action: sent.action }));
  }

  /** Errors and anomalies by kind (what the daemon's observers see: rejections, stale feed, streams down…). */
  countError(kind: string): void {
    this.#errors.inc({ kind });
  }

  /** Every metric name a scrape can show (histograms add _bucket, _sum and _count). */
  metricNames(): string[] {
    return this.registry.getMetricsAsArray().map((metric) => metric.name);
  }

  close(): void {
    this.registry.clear();
  }

  #gauge(name: string, help: string, read: (gauge: Gauge<string>, sources: MetricsSources) => void, labelNames: string[] = []): void {
    const sources = (): MetricsSources | null => this.#sources;
    new Gauge({
      name: `${METRIC_PREFIX}${name}`,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        const current = sources();
        if (current) read(this, current);
      },
    });
  }

  #defineScrapedGauges(): void {
    const price = (value: MakerSnapshot['mid'], spec: SymbolSpec): number | null => (value ? tickPriceToNumber(value, spec.priceDecimals) : null);
    const setIf = (gauge: Gauge<string>, value: number | null): void => {
      if (value !== null) gauge.set(value);
    };
    this.#gauge('mid_price', 'The reference price quotes are measured from', (g, s) => setIf(g, price(s.snapshot().mid, s.spec)));
    this.#gauge('mark_price', 'The exchange mark price', (g, s) => setIf(g, price(s.snapshot().mark, s.spec)));
    this.#gauge('quote_distance_bps', 'Each resting quote from the mid and the mark, bps on its own side', (g, s) => this.#distances(g, s), ['side', 'reference']);
    this.#gauge('quote_credited', 'Whether the side has a quote the uptime programme credits', (g, s) => {
      for (const side of ['buy', 'sell'] as const) g.set({ side }, s.standings().some((q) => q.side === side && q.isCredited) ? 1 : 0);
    }, ['side']);
    this.#gauge('uptime_hour_seconds', 'This UTC hour: both quotes in band, both credited', (g, s) => {
      const hour = s.hour();
      g.set({ kind: 'in_band' }, hour.inBandMs / 1000);
      g.set({ kind: 'credited' }, hour.creditedMs / 1000);
    }, ['kind']);
    this.#gauge('uptime_hour_full_reachable', '1 while this hour can still reach 42 credited minutes', (g, s) => g.set(s.hour().canReachFull ? 1 : 0));
    this.#gauge('credited_hours_today', 'Credited maker hours today (UTC), the current hour included', (g, s) => g.set(s.today().creditedHours));
    this.#gauge('quoting', '1 while quoting', (g, s) => g.set(s.health().state === 'quoting' ? 1 : 0));
    this.#gauge('paused', '1 while paused by the operator', (g, s) => g.set(s.health().state === 'paused' ? 1 : 0));
    this.#gauge('healthy', '1 while /healthz answers 200', (g, s) => g.set(s.health().isHealthy ? 1 : 0));
    this.#gauge('last_depth_age_seconds', 'Since the last depth frame', (g, s) => setIf(g, nullable(s.health().lastBookAgeMs, (ms) => ms / 1000)));
    this.#gauge('position', 'Signed position in the base asset', (g, s) => g.set(Number(s.snapshot().positionLots) / 10 ** s.spec.qtyDecimals));
    this.#gauge('realized_pnl_today', 'Realized P&L today (UTC), quote currency', (g, s) => g.set(Number(s.today().realizedPnl)));
    this.#gauge('fees_today', 'Fees paid today (UTC), quote currency', (g, s) => g.set(Number(s.today().feesPaid)));
    this.#gauge('net_pnl_today', 'Realized P&L less fees today (UTC)', (g, s) => g.set(Number(s.today().netPnl)));
    this.#gauge('flatten_cost_today', 'Flatten slippage against the mid at the quote fills today (UTC)', (g, s) => g.set(Number(s.today().flattenSlippage)));
    this.#gauge('token_expiry_timestamp_seconds', 'When the access token expires (epoch seconds)', (g, s) => setIf(g, nullable(s.tokenExpiresAtMs(), (ms) => ms / 1000)));
  }

  #distances(gauge: Gauge<string>, sources: MetricsSources): void {
    for (const standing of sources.standings()) {
      if (standing.fromMidBps) gauge.set({ side: standing.side, reference: 'mid' }, bpsRatioToNumber(standing.fromMidBps));
      if (standing.fromMarkBps) gauge.set({ side: standing.side, reference: 'mark' }, bpsRatioToNumber(standing.fromMarkBps));
    }
  }

  /** The loop counts in its stats; each scrape adds what is new since the last. */
  #defineStatCounters(): void {
    const sources = (): MetricsSources | null => this.#sources;
    for (const [name, stat, help] of STAT_COUNTERS) {
      let counted = 0;
      new Counter({
        name: `${METRIC_PREFIX}${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_total`,
        help,
        registers: [this.registry],
        collect() {
          const current = sources()?.snapshot().stats[stat];
          if (current === undefined || current <= counted) return;
          this.inc(current - counted);
          counted = current;
        },
      });
    }
  }
}

function nullable<T>(value: T | null, map: (value: T) => number): number | null {
  return value === null ? null : map(value);
}
