import { describe, expect, it } from 'vitest';
import { moneyFromDecimal } from '../../../src/domain/money.js';
import type { TickPrice } from '../../../src/domain/price.js';
import { FillAccounting, STANDX_FEE_RATES, type FillInput } from '../../../src/engine/fill-accounting.js';

const SPEC = { priceDecimals: 2, qtyDecimals: 4 };
const tp = (price: string): TickPrice => ({ num: BigInt(Math.round(Number(price) * 100)), den: 1n });

function fill({ at, mid, ...over }: Pick<FillInput, 'side' | 'purpose' | 'lots'> & { at: string; mid?: string }): FillInput {
  return {
    atMs: 1_000,
    clOrdId: `${over.purpose}-${over.side}`,
    price: moneyFromDecimal(at),
    mid: mid === undefined ? null : tp(mid),
    mark: null,
    quoteAgeMs: 2_500,
    ...over,
  };
}

describe('FillAccounting', () => {
  it('books a quote fill as maker at 1 bp with no realized P&L', () => {
    const books = new FillAccounting(SPEC, STANDX_FEE_RATES);
    const record = books.record(fill({ side: 'buy', purpose: 'quote', lots: 100n, at: '99925', mid: '100000' }));
    expect(record).toMatchObject({ liquidity: 'maker', price: '99925.00', notional: '999.25', fee: '0.099925', realizedPnl: null, mid: '100000.00', quoteAgeMs: 2_500 });
    expect(record.slippage).toBeUndefined();
  });

  it('books the flatten of a filled bid: taker fee, realized P&L, slippage against the mid at the quote fill', () => {
    const books = new FillAccounting(SPEC, STANDX_FEE_RATES);
    books.record(fill({ side: 'buy', purpose: 'quote', lots: 100n, at: '99925', mid: '100000' }));
    const flatten = books.record(fill({ side: 'sell', purpose: 'flatten', lots: 100n, at: '99890', mid: '99895' }));
    // Sold 100 lots (0.01) at 99 890 against an entry of 99 925: −0.35; the mid was 100 000: 1.10 = 11 bps.
    expect(flatten).toMatchObject({ liquidity: 'taker', fee: '0.39956', realizedPnl: '-0.35', slippage: '1.10', slippageBps: '11.00' });
  });

  it('measures a short flattened above its reference mid as a cost', () => {
    const books = new FillAccounting(SPEC, STANDX_FEE_RATES);
    books.record(fill({ side: 'sell', purpose: 'quote', lots: 100n, at: '100075', mid: '100000' }));
    const flatten = books.record(fill({ side: 'buy', purpose: 'flatten', lots: 100n, at: '100020' }));
    expect(flatten).toMatchObject({ realizedPnl: '0.55', slippage: '0.20', slippageBps: '2.00' });
  });

  it('splits a flatten in two parts pro rata', () => {
    const books = new FillAccounting(SPEC, STANDX_FEE_RATES);
    books.record(fill({ side: 'buy', purpose: 'quote', lots: 100n, at: '99900', mid: '100000' }));
    const first = books.record(fill({ side: 'sell', purpose: 'flatten', lots: 40n, at: '99950' }));
    const second = books.record(fill({ side: 'sell', purpose: 'flatten', lots: 60n, at: '99850' }));
    expect([first.realizedPnl, first.slippage, second.realizedPnl, second.slippage]).toEqual(['0.20', '0.20', '-0.30', '0.90']);
  });

  it('lets the opposite quote close the position without a slippage line', () => {
    const books = new FillAccounting(SPEC, STANDX_FEE_RATES);
    books.record(fill({ side: 'buy', purpose: 'quote', lots: 100n, at: '99925', mid: '100000' }));
    const ask = books.record(fill({ side: 'sell', purpose: 'quote', lots: 100n, at: '100075', mid: '100000' }));
    expect(ask).toMatchObject({ realizedPnl: '1.50', liquidity: 'maker' });
    expect(ask.slippage).toBeUndefined();
  });

  it('opens the other way with what a quote fill leaves after closing', () => {
    const books = new FillAccounting(SPEC, STANDX_FEE_RATES);
    books.record(fill({ side: 'buy', purpose: 'quote', lots: 50n, at: '100000', mid: '100000' }));
    books.record(fill({ side: 'sell', purpose: 'quote', lots: 150n, at: '100100', mid: '100000' }));
    const flatten = books.record(fill({ side: 'buy', purpose: 'flatten', lots: 100n, at: '100050' }));
    expect(flatten).toMatchObject({ realizedPnl: '0.50', slippage: '-0.50' });
  });

  it('records a flatten of a position it never saw open with unknown P&L', () => {
    const books = new FillAccounting(SPEC, STANDX_FEE_RATES);
    const flatten = books.record(fill({ side: 'sell', purpose: 'flatten', lots: 100n, at: '99890' }));
    expect(flatten.realizedPnl).toBeNull();
    expect(flatten.slippage).toBeUndefined();
    expect(flatten.fee).toBe('0.39956');
  });
});
