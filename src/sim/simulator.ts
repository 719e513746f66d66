// Composition of the simulator: markets, accounts, engine, auth, faults, HTTP routes and the two
// WS endpoints on one loopback port, plus the in-process control surface (the Simulator interface).

import bs58 from 'bs58';
import { Wallet } from 'ethers';
import { parseUnits } from '../domain/decimal.js';
import { seededRandom } from '../domain/random.js';
import { AccountStore, openOrdersOf } from './accounts.js';
import { AuthService } from './auth-service.js';
import { resolveOptions, type ResolvedOptions } from './defaults.js';
import { Engine } from './engine.js';
import { EventHub } from './events.js';
import { FaultState } from './faults.js';
import { forceFill } from './forced-fills.js';
import { Gateway } from './gateway.js';
import { adminRoutes } from './http-admin.js';
import { privateRoutes } from './http-private.js';
import { publicRoutes } from './http-public.js';
import { deriveBytes, ed25519PublicKeyOf } from './keys.js';
import type { SymbolEntry } from './ledger.js';
import type { Route } from './http-server.js';
import { listen, WS_API_PATH, WS_STREAM_PATH, type Listener } from './listener.js';
import { makerUptimeRoutes } from './http-maker-uptime.js';
import { CreditLedger, DEFAULT_UPTIME_MARK_BAND_BPS } from './maker-uptime-ledger.js';
import { uptimeBody } from './maker-uptime-tiers.js';
import { SymbolMarket } from './market.js';
import { MarketRunner } from './market-runner.js';
import { parseMoney } from './money.js';
import { PositionHistory } from './position-history.js';
import type { EndpointKind, SimSocket, SimSocketDeps } from './sim-socket.js';
import { createStats, type StatsCounters } from './stats.js';
import { toSymbolSpec } from './symbol-spec.js';
import type { RegimeName } from './regimes.js';
import type { MakerUptimeHours, SimAccountCredentials, SimOrderView, SimPositionView, SimStats, Simulator, SimulatorOptions, SimUrls, UptimeBand, UptimeMeter } from './types.js';
import { createUptimeMeter } from './uptime-meter.js';
import { flatPosition, orderView, positionView } from './views.js';
import { ApiEndpoint } from './ws-api.js';
import { StreamEndpoint } from './ws-stream.js';

/** Distinct, fixed offsets keep each seeded stream independent of the others' consumption. */
const SEED_OFFSET = { engine: 0, auth: 1_000_003, symbols: 2_000_003 } as const;

interface Core {
  readonly options: ResolvedOptions;
  readonly symbols: Map<string, SymbolEntry>;
  readonly accounts: AccountStore;
  readonly events: EventHub;
  readonly stats: StatsCounters;
  readonly faults: FaultState;
  readonly auth: AuthService;
  readonly engine: Engine;
  readonly gateway: Gateway;
  readonly stream: StreamEndpoint;
  readonly api: ApiEndpoint;
  readonly ledger: CreditLedger;
  readonly positionHistory: PositionHistory;
  /** Set once the port is open: a restart resets its idle HTTP connections. */
  readonly transport: { listener?: Listener };
  readonly serverNowMs: () => number;
  readonly monoNowMs: () => number;
}

function buildSymbols(options: ResolvedOptions): Map<string, SymbolEntry> {
  const symbols = new Map<string, SymbolEntry>();
  options.symbols.forEach((config, index) => {
    const spec = toSymbolSpec(config);
    const random = seededRandom(options.seed + SEED_OFFSET.symbols + index * 7919);
    symbols.set(spec.symbol, { spec, market: new SymbolMarket(spec, random) });
  });
  return symbols;
}

function buildCore(options: ResolvedOptions): Core {
  const { clock, seed } = options;
  const symbols = buildSymbols(options);
  const accounts = new AccountStore();
  const events = new EventHub();
  const stats = createStats();
  const endpoints: { stream?: StreamEndpoint; api?: ApiEndpoint } = {};
  const transport: Core['transport'] = {};
  const socketsOf = (kind: string): SimSocket[] => [
    ...(kind !== 'api' ? (endpoints.stream?.sockets() ?? []) : []),
    ...(kind !== 'stream' ? (endpoints.api?.sockets() ?? []) : []),
  ];
  const monoNowMs = (): number => clock.monotonic();
  const withholdPushes = <T>(address: string, fill: () => T): T => (endpoints.stream ? endpoints.stream.withholdPushes(address, fill) : fill());
  const faults: FaultState = new FaultState({
    dropConnections: (kind) => socketsOf(kind).forEach((socket) => socket.terminate()),
    disconnectEverything: () => {
      socketsOf('all').forEach((socket) => socket.terminate());
      transport.listener?.closeIdleConnections();
    },
    fillOrder: (address, selector, fillOptions) => forceFill({ accounts, symbols, engine, withholdPushes }, address, selector, fillOptions),
    sendMalformedFrame: (kind, variant) => {
      if (kind !== 'api') endpoints.stream?.sendMalformed(variant);
      if (kind !== 'stream') endpoints.api?.sendMalformed(variant);
    },
    expireToken: (tokenOrAddress) => {
      auth.revoke(tokenOrAddress);
      endpoints.stream?.revalidate();
      endpoints.api?.revalidate();
    },
  }, monoNowMs);
  const serverNowMs = (): number => clock.now() + faults.clockSkewMs;
  const auth = new AuthService({ secret: deriveBytes(seed, 'jwt-secret', 0), serverNowMs, random: seededRandom(seed + SEED_OFFSET.auth), tokenTtlSeconds: options.tokenTtlSeconds });
  const engine = new Engine({ symbols, accounts, events, stats, random: seededRandom(seed + SEED_OFFSET.engine), serverNowMs, monoNowMs });
  const gateway = new Gateway({ auth, engine, accounts, symbols, faults, stats, signatureWindowMs: options.signatureWindowMs, serverNowMs });
  const stream = new StreamEndpoint({ gateway, symbols, accounts, faults, serverNowMs });
  const api = new ApiEndpoint({ gateway, faults });
  endpoints.stream = stream;
  endpoints.api = api;
  const positionHistory = new PositionHistory();
  events.on((event) => {
    if (event.kind === 'position') {
      const position = accounts.get(event.address)?.positions.get(event.symbol);
      if (position) positionHistory.record(event.address, position, monoNowMs());
    }
    stream.onEvent(event);
    api.onEvent(event);
  });
  const ledger = new CreditLedger({ events, accounts, symbols, serverNowMs, markBandBps: DEFAULT_UPTIME_MARK_BAND_BPS });
  return { options, symbols, accounts, events, stats, faults, auth, engine, gateway, stream, api, ledger, positionHistory, transport, serverNowMs, monoNowMs };
}

function entryOf(core: Core, symbol: string): SymbolEntry {
  const entry = core.symbols.get(symbol);
  if (!entry) throw new RangeError(`unknown symbol ${symbol}`);
  return entry;
}

function openOrderViews(core: Core, address: string, symbol?: string): SimOrderView[] {
  const account = core.accounts.get(address);
  if (!account) return [];
  return openOrdersOf(account, symbol).map((order) => orderView(order, entryOf(core, order.symbol).spec));
}

function positionOf(core: Core, address: string, symbol: string): SimPositionView {
  const entry = entryOf(core, symbol);
  const account = core.accounts.getOrCreate(address);
  const now = core.serverNowMs();
  return positionView(account, account.positions.get(symbol) ?? flatPosition(symbol, now), entry, now);
}

class LoopbackSimulator implements Simulator {
  readonly urls: SimUrls;
  readonly faults: FaultState;
  readonly #core: Core;
  readonly #listener: Listener;
  readonly #runner: MarketRunner;
  #accountsCreated = 0;

  constructor(core: Core, listener: Listener) {
    this.#core = core;
    this.#listener = listener;
    this.faults = core.faults;
    const http = `http://${core.options.host}:${listener.port}`;
    const ws = `ws://${core.options.host}:${listener.port}`;
    this.urls = { apiBase: http, authBase: http, geoBase: http, wsStream: `${ws}${WS_STREAM_PATH}`, wsApi: `${ws}${WS_API_PATH}`, admin: `${http}/admin` };
    const { pushIntervalMs, autoRun, regime, seed, clock } = core.options;
    this.#runner = new MarketRunner({
      symbols: core.symbols,
      regime,
      seed,
      clock,
      pushIntervalMs,
      autoRun,
      emit: (kind, symbol) => core.events.emit({ kind, symbol }),
      matchResting: (symbol) => core.engine.matchResting(symbol),
    });
    this.#runner.start();
  }

  get regime(): RegimeName {
    return this.#core.options.regime;
  }

  createAccount(options: { balance?: string } = {}): SimAccountCredentials {
    const { seed, tokenTtlSeconds } = this.#core.options;
    const index = this.#accountsCreated++;
    const walletPrivateKey = `0x${deriveBytes(seed, 'wallet', index).toString('hex')}`;
    const edSeed = deriveBytes(seed, 'ed25519', index);
    const requestId = bs58.encode(ed25519PublicKeyOf(edSeed));
    const address = new Wallet(walletPrivateKey).address;
    this.#core.accounts.getOrCreate(address).balanceMoney = parseMoney(options.balance ?? '100000');
    const accessToken = this.#core.auth.issueToken(address, requestId, tokenTtlSeconds);
    return { address, walletPrivateKey, ed25519PrivateKey: bs58.encode(edSeed), accessToken };
  }

  setPrice(symbol: string, price: string): void {
    const entry = entryOf(this.#core, symbol);
    this.#runner.setPrice(symbol, parseUnits(price, entry.spec.priceDecimals));
  }

  step(): void {
    this.#runner.step();
  }

  pause(): void {
    this.#runner.pause();
  }

  resume(): void {
    this.#runner.resume();
  }

  openOrders(address: string, symbol?: string): SimOrderView[] {
    return openOrderViews(this.#core, address, symbol);
  }

  position(address: string, symbol: string): SimPositionView {
    return positionOf(this.#core, address, symbol);
  }

  stats(): SimStats {
    return { ...this.#core.stats };
  }

  meter(address: string, symbol: string, band: UptimeBand): UptimeMeter {
    const { events, accounts, monoNowMs } = this.#core;
    return createUptimeMeter({ events, accounts, entry: entryOf(this.#core, symbol), address, band, monoNowMs });
  }

  makerUptime(address: string, symbol?: string): MakerUptimeHours {
    if (symbol !== undefined) entryOf(this.#core, symbol);
    return uptimeBody(this.#core.ledger.creditByHour(address, symbol));
  }

  async close(): Promise<void> {
    this.#runner.close();
    this.#core.faults.dispose();
    await this.#listener.close();
  }
}

function socketDeps(core: Core, kind: EndpointKind): SimSocketDeps {
  const { latencyMs, pingIntervalMs, pongTimeoutMs, maxConnectionAgeMs } = core.options;
  return { kind, timings: { latencyMs, pingIntervalMs, pongTimeoutMs, maxConnectionAgeMs }, faults: core.faults, stats: core.stats, monoNowMs: core.monoNowMs };
}

function routesOf(core: Core): Map<string, Route> {
  const { auth, symbols, accounts, faults, events, gateway, ledger, positionHistory, serverNowMs, monoNowMs } = core;
  return new Map([
    ...publicRoutes({ auth, symbols, serverNowMs, startedAtMs: core.options.clock.now() }),
    ...privateRoutes({ gateway, accounts, symbols, faults, events, positionHistory, serverNowMs, monoNowMs }),
    ...makerUptimeRoutes({ gateway, ledger, symbols }),
    ...adminRoutes({
      faults,
      openOrders: (address, symbol) => openOrderViews(core, address, symbol),
      position: (address, symbol) => positionOf(core, address, symbol),
      stats: () => ({ ...core.stats }),
    }),
  ]);
}

/** Starts the simulator on host:port (default 127.0.0.1:0) and resolves once it accepts connections. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const core = buildCore(resolveOptions(options));
  const { clock, latencyMs, host, port } = core.options;
  const listener = await listen(
    {
      http: { routes: routesOf(core), faults: core.faults, stats: core.stats, latencyMs, sleep: (ms) => clock.sleep(ms) },
      stats: core.stats,
      accept: (kind, ws) => (kind === 'stream' ? core.stream : core.api).accept(ws, socketDeps(core, kind)),
    },
    host,
    port,
  );
  core.transport.listener = listener;
  return new LoopbackSimulator(core, listener);
}
