/**
 * A cheap Graph reachability probe for `/health`: one GET of the TAP policy proves the
 * network path, the TLS trust, the credential (a token was issued) and one permission.
 * Answers are reused for a few seconds so a busy health checker cannot throttle the bot.
 */
import { GraphError } from '../errors';
import type { TapGraph } from './types';

interface GraphHealth {
  ok: boolean;
  /** `ok`, or the GraphError code that made the probe fail (`unauthorized`, `forbidden`, …). */
  status: 'ok' | GraphError['code'];
  latencyInMs: number;
  /** Person-readable reason when not ok (never a Graph payload). */
  message?: string;
  checkedAt: string;
}

export interface GraphHealthProbeOptions {
  /** Reuse an answer this long. Default 10 s. */
  cacheInMs?: number;
  /** Give up after this long. Default 5 s. */
  timeoutInMs?: number;
  now?: () => number;
}

export type GraphHealthProbe = () => Promise<GraphHealth>;

export function createGraphHealthProbe(graph: Pick<TapGraph, 'getTapPolicy'>, options: GraphHealthProbeOptions = {}): GraphHealthProbe {
  const cacheInMs = options.cacheInMs ?? 10_000;
  const timeoutInMs = options.timeoutInMs ?? 5_000;
  const now = options.now ?? Date.now;
  let last: { at: number; result: GraphHealth } | undefined;
  let inFlight: Promise<GraphHealth> | undefined;

  const probe = async (): Promise<GraphHealth> => {
    const started = now();
    const result = await withTimeout(graph.getTapPolicy(), timeoutInMs).then(
      (): GraphHealth => ({ ok: true, status: 'ok', latencyInMs: now() - started, checkedAt: new Date(started).toISOString() }),
      (e: unknown): GraphHealth => ({
        ok: false,
        status: e instanceof GraphError ? e.code : 'unavailable',
        latencyInMs: now() - started,
        message: e instanceof GraphError ? e.userMessage : 'Microsoft Graph did not answer in time.',
        checkedAt: new Date(started).toISOString(),
      }),
    );
    last = { at: started, result };
    return result;
  };

  return async () => {
    if (last && now() - last.at < cacheInMs) return last.result;
    inFlight ??= probe().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
