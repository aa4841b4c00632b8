/**
 * What the multi-process tests share: the sandbox tenant and a fake Bot Connector in the
 * test process, one store (a SQLite file, or a container in an Azurite the test started),
 * bot processes on that store (test/support/botProcess.ts), Teams-like clients per person,
 * and the test's own connection to the store to read what the bots stored.
 *
 * Counting happens where the bots cannot lie about it: passes created are the sandbox's own
 * record of `POST /users/{id}/authentication/temporaryAccessPassMethods`, passes held are the
 * sandbox's TAP list of the user, deliveries are what the fake connector received.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox } from '../../sandbox/server';
import { SANDBOX_TENANT_ID, USERS } from '../../sandbox/ids';
import type { RunningSandbox, SandboxRequestRecord } from '../../sandbox/types';
import { configureLogging } from '../../src/log';
import { RequestRepository } from '../../src/flow/store/requestRepository';
import type { TapRequest } from '../../src/flow/types';
import { createStorage, type ManagedStorage } from '../../src/storage';
import { startFakeConnector, TeamsClient, type FakeConnector, type RecordedActivity } from './fakeConnector';
import { startBotProcess, type BotProcess, type BotProcessOptions, type BotStorage } from './botProcess';
import { startAzurite, type RunningAzurite } from './azurite';
import { cardsOf, codeIn, textOf } from './httpHarness';

export type PersonKey = keyof typeof USERS;
export type StoreKind = 'sqlite' | 'blobs';

/**
 * Settings that let one agent ask for the same people hundreds of times in a few minutes:
 * the velocity limits stay on (checked and counted in the shared store) but high, and the
 * risk rules that would ask for four eyes on a repeat pass, a fresh method, a risky user or
 * a recent manager change are off, so every round is one approval.
 */
export const MANY_ROUNDS_ENV: Readonly<Record<string, string>> = {
  LIMIT_REQUESTS_PER_AGENT_PER_HOUR: '10000',
  LIMIT_OPEN_APPROVALS_PER_APPROVER: '1000',
  LIMIT_PASSES_PER_TARGET_PER_DAY: '1000',
  RISK_RECENT_PASS_DAYS: '0',
  RISK_METHOD_REGISTERED_HOURS: '0',
  RISK_MANAGER_CHANGE_DAYS: '0',
  RISK_USER_LEVELS: '',
};

export interface World {
  kind: StoreKind;
  sandbox: RunningSandbox;
  connector: FakeConnector;
  /** Where the bots' Bot Connector calls go (the connector, or a gate in front of it). */
  serviceUrl: string;
  storage: BotStorage;
  /** The test's own connection to the bots' store. */
  store: ManagedStorage;
  repo: RequestRepository;
  /** Starts a bot process on this world's store; stopped by `stop()` unless stopped before. */
  startBot(name: string, options?: Partial<Omit<BotProcessOptions, 'sandbox' | 'storage'>>): Promise<BotProcess>;
  client(bot: BotProcess, person: PersonKey): TeamsClient;
  /** Tell each bot process's store who these people are (their 1:1 conversation). */
  install(bot: BotProcess, people: PersonKey[]): Promise<void>;
  /** Passes the sandbox was asked to create for this person so far (top-level POSTs). */
  creates(person: PersonKey): SandboxRequestRecord[];
  /** The pass cards (with a code) the connector received for this request. */
  deliveries(requestId: string): RecordedActivity[];
  /** The request as stored now. */
  request(id: string): Promise<TapRequest | undefined>;
  stop(): Promise<void>;
}

export interface WorldOptions {
  /** Route the bots' connector calls through this URL instead (a gate in front of `connector`). */
  serviceUrl?: (connector: FakeConnector) => Promise<{ serviceUrl: string; stop(): Promise<void> }>;
  /** An Azurite already running (blobs only); else one is started and stopped with the world. */
  azurite?: RunningAzurite;
  env?: Record<string, string>;
}

let containers = 0;

export async function startWorld(kind: StoreKind, options: WorldOptions = {}): Promise<World> {
  const stops: Array<() => Promise<void> | void> = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.splice(0).reverse()) await Promise.resolve().then(s).catch(() => undefined);
  };
  try {
    // The test process's own log (the sandbox's): warnings only.
    configureLogging({ level: 'warn', sink: (line) => process.stderr.write(`${line}\n`) });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-mp-'));
    stops.push(() => rmSync(dir, { recursive: true, force: true }));
    const sandbox = await startSandbox({ port: 0 });
    stops.push(() => sandbox.stop());
    const connector = await startFakeConnector();
    stops.push(() => connector.stop());
    let serviceUrl = connector.serviceUrl;
    if (options.serviceUrl) {
      const gate = await options.serviceUrl(connector);
      stops.push(() => gate.stop());
      serviceUrl = gate.serviceUrl;
    }

    let storage: BotStorage;
    if (kind === 'sqlite') {
      storage = { kind: 'sqlite', path: path.join(dir, 'bot.sqlite') };
    } else {
      let azurite = options.azurite;
      if (!azurite) {
        const started = await startAzurite();
        stops.push(() => started.stop());
        azurite = started;
      }
      storage = { kind: 'blobs', connectionString: azurite.connectionString, container: `mp-${process.pid}-${++containers}` };
    }
    const store = createStorage(storage);
    stops.push(() => store.close());
    const repo = new RequestRepository(store);

    const bots: BotProcess[] = [];
    stops.push(async () => {
      await Promise.all(bots.map((b) => b.stop()));
    });

    const world: World = {
      kind,
      sandbox,
      connector,
      serviceUrl,
      storage,
      store,
      repo,
      async startBot(name, more = {}) {
        const bot = await startBotProcess({ sandbox, storage, name, ...more, env: { ...options.env, ...more.env } });
        bots.push(bot);
        return bot;
      },
      client(bot, person) {
        const u = USERS[person];
        return new TeamsClient(bot.messagesUrl, serviceUrl, SANDBOX_TENANT_ID, { id: u.id, name: u.name, upn: u.upn });
      },
      async install(bot, people) {
        for (const p of people) {
          const r = await world.client(bot, p).install();
          if (r.status >= 300) throw new Error(`install of ${p} answered ${r.status}`);
        }
      },
      creates(person) {
        const id = USERS[person].id;
        return sandbox.requests.filter(
          (q) => q.method === 'POST' && (q.url.split('?')[0] ?? '').toLowerCase().endsWith(`/users/${id}/authentication/temporaryaccesspassmethods`),
        );
      },
      deliveries(requestId) {
        return connector.log.filter((r) => cardsOf(r.activity).some((c) => codeIn(c) !== undefined && textOf(c).includes(requestId)));
      },
      request: (id) => repo.get(id),
      stop,
    };
    return world;
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutInMs`. */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutInMs = 15_000, everyInMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutInMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutInMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyInMs));
  }
}

export { USERS };
