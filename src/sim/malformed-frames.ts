// The frames of fault sendMalformedFrame, one per MalformedVariant and endpoint. Stream frames
// carry the real book where they can, so a client lenient enough to read them still sees the truth.

import { formatUnits, fractionDigits, parseUnits } from '../domain/decimal.js';
import type { MalformedVariant } from './types.js';

/** Protocol §5 gives no size limit; 2 MiB is well past any real snapshot and under common client caps. */
export const HUGE_FRAME_BYTES = 2 * 1024 * 1024;

type Level = readonly [string, string];

export interface StreamSample {
  readonly symbol: string;
  readonly asks: readonly Level[];
  readonly bids: readonly Level[];
  /** The connection's next push seq, so that well-formed parts keep the sequence. */
  nextSeq(): number;
}

const ANNOUNCEMENT = { msg: 'scheduled maintenance', at: '2030-01-01T00:00:00Z' };

function push(sample: StreamSample, channel: string, data: unknown): string {
  return JSON.stringify({ seq: sample.nextSeq(), channel, symbol: sample.symbol, data });
}

function book(sample: StreamSample, asks: readonly Level[], bids: readonly Level[]): Record<string, unknown> {
  return { asks, bids, symbol: sample.symbol };
}

/** Levels beyond the deepest one, one tick apart (the top of the book is unchanged), until `bytes` of JSON. */
function deeperLevels(levels: readonly Level[], direction: 1n | -1n, bytes: number): Level[] {
  const deepest = levels.reduce<Level | undefined>((worst, level) => {
    if (!worst) return level;
    const decimals = fractionDigits(level[0]);
    const isDeeper = direction * (parseUnits(level[0], decimals) - parseUnits(worst[0], decimals)) > 0n;
    return isDeeper ? level : worst;
  }, undefined);
  if (!deepest) return [];
  const decimals = fractionDigits(deepest[0]);
  const start = parseUnits(deepest[0], decimals);
  const extra: Level[] = [];
  let written = 0;
  for (let ticks = start + direction; written < bytes && ticks > 0n; ticks += direction) {
    const level: Level = [formatUnits(ticks, decimals), deepest[1]];
    extra.push(level);
    written += JSON.stringify(level).length + 1;
  }
  return extra;
}

function hugeBook(sample: StreamSample): string {
  const asks = [...sample.asks, ...deeperLevels(sample.asks, 1n, HUGE_FRAME_BYTES / 2)];
  const bids = [...sample.bids, ...deeperLevels(sample.bids, -1n, HUGE_FRAME_BYTES / 2)];
  return push(sample, 'depth_book', book(sample, asks, bids));
}

/** The real book with its decimals written as JSON numbers (digits copied, no float involved). */
function numericBook(sample: StreamSample): string {
  const text = push(sample, 'depth_book', book(sample, sample.asks, sample.bids));
  return text.replace(/\["(\d+(?:\.\d+)?)","(\d+(?:\.\d+)?)"\]/g, '[$1,$2]');
}

export function malformedStreamFrame(variant: MalformedVariant, sample: StreamSample): string {
  switch (variant) {
    case 'invalid-json':
      return '{"seq":1,"channel":"depth_book","data":{';
    case 'wrong-shape':
      return JSON.stringify({ seq: 'one', channel: 42, data: { asks: 'oops', bids: null } });
    case 'concatenated':
      return push(sample, 'depth_book', book(sample, sample.asks, sample.bids)) + push(sample, 'depth_book', book(sample, sample.asks, sample.bids));
    case 'huge':
      return hugeBook(sample);
    case 'unknown-channel':
      return push(sample, 'announcement', ANNOUNCEMENT);
    case 'numbers-for-strings':
      return numericBook(sample);
    case 'missing-fields':
      return push(sample, 'depth_book', { symbol: sample.symbol });
    case 'data-array':
      return push(sample, 'depth_book', [book(sample, sample.asks, sample.bids)]);
  }
}

/** Unsolicited ws-api frames: their request ids match no request a client sent. */
export function malformedApiFrame(variant: MalformedVariant): string {
  switch (variant) {
    case 'invalid-json':
      return '{"code":0,"request_id":';
    case 'wrong-shape':
      return JSON.stringify({ code: 'ok', request_id: 12345, message: null });
    case 'concatenated':
      return JSON.stringify({ code: 0, message: 'success', request_id: 'unsolicited-1' }) + JSON.stringify({ code: 0, message: 'success', request_id: 'unsolicited-2' });
    case 'huge':
      return JSON.stringify({ code: 0, message: 'x'.repeat(HUGE_FRAME_BYTES), request_id: 'unsolicited-huge' });
    case 'unknown-channel':
      return JSON.stringify({ seq: 1, channel: 'announcement', data: ANNOUNCEMENT });
    case 'numbers-for-strings':
      return JSON.stringify({ code: 0, message: 0, request_id: 424242 });
    case 'missing-fields':
      return JSON.stringify({ message: 'success' });
    case 'data-array':
      return JSON.stringify({ code: 0, message: 'success', request_id: 'unsolicited-array', data: [{ code: 0 }] });
  }
}
