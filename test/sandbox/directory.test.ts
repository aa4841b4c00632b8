import assert from 'node:assert/strict';
import sinon from 'sinon';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { GROUPS, ROLE_TEMPLATES, USERS } from '../../sandbox/ids';
import directorySeed from '../../sandbox/directory.json';
import { accessToken, errorCode, graph, type HttpResult } from '../support/sandboxHttp';

type Json = Record<string, unknown>;
const body = (r: HttpResult): Json => r.body as Json;

describe('sandbox tenant: directory reads', () => {
  let sandbox: RunningSandbox;
  let token: string;
  const get = (path: string): Promise<HttpResult> => graph(sandbox, 'GET', path, { token });
  const post = (path: string, payload: unknown): Promise<HttpResult> => graph(sandbox, 'POST', path, { token, body: payload });

  before(async () => {
    sandbox = await startSandbox();
    token = await accessToken(sandbox);
  });
  after(async () => {
    await sandbox.stop();
  });
  afterEach(() => sinon.restore());

  it('the seed uses exactly the ids, UPNs and names of sandbox/ids.ts', () => {
    const seeded = (directorySeed.users as Array<{ id: string; userPrincipalName: string; displayName: string }>).map((u) => [u.id, u.userPrincipalName, u.displayName]);
    const expected = Object.values(USERS).map((u) => [u.id, u.upn, u.name]);
    assert.deepEqual(seeded.sort(), expected.sort());
  });

  it('finds a user by id and by UPN in any letter case', async () => {
    const byId = await get(`/users/${USERS.megan.id}?$select=id,displayName`);
    assert.deepEqual({ id: body(byId)['id'], name: body(byId)['displayName'] }, { id: USERS.megan.id, name: USERS.megan.name });
    const byUpn = await get(`/users/MEGAN@Contoso.com?$select=id`);
    assert.equal(body(byUpn)['id'], USERS.megan.id);
  });

  it('the apostrophe user is found by UPN in the path form and in the users(\'…\') form', async () => {
    const raw = await get(`/users/${encodeURIComponent(USERS.miriam.upn)}?$select=id`);
    assert.equal(body(raw)['id'], USERS.miriam.id);
    const percentEncoded = await get(`/users/miriam.o%27brien%40contoso.com?$select=id`);
    assert.equal(body(percentEncoded)['id'], USERS.miriam.id);
    const literal = `users('${USERS.miriam.upn.replace(/'/g, "''")}')`;
    const quoted = await get(`/${encodeURIComponent(literal).replace(/'/g, '%27')}?$select=id,displayName`);
    assert.equal(body(quoted)['id'], USERS.miriam.id);
    assert.equal(body(quoted)['displayName'], USERS.miriam.name);
    // An unescaped quote inside the literal is a different (missing) key, not Miriam.
    const unescaped = await get(`/users('miriam.o'brien@contoso.com')`);
    assert.notEqual(unescaped.status, 200);
  });

  it('the guest is found by UPN when # is encoded', async () => {
    const guest = await get(`/users/${encodeURIComponent(USERS.pradeep.upn)}?$select=id,userType`);
    assert.equal(body(guest)['userType'], 'Guest');
  });

  it('a UPN starting with $ must use the users(\'…\') form, as in Graph', async () => {
    const result = await get('/users/$someone@contoso.com');
    assert.equal(result.status, 400);
  });

  it('without $select only Graph\'s default properties come back (no userType, department, accountEnabled)', async () => {
    const user = body(await get(`/users/${USERS.lasse.id}`));
    assert.equal(user['preferredLanguage'], 'da-DK');
    assert.equal('userType' in user, false);
    assert.equal('department' in user, false);
    assert.equal('accountEnabled' in user, false);
  });

  it('$select returns exactly the selected properties and refuses unknown ones', async () => {
    const user = body(await get(`/users/${USERS.pradeep.id}?$select=id,userType,accountEnabled,department`));
    assert.deepEqual(Object.keys(user).filter((k) => !k.startsWith('@')).sort(), ['accountEnabled', 'department', 'id', 'userType']);
    const typo = await get(`/users/${USERS.megan.id}?$select=id,userTyp`);
    assert.equal(typo.status, 400);
  });

  it('$expand=manager($select=…) embeds the manager, and is absent when there is none', async () => {
    const megan = body(await get(`/users/${USERS.megan.id}?$select=id&$expand=manager($select=id,displayName,userPrincipalName)`));
    const manager = megan['manager'] as Json;
    assert.equal(manager['id'], USERS.nestor.id);
    assert.equal(manager['userPrincipalName'], USERS.nestor.upn);
    const lee = body(await get(`/users/${USERS.lee.id}?$select=id&$expand=manager($select=id)`));
    assert.equal('manager' in lee, false);
  });

  it('GET /users/{id}/manager follows the seeded chain and answers 404 when there is none', async () => {
    const chain: Array<[string, string]> = [
      [USERS.megan.id, USERS.nestor.id],
      [USERS.lasse.id, USERS.nestor.id],
      [USERS.grady.id, USERS.nestor.id],
      [USERS.nestor.id, USERS.lee.id],
      [USERS.adele.id, USERS.lee.id],
      [USERS.alex.id, USERS.lee.id],
      [USERS.diego.id, USERS.adele.id],
    ];
    for (const [userId, managerId] of chain) {
      assert.equal(body(await get(`/users/${userId}/manager?$select=id`))['id'], managerId, userId);
    }
    for (const none of [USERS.lee.id, USERS.patti.id, USERS.joni.id, USERS.pradeep.id]) {
      const result = await get(`/users/${none}/manager`);
      assert.equal(result.status, 404);
      assert.equal(errorCode(result), 'Request_ResourceNotFound');
    }
  });

  it('an unknown user answers 404 Request_ResourceNotFound', async () => {
    const result = await get('/users/nobody@contoso.com');
    assert.equal(result.status, 404);
    assert.equal(errorCode(result), 'Request_ResourceNotFound');
  });

  it('checkMemberGroups is transitive: Alex is a helpdesk agent only through the nested Tier 2 group', async () => {
    const ids = [GROUPS.helpdesk, GROUPS.protected, GROUPS.fallbackApprovers];
    const check = async (userId: string): Promise<unknown> => body(await post(`/users/${userId}/checkMemberGroups`, { groupIds: ids }))['value'];
    assert.deepEqual(await check(USERS.alex.id), [GROUPS.helpdesk]);
    assert.deepEqual(await check(USERS.adele.id), [GROUPS.helpdesk]);
    assert.deepEqual(await check(USERS.megan.id), []);
    assert.deepEqual(await check(USERS.grady.id), [GROUPS.protected]);
    assert.deepEqual(await check(USERS.joni.id), [GROUPS.fallbackApprovers]);
  });

  it('checkMemberObjects matches directory role template ids the user holds, and groups', async () => {
    const ids = [ROLE_TEMPLATES.globalAdministrator, ROLE_TEMPLATES.authenticationAdministrator, GROUPS.protected];
    const check = async (userId: string): Promise<unknown> => body(await post(`/users/${userId}/checkMemberObjects`, { ids }))['value'];
    assert.deepEqual(await check(USERS.isaiah.id), [ROLE_TEMPLATES.globalAdministrator]);
    assert.deepEqual(await check(USERS.johanna.id), [ROLE_TEMPLATES.authenticationAdministrator]);
    assert.deepEqual(await check(USERS.grady.id), [GROUPS.protected]);
    assert.deepEqual(await check(USERS.megan.id), []);
  });

  it('checkMemberGroups refuses more than 20 ids and a body without groupIds', async () => {
    const many = Array.from({ length: 21 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    assert.equal((await post(`/users/${USERS.megan.id}/checkMemberGroups`, { groupIds: many })).status, 400);
    assert.equal((await post(`/users/${USERS.megan.id}/checkMemberGroups`, {})).status, 400);
  });

  it('transitiveMembers/microsoft.graph.user lists nested members and pages with @odata.nextLink', async () => {
    const all = body(await get(`/groups/${GROUPS.helpdesk}/transitiveMembers/microsoft.graph.user?$select=id,displayName`));
    assert.deepEqual((all['value'] as Json[]).map((u) => u['id']), [USERS.adele.id, USERS.alex.id]);
    assert.equal(all['@odata.nextLink'], undefined);

    const first = body(await get(`/groups/${GROUPS.helpdesk}/transitiveMembers/microsoft.graph.user?$select=id&$top=1`));
    assert.deepEqual((first['value'] as Json[]).map((u) => u['id']), [USERS.adele.id]);
    const next = first['@odata.nextLink'] as string;
    assert.ok(next.startsWith(`${sandbox.origin}/v1.0/groups/`));
    const second = body(await get(next.slice(`${sandbox.origin}/v1.0`.length)));
    assert.deepEqual((second['value'] as Json[]).map((u) => u['id']), [USERS.alex.id]);
    assert.equal(second['@odata.nextLink'], undefined);
  });

  it('the TAP policy reads as seeded', async () => {
    const policy = body(await get('/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass'));
    assert.equal(policy['state'], 'enabled');
    assert.equal(policy['minimumLifetimeInMinutes'], 60);
    assert.equal(policy['maximumLifetimeInMinutes'], 480);
    assert.equal(policy['defaultLifetimeInMinutes'], 60);
    assert.equal(policy['defaultLength'], 8);
    assert.equal(policy['isUsableOnce'], false);
  });

  it('an unknown route answers a Graph-shaped 400 and the wrong method 405', async () => {
    const unknown = await get('/users/' + USERS.megan.id + '/photos');
    assert.equal(unknown.status, 400);
    assert.equal(typeof (body(unknown)['error'] as Json)['message'], 'string');
    const nowhere = await get('/sites');
    assert.equal(nowhere.status, 400);
    const wrongMethod = await graph(sandbox, 'DELETE', `/users/${USERS.megan.id}`, { token });
    assert.equal(wrongMethod.status, 405);
  });

  it('installing the Teams app for a user records it and refuses a second install with 409', async () => {
    const bind = { 'teamsApp@odata.bind': 'https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/app-123' };
    const first = await post(`/users/${USERS.nestor.id}/teamwork/installedApps`, bind);
    assert.equal(first.status, 201);
    assert.deepEqual(sandbox.state.installedAppsOf(USERS.nestor.id).map((a) => (a['teamsApp'] as Json)['id']), ['app-123']);
    const again = await post(`/users/${USERS.nestor.id}/teamwork/installedApps`, bind);
    assert.equal(again.status, 409);
    const chat = await get(`/users/${USERS.nestor.id}/teamwork/installedApps/${String(body(first)['id'])}/chat`);
    assert.match(String(body(chat)['id']), /^19:/);
  });
});
