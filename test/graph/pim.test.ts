/**
 * The privileged-account rule's PIM reads (src/graph/pim.ts) through the real gateway and
 * Graph client over a scripted transport: what counts as a role held, and what "cannot tell"
 * looks like. The road-by-road cases against the sandbox tenant are in
 * test/flow/gate/roadByRule.test.ts.
 */
import { catalogue } from '../../src/i18n';
import { wordsIn, type Words } from '../../src/i18n/said';
import assert from 'node:assert/strict';
import { configureLogging } from '../../src/log';
import type { TargetFacts } from '../../src/graph/types';
import { assessRisk, DEFAULT_RISK_RULES } from '../../src/flow/gate/risk';
import { GraphHttpStub, json } from '../support/graphHttpStub';

/** A signal's reason as an English reader reads it. */
const english = (words: Words): string => wordsIn(catalogue('en'), words);


const MEGAN = { id: 'a0000000-0000-4000-8000-000000000005', userPrincipalName: 'megan@contoso.com', displayName: 'Megan Bowen', userType: 'Member' };
const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const HELPDESK_ADMIN = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const GUEST_INVITER = '95e79109-95c0-4d8e-aee3-d01accf2d47b';
const TIER1 = '0b0b0b0b-0000-4000-8000-0000000000c1';
const PRIVILEGED = [GLOBAL_ADMIN, HELPDESK_ADMIN];

type Item = { id: string; url: string };
type ItemAnswer = { status: number; body?: unknown };

const forbidden: ItemAnswer = { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } };
const noLicence: ItemAnswer = { status: 403, body: { error: { code: 'AadPremiumLicenseRequired', message: 'The tenant needs an AAD Premium 2 license.' } } };
const roles = (...ids: string[]): ItemAnswer => ({ status: 200, body: { value: ids.map((roleDefinitionId) => ({ id: `i-${roleDefinitionId}`, roleDefinitionId, principalId: MEGAN.id, directoryScopeId: '/' })) } });
const groups = (...ids: string[]): ItemAnswer => ({ status: 200, body: { value: ids.map((groupId) => ({ id: `g-${groupId}`, groupId, accessId: 'member', principalId: MEGAN.id })) } });

/** The checks answered as for an ordinary user; PIM items as `pim` says (by item id, or by `g0.eligibleRoles` for a group's). */
function stub(pim: Record<string, ItemAnswer>): GraphHttpStub {
  return new GraphHttpStub((req) => {
    const items = (req.body as { requests: Item[] }).requests;
    return json(200, {
      responses: items.map((i) => {
        const answer: ItemAnswer = pim[i.id] ?? (i.id === 'user' ? { status: 200, body: MEGAN } : { status: 200, body: { value: [] } });
        return { id: i.id, headers: {}, ...answer };
      }),
    });
  });
}

async function inspect(graph: GraphHttpStub): Promise<TargetFacts> {
  return graph.gateway().inspectTarget(MEGAN.id, { privilegedRoleTemplateIds: PRIVILEGED, withSignals: true, now: new Date('2026-12-07T10:00:00Z') });
}

describe('PIM: administrator roles a person can activate', () => {
  before(() => configureLogging({ level: 'silent' }));
  after(() => configureLogging({ level: 'info' }));

  it('an eligible role whose template id is in the privileged list counts as held, read in the one $batch of the checks', async () => {
    const graph = stub({ 'pim.eligibleRoles': roles(HELPDESK_ADMIN.toUpperCase()) });
    const facts = await inspect(graph);
    assert.deepEqual(facts.privilegedRoleTemplateIds, [HELPDESK_ADMIN]);
    assert.deepEqual(facts.signals?.eligibleRoles, { available: true, value: { roleTemplateIds: [HELPDESK_ADMIN] } });
    assert.equal(graph.requests.length, 1);
    const urls = (graph.requests[0]?.body as { requests: Item[] }).requests.map((i) => decodeURIComponent(i.url));
    for (const path of ['/roleManagement/directory/roleEligibilityScheduleInstances', '/roleManagement/directory/roleAssignmentScheduleInstances', '/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances']) {
      assert.ok(urls.includes(`${path}?$filter=principalId eq '${MEGAN.id}'`), `${path} by principalId`);
    }
  });

  it('a time-bound active assignment counts as held', async () => {
    const facts = await inspect(stub({ 'pim.activeRoles': roles(GLOBAL_ADMIN) }));
    assert.deepEqual(facts.privilegedRoleTemplateIds, [GLOBAL_ADMIN]);
  });

  it('a role outside the privileged list does not count', async () => {
    const facts = await inspect(stub({ 'pim.eligibleRoles': roles(GUEST_INVITER) }));
    assert.deepEqual(facts.privilegedRoleTemplateIds, []);
    assert.deepEqual(facts.signals?.eligibleRoles, { available: true, value: { roleTemplateIds: [] } });
  });

  it('a group they may join through PIM counts with the roles it can activate, read in one more round trip only then', async () => {
    const graph = stub({ 'pim.eligibleGroups': groups(TIER1), 'g0.eligibleRoles': roles(GLOBAL_ADMIN) });
    const facts = await inspect(graph);
    assert.deepEqual(facts.privilegedRoleTemplateIds, [GLOBAL_ADMIN]);
    assert.equal(graph.requests.length, 2);
    const urls = (graph.requests[1]?.body as { requests: Item[] }).requests.map((i) => decodeURIComponent(i.url));
    assert.ok(urls.every((u) => u.endsWith(`principalId eq '${TIER1}'`)), urls.join('\n'));
  });

  it('a read Graph refuses is "not available" naming the permission, never "no role"', async () => {
    const facts = await inspect(stub({ 'pim.eligibleRoles': forbidden }));
    assert.deepEqual(facts.privilegedRoleTemplateIds, []);
    assert.deepEqual(facts.signals?.eligibleRoles, { available: false, missing: { code: 'needsPermission', params: { permission: 'RoleEligibilitySchedule.Read.Directory' } } });
    assert.equal(english(facts.signals!.eligibleRoles!.available ? '' : facts.signals!.eligibleRoles!.missing), 'needs the Graph permission RoleEligibilitySchedule.Read.Directory');
    const groupsRefused = await inspect(stub({ 'pim.eligibleGroups': forbidden }));
    assert.match(groupsRefused.signals?.eligibleRoles && !groupsRefused.signals.eligibleRoles.available ? english(groupsRefused.signals.eligibleRoles.missing) : '', /PrivilegedEligibilitySchedule\.Read\.AzureADGroup/);
    const groupRolesRefused = await inspect(stub({ 'pim.eligibleGroups': groups(TIER1), 'g0.activeRoles': forbidden }));
    assert.match(groupRolesRefused.signals?.eligibleRoles && !groupRolesRefused.signals.eligibleRoles.available ? english(groupRolesRefused.signals.eligibleRoles.missing) : '', /RoleAssignmentSchedule\.Read\.Directory/);
  });

  it('a role found by the reads that work is held, whatever read failed', async () => {
    const facts = await inspect(stub({ 'pim.eligibleRoles': forbidden, 'pim.activeRoles': roles(HELPDESK_ADMIN) }));
    assert.deepEqual(facts.privilegedRoleTemplateIds, [HELPDESK_ADMIN]);
  });

  it('a tenant without the PIM licence has nobody eligible: an answer, not "cannot tell"', async () => {
    const facts = await inspect(stub({ 'pim.eligibleRoles': noLicence, 'pim.activeRoles': noLicence, 'pim.eligibleGroups': noLicence }));
    assert.deepEqual(facts.signals?.eligibleRoles, { available: true, value: { roleTemplateIds: [] } });
  });

  it('the rule cannot tell when PIM cannot be read, so one approval is not enough (risk elevated, naming the permission)', async () => {
    const facts = await inspect(stub({ 'pim.eligibleRoles': forbidden }));
    const signals = facts.signals;
    assert.ok(signals);
    const risk = assessRisk(signals, { issuedAt: [], reportedSuspicious: false }, DEFAULT_RISK_RULES, new Date('2026-12-07T10:00:00Z'));
    assert.equal(risk.level, 'elevated');
    assert.deepEqual(risk.rules, ['privilegedRolesUnknown']);
    assert.match(risk.reasons[0] ?? '', /needs the Graph permission RoleEligibilitySchedule\.Read\.Directory/);
    const readable = (await inspect(stub({}))).signals;
    assert.ok(readable);
    assert.equal(assessRisk(readable, { issuedAt: [], reportedSuspicious: false }, DEFAULT_RISK_RULES, new Date('2026-12-07T10:00:00Z')).level, 'normal');
  });
});
