/**
 * Identity-assurance signals against the sandbox tenant, read in the same `$batch` as the
 * target checks; each one "not available" (with what it needs) when its permission or
 * licence is missing, never silently left out.
 */
import { catalogue } from '../../src/i18n';
import { wordsIn, type Words } from '../../src/i18n/said';
import assert from 'node:assert/strict';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS } from '../../src/config';
import { USERS } from '../../sandbox/ids';
import { configureLogging } from '../../src/log';
import { createCredential } from '../../src/graph/credential';
import { GraphGateway } from '../../src/graph/gateway';
import type { TargetSignals } from '../../src/graph/types';

/** A signal's reason as an English reader reads it. */
const english = (words: Words): string => wordsIn(catalogue('en'), words);


describe('identity-assurance signals from the sandbox tenant (read with the checks)', () => {
  let sandbox: RunningSandbox;

  before(async () => {
    configureLogging({ level: 'silent' });
    sandbox = await startSandbox({ port: 0 });
  });
  after(async () => {
    await sandbox?.stop();
    configureLogging({ level: 'info' });
  });
  beforeEach(() => sandbox.reset());

  function gateway(): GraphGateway {
    const credential = createCredential({ kind: 'secret', clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }, sandbox.tenantId, {
      authorityHost: sandbox.authorityHost,
      trustedCaPem: sandbox.caPem,
    });
    return new GraphGateway({ credential, baseUrl: sandbox.graphBaseUrl, trustedCaPem: sandbox.caPem, sleep: async () => undefined });
  }

  /** Graph calls of the last inspection. */
  const graphCalls = () => sandbox.requests.filter((r) => r.url.startsWith('/v1.0/') && !r.url.includes('/oauth2/'));

  /** The signals of the user at `key` (sign-in name or object id), read with the checks. */
  async function signalsOf(key: string, g = gateway()): Promise<TargetSignals> {
    sandbox.resetRequests();
    const facts = await g.inspectTarget(key, { privilegedRoleTemplateIds: [...DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS], withSignals: true });
    assert.ok(facts.signals);
    return facts.signals;
  }

  it('by object id the signals ride in the checks\' one $batch; by name, the records about the user follow by id in a second', async () => {
    await signalsOf(USERS.megan.id);
    assert.deepEqual(graphCalls().map((r) => r.url.split('?')[0]), ['/v1.0/$batch']);
    await signalsOf(USERS.megan.upn);
    assert.deepEqual(graphCalls().map((r) => r.url.split('?')[0]), ['/v1.0/$batch', '/v1.0/$batch']);
    const [checks, records] = graphCalls().map((r) => (r.batchItems ?? []).map((u) => decodeURIComponent(u)));
    assert.ok(!checks!.some((u) => /directoryAudits|riskyUsers/.test(u)), 'no record is searched by the typed name');
    assert.equal(records!.length, 5, 'two records and three PIM reads');
    assert.ok(records!.every((u) => u.includes(USERS.megan.id)), records!.join('\n'));
  });

  it("shows Megan's numbers on file, her registered methods, account age and last sign-in, and no risk or manager change", async () => {
    const s = await signalsOf(USERS.megan.upn);
    assert.ok(s.phones.available && (s.phones.value.business.length > 0 || s.phones.value.mobile));
    assert.ok(s.methods.available);
    assert.ok(s.methods.value.registered.some((m) => m.type === 'microsoftAuthenticator'));
    assert.ok(!s.methods.value.registered.some((m) => m.type === 'temporaryAccessPass'), 'the pass is not a proof of identity');
    assert.ok(s.account.available && s.account.value.createdDateTime);
    assert.equal(typeof s.account.value.lastSuccessfulSignIn, 'string');
    assert.deepEqual(s.managerChange, { available: true, value: null });
    assert.deepEqual(s.risk, { available: true, value: null });
  });

  it("shows that Lasse's Authenticator was registered a day ago", async () => {
    const s = await signalsOf(USERS.lasse.upn);
    assert.ok(s.methods.available && s.methods.value.newestAddedAt);
    assert.ok(Date.now() - Date.parse(s.methods.value.newestAddedAt) < 3 * 24 * 3600_000);
  });

  it("finds the change of Miriam's manager two days ago in the directory audit log", async () => {
    const s = await signalsOf(USERS.miriam.upn);
    assert.ok(s.managerChange.available && s.managerChange.value);
    assert.ok(Date.now() - Date.parse(s.managerChange.value.changedAt) < 3 * 24 * 3600_000);
  });

  it("reads Lidia's high Identity Protection risk", async () => {
    const s = await signalsOf(USERS.lidia.upn);
    assert.deepEqual(s.risk.available && s.risk.value?.level, 'high');
  });

  it('a user renamed after their manager was changed still shows the change, typed by the new name or by id', async () => {
    sandbox.state.updateUser(USERS.megan.id, { manager: USERS.lee.id });
    sandbox.state.updateUser(USERS.megan.id, { userPrincipalName: 'megan.bowen@contoso.com' });
    for (const key of ['megan.bowen@contoso.com', USERS.megan.id]) {
      const s = await signalsOf(key);
      assert.ok(s.managerChange.available && s.managerChange.value, `${key}: ${JSON.stringify(s.managerChange)}`);
    }
    const recordSearches = graphCalls().flatMap((r) => r.batchItems ?? []).filter((u) => /directoryAudits|riskyUsers/.test(u));
    assert.ok(recordSearches.every((u) => decodeURIComponent(u).includes(USERS.megan.id) && !/userPrincipalName/.test(decodeURIComponent(u))), recordSearches.join('\n'));
  });

  it("a renamed user's Identity Protection risk is still read", async () => {
    sandbox.state.updateUser(USERS.lidia.id, { userPrincipalName: 'lidia.holloway@contoso.com' });
    const s = await signalsOf('lidia.holloway@contoso.com');
    assert.deepEqual(s.risk.available && s.risk.value?.level, 'high');
  });

  it('a manager changed through the directory now shows up as a signal', async () => {
    sandbox.state.updateUser(USERS.megan.id, { manager: USERS.lee.id });
    const s = await signalsOf(USERS.megan.upn);
    assert.ok(s.managerChange.available && s.managerChange.value);
  });

  const withheld: Array<[string, (s: TargetSignals) => boolean, RegExp]> = [
    ['UserAuthenticationMethod.Read.All', (s) => !s.methods.available && /UserAuthenticationMethod\.Read\.All/.test(english(s.methods.missing)), /methods/],
    ['AuditLog.Read.All', (s) => !s.managerChange.available && /AuditLog\.Read\.All/.test(english(s.managerChange.missing)) && /AuditLog/.test(english(s.signInMissing ?? '')), /audit/],
    ['IdentityRiskyUser.Read.All', (s) => !s.risk.available && /IdentityRiskyUser\.Read\.All/.test(english(s.risk.missing)), /risk/],
  ];
  for (const [permission, check] of withheld) {
    it(`without ${permission} the signal is "not available" and says what it needs; the checks still work`, async () => {
      sandbox.knobs.grantedPermissions = sandbox.knobs.grantedPermissions.filter((p) => p !== permission);
      sandbox.expireTokens();
      const s = await signalsOf(USERS.megan.upn);
      assert.ok(check(s), JSON.stringify(s));
      assert.ok(s.phones.available, 'the rest is still shown');
    });
  }

  it('without a P2 licence the risk is "not available", not "no risk"', async () => {
    sandbox.knobs.riskyUsersLicensed = false;
    const s = await signalsOf(USERS.lidia.upn);
    assert.equal(s.risk.available, false);
  });
});
