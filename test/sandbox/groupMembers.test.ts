/**
 * Group membership writes as Graph answers them, and the gateway over them: the onboarding
 * group's add and remove are idempotent for the bot.
 */
import assert from 'node:assert/strict';
import { ClientSecretCredential } from '@azure/identity';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../sandbox/permissions';
import { GROUPS, USERS } from '../../sandbox/ids';
import { GraphGateway } from '../../src/graph/gateway';
import { GraphError } from '../../src/errors';
import { accessToken, errorCode, errorMessage, graph } from '../support/sandboxHttp';

describe('sandbox: POST /groups/{id}/members/$ref and DELETE /groups/{id}/members/{id}/$ref', function () {
  this.timeout(30_000);
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterEach(() => sandbox.reset());
  after(async () => {
    await sandbox?.stop();
  });

  const bind = (id: string): { '@odata.id': string } => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

  it('adds with 204, refuses a second add with Graph\'s 400, removes with 204 and answers 404 for a non-member', async () => {
    const path = `/groups/${GROUPS.passkeyOnboarding}/members`;
    assert.equal((await graph(sandbox, 'POST', `${path}/$ref`, { body: bind(USERS.megan.id) })).status, 204);
    assert.deepEqual(sandbox.state.directMembersOf(GROUPS.passkeyOnboarding), [USERS.megan.id]);
    const again = await graph(sandbox, 'POST', `${path}/$ref`, { body: bind(USERS.megan.id) });
    assert.equal(again.status, 400);
    assert.equal(errorCode(again), 'Request_BadRequest');
    assert.match(errorMessage(again), /One or more added object references already exist for the following modified properties: 'members'/);
    assert.equal((await graph(sandbox, 'DELETE', `${path}/${USERS.megan.id}/$ref`)).status, 204);
    assert.deepEqual(sandbox.state.directMembersOf(GROUPS.passkeyOnboarding), []);
    const gone = await graph(sandbox, 'DELETE', `${path}/${USERS.megan.id}/$ref`);
    assert.equal(gone.status, 404);
    assert.equal(errorCode(gone), 'Request_ResourceNotFound');
    assert.equal((await graph(sandbox, 'POST', `${path}/$ref`, { body: bind('a0000000-0000-4000-8000-0000000000ff') })).status, 404, 'an unknown object');
    assert.equal((await graph(sandbox, 'POST', `${path}/$ref`, { body: {} })).status, 400);
  });

  it('needs GroupMember.ReadWrite.All (granted by default); GroupMember.Read.All only reads', async () => {
    assert.ok(DEFAULT_GRANTED_PERMISSIONS.includes('GroupMember.ReadWrite.All'));
    sandbox.knobs.grantedPermissions = DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== 'GroupMember.ReadWrite.All');
    const token = await accessToken(sandbox);
    const refused = await graph(sandbox, 'POST', `/groups/${GROUPS.passkeyOnboarding}/members/$ref`, { body: bind(USERS.megan.id), token });
    assert.equal(refused.status, 403);
    assert.equal(errorCode(refused), 'Authorization_RequestDenied');
    assert.equal((await graph(sandbox, 'GET', `/groups/${GROUPS.helpdesk}`, { token })).status, 200);
  });

  it('the gateway binds with its own origin, and counts "already a member" and "not a member" as done', async () => {
    const credential = new ClientSecretCredential(sandbox.tenantId, sandbox.clientId, sandbox.clientSecret, {
      authorityHost: sandbox.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: sandbox.caPem },
    });
    const gateway = new GraphGateway({ credential, baseUrl: sandbox.graphBaseUrl, trustedCaPem: sandbox.caPem, sleep: async () => undefined });
    assert.equal(await gateway.addGroupMember(GROUPS.passkeyOnboarding, USERS.megan.id), 'added');
    assert.equal(await gateway.addGroupMember(GROUPS.passkeyOnboarding, USERS.megan.id), 'alreadyMember');
    assert.equal(await gateway.removeGroupMember(GROUPS.passkeyOnboarding, USERS.megan.id), 'removed');
    assert.equal(await gateway.removeGroupMember(GROUPS.passkeyOnboarding, USERS.megan.id), 'notMember');
    assert.ok(sandbox.requests.some((r) => r.method === 'DELETE' && r.url === `/v1.0/groups/${GROUPS.passkeyOnboarding}/members/${USERS.megan.id}/$ref`));
    await assert.rejects(gateway.addGroupMember(GROUPS.passkeyOnboarding, USERS.megan.upn), (e: unknown) => e instanceof GraphError && e.code === 'badRequest');

    sandbox.state.registerMethod(USERS.megan.id, 'fido2', 'Desk key');
    const methods = await gateway.listAuthenticationMethods(USERS.megan.id);
    assert.ok(methods.some((m) => m.type === 'fido2' && m.displayName === 'Desk key' && typeof m.createdDateTime === 'string'));
    assert.ok(methods.some((m) => m.type === 'microsoftAuthenticator'));
  });
});
