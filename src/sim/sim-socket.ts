// One server-side WebSocket with the transport behaviour both endpoints share: injected latency
// in and out (order preserved), silence, stalled data, server pings with the §5 pong deadline and
// 408 close, answering client pings, and the maximum connection age.

import type { RawData, WebSocket } from 'ws';
import { DelayLine } from './delay-line.js';
import type { FaultState } from './faults.js';
import type { StatsCounters } from './stats.js';

export type EndpointKind = 'stream' | 'api';

export interface SocketTimings {
  readonly latencyMs: number;
  readonly pingIntervalMs: number;
  readonly pongTimeoutMs: number;
  readonly maxConnectionAgeMs: number;
}

export interface SimSocketDeps {
  readonly kind: EndpointKind;
  readonly timings: SocketTimings;
  readonly faults: FaultState;
  readonly stats: StatsCounters;
  readonly monoNowMs: () => number;
}

/** Protocol §5: the exact text StandX sends before dropping a socket that stopped answering pings. */
export const PONG_TIMEOUT_FRAME = JSON.stringify({ code: 408, message: 'disconnecting due to not receive Pong within 5 minute period' });

export class SimSocket {
  readonly kind: EndpointKind;
  readonly #ws: WebSocket;
  readonly #deps: SimSocketDeps;
  readonly #inbound: DelayLine;
  readonly #outbound: DelayLine;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #ageLimit: NodeJS.Timeout;
  #lastPongMs: number;
  #closing = false;

  constructor(ws: WebSocket, deps: SimSocketDeps, onText: (text: string) => void, onClosed: () => void) {
    this.kind = deps.kind;
    this.#ws = ws;
    this.#deps = deps;
    this.#inbound = new DelayLine(deps.monoNowMs);
    this.#outbound = new DelayLine(deps.monoNowMs);
    this.#lastPongMs = deps.monoNowMs();
    this.#heartbeat = setInterval(() => this.#beat(), deps.timings.pingIntervalMs);
    this.#ageLimit = setTimeout(() => this.close(1000, 'connection age limit'), deps.timings.maxConnectionAgeMs);
    ws.on('message', (data: RawData) => this.#receive(data, onText));
    ws.on('pong', () => {
      if (!deps.faults.pongsDisregarded) this.#lastPongMs = deps.monoNowMs();
    });
    ws.on('ping', (data: Buffer) => {
      if (this.#silenced() || deps.faults.answeringPingsStopped) return;
      this.#transmit(0, () => this.#ws.pong(data));
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.#dispose();
      onClosed();
    });
  }

  /** Sends one text frame after the latency (+ extraDelayMs); dropped if the socket is silenced or stalled then. */
  send(frame: string, extraDelayMs = 0): void {
    this.#transmit(extraDelayMs, () => {
      if (this.#deps.faults.isDataStalled(this.kind)) return;
      this.#deps.stats.wsMessagesOut += 1;
      this.#ws.send(frame);
    });
  }

  sendJson(value: unknown, extraDelayMs = 0): void {
    this.send(JSON.stringify(value), extraDelayMs);
  }

  /** Closes after everything queued so far, optionally after one last frame. */
  close(code: number, reason: string, finalFrame?: string): void {
    if (this.#closing) return;
    this.#closing = true;
    if (finalFrame !== undefined) this.send(finalFrame);
    this.#outbound.push(this.#deps.timings.latencyMs, () => this.#ws.close(code, reason));
  }

  /** Abrupt drop: no close frame (fault dropConnections). */
  terminate(): void {
    this.#dispose();
    this.#ws.terminate();
  }

  #receive(data: RawData, onText: (text: string) => void): void {
    this.#deps.stats.wsMessagesIn += 1;
    // A half-open or stalled socket hears nothing: frames that arrive then are lost, not queued.
    if (this.#silenced() || this.#deps.faults.isDataStalled(this.kind) || this.#closing) return;
    const text = textOf(data);
    this.#inbound.push(this.#deps.timings.latencyMs, () => onText(text));
  }

  #transmit(extraDelayMs: number, write: () => void): void {
    this.#outbound.push(this.#deps.timings.latencyMs + extraDelayMs, () => {
      if (this.#silenced() || this.#ws.readyState !== this.#ws.OPEN) return;
      write();
    });
  }

  #beat(): void {
    const { faults, monoNowMs, timings } = this.#deps;
    if (this.#silenced() || faults.pingsStopped) {
      // Without pings no pong is owed: the deadline restarts when pings resume.
      this.#lastPongMs = monoNowMs();
      return;
    }
    if (monoNowMs() - this.#lastPongMs > timings.pongTimeoutMs) {
      this.close(1000, 'pong timeout', PONG_TIMEOUT_FRAME);
      return;
    }
    this.#transmit(0, () => this.#ws.ping());
  }

  #silenced(): boolean {
    return this.#deps.faults.isSilenced(this.kind);
  }

  #dispose(): void {
    clearInterval(this.#heartbeat);
    clearTimeout(this.#ageLimit);
    this.#inbound.close();
    this.#outbound.close();
  }
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
