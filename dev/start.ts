/**
 * `npm start`: the bot for a person trying it. With credentials configured it runs exactly
 * as the production entry does (src/runBot.ts). With none, sandbox mode: the local sandbox
 * tenant, the bot pointed at it, and one Agents Playground chat per persona of
 * dev/personas.ts (agent, manager, fallback and second approver, skip-level manager, end
 * user), each introduced to the bot at start-up so it can reach everyone.
 *
 * The Playground processes die with this process however it ends, SIGKILL included
 * (dev/playground.ts). The sandbox tenant is loaded after telemetry has started, as the app
 * is (src/runBot.ts).
 */
import '../src/quietDeprecations'; // first: before anything loads restify
import type { RunningApp } from '../src/app';
import type { Config } from '../src/config';
import { createLogger } from '../src/log';
import { runBot, type LocalLauncher, type Lifecycle } from '../src/runBot';
import { PRODUCTION_MARKERS } from '../src/config/variables';
import { USERS } from '../sandbox/ids';
import { startPlaygrounds, type PlaygroundInstance } from './playground';
import { introduced } from './playgroundIntroduction';
import { PERSONAS, personaPeople, personaPorts, type Persona } from './personas';
import { firstSteps, logForTerminal, SANDBOX_BANNER, sandboxLogPath, tabLines } from './terminal';

const log = createLogger('main');

/** True when the bot answered both activities of the persona's introduction with 2xx; a warning otherwise. */
async function introduceQuietly(persona: Persona, playground: PlaygroundInstance): Promise<boolean> {
  try {
    const introduction = await playground.introduceToBot();
    if (introduced(introduction)) return true;
    log.warn('the bot did not confirm a Playground persona; their tab must be opened first', { persona: persona.person.upn, ...introduction });
  } catch (e) {
    log.warn('could not introduce a Playground persona to the bot; their tab must be opened first', { persona: persona.person.upn, error: e });
  }
  return false;
}

/** The Playgrounds beside the bot, each persona introduced; the banner's tab lines and next steps. */
async function startPersonaPlaygrounds(config: Config, app: RunningApp, lifecycle: Lifecycle): Promise<string[]> {
  const people = Object.values(USERS).map((u) => ({ id: u.id, name: u.name, upn: u.upn }));
  // In parallel (about 4 s for five on two cores, 130 MB each); if one fails, the others are stopped.
  const started = await startPlaygrounds(
    personaPeople(),
    { botEndpoint: app.messagesUrl, tenantId: app.config.tenantId, people },
    personaPorts(config.sandbox.playground),
  );
  lifecycle.onStop(() => started.stopAll());
  if (lifecycle.stopping) return [];
  // What opening each tab would do: the bot can reach every approver even before their tab opens.
  const known = await Promise.all(PERSONAS.map((p) => introduceQuietly(p, started[p.key])));
  const tabs = PERSONAS.map((persona, i) => ({ persona, url: started[persona.key].url, known: known[i] ?? false }));
  return ['', 'One Agents Playground tab per person:', ...tabLines(tabs), '', ...firstSteps(app.config, tabs.every((t) => t.known))];
}

function sandboxLauncher(): LocalLauncher {
  let logPath = '';
  let sandboxOrigin = '';
  return {
    banner: SANDBOX_BANNER,
    prepareTerminal: (config) => {
      logPath = sandboxLogPath(config);
      logForTerminal(config.logLevel, logPath);
      const playgrounds = config.sandbox.playground.enabled ? ` and ${PERSONAS.length} Agents Playgrounds` : '';
      process.stdout.write(`Starting in sandbox mode: the sandbox tenant, the bot${playgrounds}…\n`);
    },
    beforeApp: async (config, lifecycle) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- after startTelemetry, as the app (src/runBot.ts)
      const { useSandboxTenant } = require('./sandboxTenant') as typeof import('./sandboxTenant');
      const tenant = await useSandboxTenant(config);
      lifecycle.onStop(() => tenant.stop());
      sandboxOrigin = tenant.sandbox.origin;
      // So npm run doctor and npm run bulk join this sandbox tenant instead of starting one on its port.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- after startTelemetry, as above
      const { publishSandbox } = require('./sandboxDiscovery') as typeof import('./sandboxDiscovery');
      if (config.sandbox.graphPort !== 0) {
        await publishSandbox(config.sandbox.graphPort, tenant.sandbox).then(
          (withdraw) => lifecycle.onStop(withdraw),
          (e: unknown) => log.warn('could not publish the sandbox tenant for npm run doctor and npm run bulk; they will not find it', { error: e }),
        );
      }
      return { config: tenant.config, sandbox: tenant.sandbox };
    },
    afterApp: async (app, lifecycle) => {
      const lines = [`Sandbox tenant (Graph + token endpoint) on ${sandboxOrigin}`];
      if (app.config.sandbox.playground.enabled) lines.push(...(await startPersonaPlaygrounds(app.config, app, lifecycle)));
      lines.push('', `The full log (JSON lines) is in ${logPath}; below, one line per event.`);
      return lines;
    },
  };
}

// Sandbox mode shows the approver's step-up sign-in unless APPROVER_STEP_UP says otherwise.
const sandboxMode = !PRODUCTION_MARKERS.some((k) => (process.env[k] ?? '').trim() !== '');
const env = sandboxMode ? { APPROVER_STEP_UP: 'always', ...process.env } : process.env;

runBot({ env, local: sandboxLauncher() }).catch((e: unknown) => {
  log.error('failed to start', { error: e });
  process.stderr.write(`Failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
