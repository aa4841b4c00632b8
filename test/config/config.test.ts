import assert from 'node:assert/strict';
import { loadConfig, DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS, CONFIG_VARIABLES } from '../../src/config';
import { withSandboxIdentity } from '../../dev/sandboxTenant';
import { ConfigError } from '../../src/errors';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { APP, GROUP, TENANT, problemsOf, production } from '../support/configEnv';


describe('configuration', () => {
  it('with no credentials at all runs in sandbox mode on loopback with the documented defaults', () => {
    const c = loadConfig({});
    assert.equal(c.mode, 'sandbox');
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 3978);
    assert.equal(c.approvalTimeoutInMinutes, 30);
    assert.equal(c.tap.isUsableOnce, true);
    assert.equal(c.tap.deliveryRecipient, 'agent');
    assert.equal(c.tap.defaultLifetimeInMinutes, undefined);
    assert.deepEqual(c.storage, { kind: 'sqlite', path: '.data/tap-bot.sqlite' });
    assert.deepEqual(c.privilegedRoleTemplateIds, [...DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS]);
    assert.equal(c.bot, undefined);
  });

  it('any credential means production: the sandbox is never a silent fallback', () => {
    const problems = problemsOf({ GRAPH_CLIENT_SECRET: 'x' });
    assert.ok(problems.some((p) => p.startsWith('MicrosoftAppId is missing')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('HELPDESK_GROUP_ID is missing')), problems.join('\n'));
  });

  it('a complete production configuration is accepted and Graph reuses the bot app', () => {
    const c = loadConfig(production());
    assert.equal(c.mode, 'production');
    assert.equal(c.tenantId, TENANT);
    assert.equal(c.host, '0.0.0.0');
    assert.deepEqual(c.graph.auth, { kind: 'secret', clientId: APP, clientSecret: 'bot-secret-value' });
    assert.equal(c.graph.baseUrl, 'https://graph.microsoft.com');
    assert.equal(c.graph.authorityHost, 'https://login.microsoftonline.com');
    assert.equal(c.sandbox.playground.enabled, false);
  });

  it('reports every problem at once, each naming its variable', () => {
    const problems = problemsOf({
      MicrosoftAppId: 'not-a-guid',
      MicrosoftAppTenantId: TENANT,
      PORT: '70000',
      APPROVAL_TIMEOUT_MINUTES: 'soon',
      TAP_ONE_TIME: 'maybe',
      TAP_DELIVERY_RECIPIENT: 'user',
      GRAPH_BASE_URL: 'http://graph.example',
      AUTHORITY_HOST: 'not a url',
      TAP_DEFAULT_LIFETIME_MINUTES: '5',
    });
    const expectStart = [
      'MicrosoftAppId is not a GUID',
      'PORT is out of range',
      'APPROVAL_TIMEOUT_MINUTES is not a whole number',
      'TAP_ONE_TIME must be true or false',
      'TAP_DELIVERY_RECIPIENT must be one of agent, manager',
      'GRAPH_BASE_URL must be an https:// URL',
      'AUTHORITY_HOST is not a URL',
      'TAP_DEFAULT_LIFETIME_MINUTES is out of range',
      'HELPDESK_GROUP_ID is missing',
      'MicrosoftAppPassword is missing',
    ];
    for (const prefix of expectStart) {
      assert.ok(problems.some((p) => p.startsWith(prefix)), `no problem starting "${prefix}" in:\n${problems.join('\n')}`);
    }
  });

  it('never prints secret values in its messages', () => {
    const secret = 'Sup3r-Secret~Value.123';
    try {
      loadConfig({ MicrosoftAppPassword: secret, MicrosoftAppId: 'bad', GRAPH_CLIENT_SECRET: secret, PORT: 'x' });
      assert.fail('expected a ConfigError');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      assert.ok(!e.message.includes(secret));
    }
  });

  it('a certificate thumbprint needs its key path and must look like SHA-1', () => {
    const problems = problemsOf(production({ MicrosoftAppPassword: '', MicrosoftAppCertificateThumbprint: 'abc' }));
    assert.ok(problems.some((p) => p.startsWith('MicrosoftAppCertificateKeyPath is missing')));
    assert.ok(problems.some((p) => p.startsWith('MicrosoftAppCertificateThumbprint is not a SHA-1 thumbprint')));
  });

  it('Graph by certificate or managed identity needs no secret', () => {
    const cert = loadConfig(production({ GRAPH_AUTH: 'certificate', GRAPH_CERTIFICATE_PATH: '/etc/tap/graph.pem' }));
    assert.deepEqual(cert.graph.auth, { kind: 'certificate', clientId: APP, certificatePath: '/etc/tap/graph.pem' });
    const mi = loadConfig(production({ GRAPH_AUTH: 'managedIdentity', GRAPH_CLIENT_ID: GROUP }));
    assert.deepEqual(mi.graph.auth, { kind: 'managedIdentity', clientId: GROUP });
  });

  it('blob storage needs an account URL (managed identity) or a connection string, and a valid container name', () => {
    const problems = problemsOf({ STORAGE: 'blobs', BLOB_CONTAINER: 'Bad_Name' });
    assert.ok(problems.some((p) => p.startsWith('STORAGE=blobs needs BLOB_ACCOUNT_URL')));
    assert.ok(problems.some((p) => p.startsWith('BLOB_CONTAINER is not a valid container name')));
    assert.ok(problemsOf({ STORAGE: 'blobs', BLOB_ACCOUNT_URL: 'https://st.blob.core.windows.net', BLOB_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).some((p) => p.includes('not both')));
    for (const bad of ['http://st.blob.core.windows.net', 'https://st.blob.core.windows.net/container', 'not a url', 'https://st.blob.core.windows.net?sv=x']) {
      assert.ok(problemsOf({ STORAGE: 'blobs', BLOB_ACCOUNT_URL: bad }).some((p) => p.startsWith('BLOB_ACCOUNT_URL must be')), bad);
    }
  });

  it('blob storage by account URL uses the Graph managed identity unless BLOB_CLIENT_ID names another', () => {
    const mi = loadConfig(production({ STORAGE: 'blobs', BLOB_ACCOUNT_URL: 'https://st.blob.core.windows.net/', GRAPH_AUTH: 'managedIdentity', GRAPH_CLIENT_ID: APP }));
    assert.deepEqual(mi.storage, { kind: 'blobs', container: 'tap-bot', accountUrl: 'https://st.blob.core.windows.net', clientId: APP });
    const other = loadConfig(production({ STORAGE: 'blobs', BLOB_ACCOUNT_URL: 'https://st.blob.core.windows.net', GRAPH_AUTH: 'managedIdentity', GRAPH_CLIENT_ID: APP, BLOB_CLIENT_ID: TENANT }));
    assert.equal(other.storage.kind === 'blobs' ? other.storage.clientId : undefined, TENANT);
  });

  it('RISK_USER_LEVELS set but empty means no level at all (the rule is off); unset means the default, high', () => {
    assert.deepEqual(loadConfig({ RISK_USER_LEVELS: '' }).risk.userRiskLevels, []);
    assert.deepEqual(loadConfig({ RISK_USER_LEVELS: '  ' }).risk.userRiskLevels, []);
    assert.deepEqual(loadConfig({}).risk.userRiskLevels, ['high']);
    assert.deepEqual(loadConfig({ RISK_USER_LEVELS: 'Medium, high' }).risk.userRiskLevels, ['medium', 'high']);
    assert.ok(problemsOf({ RISK_USER_LEVELS: 'severe' }).some((p) => /RISK_USER_LEVELS has "severe".*empty for none/.test(p)));
  });

  it('privileged role ids must be GUIDs', () => {
    const problems = problemsOf({ PRIVILEGED_ROLE_TEMPLATE_IDS: `${GROUP}, global-admin` });
    assert.ok(problems.some((p) => p.includes('global-admin')));
  });

  it('sandbox identity fills tenant, Graph and groups only in sandbox mode', () => {
    const c = withSandboxIdentity(loadConfig({}), {
      tenantId: TENANT, helpdeskGroupId: GROUP, fallbackApproverGroupId: APP, protectedGroupId: TENANT,
      graphBaseUrl: 'https://127.0.0.1:1', authorityHost: 'https://127.0.0.1:1', clientId: APP, clientSecret: 's',
    });
    assert.equal(c.tenantId, TENANT);
    assert.equal(c.groups.helpdesk, GROUP);
    assert.throws(() => withSandboxIdentity(loadConfig(production()), {
      tenantId: TENANT, helpdeskGroupId: GROUP, fallbackApproverGroupId: APP, protectedGroupId: TENANT,
      graphBaseUrl: 'x', authorityHost: 'x', clientId: APP, clientSecret: 's',
    }));
  });

  it('.env.example documents every variable loadConfig reads', () => {
    const example = readFileSync(path.join(__dirname, '../../.env.example'), 'utf8');
    const missing = CONFIG_VARIABLES.filter((v) => !new RegExp(`^#?\\s*${v}=`, 'm').test(example));
    assert.deepEqual(missing, []);
  });
});
