// The order command endpoint ws-api/v1 (protocol §6): `{session_id, request_id, method, header?,
// params}` envelopes, auth:login per connection, signed order:new / order:cancel, replies keyed by
// the envelope request_id, and delivery of HTTP results addressed by x-session-id.

import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { TokenSession } from './auth-service.js';
import type { SimEvent } from './events.js';
import type { FaultState } from './faults.js';
import type { CommandResult, Gateway } from './gateway.js';
import { malformedApiFrame } from './malformed-frames.js';
import { SimSocket, type SimSocketDeps } from './sim-socket.js';
import type { MalformedVariant } from './types.js';

export interface ApiDeps {
  readonly gateway: Gateway;
  readonly faults: FaultState;
}

interface Reply {
  readonly code: number;
  readonly message: string;
  readonly stage: CommandResult['stage'];
  readonly deferred?: CommandResult['deferred'];
}

const envelopeSchema = z.object({
  session_id: z.string().min(1),
  request_id: z.string().min(1),
  method: z.string(),
  header: z.record(z.string(), z.string()).optional(),
  params: z.string().optional(),
});
type Envelope = z.infer<typeof envelopeSchema>;

class ApiSession {
  readonly socket: SimSocket;
  readonly sessionIds = new Set<string>();
  auth: TokenSession | null = null;

  constructor(socket: SimSocket) {
    this.socket = socket;
  }
}

function gatewayReply(code: number, message: string): Reply {
  return { code, message, stage: 'gateway' };
}

export class ApiEndpoint {
  readonly #deps: ApiDeps;
  readonly #sessions = new Set<ApiSession>();

  constructor(deps: ApiDeps) {
    this.#deps = deps;
  }

  accept(ws: WebSocket, socketDeps: SimSocketDeps): SimSocket {
    let session: ApiSession | undefined;
    const socket = new SimSocket(
      ws,
      socketDeps,
      (text) => session && this.#handle(session, text),
      () => session && this.#sessions.delete(session),
    );
    session = new ApiSession(socket);
    this.#sessions.add(session);
    return socket;
  }

  sockets(): SimSocket[] {
    return [...this.#sessions].map((session) => session.socket);
  }

  sendMalformed(variant: MalformedVariant): void {
    const frame = malformedApiFrame(variant);
    for (const session of this.#sessions) session.socket.send(frame);
  }

  /** Protocol §8/§10.3 [I]: a logged-in connection whose token stops working is told, then closed. */
  revalidate(): void {
    for (const session of this.#sessions) {
      if (!session.auth || this.#deps.gateway.authenticate(session.auth.token).ok) continue;
      session.auth = null;
      session.socket.close(1008, 'token expired', JSON.stringify({ code: 401, message: 'token expired' }));
    }
  }

  /** HTTP new_order/cancel_order with `x-session-id` report here (protocol §4, §6). */
  onEvent(event: SimEvent): void {
    if (event.kind !== 'session-result') return;
    const { sessionId, requestId, code, message } = event.result;
    for (const session of this.#sessions) {
      if (session.sessionIds.has(sessionId)) {
        session.socket.sendJson({ code, message, request_id: requestId }, this.#deps.faults.ackDelayMs);
      }
    }
  }

  #handle(session: ApiSession, text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const parsed = envelopeSchema.safeParse(raw);
    if (!parsed.success) {
      const requestId = (raw as { request_id?: unknown } | undefined)?.request_id;
      session.socket.sendJson({ code: 400, message: 'invalid request', ...(typeof requestId === 'string' ? { request_id: requestId } : {}) });
      return;
    }
    const envelope = parsed.data;
    session.sessionIds.add(envelope.session_id);
    const { faults } = this.#deps;
    const lost = faults.takeLostAck();
    const duplicated = faults.takeDuplicate();
    const reply = this.#dispatch(session, envelope);
    if (lost) return;
    const send = (code: number, message: string): void =>
      session.socket.sendJson({ code, message, request_id: envelope.request_id }, faults.ackDelayMs);
    if (reply.deferred) {
      // Protocol §6 two frames: the gateway's ack, then the terminal result once it is known.
      send(0, 'accepted');
      void reply.deferred.then((settled) => send(settled.code, settled.message));
      return;
    }
    if (duplicated && reply.stage === 'engine') send(0, 'accepted');
    else if (duplicated) send(reply.code, reply.message);
    send(reply.code, reply.message);
  }

  #dispatch(session: ApiSession, envelope: Envelope): Reply {
    switch (envelope.method) {
      case 'auth:login':
        return this.#login(session, envelope.params);
      case 'order:new':
      case 'order:cancel':
        return this.#order(session, envelope);
      default:
        return gatewayReply(400, `unknown method ${envelope.method}`);
    }
  }

  #login(session: ApiSession, params: string | undefined): Reply {
    let token: unknown;
    try {
      token = (JSON.parse(params ?? '') as { token?: unknown } | null)?.token;
    } catch {
      return gatewayReply(400, 'invalid params');
    }
    const outcome = this.#deps.gateway.authenticate(typeof token === 'string' ? token : undefined);
    if (!outcome.ok) return gatewayReply(outcome.status, outcome.message);
    session.auth = outcome.value;
    return gatewayReply(0, 'success');
  }

  #order(session: ApiSession, envelope: Envelope): Reply {
    const { gateway } = this.#deps;
    const isNew = envelope.method === 'order:new';
    if (!session.auth) return this.#refuse(isNew, 401, 'not logged in: send auth:login first');
    const auth = gateway.authenticate(session.auth.token);
    if (!auth.ok) return this.#refuse(isNew, 401, auth.message);
    if (envelope.params === undefined) return this.#refuse(isNew, 400, 'params is required');
    const header = envelope.header ?? {};
    const failure = gateway.checkSignature(
      auth.value,
      {
        version: header['x-request-sign-version'],
        requestId: header['x-request-id'],
        timestamp: header['x-request-timestamp'],
        signature: header['x-request-signature'],
      },
      Buffer.from(envelope.params, 'utf8'),
    );
    if (failure) return this.#refuse(isNew, failure.status, failure.message);
    const result = isNew ? gateway.newOrder(auth.value, envelope.params) : gateway.cancelOrder(auth.value, envelope.params);
    return { code: result.code, message: result.message, stage: result.stage, ...(result.deferred ? { deferred: result.deferred } : {}) };
  }

  #refuse(isNew: boolean, code: number, message: string): Reply {
    this.#deps.gateway.noteRefused(isNew ? 'order' : 'cancel');
    return gatewayReply(code, message);
  }
}
