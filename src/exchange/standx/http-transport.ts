// The HTTP transport: a small fetch over node:http/https with keep-alive. The client only needs a
// status and a body, and Node 20's global fetch loads undici on first use: ~10 MB more RSS for a
// daemon that makes a couple of REST calls a minute. Tests inject their own (fetch fits the type).

import http from 'node:http';
import https from 'node:https';

export interface HttpAnswer {
  readonly status: number;
  text(): Promise<string>;
}

export interface HttpRequestInit {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

export type HttpFetch = (url: string, init: HttpRequestInit) => Promise<HttpAnswer>;

/** A fetch with its own keep-alive agents (one connection pool per client). */
export function createNodeFetch(): HttpFetch {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return (url, init) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const target = new URL(url);
      const isHttps = target.protocol === 'https:';
      const options: https.RequestOptions = { method: init.method, headers: init.headers, agent: isHttps ? agents.https : agents.http };
      if (init.signal) options.signal = init.signal;
      const request = (isHttps ? https : http).request(target, options, (response) => {
        const body = readBody(response);
        // The caller may never read the body of an answer it rejects on status alone.
        body.catch(() => undefined);
        resolve({ status: response.statusCode ?? 0, text: () => body });
      });
      request.on('error', reject);
      request.end(init.body);
    });
}

function readBody(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('answer cut short')));
  });
}
