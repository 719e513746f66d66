import { describe, expect, it } from 'vitest';
import { silentLog } from '../../../src/ops/log.js';
import { createProbe } from '../../../src/ops/probe.js';

describe('createProbe', () => {
  it('measures tick-to-order from the depth frame to each order frame written while handling it', () => {
    const micros: number[] = [];
    const probe = createProbe({ tickToOrder: (us) => micros.push(us) }, silentLog);
    probe.depthFrameIn(100);
    probe.orderFrameOut('order:new', 100.4);
    probe.orderFrameOut('order:cancel', 100.75);
    probe.depthFrameDone();
    expect(micros.map((us) => Math.round(us))).toEqual([400, 750]);
  });

  it('does not count order frames written outside the handling of a depth frame', () => {
    const micros: number[] = [];
    const probe = createProbe({ tickToOrder: (us) => micros.push(us) }, silentLog);
    probe.orderFrameOut('order:new', 5);
    probe.depthFrameIn(10);
    probe.depthFrameDone();
    probe.orderFrameOut('order:cancel', 20);
    expect(micros).toEqual([]);
  });

  it('passes settled requests and connection events to their sinks', () => {
    const seen: unknown[] = [];
    const probe = createProbe(
      { requestSettled: (...args) => seen.push(['request', ...args]), connection: (...args) => seen.push(['connection', ...args]) },
      silentLog,
    );
    probe.requestSettled('order:new', 42, 'accepted');
    probe.connection('ws-stream', 'down', 'closed (1006 )');
    expect(seen).toEqual([
      ['request', 'order:new', 42, 'accepted'],
      ['connection', 'ws-stream', 'down', 'closed (1006 )'],
    ]);
  });

  it('keeps measuring when a sink throws, and logs it', () => {
    const errors: string[] = [];
    const log = { ...silentLog, error: (_data: object | string, message?: string) => errors.push(message ?? '') };
    const probe = createProbe({ tickToOrder: () => { throw new Error('sink bug'); } }, log);
    probe.depthFrameIn(0);
    expect(() => probe.orderFrameOut('order:new', 1)).not.toThrow();
    expect(errors).toEqual(['probe sink threw']);
  });
});
