// Signing micro-benchmark: the per-order cost of signRequest (message building, Ed25519, base64)
// with each backend, on an order-sized payload, timed one signature at a time.

import { performance } from 'node:perf_hooks';
import { createSigner, generateEd25519Seed, signRequest, type SignerBackend } from '../exchange/standx/signing.js';
import { computeSigningFigures, type SigningFigures } from './figures.js';

const PAYLOAD = JSON.stringify({
  symbol: 'BTC-USD',
  side: 'buy',
  order_type: 'limit',
  qty: '0.0100',
  price: '99925.00',
  time_in_force: 'alo',
  reduce_only: false,
  cl_ord_id: 'smm-b-1712345678901-42',
});
const REQUEST_UUID = '6f1c2a4e-8d3b-4e5f-9a7c-1b2d3e4f5a6b';
const WARM_UP = 200;

export function benchmarkSigner(backend: SignerBackend, iterations: number): SigningFigures {
  const signer = createSigner(generateEd25519Seed(), backend);
  const timestampMs = 1_712_345_678_901;
  for (let index = 0; index < WARM_UP; index += 1) signRequest(signer, REQUEST_UUID, timestampMs + index, PAYLOAD);
  const samples = new Array<number>(iterations);
  const startedAt = performance.now();
  for (let index = 0; index < iterations; index += 1) {
    const before = performance.now();
    signRequest(signer, REQUEST_UUID, timestampMs + index, PAYLOAD);
    samples[index] = (performance.now() - before) * 1_000;
  }
  return computeSigningFigures(backend, samples, performance.now() - startedAt);
}
