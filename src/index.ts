/**
 * Entry point (`npm start`). The only module that reads process.env.
 * No credentials → sandbox mode: the local sandbox tenant, the bot, and one Agents
 * Playground chat per persona of src/dev/personas.ts (agent, manager, fallback and second
 * approver, skip-level manager, end user), each introduced to the bot at start-up so it
 * can reach everyone. Any credential → production, and the sandbox is never started.
 *
 * Stopping: SIGINT (Ctrl-C), SIGTERM (IDEs, process managers, `npm start`, which execs
 * tsx, which relays to this process) and SIGHUP stop everything gracefully, a second
 * signal at once. The Playground processes also die with this process however it ends,
 * SIGKILL included (src/dev/playground.ts).
 *
 * Output: production writes one JSON line per event to stdout (containers and Application
 * Insights read it). Sandbox mode is for a person at a terminal: it shows one short line
 * per event (formatHuman) under the banner, and keeps the JSON lines in a file. *
 * Telemetry: with APPLICATIONINSIGHTS_CONNECTION_STRING set, traces go to Application
 * Insights. It starts before the app is loaded (require in main), so the HTTP
 * instrumentation is in place before restify and the Graph transport take `http`.
 */
import './quietDeprecations'; // first: before anything loads restify
import { mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { loadConfig, type Config } from './config';
import { ConfigError } from './errors';
import { configureLogging, createLogger, formatHuman } from './log';
import type { RunningApp } from './app';
import { startTelemetry } from './telemetry/otel';
import type { PlaygroundInstance } from './dev/playground';
import type { Persona } from './dev/personas';

/** Sandbox tooling (Playgrounds, personas, the sandbox's ids), loaded only in sandbox mode: production imports none of it. */
function dev(): typeof import('./dev/playground') & typeof import('./dev/personas') & typeof import('../sandbox/ids') {
  /* eslint-disable @typescript-eslint/no-require-imports -- on demand, see above */
  return {
    ...(require('./dev/playground') as typeof import('./dev/playground')),
    ...(require('./dev/personas') as typeof import('./dev/personas')),
    ...(require('../sandbox/ids') as typeof import('../sandbox/ids')),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

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
  const names = new Map<string, string>(Object.values(dev().USERS).map((u) => [u.id, u.name]));
  configureLogging({
    level,
    sink: (line, record) => {
      writeSync(fd, `${line}\n`);
      const text = formatHuman(record, { nameOf: (id) => names.get(id) });
      if (text !== undefined) process.stdout.write(`${text}\n`);
    },
  });
}

/** One banner line per Playground tab: where, who you are there, what to try. */
function tabLines(tabs: Array<{ persona: Persona; url: string; known: boolean }>): string[] {
  const urlWidth = Math.max(...tabs.map((t) => t.url.length));
  const nameWidth = Math.max(...tabs.map((t) => t.persona.person.name.length));
  return tabs.map(({ persona, url, known }) => {
    const unknown = known ? '' : '  (open this tab before asking)';
    return `  ${url.padEnd(urlWidth)}  ${persona.person.name.padEnd(nameWidth)}  ${persona.tryHere}${unknown}`;
  });
}

/** The next steps under the tabs, including when and from whom a second approval is needed. */
function firstSteps(config: Config, allKnown: boolean): string[] {
  const steps = [
    allKnown
      ? 'The bot already knows everyone. Open all the tabs before asking: a tab shows only some of'
      : 'The bot learns a person when their tab opens: open the marked tabs before asking, and the',
    allKnown
      ? 'what the bot sent while it was closed (a limit of the Playground).'
      : 'others too: a tab shows only some of what the bot sent while it was closed.',
    "In Adele's tab type  tap megan@contoso.com  and submit the form. Nestor's tab shows the",
    "approval card; after Approve, Adele's tab shows the pass and Megan's tab a notice.",
  ];
  const { recentPassWithinDays, onElevated, secondApproverGroupId } = config.risk;
  if (recentPassWithinDays > 0 && onElevated === 'secondApprover' && secondApproverGroupId) {
    const who = secondApproverGroupId === dev().GROUPS.fallbackApprovers ? `${dev().USERS.joni.name} approves in her tab` : 'the second approver group approves';
    steps.push(`A second pass for the same person within ${recentPassWithinDays} days needs four eyes: ${who} too.`);
  } else if (recentPassWithinDays > 0 && onElevated === 'refuse') {
    steps.push(`A second pass for the same person within ${recentPassWithinDays} days is refused (RISK_ELEVATED=refuse).`);
  }
  return steps;
}

/** How long a graceful stop may take before the process exits anyway. */
const SHUTDOWN_GRACE_IN_MS = 10_000;
/** What stops `npm start`: Ctrl-C, IDEs and process managers, a closed terminal. */
type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
/** Exit codes of a forced stop, as the shell reports a death by that signal. */
const EXIT_ON_SIGNAL: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** True when the bot answered both activities of the persona's introduction with 2xx; a warning otherwise. */
async function introduceQuietly(persona: Persona, playground: PlaygroundInstance): Promise<boolean> {
  try {
    const introduction = await playground.introduceToBot();
    if (dev().introduced(introduction)) return true;
    log.warn('the bot did not confirm a Playground persona; their tab must be opened first', { persona: persona.person.upn, ...introduction });
  } catch (e) {
    log.warn('could not introduce a Playground persona to the bot; their tab must be opened first', { persona: persona.person.upn, error: e });
  }
  return false;
}

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
    const playgrounds = config.sandbox.playground.enabled ? ` and ${dev().PERSONAS.length} Agents Playgrounds` : '';
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

  const telemetry = startTelemetry(config.telemetry);
  // Pushed first, so it runs last: what the stopping app still traces is flushed too.
  stops.push(() => telemetry.shutdown());
  if (telemetry.enabled) log.info('traces go to Application Insights', { serviceName: config.telemetry.serviceName });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- after startTelemetry, see above
  const { startApp } = require('./app') as typeof import('./app');
  const app = await startApp(config);
  stops.push(() => app.stop());

  const lines = [`Bot listening on ${app.messagesUrl}  (health: ${app.server.url}/health)`];
  if (app.sandbox) lines.push(`Sandbox tenant (Graph + token endpoint) on ${app.sandbox.origin}`);

  if (config.mode === 'sandbox' && config.sandbox.playground.enabled) {
    const people = Object.values(dev().USERS).map((u) => ({ id: u.id, name: u.name, upn: u.upn }));
    // In parallel (about 4 s for five on two cores, 130 MB each); if one fails, the others are stopped.
    const started = await dev().startPlaygrounds(
      dev().personaPeople(),
      { botEndpoint: app.messagesUrl, tenantId: app.config.tenantId, people },
      dev().personaPorts(config.sandbox.playground),
    );
    stops.push(() => started.stopAll());
    if (stopping) return;
    // What opening each tab would do: the bot can reach every approver even before their tab opens.
    const introduced = await Promise.all(
      dev().PERSONAS.map((p) => introduceQuietly(p, started[p.key])),
    );
    const tabs = dev().PERSONAS.map((persona, i) => ({ persona, url: started[persona.key].url, known: introduced[i] ?? false }));
    lines.push('', 'One Agents Playground tab per person:', ...tabLines(tabs), '', ...firstSteps(app.config, tabs.every((t) => t.known)));
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
