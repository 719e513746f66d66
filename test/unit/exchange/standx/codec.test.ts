import { describe, expect, it } from 'vitest';
import { DecimalFormatError } from '../../../../src/domain/decimal.js';
import type { NewOrderRequest, OrderState, SymbolSpec } from '../../../../src/domain/types.js';
import { ProtocolError } from '../../../../src/errors.js';
import {
  ackWire,
  balanceWire,
  depthBookWire,
  encodeCancel,
  encodeCancelMany,
  encodeNewOrder,
  flatPosition,
  orderWire,
  parseWire,
  positionWire,
  streamAuthWire,
  streamPushWire,
  symbolInfoListWire,
  symbolInfoWire,
  symbolPriceWire,
  toBalance,
  toBook,
  toMarkPrice,
  toOrder,
  toOrderState,
  toPosition,
  toSymbolSpec,
} from '../../../../src/exchange/standx/codec.js';

/** BTC-USD as the docs show it: 2 price decimals (tick 0.01), 3 qty decimals (lot 0.001). */
const SPEC: SymbolSpec = {
  symbol: 'BTC-USD',
  priceDecimals: 2,
  qtyDecimals: 3,
  minOrderLots: 1n,
  maxOrderLots: 100_000n,
  maxOpenOrders: 100,
  enabled: true,
};

/** The order object of the docs' query_open_orders example (protocol §4). */
const DOCS_ORDER = {
  id: 1820682,
  cl_ord_id: '01K2BK4ZKQE0C308SRD39P8N9Z',
  symbol: 'BTC-USD',
  side: 'buy',
  order_type: 'limit',
  time_in_force: 'alo',
  price: '121900.00',
  qty: '0.060',
  fill_qty: '0',
  fill_avg_price: '0',
  status: 'new',
  reduce_only: false,
  leverage: '10',
  margin: '0',
  avail_locked: '3.07188',
  position_id: 15,
  liq_id: 0,
  closed_block: -1,
  created_block: -1,
  payload: null,
  remark: '',
  source: 'user',
  user: 'bsc_0x0',
  created_at: '2025-08-11T03:35:25.559151Z',
  updated_at: '2025-08-11T03:35:25.559151Z',
};

function order(fields: Record<string, unknown>): ReturnType<typeof toOrder> {
  return toOrder(parseWire(orderWire, { ...DOCS_ORDER, ...fields }, 'order'), SPEC);
}

describe('symbol info', () => {
  const info = {
    symbol: 'BTC-USD',
    base_asset: 'BTC',
    quote_asset: 'DUSD',
    base_decimals: 9,
    quote_decimals: 9,
    price_tick_decimals: 2,
    qty_tick_decimals: 3,
    min_order_qty: '0.001',
    max_order_qty: '100',
    max_open_orders: '100',
    max_position_size: '1000',
    maker_fee: '0.0001',
    taker_fee: '0.0004',
    enabled: true,
  };

  it('turns the documented answer into ticks, lots, limits and fee rates', () => {
    expect(toSymbolSpec(parseWire(symbolInfoWire, info, 'symbol info'))).toEqual({ ...SPEC, makerFeeRate: '0.0001', takerFeeRate: '0.0004' });
  });

  it('leaves the fee rates out when the answer has none', () => {
    const { maker_fee: _maker, taker_fee: _taker, ...withoutFees } = info;
    expect(toSymbolSpec(parseWire(symbolInfoWire, withoutFees, 'symbol info'))).toEqual(SPEC);
  });

  it('reads a list of every symbol', () => {
    const list = parseWire(symbolInfoListWire, [info, { ...info, symbol: 'ETH-USD', qty_tick_decimals: 2 }], 'symbol list');
    expect(list.map((wire) => toSymbolSpec(wire).symbol)).toEqual(['BTC-USD', 'ETH-USD']);
  });

  it.each<[string, string, string, bigint, bigint]>([
    ['on the grid', '0.001', '100', 1n, 100_000n],
    ['a minimum below one lot is one lot', '0.0001', '100', 1n, 100_000n],
    ['an off-grid minimum rounds up, an off-grid maximum down', '0.0015', '99.9999', 2n, 99_999n],
  ])('order size limits %s', (_label, min, max, minLots, maxLots) => {
    const spec = toSymbolSpec(parseWire(symbolInfoWire, { ...info, min_order_qty: min, max_order_qty: max }, 'symbol info'));
    expect([spec.minOrderLots, spec.maxOrderLots]).toEqual([minLots, maxLots]);
  });

  it.each<[unknown, number]>([
    ['100', 100],
    [100, 100],
  ])('accepts max_open_orders as %j', (value, count) => {
    expect(parseWire(symbolInfoWire, { ...info, max_open_orders: value }, 'symbol info').max_open_orders).toBe(count);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a numeric min_order_qty', { min_order_qty: 0.001 }],
    ['a fractional max_open_orders', { max_open_orders: '1.5' }],
    ['missing tick decimals', { price_tick_decimals: undefined }],
    ['negative tick decimals', { qty_tick_decimals: -1 }],
    ['a decimal in exponent form', { max_order_qty: '1e2' }],
  ])('refuses %s as a ProtocolError', (_label, fields) => {
    expect(() => parseWire(symbolInfoWire, { ...info, ...fields }, 'symbol info')).toThrow(ProtocolError);
  });
});

describe('depth book', () => {
  function book(bids: string[][], asks: string[][]): ReturnType<typeof toBook> {
    return toBook(parseWire(depthBookWire, { symbol: 'BTC-USD', bids, asks }, 'depth'), SPEC, 1_000);
  }

  it('sorts unsorted levels: bids best (highest) first, asks best (lowest) first', () => {
    const sorted = book(
      [['121884.22', '0.001'], ['121890.00', '0.500'], ['121880.10', '1.000']],
      [['121899.99', '0.200'], ['121895.81', '0.843'], ['121896.02', '0.839']],
    );
    expect(sorted).toEqual({
      symbol: 'BTC-USD',
      receivedAtMs: 1_000,
      bids: [
        { priceTicks: 12_189_000n, qtyLots: 500n },
        { priceTicks: 12_188_422n, qtyLots: 1n },
        { priceTicks: 12_188_010n, qtyLots: 1_000n },
      ],
      asks: [
        { priceTicks: 12_189_581n, qtyLots: 843n },
        { priceTicks: 12_189_602n, qtyLots: 839n },
        { priceTicks: 12_189_999n, qtyLots: 200n },
      ],
    });
  });

  it('rounds off-grid prices away from the mid: bids down, asks up', () => {
    const rounded = book([['100.005', '1']], [['100.015', '1']]);
    expect(rounded?.bids[0]?.priceTicks).toBe(10_000n);
    expect(rounded?.asks[0]?.priceTicks).toBe(10_002n);
  });

  it('drops empty levels and sizes below one lot', () => {
    const thinned = book([['100.00', '0'], ['99.00', '0.0009'], ['98.00', '0.0019']], [['101.00', '0.000'], ['102.00', '2']]);
    expect(thinned?.bids).toEqual([{ priceTicks: 9_800n, qtyLots: 1n }]);
    expect(thinned?.asks).toEqual([{ priceTicks: 10_200n, qtyLots: 2_000n }]);
  });

  it('accepts levels with extra entries after price and size', () => {
    const parsed = parseWire(depthBookWire, { symbol: 'BTC-USD', bids: [['100.00', '1', 3]], asks: [['101.00', '1', 'x']], depth: 5 }, 'depth');
    expect(toBook(parsed, SPEC, 0)?.bids).toEqual([{ priceTicks: 10_000n, qtyLots: 1_000n }]);
  });

  it.each<[string, string[][], string[][]]>([
    ['crossed', [['101.00', '1']], [['100.00', '1']]],
    ['locked (best bid = best ask)', [['100.00', '1']], [['100.00', '1']]],
    ['without bids', [], [['100.00', '1']]],
    ['without asks', [['100.00', '1']], []],
    ['empty', [], []],
    ['with only empty levels on one side', [['99.00', '0']], [['100.00', '1']]],
  ])('has no usable mid when %s', (_label, bids, asks) => {
    expect(book(bids, asks)).toBeNull();
  });

  it('refuses a level that is not a decimal string', () => {
    expect(() => book([['abc', '1']], [['100.00', '1']])).toThrow(DecimalFormatError);
    expect(() => parseWire(depthBookWire, { symbol: 'BTC-USD', bids: [[100, '1']], asks: [] }, 'depth')).toThrow(ProtocolError);
    expect(() => parseWire(depthBookWire, { symbol: 'BTC-USD', bids: [['100.00']], asks: [] }, 'depth')).toThrow(ProtocolError);
  });
});

describe('mark price', () => {
  const price = { base: 'BTC', quote: 'DUSD', symbol: 'BTC-USD', index_price: '121890.00', last_price: null, mid_price: null, time: 't' };

  it.each<[string, bigint, bigint]>([
    ['121893.29', 12_189_329n, 1n],
    ['121893.295', 121_893_295n, 10n],
    ['121893.2', 12_189_320n, 1n],
  ])('reads %j exactly, in ticks', (mark, num, den) => {
    expect(toMarkPrice(parseWire(symbolPriceWire, { ...price, mark_price: mark }, 'price'), SPEC, 7)).toEqual({
      symbol: 'BTC-USD',
      mark: { num, den },
      receivedAtMs: 7,
    });
  });

  it.each([null, undefined])('has no mark when mark_price is %j', (mark) => {
    expect(toMarkPrice(parseWire(symbolPriceWire, { ...price, mark_price: mark }, 'price'), SPEC, 7)).toBeNull();
  });

  it('refuses a mark that is not positive', () => {
    expect(() => toMarkPrice(parseWire(symbolPriceWire, { ...price, mark_price: '0' }, 'price'), SPEC, 7)).toThrow(DecimalFormatError);
  });

  it('refuses a price given as a JSON number', () => {
    expect(() => parseWire(symbolPriceWire, { ...price, mark_price: 121893.29 }, 'price')).toThrow(ProtocolError);
  });
});

describe('orders', () => {
  it('reads the documented order object', () => {
    expect(order({})).toEqual({
      id: 1820682,
      clOrdId: '01K2BK4ZKQE0C308SRD39P8N9Z',
      symbol: 'BTC-USD',
      side: 'buy',
      type: 'limit',
      timeInForce: 'alo',
      priceTicks: 12_190_000n,
      qtyLots: 60n,
      filledLots: 0n,
      reduceOnly: false,
      state: 'live',
      rawStatus: 'new',
    });
  });

  it('reads the documented filled market push: no price, filled size, the exact average fill price', () => {
    const filled = order({ id: 2547027, order_type: 'market', time_in_force: 'ioc', price: '121245.21', qty: '1.000', fill_qty: '1.000', fill_avg_price: '121245.2134', status: 'filled', reduce_only: true });
    expect(filled).toMatchObject({ id: 2547027, type: 'market', timeInForce: 'ioc', priceTicks: null, qtyLots: 1_000n, filledLots: 1_000n, reduceOnly: true, state: 'filled', avgFillPrice: '121245.2134' });
  });

  it.each<[string, unknown]>([
    ['"0" before any fill', '0'],
    ['"0.00"', '0.00'],
    ['null', null],
    ['missing', undefined],
  ])('has no average fill price when fill_avg_price is %s', (_label, value) => {
    expect(order({ fill_avg_price: value }).avgFillPrice).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a null cl_ord_id as empty', { cl_ord_id: null }, { clOrdId: '' }],
    ['a missing cl_ord_id as empty', { cl_ord_id: undefined }, { clOrdId: '' }],
    ['a null price as none', { price: null }, { priceTicks: null }],
    ['a zero price as none', { price: '0' }, { priceTicks: null }],
    ['a null fill_qty as nothing filled', { fill_qty: null }, { filledLots: 0n }],
    ['a partial fill', { fill_qty: '0.025' }, { filledLots: 25n }],
    ['a missing reduce_only as false', { reduce_only: undefined }, { reduceOnly: false }],
    ['an unknown time_in_force as gtc', { time_in_force: 'fok' }, { timeInForce: 'gtc' }],
    ['an off-grid price rounded down', { price: '121900.009' }, { priceTicks: 12_190_000n }],
    ['an off-grid size rounded down', { qty: '0.0609' }, { qtyLots: 60n }],
  ])('reads %s', (_label, fields, expected) => {
    expect(order(fields)).toMatchObject(expected);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a string id', { id: '1820682' }],
    ['a numeric qty', { qty: 0.06 }],
    ['an unknown side', { side: 'long' }],
    ['an unknown order type', { order_type: 'stop' }],
    ['a missing status', { status: undefined }],
  ])('refuses %s as a ProtocolError', (_label, fields) => {
    expect(() => order(fields)).toThrow(ProtocolError);
  });

  it.each<[string, OrderState]>([
    ['open', 'live'],
    ['new', 'live'],
    ['partially_filled', 'live'],
    ['untriggered', 'live'],
    ['something_new', 'live'],
    ['filled', 'filled'],
    ['canceled', 'canceled'],
    ['cancelled', 'canceled'],
    ['expired', 'canceled'],
    ['rejected', 'rejected'],
  ])('status %j is %s', (status, state) => {
    expect(toOrderState(status)).toBe(state);
    expect(order({ status })).toMatchObject({ state, rawStatus: status });
  });
});

describe('positions and balances', () => {
  it.each<[string, bigint]>([
    ['0.940', 940n],
    ['-0.940', -940n],
    ['0', 0n],
    ['-0.001', -1n],
  ])('reads a signed qty %j as %s lots', (qty, lots) => {
    expect(toPosition(parseWire(positionWire, { symbol: 'BTC-USD', qty, status: 'open' }, 'position'), SPEC).qtyLots).toBe(lots);
  });

  it('keeps entry price and realized PnL as strings, "0" when null', () => {
    const wire = { symbol: 'BTC-USD', qty: '-0.940', entry_price: '121000.5', realized_pnl: '-1.25', leverage: '10' };
    expect(toPosition(parseWire(positionWire, wire, 'position'), SPEC)).toEqual({ symbol: 'BTC-USD', qtyLots: -940n, entryPrice: '121000.5', realizedPnl: '-1.25' });
    const empty = parseWire(positionWire, { symbol: 'BTC-USD', qty: '0', entry_price: null, realized_pnl: null }, 'position');
    expect(toPosition(empty, SPEC)).toEqual(flatPosition('BTC-USD'));
  });

  it('refuses a position without qty', () => {
    expect(() => parseWire(positionWire, { symbol: 'BTC-USD', qty: null }, 'position')).toThrow(ProtocolError);
  });

  it('reads query_balance, a negative cross_available included', () => {
    const wire = { isolated_balance: '0', cross_balance: '100.5', balance: '100.5', upnl: '-0.25', equity: '100.25', cross_available: '-3.5', locked: '0', pnl_freeze: '0' };
    expect(toBalance(parseWire(balanceWire, wire, 'balance'))).toEqual({ balance: '100.5', equity: '100.25', crossAvailable: '-3.5', upnl: '-0.25' });
  });
});

describe('frames and acks', () => {
  it('reads an ack, with an empty message when it has none', () => {
    expect(parseWire(ackWire, { code: 0, message: 'success', request_id: 'r' }, 'ack')).toEqual({ code: 0, message: 'success', request_id: 'r' });
    expect(parseWire(ackWire, { code: 400 }, 'ack')).toEqual({ code: 400, message: '' });
  });

  it('reads a push envelope, seq and symbol being optional', () => {
    expect(parseWire(streamPushWire, { seq: 3, channel: 'depth_book', symbol: 'BTC-USD', data: { bids: [] } }, 'push')).toMatchObject({ seq: 3, channel: 'depth_book' });
    expect(parseWire(streamPushWire, { channel: 'order', data: null }, 'push')).toEqual({ channel: 'order', data: null });
    expect(parseWire(streamAuthWire, { code: 200, msg: 'success' }, 'auth')).toEqual({ code: 200, msg: 'success' });
  });

  it.each<[string, () => unknown]>([
    ['an ack with a string code', () => parseWire(ackWire, { code: '0' }, 'test frame')],
    ['a push without channel', () => parseWire(streamPushWire, { seq: 1, data: {} }, 'test frame')],
    ['a JSON array as a push', () => parseWire(streamPushWire, [], 'test frame')],
    ['null as a push', () => parseWire(streamPushWire, null, 'test frame')],
  ])('refuses %s with a ProtocolError naming what was read', (_label, read) => {
    expect(read).toThrow(ProtocolError);
    expect(read).toThrow(/^malformed test frame: /);
  });
});

describe('encoded request bodies (the exact strings that are signed and sent)', () => {
  const limit: NewOrderRequest = { side: 'buy', type: 'limit', timeInForce: 'alo', qtyLots: 5n, priceTicks: 6_500_000n, reduceOnly: false, clOrdId: 'smm-1' };

  it.each<[string, NewOrderRequest, string]>([
    ['a post-only bid', limit, '{"symbol":"BTC-USD","side":"buy","order_type":"limit","qty":"0.005","price":"65000.00","time_in_force":"alo","reduce_only":false,"cl_ord_id":"smm-1"}'],
    [
      'a post-only ask',
      { ...limit, side: 'sell', priceTicks: 6_500_001n, qtyLots: 1_000n, clOrdId: 'smm-2' },
      '{"symbol":"BTC-USD","side":"sell","order_type":"limit","qty":"1.000","price":"65000.01","time_in_force":"alo","reduce_only":false,"cl_ord_id":"smm-2"}',
    ],
    [
      'a reduce-only market flatten, with no price even if one is given',
      { side: 'sell', type: 'market', timeInForce: 'ioc', qtyLots: 940n, priceTicks: 1n, reduceOnly: true, clOrdId: 'smm-3' },
      '{"symbol":"BTC-USD","side":"sell","order_type":"market","qty":"0.940","time_in_force":"ioc","reduce_only":true,"cl_ord_id":"smm-3"}',
    ],
    [
      'a reduce-only capped IOC limit',
      { side: 'buy', type: 'limit', timeInForce: 'ioc', qtyLots: 1n, priceTicks: 5n, reduceOnly: true, clOrdId: 'smm-4' },
      '{"symbol":"BTC-USD","side":"buy","order_type":"limit","qty":"0.001","price":"0.05","time_in_force":"ioc","reduce_only":true,"cl_ord_id":"smm-4"}',
    ],
  ])('new_order: %s', (_label, request, body) => {
    expect(encodeNewOrder(request, SPEC)).toBe(body);
  });

  it('orders the keys as the golden signing vector does, with cl_ord_id last (protocol §3)', () => {
    const golden = '{"symbol":"BTC-USD","side":"buy","order_type":"limit","qty":"0.0001","price":"65000.00","time_in_force":"alo","reduce_only":false}';
    const encoded = encodeNewOrder({ ...limit, qtyLots: 1n }, { ...SPEC, qtyDecimals: 4 });
    expect(encoded).toBe(`${golden.slice(0, -1)},"cl_ord_id":"smm-1"}`);
  });

  it('refuses a limit order without a price', () => {
    const { priceTicks: _omitted, ...withoutPrice } = limit;
    expect(() => encodeNewOrder(withoutPrice, SPEC)).toThrow(TypeError);
  });

  it.each<[string, Parameters<typeof encodeCancel>[0], string]>([
    ['by exchange id', { orderId: 2424844 }, '{"order_id":2424844}'],
    ['by client id', { clOrdId: 'smm-1' }, '{"cl_ord_id":"smm-1"}'],
  ])('cancel_order %s', (_label, ref, body) => {
    expect(encodeCancel(ref)).toBe(body);
  });

  it.each<[string, Parameters<typeof encodeCancelMany>[0], string]>([
    ['mixed ids, each in its list, in order', [{ orderId: 1 }, { clOrdId: 'a' }, { orderId: 2 }], '{"order_id_list":[1,2],"cl_ord_id_list":["a"]}'],
    ['exchange ids only', [{ orderId: 7 }], '{"order_id_list":[7]}'],
    ['client ids only', [{ clOrdId: 'a' }, { clOrdId: 'b' }], '{"cl_ord_id_list":["a","b"]}'],
    ['nothing', [], '{}'],
  ])('cancel_orders with %s', (_label, refs, body) => {
    expect(encodeCancelMany(refs)).toBe(body);
  });
});
