/**
 * The doctor's own Graph access: a token from the configured credential (so the token's
 * `roles` can be read) and plain GETs for what the gateway has no operation for (a group
 * by id, a Teams catalog app). Same credential, same TLS trust as the bot; the token goes
 * only to the configured Graph origin and is never printed.
 */
import type { TokenCredential } from '@azure/identity';
import type { Config } from '../config';
import { createCredential } from '../graph/credential';
import { PUBLIC_GRAPH_BASE_URL } from '../graph/gateway';
import { createHttpsTransport } from '../graph/transport';

/** Graph's national-cloud hosts take their own `/.default` scope; any other host (the sandbox) Graph's public one, as the gateway does. */
const GRAPH_HOSTS = new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn']);

export function graphScope(baseUrl: string): string {
  const base = new URL(baseUrl);
  return `${GRAPH_HOSTS.has(base.hostname.toLowerCase()) ? base.origin : PUBLIC_GRAPH_BASE_URL}/.default`;
}

export function doctorCredential(config: Config, trustedCaPem?: string): TokenCredential {
  if (!config.graph.auth) throw new Error('Graph credentials are not configured');
  return createCredential(config.graph.auth, config.tenantId, {
    authorityHost: config.graph.authorityHost,
    ...(trustedCaPem ? { trustedCaPem } : {}),
  });
}

export interface GraphAnswer {
  status: number;
  body: unknown;
}

/** GET `/v1.0{path}`; a network failure rejects. */
export interface GraphReader {
  get(path: string): Promise<GraphAnswer>;
}

export interface GraphReaderOptions {
  baseUrl: string;
  accessToken: string;
  trustedCaPem?: string;
  timeoutInMs?: number;
}

export function createGraphReader(options: GraphReaderOptions): GraphReader {
  const transport = createHttpsTransport({
    ...(options.trustedCaPem ? { trustedCaPem: options.trustedCaPem } : {}),
    requestTimeoutInMs: options.timeoutInMs ?? 10_000,
  });
  const origin = new URL(options.baseUrl).origin;
  return {
    async get(path) {
      const response = await transport(`${origin}/v1.0${path}`, {
        method: 'GET',
        headers: new Headers({ authorization: `Bearer ${options.accessToken}`, accept: 'application/json' }),
      });
      const text = await response.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      return { status: response.status, body };
    },
  };
}

/** Graph's `{error: {code, message}}`, for classifying a failed answer. */
export function graphErrorOf(answer: GraphAnswer): { graphCode?: string; message?: string } {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    ...(typeof error?.code === 'string' ? { graphCode: error.code } : {}),
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
  };
}
