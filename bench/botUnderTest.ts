/**
 * The real bot (startApp) against the sandbox tenant and the Bot Connector stand-in, all on
 * loopback, driven as Teams drives it. The same pieces as test/support/httpHarness.ts, but
 * without its debug log capture: a benchmark must not measure its own log buffer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import type { RunningApp } from '../src/app';
import { startSandboxApp as startApp } from '../dev/sandboxApp';
import { configureLogging } from '../src/log';
import { startSandbox } from '../sandbox/server';
import { SANDBOX_TENANT_ID, USERS } from '../sandbox/ids';
import type { RunningSandbox, SandboxKnobs, SandboxRequestRecord } from '../sandbox/types';
import { startFakeConnector, TeamsClient, type FakeConnector, type Persona, type RecordedActivity } from '../test/support/fakeConnector';
import { timeGraphRequests, type GraphWindows } from './rounds';

export type PersonKey = keyof typeof USERS;

export const FORM = {
  reason: 'Lost phone; verified on a video call',
  ticket: 'INC-4711',
  scenario: 'recovery',
  lifetimeInMinutes: '60',
  isUsableOnce: 'true',
} as const;

/**
 * The velocity limits stay on (each request is still checked and counted in storage, as
 * in production) but high enough for hundreds of requests by one agent for one target;
 * the defaults (20 an hour, 3 passes a day) would refuse all but the first few.
 */
const BENCH_LIMITS = {
  LIMIT_REQUESTS_PER_AGENT_PER_HOUR: '10000',
  LIMIT_OPEN_APPROVALS_PER_APPROVER: '1000',
  LIMIT_PASSES_PER_TARGET_PER_DAY: '1000',
  // The benchmarks measure the one-approver path; four eyes is a second card, not a cost.
  RISK_RECENT_PASS_DAYS: '0',
};

export interface BotUnderTest {
  sandbox: RunningSandbox;
  connector: FakeConnector;
  app: RunningApp;
  client(person: PersonKey): TeamsClient;
  /** A client for anyone in the directory (the generated crews of bench/directory.ts). */
  clientFor(persona: Persona): TeamsClient;
  /** When the connector stand-in received each activity (ms, performance.now()). */
  receivedAt: WeakMap<RecordedActivity, number>;
  /** When the sandbox received and answered each request (bench/rounds.ts). */
  graphWindows: GraphWindows;
  stop(): Promise<void>;
}

export interface BotUnderTestOptions {
  knobs?: Partial<SandboxKnobs>;
  seed?: number;
  env?: Record<string, string>;
  /** Sandbox directory seed (default sandbox/directory.json). */
  directory?: unknown;
  /** More people who open the bot once at start (so it holds their conversation references). */
  install?: readonly Persona[];
}

/** Warnings and errors still reach stderr: a benchmark that hides failures lies. */
export function quietLogging(): void {
  configureLogging({ level: 'warn', sink: (line) => process.stderr.write(`${line}\n`) });
}

export async function startBotUnderTest(options: BotUnderTestOptions = {}): Promise<BotUnderTest> {
  quietLogging();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-bench-'));
  const sandbox = await startSandbox({
    port: 0,
    seed: options.seed ?? 1,
    ...(options.knobs ? { knobs: options.knobs } : {}),
    ...(options.directory ? { directory: options.directory } : {}),
  });
  const graphWindows = timeGraphRequests(sandbox);
  const connector = await startFakeConnector();
  const receivedAt = new WeakMap<RecordedActivity, number>();
  // Time-stamp arrivals without changing the stand-in: wrap push on this one array.
  const push = connector.log.push.bind(connector.log);
  connector.log.push = (...items: RecordedActivity[]): number => {
    const now = performance.now();
    for (const item of items) receivedAt.set(item, now);
    return push(...items);
  };
  const config = loadConfig({
    PORT: '0',
    SANDBOX_GRAPH_PORT: '0',
    PLAYGROUND: 'false',
    LOG_LEVEL: 'warn',
    SQLITE_PATH: path.join(dir, 'bot.sqlite'),
    ...BENCH_LIMITS,
    ...options.env,
  });
  let app: RunningApp;
  try {
    app = await startApp(config, { sandbox, sweepIntervalInMs: 3_600_000 });
  } catch (e) {
    await connector.stop();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const clientFor = (persona: Persona): TeamsClient => new TeamsClient(app.messagesUrl, connector.serviceUrl, SANDBOX_TENANT_ID, persona);
  const client = (person: PersonKey): TeamsClient => {
    const u = USERS[person];
    return clientFor({ id: u.id, name: u.name, upn: u.upn });
  };
  // Every persona has opened the bot once, so the bot holds their conversation references.
  const everyone = [...(['adele', 'alex', 'nestor', 'lee', 'joni', 'megan'] as PersonKey[]).map((p) => USERS[p]), ...(options.install ?? [])];
  for (const p of everyone) {
    const r = await clientFor(p).install();
    if (r.status >= 300) throw new Error(`install for ${p.name} answered ${r.status}`);
  }
  return {
    sandbox,
    connector,
    app,
    client,
    clientFor,
    receivedAt,
    graphWindows,
    async stop() {
      await app.stop().catch(() => undefined);
      await connector.stop().catch(() => undefined);
      await sandbox.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Json = Record<string, unknown>;

/** The card in an invoke response body, or an error naming what came back instead. */
export function invokeCard(body: unknown): Json {
  const b = body as { type?: string; value?: Json } | undefined;
  if (b?.type !== 'application/vnd.microsoft.card.adaptive' || !b.value) {
    throw new Error(`expected a card invoke response, got ${JSON.stringify(body).slice(0, 300)}`);
  }
  return b.value;
}

/** The request id carried by a card's Action.Execute data. */
export function requestIdIn(card: unknown): string | undefined {
  let found: string | undefined;
  const walk = (node: unknown): void => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const o = node as Json;
    const data = o.data as Json | undefined;
    if (o.type === 'Action.Execute' && typeof data?.requestId === 'string') found = data.requestId;
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

/** Whether an activity carries the delivery card (the code in a monospace run). */
export function carriesPass(activity: Json): boolean {
  let found = false;
  const walk = (node: unknown): void => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const o = node as Json;
    if (o.fontType === 'Monospace' && typeof o.text === 'string') found = true;
    Object.values(o).forEach(walk);
  };
  walk(activity.attachments);
  return found;
}

/** Graph round trips in a slice of the sandbox log: HTTP requests, token calls, batch items. */
export interface RoundTrips {
  http: number;
  token: number;
  graph: number;
  batches: number;
  batchItems: number;
  throttled: number;
}

export function countRoundTrips(records: readonly SandboxRequestRecord[]): RoundTrips {
  const out: RoundTrips = { http: records.length, token: 0, graph: 0, batches: 0, batchItems: 0, throttled: 0 };
  for (const r of records) {
    if (!r.url.startsWith('/v1.0')) {
      out.token++;
      continue;
    }
    out.graph++;
    if (r.status === 429) out.throttled++;
    if (r.batchItems) {
      out.batches++;
      out.batchItems += r.batchItems.length;
      out.throttled += (r.batchItemStatuses ?? []).filter((s) => s === 429).length;
    }
  }
  return out;
}

const TRIP_KEYS = ['http', 'token', 'graph', 'batches', 'batchItems', 'throttled'] as const;

export function sumTrips(trips: readonly RoundTrips[]): RoundTrips {
  const out: RoundTrips = { http: 0, token: 0, graph: 0, batches: 0, batchItems: 0, throttled: 0 };
  for (const t of trips) for (const k of TRIP_KEYS) out[k] += t[k];
  return out;
}

export function averageTrips(trips: readonly RoundTrips[]): RoundTrips {
  const sum = sumTrips(trips);
  const n = Math.max(1, trips.length);
  for (const k of TRIP_KEYS) sum[k] /= n;
  return sum;
}
