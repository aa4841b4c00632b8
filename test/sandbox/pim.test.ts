/**
 * The sandbox tenant's Privileged Identity Management lists (sandbox/pim.ts), over HTTPS with
 * real tokens: Graph's shapes, its one filter, its permissions, and the seed's eligible person.
 */
import assert from 'node:assert/strict';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { GROUPS, ROLE_TEMPLATES, USERS } from '../../sandbox/ids';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../sandbox/permissions';
import { accessToken, errorCode, graph, type HttpResult } from '../support/sandboxHttp';

type Json = Record<string, unknown>;
const values = (r: HttpResult): Json[] => (r.body as Json)['value'] as Json[];
const ELIGIBLE = '/roleManagement/directory/roleEligibilityScheduleInstances';
const ACTIVE = '/roleManagement/directory/roleAssignmentScheduleInstances';
const GROUP_ELIGIBLE = '/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances';
const byPrincipal = (path: string, id: string): string => `${path}?$filter=${encodeURIComponent(`principalId eq '${id}'`)}`;

describe('sandbox tenant: PIM', () => {
  let sandbox: RunningSandbox;
  let token: string;
  const get = (path: string, t = token): Promise<HttpResult> => graph(sandbox, 'GET', path, { token: t });

  before(async () => {
    sandbox = await startSandbox();
    token = await accessToken(sandbox);
  });
  afterEach(() => sandbox.reset());
  after(async () => sandbox.stop());

  it('Henrik is only eligible for Helpdesk Administrator: listed as eligible, with no active role', async () => {
    const eligible = values(await get(byPrincipal(ELIGIBLE, USERS.henrik.id)));
    assert.deepEqual(eligible.map((e) => [e['principalId'], e['roleDefinitionId'], e['directoryScopeId'], e['memberType']]), [[USERS.henrik.id, ROLE_TEMPLATES.helpdeskAdministrator, '/', 'Direct']]);
    assert.deepEqual(values(await get(byPrincipal(ACTIVE, USERS.henrik.id))), []);
  });

  it('the assignment list carries permanent roles without an end, and time-bound ones until they end', async () => {
    const isaiah = values(await get(byPrincipal(ACTIVE, USERS.isaiah.id)));
    assert.deepEqual(isaiah.map((a) => [a['roleDefinitionId'], a['endDateTime'], a['assignmentType']]), [[ROLE_TEMPLATES.globalAdministrator, null, 'Assigned']]);
    sandbox.state.pim.assignUntil(USERS.megan.id, ROLE_TEMPLATES.userAdministrator, new Date(Date.now() + 3_600_000).toISOString());
    sandbox.state.pim.assignUntil(USERS.lasse.id, ROLE_TEMPLATES.userAdministrator, new Date(Date.now() - 1000).toISOString());
    assert.equal(values(await get(byPrincipal(ACTIVE, USERS.megan.id)))[0]?.['roleDefinitionId'], ROLE_TEMPLATES.userAdministrator);
    assert.deepEqual(values(await get(byPrincipal(ACTIVE, USERS.lasse.id))), [], 'an ended assignment is no instance');
    // While it runs, a time-bound assignment is active membership, as checkMemberObjects sees it in Entra.
    const held = async (id: string): Promise<unknown[]> =>
      (((await graph(sandbox, 'POST', `/users/${id}/checkMemberObjects`, { token, body: { ids: [ROLE_TEMPLATES.userAdministrator] } })).body as Json)['value'] as unknown[]);
    assert.deepEqual(await held(USERS.megan.id), [ROLE_TEMPLATES.userAdministrator]);
    assert.deepEqual(await held(USERS.lasse.id), []);
  });

  it('PIM for Groups lists the groups a person may join, and needs a filter, as Graph does', async () => {
    sandbox.state.pim.makeEligibleForGroup(USERS.megan.id, GROUPS.protected);
    const groups = values(await get(byPrincipal(GROUP_ELIGIBLE, USERS.megan.id)));
    assert.deepEqual(groups.map((g) => [g['groupId'], g['accessId']]), [[GROUPS.protected, 'member']]);
    const unfiltered = await get(GROUP_ELIGIBLE);
    assert.equal(unfiltered.status, 400);
    const otherFilter = await get(`${ELIGIBLE}?$filter=${encodeURIComponent("roleDefinitionId eq 'x'")}`);
    assert.equal(otherFilter.status, 400);
  });

  it('each list needs its permission (or RoleManagement.Read.Directory for the two role lists), checked before anything is looked up', async () => {
    const without = async (...withheld: string[]): Promise<string> => {
      sandbox.knobs.grantedPermissions = DEFAULT_GRANTED_PERMISSIONS.filter((p) => !withheld.includes(p));
      try {
        return await accessToken(sandbox);
      } finally {
        sandbox.knobs.grantedPermissions = [...DEFAULT_GRANTED_PERMISSIONS];
      }
    };
    const noPim = await without('RoleEligibilitySchedule.Read.Directory', 'RoleAssignmentSchedule.Read.Directory', 'PrivilegedEligibilitySchedule.Read.AzureADGroup');
    for (const path of [ELIGIBLE, ACTIVE, GROUP_ELIGIBLE]) {
      const refused = await get(byPrincipal(path, USERS.henrik.id), noPim);
      assert.equal(refused.status, 403, path);
      assert.equal(errorCode(refused), 'Authorization_RequestDenied');
    }
    sandbox.knobs.grantedPermissions = [...DEFAULT_GRANTED_PERMISSIONS.filter((p) => !p.startsWith('Role')), 'RoleManagement.Read.Directory'];
    const broader = await accessToken(sandbox);
    sandbox.knobs.grantedPermissions = [...DEFAULT_GRANTED_PERMISSIONS];
    assert.equal((await get(byPrincipal(ELIGIBLE, USERS.henrik.id), broader)).status, 200);
    assert.equal((await get(byPrincipal(ACTIVE, USERS.henrik.id), broader)).status, 200);
  });
});
