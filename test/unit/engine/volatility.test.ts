import { describe, expect, it } from 'vitest';
import { parseBps } from '../../../src/domain/bps.js';
import { MoveVolatility } from '../../../src/engine/volatility.js';

const options = { weight: 0.1, warmupMoves: 4, clipRms: 4 };

/** Prices that move by `bps` basis points at every look, alternating up and down. */
function feed(volatility: MoveVolatility, looks: number, bps: number, from = 100_000): void {
  let price = from;
  for (let look = 0; look < looks; look += 1) {
    volatility.observe(price);
    price = look % 2 === 0 ? price * (1 + bps / 10_000) : price / (1 + bps / 10_000);
  }
}

describe('MoveVolatility', () => {
  it('is unknown until warmed up, then the RMS move per look', () => {
    const volatility = new MoveVolatility(options);
    const up = 100_000 * (1 + 0.2 / 10_000);
    for (const price of [100_000, up, 100_000, up]) volatility.observe(price);
    expect(volatility.rmsBps()).toBeNull();
    expect(volatility.marginBps(2)).toBeNull();
    volatility.observe(100_000);
    expect(volatility.rmsBps()).toBeCloseTo(0.2, 4);
    expect(volatility.marginBps(2)).toBe(parseBps('0.4'));
  });

  it('counts looks without a move as moves of zero', () => {
    const volatility = new MoveVolatility(options);
    for (let look = 0; look < 11; look += 1) volatility.observe(look % 2 === 0 ? 100_000 : 100_002);
    const moving = volatility.rmsBps() ?? 0;
    for (let look = 0; look < 40; look += 1) volatility.observe(100_002);
    expect(volatility.rmsBps()).toBeLessThan(moving / 5);
  });

  it('follows a change of regime at the configured weight', () => {
    const volatility = new MoveVolatility(options);
    feed(volatility, 30, 0.2);
    feed(volatility, 60, 0.8);
    expect(volatility.rmsBps()).toBeGreaterThan(0.75);
  });

  it('clips a jump once warm, so one jump does not blow up the margin', () => {
    const volatility = new MoveVolatility(options);
    feed(volatility, 30, 0.2);
    volatility.observe(100_000 * 1.001);
    // Clipped to 4 RMS (0.8 bps): the mean square rises by 0.1·(0.64 − 0.04) → RMS ≈ 0.3162.
    expect(volatility.rmsBps()).toBeCloseTo(Math.sqrt(0.04 + 0.1 * (0.64 - 0.04)), 3);
  });

  it('does not count the move across a break in the data', () => {
    const volatility = new MoveVolatility(options);
    feed(volatility, 30, 0.2);
    const before = volatility.rmsBps();
    volatility.breakSequence();
    volatility.observe(150_000);
    expect(volatility.rmsBps()).toBe(before);
    volatility.observe(150_000);
    expect(volatility.rmsBps()).toBeLessThan(before ?? 0);
  });

  it('ignores prices that are not positive and finite', () => {
    const volatility = new MoveVolatility(options);
    feed(volatility, 10, 0.2);
    const before = volatility.rmsBps();
    for (const price of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) volatility.observe(price);
    expect(volatility.rmsBps()).toBe(before);
  });
});
