/**
 * Who may decide a request, and what waits for whom (src/flow/gate/decisionRights.ts): the rule
 * itself, then the rule as deciding and the "pending" list apply it. The cards' side is in
 * test/bot/decisionRights.test.ts.
 */
import assert from 'node:assert/strict';
import { RequestClosedError } from '../../../src/flow/errors';
import { approvalFor, mayDecide, waitingFor } from '../../../src/flow/gate/decisionRights';
import { DEFAULT_RISK_RULES, type RiskRules } from '../../../src/flow/gate/risk';
import type { Decision, TapRequest } from '../../../src/flow/types';
import { actor, APPROVE, ask, contoso, GROUPS, makeWorld, quietLogs, refusedWith, SANDBOX_TENANT_ID, T0, USERS, type World } from '../../support/flowWorld';

type Who = keyof typeof USERS;
const person = (who: Who) => ({ id: USERS[who].id, displayName: USERS[who].name, userPrincipalName: USERS[who].upn });
const approval = (who: Who, action: Decision['action'] = 'approve'): Decision => ({ by: person(who), at: T0.toISOString(), action, attestation: 'videoCall' });

/** Adele asks a pass for Megan; Nestor approves, and (four eyes) Joni or Diego second. */
function record(fields: Partial<TapRequest> = {}): TapRequest {
  return {
    id: 'TAP-7K3F9Q',
    state: 'PendingApproval',
    createdAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    expiresAt: new Date(T0.getTime() + 30 * 60_000).toISOString(),
    tenantId: SANDBOX_TENANT_ID,
    requester: person('adele'),
    target: person('megan'),
    approver: { kind: 'manager', ids: [USERS.nestor.id], people: [person('nestor')] },
    scenario: 'recovery',
    reason: 'Lost phone',
    settings: { lifetimeInMinutes: 60, isUsableOnce: true },
    replacesExistingTap: false,
    deliveryRecipient: 'agent',
    ...fields,
  };
}
const fourEyes = (fields: Partial<TapRequest> = {}): TapRequest =>
  record({ secondApprover: { ids: [USERS.joni.id, USERS.diego.id], people: [person('joni'), person('diego')] }, ...fields });

describe('who may decide a request (the rule)', () => {
  const now = new Date(T0.getTime() + 60_000);

  it('the primary approver gives the primary approval; a second approver the second one', () => {
    const r = fourEyes();
    assert.equal(approvalFor(r, USERS.nestor.id, now), 'primary');
    assert.equal(approvalFor(r, USERS.joni.id, now), 'second');
    assert.equal(approvalFor(r, USERS.diego.id.toUpperCase(), now), 'second', 'however the id is spelled');
  });

  it('someone not asked, the requester and the target may not decide, even when a group change lists them', () => {
    const r = fourEyes({ approver: { kind: 'fallbackGroup', ids: [USERS.nestor.id, USERS.adele.id, USERS.megan.id], people: [] } });
    for (const who of ['lee', 'adele', 'megan'] as const) assert.equal(approvalFor(r, USERS[who].id, now), 'none', who);
  });

  it('nobody decides a request that no longer awaits a decision: decided, or past its deadline', () => {
    assert.equal(mayDecide(record({ state: 'Approved' }), USERS.nestor.id, now), false);
    assert.equal(mayDecide(record(), USERS.nestor.id, new Date(T0.getTime() + 30 * 60_000)), true, 'the deadline instant still counts');
    assert.equal(mayDecide(record(), USERS.nestor.id, new Date(T0.getTime() + 30 * 60_000 + 1)), false);
  });

  it('each person gives one approval: whoever approved has none left, and a given approval is not given again by a colleague', () => {
    const firstIn = fourEyes({ decision: approval('nestor') });
    assert.equal(approvalFor(firstIn, USERS.nestor.id, now), 'none');
    assert.equal(approvalFor(firstIn, USERS.joni.id, now), 'second');
    const secondIn = fourEyes({ secondDecision: approval('joni') });
    assert.equal(approvalFor(secondIn, USERS.joni.id, now), 'none');
    assert.equal(approvalFor(secondIn, USERS.diego.id, now), 'none', 'the second approval is given, by Joni');
    assert.equal(approvalFor(secondIn, USERS.nestor.id, now), 'primary');
  });

  it('a bulk member\'s request is never decidable on its own: none for everyone', () => {
    const r = fourEyes({ bulk: { id: 'BULK-7K3F9Q' } });
    for (const who of ['nestor', 'joni', 'diego', 'adele', 'lee'] as const) assert.equal(approvalFor(r, USERS[who].id, now), 'none', who);
  });

  it('what waits for a person: the requests they may still decide, oldest deadline first', () => {
    const later = fourEyes({ id: 'TAP-7K3F9R', expiresAt: new Date(T0.getTime() + 40 * 60_000).toISOString() });
    const sooner = fourEyes({ id: 'TAP-7K3F9S' });
    const approvedByJoni = fourEyes({ id: 'TAP-7K3F9T', expiresAt: new Date(T0.getTime() + 35 * 60_000).toISOString(), secondDecision: approval('joni') });
    const bulkMember = fourEyes({ id: 'TAP-7K3F9U', bulk: { id: 'BULK-7K3F9Q' } });
    const all = [later, approvedByJoni, sooner, bulkMember];
    assert.deepEqual(waitingFor(all, USERS.joni.id, now).map((r) => r.id), [sooner.id, later.id]);
    assert.deepEqual(waitingFor(all, USERS.nestor.id, now).map((r) => r.id), [sooner.id, approvedByJoni.id, later.id]);
  });
});

const rules = (r: Partial<RiskRules> = {}): RiskRules => ({ ...DEFAULT_RISK_RULES, secondApproverGroupId: GROUPS.fallbackApprovers, ...r });

/** Joni and Diego are the second approver group. */
function fourEyesWorld(): World {
  const directory = contoso();
  directory.groups[GROUPS.fallbackApprovers] = [USERS.joni.id, USERS.diego.id];
  return makeWorld({ directory, config: { risk: rules() } });
}

/** Megan gets a pass, then asks again within the hour: elevated risk, two approvals. */
async function elevatedRequest(w: World): Promise<TapRequest> {
  const first = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
  await w.flow.decide(actor('nestor'), first.id, APPROVE);
  w.advanceMinutes(60);
  const request = await w.flow.startRequest(actor('alex'), ask(USERS.megan.upn));
  assert.deepEqual(request.secondApprover?.ids, [USERS.joni.id, USERS.diego.id]);
  return request;
}

/** The stored request turned into a bulk member's record, as the bulk engine stores it. */
async function asBulkMember(w: World, id: string, bulkId: string): Promise<TapRequest> {
  const stored = await w.stored(id);
  assert.ok(stored);
  const member: TapRequest = { ...stored, bulk: { id: bulkId } };
  await w.storage.write({ [`request/${id}`]: member });
  return member;
}

describe('who may decide a request (deciding)', () => {
  quietLogs();

  it('a bulk member\'s request cannot be approved on its own: refused, naming its bulk request, and nothing changes', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await asBulkMember(w, request.id, 'BULK-7K3F9Q');
    await assert.rejects(
      w.flow.decide(actor('nestor'), request.id, APPROVE),
      refusedWith('notApprover', new RegExp(`${request.id} is part of BULK-7K3F9Q; it is decided with that request`)),
    );
    await assert.rejects(w.flow.decide(actor('nestor'), request.id, { action: 'deny' }), refusedWith('notApprover', /BULK-7K3F9Q/));
    const stored = await w.stored(request.id);
    assert.equal(stored?.state, 'PendingApproval');
    assert.equal(stored?.decision, undefined);
    assert.equal(w.graph.createTap.callCount, 0);
    const refused = w.audit.events.filter((e) => e.action === 'decision.refused');
    assert.equal(refused.length, 2, 'each attempt is audited');
  });

  it('once a second approver approved, another member of the second group can neither approve nor deny', async () => {
    const w = fourEyesWorld();
    const request = await elevatedRequest(w);
    await w.flow.decide(actor('joni'), request.id, APPROVE);
    for (const input of [APPROVE, { action: 'deny', denyReason: 'not sure' } as const]) {
      await assert.rejects(w.flow.decide(actor('diego'), request.id, input), (e: unknown) => {
        assert.ok(e instanceof RequestClosedError);
        assert.match(e.userMessage, /already given by Joni Sherman; it now waits for Nestor Wilke/);
        return true;
      });
    }
    const stored = await w.stored(request.id);
    assert.equal(stored?.state, 'PendingApproval');
    assert.equal(stored?.decision, undefined, "Diego's click never lands in the manager's place");
    assert.equal((await w.flow.decide(actor('nestor'), request.id, APPROVE)).state, 'Issued');
  });

  it('whoever approved cannot then deny: their approval stands and the request still waits for the other approver', async () => {
    const w = fourEyesWorld();
    const request = await elevatedRequest(w);
    await w.flow.decide(actor('nestor'), request.id, APPROVE);
    await assert.rejects(w.flow.decide(actor('nestor'), request.id, { action: 'deny' }), (e: unknown) => e instanceof RequestClosedError && /Your approval of/.test(e.userMessage));
    assert.equal((await w.stored(request.id))?.decision?.action, 'approve');
  });
});

describe('who may decide a request (what waits for me)', () => {
  quietLogs();

  it('the second approver sees the request in pending, and it leaves each list once that person has approved', async () => {
    const w = fourEyesWorld();
    const request = await elevatedRequest(w);
    for (const who of ['nestor', 'joni', 'diego'] as const) {
      assert.deepEqual((await w.flow.pending(actor(who))).map((r) => r.id), [request.id], who);
    }
    await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.deepEqual(await w.flow.pending(actor('nestor')), [], 'the manager has given their approval');
    assert.deepEqual((await w.flow.pending(actor('joni'))).map((r) => r.id), [request.id]);
    await w.flow.decide(actor('joni'), request.id, APPROVE);
    assert.deepEqual(await w.flow.pending(actor('diego')), [], 'the second approval is given');
  });

  it('a bulk member\'s request waits for nobody in pending', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.deepEqual((await w.flow.pending(actor('nestor'))).map((r) => r.id), [request.id]);
    await asBulkMember(w, request.id, 'BULK-7K3F9Q');
    assert.deepEqual(await w.flow.pending(actor('nestor')), []);
  });

  it('the requester never finds a request in pending, even when a group change lists them as approver', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.patti.upn));
    const stored = await w.stored(request.id);
    assert.ok(stored);
    await w.storage.write({ [`request/${request.id}`]: { ...stored, approver: { ...stored.approver, ids: [...stored.approver.ids, USERS.adele.id] } } });
    await w.storage.write({ [`index/approver/${USERS.adele.id}`]: { ids: [request.id] } });
    assert.deepEqual(await w.flow.pending(actor('adele')), []);
  });
});
