/**
 * The bot's own spans: one per incoming turn, one per Graph call. Without a registered
 * OpenTelemetry SDK every call here lands on the API's no-op tracer, so the code paths pay
 * next to nothing when telemetry is off.
 *
 * Which copy of @opentelemetry/api: the SDK registers its tracer provider through the API
 * copy it was installed with, and an API copy of a newer minor version refuses to read a
 * global written by an older one (it answers with no-ops). @azure/monitor-opentelemetry
 * 1.18.0 brings its own @opentelemetry/api 1.9.x while the project depends on 1.10.0, so
 * startTelemetry hands the SDK's copy to adoptApi. Once both resolve to one copy, that
 * call changes nothing.
 *
 * What never goes on a span: URLs with their queries, request or response bodies, Graph's
 * error messages, the TAP. Attributes are ids, names of operations, statuses and counts.
 */
import * as otel from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { correlationFields } from './correlation';

export type OtelApi = typeof otel;

export const TRACER_NAME = 'tap-helpdesk-bot';

/** Span attribute names of this bot (OpenTelemetry's own names where one exists). */
export const ATTR = {
  correlationId: 'tap.correlation_id',
  requestId: 'tap.request_id',
  activityType: 'bot.activity.type',
  activityName: 'bot.activity.name',
  graphOperation: 'graph.operation',
  graphRetries: 'graph.retries',
  errorType: 'error.type',
  httpMethod: 'http.request.method',
  httpStatus: 'http.response.status_code',
} as const;

let api: OtelApi = otel;

/** Use the API copy the registered SDK uses (see the note at the top). */
export function adoptApi(sdkApi: OtelApi): void {
  api = sdkApi;
}

/** Back to the project's own API copy (tests, after they unregister their SDK). */
export function resetApi(): void {
  api = otel;
}

/** Looked up per use, not cached: a tracer taken before the SDK started would stay a no-op proxy bound to the old global. */
function tracer(): otel.Tracer {
  return api.trace.getTracer(TRACER_NAME);
}

/** Graph spans still open, with the HTTP attempts counted so far. */
const graphAttempts = new WeakMap<Span, number>();

/**
 * Runs one turn of /api/messages inside a server span. `run` gets the span's trace id when
 * a real SDK records it (the correlation id then equals the trace's operation id in
 * Application Insights), undefined with the no-op tracer.
 */
export async function inTurnSpan<T>(
  incoming: { headers: Record<string, string | string[] | undefined>; activityType: unknown; activityName: unknown },
  run: (turn: { traceId: string | undefined; span: Span }) => Promise<T>,
): Promise<T> {
  // With the HTTP instrumentation the server span is already active; without it (or with
  // an instrumentation on another API copy) continue the caller's trace from the headers.
  const active = api.context.active();
  const parent = api.trace.getSpan(active)?.spanContext();
  const context = parent && api.trace.isSpanContextValid(parent) ? active : api.propagation.extract(active, incoming.headers);
  const attributes: Attributes = {};
  const type = safeName(incoming.activityType, /^[A-Za-z]{1,32}$/);
  if (type) attributes[ATTR.activityType] = type;
  const name = safeName(incoming.activityName, /^[A-Za-z0-9./_-]{1,64}$/);
  if (name) attributes[ATTR.activityName] = name;
  return tracer().startActiveSpan('bot.turn', { kind: api.SpanKind.SERVER, attributes }, context, async (span) => {
    const spanContext = span.spanContext();
    const traceId = span.isRecording() && api.trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
    try {
      return await run({ traceId, span });
    } catch (e) {
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorType(e) });
      span.setAttribute(ATTR.errorType, errorType(e));
      throw e;
    } finally {
      span.end();
    }
  });
}

/**
 * One Graph operation (all its retries) as a span. The transport reports each HTTP attempt
 * (noteGraphAttempt); failures carry the coded reason, never Graph's message: for
 * createTap nothing of the response may leave the gateway.
 */
/** `operation` names the Graph operation (graph/errors.ts `GraphOperation`), as the span's name. */
export async function inGraphSpan<T>(operation: string, run: () => Promise<T>): Promise<T> {
  const { correlationId, requestId } = correlationFields();
  const attributes: Attributes = {
    [ATTR.graphOperation]: operation,
    ...(correlationId ? { [ATTR.correlationId]: correlationId } : {}),
    ...(requestId ? { [ATTR.requestId]: requestId } : {}),
  };
  return tracer().startActiveSpan(`graph.${operation}`, { kind: api.SpanKind.CLIENT, attributes }, async (span) => {
    graphAttempts.set(span, 0);
    try {
      return await run();
    } catch (e) {
      const code = errorType(e);
      span.setAttribute(ATTR.errorType, code);
      const status = (e as { status?: unknown }).status;
      if (typeof status === 'number' && status > 0) span.setAttribute(ATTR.httpStatus, status);
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: code });
      throw e;
    } finally {
      graphAttempts.delete(span);
      span.end();
    }
  });
}

/** Called by the Graph transport once per HTTP attempt, inside the operation's span. */
export function noteGraphAttempt(method: string, status: number | undefined): void {
  const span = api.trace.getActiveSpan();
  if (!span) return;
  const attempts = graphAttempts.get(span);
  if (attempts === undefined) return;
  graphAttempts.set(span, attempts + 1);
  span.setAttribute(ATTR.httpMethod, method);
  span.setAttribute(ATTR.graphRetries, attempts);
  if (status !== undefined) span.setAttribute(ATTR.httpStatus, status);
}

/** A coded reason safe for a span: an AppError's code, else the error's class name. */
function errorType(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code)) return code;
  return e instanceof Error && /^[A-Za-z]{1,64}$/.test(e.name) ? e.name : 'error';
}

function safeName(value: unknown, pattern: RegExp): string | undefined {
  return typeof value === 'string' && pattern.test(value) ? value : undefined;
}
