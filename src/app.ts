/**
 * Builds every dependency from a validated Config and starts the bot. src/runBot.ts calls
 * this with the configuration of the process environment; integration tests call it with
 * their own config (port 0, a temp SQLite file) and get the same wiring a user runs. Sandbox
 * mode is prepared outside src/ (dev/sandboxTenant.ts): the config arrives pointed at the
 * sandbox tenant, whose CA comes in `options.sandbox`.
 */
import type { Config } from './config';
import { createLogger } from './log';
import { startServer, type RunningServer } from './web/server';
import { createStorage } from './storage';
import { AuditLog } from './audit/auditLog';
import { createCredential } from './graph/credential';
import { GraphGateway } from './graph/gateway';
import { createGraphHealthProbe } from './graph/health';
import { TapFlow } from './flow/tapFlow';
import { toFlowConfig } from './config/flowSlice';
import { createTeamsEdge } from './bot';
import { handleGuideRequest } from './web/guideHandler';
import { disputeOutcomePage, disputeQuestionPage } from './web/disputePage';
import { stepUpPolicy, stepUpRoutes } from './web/stepUpPages';
import type { BotAuthSettingsOverride } from './bot/adapter';
import { GraphProactiveInstaller } from './bot/installer';
import type { HealthCheck } from './storage/types';
import { Leases, instanceName } from './storage/lease';
import { BackgroundJobs, type Timers } from './flow/jobs/background';
import { BulkFlow } from './flow/bulk/bulkFlow';

const log = createLogger('app');

/** A local sandbox tenant, started outside src/ (dev/): where it answers and the one CA to trust. */
interface SandboxTenant {
  origin: string;
  caPem: string;
}

export interface AppOptions {
  /** Sandbox mode only: the sandbox tenant the config points at (dev/sandboxTenant.ts). */
  sandbox?: SandboxTenant;
  /** Interval of the expiry sweep. Default 30 s. */
  sweepIntervalInMs?: number;
  clock?: () => Date;
  /** Tests only: the background jobs' timers (a fake clock drives them). */
  timers?: Timers;
  /** Tests only, never from the environment: where channel tokens are checked (production). */
  authSettingsOverride?: BotAuthSettingsOverride;
}

export interface RunningApp {
  config: Config;
  server: RunningServer;
  /** `http://host:port/api/messages` */
  messagesUrl: string;
  sandbox?: SandboxTenant;
  flow: TapFlow;
  /** Work that runs on one instance at a time (the expiry sweep); `register` adds a job. */
  background: BackgroundJobs;
  stop(): Promise<void>;
}

export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    // splice: a second stop() finds nothing left to stop.
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (e) {
        log.warn('a component did not stop cleanly', { error: e });
      }
    }
  };

  try {
    const sandbox = config.mode === 'sandbox' ? options.sandbox : undefined;
    if (config.mode === 'sandbox' && (!sandbox || !config.graph.auth)) {
      throw new Error('Sandbox mode (no credentials configured) needs a sandbox tenant: `npm start` (dev/start.ts) starts one; a deployment sets the settings of .env.example');
    }
    if (!config.graph.auth) throw new Error('Graph credentials are not configured');

    const storage = createStorage(config.storage);
    stops.push(() => storage.close());

    const trustedCaPem = sandbox?.caPem;
    const credential = createCredential(config.graph.auth, config.tenantId, {
      authorityHost: config.graph.authorityHost,
      ...(trustedCaPem ? { trustedCaPem } : {}),
    });
    const graph = new GraphGateway({
      credential,
      baseUrl: config.graph.baseUrl,
      membershipCacheInMs: config.membershipCacheInMs,
      ...(trustedCaPem ? { trustedCaPem } : {}),
    });

    const audit = new AuditLog({ storage });
    // Production: reach approvers who never opened the bot by installing it for them.
    const installer =
      config.mode === 'production' && config.teamsAppCatalogId && config.bot
        ? new GraphProactiveInstaller({ graph, teamsAppCatalogId: config.teamsAppCatalogId, botAppId: config.bot.appId, tenantId: config.tenantId, storage })
        : undefined;
    const securityGroup = config.groups.securityContacts;
    // Sandbox: the guide page is served by this very bot, whose port is known once it listens.
    const urls: { publicBaseUrl: string | undefined } = { publicBaseUrl: config.publicBaseUrl };
    const edge = createTeamsEdge({
      mode: config.mode,
      ...(config.bot ? { bot: config.bot } : {}),
      tenantId: config.tenantId,
      storage,
      audit,
      ...(installer ? { installer } : {}),
      publicBaseUrl: () => urls.publicBaseUrl,
      ...(securityGroup ? { securityContactIds: async () => (await graph.listGroupUsers(securityGroup)).map((u) => u.id) } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.authSettingsOverride ? { authSettingsOverride: options.authSettingsOverride } : {}),
    });
    installer?.connect(edge);
    // Step-up before an approval counts (APPROVER_STEP_UP): the sign-in returns to this bot's public address.
    const stepUp = stepUpPolicy(config, () => urls.publicBaseUrl);
    const flow = new TapFlow({
      graph,
      storage,
      audit,
      notifier: edge.notifier,
      config: { ...toFlowConfig(config), ownerNotice: { ...config.ownerNotice, publicBaseUrl: () => urls.publicBaseUrl }, ...(stepUp ? { stepUp } : {}) },
      ...(options.clock ? { clock: options.clock } : {}),
    });
    // Bulk passes for a group: same ports; background runs one instance at a time (lease).
    const leases = new Leases({ storage, holder: instanceName(config.instanceName), ...(options.clock ? { clock: options.clock } : {}) });
    const bulkApprovers = config.bulk.approverGroupId ?? config.groups.fallbackApprover;
    const bulk = bulkApprovers
      ? new BulkFlow({
          graph,
          storage,
          audit,
          notifier: edge.bulkNotifier,
          flowNotifier: edge.notifier,
          config: { ...toFlowConfig(config), ownerNotice: { ...config.ownerNotice, publicBaseUrl: () => urls.publicBaseUrl }, ...(stepUp ? { stepUp } : {}) },
          bulk: {
            approverGroupId: bulkApprovers,
            includeNestedGroups: config.bulk.includeNestedGroups,
            maxMembers: config.bulk.maxMembers,
            writesPerSecond: config.bulk.writesPerSecond,
            deliverTo: config.bulk.deliverTo,
            eligibility: config.bulk.eligibility,
          },
          assertAgent: (a) => flow.assertAgent(a),
          leases,
          ...(options.clock ? { clock: options.clock } : {}),
        })
      : undefined;
    const handleMessages = edge.attach(flow, bulk);

    const graphProbe = createGraphHealthProbe(graph);
    const healthChecks: HealthCheck[] = [
      { name: 'storage', check: () => storage.check() },
      {
        name: 'graph',
        check: async () => {
          const h = await graphProbe();
          if (!h.ok) throw new Error(h.message ?? `Microsoft Graph is not reachable (${h.status})`);
        },
      },
    ];
    const server = await startServer({
      host: config.host,
      port: config.port,
      maxBodyBytes: config.maxBodyBytes,
      mode: config.mode,
      healthChecks,
      handleMessages,
      pages: [
        { method: 'GET', path: '/guide/:scenario', handle: (p) => handleGuideRequest(p) },
        { method: 'GET', path: '/guide/:scenario/:language', handle: (p) => handleGuideRequest(p) },
        { method: 'GET', path: '/dispute/:token', handle: (p) => disputeQuestionPage(p['token']) },
        { method: 'POST', path: '/dispute/:token', handle: async (p) => disputeOutcomePage(await flow.disputeByLink(p['token'] ?? '')) },
        // Sandbox: approvers sign in to the sandbox tenant's own app.
        ...(stepUp
          ? stepUpRoutes({
              config,
              flow,
              policy: stepUp,
              publicBaseUrl: () => urls.publicBaseUrl,
              ...(bulk ? { bulk: bulk.stepUpPort() } : {}),
              ...(sandbox && config.graph.auth.kind === 'secret'
                ? { sandbox: { caPem: sandbox.caPem, app: { clientId: config.graph.auth.clientId, credential: { kind: 'secret', clientSecret: config.graph.auth.clientSecret } } } }
                : {}),
            })
          : []),
      ],
    });
    stops.push(() => server.close());
    if (config.mode === 'sandbox' && !urls.publicBaseUrl) urls.publicBaseUrl = server.url;

    // On stop, issuances still running finish first (bounded): a pass half-made is the one
    // state the next start has to clean up.
    stops.push(() => Promise.race([Promise.all([flow.whenIdle(), bulk?.stop()]).then(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref())]));

    // One instance at a time expires requests (also those that expired while the bot was
    // down), hides codes of expired passes and follows registrations up (sweep.ts): once
    // now, then periodically. Stopped before the issuances are awaited: a sweep may start one.
    const background = new BackgroundJobs({
      leases,
      jobs: [
        { name: 'expiry-sweep', intervalInMs: options.sweepIntervalInMs ?? 30_000, run: (now) => flow.sweep(now) },
        // Expire bulk approvals, resume runs whose instance died, hide codes of expired pages.
        ...(bulk ? [{ name: 'bulk-issuance', intervalInMs: options.sweepIntervalInMs ?? 10_000, run: (now: Date) => bulk.sweep(now) }] : []),
      ],
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timers ? { timers: options.timers } : {}),
    });
    stops.push(() => background.stop());
    await background.start();

    return {
      config,
      server,
      messagesUrl: `${server.url}/api/messages`,
      ...(sandbox ? { sandbox } : {}),
      flow,
      background,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

