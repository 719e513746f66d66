// The machine's floor for tick-to-order: the least any daemon does per reaction (parse a depth
// frame, sign one order, write it to a loopback socket read by another process), timed at the
// depth push cadence and, for contrast, back to back. The daemon's figure is judged against it:
// a VM core that idles between pushes runs the same work several times slower than a busy one.

import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SymbolSpec } from '../domain/types.js';
import { encodeNewOrder } from '../exchange/standx/codec.js';
import { encodeRequestFrame } from '../exchange/standx/order-stream.js';
import { createSigner, generateEd25519Seed, signRequest, type SignerBackend } from '../exchange/standx/signing.js';
import { parseFrame } from '../exchange/standx/ws-frames.js';
import { computeFloorFigures, type FloorFigures, type FloorSample } from './figures.js';
import { setSchedulingPolicy } from '../ops/scheduling.js';

const PEER_SCRIPT = new URL('./floor-peer.js', import.meta.url);
const LEVELS_PER_SIDE = 20;
const WARM_UP = 50;
const SPEC: SymbolSpec = { symbol: 'BTC-USD', priceDecimals: 2, qtyDecimals: 4, minOrderLots: 1n, maxOrderLots: 1_000_000n, maxOpenOrders: 100, enabled: true };

export interface FloorOptions {
  readonly backend: SignerBackend;
  readonly pushIntervalMs: number;
  readonly samples: number;
}

export interface FloorOutcome {
  readonly figures: FloorFigures;
  /** The peer ran as a batch task, as the simulator does (scheduling.ts). */
  readonly isPeerBatch: boolean;
}

export async function benchmarkFloor(options: FloorOptions): Promise<FloorOutcome> {
  const peer = fork(PEER_SCRIPT, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const isPeerBatch = await setSchedulingPolicy(peer.pid ?? 0, 'batch', { allTasks: true }).then(
      () => true,
      () => false,
    );
    const port = await new Promise<number>((resolve, reject) => {
      peer.once('message', (message) => resolve((message as { port: number }).port));
      peer.once('error', reject);
      peer.once('exit', (code) => reject(new Error(`floor peer exited with ${code}`)));
    });
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    try {
      const react = reaction(options.backend, socket);
      for (let index = 0; index < WARM_UP; index += 1) react();
      const backToBack = Array.from({ length: options.samples }, () => react());
      const atCadence: FloorSample[] = [];
      for (let index = 0; index < options.samples; index += 1) {
        await sleep(options.pushIntervalMs);
        atCadence.push(react());
      }
      return { figures: computeFloorFigures(options.backend, options.pushIntervalMs, atCadence, backToBack), isPeerBatch };
    } finally {
      socket.destroy();
    }
  } finally {
    peer.kill();
  }
}

/** One reaction, timed in parts: parse the frame, sign and encode one order, write it. */
function reaction(backend: SignerBackend, socket: net.Socket): () => FloorSample {
  const signer = createSigner(generateEd25519Seed(), backend);
  const frame = depthFrameText();
  let sequence = 0;
  return () => {
    sequence += 1;
    const startedAt = performance.now();
    const { values } = parseFrame(frame);
    const parsedAt = performance.now();
    const params = encodeNewOrder(
      { side: 'buy', type: 'limit', timeInForce: 'alo', qtyLots: 100n, priceTicks: 9_992_500n, reduceOnly: false, clOrdId: `floor-${sequence}-${values.length}` },
      SPEC,
    );
    const signed = signRequest(signer, randomUUID(), Date.now(), params);
    const order = encodeRequestFrame('floor', randomUUID(), 'order:new', signed, params);
    const signedAt = performance.now();
    socket.write(order);
    const writtenAt = performance.now();
    return { parseUs: (parsedAt - startedAt) * 1_000, signUs: (signedAt - parsedAt) * 1_000, writeUs: (writtenAt - signedAt) * 1_000 };
  }
}

/** A depth_book push the size of the simulator's (20 levels a side, unsorted as StandX sends them). */
function depthFrameText(): string {
  const level = (index: number, base: number, step: number): [string, string] => [(base + step * index).toFixed(2), (0.1 + index / 100).toFixed(4)];
  const order = Array.from({ length: LEVELS_PER_SIDE }, (_, index) => (index * 7) % LEVELS_PER_SIDE);
  return JSON.stringify({
    seq: 1,
    channel: 'depth_book',
    data: {
      symbol: 'BTC-USD',
      bids: order.map((index) => level(index, 99_997.5, -2.5)),
      asks: order.map((index) => level(index, 100_002.5, 2.5)),
    },
  });
}
