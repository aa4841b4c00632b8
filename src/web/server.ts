/**
 * The HTTP edge: restify with `POST /api/messages` (handed to the bot adapter), the health
 * probes and the plain pages. Knows nothing about botbuilder: the caller passes the
 * message handler.
 *
 * Every turn and every page request runs in its own correlation scope
 * (src/telemetry/correlation.ts), so each log line and audit event it causes names it.
 *
 * Health, unauthenticated, GET and HEAD alike:
 * - `/health/live`: 200 while the process serves; calls nothing (a liveness probe that
 *   touches dependencies restarts a healthy bot when Graph is down).
 * - `/health/ready`: runs the health checks (storage, Graph), each with its time limit;
 *   200 when all pass, 503 naming the ones that failed. Names and timings only: the
 *   reasons go to the log, once per change, never to the caller.
 * - `/health`: the report with each failed check's message, as before.
 *
 * Nothing the server writes names a one-time dispute link (`/dispute/<token>`): a refused
 * request is logged with its path redacted (src/telemetry/urlRedaction.ts) and answered
 * with a fixed sentence, never restify's message (which repeats the URL); restify's own
 * logger goes through ours. Slow clients are cut off: see HttpTimeouts.
 */
import * as restify from 'restify';
import type { HealthCheck } from '../storage/types';
import { createLogger } from '../log';
import { correlationIdOf, withCorrelation } from '../telemetry/correlation';
import { ATTR, inTurnSpan } from '../telemetry/tracing';
import { redactUrl } from '../telemetry/urlRedaction';
import type { PageResponse } from './page';

const log = createLogger('server');

type MessageHandler = (req: restify.Request, res: restify.Response) => Promise<void>;

export interface ServerOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  mode: 'sandbox' | 'production';
  handleMessages: MessageHandler;
  healthChecks: HealthCheck[];
  /** Per-check time limit for /health and /health/ready. */
  healthTimeoutInMs?: number;
  /** Plain pages the bot serves to browsers (the user guide, the owner's dispute link). */
  pages?: PageRoute[];
  /** Tests shorten these; production keeps DEFAULT_HTTP_TIMEOUTS. */
  timeouts?: Partial<HttpTimeouts>;
}

/**
 * How long a client may take, so that a few slow or idle connections cannot hold the server
 * (slowloris). None of these limits how long the bot takes to answer: a turn may wait for
 * Graph, and the socket has no inactivity timeout (`server.timeout` stays 0) for that reason.
 */
export interface HttpTimeouts {
  /**
   * Time to send the request line and all headers (node `server.headersTimeout`; node's
   * default is 60 s). 10 s: the Bot Connector, Teams and a browser send them in one packet.
   */
  headersTimeoutInMs: number;
  /**
   * Time to send the whole request, headers and body (node `server.requestTimeout`; default
   * 300 s). 30 s: bodies here are at most MAX_BODY_BYTES of JSON or an empty form.
   */
  requestTimeoutInMs: number;
  /**
   * How long an idle keep-alive connection stays open (node `server.keepAliveTimeout`;
   * default 5 s). 65 s: longer than the 60 s idle timeout of common load balancers, so they
   * never send a request down a socket the bot is closing (a spurious 502). Node counts the
   * two limits above only while a request is arriving, not while a connection idles.
   */
  keepAliveTimeoutInMs: number;
  /**
   * How often node checks the header and request limits (`connectionsCheckingInterval`,
   * default 30 s, which would let a 10 s limit run to 40 s). 1 s is a walk over the open
   * connections once a second.
   */
  checkIntervalInMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  headersTimeoutInMs: 10_000,
  requestTimeoutInMs: 30_000,
  keepAliveTimeoutInMs: 65_000,
  checkIntervalInMs: 1_000,
};

/** A page route: restify path pattern, and a handler answering with the whole page. */
interface PageRoute {
  method: 'GET' | 'POST';
  path: string;
  /** `query`: the URL's query parameters (the step-up sign-in returns with `code` and `state`). */
  handle(params: Record<string, string | undefined>, query: Record<string, string | undefined>): Promise<PageResponse> | PageResponse;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface HealthReport {
  status: 'ok' | 'degraded';
  mode: 'sandbox' | 'production';
  checks: Record<string, { ok: boolean; ms: number; error?: string }>;
}

/** The answer of /health/ready: which checks passed, never why one failed. */
interface ReadinessReport {
  status: 'ready' | 'notReady';
  checks: Record<string, { ok: boolean; ms: number }>;
  /** Names of the checks that failed or timed out. */
  failed: string[];
}

async function runHealthChecks(checks: HealthCheck[], mode: HealthReport['mode'], timeoutInMs: number): Promise<HealthReport> {
  const results = await Promise.all(
    checks.map(async (c) => {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          c.check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutInMs} ms`)), timeoutInMs);
          }),
        ]);
        return [c.name, { ok: true, ms: Date.now() - started }] as const;
      } catch (e) {
        // The check's own message, never a stack: /health is unauthenticated.
        const error = e instanceof Error ? e.message.slice(0, 200) : 'failed';
        return [c.name, { ok: false, ms: Date.now() - started, error }] as const;
      } finally {
        if (timer) clearTimeout(timer);
      }
    }),
  );
  const report: HealthReport = { status: 'ok', mode, checks: {} };
  for (const [name, r] of results) {
    report.checks[name] = r;
    if (!r.ok) report.status = 'degraded';
  }
  return report;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const server = restify.createServer({
    name: 'tap-helpdesk-bot',
    // Restify's domain-based catching is deprecated; an exception nobody caught ends the
    // process (the host restarts it) rather than serving on in an unknown state.
    handleUncaughtExceptions: false,
    // `/dispute/<token>/` (a mail client may add the slash) is the same page.
    ignoreTrailingSlash: true,
    log: restifyLogAdapter(),
  });
  applyTimeouts(server.server, { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts });
  server.use(restify.plugins.bodyParser({ maxBodySize: options.maxBodyBytes, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    if (!req.is('application/json') || typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      res.send(400, { error: { code: 'BadRequest', message: 'POST /api/messages expects a JSON Bot Framework activity.' } });
      return;
    }
    const activity = req.body as Record<string, unknown>;
    const headers = req.headers as Record<string, string | string[] | undefined>;
    await inTurnSpan({ headers, activityType: activity['type'], activityName: activity['name'] }, async ({ traceId, span }) => {
      const correlationId = traceId ?? correlationIdOf({ headers, activityId: activity['id'] });
      span.setAttribute(ATTR.correlationId, correlationId);
      const onRequestId = (requestId: string): void => void span.setAttribute(ATTR.requestId, requestId);
      await withCorrelation(
        async () => {
          try {
            await options.handleMessages(req, res);
          } catch (e) {
            log.error('message handling failed', { error: e });
            if (!res.headersSent) res.send(500, { error: { code: 'InternalError', message: 'The bot could not process this activity.' } });
          }
        },
        { correlationId, onRequestId },
      );
      span.setAttribute(ATTR.httpStatus, res.statusCode);
    });
  });

  // The Agents Playground probes the endpoint with HEAD (any status will do) each time a
  // chat opens, and people open the printed URL in a browser: both are normal, so they get
  // the answer restify would give (405, Allow: POST), but no warning in the log.
  const onlyPost = (_req: restify.Request, res: restify.Response, next: restify.Next): void => {
    res.header('Allow', 'POST');
    res.send(405, { error: { code: 'MethodNotAllowed', message: 'POST /api/messages expects a JSON Bot Framework activity.' } });
    next();
  };
  server.head('/api/messages', onlyPost);
  server.get('/api/messages', onlyPost);

  for (const route of options.pages ?? []) {
    // restify takes a two-argument handler only when it is an async function.
    const handler = async (req: restify.Request, res: restify.Response): Promise<void> =>
      withCorrelation(() => page(req, res), { correlationId: correlationIdOf({ headers: req.headers as Record<string, string | string[] | undefined> }) });
    const page = async (req: restify.Request, res: restify.Response): Promise<void> => {
      try {
        const query = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
        const answer = await route.handle((req.params ?? {}) as Record<string, string | undefined>, query);
        res.writeHead(answer.status, { ...answer.headers, 'Content-Type': answer.contentType });
        res.end(answer.body);
      } catch (e) {
        log.error('page failed', { path: route.path, error: e });
        if (!res.headersSent) res.send(500, { error: { code: 'InternalError', message: 'This page could not be shown. Try again in a minute.' } });
      }
    };
    if (route.method === 'GET') {
      // Link checkers and mail scanners send HEAD: the same answer without a body (node drops it).
      server.get(route.path, handler);
      server.head(route.path, handler);
    } else server.post(route.path, handler);
  }

  const timeoutInMs = options.healthTimeoutInMs ?? 5000;
  const health = async (_req: restify.Request, res: restify.Response): Promise<void> => {
    const report = await runHealthChecks(options.healthChecks, options.mode, timeoutInMs);
    res.send(report.status === 'ok' ? 200 : 503, report);
  };
  server.get('/health', health);
  server.head('/health', health);

  const live = async (_req: restify.Request, res: restify.Response): Promise<void> => {
    res.send(200, { status: 'live' });
  };
  server.get('/health/live', live);
  server.head('/health/live', live);

  const readiness = readinessProbe(options.healthChecks, options.mode, timeoutInMs);
  const ready = async (_req: restify.Request, res: restify.Response): Promise<void> => {
    const report = await readiness();
    res.send(report.status === 'ready' ? 200 : 503, report);
  };
  server.get('/health/ready', ready);
  server.head('/health/ready', ready);

  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number }, callback: () => void) => {
    // Body too large, bad JSON, unknown route, method or content type: answer in one JSON
    // shape with a clear message. Restify's messages repeat the URL ("/dispute/<token>/ does
    // not exist"): the path is logged redacted (the logger scrubs the reason too), and the
    // caller gets a fixed sentence.
    const status = err.statusCode ?? 500;
    log.warn('request rejected', { method: req.method, path: redactUrl(req.path()), status, reason: err.message });
    res.json(status, { error: { code: err.name, message: rejectionMessage(status) } });
    callback();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open: end them.
        (server.server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** What a refused request is told: fixed words, never anything it sent. */
function rejectionMessage(status: number): string {
  switch (status) {
    case 400:
      return 'The request body could not be read.';
    case 404:
      return 'There is nothing at this address.';
    case 405:
      return 'This address does not take this method.';
    case 406:
      return 'This address cannot answer in the format asked for.';
    case 413:
      return 'The request body is too large.';
    case 415:
      return 'This address does not take this content type.';
    default:
      return status >= 500 ? 'The bot could not handle this request.' : 'The request was refused.';
  }
}

function applyTimeouts(http: restify.Server['server'], timeouts: HttpTimeouts): void {
  http.headersTimeout = timeouts.headersTimeoutInMs;
  http.requestTimeout = timeouts.requestTimeoutInMs;
  http.keepAliveTimeout = timeouts.keepAliveTimeoutInMs;
  // Read by node when the server starts listening (setupConnectionsTracking).
  (http as { connectionsCheckingInterval?: number }).connectionsCheckingInterval = timeouts.checkIntervalInMs;
}

/**
 * Restify logs through a pino-style logger of its own (to stdout, with the whole request
 * when a formatter fails). This one sends its warnings and errors through ours instead,
 * the request as method and redacted path only; its trace lines are dropped.
 */
function restifyLogAdapter(): restify.ServerOptions['log'] {
  const restifyLog = createLogger('restify');
  const fieldsOf = (args: unknown[]): { message: string; fields: Record<string, unknown> } => {
    const [first, second] = args;
    if (typeof first === 'string') return { message: first, fields: {} };
    const given = first !== null && typeof first === 'object' ? (first as Record<string, unknown>) : {};
    const fields: Record<string, unknown> = {};
    const req = given['req'] as { method?: unknown; url?: unknown } | undefined;
    if (req && typeof req === 'object') {
      fields['method'] = typeof req.method === 'string' ? req.method : undefined;
      fields['path'] = typeof req.url === 'string' ? redactUrl(req.url) : undefined;
    }
    if (given['err'] instanceof Error) fields['error'] = given['err'];
    return { message: typeof second === 'string' ? second : first instanceof Error ? first.message : 'restify', fields };
  };
  const forward =
    (level: 'warn' | 'error') =>
    (...args: unknown[]): void => {
      const { message, fields } = fieldsOf(args);
      restifyLog[level](message, fields);
    };
  const quiet = (): void => undefined;
  const adapter = {
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: forward('warn'),
    error: forward('error'),
    fatal: forward('error'),
    child: () => adapter,
  };
  // Restify's typings name bunyan's Logger; restify 11 calls only the methods above.
  return adapter as unknown as restify.ServerOptions['log'];
}

/**
 * Runs the checks for /health/ready. A check's reason is logged when its outcome changes
 * (a probe every few seconds must not repeat it), and only there.
 */
function readinessProbe(checks: HealthCheck[], mode: HealthReport['mode'], timeoutInMs: number): () => Promise<ReadinessReport> {
  const lastOk = new Map<string, boolean>();
  return async () => {
    const report = await runHealthChecks(checks, mode, timeoutInMs);
    const answer: ReadinessReport = { status: report.status === 'ok' ? 'ready' : 'notReady', checks: {}, failed: [] };
    for (const [name, result] of Object.entries(report.checks)) {
      answer.checks[name] = { ok: result.ok, ms: result.ms };
      if (!result.ok) answer.failed.push(name);
      if (lastOk.get(name) !== result.ok) {
        if (result.ok) {
          if (lastOk.has(name)) log.info('readiness check passes again', { check: name });
        } else {
          log.warn('readiness check failed', { check: name, reason: result.error ?? 'failed', ms: result.ms });
        }
        lastOk.set(name, result.ok);
      }
    }
    return answer;
  };
}
