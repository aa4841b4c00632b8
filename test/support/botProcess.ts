/**
 * The bot as a process of its own, so tests can run two of them on one store and kill one
 * with SIGKILL at a chosen moment. It runs as the integration harness runs the bot
 * (test/support/httpHarness.ts): sandbox mode (no Bot Framework tokens), against the sandbox
 * tenant the TEST started in its own process, with the bot's Bot Connector replies going to
 * the `serviceUrl` the test's activities carry (a fake connector in the test process).
 *
 * Why not `src/index.ts` itself: in sandbox mode it starts its own sandbox tenant, and a
 * sandbox inside the killed process would take its count of created passes with it. So this
 * file is also the child's entry: `startApp(loadConfig(env))` exactly as index.ts does it,
 * handed the test's sandbox (its URLs, credentials and CA come in TEST_BOT_* variables),
 * plus the two things only tests set: a clock offset and the sweep interval.
 *
 * Start-up through `node --import tsx` (esbuild, cached) is about a second here: measured in
 * test/multiprocess/races.test.ts and printed; no build step.
 */
import '../../src/quietDeprecations'; // first: the child loads restify below
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RunningSandbox } from '../../sandbox/types';
import { loadConfig } from '../../src/config';
import type { StorageConfig } from '../../src/storage/types';
import { startSandboxApp as startApp } from '../../dev/sandboxApp';
import { configureLogging } from '../../src/log';

/** A SQLite file, or a container in Azure Blob Storage (Azurite). */
export type BotStorage = StorageConfig;

export interface BotProcessOptions {
  /** The sandbox tenant running in the test process. */
  sandbox: RunningSandbox;
  storage: BotStorage;
  /** More configuration, as `.env.example` names it (limits, risk rules, …). */
  env?: Record<string, string>;
  /** The bot's clock runs this far ahead (e.g. past the "interrupted issuance" bound). */
  clockOffsetInMinutes?: number;
  /** Default 1 h: the sweep runs once at start, then only when the test says so. */
  sweepIntervalInMs?: number;
  /** Tells the processes apart in failure output. */
  name?: string;
  startTimeoutInMs?: number;
}

export interface BotProcess {
  name: string;
  pid: number;
  /** `http://127.0.0.1:PORT/api/messages` */
  messagesUrl: string;
  /** How long from spawn to listening, in ms. */
  startedInMs: number;
  /** Everything the process wrote (JSON log lines, stderr), oldest first. */
  output: string[];
  /** Resolves when the process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Graceful stop (SIGTERM: running issuances finish first), SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** SIGKILL now: no handler runs, nothing is flushed. Resolves once the process is gone. */
  kill9(): Promise<void>;
}

interface ReadyMessage {
  ready: true;
  messagesUrl: string;
}

const STOP_GRACE_IN_MS = 12_000;

export async function startBotProcess(options: BotProcessOptions): Promise<BotProcess> {
  const name = options.name ?? 'bot';
  const sb = options.sandbox;
  const storageEnv: Record<string, string> =
    options.storage.kind === 'sqlite'
      ? { STORAGE: 'sqlite', SQLITE_PATH: options.storage.path }
      : { STORAGE: 'blobs', BLOB_CONNECTION_STRING: options.storage.connectionString ?? '', BLOB_CONTAINER: options.storage.container };
  const env: NodeJS.ProcessEnv = {
    // Only what the bot needs: nothing of the test runner's environment leaks into its config.
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TMPDIR: process.env.TMPDIR ?? '',
    HOST: '127.0.0.1',
    PORT: '0',
    PLAYGROUND: 'false',
    LOG_LEVEL: 'info',
    ...storageEnv,
    ...options.env,
    TEST_BOT_SANDBOX: JSON.stringify({
      origin: sb.origin,
      graphBaseUrl: sb.graphBaseUrl,
      authorityHost: sb.authorityHost,
      tenantId: sb.tenantId,
      clientId: sb.clientId,
      clientSecret: sb.clientSecret,
      caPem: sb.caPem,
    }),
    TEST_BOT_CLOCK_OFFSET_MINUTES: String(options.clockOffsetInMinutes ?? 0),
    TEST_BOT_SWEEP_INTERVAL_MS: String(options.sweepIntervalInMs ?? 3_600_000),
  };
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', __filename], {
    cwd: path.resolve(__dirname, '../..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  const collect = (prefix: string) => {
    let partial = '';
    return (chunk: Buffer): void => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line) output.push(prefix + line);
    };
  };
  child.stdout?.on('data', collect(''));
  child.stderr?.on('data', collect('stderr: '));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;

  const kill9 = async (): Promise<void> => {
    if (!gone()) child.kill('SIGKILL');
    await exited;
  };
  const stop = async (): Promise<void> => {
    if (gone()) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_IN_MS);
    await exited;
    clearTimeout(forced);
  };

  try {
    const ready = await waitForReady(child, exited, output, options.startTimeoutInMs ?? 30_000);
    return { name, pid: child.pid ?? -1, messagesUrl: ready.messagesUrl, startedInMs: Date.now() - started, output, exited, stop, kill9 };
  } catch (e) {
    await kill9();
    throw e;
  }
}

function waitForReady(child: ChildProcess, exited: Promise<unknown>, output: string[], timeoutInMs: number): Promise<ReadyMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot process did not start within ${timeoutInMs} ms:\n${output.join('\n')}`)), timeoutInMs);
    child.once('message', (m: unknown) => {
      clearTimeout(timer);
      const msg = m as Partial<ReadyMessage>;
      if (msg.ready && typeof msg.messagesUrl === 'string') resolve(msg as ReadyMessage);
      else reject(new Error(`unexpected message from the bot process: ${JSON.stringify(m)}`));
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the bot process exited before it was ready:\n${output.join('\n')}`));
    });
  });
}

/** The child: the app's wiring from the environment, as src/index.ts does it. */
async function runChild(): Promise<void> {
  const config = loadConfig(process.env);
  configureLogging({ level: config.logLevel, sink: (line) => process.stdout.write(`${line}\n`) });
  const given = JSON.parse(process.env.TEST_BOT_SANDBOX ?? '{}') as Pick<
    RunningSandbox,
    'origin' | 'graphBaseUrl' | 'authorityHost' | 'tenantId' | 'clientId' | 'clientSecret' | 'caPem'
  >;
  // The app reads only the sandbox's identity and URLs; its knobs and state live in the test.
  const elsewhere = (): never => {
    throw new Error('the sandbox runs in the test process');
  };
  const sandbox: RunningSandbox = {
    ...given,
    get knobs() {
      return elsewhere();
    },
    get requests() {
      return elsewhere();
    },
    get state() {
      return elsewhere();
    },
    resetRequests: elsewhere,
    reset: elsewhere,
    expireTokens: elsewhere,
    stop: async () => undefined,
  };
  const offsetInMs = Number(process.env.TEST_BOT_CLOCK_OFFSET_MINUTES ?? '0') * 60_000;
  const app = await startApp(config, {
    sandbox,
    ...(offsetInMs !== 0 ? { clock: () => new Date(Date.now() + offsetInMs) } : {}),
    sweepIntervalInMs: Number(process.env.TEST_BOT_SWEEP_INTERVAL_MS ?? '3600000'),
  });
  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    void app.stop().finally(() => process.exit(0));
  });
  // The test process gone (its IPC channel closed): do not outlive it.
  process.on('disconnect', () => process.exit(1));
  process.send?.({ ready: true, messagesUrl: app.messagesUrl } satisfies ReadyMessage);
}

if (require.main === module) {
  runChild().catch((e: unknown) => {
    process.stderr.write(`bot process failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
