// Public types of the StandX-compatible simulator. Other folders code against these shapes
// (re-exported by ./index.ts); add fields, never change them.

import type { Clock } from '../ops/clock.js';
import type { RegimeName } from './regimes.js';

export interface SimSymbolConfig {
  symbol: string;
  priceTickDecimals: number;
  qtyTickDecimals: number;
  minOrderQty: string;
  maxOrderQty: string;
  maxOpenOrders: number;
  startPrice: string;
  /** Standard deviation of one step of the random walk, in bps. */
  volatilityBps: number;
  /** Probability of a jump per step. */
  jumpProbability: number;
  /** Size of a jump, in bps. */
  jumpBps: number;
  /** Distance between the best bid and the best ask of the synthetic book. */
  spreadTicks: number;
  /** Depth levels per side. */
  levels: number;
  enabled: boolean;
  makerFee: string;
  takerFee: string;
  defaultLeverage: number;
  /** Distance between consecutive synthetic levels (default: max(1, spreadTicks / 4)). */
  levelStepTicks?: number;
  /** Half-width of the uniform noise of the mark price around the fair price, in bps (default 0.5). */
  markNoiseBps?: number;
  /** Reported max_leverage (default 20). */
  maxLeverage?: number;
  /** Size per side the maker-uptime ledger credits (default minOrderQty). */
  uptimeMinQty?: string;
}

export interface SimulatorOptions {
  host?: string;
  port?: number;
  seed?: number;
  symbols?: readonly SimSymbolConfig[];
  /**
   * 0 disables every timer (pushes then follow step()/setPrice()). Otherwise: the legacy regime's
   * step and push cadence; in a live-like regime the re-push cadence while paused or without autoRun
   * (with autoRun the regime sets the depth and mark cadences).
   */
  pushIntervalMs?: number;
  /** Run the price process on the clock (default true); false = tests call step(). */
  autoRun?: boolean;
  /** One-way latency added to every inbound request and every outbound frame/response, order preserved. */
  latencyMs?: number;
  /** Accepted |server time - x-request-timestamp| (protocol §10.1: unknown upstream). */
  signatureWindowMs?: number;
  /** The longest token lifetime granted (login may ask for less); StandX grants 7 days by default. */
  tokenTtlSeconds?: number;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  maxConnectionAgeMs?: number;
  /** Wall and monotonic time (default: the system clock). */
  clock?: Clock;
  /**
   * The market's behaviour (src/sim/regimes.ts), default 'standard' (BTC as measured live). Live-like
   * regimes publish the mark every ~3 s and update the book at their own cadence while autoRun is on;
   * the per-step volatilityBps / jump* / markNoiseBps of the symbols then apply to 'legacy' only.
   */
  regime?: RegimeName;
}

export interface SimAccountCredentials {
  address: string;
  walletPrivateKey: string;
  ed25519PrivateKey: string;
  accessToken: string;
}

/** The REST order object (protocol §4), also the `order` push payload. */
export interface SimOrderView {
  id: number;
  cl_ord_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  order_type: 'limit' | 'market';
  time_in_force: 'gtc' | 'ioc' | 'alo';
  price: string | null;
  qty: string;
  fill_qty: string;
  fill_avg_price: string;
  status: 'new' | 'open' | 'filled' | 'canceled' | 'rejected';
  reduce_only: boolean;
  leverage: string;
  margin: string;
  avail_locked: string;
  position_id: number;
  liq_id: number;
  closed_block: number;
  created_block: number;
  payload: null;
  remark: string;
  source: string;
  user: string;
  created_at: string;
  updated_at: string;
}

/** The REST position object (protocol §4), also the `position` push payload. qty is signed. */
export interface SimPositionView {
  id: number;
  symbol: string;
  qty: string;
  entry_price: string;
  entry_value: string;
  leverage: string;
  margin_mode: 'cross' | 'isolated';
  margin_asset: string;
  status: 'open' | 'closed';
  upnl: string;
  realized_pnl: string;
  mark_price: string;
  liq_price: string;
  bankruptcy_price: string;
  holding_margin: string;
  initial_margin: string;
  maint_margin: string;
  mmr: string;
  position_value: string;
  time: string;
  created_at: string;
  updated_at: string;
  user: string;
}

export interface SimStats {
  ordersReceived: number;
  ordersAccepted: number;
  ordersRejected: number;
  cancelsReceived: number;
  fills: number;
  wsMessagesIn: number;
  wsMessagesOut: number;
  httpRequests: number;
  /** Currently open WebSocket connections. */
  connections: number;
  connectionsTotal: number;
}

export type SocketKind = 'stream' | 'api' | 'all';
/**
 * Malformed input for fuzzing clients: invalid JSON, a wrong shape, two JSON objects in one frame,
 * a 2 MiB frame, an unknown channel, numbers where decimal strings belong, missing fields, and
 * `data` as an array (protocol §5: RIT parses the last three defensively).
 */
export type MalformedVariant =
  | 'invalid-json'
  | 'wrong-shape'
  | 'concatenated'
  | 'huge'
  | 'unknown-channel'
  | 'numbers-for-strings'
  | 'missing-fields'
  | 'data-array';

/** Which resting order a forced fill takes: the oldest open one matching every given field. */
export interface OrderSelector {
  side?: 'buy' | 'sell';
  clOrdId?: string;
}

export interface FillOptions {
  /** Decimal quantity to fill (default: all that remains); capped at what remains. */
  qty?: string;
  /** Withhold the order, trade, position and balance pushes of this fill: only REST reveals it. */
  silent?: boolean;
}

export interface SimFill {
  orderId: number;
  clOrdId: string;
  side: 'buy' | 'sell';
  price: string;
  qty: string;
  status: 'open' | 'filled';
}

export interface SimFaults {
  dropConnections(kind: SocketKind): void;
  silence(kind: SocketKind, on: boolean): void;
  stopPings(on: boolean): void;
  /** Stop answering client pings (alias of stopAnsweringPings, as briefed). */
  ignorePongs(on: boolean): void;
  stopAnsweringPings(on: boolean): void;
  /** Treat client pongs as never received, so the §5 pong timeout closes the socket with 408. */
  disregardPongs(on: boolean): void;
  delayAcks(ms: number): void;
  loseAcks(n: number): void;
  rejectNextOrders(n: number, code: number, message: string): void;
  sendMalformedFrame(kind: SocketKind, variant?: MalformedVariant): void;
  duplicateReplies(n: number): void;
  expireToken(tokenOrAddress: string): void;
  freezeDepth(on: boolean): void;
  skewClockMs(ms: number): void;
  httpErrors(status: 429 | 500, n: number, pathPrefix?: string): void;
  restLagMs(ms: number): void;
  /** silence under its name: no data either way, no server pings, client pings unanswered. */
  halfOpen(kind: SocketKind, on: boolean): void;
  /** Data frames are lost both ways while pings and pongs still flow (a hung server behind a live socket). */
  stallData(kind: SocketKind, on: boolean): void;
  /** Fills a resting own order at its price as maker, as if the market traded it; null if none matches. */
  fillOrder(address: string, selector: OrderSelector, options?: FillOptions): SimFill | null;
  /** Drops every socket; for downtimeMs new WS upgrades and HTTP requests get 503. Orders stay and match. */
  restart(downtimeMs: number): void;
  /** The next n cancels of a live order find it filled just before they arrive (protocol §6 second frame). */
  fillBeforeCancel(n: number): void;
  /** The next n ALO orders are acknowledged (code 0, "accepted") and rejected delayMs later. */
  lateRejectAlo(n: number, delayMs: number): void;
  /** Every matching HTTP request answers 429 or 500 for durationMs. */
  httpErrorsFor(status: 429 | 500, durationMs: number, pathPrefix?: string): void;
  reset(): void;
}

export interface UptimeBand {
  minBps: number;
  maxBps: number;
  markBandBps: number;
  /** Credited size per side (default: the symbol's minimum order size). */
  minQty?: string;
  /** Rested credit counts a quote only this long after it started resting (default 500). */
  minRestMs?: number;
}

export interface UptimeReport {
  elapsedMs: number;
  twoSidedInBandMs: number;
  twoSidedMarkMs: number;
  /** Completed gaps only: a side still out of band at report time is not listed. */
  requoteGapsMs: number[];
}

/** One own quote from resting (`open`) to its end. */
export interface QuoteLife {
  side: 'buy' | 'sell';
  restedMs: number;
  endedBy: 'canceled' | 'filled';
}

/** One own fill with the book mid and published mark when it happened (decimal strings). */
export interface MeterFill {
  side: 'buy' | 'sell';
  price: string;
  qty: string;
  mid: string;
  mark: string;
  isMaker: boolean;
  atMonoMs: number;
  /** Signed distance from the mid in bps, positive when worse than the mid (paid above, sold below). */
  costBps: number;
}

/** What StandX's uptime programme would credit, and the order flow behind it (monotonic ms). */
export interface MakerUptimeReport extends UptimeReport {
  /** Both sides within markBandBps of the published mark, each at or above the minimum size. */
  creditedMs: number;
  /** The same, counting a quote only once it has rested minRestMs. */
  creditedRestedMs: number;
  /** Per side: no own resting order at all. */
  emptySideMs: { buy: number; sell: number };
  twoSidedEmptyMs: number;
  /** Quotes that ended during the window (one still resting at report time is not listed). */
  quoteLives: QuoteLife[];
  /** Own orders the engine accepted (rejections are not placements). */
  ordersPlaced: number;
  /** Own orders that ended cancelled, for any reason (user, IOC remainder, reduce-only left over). */
  ordersCanceled: number;
  /** Own orders that ended wholly filled. */
  ordersFilled: number;
  fills: MeterFill[];
}

/** One UTC hour of GET /api/maker/uptime (shape inferred from peers' code; see maker-uptime-tiers.ts). */
export interface MakerUptimeHour {
  hour: string;
  tier: 'tier_a' | 'tier_b' | 'tier_c' | 'tier_d';
  eligible_hour: boolean;
  x70: boolean;
  x50: boolean;
  credited_seconds: number;
}

export interface MakerUptimeHours {
  hours: MakerUptimeHour[];
  total_eligible_hours: number;
}

export interface UptimeMeter {
  report(): MakerUptimeReport;
  /** Detach from the simulator's events; report() keeps the totals up to this moment. */
  stop(): void;
}

export interface SimUrls {
  apiBase: string;
  authBase: string;
  geoBase: string;
  wsStream: string;
  wsApi: string;
  admin: string;
}

export interface Simulator {
  readonly urls: SimUrls;
  readonly regime: RegimeName;
  createAccount(options?: { balance?: string }): SimAccountCredentials;
  /** Book, index, last trade and a published mark exactly at `price`, pushed at once. */
  setPrice(symbol: string, price: string): void;
  /** Every symbol's next depth update (live-like regimes: with the mark publications due before it). */
  step(): void;
  pause(): void;
  resume(): void;
  openOrders(address: string, symbol?: string): SimOrderView[];
  position(address: string, symbol: string): SimPositionView;
  stats(): SimStats;
  readonly faults: SimFaults;
  meter(address: string, symbol: string, band: UptimeBand): UptimeMeter;
  /** What GET /api/maker/uptime answers this account (one symbol, or the best symbol of each hour). */
  makerUptime(address: string, symbol?: string): MakerUptimeHours;
  close(): Promise<void>;
}
