/**
 * Configuration: the only place that interprets environment variables. `loadConfig(env)`
 * validates everything and reports every problem at once, naming the variable.
 *
 * Mode: with no bot or Graph credentials at all the bot runs in **sandbox** mode against
 * the local sandbox tenant (and says so loudly). Any credential set means **production**:
 * then every required setting must be present and the sandbox is never started.
 */
import { BULK_ELIGIBILITIES, type BulkEligibility } from './flow/gate/enrolment';
import { ConfigError } from './errors';
import { DEFAULT_RISK_RULES, type RiskRules } from './flow/risk';
import { DEFAULT_PRESETS } from './flow/presets';
import type { ScenarioPresets } from './flow/types';
import { isTimeZone } from './flow/localTime';
import type { DeliveryRecipient, FlowConfig, FollowThroughDeletePass } from './flow/types';
import type { LogLevel } from './log';
import { DEFAULT_SERVICE_NAME, type TelemetryConfig } from './telemetry/otel';
import { GRAPH_MAX_LIFETIME, GRAPH_MIN_LIFETIME } from './flow/validation';
import type { RunningSandbox } from '../sandbox/types';
import type { GROUPS as SandboxGroups } from '../sandbox/ids';

type AppType = 'SingleTenant' | 'UserAssignedMSI';

export type GraphAuth =
  | { kind: 'secret'; clientId: string; clientSecret: string }
  | { kind: 'certificate'; clientId: string; certificatePath: string }
  | { kind: 'managedIdentity'; clientId?: string };

export type StorageConfig =
  | { kind: 'sqlite'; path: string }
  /** Blobs by connection string, or by account URL with a managed identity (no shared key). */
  | { kind: 'blobs'; container: string; connectionString?: string; accountUrl?: string; clientId?: string };

export interface BotIdentity {
  appType: AppType;
  appId: string;
  appPassword?: string;
  certificateThumbprint?: string;
  certificateKeyPath?: string;
  appTenantId: string;
}

export interface Config {
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
    /** Absent in sandbox mode: the sandbox issues its own client credentials. */
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
  tap: FlowConfig['tap'];
  approvalTimeoutInMinutes: number;
  limits: FlowConfig['limits'];
  risk: RiskRules;
  /** IANA zone of the organisation: a new joiner's first morning is 08:00 here. */
  orgTimeZone: string;
  presets: ScenarioPresets;
  ownerNotice: { enabled: boolean; mailFrom?: string; revokeSessionsOnDispute: boolean };
  /** Registration follow-through (src/flow/followThrough.ts). */
  followThrough: { enabled: boolean; deletePass: FollowThroughDeletePass; checksPerSweep: number };
  /** Passkey onboarding: the group an onboarding Conditional Access policy targets (GroupMember.ReadWrite.All). */
  onboardingGroupId?: string;
  /** Bulk passes for a group (src/flow/bulk). */
  bulk: {
    approverGroupId?: string;
    includeNestedGroups: boolean;
    maxMembers: number;
    writesPerSecond: number;
    deliverTo: 'requester' | 'manager';
    /** Who may get a bulk pass (src/flow/gate/enrolment.ts): people with no sign-in method yet, or anyone. */
    eligibility: BulkEligibility;
  };
  membershipCacheInMs: number;
  /** Names this instance in the background jobs' lease documents (pid and a random suffix are added). */
  instanceName?: string;
  storage: StorageConfig;
  maxBodyBytes: number;
  sandbox: {
    graphPort: number;
    playground: { enabled: boolean; agentPort: number; managerPort: number; fallbackPort: number; skipLevelPort: number; ownerPort: number };
  };
}

/**
 * Built-in Entra role template ids refused as targets by default: the administrator roles
 * that can change authentication, identities, or tenant-wide settings. Override with
 * PRIVILEGED_ROLE_TEMPLATE_IDS (comma-separated) to cover custom or further roles.
 */
export const DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS: readonly string[] = [
  '62e90394-69f5-4237-9190-012177145e10', // Global Administrator
  'e8611ab8-c189-46e8-94e1-60213ab1f814', // Privileged Role Administrator
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', // Privileged Authentication Administrator
  'c4e39bd9-1100-46d3-8c65-fb160da0071f', // Authentication Administrator
  '194ae4cb-b126-40b2-bd5b-6091b380977d', // Security Administrator
  'fe930be7-5e62-47db-91af-98c3a49a38b1', // User Administrator
  '729827e3-9c14-49f7-bb1b-9608f156bbb8', // Helpdesk Administrator
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', // Conditional Access Administrator
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', // Application Administrator
  '158c047a-c907-4556-b7ef-446551a6b5f7', // Cloud Application Administrator
  '29232cdf-9323-42fd-ade2-1d097af3e4de', // Exchange Administrator
  'f28a1f50-f6e7-4571-818b-6a12f2af6b66', // SharePoint Administrator
  '3a2c62db-5318-420d-8d74-23affee5d9d5', // Intune Administrator
  'fdd7a751-b60b-444a-984c-02652fe8fa1c', // Groups Administrator
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451', // Global Reader
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** Every variable loadConfig reads; `.env.example` documents each one. */
export const CONFIG_VARIABLES = [
  'MicrosoftAppType',
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppCertificateThumbprint',
  'MicrosoftAppCertificateKeyPath',
  'MicrosoftAppTenantId',
  'TEAMS_APP_CATALOG_ID',
  'PUBLIC_BASE_URL',
  'TENANT_ID',
  'GRAPH_AUTH',
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_CERTIFICATE_PATH',
  'GRAPH_BASE_URL',
  'AUTHORITY_HOST',
  'HELPDESK_GROUP_ID',
  'FALLBACK_APPROVER_GROUP_ID',
  'PROTECTED_GROUP_ID',
  'SECURITY_CONTACT_GROUP_ID',
  'PRIVILEGED_ROLE_TEMPLATE_IDS',
  'TAP_DEFAULT_LIFETIME_MINUTES',
  'TAP_ONE_TIME',
  'TAP_DELIVERY_RECIPIENT',
  'APPROVAL_TIMEOUT_MINUTES',
  'LIMIT_REQUESTS_PER_AGENT_PER_HOUR',
  'LIMIT_OPEN_APPROVALS_PER_APPROVER',
  'LIMIT_PASSES_PER_TARGET_PER_DAY',
  'RISK_MANAGER_CHANGE_DAYS',
  'RISK_RECENT_PASS_DAYS',
  'RISK_METHOD_REGISTERED_HOURS',
  'RISK_USER_LEVELS',
  'RISK_ELEVATED',
  'SECOND_APPROVER_GROUP_ID',
  'ORG_TIME_ZONE',
  'PRESET_RECOVERY_LIFETIME_MINUTES',
  'PRESET_NEW_JOINER_LIFETIME_MINUTES',
  'PRESET_NEW_JOINER_START_TIME',
  'PRESET_PASSKEY_LIFETIME_MINUTES',
  'OWNER_NOTICE',
  'OWNER_NOTICE_MAIL_FROM',
  'OWNER_DISPUTE_REVOKES_SESSIONS',
  'ONBOARDING_GROUP_ID',
  'BULK_APPROVER_GROUP_ID',
  'BULK_INCLUDE_NESTED',
  'BULK_MAX_MEMBERS',
  'BULK_WRITES_PER_SECOND',
  'BULK_DELIVER_TO',
  'BULK_ELIGIBILITY',
  'FOLLOW_THROUGH',
  'FOLLOW_THROUGH_DELETE_PASS',
  'FOLLOW_THROUGH_CHECKS_PER_SWEEP',
  'MEMBERSHIP_CACHE_SECONDS',
  'STORAGE',
  'SQLITE_PATH',
  'BLOB_CONNECTION_STRING',
  'BLOB_ACCOUNT_URL',
  'BLOB_CLIENT_ID',
  'BLOB_CONTAINER',
  'HOST',
  'PORT',
  'MAX_BODY_BYTES',
  'LOG_LEVEL',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'OTEL_SERVICE_NAME',
  'INSTANCE_NAME',
  'SANDBOX_GRAPH_PORT',
  'PLAYGROUND',
  'PLAYGROUND_AGENT_PORT',
  'PLAYGROUND_MANAGER_PORT',
  'PLAYGROUND_FALLBACK_PORT',
  'PLAYGROUND_SKIP_LEVEL_PORT',
  'PLAYGROUND_OWNER_PORT',
] as const;

/** Variables whose presence means "this is a real deployment". */
const PRODUCTION_MARKERS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppCertificateThumbprint',
  'MicrosoftAppTenantId',
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_CERTIFICATE_PATH',
  'GRAPH_AUTH',
  'TENANT_ID',
] as const;

/** Sandbox directory ids (see sandbox/directory.json); used only in sandbox mode. */
export interface SandboxIdentity {
  tenantId: string;
  helpdeskGroupId: string;
  fallbackApproverGroupId: string;
  protectedGroupId: string;
  securityContactGroupId?: string;
  secondApproverGroupId?: string;
}

type Env = Record<string, string | undefined>;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const v = this.env[name];
    if (v === undefined) return undefined;
    const t = v.trim();
    return t === '' ? undefined : t;
  }

  required(name: string, why: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined) this.problems.push(`${name} is missing: ${why}.`);
    return v;
  }

  guid(name: string, opts: { required?: string } = {}): string | undefined {
    const v = opts.required ? this.required(name, opts.required) : this.raw(name);
    if (v !== undefined && !GUID.test(v)) {
      this.problems.push(`${name} is not a GUID (got "${truncate(v)}"); expected e.g. 00000000-0000-0000-0000-000000000000.`);
      return undefined;
    }
    // One spelling per id: every comparison downstream sees lower case.
    return v?.toLowerCase();
  }

  int(name: string, def: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (!/^-?\d+$/.test(v)) {
      this.problems.push(`${name} is not a whole number (got "${truncate(v)}").`);
      return def;
    }
    const n = Number(v);
    if (n < min || n > max) {
      this.problems.push(`${name} is out of range: ${n} is not between ${min} and ${max}.`);
      return def;
    }
    return n;
  }

  bool(name: string, def: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (/^(true|1|yes)$/i.test(v)) return true;
    if (/^(false|0|no)$/i.test(v)) return false;
    this.problems.push(`${name} must be true or false (got "${truncate(v)}").`);
    return def;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], def: T): T {
    const v = this.raw(name);
    if (v === undefined) return def;
    const hit = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (!hit) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${truncate(v)}").`);
      return def;
    }
    return hit;
  }

  httpsUrl(name: string, def: string): string {
    const v = this.raw(name) ?? def;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      this.problems.push(`${name} is not a URL (got "${truncate(v)}").`);
      return def;
    }
    if (u.protocol !== 'https:') {
      this.problems.push(`${name} must be an https:// URL (got "${truncate(v)}").`);
      return def;
    }
    return v.replace(/\/+$/, '');
  }
}

function truncate(v: string): string {
  return v.length > 60 ? `${v.slice(0, 57)}...` : v;
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
  const defaultLifetime = r.raw('TAP_DEFAULT_LIFETIME_MINUTES') === undefined
    ? undefined
    : r.int('TAP_DEFAULT_LIFETIME_MINUTES', 60, GRAPH_MIN_LIFETIME, GRAPH_MAX_LIFETIME);
  const tap = {
    ...(defaultLifetime !== undefined ? { defaultLifetimeInMinutes: defaultLifetime } : {}),
    isUsableOnce: r.bool('TAP_ONE_TIME', true),
    deliveryRecipient: r.oneOf<DeliveryRecipient>('TAP_DELIVERY_RECIPIENT', ['agent', 'manager'], 'agent'),
  };
  const approvalTimeoutInMinutes = r.int('APPROVAL_TIMEOUT_MINUTES', 30, 1, 1440);
  const limits = {
    requestsPerAgentPerHour: r.int('LIMIT_REQUESTS_PER_AGENT_PER_HOUR', 20, 0, 10000),
    openApprovalsPerApprover: r.int('LIMIT_OPEN_APPROVALS_PER_APPROVER', 5, 0, 1000),
    passesPerTargetPerDay: r.int('LIMIT_PASSES_PER_TARGET_PER_DAY', 3, 0, 1000),
  };
  const secondApproverGroupId = r.guid('SECOND_APPROVER_GROUP_ID');
  const risk: RiskRules = {
    managerChangeWithinDays: r.int('RISK_MANAGER_CHANGE_DAYS', DEFAULT_RISK_RULES.managerChangeWithinDays, 0, 365),
    recentPassWithinDays: r.int('RISK_RECENT_PASS_DAYS', DEFAULT_RISK_RULES.recentPassWithinDays, 0, 365),
    methodRegisteredWithinHours: r.int('RISK_METHOD_REGISTERED_HOURS', DEFAULT_RISK_RULES.methodRegisteredWithinHours, 0, 24 * 365),
    userRiskLevels: parseRiskLevels(r, env['RISK_USER_LEVELS']),
    onElevated: r.oneOf<RiskRules['onElevated']>('RISK_ELEVATED', ['secondApprover', 'refuse'], DEFAULT_RISK_RULES.onElevated),
    ...(secondApproverGroupId ? { secondApproverGroupId } : {}),
  };
  const orgTimeZone = r.raw('ORG_TIME_ZONE') ?? 'UTC';
  if (!isTimeZone(orgTimeZone)) r.problems.push(`ORG_TIME_ZONE must be an IANA time zone name such as Europe/Copenhagen (got "${truncate(orgTimeZone)}").`);
  const presets = parsePresets(r);
  const mailFrom = r.raw('OWNER_NOTICE_MAIL_FROM');
  if (mailFrom !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(mailFrom)) {
    r.problems.push(`OWNER_NOTICE_MAIL_FROM must be the address of the mailbox the notice is sent from, e.g. tap-notices@contoso.com (got "${truncate(mailFrom)}").`);
  }
  const ownerNotice = {
    enabled: r.bool('OWNER_NOTICE', true),
    ...(mailFrom !== undefined && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(mailFrom) ? { mailFrom } : {}),
    revokeSessionsOnDispute: r.bool('OWNER_DISPUTE_REVOKES_SESSIONS', false),
  };
  const membershipCacheInMs = r.int('MEMBERSHIP_CACHE_SECONDS', 300, 0, 3600) * 1000;
  const followThrough = {
    enabled: r.bool('FOLLOW_THROUGH', true),
    deletePass: r.oneOf<FollowThroughDeletePass>('FOLLOW_THROUGH_DELETE_PASS', ['recovery', 'all', 'none'], 'recovery'),
    checksPerSweep: r.int('FOLLOW_THROUGH_CHECKS_PER_SWEEP', 50, 1, 1000),
  };
  const onboardingGroupId = r.guid('ONBOARDING_GROUP_ID');
  const bulkApproverGroupId = r.guid('BULK_APPROVER_GROUP_ID');
  const bulk = {
    ...optional('approverGroupId', bulkApproverGroupId),
    includeNestedGroups: r.bool('BULK_INCLUDE_NESTED', false),
    maxMembers: r.int('BULK_MAX_MEMBERS', 300, 1, 5000),
    writesPerSecond: r.int('BULK_WRITES_PER_SECOND', 15, 1, 200),
    deliverTo: r.oneOf<'requester' | 'manager'>('BULK_DELIVER_TO', ['requester', 'manager'], 'requester'),
    eligibility: r.oneOf<BulkEligibility>('BULK_ELIGIBILITY', BULK_ELIGIBILITIES, 'unenrolled'),
  };
  const maxBodyBytes = r.int('MAX_BODY_BYTES', 256 * 1024, 1024, 10 * 1024 * 1024);
  const storage = parseStorage(r);
  const instanceName = r.raw('INSTANCE_NAME');
  if (instanceName !== undefined && !/^[\w.:@-]{1,64}$/.test(instanceName)) {
    r.problems.push(`INSTANCE_NAME must be 1 to 64 letters, digits or . _ : @ - (got "${truncate(instanceName)}").`);
  }
  const sandbox = {
    graphPort: r.int('SANDBOX_GRAPH_PORT', 3980, 0, 65535),
    playground: {
      enabled: r.bool('PLAYGROUND', true),
      agentPort: r.int('PLAYGROUND_AGENT_PORT', 56150, 1, 65535),
      managerPort: r.int('PLAYGROUND_MANAGER_PORT', 56151, 1, 65535),
      fallbackPort: r.int('PLAYGROUND_FALLBACK_PORT', 56152, 1, 65535),
      skipLevelPort: r.int('PLAYGROUND_SKIP_LEVEL_PORT', 56153, 1, 65535),
      ownerPort: r.int('PLAYGROUND_OWNER_PORT', 56154, 1, 65535),
    },
  };

  // The settings both modes read the same way.
  const shared = {
    telemetry,
    privilegedRoleTemplateIds,
    tap,
    approvalTimeoutInMinutes,
    limits,
    risk,
    orgTimeZone,
    presets,
    ownerNotice,
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
      sandbox: { ...sandbox, playground: { ...sandbox.playground, enabled: false } },
    };
  } else {
    // Group and tenant ids come from the sandbox directory (see withSandboxIdentity).
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
      sandbox,
    };
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/** Sandbox mode: point the config at a running sandbox tenant. */
export function withSandboxIdentity(
  config: Config,
  sandbox: SandboxIdentity & { graphBaseUrl: string; authorityHost: string; clientId: string; clientSecret: string },
): Config {
  if (config.mode !== 'sandbox') throw new Error('withSandboxIdentity is only for sandbox mode');
  const secondApproverGroupId = config.risk.secondApproverGroupId ?? sandbox.secondApproverGroupId;
  return {
    ...config,
    risk: { ...config.risk, ...(secondApproverGroupId ? { secondApproverGroupId } : {}) },
    tenantId: sandbox.tenantId,
    graph: {
      auth: { kind: 'secret', clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
      baseUrl: sandbox.graphBaseUrl,
      authorityHost: sandbox.authorityHost,
    },
    groups: {
      helpdesk: config.groups.helpdesk || sandbox.helpdeskGroupId,
      fallbackApprover: config.groups.fallbackApprover ?? sandbox.fallbackApproverGroupId,
      protected: config.groups.protected ?? sandbox.protectedGroupId,
      ...optional('securityContacts', config.groups.securityContacts ?? sandbox.securityContactGroupId),
    },
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The scenario presets, each lifetime a Graph-valid number; the policy clamps them further. */
function parsePresets(r: Reader): ScenarioPresets {
  const recoveryLifetime = r.raw('PRESET_RECOVERY_LIFETIME_MINUTES') === undefined ? undefined : r.int('PRESET_RECOVERY_LIFETIME_MINUTES', 60, GRAPH_MIN_LIFETIME, GRAPH_MAX_LIFETIME);
  const startTime = r.raw('PRESET_NEW_JOINER_START_TIME') ?? DEFAULT_PRESETS.newJoiner.startTime ?? '08:00';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(startTime)) r.problems.push(`PRESET_NEW_JOINER_START_TIME must be a time of day as HH:MM, e.g. 08:00 (got "${truncate(startTime)}").`);
  return {
    recovery: { ...DEFAULT_PRESETS.recovery, ...(recoveryLifetime !== undefined ? { lifetimeInMinutes: recoveryLifetime } : {}) },
    newJoiner: {
      ...DEFAULT_PRESETS.newJoiner,
      lifetimeInMinutes: r.int('PRESET_NEW_JOINER_LIFETIME_MINUTES', DEFAULT_PRESETS.newJoiner.lifetimeInMinutes ?? 480, GRAPH_MIN_LIFETIME, GRAPH_MAX_LIFETIME),
      startTime,
    },
    passkeyOnboarding: {
      ...DEFAULT_PRESETS.passkeyOnboarding,
      lifetimeInMinutes: r.int('PRESET_PASSKEY_LIFETIME_MINUTES', DEFAULT_PRESETS.passkeyOnboarding.lifetimeInMinutes ?? 120, GRAPH_MIN_LIFETIME, GRAPH_MAX_LIFETIME),
    },
  };
}

const RISK_LEVELS = ['low', 'medium', 'high'] as const;

/**
 * Unset means the default; set but empty means no level at all (the rule is off), as the
 * message below says: `RISK_USER_LEVELS=` is how an admin turns the rule off.
 */
function parseRiskLevels(r: Reader, asSet: string | undefined): string[] {
  if (asSet === undefined) return [...DEFAULT_RISK_RULES.userRiskLevels];
  const v = r.raw('RISK_USER_LEVELS') ?? '';
  const levels = v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = levels.filter((l) => !(RISK_LEVELS as readonly string[]).includes(l));
  if (bad.length > 0) r.problems.push(`RISK_USER_LEVELS has ${bad.map((b) => `"${truncate(b)}"`).join(', ')}; use a comma-separated list of ${RISK_LEVELS.join(', ')} (or leave it empty for none).`);
  return levels.filter((l) => !bad.includes(l));
}

function parseRoleIds(r: Reader): string[] {
  const v = r.raw('PRIVILEGED_ROLE_TEMPLATE_IDS');
  if (v === undefined) return [...DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS];
  const ids = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = ids.filter((id) => !GUID.test(id));
  if (bad.length) r.problems.push(`PRIVILEGED_ROLE_TEMPLATE_IDS has entries that are not GUIDs: ${bad.map(truncate).join(', ')}.`);
  if (!ids.length) r.problems.push('PRIVILEGED_ROLE_TEMPLATE_IDS is empty: list at least one role template id, or unset it for the built-in list.');
  return ids;
}

function parseStorage(r: Reader): StorageConfig {
  const kind = r.oneOf('STORAGE', ['sqlite', 'blobs'] as const, 'sqlite');
  if (kind === 'blobs') {
    const connectionString = r.raw('BLOB_CONNECTION_STRING');
    const accountUrl = r.raw('BLOB_ACCOUNT_URL');
    const container = r.raw('BLOB_CONTAINER') ?? 'tap-bot';
    if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(container)) {
      r.problems.push(`BLOB_CONTAINER is not a valid container name (got "${truncate(container)}"): 3-63 lowercase letters, digits and single hyphens.`);
    }
    if (connectionString && accountUrl) {
      r.problems.push('Set either BLOB_CONNECTION_STRING or BLOB_ACCOUNT_URL (with a managed identity), not both.');
    } else if (!connectionString && !accountUrl) {
      r.problems.push('STORAGE=blobs needs BLOB_ACCOUNT_URL (e.g. https://stcontoso.blob.core.windows.net, reached with the managed identity) or BLOB_CONNECTION_STRING.');
    }
    if (accountUrl !== undefined) {
      let ok = false;
      try {
        const u = new URL(accountUrl);
        ok = u.protocol === 'https:' && u.pathname.replace(/\/+$/, '') === '' && !u.search;
      } catch {
        ok = false;
      }
      if (!ok) r.problems.push(`BLOB_ACCOUNT_URL must be the account's https endpoint without a path, e.g. https://stcontoso.blob.core.windows.net (got "${truncate(accountUrl)}").`);
    }
    const clientId = r.guid('BLOB_CLIENT_ID') ?? (accountUrl ? r.guid('GRAPH_CLIENT_ID') : undefined);
    return {
      kind,
      container,
      ...(connectionString ? { connectionString } : {}),
      ...(accountUrl ? { accountUrl: accountUrl.replace(/\/+$/, '') } : {}),
      ...(clientId ? { clientId } : {}),
    };
  }
  return { kind, path: r.raw('SQLITE_PATH') ?? '.data/tap-bot.sqlite' };
}

function parseBot(r: Reader): BotIdentity | undefined {
  const appType = r.oneOf<AppType>('MicrosoftAppType', ['SingleTenant', 'UserAssignedMSI'], 'SingleTenant');
  const appId = r.guid('MicrosoftAppId', { required: 'set it to the bot\'s Microsoft Entra app (client) id' });
  const appTenantId = r.guid('MicrosoftAppTenantId', { required: 'set it to the tenant id of the bot\'s app registration' });
  const appPassword = r.raw('MicrosoftAppPassword');
  const certificateThumbprint = r.raw('MicrosoftAppCertificateThumbprint');
  const certificateKeyPath = r.raw('MicrosoftAppCertificateKeyPath');
  if (appType === 'SingleTenant' && !appPassword && !certificateThumbprint) {
    r.problems.push('MicrosoftAppPassword is missing: a SingleTenant bot needs a client secret, or MicrosoftAppCertificateThumbprint with MicrosoftAppCertificateKeyPath.');
  }
  if (certificateThumbprint && !certificateKeyPath) {
    r.problems.push('MicrosoftAppCertificateKeyPath is missing: MicrosoftAppCertificateThumbprint needs the path of the certificate\'s PEM private key.');
  }
  if (certificateThumbprint && !/^[0-9a-f]{40}$/i.test(certificateThumbprint)) {
    r.problems.push('MicrosoftAppCertificateThumbprint is not a SHA-1 thumbprint (40 hex digits).');
  }
  if (!appId || !appTenantId) return undefined;
  return {
    appType,
    appId,
    appTenantId,
    ...(appPassword ? { appPassword } : {}),
    ...(certificateThumbprint ? { certificateThumbprint } : {}),
    ...(certificateKeyPath ? { certificateKeyPath } : {}),
  };
}

function parseGraphAuth(r: Reader, botAppId: string | undefined): GraphAuth | undefined {
  const kind = r.oneOf('GRAPH_AUTH', ['secret', 'certificate', 'managedIdentity'] as const, r.raw('GRAPH_CERTIFICATE_PATH') ? 'certificate' : 'secret');
  const clientId = r.guid('GRAPH_CLIENT_ID') ?? botAppId;
  if (kind === 'managedIdentity') return clientId ? { kind, clientId } : { kind };
  if (!clientId) {
    r.problems.push('GRAPH_CLIENT_ID is missing: set the app (client) id used for Microsoft Graph, or set MicrosoftAppId to reuse the bot\'s app.');
  }
  if (kind === 'certificate') {
    const certificatePath = r.required('GRAPH_CERTIFICATE_PATH', 'GRAPH_AUTH=certificate needs the path of a PEM file holding the certificate and its private key');
    return clientId && certificatePath ? { kind, clientId, certificatePath } : undefined;
  }
  const clientSecret = r.raw('GRAPH_CLIENT_SECRET') ?? r.raw('MicrosoftAppPassword');
  if (!clientSecret) {
    r.problems.push('GRAPH_CLIENT_SECRET is missing: GRAPH_AUTH=secret needs a client secret (or MicrosoftAppPassword when Graph uses the bot\'s app); or set GRAPH_AUTH=certificate or managedIdentity.');
  }
  return clientId && clientSecret ? { kind, clientId, clientSecret } : undefined;
}

/**
 * The identity the bot has in sandbox mode: the sandbox tenant, its groups and its app
 * credentials (the doctor checks the same one). Type-only imports of the sandbox: production
 * never loads it.
 */
export function withSandboxTenant(config: Config, sandbox: Pick<RunningSandbox, 'tenantId' | 'graphBaseUrl' | 'authorityHost' | 'clientId' | 'clientSecret'>, groups: typeof SandboxGroups): Config {
  return withSandboxIdentity(config, {
    tenantId: sandbox.tenantId,
    helpdeskGroupId: groups.helpdesk,
    fallbackApproverGroupId: groups.fallbackApprovers,
    protectedGroupId: groups.protected,
    securityContactGroupId: groups.securityContacts,
    // Four eyes in the sandbox: Joni Sherman is the second approver.
    secondApproverGroupId: groups.fallbackApprovers,
    graphBaseUrl: sandbox.graphBaseUrl,
    authorityHost: sandbox.authorityHost,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
  });
}
