/**
 * Entry point (`npm start`). The only module that reads process.env.
 * No credentials → sandbox mode: the local sandbox tenant, the bot, and two Agents
 * Playground chats (a helpdesk agent and a manager). Any credential → production, and the
 * sandbox is never started.
 *
 * Stopping: SIGINT (Ctrl-C), SIGTERM (IDEs, process managers, `npm start`, which execs
 * tsx, which relays to this process) and SIGHUP stop everything gracefully, a second
 * signal at once. The Playground processes also die with this process however it ends,
 * SIGKILL included (src/dev/playground.ts).
 *
 * Output: production writes one JSON line per event to stdout (containers and Application
 * Insights read it). Sandbox mode is for a person at a terminal: it shows one short line
 * per event (formatHuman) under the banner, and keeps the JSON lines in a file.
 */
import './quietDeprecations'; // first: before anything loads restify
import { mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { loadConfig, type Config } from './config';
import { ConfigError } from './errors';
import { configureLogging, createLogger, formatHuman } from './log';
import { startApp, type RunningApp } from './app';
import { startPlayground } from './dev/playground';
import { USERS } from '../sandbox/ids';

const log = createLogger('main');

const SANDBOX_BANNER = `
┌──────────────────────────────────────────────────────────────────────────────┐
│  SANDBOX MODE: no Microsoft credentials are configured.                      │
│  Talking to the LOCAL SANDBOX TENANT, not Microsoft Entra. Passes issued     │
│  here are fake and sign nobody in. Bot Framework tokens are NOT checked.     │
│  Set MicrosoftAppId etc. (see .env.example) for a real deployment.           │
└──────────────────────────────────────────────────────────────────────────────┘`;

/** The sandbox's JSON log lives next to its database file (SQLITE_PATH), else in .data/. */
function sandboxLogPath(config: Config): string {
  const database = config.storage.kind === 'sqlite' ? config.storage.path : '';
  const dir = database === '' || database === ':memory:' ? '.data' : dirname(database);
  const path = join(dir, 'bot.log.jsonl');
  return isAbsolute(path) ? path : `./${path}`;
}

/**
 * Short lines on the terminal, naming people from the sandbox directory; every JSON line
 * appended to the file (synchronously: nothing is lost on exit).
 */
function logForTerminal(level: Config['logLevel'], path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  const names = new Map<string, string>(Object.values(USERS).map((u) => [u.id, u.name]));
  configureLogging({
    level,
    sink: (line, record) => {
      writeSync(fd, `${line}\n`);
      const text = formatHuman(record, { nameOf: (id) => names.get(id) });
      if (text !== undefined) process.stdout.write(`${text}\n`);
    },
  });
}

/** How long a graceful stop may take before the process exits anyway. */
const SHUTDOWN_GRACE_IN_MS = 10_000;
/** What stops `npm start`: Ctrl-C, IDEs and process managers, a closed terminal. */
type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
/** Exit codes of a forced stop, as the shell reports a death by that signal. */
const EXIT_ON_SIGNAL: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example for every setting and its default.\n`);
      process.exit(2);
    }
    throw e;
  }
  const logPath = config.mode === 'sandbox' ? sandboxLogPath(config) : undefined;
  if (logPath) {
    logForTerminal(config.logLevel, logPath);
    const playgrounds = config.sandbox.playground.enabled ? ' and two Agents Playgrounds' : '';
    process.stdout.write(`Starting in sandbox mode: the sandbox tenant, the bot${playgrounds}…\n`);
  } else {
    configureLogging({ level: config.logLevel });
  }

  // Handlers first: a stop request during start-up must stop what has started so far.
  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const shutdown = async (signal: StopSignal): Promise<void> => {
    if (stopping) {
      // A second Ctrl-C means now; the Playgrounds die with this process regardless.
      process.exit(EXIT_ON_SIGNAL[signal]);
    }
    stopping = true;
    log.info('shutting down', { signal });
    // A stop that hangs (a client holding a connection open) must not keep the ports taken.
    setTimeout(() => {
      log.warn('shutdown took too long, exiting anyway', { afterInMs: SHUTDOWN_GRACE_IN_MS });
      process.exit(1);
    }, SHUTDOWN_GRACE_IN_MS).unref();
    for (const stop of stops.reverse()) await stop().catch((e) => log.warn('stop failed', { error: e }));
    process.exit(0);
  };
  for (const signal of Object.keys(EXIT_ON_SIGNAL) as StopSignal[]) process.on(signal, () => void shutdown(signal));

  const app = await startApp(config);
  stops.push(() => app.stop());

  const lines = [`Bot listening on ${app.messagesUrl}  (health: ${app.server.url}/health)`];
  if (app.sandbox) lines.push(`Sandbox tenant (Graph + token endpoint) on ${app.sandbox.origin}`);

  if (config.mode === 'sandbox' && config.sandbox.playground.enabled) {
    const people = Object.values(USERS).map((u) => ({ id: u.id, name: u.name, upn: u.upn }));
    const personas = [
      { label: 'Helpdesk agent (Adele Vance)', port: config.sandbox.playground.agentPort, persona: USERS.adele },
      { label: 'Manager (Nestor Wilke)     ', port: config.sandbox.playground.managerPort, persona: USERS.nestor },
    ];
    for (const p of personas) {
      if (stopping) return;
      const pg = await startPlayground({
        port: p.port,
        botEndpoint: app.messagesUrl,
        persona: { id: p.persona.id, name: p.persona.name, upn: p.persona.upn },
        tenantId: app.config.tenantId,
        people,
      });
      stops.push(() => pg.stop());
      lines.push(`${p.label}: ${pg.url}`);
    }
    lines.push(
      '',
      'Open both URLs, the manager\'s first: the bot can reach Nestor only once his tab has been',
      'opened. Then in the agent\'s tab type:  tap megan@contoso.com',
    );
  }
  if (logPath) lines.push('', `The full log (JSON lines) is in ${logPath}; below, one line per event.`);
  if (stopping) return;
  const banner = config.mode === 'sandbox' ? `${SANDBOX_BANNER}\n` : '';
  process.stdout.write(`${banner}\n${lines.join('\n')}\n\nPress Ctrl-C to stop everything.\n`);
}

main().catch((e: unknown) => {
  log.error('failed to start', { error: e });
  process.stderr.write(`Failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

export type { RunningApp };
