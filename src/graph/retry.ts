/**
 * One retry policy for everything the gateway sends: top-level requests (through
 * `RetryMiddleware`, which replaces the SDK's RetryHandler so retries are never stacked)
 * and the items of a `$batch` (which the SDK never retries; see batch.ts).
 */
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import { createLogger } from '../log';

const log = createLogger('graph.retry');

/** Transient answers: throttled, unavailable, gateway timeout. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export interface RetryPolicy {
  /** Retries after the first attempt (0 = never retry). */
  maxRetries: number;
  /** Waits for `ms`; injected in tests so waits are asserted, not slept. */
  sleep: (ms: number) => Promise<void>;
  /** A Retry-After longer than this is not waited for: the caller is told to come back later. */
  maxRetryAfterInMs: number;
  /** First backoff when the server gives no Retry-After; doubles per attempt. */
  baseDelayInMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  // Graph guidance: honour Retry-After and keep trying; 5 retries make a 30 % throttle rate
  // fail a call 0.2 % of the time instead of 0.8 % (see bench/README.md).
  maxRetries: 5,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  maxRetryAfterInMs: 30_000,
  baseDelayInMs: 1_000,
};

/**
 * `Retry-After` as milliseconds: delta-seconds (Graph sends whole seconds; fractions are
 * accepted) or an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowInMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // Only an HTTP date (it has a weekday and month name); Date.parse would read "-3" as a year.
  if (!/^[A-Za-z]{3},/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowInMs);
}

/** The wait before retry number `attempt` (1-based): the server's word, else exponential backoff. */
export function retryDelayInMs(policy: RetryPolicy, attempt: number, retryAfterInMs: number | undefined): number {
  if (retryAfterInMs !== undefined) return retryAfterInMs;
  return Math.min(policy.baseDelayInMs * 2 ** (attempt - 1), policy.maxRetryAfterInMs);
}

/** Whether another attempt is allowed and worth waiting for. */
export function shouldRetry(policy: RetryPolicy, attempt: number, delayInMs: number): boolean {
  return attempt <= policy.maxRetries && delayInMs <= policy.maxRetryAfterInMs;
}

/** Errors thrown by the transport before any HTTP status: resets, refused connections, timeouts. */
export function isNetworkError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|ECONNABORTED|UND_ERR_SOCKET|ERR_GRAPH_TIMEOUT)$/.test(code);
}

/**
 * Graph client middleware: retries 429/503/504 and network failures with the policy above.
 * Requests here carry string bodies (JSON), so re-sending them is always possible.
 */
/**
 * Middleware option: send this request once, never re-send it. For a `$batch` of TAP
 * creates, where a re-sent envelope could create passes whose first answers were lost:
 * the caller reconciles instead (see flow/bulk/engine.ts).
 */
export class SendOnce implements MiddlewareOptions {}

/**
 * Middleware option: re-send only after a 429 (Graph refused it, nothing was done). A lost
 * connection or a 5xx may have done the work: for a TAP create that answer is "unknown",
 * and re-sending could make a second pass whose first code nobody ever saw.
 */
export class RetryThrottledOnly implements MiddlewareOptions {}

export class RetryMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly policy: RetryPolicy) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error('RetryMiddleware needs a next middleware.');
    if (context.middlewareControl?.getMiddlewareOptions(SendOnce)) {
      await next.execute(context);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      context.response = undefined;
      try {
        await next.execute(context);
      } catch (e) {
        if (!isNetworkError(e)) throw e;
        failure = e;
      }
      // Re-read: the next middleware sets it (TypeScript still sees the reset above).
      const response = context.response as Response | undefined;
      const status = response?.status;
      const throttledOnly = Boolean(context.middlewareControl?.getMiddlewareOptions(RetryThrottledOnly));
      if (throttledOnly && failure !== undefined) throw failure;
      const transient = throttledOnly ? status === 429 : failure !== undefined || (status !== undefined && RETRYABLE_STATUSES.has(status));
      if (!transient) return;
      const retryAfter = failure === undefined ? parseRetryAfter(response?.headers.get('retry-after')) : undefined;
      const delay = retryDelayInMs(this.policy, attempt, retryAfter);
      if (!shouldRetry(this.policy, attempt, delay)) {
        if (failure !== undefined) throw failure;
        return;
      }
      log.debug('retrying Graph request', {
        method: context.options?.method ?? 'GET',
        status: status ?? null,
        network: failure !== undefined,
        attempt,
        delayInMs: delay,
      });
      await this.policy.sleep(delay);
    }
  }
}
