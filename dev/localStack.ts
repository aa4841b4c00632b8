/**
 * The whole product on one machine, as a person sees it: the sandbox tenant, the bot
 * (startApp, sandbox mode, temp SQLite), one Agents Playground per persona of
 * dev/personas.ts, as `npm start` has them, each introduced to the bot without a browser,
 * and headless Chromium with a page for the agent (Adele) and the manager (Nestor); openPage()
 * opens the others. Used by the end-to-end test and by scripts/screenshots.ts; everything
 * started is stopped by stop(), also when start-up fails half-way.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningApp } from '../src/app';
import { loadConfig } from '../src/config';
import { startSandbox } from '../sandbox/server';
import type { RunningSandbox } from '../sandbox/types';
import { SANDBOX_TENANT_ID, USERS } from '../sandbox/ids';
import { launchChromium, newChatPage, waitForBotConnected } from './browser';
import { startPlaygrounds, type PlaygroundInstance } from './playground';
import { introduced } from './playgroundIntroduction';
import { PERSONAS, personaPeople, type PersonaKey } from './personas';
import { startSandboxApp } from './sandboxApp';

export interface LocalStackOptions {
  /** The bot's clock (tests move it to expire requests). */
  clock?: () => Date;
  approvalTimeoutInMinutes?: number;
  /** Receives every Playground output line (default: dropped). */
  playgroundLog?: (line: string) => void;
  /** APPROVER_STEP_UP for the bot (default off: the other browser suites click Approve and expect it to count). */
  stepUp?: 'off' | 'elevated' | 'always';
}

export interface LocalStack {
  sandbox: RunningSandbox;
  app: RunningApp;
  agentPlayground: PlaygroundInstance;
  managerPlayground: PlaygroundInstance;
  /** Every persona's Playground (agent, manager, fallback, skipLevel, owner). */
  playgrounds: Record<PersonaKey, PlaygroundInstance>;
  browser: Browser;
  /** Adele Vance, helpdesk agent. */
  agentPage: Page;
  /** Nestor Wilke, manager of Megan, Lasse, Lidia and Miriam. */
  managerPage: Page;
  /** A page for that persona (agentPage and managerPage for those two; a new one otherwise). */
  openPage(key: PersonaKey): Promise<Page>;
  stop(): Promise<void>;
}

const PEOPLE = Object.values(USERS).map((u) => ({ id: u.id, name: u.name, upn: u.upn }));

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async (): Promise<void> => {
    for (const step of stops.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), 'tapbot-e2e-'));
    stops.push(() => rm(dir, { recursive: true, force: true }));
    const sandbox = await startSandbox({ port: 0 });
    stops.push(() => sandbox.stop());
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SANDBOX_GRAPH_PORT: '0',
      PLAYGROUND: 'false',
      SQLITE_PATH: join(dir, 'bot.sqlite'),
      APPROVAL_TIMEOUT_MINUTES: String(options.approvalTimeoutInMinutes ?? 30),
      // Browser suites click many passes for the same few people in minutes: the daily limit
      // and the second-pass-within-days risk rule have their own tests.
      LIMIT_PASSES_PER_TARGET_PER_DAY: '100',
      RISK_RECENT_PASS_DAYS: '0',
      // Lasse registered Authenticator 18 hours before the sandbox started (a risk signal): the flow suite asks for him
      // with one approver; four eyes has its own card and flow tests.
      RISK_METHOD_REGISTERED_HOURS: '0',
      APPROVER_STEP_UP: options.stepUp ?? 'off',
    });
    // The periodic sweep is left to the caller (tests call flow.sweep() when they mean it).
    const app = await startSandboxApp(config, { sandbox, sweepIntervalInMs: 3_600_000, ...(options.clock ? { clock: options.clock } : {}) });
    stops.push(() => app.stop());
    const playgrounds = await startPlaygrounds(
      personaPeople(),
      { botEndpoint: app.messagesUrl, tenantId: SANDBOX_TENANT_ID, people: PEOPLE, log: options.playgroundLog ?? (() => undefined) },
    );
    stops.push(() => playgrounds.stopAll());
    // What npm start does: every persona introduced to the bot before any page opens.
    const introductions = await Promise.all(PERSONAS.map((p) => playgrounds[p.key].introduceToBot()));
    introductions.forEach((introduction, i) => {
      if (!introduced(introduction)) {
        throw new Error(`The bot did not take ${PERSONAS[i]?.person.name}'s introduction: ${JSON.stringify(introduction)}`);
      }
    });
    const browser = await launchChromium();
    stops.push(() => browser.close());
    const [managerPage, agentPage] = await Promise.all([
      newChatPage(browser, playgrounds.manager.url),
      newChatPage(browser, playgrounds.agent.url),
    ]);
    await Promise.all([waitForBotConnected(managerPage), waitForBotConnected(agentPage)]);
    const pages = new Map<PersonaKey, Page>([
      ['agent', agentPage],
      ['manager', managerPage],
    ]);
    const openPage = async (key: PersonaKey): Promise<Page> => {
      const known = pages.get(key);
      if (known) return known;
      const page = await newChatPage(browser, playgrounds[key].url);
      await waitForBotConnected(page);
      pages.set(key, page);
      return page;
    };
    const { stopAll: _stopAll, ...byKey } = playgrounds;
    return {
      sandbox,
      app,
      agentPlayground: playgrounds.agent,
      managerPlayground: playgrounds.manager,
      playgrounds: byKey,
      browser,
      agentPage,
      managerPage,
      openPage,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
