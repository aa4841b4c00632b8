/**
 * The last link of the Graph client's middleware chain: sends the request over node:https.
 *
 * Why not the SDK's HTTPMessageHandler: in 3.0.7 it calls the global `fetch` (undici),
 * which offers no supported way to trust one extra CA without NODE_EXTRA_CA_CERTS or the
 * separate `undici` package. node:https takes `ca` per agent, so the sandbox's CA is trusted
 * exactly and only by this client, and certificate verification is never turned off.
 */
import https from 'node:https';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { noteGraphAttempt } from '../telemetry/tracing';

export interface TransportRequest {
  method: string;
  headers: Headers;
  body?: string;
}

/** Sends one HTTP request and returns the whole response (tests inject a fake). */
export type HttpTransport = (url: string, request: TransportRequest) => Promise<Response>;

export interface HttpsTransportOptions {
  /** PEM of the only CA to trust (sandbox); absent = the platform's default roots. */
  trustedCaPem?: string;
  /** Abort a request with no complete answer after this long. */
  requestTimeoutInMs?: number;
}

class TransportTimeoutError extends Error {
  readonly code = 'ERR_GRAPH_TIMEOUT';
  constructor(ms: number) {
    super(`No answer from Microsoft Graph within ${ms} ms.`);
    this.name = 'TransportTimeoutError';
  }
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function createHttpsTransport(options: HttpsTransportOptions = {}): HttpTransport {
  const timeout = options.requestTimeoutInMs ?? 30_000;
  const agent = new https.Agent({
    keepAlive: true,
    ...(options.trustedCaPem ? { ca: options.trustedCaPem } : {}),
  });
  return (url, request) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'https:') {
        reject(new Error(`Refusing to send a Graph request over ${target.protocol}`));
        return;
      }
      const headers: Record<string, string> = {};
      request.headers.forEach((value, key) => {
        headers[key] = value;
      });
      if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
      const req = https.request(target, { method: request.method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const responseHeaders = new Headers();
          for (const [key, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(key, v);
          }
          const body = NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers: responseHeaders }));
        });
      });
      req.setTimeout(timeout, () => req.destroy(new TransportTimeoutError(timeout)));
      req.on('error', reject);
      if (request.body !== undefined) req.write(request.body);
      req.end();
    });
}

/** Adapts an HttpTransport to the Graph client's middleware contract. */
export class TransportMiddleware implements Middleware {
  constructor(private readonly transport: HttpTransport) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = context.options ?? {};
    const headers = new Headers(options.headers as HeadersInit | undefined);
    const body = options.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      // The gateway only ever sends JSON; anything else is a programming error.
      throw new Error('Graph transport only sends string bodies.');
    }
    const method = (options.method ?? 'GET').toUpperCase();
    try {
      context.response = await this.transport(url, { method, headers, ...(typeof body === 'string' ? { body } : {}) });
    } finally {
      // Method and status only: the URL names people, the body of a TAP create holds the pass.
      noteGraphAttempt(method, (context.response as Response | undefined)?.status);
    }
  }
}
