/**
 * A person's sign-in methods: the tenant's TAP policy, their passes (listed, created one at
 * a time or in one bulk `$batch`, deleted), every method they have registered, and their
 * sign-in sessions. A created pass is returned to the caller and nowhere else.
 */
import { GraphError } from '../errors';
import { createLogger } from '../log';
import { MAX_BATCH_SIZE, parseBatchResponse, type BatchItemResponse } from './batch';
import { call, userPathOrThrow, type GraphContext } from './client';
import { failureOfItem, mapThrown, toGraphError } from './errors';
import { RetryThrottledOnly, SendOnce, parseRetryAfter } from './retry';
import { toIssuedTap, toTapMethodInfo, toTapPolicy, valuesOf } from './shapes';
import { registeredMethods } from './signals';
import type { IssuedTap, RegisteredMethod, TapCreateOptions, TapCreateOutcome, TapMethodInfo, TapPolicy } from './types';

// Every gateway module logs as 'graph', so the gateway's lines read as one source whichever module wrote them.
const log = createLogger('graph');

export const TAP_POLICY_PATH = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';

export async function getTapPolicy(graph: GraphContext): Promise<TapPolicy> {
  const body = await call('getTapPolicy', () => graph.client.api(TAP_POLICY_PATH).get());
  return toTapPolicy(body);
}

export async function listTaps(graph: GraphContext, userId: string): Promise<TapMethodInfo[]> {
  const path = `${userPathOrThrow(userId, 'listTaps')}/authentication/temporaryAccessPassMethods`;
  const body = await call('listTaps', () => graph.client.api(path).get());
  return valuesOf(body).map(toTapMethodInfo);
}

/** The answer holds the pass: it is returned to the caller and nowhere else (no logs, no errors). */
export async function createTap(graph: GraphContext, userId: string, options: TapCreateOptions): Promise<IssuedTap> {
  const path = `${userPathOrThrow(userId, 'createTap')}/authentication/temporaryAccessPassMethods`;
  const request = createBody(options);
  const body = await call('createTap', () => graph.client.api(path).middlewareOptions([new RetryThrottledOnly()]).post(request));
  let issued: IssuedTap;
  try {
    issued = toIssuedTap(body);
  } catch (e) {
    throw mapThrown(e, 'createTap');
  }
  log.info('created Temporary Access Pass', {
    userId,
    methodId: issued.id,
    lifetimeInMinutes: issued.lifetimeInMinutes,
    isUsableOnce: issued.isUsableOnce,
  });
  return issued;
}

/** Idempotent: a method that is already gone counts as deleted. */
export async function deleteTap(graph: GraphContext, userId: string, methodId: string): Promise<void> {
  const path = `${userPathOrThrow(userId, 'deleteTap')}/authentication/temporaryAccessPassMethods/${encodeURIComponent(methodId)}`;
  try {
    await call('deleteTap', () => graph.client.api(path).delete());
  } catch (e) {
    if (e instanceof GraphError && e.code === 'notFound') return;
    throw e;
  }
}

/**
 * One `$batch` of creates, sent once (SendOnce): a 429 item is "not created, send later";
 * a 5xx item or a lost envelope is "unknown", because Graph may have made the pass and its
 * code cannot be read back. The codes are returned to the caller and nowhere else.
 */
export async function createTapsOnce(
  graph: GraphContext,
  items: ReadonlyArray<{ userId: string; options: TapCreateOptions }>,
): Promise<TapCreateOutcome[]> {
  if (items.length === 0) return [];
  if (items.length > MAX_BATCH_SIZE) throw new RangeError(`At most ${MAX_BATCH_SIZE} creates per $batch (got ${items.length}).`);
  const requests = items.map((item, n) => ({
    id: String(n),
    method: 'POST' as const,
    url: `${userPathOrThrow(item.userId, 'createTap')}/authentication/temporaryAccessPassMethods`,
    body: createBody(item.options),
    headers: { 'Content-Type': 'application/json' },
  }));
  let raw: unknown;
  try {
    raw = await graph.client.api('/$batch').middlewareOptions([new SendOnce()]).post({ requests });
  } catch (e) {
    const error = mapThrown(e, 'createTap');
    log.warn('bulk create $batch failed', { items: items.length, errorCode: error.code, status: error.status });
    // A 4xx/429 on the envelope means Graph refused the whole batch before running it.
    const refused = error.status >= 400 && error.status < 500;
    return items.map((item) =>
      refused
        ? { userId: item.userId, outcome: 'notCreated', error, retryable: error.status === 429, ...(error.retryAfterSeconds !== undefined ? { retryAfterInMs: error.retryAfterSeconds * 1000 } : {}) }
        : { userId: item.userId, outcome: 'unknown', error },
    );
  }
  let answers: Map<string, BatchItemResponse>;
  try {
    answers = parseBatchResponse(raw, new Set(requests.map((r) => r.id)));
  } catch (e) {
    const error = mapThrown(e, 'createTap');
    return items.map((item) => ({ userId: item.userId, outcome: 'unknown', error }));
  }
  return items.map((item, n): TapCreateOutcome => {
    const answer = answers.get(String(n));
    if (!answer) return { userId: item.userId, outcome: 'unknown', error: toGraphError({ status: 0, message: 'no $batch answer for this create' }, 'createTap') };
    if (answer.status >= 200 && answer.status < 300) {
      try {
        return { userId: item.userId, outcome: 'created', tap: toIssuedTap(answer.body) };
      } catch (e) {
        // A success whose body is not a pass: made, but the code is not readable.
        return { userId: item.userId, outcome: 'unknown', error: mapThrown(e, 'createTap') };
      }
    }
    // Graph's message stays out: nothing from a create response travels anywhere.
    const error = toGraphError({ ...failureOfItem(answer), message: undefined }, 'createTap');
    if (answer.status === 429) {
      const after = parseRetryAfter(answer.headers['retry-after']);
      return { userId: item.userId, outcome: 'notCreated', error, retryable: true, ...(after !== undefined ? { retryAfterInMs: after } : {}) };
    }
    if (answer.status >= 500 || answer.status === 0) return { userId: item.userId, outcome: 'unknown', error };
    return { userId: item.userId, outcome: 'notCreated', error, retryable: false };
  });
}

/** Only the options the caller set: Graph applies the policy's defaults to the rest. */
function createBody(options: TapCreateOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options.startDateTime !== undefined) body['startDateTime'] = options.startDateTime;
  if (options.lifetimeInMinutes !== undefined) body['lifetimeInMinutes'] = options.lifetimeInMinutes;
  if (options.isUsableOnce !== undefined) body['isUsableOnce'] = options.isUsableOnce;
  return body;
}

/** Every registered method of the user (the TAP and the password included), newest Graph shapes parsed by signals.ts. */
export async function listAuthenticationMethods(graph: GraphContext, userId: string): Promise<RegisteredMethod[]> {
  const path = `${userPathOrThrow(userId, 'listAuthenticationMethods')}/authentication/methods`;
  const body = await call('listAuthenticationMethods', () => graph.client.api(path).get());
  return registeredMethods(body);
}

export async function revokeSignInSessions(graph: GraphContext, userId: string): Promise<void> {
  const path = `${userPathOrThrow(userId, 'revokeSignInSessions')}/revokeSignInSessions`;
  await call('revokeSignInSessions', () => graph.client.api(path).post({}));
}
