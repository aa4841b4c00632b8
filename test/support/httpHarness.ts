/**
 * The whole bot over HTTP: the real server (startApp) + the sandbox tenant + a stand-in
 * Bot Connector, with Teams-like clients per persona. Only the clock is controllable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import type { RunningApp } from '../../src/app';
import { startSandboxApp as startApp } from '../../dev/sandboxApp';
import { configureLogging } from '../../src/log';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { USERS, SANDBOX_TENANT_ID } from '../../sandbox/ids';
import { startFakeConnector, TeamsClient, type FakeConnector, type RecordedActivity } from './fakeConnector';

export type PersonKey = keyof typeof USERS;

class TestClock {
  private offsetInMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetInMs);
  advanceMinutes(minutes: number): void {
    this.offsetInMs += minutes * 60_000;
  }
}

export interface Harness {
  sandbox: RunningSandbox;
  connector: FakeConnector;
  app: RunningApp;
  clock: TestClock;
  dir: string;
  sqlitePath: string;
  /** Every log line the bot wrote. */
  logLines: string[];
  client(person: PersonKey): TeamsClient;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-it-'));
  const sqlitePath = path.join(dir, 'bot.sqlite');
  const logLines: string[] = [];
  configureLogging({ level: 'debug', sink: (line) => logLines.push(line) });
  const clock = new TestClock();
  const sandbox = await startSandbox({ port: 0 });
  const connector = await startFakeConnector();
  const config = loadConfig({ PORT: '0', SANDBOX_GRAPH_PORT: '0', PLAYGROUND: 'false', SQLITE_PATH: sqlitePath, ...env });
  const boot = (): Promise<RunningApp> => startApp(config, { sandbox, clock: clock.now, sweepIntervalInMs: 3_600_000 });
  let app = await boot();
  const h: Harness = {
    sandbox,
    connector,
    get app() {
      return app;
    },
    clock,
    dir,
    sqlitePath,
    logLines,
    client(person) {
      const u = USERS[person];
      return new TeamsClient(app.messagesUrl, connector.serviceUrl, SANDBOX_TENANT_ID, { id: u.id, name: u.name, upn: u.upn });
    },
    async restart() {
      await app.stop();
      app = await boot();
    },
    async stop() {
      await app.stop().catch(() => undefined);
      await connector.stop().catch(() => undefined);
      await sandbox.stop().catch(() => undefined);
      configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

type Json = Record<string, unknown>;

/** Adaptive Cards in an activity the bot sent. */
export function cardsOf(activity: Json): Json[] {
  const atts = (activity.attachments as Json[] | undefined) ?? [];
  return atts.filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content as Json);
}

/** The card in an invoke response body. */
export function invokeCard(body: unknown): Json {
  const b = body as { statusCode?: number; type?: string; value?: Json };
  if (b?.type !== 'application/vnd.microsoft.card.adaptive' || !b.value) {
    throw new Error(`expected a card invoke response, got ${JSON.stringify(body).slice(0, 300)}`);
  }
  return b.value;
}

/** Everything the bot sent to or updated in one person's chat, oldest first. */
export function sentTo(h: Harness, person: PersonKey): RecordedActivity[] {
  const id = `a:personal-${USERS[person].id}`;
  return h.connector.log.filter((r) => r.conversationId === id);
}

export function textOf(value: unknown): string {
  return JSON.stringify(value);
}

/** Every Action.Execute in a card, with its verb and data. */
export function executeActions(card: unknown): Array<{ title: string; verb: string; data: Json }> {
  const found: Array<{ title: string; verb: string; data: Json }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Json;
    if (o.type === 'Action.Execute' && typeof o.verb === 'string') {
      found.push({ title: String(o.title ?? ''), verb: o.verb, data: (o.data as Json) ?? {} });
    }
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

/** The request id carried by a card's actions. */
export function requestIdIn(card: unknown): string {
  const ids = executeActions(card).map((a) => a.data.requestId).filter((v): v is string => typeof v === 'string');
  if (!ids[0]) {
    // The form came back: say why (its error line), not only that it did.
    const why = /"color":"Attention"[^}]*?"text":"([^"]+)"|"text":"([^"]+)"[^}]*?"color":"Attention"/.exec(textOf(card));
    throw new Error(`no requestId in card (${why?.[1] ?? why?.[2] ?? 'no error line'}): ${textOf(card).slice(0, 300)}`);
  }
  return ids[0];
}

/**
 * The TAP code shown on a delivery card: the CodeBlock's snippet (Teams on a computer), else
 * the monospace run of its fallback, which shows it in groups of four (phones).
 */
export function codeIn(card: unknown): string | undefined {
  let code: string | undefined;
  let snippet: string | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Json;
    if (o.type === 'CodeBlock' && typeof o.codeSnippet === 'string') snippet = o.codeSnippet;
    if (o.fontType === 'Monospace' && typeof o.text === 'string') code = o.text;
    Object.values(o).forEach(walk);
  };
  walk(card);
  return snippet ?? code;
}
