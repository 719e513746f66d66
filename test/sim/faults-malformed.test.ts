// Malformed input for fuzzing clients, as it arrives on each socket: two JSON objects in one frame,
// a 2 MiB frame, an unknown channel, numbers for decimal strings, missing fields, `data` as an array.

import { describe, expect, it } from 'vitest';
import type { MalformedVariant, Simulator } from '../../src/sim/index.js';
import { closedAfterEachTest, dataOf, isFrame, TestSocket, type Frame } from './helpers.js';

const perTest = closedAfterEachTest();
const HUGE_BYTES = 2 * 1024 * 1024;

type Level = [string, string];

async function subscribedStream(sim: Simulator): Promise<{ stream: TestSocket; book: Frame }> {
  const stream = await TestSocket.open(sim.urls.wsStream);
  perTest.track(stream);
  stream.send({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } });
  return { stream, book: await stream.next(isFrame('depth_book')) };
}

/** The exact text of the next frame the socket receives; call before triggering it. */
function nextRaw(socket: TestSocket): Promise<string> {
  return new Promise((resolve) => socket.ws.once('message', (data: Buffer) => resolve(data.toString('utf8'))));
}

function bestOf(levels: Level[], side: 'bids' | 'asks'): number {
  const prices = levels.map(([price]) => Number(price));
  return side === 'bids' ? Math.max(...prices) : Math.min(...prices);
}

describe('malformed stream frames', () => {
  it('concatenated: two whole depth_book pushes of the real book in one frame, seq in step', async () => {
    const sim = await perTest.start();
    const { stream, book } = await subscribedStream(sim);
    const next = nextRaw(stream);
    sim.faults.sendMalformedFrame('stream', 'concatenated');
    const raw = await next;
    expect(() => JSON.parse(raw) as unknown).toThrow();
    const cut = raw.indexOf('}{') + 1;
    const parts = [raw.slice(0, cut), raw.slice(cut)].map((text) => JSON.parse(text) as Frame);
    expect(parts.map((part) => [part.channel, part.seq])).toEqual([
      ['depth_book', (book.seq as number) + 1],
      ['depth_book', (book.seq as number) + 2],
    ]);
    expect(parts[0]?.data).toEqual(book.data);
  });

  it('huge: a depth_book of at least 2 MiB whose top of book is the real one', async () => {
    const sim = await perTest.start();
    const { stream, book } = await subscribedStream(sim);
    const next = nextRaw(stream);
    sim.faults.sendMalformedFrame('stream', 'huge');
    const raw = await next;
    expect(raw.length).toBeGreaterThanOrEqual(HUGE_BYTES);
    const data = dataOf(JSON.parse(raw) as Frame);
    const real = dataOf(book);
    expect(bestOf(data.bids as Level[], 'bids')).toBe(bestOf(real.bids as Level[], 'bids'));
    expect(bestOf(data.asks as Level[], 'asks')).toBe(bestOf(real.asks as Level[], 'asks'));
  });

  it.each<[MalformedVariant, (frame: Frame) => boolean]>([
    ['unknown-channel', (frame) => frame.channel === 'announcement'],
    ['numbers-for-strings', (frame) => frame.channel === 'depth_book' && typeof (dataOf(frame).bids as unknown[][])[0]?.[0] === 'number'],
    ['missing-fields', (frame) => frame.channel === 'depth_book' && !('bids' in dataOf(frame)) && !('asks' in dataOf(frame))],
    ['data-array', (frame) => frame.channel === 'depth_book' && Array.isArray(frame.data)],
  ])('%s', async (variant, isExpected) => {
    const sim = await perTest.start();
    const { stream } = await subscribedStream(sim);
    const next = nextRaw(stream);
    sim.faults.sendMalformedFrame('stream', variant);
    expect(isExpected(JSON.parse(await next) as Frame)).toBe(true);
  });

  it('numbers-for-strings carries the real levels digit for digit', async () => {
    const sim = await perTest.start();
    const { stream, book } = await subscribedStream(sim);
    const next = nextRaw(stream);
    sim.faults.sendMalformedFrame('stream', 'numbers-for-strings');
    const raw = await next;
    const firstBid = (dataOf(book).bids as Level[])[0];
    expect(raw).toContain(`[${firstBid?.[0] ?? ''},${firstBid?.[1] ?? ''}]`);
  });
});

describe('malformed ws-api frames', () => {
  it.each<[MalformedVariant, (raw: string) => boolean]>([
    ['concatenated', (raw) => raw.split('}{').length === 2 && raw.includes('"request_id":"unsolicited-1"')],
    ['huge', (raw) => raw.length >= HUGE_BYTES && (JSON.parse(raw) as Frame).code === 0],
    ['unknown-channel', (raw) => (JSON.parse(raw) as Frame).channel === 'announcement'],
    ['numbers-for-strings', (raw) => typeof (JSON.parse(raw) as Frame).request_id === 'number' && typeof (JSON.parse(raw) as Frame).message === 'number'],
    ['missing-fields', (raw) => !('code' in (JSON.parse(raw) as Frame)) && !('request_id' in (JSON.parse(raw) as Frame))],
    ['data-array', (raw) => Array.isArray((JSON.parse(raw) as Frame).data)],
  ])('%s', async (variant, isExpected) => {
    const sim = await perTest.start();
    const api = await TestSocket.open(sim.urls.wsApi);
    perTest.track(api);
    const next = nextRaw(api);
    sim.faults.sendMalformedFrame('api', variant);
    expect(isExpected(await next)).toBe(true);
  });
});
