/**
 * The Microsoft Graph JavaScript client (3.0.7) every gateway operation goes through, and
 * the few rules all of them share: one failure mapping, one paging loop, one way to name a
 * user or group in a path. The client's middleware chain is built here:
 *
 *   AuthenticationHandler → RetryMiddleware → TelemetryHandler → TransportMiddleware
 *
 * - Authentication: the SDK attaches the token only to Graph hosts and `customHosts`, so a
 *   non-Graph base URL (the sandbox) is added to `customHosts`.
 * - Retry: ours replaces the SDK's RetryHandler so top-level retries follow the same
 *   injectable, bounded policy as `$batch` items, and are never stacked.
 * - Transport: node:https with an optional trusted CA (see transport.ts).
 */
import { AuthenticationHandler, Client, TelemetryHandler, type Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { GraphError } from '../errors';
import { said } from '../i18n/said';
import { createLogger } from '../log';
import { inGraphSpan } from '../telemetry/tracing';
import { executeBatch, type BatchItemRequest, type BatchItemResponse } from './batch';
import { mapThrown, toGraphError, type GraphOperation } from './errors';
import { GroupTooLargeError } from './groups';
import { groupPath, isGuid, userPath } from './odata';
import { RetryMiddleware, type RetryPolicy } from './retry';
import { asObject, valuesOf } from './shapes';
import { TransportMiddleware, type HttpTransport } from './transport';

// Every gateway module logs as 'graph', so the gateway's lines read as one source whichever module wrote them.
const log = createLogger('graph');

/** Pages followed before a listing is given up as runaway. */
export const MAX_PAGES = 200;

/** What every operation needs: the client, the retry policy for `$batch` items, and the one origin tokens may go to. */
export interface GraphContext {
  readonly client: Client;
  readonly policy: RetryPolicy;
  /** nextLinks and bind URLs name only this origin: the token must never travel elsewhere. */
  readonly origin: string;
}

interface GraphClientOptions {
  credential: TokenCredential;
  origin: string;
  scopes: string[];
  /** The base URL's host when it is not a Graph host (the sandbox), so the token is attached there too. */
  customHost?: string;
  transport: HttpTransport;
  policy: RetryPolicy;
}

/** A token is used until this long before it expires (MSAL's own margin), unless the credential says to refresh sooner. */
const TOKEN_MARGIN_IN_MS = 5 * 60_000;

/**
 * The Graph SDK asks the credential for a token before every request. MSAL answers from its
 * cache, but even that look-up costs more than the rest of the request's own work here, so
 * the token is kept until `TOKEN_MARGIN_IN_MS` before it expires, or until the refresh time
 * the credential gives. A failed ask is never kept; an ask with claims (a challenge) always goes through.
 */
export function reusingTokens(credential: TokenCredential, now: () => number = Date.now): TokenCredential {
  let kept: { scopes: string; token: AccessToken } | undefined;
  return {
    async getToken(scopes, options) {
      const key = [scopes].flat().join(' ');
      const token = kept?.token;
      if (token && kept?.scopes === key && !options?.claims && now() < (token.refreshAfterTimestamp ?? token.expiresOnTimestamp - TOKEN_MARGIN_IN_MS)) return token;
      const fresh = await credential.getToken(scopes, options);
      kept = fresh ? { scopes: key, token: fresh } : undefined;
      return fresh;
    },
  };
}

export function createGraphClient(options: GraphClientOptions): Client {
  const authProvider = new TokenCredentialAuthenticationProvider(reusingTokens(options.credential), { scopes: options.scopes });
  const middleware: Middleware[] = [
    new AuthenticationHandler(authProvider),
    new RetryMiddleware(options.policy),
    new TelemetryHandler(),
    new TransportMiddleware(options.transport),
  ];
  return Client.initWithMiddleware({
    middleware,
    baseUrl: options.origin,
    defaultVersion: 'v1.0',
    ...(options.customHost ? { customHosts: new Set([options.customHost]) } : {}),
  });
}

/** Runs one Graph call, mapping any failure to a GraphError and logging it (never a body). */
export async function call<T>(operation: GraphOperation, run: () => Promise<T>): Promise<T> {
  try {
    return await inGraphSpan(operation, run);
  } catch (e) {
    const error = mapThrown(e, operation);
    // "Not found" is an answer (wrong UPN, no manager), not a fault worth a warning.
    const level = error.code === 'notFound' ? 'debug' : 'warn';
    log[level]('Graph call failed', { operation, errorCode: error.code, status: error.status, graphCode: error.graphCode ?? null });
    throw error;
  }
}

/** One `$batch` round trip (items re-sent under the retry policy), failing as one Graph call. */
export function sendBatch(graph: GraphContext, requests: BatchItemRequest[]): Promise<Map<string, BatchItemResponse>> {
  return call('getUser', () => executeBatch((payload) => graph.client.api('/$batch').post(payload), requests, graph.policy));
}

/** Follows nextLinks (same origin only) until done or past `max` items. */
export async function pages<T>(graph: GraphContext, operation: GraphOperation, first: string, max: number, map: (v: unknown) => T): Promise<T[]> {
  const out: T[] = [];
  let path = first;
  for (let page = 0; page < MAX_PAGES; page++) {
    const current = path;
    const body = await call(operation, () => graph.client.api(current).get());
    out.push(...valuesOf(body).map(map));
    if (out.length > max) throw new GroupTooLargeError(max);
    const next = asObject(body)['@odata.nextLink'];
    if (typeof next !== 'string') return out;
    if (new URL(next).origin !== graph.origin) {
      throw toGraphError({ status: 0, message: `nextLink points to another origin: ${new URL(next).origin}` }, operation);
    }
    path = next;
  }
  throw toGraphError({ status: 0, message: `more than ${MAX_PAGES} pages` }, operation);
}

export function userPathOrThrow(idOrUpn: string, operation: GraphOperation): string {
  try {
    return userPath(idOrUpn);
  } catch (e) {
    throw badInput(operation, e);
  }
}

export function groupPathOrThrow(groupId: string, operation: GraphOperation): string {
  try {
    return groupPath(groupId);
  } catch (e) {
    throw badInput(operation, e);
  }
}

/** Membership writes name the member by object id only (`directoryObjects/{id}`). */
export function objectIdOrThrow(id: string, operation: GraphOperation): string {
  if (!isGuid(id)) throw badInput(operation, new RangeError(`Not an object id: ${id}`));
  return id.toLowerCase();
}

export function badInput(operation: GraphOperation, e: unknown): GraphError {
  return new GraphError({
    code: 'badRequest',
    status: 400,
    userMessage: said('graphBadIdentifier'),
    detail: `${operation}: ${e instanceof Error ? e.message : String(e)}`,
  });
}
