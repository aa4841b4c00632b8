/**
 * The bot as a process: loads the configuration (exit 2 naming every problem when it does
 * not load), sets up logging and telemetry, stops gracefully on a signal, starts the app and
 * says where it listens. src/index.ts runs it for a deployment; dev/start.ts (`npm start`)
 * runs it with a local launcher, the only way to run sandbox mode.
 *
 * Stopping: SIGINT (Ctrl-C), SIGTERM (IDEs, process managers, `npm start`, which execs tsx,
 * which relays to this process) and SIGHUP stop everything gracefully, a second signal at
 * once.
 *
 * Output: production writes one JSON line per event to stdout (containers and Application
 * Insights read it); a local launcher may log for a person at a terminal instead.
 *
 * Telemetry: with APPLICATIONINSIGHTS_CONNECTION_STRING set, traces go to Application
 * Insights. It starts before the app is loaded (require below), so the HTTP instrumentation
 * is in place before restify and the Graph transport take `http`.
 */
import type { AppOptions, RunningApp } from './app';
import { loadConfig, type Config } from './config';
import type { Env } from './config/reader';
import { ConfigError } from './errors';
import { configureLogging, createLogger } from './log';
import { startTelemetry } from './telemetry/otel';

const log = createLogger('main');

/** Registers what a stop must undo, and tells a start-up step that a stop has begun. */
export interface Lifecycle {
  /** Stops run in reverse order of registration. */
  onStop(stop: () => Promise<void>): void;
  readonly stopping: boolean;
}

/**
 * What sandbox mode adds around the app: the local stand-ins of Microsoft's services.
 * Only dev/ has one; without it a configuration with no credentials is refused.
 */
export interface LocalLauncher {
  /** Logging for a person at a terminal instead of JSON lines on stdout, and a first line saying what starts. */
  prepareTerminal(config: Config): void;
  /** Starts the sandbox tenant and points the config at it. */
  beforeApp(config: Config, lifecycle: Lifecycle): Promise<{ config: Config; sandbox: NonNullable<AppOptions['sandbox']> }>;
  /** After the bot listens: whatever else runs beside it; returns lines for the start-up message. */
  afterApp(app: RunningApp, lifecycle: Lifecycle): Promise<string[]>;
  /** Printed above the start-up message. */
  banner: string;
}

export interface RunBotOptions {
  env: Env;
  local?: LocalLauncher;
}

/** Printed by a deployment's entry when nothing is configured: it never falls back to a sandbox. */
export const NOTHING_CONFIGURED = [
  'No Microsoft credentials are configured: this entry point runs a configured deployment only and never starts a sandbox.',
  'Set MicrosoftAppId, MicrosoftAppPassword (or a certificate), MicrosoftAppTenantId and HELPDESK_GROUP_ID (.env.example documents every setting),',
  'or run `npm start` to try the bot against the local sandbox tenant.',
].join('\n');

/** How long a graceful stop may take before the process exits anyway. */
const SHUTDOWN_GRACE_IN_MS = 10_000;
/** What stops the bot: Ctrl-C, IDEs and process managers, a closed terminal. */
type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
/** Exit codes of a forced stop, as the shell reports a death by that signal. */
const EXIT_ON_SIGNAL: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export async function runBot(options: RunBotOptions): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(options.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example for every setting and its default.\n`);
      process.exit(2);
    }
    throw e;
  }
  const local = config.mode === 'sandbox' ? options.local : undefined;
  if (config.mode === 'sandbox' && !local) {
    process.stderr.write(`${NOTHING_CONFIGURED}\n`);
    process.exit(2);
  }
  if (local) local.prepareTerminal(config);
  else configureLogging({ level: config.logLevel });

  // Handlers first: a stop request during start-up must stop what has started so far.
  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const lifecycle: Lifecycle = {
    onStop: (stop) => void stops.push(stop),
    get stopping() {
      return stopping;
    },
  };
  const shutdown = async (signal: StopSignal): Promise<void> => {
    if (stopping) {
      // A second Ctrl-C means now; child processes die with this process regardless.
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
  const prepared = local ? await local.beforeApp(config, lifecycle) : { config };
  const app = await startApp(prepared.config, 'sandbox' in prepared ? { sandbox: prepared.sandbox } : {});
  stops.push(() => app.stop());

  const lines = [`Bot listening on ${app.messagesUrl}  (health: ${app.server.url}/health)`];
  if (local) lines.push(...(await local.afterApp(app, lifecycle)));
  if (stopping) return;
  const banner = local ? `${local.banner}\n` : '';
  process.stdout.write(`${banner}\n${lines.join('\n')}\n\nPress Ctrl-C to stop everything.\n`);
}
