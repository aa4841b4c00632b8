/**
 * Which request a log line or an audit event belongs to, without passing ids through every
 * call: each turn (and each run of background work such as the expiry sweep) runs inside a
 * scope held by AsyncLocalStorage, which follows the async work started within it (awaits,
 * timers, promises left running after the turn answered).
 *
 * The scope carries a correlation id from the moment the HTTP request arrives, and the
 * TAP request id once the flow knows it (bindRequestId). log.ts and makeAudit read both.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

interface CorrelationScope {
  readonly correlationId: string;
  /** The TAP request this work is about, once known. */
  requestId?: string;
  /** Told when the request id is bound (the turn span records it). */
  readonly onRequestId?: (requestId: string) => void;
}

export interface CorrelationFields {
  correlationId?: string;
  requestId?: string;
}

const scopes = new AsyncLocalStorage<CorrelationScope>();

/** 32 lower-case hex digits: the shape of a W3C trace id, so both kinds of id read alike. */
function newCorrelationId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Runs `fn` in a new scope. A fresh correlation id unless one is given: the expiry sweep
 * and other work of the bot's own calls this with none.
 */
export function withCorrelation<T>(fn: () => T, options: { correlationId?: string; onRequestId?: (requestId: string) => void } = {}): T {
  const scope: CorrelationScope = {
    correlationId: options.correlationId ?? newCorrelationId(),
    ...(options.onRequestId ? { onRequestId: options.onRequestId } : {}),
  };
  return scopes.run(scope, fn);
}

/**
 * The flow learned which request this work is about (loaded, or just created). Outside a
 * scope (unit tests, a caller that opened none) it does nothing.
 */
export function bindRequestId(requestId: string): void {
  const scope = scopes.getStore();
  if (!scope || scope.requestId === requestId) return;
  scope.requestId = requestId;
  scope.onRequestId?.(requestId);
}

/** The ids of the current scope, for a log line or an audit event; {} outside any scope. */
export function correlationFields(): CorrelationFields {
  const scope = scopes.getStore();
  if (!scope) return {};
  return { correlationId: scope.correlationId, ...(scope.requestId !== undefined ? { requestId: scope.requestId } : {}) };
}

/** `00-<trace id>-<parent id>-<flags>` (W3C Trace Context); an all-zero trace id is invalid. */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
/**
 * What a caller-chosen id may look like to be reused: these ids end up in every log line,
 * so anything longer or with other characters (spaces, quotes, newlines) is not taken.
 */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,99}$/;

export interface IncomingIds {
  headers: Record<string, string | string[] | undefined>;
  /** The Bot Framework activity's id, if it has one. */
  activityId?: unknown;
}

/**
 * The correlation id of an incoming request: the W3C trace id of its `traceparent` (so the
 * logs meet the traces of whoever called), else `x-ms-correlation-id`, else the activity's
 * id, else a new one. Ids that do not look like ids are ignored, never cleaned up and used.
 */
export function correlationIdOf(incoming: IncomingIds): string {
  const traceparent = single(incoming.headers['traceparent'])?.trim().toLowerCase();
  const traceId = traceparent ? TRACEPARENT.exec(traceparent)?.[1] : undefined;
  if (traceId && !/^0+$/.test(traceId)) return traceId;
  const header = single(incoming.headers['x-ms-correlation-id'])?.trim();
  if (header && SAFE_ID.test(header)) return header;
  if (typeof incoming.activityId === 'string' && SAFE_ID.test(incoming.activityId)) return incoming.activityId;
  return newCorrelationId();
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
