/**
 * infra/azuredeploy.json is deployed by people who cannot run it here (no Azure, no az CLI):
 * these tests read it as data and pin what a wrong edit would silently break in production:
 * the transport security of the web app and storage, one identity for bot and Graph, no
 * secret in outputs, and app settings that src/config/index.ts actually reads.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';

interface ArmParameter {
  type: string;
  defaultValue?: unknown;
  allowedValues?: unknown[];
}
interface ArmResource {
  type: string;
  apiVersion?: string;
  name: string;
  scope?: string;
  location?: string;
  kind?: string;
  sku?: Record<string, unknown>;
  identity?: { type: string; userAssignedIdentities?: Record<string, unknown> };
  properties?: Record<string, unknown>;
  dependsOn?: string[];
}
interface ArmTemplate {
  parameters: Record<string, ArmParameter>;
  variables: Record<string, unknown>;
  resources: ArmResource[];
  outputs: Record<string, { type: string; value: unknown }>;
}

const INFRA = path.join(__dirname, '..', '..', 'infra');
const templateText = readFileSync(path.join(INFRA, 'azuredeploy.json'), 'utf8');
const template = JSON.parse(templateText) as ArmTemplate;
const example = JSON.parse(readFileSync(path.join(INFRA, 'azuredeploy.parameters.example.json'), 'utf8')) as {
  parameters: Record<string, { value: unknown }>;
};

/** App settings the platform or a library reads, not src/config/index.ts: each one with why it is there. */
const PLATFORM_SETTINGS: Readonly<Record<string, string>> = {
  NODE_ENV: 'Node convention: libraries drop development behaviour',
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'App Service: deploy the built package as is, no Oryx build',
  WEBSITE_RUN_FROM_PACKAGE: 'App Service: run the deployed zip read-only, swapped atomically',
};

/**
 * Settings the template sets for a feature whose variable src/config/index.ts does not read yet.
 * Each must leave this list as soon as CONFIG_VARIABLES has it (a test below says so).
 */
const AWAITED_IN_CONFIG: readonly string[] = [];

/** Parameters an operator must be able to set; each maps to a variable of src/config/index.ts or to sizing. */
const REQUIRED_PARAMETERS: Readonly<Record<string, string>> = {
  baseName: 'string',
  location: 'string',
  appServicePlanSku: 'string',
  instanceCount: 'int',
  botSku: 'string',
  helpdeskGroupId: 'string',
  fallbackApproverGroupId: 'string',
  protectedGroupId: 'string',
  securityContactGroupId: 'string',
  secondApproverGroupId: 'string',
  onboardingGroupId: 'string',
  bulkApproverGroupId: 'string',
  teamsAppCatalogId: 'string',
  publicBaseUrl: 'string',
  blobContainerName: 'string',
};

const ARM_TYPES = ['string', 'securestring', 'int', 'bool', 'object', 'secureobject', 'array'];

function resourcesOf(type: string): ArmResource[] {
  return template.resources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
}

function only(type: string): ArmResource {
  const found = resourcesOf(type);
  assert.equal(found.length, 1, `expected exactly one ${type}, found ${found.length}`);
  return found[0]!;
}

function props(resource: ArmResource): Record<string, unknown> {
  assert.ok(resource.properties, `${resource.type} has no properties`);
  return resource.properties;
}

/**
 * An expression with every `variables('x')` replaced by that variable's own expression, so two
 * spellings of one value compare equal. Brackets are dropped: `[a]` → `a`.
 */
function expand(value: unknown, depth = 0): string {
  assert.ok(depth < 10, 'variables refer to each other in a loop');
  assert.equal(typeof value, 'string', `expected a string expression, got ${JSON.stringify(value)}`);
  const text = (value as string).replace(/^\[(.*)\]$/s, '$1');
  return text.replace(/variables\('([^']+)'\)/g, (_m, name: string) => {
    assert.ok(name in template.variables, `variable ${name} is used but not declared`);
    const v = template.variables[name];
    return typeof v === 'string' && v.startsWith('[') ? `(${expand(v, depth + 1)})` : `'${String(v)}'`;
  });
}

const webApp = only('Microsoft.Web/sites');
const siteConfig = props(webApp).siteConfig as Record<string, unknown>;
const appSettingsResource = template.resources.find((r) => r.type === 'Microsoft.Web/sites/config' && /\/appsettings'/.test(r.name));
assert.ok(appSettingsResource, 'the template sets the app settings in a Microsoft.Web/sites/config "appsettings" resource');
const appSettings = props(appSettingsResource) as Record<string, unknown>;
const bot = only('Microsoft.BotService/botServices');
const storage = only('Microsoft.Storage/storageAccounts');

/** The web app's one user-assigned identity, as an expanded resource-id expression. */
function webAppIdentity(): string {
  assert.equal(webApp.identity?.type, 'UserAssigned', 'the web app runs as a user-assigned identity');
  const keys = Object.keys(webApp.identity?.userAssignedIdentities ?? {});
  assert.equal(keys.length, 1, 'the web app has exactly one user-assigned identity');
  return expand(keys[0]);
}

describe('deployment template (infra/azuredeploy.json)', () => {
  it('declares every parameter an operator sets, each with an ARM type', () => {
    for (const [name, type] of Object.entries(REQUIRED_PARAMETERS)) {
      const p = template.parameters[name];
      assert.ok(p, `parameter ${name} is missing`);
      assert.equal(p.type.toLowerCase(), type, `parameter ${name} should be of type ${type}`);
    }
    for (const [name, p] of Object.entries(template.parameters)) {
      assert.ok(ARM_TYPES.includes(String(p.type).toLowerCase()), `parameter ${name} has no valid type (got ${String(p.type)})`);
    }
  });

  it('gives every resource an apiVersion of the form yyyy-mm-dd', () => {
    assert.ok(template.resources.length > 0);
    for (const r of template.resources) {
      assert.match(r.apiVersion ?? '', /^\d{4}-\d{2}-\d{2}(-preview)?$/, `${r.type} ${r.name} has no apiVersion`);
    }
  });

  it('creates every resource the bot needs: plan, web app, identity, Azure Bot with Teams, storage, logs', () => {
    for (const type of [
      'Microsoft.Web/serverfarms',
      'Microsoft.Web/sites',
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.BotService/botServices',
      'Microsoft.BotService/botServices/channels',
      'Microsoft.Storage/storageAccounts',
      'Microsoft.Storage/storageAccounts/blobServices/containers',
      'Microsoft.Authorization/roleAssignments',
      'Microsoft.OperationalInsights/workspaces',
      'Microsoft.Insights/components',
    ]) {
      assert.ok(resourcesOf(type).length > 0, `no ${type}`);
    }
    const plan = only('Microsoft.Web/serverfarms');
    assert.equal(props(plan).reserved, true, 'the plan is a Linux plan (reserved: true)');
  });

  it('serves the web app over HTTPS only, TLS 1.2 or newer, with FTP and basic publishing credentials off', () => {
    assert.equal(props(webApp).httpsOnly, true);
    for (const key of ['minTlsVersion', 'scmMinTlsVersion']) {
      const v = Number(siteConfig[key]);
      assert.ok(v >= 1.2, `${key} must be at least 1.2 (got ${String(siteConfig[key])})`);
    }
    assert.equal(siteConfig.ftpsState, 'Disabled');
    const policies = resourcesOf('Microsoft.Web/sites/basicPublishingCredentialsPolicies');
    assert.deepEqual(policies.map((p) => /'\{0\}\/(\w+)'/.exec(p.name)?.[1]).sort(), ['ftp', 'scm']);
    for (const p of policies) assert.equal(props(p).allow, false, `${p.name} must not allow basic credentials`);
  });

  it('runs the built bot on Node 20 LTS, always on, with the readiness probe as health check', () => {
    assert.equal(siteConfig.linuxFxVersion, 'NODE|20-lts');
    assert.equal(siteConfig.appCommandLine, 'node dist/src/index.js');
    assert.equal(siteConfig.alwaysOn, true);
    assert.equal(siteConfig.healthCheckPath, '/health/ready');
    assert.equal(props(webApp).clientAffinityEnabled, false, 'several instances share state in storage: no sticky sessions');
  });

  it('makes the Azure Bot sign in as the same user-assigned identity the web app runs as', () => {
    const identity = webAppIdentity();
    assert.match(identity, /resourceId\('Microsoft\.ManagedIdentity\/userAssignedIdentities'/);
    const p = props(bot);
    assert.equal(p.msaAppType, 'UserAssignedMSI');
    assert.equal(expand(p.msaAppMSIResourceId), identity, 'msaAppMSIResourceId is the web app identity');
    const clientId = `reference(${identity}, '2023-01-31').clientId`;
    assert.equal(expand(p.msaAppId), clientId, 'msaAppId is the client id of the web app identity');
    assert.equal(appSettings.MicrosoftAppType, 'UserAssignedMSI');
    assert.equal(expand(appSettings.MicrosoftAppId), clientId, 'MicrosoftAppId is that client id');
  });

  it('uses that same identity for Microsoft Graph, in the tenant the bot serves', () => {
    const clientId = `reference(${webAppIdentity()}, '2023-01-31').clientId`;
    assert.equal(appSettings.GRAPH_AUTH, 'managedIdentity');
    assert.equal(expand(appSettings.GRAPH_CLIENT_ID), clientId);
    const tenant = expand(props(bot).msaAppTenantId);
    assert.equal(expand(appSettings.MicrosoftAppTenantId), tenant);
    assert.equal(expand(appSettings.TENANT_ID), tenant, 'a managed identity gets tokens only in its own tenant');
  });

  it('points the bot at the web app /api/messages over https, with Teams as its channel', () => {
    assert.equal(bot.location, 'global');
    assert.ok(bot.sku?.name, 'the bot has a sku');
    const endpoint = expand(props(bot).endpoint);
    assert.match(endpoint, /^format\('https:\/\/\{0\}\/api\/messages', reference\(\(resourceId\('Microsoft\.Web\/sites'/);
    const teams = only('Microsoft.BotService/botServices/channels');
    assert.match(teams.name, /\/MsTeamsChannel'/);
    assert.equal(props(teams).channelName, 'MsTeamsChannel');
    assert.equal((props(teams).properties as Record<string, unknown>).isEnabled, true);
  });

  it('keeps the storage account private: no public blob access, HTTPS only, TLS 1.2, private container', () => {
    const p = props(storage);
    assert.equal(storage.kind, 'StorageV2');
    assert.equal(p.allowBlobPublicAccess, false);
    assert.equal(p.supportsHttpsTrafficOnly, true);
    assert.equal(p.minimumTlsVersion, 'TLS1_2');
    const container = only('Microsoft.Storage/storageAccounts/blobServices/containers');
    assert.equal(props(container).publicAccess, 'None');
    assert.equal(expand(appSettings.BLOB_CONTAINER), "parameters('blobContainerName')");
    assert.match(container.name, /parameters\('blobContainerName'\)/);
  });

  it('allows shared keys on the storage account only while the app still needs BLOB_CONNECTION_STRING', () => {
    // src/config/index.ts reads blob storage only as a connection string; when it can use the
    // managed identity instead, drop the key and this exception together.
    const needsKey = 'BLOB_CONNECTION_STRING' in appSettings;
    assert.equal(props(storage).allowSharedKeyAccess, needsKey);
  });

  it('gives the identity Storage Blob Data Contributor on the storage account', () => {
    const assignment = only('Microsoft.Authorization/roleAssignments');
    const p = props(assignment);
    assert.match(expand(p.roleDefinitionId), /ba92f5b4-2d11-453d-a403-e96b0029c9fe/);
    assert.equal(expand(p.principalId), `reference(${webAppIdentity()}, '2023-01-31').principalId`);
    assert.equal(p.principalType, 'ServicePrincipal');
    assert.match(expand(assignment.scope), /^format\('Microsoft\.Storage\/storageAccounts\/\{0\}'/);
  });

  it('sends telemetry to a workspace-based Application Insights', () => {
    const insights = only('Microsoft.Insights/components');
    assert.match(expand(props(insights).WorkspaceResourceId), /Microsoft\.OperationalInsights\/workspaces/);
    assert.match(expand(appSettings.APPLICATIONINSIGHTS_CONNECTION_STRING), /Microsoft\.Insights\/components.*\.ConnectionString$/);
  });

  it('puts no key, password, token or connection string in its outputs', () => {
    const secretName = /key|password|secret|token|credential|connectionstring|sas/i;
    const secretValue = /list\w*\(|connectionstring|instrumentationkey|accountkey|password|secret/i;
    for (const [name, output] of Object.entries(template.outputs)) {
      assert.doesNotMatch(name, secretName, `output ${name} is named like a secret`);
      assert.doesNotMatch(JSON.stringify(output.value), secretValue, `output ${name} carries a secret-like value`);
      assert.notEqual(output.type.toLowerCase(), 'securestring');
    }
    for (const name of ['siteUrl', 'messagingEndpoint', 'identityClientId', 'identityPrincipalId']) {
      assert.ok(name in template.outputs, `output ${name} is missing`);
    }
  });

  it('sets only app settings that src/config/index.ts reads, or platform settings named in this test', () => {
    const known = new Set<string>(CONFIG_VARIABLES);
    for (const name of Object.keys(appSettings)) {
      assert.ok(
        known.has(name) || name in PLATFORM_SETTINGS || AWAITED_IN_CONFIG.includes(name),
        `app setting ${name} is read by nothing: not in CONFIG_VARIABLES (src/config/index.ts) nor a platform setting`,
      );
    }
  });

  it('drops a setting from the awaited list once src/config/index.ts reads it', () => {
    const known = new Set<string>(CONFIG_VARIABLES);
    for (const name of AWAITED_IN_CONFIG) {
      assert.ok(!known.has(name), `${name} is in CONFIG_VARIABLES now: remove it from AWAITED_IN_CONFIG`);
      assert.ok(name in appSettings, `${name} is awaited but the template does not set it`);
    }
  });

  it('declares every parameter it references and references every parameter it declares', () => {
    const referenced = (text: string): Set<string> => new Set([...text.matchAll(/parameters\('([^']+)'\)/g)].map((m) => m[1]!));
    const declared = new Set(Object.keys(template.parameters));
    for (const name of referenced(templateText)) assert.ok(declared.has(name), `parameters('${name}') is used but not declared`);
    const body = JSON.stringify({ variables: template.variables, resources: template.resources, outputs: template.outputs });
    const used = referenced(body);
    for (const name of declared) assert.ok(used.has(name), `parameter ${name} is declared but never used`);
  });

  it('has an example parameters file covering every parameter without a default, and no unknown ones', () => {
    for (const [name, p] of Object.entries(template.parameters)) {
      if (p.defaultValue === undefined) assert.ok(name in example.parameters, `the example has no value for ${name}, which has no default`);
    }
    for (const [name, { value }] of Object.entries(example.parameters)) {
      const p = template.parameters[name];
      assert.ok(p, `the example sets ${name}, which the template does not declare`);
      if (p.allowedValues) assert.ok(p.allowedValues.includes(value), `the example's ${name} is not an allowed value`);
    }
  });

  it('yields app settings that start the bot in production with the managed identity and blob storage', () => {
    // What Azure fills in at deployment, for every setting that is neither a literal nor a parameter.
    const AZURE_FILLS: Readonly<Record<string, string>> = {
      MicrosoftAppId: '0f0e0d0c-0b0a-4090-8070-605040302010',
      GRAPH_CLIENT_ID: '0f0e0d0c-0b0a-4090-8070-605040302010',
      MicrosoftAppTenantId: 'a1b2c3d4-e5f6-4789-8abc-def012345678',
      TENANT_ID: 'a1b2c3d4-e5f6-4789-8abc-def012345678',
      PUBLIC_BASE_URL: 'https://tap-helpdesk-abc.azurewebsites.net',
      BLOB_ACCOUNT_URL: 'https://stabc.blob.core.windows.net',
      BLOB_CLIENT_ID: '0f0e0d0c-0b0a-4090-8070-605040302010',
      STEP_UP_MANAGED_IDENTITY_CLIENT_ID: '0f0e0d0c-0b0a-4090-8070-605040302010',
      APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
    };
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(appSettings)) {
      assert.equal(typeof value, 'string', `app setting ${name} must be a string`);
      const param = /^\[parameters\('([^']+)'\)\]$/.exec(value as string)?.[1];
      if (param !== undefined) {
        const v = example.parameters[param]?.value ?? template.parameters[param]?.defaultValue;
        assert.equal(typeof v, 'string', `no example or default string for parameter ${param}`);
        env[name] = v as string;
      } else if ((value as string).startsWith('[')) {
        assert.ok(name in AZURE_FILLS, `app setting ${name} is an expression this test does not know how Azure fills in`);
        env[name] = AZURE_FILLS[name]!;
      } else {
        env[name] = value as string;
      }
    }
    const config = loadConfig(env);
    assert.equal(config.mode, 'production');
    assert.equal(config.bot?.appType, 'UserAssignedMSI');
    assert.equal(config.bot?.appId, AZURE_FILLS.MicrosoftAppId);
    assert.deepEqual(config.graph.auth, { kind: 'managedIdentity', clientId: AZURE_FILLS.GRAPH_CLIENT_ID });
    assert.equal(config.tenantId, AZURE_FILLS.TENANT_ID);
    assert.equal(config.storage.kind, 'blobs');
    // Blob storage through the same managed identity: no account key anywhere.
    assert.deepEqual(config.storage, { kind: 'blobs', container: config.storage.kind === 'blobs' ? config.storage.container : '', accountUrl: AZURE_FILLS.BLOB_ACCOUNT_URL, clientId: AZURE_FILLS.BLOB_CLIENT_ID });
    assert.equal(config.groups.helpdesk, example.parameters.helpdeskGroupId?.value);
    assert.equal(config.host, '0.0.0.0', 'App Service reaches the app on all interfaces');
  });
});
