/**
 * The gateway over the real Graph client and middleware, with a scripted transport
 * underneath (no network). The sandbox tests cover the same over HTTPS end to end.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { GraphError } from '../../src/errors';
import { configureLogging } from '../../src/log';
import { GraphGateway } from '../../src/graph/gateway';
import { FAKE_ORIGIN, FAKE_TOKEN, GraphHttpStub, fakeCredential, graphError, json, type RecordedRequest } from '../support/graphHttpStub';

const MEGAN = { id: 'a0000000-0000-4000-8000-000000000005', userPrincipalName: 'megan@contoso.com', displayName: 'Megan Bowen', userType: 'Member' };
const NESTOR = { id: 'a0000000-0000-4000-8000-000000000003', userPrincipalName: 'nestor@contoso.com', displayName: 'Nestor Wilke', userType: 'Member' };
const GROUP_A = 'aaaa0000-0000-4000-8000-000000000001';
const GROUP_B = 'aaaa0000-0000-4000-8000-000000000002';

const tap = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  createdDateTime: '2026-01-01T00:00:00Z',
  startDateTime: '2026-01-01T00:00:00Z',
  lifetimeInMinutes: 60,
  isUsableOnce: true,
  isUsable: true,
  methodUsabilityReason: 'EnabledByPolicy',
  ...extra,
});

describe('GraphGateway (real Graph client, scripted transport)', () => {
  afterEach(() => {
    // Some tests capture log lines: put the default sink back.
    configureLogging({ level: 'silent', sink: (line) => process.stdout.write(line + '\n') });
    sinon.restore();
  });
  before(() => configureLogging({ level: 'silent' }));
  after(() => configureLogging({ level: 'info' }));

  it('sends the bearer token to a non-Graph base URL (listed in customHosts) and asks only for the selected user properties', async () => {
    const graph = new GraphHttpStub(() => json(200, MEGAN));
    const user = await graph.gateway().getUser('megan@contoso.com');
    assert.equal(user.id, MEGAN.id);
    const req = graph.requests[0] as RecordedRequest;
    assert.equal(req.headers.get('authorization'), `Bearer ${FAKE_TOKEN}`);
    assert.equal(
      req.path,
      '/v1.0/users/megan@contoso.com?$select=id,userPrincipalName,displayName,mail,jobTitle,department,userType,accountEnabled,preferredLanguage,otherMails',
    );
  });

  it('a user whose userType is missing is treated as a guest (fails closed)', async () => {
    const graph = new GraphHttpStub(() => json(200, { id: 'x', userPrincipalName: 'x@contoso.com', displayName: 'X' }));
    assert.equal((await graph.gateway().getUser('x@contoso.com')).userType, 'Guest');
  });

  it('getManager: 404 means no manager (null)', async () => {
    const graph = new GraphHttpStub(() => graphError(404, 'Request_ResourceNotFound', 'no manager'));
    assert.equal(await graph.gateway().getManager(MEGAN.id), null);
    assert.equal(graph.requests[0]?.path.startsWith(`/v1.0/users/${MEGAN.id}/manager?$select=`), true);
  });

  it('getManager: other failures are not mistaken for "no manager"', async () => {
    const graph = new GraphHttpStub(() => graphError(403, 'Authorization_RequestDenied', 'denied'));
    await assert.rejects(graph.gateway().getManager(MEGAN.id), (e: unknown) => e instanceof GraphError && e.code === 'forbidden');
  });

  it('memberGroups posts checkMemberGroups and returns the requested ids the object is in', async () => {
    const graph = new GraphHttpStub(() => json(200, { value: [GROUP_A] }));
    assert.deepEqual(await graph.gateway().memberGroups(MEGAN.id, [GROUP_A, GROUP_B]), [GROUP_A]);
    assert.equal(graph.requests[0]?.method, 'POST');
    assert.equal(graph.requests[0]?.path, `/v1.0/users/${MEGAN.id}/checkMemberGroups`);
    assert.deepEqual(graph.requests[0]?.body, { groupIds: [GROUP_A, GROUP_B] });
  });

  it('memberGroups is cached per object and group set until the cache time passes', async () => {
    let now = 0;
    const graph = new GraphHttpStub(() => json(200, { value: [GROUP_A] }));
    const g = graph.gateway({ now: () => now, membershipCacheInMs: 1_000 });
    await g.memberGroups(MEGAN.id, [GROUP_A]);
    await g.memberGroups(MEGAN.id, [GROUP_A]);
    assert.equal(graph.requests.length, 1);
    await g.memberGroups(NESTOR.id, [GROUP_A]);
    await g.memberGroups(MEGAN.id, [GROUP_A, GROUP_B]);
    assert.equal(graph.requests.length, 3, 'another object or group set is another question');
    now = 999;
    await g.memberGroups(MEGAN.id, [GROUP_A]);
    assert.equal(graph.requests.length, 3);
    now = 1_000;
    await g.memberGroups(MEGAN.id, [GROUP_A]);
    assert.equal(graph.requests.length, 4, 'expired: asked again');
  });

  it('memberGroups failures are not cached', async () => {
    const graph = new GraphHttpStub(() => graphError(503, 'serviceNotAvailable', 'later'));
    const g = graph.gateway({ maxRetries: 0 });
    await assert.rejects(g.memberGroups(MEGAN.id, [GROUP_A]));
    graph.answer(() => json(200, { value: [GROUP_A] }));
    assert.deepEqual(await g.memberGroups(MEGAN.id, [GROUP_A]), [GROUP_A]);
  });

  it('directoryRolesHeld sends role template ids to checkMemberObjects, at most 20 per call', async () => {
    const roles = Array.from({ length: 25 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const graph = new GraphHttpStub((req) => json(200, { value: (req.body as { ids: string[] }).ids.filter((id) => id.endsWith('21')) }));
    assert.deepEqual(await graph.gateway().directoryRolesHeld(MEGAN.id, roles), [roles[21]]);
    assert.deepEqual(graph.requests.map((r) => (r.body as { ids: string[] }).ids.length), [20, 5]);
    assert.equal(graph.requests[0]?.path, `/v1.0/users/${MEGAN.id}/checkMemberObjects`);
  });

  it('createTap sends only the options given and returns the pass', async () => {
    const graph = new GraphHttpStub(() => json(201, tap('m1', { temporaryAccessPass: 'Pass-Value-123' })));
    const issued = await graph.gateway().createTap(MEGAN.id, { lifetimeInMinutes: 60 });
    assert.equal(issued.temporaryAccessPass, 'Pass-Value-123');
    assert.deepEqual(graph.requests[0]?.body, { lifetimeInMinutes: 60 });
    assert.equal(graph.requests[0]?.path, `/v1.0/users/${MEGAN.id}/authentication/temporaryAccessPassMethods`);
  });

  it('createTap never logs the pass, at any level', async () => {
    const lines: string[] = [];
    configureLogging({ level: 'debug', sink: (l) => lines.push(l) });
    const graph = new GraphHttpStub(() => json(201, tap('m1', { temporaryAccessPass: 'Pass-Value-123' })));
    await graph.gateway().createTap(MEGAN.id, {});
    assert.ok(lines.length > 0);
    assert.equal(lines.join('\n').includes('Pass-Value-123'), false);
  });

  it('a create answer without a pass is an error that does not echo the answer', async () => {
    const graph = new GraphHttpStub(() => json(201, tap('m1', { temporaryAccessPass: null, note: 'BODY-MARKER' })));
    await assert.rejects(graph.gateway().createTap(MEGAN.id, {}), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.code, 'unknown');
      assert.equal(`${e.message} ${e.userMessage}`.includes('BODY-MARKER'), false);
      return true;
    });
  });

  it('listTaps drops any pass value Graph might include', async () => {
    const graph = new GraphHttpStub(() => json(200, { value: [tap('m1', { temporaryAccessPass: 'LEAKED' })] }));
    const taps = await graph.gateway().listTaps(MEGAN.id);
    assert.equal(JSON.stringify(taps).includes('LEAKED'), false);
    assert.equal(taps[0]?.methodUsabilityReason, 'EnabledByPolicy');
  });

  it('deleteTap is idempotent: an already deleted method is fine', async () => {
    const graph = new GraphHttpStub(() => graphError(404, 'Request_ResourceNotFound', 'gone'));
    await graph.gateway().deleteTap(MEGAN.id, 'm1');
    assert.equal(graph.requests[0]?.method, 'DELETE');
    assert.equal(graph.requests[0]?.path, `/v1.0/users/${MEGAN.id}/authentication/temporaryAccessPassMethods/m1`);
  });

  it('getTapPolicy fills Graph’s documented defaults for missing values', async () => {
    const graph = new GraphHttpStub(() => json(200, { state: 'enabled' }));
    assert.deepEqual(await graph.gateway().getTapPolicy(), {
      state: 'enabled',
      defaultLifetimeInMinutes: 60,
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      defaultLength: 8,
      isUsableOnce: false,
      includeTargets: [{ targetType: 'group', id: 'all_users' }],
      excludeTargets: [],
    });
    assert.equal(graph.requests[0]?.path, '/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass');
  });

  it('listGroupUsers follows @odata.nextLink until the last page', async () => {
    const graph = new GraphHttpStub((req) =>
      req.path.includes('skiptoken')
        ? json(200, { value: [NESTOR] })
        : json(200, { value: [MEGAN], '@odata.nextLink': `${FAKE_ORIGIN}/v1.0/groups/${GROUP_A}/transitiveMembers/microsoft.graph.user?$skiptoken=abc` }),
    );
    const users = await graph.gateway().listGroupUsers(GROUP_A);
    assert.deepEqual(users.map((u) => u.id), [MEGAN.id, NESTOR.id]);
    assert.equal(graph.requests[0]?.path.startsWith(`/v1.0/groups/${GROUP_A}/transitiveMembers/microsoft.graph.user?$select=`), true);
    assert.equal(graph.requests[1]?.headers.get('authorization'), `Bearer ${FAKE_TOKEN}`);
  });

  it('listGroupUsers refuses a nextLink to another origin: the token never leaves Graph', async () => {
    const graph = new GraphHttpStub(() => json(200, { value: [MEGAN], '@odata.nextLink': 'https://evil.example/v1.0/steal' }));
    await assert.rejects(graph.gateway().listGroupUsers(GROUP_A), GraphError);
    assert.equal(graph.requests.length, 1);
  });

  it('a top-level 429 is retried after its Retry-After, then succeeds', async () => {
    let calls = 0;
    const graph = new GraphHttpStub(() => (++calls === 1 ? graphError(429, 'TooManyRequests', 'slow', { 'Retry-After': '3' }) : json(200, MEGAN)));
    await graph.gateway().getUser('megan@contoso.com');
    assert.deepEqual(graph.sleeps, [3_000]);
    assert.equal(graph.requests.length, 2);
  });

  it('top-level retries are bounded by maxRetries, then throttled is reported', async () => {
    const graph = new GraphHttpStub(() => graphError(429, 'TooManyRequests', 'slow', { 'Retry-After': '2' }));
    await assert.rejects(graph.gateway({ maxRetries: 2 }).getUser('megan@contoso.com'), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.code, 'throttled');
      assert.equal(e.retryAfterSeconds, 2);
      return true;
    });
    assert.equal(graph.requests.length, 3);
    assert.deepEqual(graph.sleeps, [2_000, 2_000]);
  });

  it('a dropped connection is retried like a 503', async () => {
    let calls = 0;
    const graph = new GraphHttpStub(() => json(200, MEGAN));
    const inner = graph.transport;
    const g = new GraphGateway({
      credential: fakeCredential,
      baseUrl: FAKE_ORIGIN,
      sleep: async (ms) => void graph.sleeps.push(ms),
      transport: async (url, request) => {
        if (++calls === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return inner(url, request);
      },
    });
    assert.equal((await g.getUser('megan@contoso.com')).id, MEGAN.id);
    assert.deepEqual(graph.sleeps, [1_000]);
  });

  it('a 404 is not retried', async () => {
    const graph = new GraphHttpStub(() => graphError(404, 'Request_ResourceNotFound', 'nope'));
    await assert.rejects(graph.gateway().getUser('x@contoso.com'), (e: unknown) => e instanceof GraphError && e.code === 'notFound');
    assert.equal(graph.requests.length, 1);
  });

  describe('inspectTarget', () => {
    const options = { protectedGroupId: GROUP_B, privilegedRoleTemplateIds: ['62e90394-69f5-4237-9190-012177145e10'] };

    function batchGraph(answer: (item: { id: string; url: string; body?: unknown }) => { status: number; body?: unknown; headers?: Record<string, string> }): GraphHttpStub {
      return new GraphHttpStub((req) => {
        const items = (req.body as { requests: Array<{ id: string; url: string; body?: unknown }> }).requests;
        return json(200, { responses: items.map((i) => ({ id: i.id, headers: {}, ...answer(i) })).reverse() });
      });
    }

    const happy = (item: { id: string }): { status: number; body?: unknown } => {
      switch (item.id) {
        case 'user':
          return { status: 200, body: { ...MEGAN, manager: { '@odata.type': '#microsoft.graph.user', ...NESTOR } } };
        case 'taps':
          return { status: 200, body: { value: [tap('old')] } };
        case 'protected':
          return { status: 200, body: { value: [] } };
        default:
          return { status: 200, body: { value: ['62E90394-69F5-4237-9190-012177145E10'] } };
      }
    };

    it('reads everything in one $batch, every item addressed by the UPN; PIM, which filters on the object id, follows by the id read', async () => {
      const graph = batchGraph(happy);
      const facts = await graph.gateway().inspectTarget("miriam.o'brien@contoso.com", options);
      assert.equal(graph.requests.length, 2);
      assert.equal(graph.requests[0]?.path, '/v1.0/$batch');
      const items = (graph.requests[0]?.body as { requests: Array<{ id: string; url: string }> }).requests;
      assert.deepEqual(items.map((i) => i.id).sort(), ['protected', 'roles0', 'taps', 'user']);
      for (const item of items) assert.ok(item.url.startsWith("/users/miriam.o'brien@contoso.com"), item.url);
      const pim = (graph.requests[1]?.body as { requests: Array<{ id: string; url: string }> }).requests;
      assert.deepEqual(pim.map((i) => i.id).sort(), ['pim.activeRoles', 'pim.eligibleGroups', 'pim.eligibleRoles']);
      for (const item of pim) assert.ok(decodeURIComponent(item.url).endsWith(`principalId eq '${MEGAN.id.toLowerCase()}'`), item.url);
      assert.match(items.find((i) => i.id === 'user')?.url ?? '', /\$expand=manager\(\$select=id,/);
      assert.equal(facts.user.id, MEGAN.id);
      assert.equal(facts.manager?.id, NESTOR.id);
      assert.deepEqual(facts.privilegedRoleTemplateIds, options.privilegedRoleTemplateIds, 'ids compare case-insensitively');
      assert.equal(facts.inProtectedGroup, false);
      assert.deepEqual(facts.existingTaps.map((t) => t.id), ['old']);
    });

    it('a guest UPN with # is percent-encoded in every batch item', async () => {
      const graph = batchGraph(happy);
      await graph.gateway().inspectTarget('pradeep_fabrikam.com#EXT#@contoso.com', options);
      const items = (graph.requests[0]?.body as { requests: Array<{ url: string }> }).requests;
      for (const item of items) assert.ok(item.url.startsWith('/users/pradeep_fabrikam.com%23EXT%23@contoso.com'), item.url);
    });

    it('no protected group configured: no group item, inProtectedGroup false', async () => {
      const graph = batchGraph(happy);
      const facts = await graph.gateway().inspectTarget('megan@contoso.com', { privilegedRoleTemplateIds: options.privilegedRoleTemplateIds });
      const items = (graph.requests[0]?.body as { requests: Array<{ id: string }> }).requests;
      assert.equal(items.some((i) => i.id === 'protected'), false);
      assert.equal(facts.inProtectedGroup, false);
    });

    it('an unknown user is notFound', async () => {
      const graph = batchGraph((item) => ({ status: 404, body: { error: { code: 'Request_ResourceNotFound', message: `no ${item.id}` } } }));
      await assert.rejects(graph.gateway().inspectTarget('x@contoso.com', options), (e: unknown) => e instanceof GraphError && e.code === 'notFound');
    });

    it('a failing role check is an error, never "holds no role"', async () => {
      const graph = batchGraph((item) => (item.id === 'roles0' ? { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'x' } } } : happy(item)));
      await assert.rejects(graph.gateway().inspectTarget('megan@contoso.com', options), (e: unknown) => e instanceof GraphError && e.code === 'forbidden');
    });

    it('a failing protected-group check is an error, never "not protected"', async () => {
      const graph = batchGraph((item) => (item.id === 'protected' ? { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'x' } } } : happy(item)));
      await assert.rejects(graph.gateway().inspectTarget('megan@contoso.com', options), (e: unknown) => {
        assert.ok(e instanceof GraphError);
        assert.equal(e.missingPermission, 'GroupMember.Read.All');
        return true;
      });
    });

    it('a throttled item is re-sent after its own Retry-After', async () => {
      let throttled = false;
      const graph = batchGraph((item) => {
        if (item.id === 'taps' && !throttled) {
          throttled = true;
          return { status: 429, headers: { 'Retry-After': '5' }, body: { error: { code: 'TooManyRequests', message: 'x' } } };
        }
        return happy(item);
      });
      const facts = await graph.gateway().inspectTarget('megan@contoso.com', options);
      assert.equal(facts.existingTaps.length, 1);
      assert.deepEqual(graph.sleeps, [5_000]);
      assert.equal(graph.requests.length, 3, 'the checks, the throttled item again, PIM by id');
    });
  });

  it('a non-https Graph base URL is refused (the token would travel in clear)', () => {
    assert.throws(() => new GraphGateway({ credential: fakeCredential, baseUrl: 'http://127.0.0.1:1234' }), RangeError);
  });
});
