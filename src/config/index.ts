/**
 * Configuration: `loadConfig(env)` is the one entry that interprets environment variables.
 * It validates everything and reports every problem at once, naming the variable; each
 * area reads its own variables (bot.ts, graph.ts, flow.ts, bulk.ts, storage.ts, local.ts)
 * through the one reader (reader.ts).
 *
 * Mode: with no bot or Graph credentials at all the configuration is **sandbox** mode: a
 * launcher must then point it at a local sandbox tenant (dev/start.ts does; production's
 * entry refuses). Any credential set means **production**: then every required setting must
 * be present.
 */
import { ConfigError } from '../errors';
import type { LogLevel } from '../log';
import { DEFAULT_SERVICE_NAME, type TelemetryConfig } from '../telemetry/otel';
import { parseBot, type BotIdentity } from './bot';
import { parseBulk, type BulkConfig } from './bulk';
import { parseFlowRules, parseFollowThrough, type FlowRules, type FollowThroughConfig } from './flow';
import type { GraphAuth } from '../graph/credential';
import { parseGraphAuth, parseRoleIds } from './graph';
import { parseLocalSettings, type LocalSettings } from './local';
import { optional, Reader, truncate, type Env } from './reader';
import type { StorageConfig } from '../storage/types';
import { parseStorage } from './storage';
import { parseStepUp, type StepUpConfig } from './stepUp';
import { PRODUCTION_MARKERS } from './variables';

export type { BotIdentity } from './bot';
export { DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS } from './graph';
export { CONFIG_VARIABLES } from './variables';

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export interface Config extends FlowRules {
  mode: 'sandbox' | 'production';
  host: string;
  port: number;
  logLevel: LogLevel;
  /** Traces to Application Insights (src/telemetry/otel.ts); no connection string = none. */
  telemetry: TelemetryConfig;
  /** Absent in sandbox mode: the Playground talks to the bot without tokens. */
  bot?: BotIdentity;
  /**
   * The bot's Teams app id in the tenant app catalog (not the manifest id): with it the bot
   * installs itself for approvers who never opened it (Graph
   * TeamsAppInstallation.ReadWriteSelfForUser.All). Production only; absent = stored chats only.
   */
  teamsAppCatalogId?: string;
  /**
   * Where people reach the bot from a browser (the guide page's short URL on the cards),
   * e.g. https://tap.contoso.com. Sandbox: the bot's own local URL. Absent = no guide link.
   */
  publicBaseUrl?: string;
  tenantId: string;
  graph: {
    /** Absent in sandbox mode until a launcher points the config at a sandbox tenant. */
    auth?: GraphAuth;
    baseUrl: string;
    authorityHost: string;
  };
  groups: {
    helpdesk: string;
    fallbackApprover?: string;
    protected?: string;
    /** Told in Teams when a request is reported as suspicious. */
    securityContacts?: string;
  };
  privilegedRoleTemplateIds: string[];
  followThrough: FollowThroughConfig;
  /** Passkey onboarding: the group an onboarding Conditional Access policy targets (GroupMember.ReadWrite.All). */
  onboardingGroupId?: string;
  bulk: BulkConfig;
  membershipCacheInMs: number;
  /** Names this instance in the background jobs' lease documents (pid and a random suffix are added). */
  instanceName?: string;
  storage: StorageConfig;
  maxBodyBytes: number;
  /** The approver's step-up sign-in before an approval counts (src/config/stepUp.ts). */
  stepUp: StepUpConfig;
  /** The local stand-ins of sandbox mode (src/config/local.ts); the Playgrounds are off in production. */
  sandbox: LocalSettings;
}

/**
 * Validate `env` and build the configuration. Throws ConfigError listing every problem.
 * Secret values never appear in messages.
 */
export function loadConfig(env: Env): Config {
  const r = new Reader(env);
  const production = PRODUCTION_MARKERS.some((k) => r.raw(k) !== undefined);

  const host = r.raw('HOST') ?? (production ? '0.0.0.0' : '127.0.0.1');
  const port = r.int('PORT', 3978, 0, 65535); // 0 = any free port (tests)
  const logLevel = r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');
  const telemetry: TelemetryConfig = {
    ...optional('connectionString', r.raw('APPLICATIONINSIGHTS_CONNECTION_STRING')),
    serviceName: r.raw('OTEL_SERVICE_NAME') ?? DEFAULT_SERVICE_NAME,
  };
  const privilegedRoleTemplateIds = parseRoleIds(r);
  const flowRules = parseFlowRules(r);
  const membershipCacheInMs = r.int('MEMBERSHIP_CACHE_SECONDS', 300, 0, 3600) * 1000;
  const followThrough = parseFollowThrough(r);
  const onboardingGroupId = r.guid('ONBOARDING_GROUP_ID');
  const bulk = parseBulk(r);
  const maxBodyBytes = r.int('MAX_BODY_BYTES', 256 * 1024, 1024, 10 * 1024 * 1024);
  const storage = parseStorage(r);
  const instanceName = r.raw('INSTANCE_NAME');
  if (instanceName !== undefined && !/^[\w.:@-]{1,64}$/.test(instanceName)) {
    r.problems.push(`INSTANCE_NAME must be 1 to 64 letters, digits or . _ : @ - (got "${truncate(instanceName)}").`);
  }
  const local = parseLocalSettings(r);

  // The settings both modes read the same way.
  const shared = {
    telemetry,
    privilegedRoleTemplateIds,
    ...flowRules,
    followThrough,
    ...optional('onboardingGroupId', onboardingGroupId),
    bulk,
    membershipCacheInMs,
    ...optional('instanceName', instanceName),
    storage,
    maxBodyBytes,
  };
  let config: Config;
  if (production) {
    const bot = parseBot(r);
    const tenantId = r.guid('TENANT_ID') ?? bot?.appTenantId ?? '';
    if (!tenantId && !r.problems.some((p) => p.startsWith('MicrosoftAppTenantId'))) {
      r.problems.push('TENANT_ID is missing: set it (or MicrosoftAppTenantId) to your Entra tenant id; only activities from this tenant are served.');
    }
    const helpdesk = r.guid('HELPDESK_GROUP_ID', { required: 'set it to the object id of the Entra group whose members are helpdesk agents' }) ?? '';
    config = {
      mode: 'production',
      host,
      port,
      logLevel,
      ...(bot ? { bot } : {}),
      ...optional('teamsAppCatalogId', r.guid('TEAMS_APP_CATALOG_ID')),
      ...optional('publicBaseUrl', r.raw('PUBLIC_BASE_URL') === undefined ? undefined : r.httpsUrl('PUBLIC_BASE_URL', '').replace(/\/+$/, '')),
      tenantId,
      graph: {
        auth: parseGraphAuth(r, bot?.appId),
        baseUrl: r.httpsUrl('GRAPH_BASE_URL', 'https://graph.microsoft.com'),
        authorityHost: r.httpsUrl('AUTHORITY_HOST', 'https://login.microsoftonline.com'),
      },
      groups: {
        helpdesk,
        ...optional('fallbackApprover', r.guid('FALLBACK_APPROVER_GROUP_ID')),
        ...optional('protected', r.guid('PROTECTED_GROUP_ID')),
        ...optional('securityContacts', r.guid('SECURITY_CONTACT_GROUP_ID')),
      },
      ...shared,
      stepUp: parseStepUp(r, true, bot?.appType === 'SingleTenant' ? bot.appId : undefined),
      sandbox: { ...local, playground: { ...local.playground, enabled: false } },
    };
  } else {
    // Tenant, Graph and the unset group ids come from the sandbox tenant (dev/sandboxTenant.ts).
    config = {
      mode: 'sandbox',
      host,
      port,
      logLevel,
      tenantId: '',
      graph: { baseUrl: '', authorityHost: '' },
      groups: {
        helpdesk: r.guid('HELPDESK_GROUP_ID') ?? '',
        ...optional('fallbackApprover', r.guid('FALLBACK_APPROVER_GROUP_ID')),
        ...optional('protected', r.guid('PROTECTED_GROUP_ID')),
        ...optional('securityContacts', r.guid('SECURITY_CONTACT_GROUP_ID')),
      },
      ...shared,
      stepUp: parseStepUp(r, false, undefined),
      sandbox: local,
    };
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}
