// The simulator verifies request signatures exactly as protocol §3 specifies: the documented golden
// vector (seed 00..1f, fixed request id, timestamp and body) is accepted byte for byte, and a
// one-byte change to the body is refused.

import { Wallet } from 'ethers';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/index.js';
import { decodeJwtPayload, getJson, manualClock, postJson, startQuietSim } from './helpers.js';

const GOLDEN = {
  requestId: 'FAe4sisG95oZ42w7buUn5qEE4TAnfTTFPiguZUHmhiF',
  xRequestId: '00000000-0000-4000-8000-000000000000',
  timestamp: '1700000000000',
  payload: '{"symbol":"BTC-USD","side":"buy","order_type":"limit","qty":"0.0001","price":"65000.00","time_in_force":"alo","reduce_only":false}',
  signature: 'sgb+UKzNrqNDSxM/gui4Aw3xCjC31kYKdBjsBWflBNKIVROf/fTx9T5q7zfHrxv4AQx75d8UQNVsHZICyTvzBQ==',
};

let sim: Simulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('request signature golden vector', () => {
  it('accepts the protocol §3 vector from a session bound to its key and refuses a changed body', async () => {
    sim = await startQuietSim({ clock: manualClock(Number(GOLDEN.timestamp)) });
    const creds = sim.createAccount();
    sim.setPrice('BTC-USD', '65100.00');
    const wallet = new Wallet(creds.walletPrivateKey);
    const prepare = await postJson(`${sim.urls.authBase}/v1/offchain/prepare-signin?chain=bsc`, JSON.stringify({ address: wallet.address, requestId: GOLDEN.requestId }));
    const signedData = (prepare.body as { signedData: string }).signedData;
    const signature = await wallet.signMessage(decodeJwtPayload(signedData).message as string);
    const login = await postJson(`${sim.urls.authBase}/v1/offchain/login?chain=bsc`, JSON.stringify({ signature, signedData }));
    const token = (login.body as { token: string }).token;
    const headers = {
      authorization: `Bearer ${token}`,
      'x-request-sign-version': 'v1',
      'x-request-id': GOLDEN.xRequestId,
      'x-request-timestamp': GOLDEN.timestamp,
      'x-request-signature': GOLDEN.signature,
    };
    const accepted = await postJson(`${sim.urls.apiBase}/api/new_order`, GOLDEN.payload, headers);
    expect(accepted).toEqual({ status: 200, body: { code: 0, message: 'success', request_id: GOLDEN.xRequestId } });
    const open = await getJson(`${sim.urls.apiBase}/api/query_open_orders`, token);
    expect(open.body).toMatchObject({ total: 1, result: [{ price: '65000.00', qty: '0.0001', status: 'open' }] });
    const changed = await postJson(`${sim.urls.apiBase}/api/new_order`, GOLDEN.payload.replace('0.0001', '0.0002'), headers);
    expect(changed.status).toBe(403);
  });
});
