/**
 * Sandbox mode's tenant: the local sandbox tenant (sandbox/) started, or one already running
 * taken as it is (tests), and a sandbox-mode config pointed at it: its tenant id, Graph and
 * token URLs, client credentials, and its groups where none are configured. The bot
 * (dev/start.ts, dev/sandboxApp.ts) and the command-line tools (dev/sandboxTools.ts) get
 * the same identity from here; src/ never imports the sandbox.
 */
import type { Config } from '../src/config';
import { optional } from '../src/config/reader';
import { GROUPS, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_TENANT_ID } from '../sandbox/ids';
import { startSandbox } from '../sandbox/server';
import type { RunningSandbox } from '../sandbox/types';

/** Sandbox directory ids (see sandbox/directory.json). */
export interface SandboxIdentity {
  tenantId: string;
  helpdeskGroupId: string;
  fallbackApproverGroupId: string;
  protectedGroupId: string;
  securityContactGroupId?: string;
  secondApproverGroupId?: string;
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

/** The identity the bot has in sandbox mode: the sandbox tenant, its groups and its app credentials. */
function withSandboxTenant(config: Config, sandbox: Pick<RunningSandbox, 'tenantId' | 'graphBaseUrl' | 'authorityHost' | 'clientId' | 'clientSecret'>): Config {
  return withSandboxIdentity(config, {
    tenantId: sandbox.tenantId,
    helpdeskGroupId: GROUPS.helpdesk,
    fallbackApproverGroupId: GROUPS.fallbackApprovers,
    protectedGroupId: GROUPS.protected,
    securityContactGroupId: GROUPS.securityContacts,
    // Four eyes in the sandbox: Joni Sherman is the second approver.
    secondApproverGroupId: GROUPS.fallbackApprovers,
    graphBaseUrl: sandbox.graphBaseUrl,
    authorityHost: sandbox.authorityHost,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
  });
}

export interface SandboxTenantInUse {
  sandbox: RunningSandbox;
  /** The config pointed at it. */
  config: Config;
  /** Stops the sandbox tenant when it was started here; a given one is left running. */
  stop(): Promise<void>;
}

/** A config pointed at a sandbox tenant another process runs (dev/sandboxDiscovery.ts): the same identity, that origin. */
export function joinedSandboxConfig(config: Config, origin: string): Config {
  return withSandboxTenant(config, { tenantId: SANDBOX_TENANT_ID, graphBaseUrl: origin, authorityHost: origin, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET });
}

/** Starts the sandbox tenant on the configured port, or takes the one given, and points the config at it. */
export async function useSandboxTenant(config: Config, given?: RunningSandbox): Promise<SandboxTenantInUse> {
  const sandbox = given ?? (await startSandbox({ port: config.sandbox.graphPort }));
  // SANDBOX_OUT_OF_OFFICE: try a manager on holiday with npm start (docs/operations.md, "A silent approver").
  if (!given) for (const who of config.sandbox.outOfOffice) sandbox.state.setAutomaticReplies(who, { status: 'alwaysEnabled' });
  return {
    sandbox,
    config: withSandboxTenant(config, sandbox),
    stop: given ? async () => undefined : () => sandbox.stop(),
  };
}
