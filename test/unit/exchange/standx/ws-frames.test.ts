import { describe, expect, it } from 'vitest';
import { parseFrame } from '../../../../src/exchange/standx/ws-frames.js';

describe('parseFrame', () => {
  it.each<[string, string, unknown[]]>([
    ['one push', '{"seq":1,"channel":"price","data":{"mark_price":"1.00"}}', [{ seq: 1, channel: 'price', data: { mark_price: '1.00' } }]],
    ['one ack', '{"code":0,"message":"success","request_id":"r1"}', [{ code: 0, message: 'success', request_id: 'r1' }]],
    ['a top-level array, flattened one level', '[{"a":1},{"b":2}]', [{ a: 1 }, { b: 2 }]],
    ['nested arrays, flattened one level only', '[[1],[2,3]]', [[1], [2, 3]]],
    ['an empty array, which holds nothing', '[]', []],
    ['a JSON scalar', '42', [42]],
    ['null', 'null', [null]],
    ['a JSON string', '"OK"', ['OK']],
    ['surrounding whitespace', ' \n {"a":1} \r\n', [{ a: 1 }]],
  ])('reads a frame with %s', (_label, text, values) => {
    expect(parseFrame(text)).toEqual({ values, malformed: 0 });
  });

  it.each<[string, string, unknown[]]>([
    ['two objects back to back', '{"a":1}{"b":2}', [{ a: 1 }, { b: 2 }]],
    ['three objects split by newlines and spaces', '{"a":1}\n{"b":2} \t {"c":3}\n', [{ a: 1 }, { b: 2 }, { c: 3 }]],
    ['an object and an array, the array flattened', '{"a":1}[{"b":2},{"c":3}]', [{ a: 1 }, { b: 2 }, { c: 3 }]],
    ['two arrays', '[1,2][3]', [1, 2, 3]],
    [
      'deeply nested objects',
      '{"a":{"b":{"c":[1,{"d":[{"e":{}}]}]}}}{"f":[[],{}]}',
      [{ a: { b: { c: [1, { d: [{ e: {} }] }] } } }, { f: [[], {}] }],
    ],
    ['strings holding braces and brackets', '{"m":"}{"}{"n":"[{]"}{"o":"{\\"p\\":1}"}', [{ m: '}{' }, { n: '[{]' }, { o: '{"p":1}' }]],
    ['escaped quotes before a brace', '{"a":"\\"}"}{"b":"x\\"{"}', [{ a: '"}' }, { b: 'x"{' }]],
    ['a string ending in an escaped backslash', '{"a":"\\\\"}{"b":1}', [{ a: '\\' }, { b: 1 }]],
    ['unicode around the braces', '{"a":"é}"}{"b":"😀{"}', [{ a: 'é}' }, { b: '😀{' }]],
    [
      'a depth push and an order push (RIT: several objects per frame)',
      '{"seq":7,"channel":"depth_book","data":{"bids":[["1.00","2"]],"asks":[]}}{"seq":8,"channel":"order","data":{"id":1}}',
      [
        { seq: 7, channel: 'depth_book', data: { bids: [['1.00', '2']], asks: [] } },
        { seq: 8, channel: 'order', data: { id: 1 } },
      ],
    ],
  ])('splits concatenated frames: %s', (_label, text, values) => {
    expect(parseFrame(text)).toEqual({ values, malformed: 0 });
  });

  it.each<[string, string, unknown[], number]>([
    ['junk between two objects', '{"a":1}garbage{"b":2}', [{ a: 1 }, { b: 2 }], 1],
    ['junk before, between and after, counted once', 'x{"a":1}y{"b":2}z', [{ a: 1 }, { b: 2 }], 1],
    ['a stray closing brace before an object', 'x}{"a":1}', [{ a: 1 }], 1],
    ['a stray quoted brace outside any object', 'oops "}" {"a":1}', [{ a: 1 }], 1],
    ['a balanced piece that is not JSON', '{a:1}{"b":2}', [{ b: 2 }], 1],
    ['a bad piece and junk, each counted', '{a:1}xx{"b":2}', [{ b: 2 }], 2],
    ['a trailing comma inside one piece', '{"a":1,}{"b":2}', [{ b: 2 }], 1],
    ['mismatched brackets', '{"a":1]{"b":2}', [{ b: 2 }], 1],
  ])('keeps what it can from a frame with %s', (_label, text, values, malformed) => {
    expect(parseFrame(text)).toEqual({ values, malformed });
  });

  it.each<[string, string, unknown[]]>([
    ['an object cut in the middle', '{"seq":1,"channel":"pri', []],
    ['a second object cut short', '{"a":1}{"b":', [{ a: 1 }]],
    ['a string that never ends', '{"a":1}{"b":"}}}', [{ a: 1 }]],
    ['an array cut short', '[1][2', [1]],
    ['nothing', '', []],
    ['only whitespace', ' \n\t', []],
    ['only junk', 'ping', []],
  ])('reports a truncated or empty frame as malformed: %s', (_label, text, values) => {
    expect(parseFrame(text)).toEqual({ values, malformed: 1 });
  });

  it('never throws, whatever the text', () => {
    const pieces = ['{', '}', '[', ']', '"', '\\', ',', ':', '1', 'a', ' ', '{"k":"v"}'];
    let seed = 12_345;
    for (let round = 0; round < 500; round += 1) {
      let text = '';
      for (let i = 0; i < 12; i += 1) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        text += pieces[seed % pieces.length] ?? '';
      }
      const parsed = parseFrame(text);
      expect(parsed.malformed).toBeGreaterThanOrEqual(0);
      expect(Array.isArray(parsed.values)).toBe(true);
    }
  });
});
