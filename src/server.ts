/**
 * The HTTP edge: restify with `POST /api/messages` (handed to the bot adapter), the health
 * probes and the plain pages. Knows nothing about botbuilder: the caller passes the
 * message handler.
 *
 * Every turn and every page request runs in its own correlation scope
 * (telemetry/correlation.ts), so each log line and audit event it causes names it.
 *
 * Health, unauthenticated, GET and HEAD alike:
 * - `/health/live`: 200 while the process serves; calls nothing (a liveness probe that
 *   touches dependencies restarts a healthy bot when Graph is down).
 * - `/health/ready`: runs the health checks (storage, Graph), each with its time limit;
 *   200 when all pass, 503 naming the ones that failed. Names and timings only: the
 *   reasons go to the log, once per change, never to the caller.
 * - `/health`: the report with each failed check's message, as before.
 */
import * as restify from 'restify';
import type { HealthCheck } from './storage/types';
import { createLogger } from './log';
import { correlationIdOf, withCorrelation } from './telemetry/correlation';
import { ATTR, inTurnSpan } from './telemetry/tracing';

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
}

/** A page route: restify path pattern, and a handler answering with the whole page. */
interface PageRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(params: Record<string, string | undefined>): Promise<PageAnswer> | PageAnswer;
}

interface PageAnswer {
  status: number;
  contentType: string;
  headers: Record<string, string>;
  body: string;
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
  const server = restify.createServer({ name: 'tap-helpdesk-bot', handleUncaughtExceptions: false });
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
        const answer = await route.handle((req.params ?? {}) as Record<string, string | undefined>);
        res.writeHead(answer.status, { ...answer.headers, 'Content-Type': answer.contentType });
        res.end(answer.body);
      } catch (e) {
        log.error('page failed', { path: route.path, error: e });
        if (!res.headersSent) res.send(500, { error: { code: 'InternalError', message: 'This page could not be shown. Try again in a minute.' } });
      }
    };
    if (route.method === 'GET') server.get(route.path, handler);
    else server.post(route.path, handler);
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
    // Body too large, bad JSON, unknown route: answer in one JSON shape with a clear message.
    log.warn('request rejected', { method: req.method, path: req.path(), status: err.statusCode, reason: err.message });
    res.json(err.statusCode ?? 500, { error: { code: err.name, message: err.message } });
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
