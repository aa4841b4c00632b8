/**
 * Elevated risk needs four eyes: the primary approver and a member of the second approver
 * group both approve, each attesting; either can stop it; nobody approves twice.
 */
import assert from 'node:assert/strict';
import { FlowError } from '../../../src/errors';
import { RequestClosedError } from '../../../src/flow/errors';
import { DEFAULT_RISK_RULES, type RiskRules } from '../../../src/flow/gate/risk';
import { actor, APPROVE, ask, GROUPS, makeWorld, quietLogs, USERS, type World } from '../../support/flowWorld';

const rules = (r: Partial<RiskRules> = {}): RiskRules => ({ ...DEFAULT_RISK_RULES, secondApproverGroupId: GROUPS.fallbackApprovers, ...r });

/** Megan gets a pass, then asks again the same day: the "second pass within days" rule. */
async function secondRequest(w: World) {
  const first = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
  await w.flow.decide(actor('nestor'), first.id, APPROVE);
  w.advanceMinutes(60);
  return w.flow.startRequest(actor('alex'), ask(USERS.megan.upn));
}

describe('four eyes for elevated risk', () => {
  quietLogs();

  it('a second pass within days is elevated risk: the card reason is stored and both approvers are asked', async () => {
    const w = makeWorld({ config: { risk: rules() } });
    const request = await secondRequest(w);
    assert.equal(request.risk?.level, 'elevated');
    assert.deepEqual(request.risk?.rules, ['recentPass']);
    assert.match(request.risk?.reasons[0] ?? '', /They were given a pass on 2030-01-01 08:00 UTC, within 7 days/);
    assert.deepEqual(request.secondApprover?.ids, [USERS.joni.id]);
    assert.equal(w.notifier.requestApproval.lastCall.args[0].secondApprover?.ids[0], USERS.joni.id);
  });

  it('one approval is not enough: the pass is created only when the second approver approves too', async () => {
    const w = makeWorld({ config: { risk: rules() } });
    const request = await secondRequest(w);
    const creates = w.graph.createTap.callCount;
    const half = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(half.state, 'PendingApproval');
    assert.equal(w.graph.createTap.callCount, creates, 'no pass after one approval');
    const done = await w.flow.decide(actor('joni'), request.id, { action: 'approve', attestation: 'knownNumberCall' });
    assert.equal(done.state, 'Issued');
    assert.equal(done.decision?.by.id, USERS.nestor.id);
    assert.equal(done.secondDecision?.by.id, USERS.joni.id);
    assert.equal(done.secondDecision?.attestation, 'knownNumberCall');
    assert.equal(w.graph.createTap.callCount, creates + 1);
    const approvals = w.audit.events.filter((e) => e.action === 'decision.approved' && e.requestId === request.id).map((e) => e.details?.['approval']);
    assert.deepEqual(approvals, ['1 of 2', '2 of 2']);
  });

  it('the order does not matter: the second approver may approve first', async () => {
    const w = makeWorld({ config: { risk: rules() } });
    const request = await secondRequest(w);
    assert.equal((await w.flow.decide(actor('joni'), request.id, APPROVE)).state, 'PendingApproval');
    assert.equal((await w.flow.decide(actor('nestor'), request.id, APPROVE)).state, 'Issued');
  });

  it('the second approver can stop the pass after the manager approved', async () => {
    const w = makeWorld({ config: { risk: rules() } });
    const request = await secondRequest(w);
    const creates = w.graph.createTap.callCount;
    await w.flow.decide(actor('nestor'), request.id, APPROVE);
    const denied = await w.flow.decide(actor('joni'), request.id, { action: 'deny', denyReason: 'She was given one an hour ago' });
    assert.equal(denied.state, 'Denied');
    assert.equal(denied.secondDecision?.action, 'deny');
    assert.equal(w.graph.createTap.callCount, creates);
  });

  it('nobody approves twice: a second click by the same approver is answered, never counted', async () => {
    const w = makeWorld({ config: { risk: rules() } });
    const request = await secondRequest(w);
    await w.flow.decide(actor('nestor'), request.id, APPROVE);
    await assert.rejects(w.flow.decide(actor('nestor'), request.id, APPROVE), (e: unknown) => {
      assert.ok(e instanceof RequestClosedError);
      assert.match(e.userMessage, /Your approval of TAP-\w+ is recorded\. It needs a second approval, from Joni Sherman/);
      return true;
    });
    assert.equal((await w.stored(request.id))?.state, 'PendingApproval');
  });

  it('elevated risk with no second approver group configured is refused with the reasons, asking no one', async () => {
    const w = makeWorld({ config: { risk: rules({ secondApproverGroupId: undefined as unknown as string }) } });
    const first = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await w.flow.decide(actor('nestor'), first.id, APPROVE);
    const asked = w.notifier.requestApproval.callCount;
    await assert.rejects(w.flow.startRequest(actor('alex'), ask(USERS.megan.upn)), (e: unknown) => {
      assert.ok(e instanceof FlowError && e.code === 'riskElevated');
      assert.match(e.userMessage, /needs more than the helpdesk can approve: They were given a pass/);
      return true;
    });
    assert.equal(w.notifier.requestApproval.callCount, asked);
  });

  it('RISK_ELEVATED=refuse refuses elevated-risk requests even with a second approver group', async () => {
    const w = makeWorld({ config: { risk: rules({ onElevated: 'refuse' }) } });
    await assert.rejects(secondRequest(w), (e: unknown) => e instanceof FlowError && e.code === 'riskElevated');
  });

  it('an earlier request reported as suspicious makes the next one elevated risk', async () => {
    const w = makeWorld({ config: { risk: rules({ recentPassWithinDays: 0 }) } });
    const first = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await w.flow.reportSuspicious(actor('nestor'), first.id, 'I was never called');
    const next = await w.flow.startRequest(actor('alex'), ask(USERS.megan.upn));
    assert.deepEqual(next.risk?.rules, ['reportedBefore']);
  });

  it('a normal request needs one approval, as before', async () => {
    const w = makeWorld({ config: { risk: rules() } });
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.equal(request.risk?.level, 'normal');
    assert.equal(request.secondApprover, undefined);
    assert.equal((await w.flow.decide(actor('nestor'), request.id, APPROVE)).state, 'Issued');
  });

  it('a second approver removed from the group before the last click is re-checked at approval: no pass', async () => {
    const w = makeWorld({ config: { risk: rules() } });
    const request = await secondRequest(w);
    await w.flow.decide(actor('joni'), request.id, APPROVE);
    w.graph.directory.groups[GROUPS.fallbackApprovers] = [];
    const creates = w.graph.createTap.callCount;
    const done = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(done.state, 'Failed');
    assert.equal(done.failure?.code, 'secondApproverNotInGroup');
    assert.equal(w.graph.createTap.callCount, creates);
  });
});
