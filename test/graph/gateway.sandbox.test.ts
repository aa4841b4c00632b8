/**
 * The gateway against the sandbox tenant over HTTPS, through the real @azure/identity
 * credential and the real Graph client: only the URLs and the trusted CA differ from
 * production.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { GROUPS, ROLE_TEMPLATES, USERS } from '../../sandbox/ids';
import { DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS } from '../../src/config';
import { GraphError } from '../../src/errors';
import { configureLogging } from '../../src/log';
import { createCredential } from '../../src/graph/credential';
import { GraphGateway, type GraphGatewayOptions } from '../../src/graph/gateway';
import { createGraphHealthProbe } from '../../src/graph/health';

describe('GraphGateway against the sandbox tenant (HTTPS, real credential and client)', () => {
  let sandbox: RunningSandbox;
  let sleeps: number[];

  before(async () => {
    configureLogging({ level: 'silent' });
    sandbox = await startSandbox({ port: 0 });
  });
  after(async () => {
    await sandbox?.stop();
    configureLogging({ level: 'info' });
  });
  beforeEach(() => {
    sandbox.resetRequests();
    sandbox.knobs.failNext = null;
    sleeps = [];
  });
  afterEach(() => {
    sinon.restore();
  });

  function gateway(overrides: Partial<GraphGatewayOptions> & { secret?: string } = {}): GraphGateway {
    const credential = createCredential(
      { kind: 'secret', clientId: sandbox.clientId, clientSecret: overrides.secret ?? sandbox.clientSecret },
      sandbox.tenantId,
      { authorityHost: sandbox.authorityHost, trustedCaPem: sandbox.caPem },
    );
    return new GraphGateway({
      credential,
      baseUrl: sandbox.graphBaseUrl,
      trustedCaPem: sandbox.caPem,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...overrides,
    });
  }

  const graphRequests = (): typeof sandbox.requests => sandbox.requests.filter((r) => r.url.startsWith('/v1.0/'));

  it('reads a user by UPN with the selected properties', async () => {
    const user = await gateway().getUser(USERS.megan.upn);
    assert.equal(user.id, USERS.megan.id);
    assert.equal(user.displayName, USERS.megan.name);
    assert.equal(user.userType, 'Member');
    assert.equal(user.accountEnabled, true);
    assert.ok(graphRequests().some((r) => r.url.includes('$select=id,userPrincipalName,displayName')));
  });

  it('reads a user by object id', async () => {
    const user = await gateway().getUser(USERS.lasse.id);
    assert.equal(user.userPrincipalName, USERS.lasse.upn);
    assert.equal(user.preferredLanguage, 'da-DK');
  });

  it("reads the user whose UPN holds an apostrophe (miriam.o'brien)", async () => {
    const user = await gateway().getUser(USERS.miriam.upn);
    assert.equal(user.id, USERS.miriam.id);
    assert.equal(user.displayName, USERS.miriam.name);
  });

  it('reads the guest whose UPN holds # (percent-encoded, not cut off as a fragment)', async () => {
    const user = await gateway().getUser(USERS.pradeep.upn);
    assert.equal(user.id, USERS.pradeep.id);
    assert.equal(user.userType, 'Guest');
    assert.ok(graphRequests().some((r) => r.url.includes('pradeep_fabrikam.com%23EXT%23@contoso.com')));
  });

  it("addresses a UPN starting with $ as /users('…'), which the sandbox resolves (unknown → notFound)", async () => {
    await assert.rejects(gateway().getUser('$svc@contoso.com'), (e: unknown) => e instanceof GraphError && e.code === 'notFound');
    assert.ok(graphRequests().some((r) => r.url.startsWith("/v1.0/users('$svc@contoso.com')")));
  });

  it('an unknown user is notFound with a readable message', async () => {
    await assert.rejects(gateway().getUser('nobody@contoso.com'), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.code, 'notFound');
      assert.match(e.userMessage, /No such user/);
      return true;
    });
  });

  it('getManager returns the manager, and null for a user without one', async () => {
    const g = gateway();
    const manager = await g.getManager(USERS.megan.id);
    assert.equal(manager?.id, USERS.nestor.id);
    assert.equal(await g.getManager(USERS.patti.id), null);
  });

  it('memberGroups is transitive membership, cached for the configured time', async () => {
    let now = 1_000_000;
    const g = gateway({ now: () => now, membershipCacheInMs: 60_000 });
    assert.deepEqual(await g.memberGroups(USERS.adele.id, [GROUPS.helpdesk, GROUPS.protected]), [GROUPS.helpdesk]);
    assert.deepEqual(await g.memberGroups(USERS.megan.id, [GROUPS.helpdesk]), []);
    const before = graphRequests().length;
    assert.deepEqual(await g.memberGroups(USERS.adele.id, [GROUPS.protected, GROUPS.helpdesk]), [GROUPS.helpdesk]);
    assert.equal(graphRequests().length, before, 'a cached answer makes no request');
    now += 60_001;
    await g.memberGroups(USERS.adele.id, [GROUPS.helpdesk, GROUPS.protected]);
    assert.equal(graphRequests().length, before + 1, 'an expired answer is fetched again');
  });

  it('directoryRolesHeld finds roles by template id (Global Admin, Authentication Admin) and none for Megan', async () => {
    const g = gateway();
    const roles = [...DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS];
    assert.deepEqual(await g.directoryRolesHeld(USERS.isaiah.id, roles), [ROLE_TEMPLATES.globalAdministrator]);
    assert.deepEqual(await g.directoryRolesHeld(USERS.johanna.id, roles), [ROLE_TEMPLATES.authenticationAdministrator]);
    assert.deepEqual(await g.directoryRolesHeld(USERS.megan.id, roles), []);
  });

  it('getTapPolicy reads the tenant policy', async () => {
    const policy = await gateway().getTapPolicy();
    assert.equal(policy.state, 'enabled');
    assert.ok(policy.minimumLifetimeInMinutes <= policy.defaultLifetimeInMinutes);
    assert.ok(policy.defaultLifetimeInMinutes <= policy.maximumLifetimeInMinutes);
  });

  it('listTaps shows Lidia’s existing pass without its value', async () => {
    const taps = await gateway().listTaps(USERS.lidia.id);
    assert.equal(taps.length, 1);
    assert.equal('temporaryAccessPass' in (taps[0] ?? {}), false);
  });

  it('createTap returns the pass once; listing afterwards never shows it; deleteTap removes it', async () => {
    const g = gateway();
    const issued = await g.createTap(USERS.megan.id, { lifetimeInMinutes: 60, isUsableOnce: true });
    assert.ok(issued.temporaryAccessPass.length >= 8);
    assert.equal(issued.lifetimeInMinutes, 60);
    const listed = await g.listTaps(USERS.megan.id);
    assert.deepEqual(listed.map((t) => t.id), [issued.id]);
    assert.equal(JSON.stringify(listed).includes(issued.temporaryAccessPass), false);
    await g.deleteTap(USERS.megan.id, issued.id);
    assert.deepEqual(await g.listTaps(USERS.megan.id), []);
    await g.deleteTap(USERS.megan.id, issued.id); // already gone: still fine
  });

  it('the TAP value never reaches the logs, even at debug level', async () => {
    const lines: string[] = [];
    configureLogging({ level: 'debug', sink: (line) => lines.push(line) });
    let issued;
    try {
      issued = await gateway().createTap(USERS.lasse.id, { lifetimeInMinutes: 60 });
    } finally {
      configureLogging({ level: 'silent', sink: (line) => process.stdout.write(line + '\n') });
    }
    assert.ok(lines.length > 0, 'the capture works (createTap logs something)');
    assert.equal(lines.some((l) => l.includes(issued.temporaryAccessPass)), false);
    await gateway().deleteTap(USERS.lasse.id, issued.id);
  });

  it('createTap for a guest is refused as guest; a lifetime outside the policy as policy', async () => {
    const g = gateway();
    await assert.rejects(g.createTap(USERS.pradeep.id, {}), (e: unknown) => e instanceof GraphError && e.code === 'guest');
    await assert.rejects(g.createTap(USERS.megan.id, { lifetimeInMinutes: 43200 }), (e: unknown) => e instanceof GraphError && e.code === 'policy');
  });

  it('listGroupUsers lists transitive user members of a group', async () => {
    const users = await gateway().listGroupUsers(GROUPS.fallbackApprovers);
    assert.deepEqual(users.map((u) => u.id), [USERS.joni.id]);
  });

  it('inspectTarget by object id reads user, manager, roles (active and PIM), protected group and TAPs in exactly one $batch', async () => {
    const facts = await gateway().inspectTarget(USERS.lidia.id, {
      protectedGroupId: GROUPS.protected,
      privilegedRoleTemplateIds: [...DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS],
    });
    const graph = graphRequests();
    assert.equal(graph.length, 1);
    assert.equal(graph[0]?.url, '/v1.0/$batch');
    assert.equal(graph[0]?.batchItems?.filter((u) => /roleManagement|identityGovernance/.test(u)).length, 3);
    assert.equal(facts.user.id, USERS.lidia.id);
    assert.equal(facts.manager?.id, USERS.nestor.id);
    assert.deepEqual(facts.privilegedRoleTemplateIds, []);
    assert.equal(facts.inProtectedGroup, false);
    assert.equal(facts.existingTaps.length, 1);
  });

  it('inspectTarget flags the protected-group member and the Global Administrator', async () => {
    const g = gateway();
    const options = { protectedGroupId: GROUPS.protected, privilegedRoleTemplateIds: [...DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS] };
    assert.equal((await g.inspectTarget(USERS.grady.upn, options)).inProtectedGroup, true);
    assert.deepEqual((await g.inspectTarget(USERS.isaiah.upn, options)).privilegedRoleTemplateIds, [ROLE_TEMPLATES.globalAdministrator]);
    const patti = await g.inspectTarget(USERS.patti.upn, options);
    assert.equal(patti.manager, null);
  });

  it('inspectTarget flags Henrik, only eligible (PIM) for Helpdesk Administrator, by name and by id, and again at approval', async () => {
    const g = gateway();
    const options = { privilegedRoleTemplateIds: [...DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS] };
    assert.deepEqual((await g.inspectTarget(USERS.henrik.upn, options)).privilegedRoleTemplateIds, [ROLE_TEMPLATES.helpdeskAdministrator]);
    assert.deepEqual((await g.inspectTarget(USERS.henrik.id, options)).privilegedRoleTemplateIds, [ROLE_TEMPLATES.helpdeskAdministrator]);
    const approval = await g.checkForApproval({ requesterId: USERS.adele.id, targetId: USERS.henrik.id, approverId: USERS.nestor.id, helpdeskGroupId: GROUPS.helpdesk, scopeGroupIds: [], ...options });
    assert.deepEqual(approval.target?.privilegedRoleTemplateIds, [ROLE_TEMPLATES.helpdeskAdministrator]);
  });

  it('inspectTarget works for the apostrophe and the guest UPNs', async () => {
    const g = gateway();
    const options = { privilegedRoleTemplateIds: [...DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS] };
    assert.equal((await g.inspectTarget(USERS.miriam.upn, options)).user.id, USERS.miriam.id);
    assert.equal((await g.inspectTarget(USERS.pradeep.upn, options)).user.userType, 'Guest');
  });

  it('inspectTarget of an unknown UPN is notFound', async () => {
    await assert.rejects(
      gateway().inspectTarget('nobody@contoso.com', { privilegedRoleTemplateIds: [ROLE_TEMPLATES.globalAdministrator] }),
      (e: unknown) => e instanceof GraphError && e.code === 'notFound',
    );
  });

  it('a 429 is retried after its Retry-After and then succeeds', async () => {
    const g = gateway();
    await g.getTapPolicy(); // token acquired before the fault is armed
    sandbox.knobs.failNext = { count: 1, status: 429 };
    const user = await g.getUser(USERS.megan.upn);
    assert.equal(user.id, USERS.megan.id);
    assert.deepEqual(sleeps, [sandbox.knobs.retryAfterSeconds * 1000]);
    assert.deepEqual(graphRequests().slice(-2).map((r) => r.status), [429, 200]);
  });

  it('a throttled $batch item is re-sent alone after its own Retry-After', async () => {
    const g = gateway();
    await g.getTapPolicy();
    sandbox.resetRequests();
    sandbox.knobs.failNext = { count: 1, status: 429 };
    const facts = await g.inspectTarget(USERS.megan.id, { privilegedRoleTemplateIds: [ROLE_TEMPLATES.globalAdministrator] });
    assert.equal(facts.user.id, USERS.megan.id);
    const batches = graphRequests();
    assert.equal(batches.length, 2);
    assert.equal(batches[1]?.batchItems?.length, 1, 'only the throttled item is sent again');
    assert.deepEqual(sleeps, [sandbox.knobs.retryAfterSeconds * 1000]);
  });

  it('throttling that outlasts the retries surfaces as throttled with the wait in the message', async () => {
    const g = gateway({ maxRetries: 2 });
    await g.getTapPolicy();
    sandbox.knobs.failNext = { count: 10, status: 429 };
    await assert.rejects(g.getUser(USERS.megan.upn), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.code, 'throttled');
      assert.match(e.userMessage, /^Microsoft Graph is busy; try again in \d+ seconds?\./);
      return true;
    });
    assert.equal(sleeps.length, 2);
  });

  it('a wrong client secret is unauthorized (no Graph request is made without a token)', async () => {
    await assert.rejects(gateway({ secret: 'wrong-secret' }).getUser(USERS.megan.upn), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.code, 'unauthorized');
      return true;
    });
    assert.equal(graphRequests().length, 0);
  });

  it('a request without a token is refused by the sandbox and mapped to unauthorized', async () => {
    const noToken = { getToken: async () => ({ token: 'not-a-sandbox-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    await assert.rejects(gateway({ credential: noToken }).getUser(USERS.megan.upn), (e: unknown) => e instanceof GraphError && e.code === 'unauthorized');
  });

  it('a Graph host whose certificate is not signed by the trusted CA is refused (verification stays on)', async () => {
    const credential = createCredential(
      { kind: 'secret', clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
      sandbox.tenantId,
      { authorityHost: sandbox.authorityHost, trustedCaPem: sandbox.caPem },
    );
    // The credential trusts the sandbox CA; the Graph client is given none, so it uses the
    // platform roots, which do not include the sandbox CA.
    const g = new GraphGateway({ credential, baseUrl: sandbox.graphBaseUrl, maxRetries: 0 });
    await assert.rejects(g.getTapPolicy(), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.code, 'unavailable');
      return true;
    });
    assert.equal(graphRequests().length, 0, 'no Graph request got through the TLS handshake');
  });

  it('a sign-in service whose certificate is not trusted is refused, and says the sign-in service is unreachable', async () => {
    const credential = createCredential(
      { kind: 'secret', clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
      sandbox.tenantId,
      { authorityHost: sandbox.authorityHost },
    );
    const g = new GraphGateway({ credential, baseUrl: sandbox.graphBaseUrl, trustedCaPem: sandbox.caPem, maxRetries: 0 });
    await assert.rejects(g.getTapPolicy(), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.code, 'unavailable');
      assert.match(e.userMessage, /sign-in service/);
      return true;
    });
    assert.equal(sandbox.requests.length, 0, 'the sandbox answered nothing over an untrusted connection');
  });

  it('the health probe reports ok against a healthy tenant and unauthorized with a wrong secret', async () => {
    assert.equal((await createGraphHealthProbe(gateway())()).status, 'ok');
    const bad = await createGraphHealthProbe(gateway({ secret: 'wrong' }))();
    assert.equal(bad.ok, false);
    assert.equal(bad.status, 'unauthorized');
  });
});
