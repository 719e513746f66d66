// The market/account stream endpoint ws-stream/v1 (protocol §5): public depth_book/price
// subscriptions, token auth for the private order/position/balance/trade channels, and the fan-out
// of engine events as `{seq, channel, symbol?, data}` pushes.

import type { WebSocket } from 'ws';
import type { AccountStore } from './accounts.js';
import type { TokenSession } from './auth-service.js';
import type { SimEvent } from './events.js';
import type { FaultState } from './faults.js';
import type { Gateway } from './gateway.js';
import type { SymbolEntry } from './ledger.js';
import { SimSocket, type SimSocketDeps } from './sim-socket.js';
import type { MalformedVariant } from './types.js';
import { malformedStreamFrame } from './malformed-frames.js';
import { depthLevels, depthView, orderView, positionView, priceView, tradeView, walletBalanceView } from './views.js';

export interface StreamDeps {
  readonly gateway: Gateway;
  readonly symbols: ReadonlyMap<string, SymbolEntry>;
  readonly accounts: AccountStore;
  readonly faults: FaultState;
  readonly serverNowMs: () => number;
}

const PUBLIC_CHANNELS = new Set(['depth_book', 'price', 'public_trade']);
const PRIVATE_CHANNELS = new Set(['order', 'position', 'balance', 'trade']);

class StreamSession {
  readonly socket: SimSocket;
  readonly subscriptions = new Set<string>();
  auth: TokenSession | null = null;
  #seq = 0;

  constructor(socket: SimSocket) {
    this.socket = socket;
  }

  /** Protocol §10.5: seq scope is undocumented; here it counts every push on this connection. */
  push(channel: string, data: unknown, symbol?: string): void {
    const seq = this.nextSeq();
    this.socket.sendJson(symbol === undefined ? { seq, channel, data } : { seq, channel, symbol, data });
  }

  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  /** The symbol of the first book this connection subscribed to, if any. */
  bookSymbol(): string | undefined {
    for (const subscription of this.subscriptions) {
      const [channel, symbol] = subscription.split('|');
      if (channel === 'depth_book' && symbol) return symbol;
    }
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function key(channel: string, symbol?: string): string {
  return `${channel}|${symbol ?? ''}`;
}

export class StreamEndpoint {
  readonly #deps: StreamDeps;
  readonly #sessions = new Set<StreamSession>();
  /** Addresses whose private pushes are being dropped (fault fillOrder with `silent`). */
  readonly #withheld = new Set<string>();
  #balanceVersion = 0;

  constructor(deps: StreamDeps) {
    this.#deps = deps;
  }

  accept(ws: WebSocket, socketDeps: SimSocketDeps): SimSocket {
    let session: StreamSession | undefined;
    const socket = new SimSocket(
      ws,
      socketDeps,
      (text) => session && this.#handle(session, text),
      () => session && this.#sessions.delete(session),
    );
    session = new StreamSession(socket);
    this.#sessions.add(session);
    return socket;
  }

  sockets(): SimSocket[] {
    return [...this.#sessions].map((session) => session.socket);
  }

  sendMalformed(variant: MalformedVariant): void {
    const fallback = this.#deps.symbols.keys().next().value;
    for (const session of this.#sessions) {
      const entry = this.#deps.symbols.get(session.bookSymbol() ?? fallback ?? '');
      if (!entry) continue;
      const sample = { symbol: entry.spec.symbol, ...depthLevels(entry), nextSeq: () => session.nextSeq() };
      session.socket.send(malformedStreamFrame(variant, sample));
    }
  }

  /** Runs `action` with every private push to `address` dropped, as if lost on the way. */
  withholdPushes<T>(address: string, action: () => T): T {
    const key = address.toLowerCase();
    this.#withheld.add(key);
    try {
      return action();
    } finally {
      this.#withheld.delete(key);
    }
  }

  /** Ends every authenticated session whose token is no longer accepted (expired or revoked). */
  revalidate(): void {
    for (const session of this.#sessions) this.#stillAuthorised(session);
  }

  onEvent(event: SimEvent): void {
    switch (event.kind) {
      case 'market':
        return this.#pushMarket('depth_book', event.symbol);
      case 'mark':
        return this.#pushMarket('price', event.symbol);
      case 'order': {
        const spec = this.#deps.symbols.get(event.order.symbol)?.spec;
        if (spec) this.#pushPrivate(event.order.address, 'order', orderView(event.order, spec), event.order.symbol);
        return;
      }
      case 'position':
        return this.#pushPosition(event.address, event.symbol);
      case 'balance':
        return this.#pushBalance(event.address);
      case 'trade': {
        const spec = this.#deps.symbols.get(event.trade.symbol)?.spec;
        if (spec) this.#pushPrivate(event.trade.address, 'trade', tradeView(event.trade, spec), event.trade.symbol);
        return;
      }
      case 'session-result':
        return;
    }
  }

  #handle(session: StreamSession, text: string): void {
    let message: Record<string, unknown> | null;
    try {
      message = record(JSON.parse(text));
    } catch {
      message = null;
    }
    const subscribe = record(message?.subscribe);
    const unsubscribe = record(message?.unsubscribe);
    const auth = record(message?.auth);
    if (subscribe) this.#subscribe(session, subscribe);
    else if (unsubscribe) {
      const symbol = typeof unsubscribe.symbol === 'string' ? unsubscribe.symbol : undefined;
      session.subscriptions.delete(key(String(unsubscribe.channel), symbol));
    }
    else if (auth) this.#authenticate(session, auth);
    else session.push('error', { code: 400, msg: 'invalid request' });
  }

  #subscribe(session: StreamSession, request: Record<string, unknown>): void {
    const { channel, symbol } = request;
    if (typeof channel === 'string' && PRIVATE_CHANNELS.has(channel)) {
      // Protocol §5: private channels need auth; the refusal's shape is undocumented [I].
      if (!session.auth) return session.push('error', { code: 401, msg: `auth required for channel ${channel}` });
      session.subscriptions.add(key(channel));
      return;
    }
    if (typeof channel !== 'string' || !PUBLIC_CHANNELS.has(channel)) return session.push('error', { code: 400, msg: 'unknown channel' });
    if (typeof symbol !== 'string' || !this.#deps.symbols.has(symbol)) return session.push('error', { code: 400, msg: 'unknown symbol' });
    session.subscriptions.add(key(channel, symbol));
    // Protocol §10.5 [I]: a snapshot right away, so a subscriber has a book without waiting a tick.
    this.#pushMarketTo(session, channel, symbol);
  }

  #authenticate(session: StreamSession, request: Record<string, unknown>): void {
    const outcome = this.#deps.gateway.authenticate(typeof request.token === 'string' ? request.token : undefined);
    if (!outcome.ok) return session.push('auth', { code: 401, msg: outcome.message });
    session.auth = outcome.value;
    session.push('auth', { code: 200, msg: 'success' });
    const streams = Array.isArray(request.streams) ? request.streams : [];
    for (const stream of streams) {
      const channel = record(stream)?.channel;
      if (typeof channel === 'string' && PRIVATE_CHANNELS.has(channel)) session.subscriptions.add(key(channel));
    }
  }

  #stillAuthorised(session: StreamSession): boolean {
    if (!session.auth) return false;
    const outcome = this.#deps.gateway.authenticate(session.auth.token);
    if (outcome.ok) return true;
    // Protocol §8/§10.3 [I]: an expired token is announced on the auth channel, then the socket closes.
    session.auth = null;
    session.push('auth', { code: 401, msg: outcome.message });
    session.socket.close(1008, outcome.message);
    return false;
  }

  #pushMarket(channel: 'depth_book' | 'price', symbol: string): void {
    for (const session of this.#sessions) {
      if (session.subscriptions.has(key(channel, symbol))) this.#pushMarketTo(session, channel, symbol);
    }
  }

  #pushMarketTo(session: StreamSession, channel: string, symbol: string): void {
    const entry = this.#deps.symbols.get(symbol);
    if (!entry) return;
    if (channel === 'depth_book' && !this.#deps.faults.depthFrozen) session.push('depth_book', depthView(entry), symbol);
    if (channel === 'price') session.push('price', priceView(entry, this.#deps.serverNowMs()), symbol);
  }

  #pushPrivate(address: string, channel: string, data: unknown, symbol?: string): void {
    if (this.#withheld.has(address)) return;
    for (const session of this.#sessions) {
      if (session.auth?.address !== address || !session.subscriptions.has(key(channel))) continue;
      if (this.#stillAuthorised(session)) session.push(channel, data, symbol);
    }
  }

  #pushPosition(address: string, symbol: string): void {
    const account = this.#deps.accounts.get(address);
    const position = account?.positions.get(symbol);
    const entry = this.#deps.symbols.get(symbol);
    if (!account || !position || !entry) return;
    this.#pushPrivate(address, 'position', positionView(account, position, entry, this.#deps.serverNowMs()), symbol);
  }

  #pushBalance(address: string): void {
    const account = this.#deps.accounts.get(address);
    if (!account) return;
    this.#balanceVersion += 1;
    this.#pushPrivate(address, 'balance', walletBalanceView(account, this.#deps.symbols, this.#balanceVersion));
  }
}
