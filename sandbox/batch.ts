/**
 * JSON `$batch`: up to 20 requests, each run through the same router and fault layer as a
 * top-level request, so an item can be throttled (429 + its own Retry-After) while its
 * neighbours succeed. Responses come back shuffled, as Graph promises no order.
 */
import { badRequest, GraphHttpError, graphErrorBody, statusError } from './graphErrors';
import { errorResponse, routeGraphRequest, type GraphRequest, type GraphResponse, type GraphRouteContext } from './graphRoutes';

const MAX_BATCH_REQUESTS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

export interface BatchOutcome {
  response: GraphResponse;
  /** In request order, for the request log. */
  itemUrls: string[];
  itemMethods: string[];
  itemStatuses: number[];
}

function parseItems(payload: unknown): BatchItem[] {
  const requests = (payload as Record<string, unknown> | null)?.['requests'];
  if (!Array.isArray(requests) || requests.length === 0) throw badRequest('Invalid batch payload format: a non-empty "requests" array is required.');
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw badRequest(`Number of batch requests (${requests.length}) exceeds the limit of ${MAX_BATCH_REQUESTS}.`);
  }
  const items = requests.map((raw: unknown, index: number): BatchItem => {
    const r = (raw ?? {}) as Record<string, unknown>;
    const { id, method, url } = r;
    if (typeof id !== 'string' || id === '' || typeof method !== 'string' || typeof url !== 'string') {
      throw badRequest(`Invalid batch payload format: request ${index} needs string 'id', 'method' and 'url'.`);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((r['headers'] ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    const body = r['body'];
    // Graph refuses a body whose content type it cannot know.
    if (body !== undefined && !headers['content-type']) {
      throw badRequest(`Write request id : ${id} does not contain Content-Type header or body.`);
    }
    const dependsOn = r['dependsOn'] ?? [];
    if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string')) {
      throw badRequest(`Invalid batch payload format: 'dependsOn' of request ${id} must be an array of ids.`);
    }
    return { id, method: method.toUpperCase(), url, headers, body: typeof body === 'string' ? tryJson(body) : body, dependsOn: dependsOn as string[] };
  });
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) throw badRequest(`Invalid batch payload format: duplicate request id '${item.id}'.`);
    ids.add(item.id);
  }
  for (const item of items) {
    for (const dep of item.dependsOn) if (!ids.has(dep)) throw badRequest(`Request '${item.id}' depends on unknown request '${dep}'.`);
  }
  return items;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Items whose dependencies are done come first; a cycle is a bad request. */
function executionOrder(items: BatchItem[]): BatchItem[] {
  const done = new Set<string>();
  const order: BatchItem[] = [];
  let pending = items;
  while (pending.length > 0) {
    const ready = pending.filter((i) => i.dependsOn.every((d) => done.has(d)));
    if (ready.length === 0) throw badRequest('The dependsOn references of the batch form a cycle.');
    for (const item of ready) {
      order.push(item);
      done.add(item.id);
    }
    pending = pending.filter((i) => !done.has(i.id));
  }
  return order;
}

function runItem(item: BatchItem, results: Map<string, GraphResponse>, ctx: GraphRouteContext, roles: ReadonlySet<string> | undefined): GraphResponse {
  if (item.dependsOn.some((d) => (results.get(d)?.status ?? 500) >= 400)) {
    return {
      status: 424,
      headers: { 'Content-Type': 'application/json' },
      body: graphErrorBody('FailedDependency', 'A request this request depends on failed.'),
    };
  }
  if (/^https?:/i.test(item.url)) return errorResponse(badRequest('Batch request URLs must be relative to the version, e.g. /users/{id}.'));
  if (/^\/?\$batch/i.test(item.url)) return errorResponse(badRequest('A $batch request cannot contain another $batch.'));
  const fault = ctx.faults.decide(false);
  if (fault.kind === 'status') return errorResponse(statusError(fault.status, fault.retryAfter));
  // Each item is authorized on its own with the envelope's token: one forbidden item is a 403 among 200s.
  const request: GraphRequest = { method: item.method, url: item.url, headers: item.headers, body: item.body, ...(roles ? { roles } : {}) };
  return routeGraphRequest(request, ctx);
}

/** Fisher–Yates with the seeded PRNG; never the request order when there are 2+ items. */
function shuffled<T>(values: T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  if (out.length > 1 && out.every((v, i) => v === values[i])) out.reverse();
  return out;
}

export function executeBatch(payload: unknown, ctx: GraphRouteContext, random: () => number, roles?: ReadonlySet<string>): BatchOutcome {
  let items: BatchItem[];
  let order: BatchItem[];
  try {
    items = parseItems(payload);
    order = executionOrder(items);
  } catch (error) {
    if (error instanceof GraphHttpError) return { response: errorResponse(error), itemUrls: [], itemMethods: [], itemStatuses: [] };
    throw error;
  }
  const results = new Map<string, GraphResponse>();
  for (const item of order) results.set(item.id, runItem(item, results, ctx, roles));
  const responses = items.map((item) => {
    const result = results.get(item.id) as GraphResponse;
    return { id: item.id, status: result.status, headers: result.headers, ...(result.body === undefined ? {} : { body: result.body }) };
  });
  return {
    response: {
      status: 200,
      headers: { 'Content-Type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8' },
      body: { responses: shuffled(responses, random) },
    },
    itemUrls: items.map((i) => i.url),
    itemMethods: items.map((i) => i.method),
    itemStatuses: items.map((i) => (results.get(i.id) as GraphResponse).status),
  };
}
