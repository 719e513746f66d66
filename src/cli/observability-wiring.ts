// Everything that watches a running daemon, composed in one place so that daemon.ts adds a line per
// phase: the metrics (their probe sinks exist before the connection), then, once the loop exists, the
// uptime count, the fill ledger, the status (control socket, minute log line, page), /healthz and
// systemd's watchdog; at stop, the uptime summary for the stop alert.

import { parseBps } from '../domain/bps.js';
import { assessHealth, type Health } from '../engine/health.js';
import type { MakerLoop } from '../engine/maker-loop.js';
import { quoteStandings, type CreditRules, type QuoteStanding } from '../engine/quote-standing.js';
import type { Config } from '../config/load.js';
import type { Clock } from '../ops/clock.js';
import type { ControlHandler } from '../ops/control-socket.js';
import type { Log } from '../ops/log.js';
import { startMetricsServer, text, type HttpRoute, type MetricsServer } from '../ops/metrics-server.js';
import type { Notifier } from '../ops/notifier.js';
import type { SystemdEnv } from '../ops/sd-notify.js';
import type { Connection } from './connect.js';
import { FillLedger } from './ledger-wiring.js';
import { wireLiveness, type Liveness } from './liveness-wiring.js';
import { DaemonMetrics } from './metrics-wiring.js';
import { PriceHistory, renderAccountPage } from './status-page-wiring.js';
import { accountStatus, statusLine, type AccountStatus } from './status-view.js';
import { DEFAULT_UPTIME_TIMING, UptimeTracker, type UptimeTiming } from './uptime-wiring.js';

export interface ObservabilityTiming {
  readonly uptime: UptimeTiming;
  readonly statusLineMs: number;
  readonly priceSampleMs: number;
}

export const DEFAULT_OBSERVABILITY_TIMING: ObservabilityTiming = { uptime: DEFAULT_UPTIME_TIMING, statusLineMs: 60_000, priceSampleMs: 10_000 };

export interface ObservabilityOptions {
  readonly config: Config;
  readonly clock: Clock;
  readonly log: Log;
  readonly notifier: Notifier;
  /** systemd's variables (NOTIFY_SOCKET, WATCHDOG_USEC, …) and the daemon's pid; null outside a unit. */
  readonly systemd: { readonly env: SystemdEnv; readonly ownPid: number } | null;
  readonly timing?: ObservabilityTiming;
}

/** The programme credits quotes within 10 bps of the mark (protocol §11.4), whatever MARK_BAND_BPS says. */
const CREDIT_MARK_BAND_BPS = parseBps('10');

interface Attached {
  readonly loop: MakerLoop;
  readonly connection: Connection;
  readonly uptime: UptimeTracker;
  readonly ledger: FillLedger;
  readonly rules: CreditRules;
  readonly history: PriceHistory;
  readonly liveness: Liveness;
  readonly timers: NodeJS.Timeout[];
  server: MetricsServer | null;
  lastError: string | null;
}

export class Observability {
  readonly metrics: DaemonMetrics;
  readonly #o: ObservabilityOptions;
  readonly #timing: ObservabilityTiming;
  #attached: Attached | null = null;

  constructor(options: ObservabilityOptions) {
    this.#o = options;
    this.#timing = options.timing ?? DEFAULT_OBSERVABILITY_TIMING;
    this.metrics = new DaemonMetrics({ account: options.config.accountName, symbol: options.config.quoting.symbol });
  }

  /** Starts watching the loop; adds the `status` command to the control socket's handlers. */
  async attach(loop: MakerLoop, connection: Connection, controlHandlers: Map<string, ControlHandler>): Promise<void> {
    const { config, clock, log, notifier } = this.#o;
    const spec = connection.exchange.spec;
    const rules: CreditRules = { band: { minBps: config.quoting.minBps, maxBps: config.quoting.maxBps }, markBandBps: CREDIT_MARK_BAND_BPS, minLots: spec.minOrderLots };
    const ledger = await FillLedger.open({ file: config.runtime.fillLedgerFile, spec, clock, log, notifier });
    const uptime = await UptimeTracker.start({
      loop, rules, clock, log, notifier,
      stateFile: config.runtime.uptimeStateFile,
      timing: this.#timing.uptime,
      onHourCompleted: (hour) => ledger.recordHour(hour),
      readExchangeUptime: () => connection.http.queryMakerUptime(),
    });
    const liveness = this.#o.systemd
      ? wireLiveness({ env: this.#o.systemd.env, ownPid: this.#o.systemd.ownPid, loop, staleAfterMs: config.timing.marketStaleMs, log })
      : { stopping: () => undefined, close: () => undefined };
    const attached: Attached = { loop, connection, uptime, ledger, rules, history: new PriceHistory(), liveness, timers: [], server: null, lastError: null };
    this.#attached = attached;
    loop.on('fill', (fill) => ledger.recordFill(fill, loop.snapshot()));
    this.#trackErrors(attached);
    this.metrics.attach({
      spec,
      snapshot: () => loop.snapshot(),
      standings: () => this.#standings(attached),
      hour: () => uptime.projection(),
      today: () => ledger.today(uptime.projection()),
      health: () => this.#health(attached),
      tokenExpiresAtMs: () => connection.auth.expiresAtMs(),
    }, loop);
    controlHandlers.set('status', () => this.status());
    this.#startTimers(attached);
    if (config.metricsPort !== null) attached.server = await this.#serve(config.metricsPort, attached);
  }

  /** The port the metrics endpoint listens on, once attached (null when METRICS_PORT is unset). */
  metricsPort(): number | null {
    return this.#attached?.server?.port ?? null;
  }

  status(): AccountStatus | null {
    const attached = this.#attached;
    if (!attached) return null;
    const { loop, uptime, ledger, connection } = attached;
    const snapshot = loop.snapshot();
    const hour = uptime.projection();
    return accountStatus({
      account: this.#o.config.accountName,
      spec: connection.exchange.spec,
      snapshot,
      health: assessHealth(snapshot, this.#o.config.timing.marketStaleMs),
      standings: quoteStandings(snapshot, attached.rules),
      hour,
      today: ledger.today(hour),
      lastError: attached.lastError,
    });
  }

  /** Tells systemd the daemon is stopping; the cleanup follows. */
  stopping(): void {
    this.#attached?.liveness.stopping();
  }

  /** Stops every timer and server, saves the uptime count; returns its summary for the stop alert. */
  async stop(): Promise<string | null> {
    const attached = this.#attached;
    if (!attached) {
      this.metrics.close();
      return null;
    }
    this.#attached = null;
    for (const timer of attached.timers.splice(0)) clearInterval(timer);
    attached.liveness.close();
    const summary = await attached.uptime.stop();
    await attached.ledger.flush();
    await attached.server?.close();
    this.metrics.close();
    return summary;
  }

  /** A port taken by something else costs the metrics, not the quoting. */
  async #serve(port: number, attached: Attached): Promise<MetricsServer | null> {
    const { log } = this.#o;
    try {
      const server = await startMetricsServer(port, this.#routes(attached), log);
      log.info({ port: server.port, host: '127.0.0.1' }, 'metrics, /healthz and the status page are served');
      return server;
    } catch (error) {
      log.error({ err: error, port }, 'metrics endpoint not started: quoting goes on without it');
      return null;
    }
  }

  #standings(attached: Attached): QuoteStanding[] {
    return quoteStandings(attached.loop.snapshot(), attached.rules);
  }

  #health(attached: Attached): Health {
    return assessHealth(attached.loop.snapshot(), this.#o.config.timing.marketStaleMs);
  }

  #trackErrors(attached: Attached): void {
    const note = (kind: string, message: string): void => {
      attached.lastError = `${new Date(this.#o.clock.now()).toISOString().slice(11, 19)} ${message}`;
      this.metrics.countError(kind);
    };
    const { loop, connection } = attached;
    loop.on('placingPaused', ({ reason }) => note(`rejected_${reason}`, `quote rejected: ${reason}`));
    loop.on('flattenFailing', ({ attempts }) => note('flatten_failing', `flatten failing after ${attempts} attempts`));
    loop.on('marketStale', ({ lastBookAgeMs }) => note('market_stale', `feed stale (${lastBookAgeMs ?? '?'} ms)`));
    loop.on('fatal', (error) => note('fatal', `fatal: ${error.message}`));
    connection.exchange.on('status', (status) => {
      if (!status.up) note('stream_down', `${status.stream} stream down: ${status.reason ?? 'disconnected'}`);
    });
    connection.exchange.on('lateReject', (reject) => note('late_reject', `late ${reject.action} rejection: ${reject.error.reason}`));
  }

  #startTimers(attached: Attached): void {
    const { loop, history, connection } = attached;
    const sample = (): void => history.record(loop.snapshot(), this.#standings(attached), connection.exchange.spec);
    sample();
    attached.timers.push(setInterval(sample, this.#timing.priceSampleMs).unref());
    attached.timers.push(
      setInterval(() => {
        const status = this.status();
        if (status) this.#o.log.info({ state: status.state, mid: status.mid, bid: status.bid, ask: status.ask, hour: status.hour, position: status.position, today: status.today }, `status ${statusLine(status)}`);
      }, this.#timing.statusLineMs).unref(),
    );
  }

  #routes(attached: Attached): Map<string, HttpRoute> {
    const health = (): ReturnType<HttpRoute> => {
      const result = this.#health(attached);
      const ageText = result.lastBookAgeMs === null ? 'no depth frame yet' : `last depth frame ${result.lastBookAgeMs} ms ago`;
      return text(result.isHealthy ? 200 : 503, `${result.isHealthy ? 'ok' : `unhealthy: ${result.reasons.join('; ')}`}\n${ageText}\n`);
    };
    const page = (): ReturnType<HttpRoute> => {
      const status = this.status();
      if (!status) return text(503, 'starting');
      const hour = attached.uptime.projection();
      const body = renderAccountPage({ status, hour, recentHours: attached.uptime.recentHours(), today: attached.ledger.today(hour), prices: attached.history.points(), nowMs: this.#o.clock.now() });
      return { status: 200, contentType: 'text/html; charset=utf-8', body };
    };
    return new Map<string, HttpRoute>([
      ['/metrics', async () => ({ status: 200, contentType: this.metrics.registry.contentType, body: await this.metrics.registry.metrics() })],
      ['/healthz', health],
      ['/', page],
      ['/status.json', () => ({ status: 200, contentType: 'application/json', body: JSON.stringify(this.status()) })],
    ]);
  }
}
