/**
 * JSON `$batch`: at most 20 requests per round trip, answers in any order (matched by id),
 * and each item may be throttled on its own (429 + its own Retry-After). The SDK retries
 * only the top-level POST, never the items inside, so this module re-sends the items that
 * failed transiently, each after its own Retry-After, within the retry policy's bounds.
 */
import { RETRYABLE_STATUSES, parseRetryAfter, retryDelayInMs, shouldRetry, type RetryPolicy } from './retry';

export const MAX_BATCH_SIZE = 20;

export interface BatchItemRequest {
  id: string;
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  /** Relative to the version root, e.g. `/users/megan@contoso.com?$select=id`. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Posts one `$batch` payload and returns the parsed JSON answer (the gateway uses the SDK). */
export type BatchSender = (payload: { requests: unknown[] }) => Promise<unknown>;

/** Thrown when Graph's answer is not a `$batch` response (missing or unknown ids). */
export class BatchProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchProtocolError';
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Sends `requests` in batches of ≤ 20 and returns every item's final answer by id. Items
 * answered 429/503/504 are re-sent after their own Retry-After (or backoff); an item still
 * failing after `maxRetries`, or asking to wait longer than `maxRetryAfterInMs`, is
 * returned as it last came back, for the caller to map to an error.
 */
export async function executeBatch(
  send: BatchSender,
  requests: readonly BatchItemRequest[],
  policy: RetryPolicy,
): Promise<Map<string, BatchItemResponse>> {
  const ids = new Set<string>();
  for (const r of requests) {
    if (ids.has(r.id)) throw new RangeError(`Duplicate $batch request id: ${r.id}`);
    ids.add(r.id);
  }

  const results = new Map<string, BatchItemResponse>();
  const attempts = new Map<string, number>();
  // Pending items, each with the virtual time (ms since the first round) it may be re-sent.
  let pending = requests.map((request) => ({ request, notBefore: 0 }));
  let clock = 0;

  while (pending.length > 0) {
    const nextAt = Math.min(...pending.map((p) => p.notBefore));
    if (nextAt > clock) {
      await policy.sleep(nextAt - clock);
      clock = nextAt;
    }
    const due = pending.filter((p) => p.notBefore <= clock);
    pending = pending.filter((p) => p.notBefore > clock);

    for (const group of chunk(due, MAX_BATCH_SIZE)) {
      const answers = await sendOne(send, group.map((p) => p.request));
      for (const { request } of group) {
        const answer = answers.get(request.id);
        if (!answer) throw new BatchProtocolError(`$batch answer has no response for request id ${request.id}`);
        const attempt = (attempts.get(request.id) ?? 0) + 1;
        attempts.set(request.id, attempt);
        if (RETRYABLE_STATUSES.has(answer.status)) {
          const delay = retryDelayInMs(policy, attempt, parseRetryAfter(answer.headers['retry-after']));
          if (shouldRetry(policy, attempt, delay)) {
            pending.push({ request, notBefore: clock + delay });
            continue;
          }
        }
        results.set(request.id, answer);
      }
    }
  }
  return results;
}

async function sendOne(send: BatchSender, requests: BatchItemRequest[]): Promise<Map<string, BatchItemResponse>> {
  const payload = {
    requests: requests.map((r) => ({
      id: r.id,
      method: r.method,
      url: r.url,
      ...(r.body !== undefined
        ? { body: r.body, headers: { 'Content-Type': 'application/json', ...r.headers } }
        : r.headers
          ? { headers: r.headers }
          : {}),
    })),
  };
  const raw = await send(payload);
  return parseBatchResponse(raw, new Set(requests.map((r) => r.id)));
}

/** Maps Graph's `responses` array (any order) by id; header names are lower-cased. */
export function parseBatchResponse(raw: unknown, expectedIds: ReadonlySet<string>): Map<string, BatchItemResponse> {
  const responses = (raw as { responses?: unknown } | null | undefined)?.responses;
  if (!Array.isArray(responses)) throw new BatchProtocolError('$batch answer has no responses array');
  const out = new Map<string, BatchItemResponse>();
  for (const item of responses as unknown[]) {
    const r = item as { id?: unknown; status?: unknown; headers?: unknown; body?: unknown };
    const id = typeof r.id === 'string' ? r.id : String(r.id);
    if (!expectedIds.has(id)) throw new BatchProtocolError(`$batch answer has an unexpected id ${id}`);
    const headers: Record<string, string> = {};
    if (r.headers && typeof r.headers === 'object') {
      for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    }
    out.set(id, { id, status: typeof r.status === 'number' ? r.status : Number(r.status), headers, body: r.body });
  }
  return out;
}
