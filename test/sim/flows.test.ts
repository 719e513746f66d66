// The accepted paths end to end: wallet sign-in, signed orders over HTTP and ws-api, pushes, a
// fill on a price move, and REST agreeing with the pushes.

import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/index.js';
import {
  closedAfterEachTest,
  dataOf,
  decodeJwtPayload,
  freshEd25519,
  getJson,
  isFrame,
  isReply,
  limitOrder,
  loggedInApi,
  postJson,
  postSigned,
  privateStream,
  signedEnvelope,
  type Frame,
} from './helpers.js';

const perTest = closedAfterEachTest();
let sim: Simulator | undefined;

describe('simulator happy paths', () => {
  it('signs in with a wallet and binds the token to the new Ed25519 key', async () => {
    sim = await perTest.start();
    const creds = sim.createAccount();
    const key = freshEd25519();
    const prepare = await postJson(`${sim.urls.authBase}/v1/offchain/prepare-signin?chain=bsc`, JSON.stringify({ address: creds.address, requestId: key.requestId }));
    expect(prepare.status).toBe(200);
    const signedData = (prepare.body as Frame).signedData as string;
    const challenge = decodeJwtPayload(signedData);
    expect(challenge.message).toMatch(/^standx\.com wants you to sign in with your Ethereum account:\n0x/);
    expect(challenge.requestId).toBe(key.requestId);
    expect(Number(challenge.exp) - Number(challenge.iat)).toBe(180);
    const signature = await new Wallet(creds.walletPrivateKey).signMessage(challenge.message as string);
    const login = await postJson(`${sim.urls.authBase}/v1/offchain/login?chain=bsc`, JSON.stringify({ signature, signedData, expiresSeconds: 3600 }));
    expect(login.status).toBe(200);
    const body = login.body as Frame;
    expect(body).toMatchObject({ address: creds.address, chain: 'bsc', perpsAlpha: true });
    const token = body.token as string;
    expect(decodeJwtPayload(token)).toMatchObject({ requestId: key.requestId });

    const newKeyCreds = { ...creds, accessToken: token, ed25519PrivateKey: key.seedBase58 };
    const accepted = await postSigned(sim, newKeyCreds, '/api/new_order', limitOrder('buy', '99000.00'));
    expect(accepted.body).toMatchObject({ code: 0, message: 'success' });
    const oldKey = await postSigned(sim, { ...creds, accessToken: token }, '/api/new_order', limitOrder('buy', '99000.00'));
    expect(oldKey.status).toBe(403);
  });

  it('refuses a login whose wallet signature does not recover the address', async () => {
    sim = await perTest.start();
    const creds = sim.createAccount();
    const key = freshEd25519();
    const prepare = await postJson(`${sim.urls.authBase}/v1/offchain/prepare-signin?chain=bsc`, JSON.stringify({ address: creds.address, requestId: key.requestId }));
    const signedData = (prepare.body as Frame).signedData as string;
    const message = decodeJwtPayload(signedData).message as string;
    const signature = await Wallet.createRandom().signMessage(message);
    const login = await postJson(`${sim.urls.authBase}/v1/offchain/login?chain=bsc`, JSON.stringify({ signature, signedData }));
    expect(login.status).toBe(401);
  });

  it('places over HTTP and ws-api, fills on a price move, and REST agrees with the pushes', async () => {
    sim = await perTest.start();
    const creds = sim.createAccount();
    const stream = await privateStream(sim, creds);
    const api = await loggedInApi(sim, creds);
    perTest.track(stream, api);

    const http = await postSigned(sim, creds, '/api/new_order', limitOrder('buy', '99990.00', '0.0100', { cl_ord_id: 'bid-1' }));
    expect(http).toMatchObject({ status: 200, body: { code: 0, message: 'success' } });
    const opened = await stream.next((f) => isFrame('order')(f) && dataOf(f as Frame).cl_ord_id === 'bid-1' && dataOf(f as Frame).status === 'open');
    expect(dataOf(opened)).toMatchObject({ side: 'buy', price: '99990.00', qty: '0.0100', fill_qty: '0.0000', order_type: 'limit', time_in_force: 'alo' });

    const ask = signedEnvelope(creds, 'order:new', limitOrder('sell', '100010.00', '0.0100', { cl_ord_id: 'ask-1' }));
    api.send(ask);
    expect(await api.next(isReply(ask.request_id))).toMatchObject({ code: 0, message: 'success' });
    await stream.next((f) => isFrame('order')(f) && dataOf(f as Frame).cl_ord_id === 'ask-1' && dataOf(f as Frame).status === 'open');
    expect(sim.openOrders(creds.address, 'BTC-USD')).toHaveLength(2);

    sim.setPrice('BTC-USD', '99900.00');
    const filled = await stream.next((f) => isFrame('order')(f) && dataOf(f as Frame).cl_ord_id === 'bid-1' && dataOf(f as Frame).status === 'filled');
    expect(dataOf(filled)).toMatchObject({ fill_qty: '0.0100', fill_avg_price: '99990' });
    const position = await stream.next(isFrame('position'));
    expect(dataOf(position)).toMatchObject({ symbol: 'BTC-USD', qty: '0.0100', entry_price: '99990' });
    const trade = await stream.next(isFrame('trade'));
    expect(dataOf(trade)).toMatchObject({ price: '99990.00', qty: '0.0100', side: 'buy' });

    const positions = await getJson(`${sim.urls.apiBase}/api/query_positions?symbol=BTC-USD`, creds.accessToken);
    expect(positions.body).toEqual([expect.objectContaining({ qty: '0.0100', entry_price: '99990', realized_pnl: '0' })]);
    expect(sim.position(creds.address, 'BTC-USD').qty).toBe('0.0100');
    const open = await getJson(`${sim.urls.apiBase}/api/query_open_orders?symbol=BTC-USD`, creds.accessToken);
    expect(open.body).toMatchObject({ total: 1, result: [expect.objectContaining({ cl_ord_id: 'ask-1', status: 'open' })] });
    // Maker fee 1 bp of 999.90 notional.
    const balance = await getJson(`${sim.urls.apiBase}/api/query_balance`, creds.accessToken);
    expect(balance.body).toMatchObject({ balance: '99999.90001' });
    const pushedBalance = await stream.next((f) => isFrame('balance')(f) && dataOf(f as Frame).total === '99999.90001');
    expect(dataOf(pushedBalance)).toMatchObject({ token: 'DUSD', account_type: 'perps' });
  });

  it('routes HTTP order results to the ws-api connection named by x-session-id', async () => {
    sim = await perTest.start();
    const creds = sim.createAccount();
    const api = await loggedInApi(sim, creds, 'my-session');
    perTest.track(api);
    const extraHeaders = { 'x-session-id': 'my-session' };
    await postSigned(sim, creds, '/api/new_order', limitOrder('buy', '99000.00'), { requestId: 'http-ok', extraHeaders });
    expect(await api.next(isReply('http-ok'))).toEqual({ code: 0, message: 'success', request_id: 'http-ok' });
    const crossing = await postSigned(sim, creds, '/api/new_order', limitOrder('buy', '100100.00'), { requestId: 'http-alo', extraHeaders });
    expect(crossing.body).toEqual({ code: 0, message: 'success', request_id: 'http-alo' });
    expect(await api.next(isReply('http-alo'))).toEqual({ code: 400, message: 'alo order rejected', request_id: 'http-alo' });
  });
});
