import { afterEach, expect, it } from 'vitest';
import { startHarness, type Harness } from './daemon-harness.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

it('smoke', async () => {
  h = await startHarness();
  const q = await h.waitForTwoSided();
  console.log(q.bid.price, q.ask.price, h.daemon.loop?.stats);
  const code = await h.stop();
  expect(code).toBe(0);
  expect(h.ownOpenOrders()).toEqual([]);
  console.log(h.logs.lines.map(l => `${l.level} ${l.msg}`).join('\n'));
});
