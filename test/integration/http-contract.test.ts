// The StandX HTTP client and both auth schemes against the simulator over loopback sockets: every
// client method, and the simulator's refusals mapped to the error classes.

import { Wallet } from 'ethers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SymbolSpec } from '../../src/domain/types.js';
import { AuthError, ClockSkewError, ExchangeRejectError, TransientError } from '../../src/errors.js';
import { createAuthSession, type AuthSession } from '../../src/exchange/standx/auth.js';
import { encodeCancel, encodeCancelMany, encodeNewOrder, toBook, toSymbolSpec } from '../../src/exchange/standx/codec.js';
import type { StandXEndpoints } from '../../src/exchange/standx/endpoints.js';
import { StandXHttpClient } from '../../src/exchange/standx/http.js';
import { startSimulator, type SimAccountCredentials, type Simulator } from '../../src/sim/index.js';

const SYMBOL = 'BTC-USD';

let sim: Simulator;
const sessions: AuthSession[] = [];

beforeEach(async () => {
  sim = await startSimulator({ seed: 7, pushIntervalMs: 0, autoRun: false });
});
afterEach(async () => {
  for (const session of sessions.splice(0)) session.stop();
  await sim.close();
});

function endpoints(): StandXEndpoints {
  const { urls } = sim;
  return { apiBase: urls.apiBase, authBase: urls.authBase, geoBase: urls.geoBase, wsStreamUrl: urls.wsStream, wsApiUrl: urls.wsApi };
}

function anonymous(): StandXHttpClient {
  return new StandXHttpClient({ endpoints: endpoints(), readAttempts: 3, readBackoff: { baseMs: 1, maxMs: 5 } });
}

async function tokenClient(account: SimAccountCredentials): Promise<{ http: StandXHttpClient; session: AuthSession }> {
  const session = createAuthSession({ scheme: 'token', ed25519PrivateKey: account.ed25519PrivateKey, accessToken: account.accessToken });
  sessions.push(session);
  await session.start();
  return { http: anonymous().withAuth(session), session };
}

async function specAndBestBid(http: StandXHttpClient): Promise<{ spec: SymbolSpec; bestBidTicks: bigint }> {
  const [info] = await http.querySymbolInfo(SYMBOL);
  if (!info) throw new Error('no symbol info');
  const spec = toSymbolSpec(info);
  const book = toBook(await http.queryDepthBook(SYMBOL), spec, 0);
  const bestBid = book?.bids[0];
  if (!bestBid) throw new Error('no usable book');
  return { spec, bestBidTicks: bestBid.priceTicks };
}

function restingBid(spec: SymbolSpec, priceTicks: bigint, clOrdId: string): string {
  return encodeNewOrder({ side: 'buy', type: 'limit', timeInForce: 'alo', qtyLots: spec.minOrderLots, priceTicks, reduceOnly: false, clOrdId }, spec);
}

describe('public endpoints', () => {
  it('lists symbols, prices, depth and the server time', async () => {
    const http = anonymous();
    const all = await http.querySymbolInfo();
    expect(all.map((info) => info.symbol)).toEqual(expect.arrayContaining(['BTC-USD', 'ETH-USD']));
    const [btc] = await http.querySymbolInfo(SYMBOL);
    expect(btc).toMatchObject({ symbol: SYMBOL, price_tick_decimals: 2, enabled: true });
    expect((await http.querySymbolPrice(SYMBOL)).mark_price).toMatch(/^\d+(\.\d+)?$/);
    const depth = await http.queryDepthBook(SYMBOL);
    expect(depth.bids.length).toBeGreaterThan(0);
    expect(depth.asks.length).toBeGreaterThan(0);
    const before = Date.now();
    const serverMs = await http.serverTimeMs();
    expect(Math.abs(serverMs - before)).toBeLessThan(5_000);
  });
});

describe('token scheme', () => {
  it('reads the balance and an empty position list of a funded account', async () => {
    const { http } = await tokenClient(sim.createAccount({ balance: '25000' }));
    const balance = await http.queryBalance();
    expect(Number(balance.balance)).toBe(25_000);
    expect(await http.queryPositions(SYMBOL)).toEqual([]);
    expect(await http.queryOpenOrders(SYMBOL)).toEqual([]);
  });

  it('places, lists and cancels orders with signed requests', async () => {
    const account = sim.createAccount();
    const { http } = await tokenClient(account);
    const { spec, bestBidTicks } = await specAndBestBid(http);

    const ack = await http.newOrder(restingBid(spec, bestBidTicks - 10n, 'it-1'), { sessionId: 'itest-session' });
    expect(ack.code).toBe(0);
    await http.newOrder(restingBid(spec, bestBidTicks - 11n, 'it-2'));
    await http.newOrder(restingBid(spec, bestBidTicks - 12n, 'it-3'));
    const open = await http.queryOpenOrders(SYMBOL);
    expect(open.map((order) => order.cl_ord_id).sort()).toEqual(['it-1', 'it-2', 'it-3']);
    expect(sim.openOrders(account.address, SYMBOL)).toHaveLength(3);

    expect((await http.cancelOrder(encodeCancel({ clOrdId: 'it-1' }))).code).toBe(0);
    const byId = open.find((order) => order.cl_ord_id === 'it-2')?.id ?? -1;
    await http.cancelOrders(encodeCancelMany([{ orderId: byId }, { clOrdId: 'it-3' }]));
    expect(await http.queryOpenOrders(SYMBOL)).toEqual([]);
  });

  it('turns a rejected order into ExchangeRejectError', async () => {
    const { http } = await tokenClient(sim.createAccount());
    const { spec, bestBidTicks } = await specAndBestBid(http);
    sim.faults.rejectNextOrders(1, 400, 'insufficient margin');
    await expect(http.newOrder(restingBid(spec, bestBidTicks - 10n, 'it-r'))).rejects.toMatchObject({
      name: 'ExchangeRejectError',
      exchangeCode: 400,
      exchangeMessage: 'insufficient margin',
    });
  });

  it('reports a skewed clock as ClockSkewError', async () => {
    const { http } = await tokenClient(sim.createAccount());
    const { spec, bestBidTicks } = await specAndBestBid(http);
    sim.faults.skewClockMs(10 * 60_000);
    await expect(http.newOrder(restingBid(spec, bestBidTicks - 10n, 'it-s'))).rejects.toBeInstanceOf(ClockSkewError);
  });

  it('reports an expired token as AuthError', async () => {
    const account = sim.createAccount();
    const { http } = await tokenClient(account);
    sim.faults.expireToken(account.accessToken);
    await expect(http.queryBalance()).rejects.toBeInstanceOf(AuthError);
  });

  it('retries reads through injected 500s and never retries a write', async () => {
    const { http } = await tokenClient(sim.createAccount());
    const { spec, bestBidTicks } = await specAndBestBid(http);
    sim.faults.httpErrors(500, 2, '/api/query_positions');
    await expect(http.queryPositions(SYMBOL)).resolves.toEqual([]);
    sim.faults.httpErrors(429, 1, '/api/new_order');
    await expect(http.newOrder(restingBid(spec, bestBidTicks - 10n, 'it-t'))).rejects.toMatchObject({ name: 'TransientError', status: 429 });
    expect(await http.queryOpenOrders(SYMBOL)).toEqual([]);
  });

  it('rejects a request signed with another key', async () => {
    const account = sim.createAccount();
    const other = sim.createAccount();
    const { session } = await tokenClient(other);
    const http = anonymous().withAuth({ token: () => account.accessToken, signer: session.signer });
    await expect(http.cancelOrder(encodeCancel({ clOrdId: 'nothing' }))).rejects.toBeInstanceOf(ExchangeRejectError);
  });
});

describe('wallet scheme', () => {
  it('signs in with the wallet key and trades under the new token', async () => {
    const account = sim.createAccount();
    const session = createAuthSession({ scheme: 'wallet', walletPrivateKey: account.walletPrivateKey }, { signin: anonymous() });
    sessions.push(session);
    await session.start();
    expect(session.expiresAtMs()).toBeGreaterThan(Date.now());
    const http = anonymous().withAuth(session);
    const { spec, bestBidTicks } = await specAndBestBid(http);
    await http.newOrder(restingBid(spec, bestBidTicks - 10n, 'it-w'));
    expect(sim.openOrders(account.address, SYMBOL).map((order) => order.cl_ord_id)).toEqual(['it-w']);
  });

  it('reads an unfunded account as a zero balance', async () => {
    const session = createAuthSession({ scheme: 'wallet', walletPrivateKey: Wallet.createRandom().privateKey }, { signin: anonymous() });
    sessions.push(session);
    await session.start();
    expect(await anonymous().withAuth(session).queryBalance()).toMatchObject({ balance: '0', equity: '0' });
  });

  it('surfaces a refused sign-in as AuthError and a dead host as TransientError', async () => {
    const refused = createAuthSession(
      { scheme: 'wallet', walletPrivateKey: Wallet.createRandom().privateKey },
      { signin: anonymous(), retryBackoff: { baseMs: 1, maxMs: 5 } },
    );
    sessions.push(refused);
    sim.faults.httpErrors(500, 10, '/v1/offchain/login');
    await expect(refused.start()).rejects.toBeInstanceOf(TransientError);
    sim.faults.reset();
    const signin = new StandXHttpClient({ endpoints: { ...endpoints(), authBase: `${sim.urls.apiBase}/api` } });
    const misrouted = createAuthSession({ scheme: 'wallet', walletPrivateKey: Wallet.createRandom().privateKey }, { signin });
    sessions.push(misrouted);
    await expect(misrouted.start()).rejects.toBeInstanceOf(AuthError);
  });
});
