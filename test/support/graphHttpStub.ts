/**
 * A scripted stand-in for Graph at the transport level: the real Graph client, auth and
 * retry middleware run above it; this only answers requests and records them.
 */
import type { TokenCredential } from '@azure/identity';
import { GraphGateway, type GraphGatewayOptions } from '../../src/graph/gateway';
import type { HttpTransport, TransportRequest } from '../../src/graph/transport';

export interface RecordedRequest {
  method: string;
  /** Path and query after the origin, e.g. `/v1.0/users/x?$select=id`. */
  path: string;
  headers: Headers;
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeHandler = (request: RecordedRequest) => FakeAnswer;

export const FAKE_ORIGIN = 'https://graph.test.local';
export const FAKE_TOKEN = 'fake-access-token';

export const fakeCredential: TokenCredential = {
  getToken: async () => ({ token: FAKE_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeAnswer {
  return { status, body, headers };
}

export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): FakeAnswer {
  return { status, body: { error: { code, message } }, headers };
}

export class GraphHttpStub {
  readonly requests: RecordedRequest[] = [];
  readonly sleeps: number[] = [];

  constructor(private handler: FakeHandler) {}

  /** Replace the script mid-test. */
  answer(handler: FakeHandler): void {
    this.handler = handler;
  }

  readonly transport: HttpTransport = async (url: string, request: TransportRequest) => {
    const parsed = new URL(url);
    const recorded: RecordedRequest = {
      method: request.method,
      path: url.slice(parsed.origin.length),
      headers: request.headers,
      body: request.body === undefined ? undefined : JSON.parse(request.body),
    };
    this.requests.push(recorded);
    const answer = this.handler(recorded);
    const headers = new Headers(answer.headers);
    if (answer.body !== undefined) headers.set('content-type', 'application/json');
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status, headers });
  };

  gateway(options: Partial<GraphGatewayOptions> = {}): GraphGateway {
    return new GraphGateway({
      credential: fakeCredential,
      baseUrl: FAKE_ORIGIN,
      transport: this.transport,
      sleep: async (ms) => {
        this.sleeps.push(ms);
      },
      ...options,
    });
  }
}
