/**
 * Look before asking (`tap <address>`): the agent is told who would decide, by name, and
 * whether a second approver must decide too, by the same rules the request meets. Nothing is
 * stored and nobody is asked.
 */
import assert from 'node:assert/strict';
import { DEFAULT_RISK_RULES, type RiskRules } from '../../../src/flow/gate/risk';
import { catalogue } from '../../../src/i18n';
import { reasonIn } from '../../../src/i18n/said';
import { actor, APPROVE, ask, GROUPS, makeWorld, quietLogs, USERS, type World } from '../../support/flowWorld';

const rules = (r: Partial<RiskRules> = {}): RiskRules => ({ ...DEFAULT_RISK_RULES, secondApproverGroupId: GROUPS.fallbackApprovers, ...r });

/** Megan had a pass an hour ago: a second one within days is elevated risk. */
async function meganHadAPass(w: World): Promise<void> {
  const first = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
  await w.flow.decide(actor('nestor'), first.id, APPROVE);
  w.advanceMinutes(60);
}

describe('the look-up before a request', () => {
  quietLogs();

  it('a name typed instead of a sign-in name says so, and whom it may mean, in the reader\'s language', async () => {
    const w = makeWorld();
    const p = await w.flow.preview(actor('adele'), 'Megan Bowen');
    assert.equal(p.refusal?.code, 'targetNotFound');
    assert.match(p.refusal?.message ?? '', /^"Megan Bowen" is a name, not a sign-in name\. Did you mean .*megan@contoso\.com.*\? Type it as tap megan@contoso\.com\.$/);
    assert.match(reasonIn(catalogue('da'), p.refusal!), /er et navn, ikke et brugernavn\. Mente du/);
    await assert.rejects(w.flow.preview(actor('adele'), 'zq'), /not a sign-in name/, 'too short to suggest anyone: the plain refusal');
  });

  it('names the manager who will decide', async () => {
    const w = makeWorld();
    const p = await w.flow.preview(actor('adele'), USERS.megan.upn);
    assert.match(p.approverNote ?? '', /^Nestor Wilke, their manager, will be asked to approve\.$/);
    assert.equal(p.secondApprovalNote, undefined);
  });

  it('when the agent is the manager, names the skip-level manager who will decide instead of "your own manager"', async () => {
    const w = makeWorld();
    const p = await w.flow.preview(actor('adele'), USERS.diego.upn);
    assert.equal(p.approverNote, `You are their manager, so your own manager, ${USERS.lee.name}, will be asked to approve.`);
    assert.match(reasonIn(catalogue('da'), { said: p.approverNoteSaid! }), new RegExp(`din egen leder, ${USERS.lee.name}, bliver bedt om at godkende`));
  });

  it('says a second approval will be needed, and why, when the request would need four eyes', async () => {
    const w = makeWorld({ config: { risk: rules() } });
    await meganHadAPass(w);
    const p = await w.flow.preview(actor('alex'), USERS.megan.upn);
    assert.equal(p.refusal, undefined);
    assert.match(p.secondApprovalNote ?? '', /^A second approver will have to approve too. They were given a pass on .* within 7 days/);
    const request = await w.flow.startRequest(actor('alex'), ask(USERS.megan.upn));
    assert.ok(request.secondApprover, 'the request then asks a second approver, as the look-up said');
  });

  it('names who will decide when the manager is out of office, as the request will: the skip-level manager, not the manager', async () => {
    const w = makeWorld({ config: { approvalWaiting: { escalateWhenAway: true } } });
    Object.assign(w.graph, {
      automaticReplies: async (userId: string) => ({ available: true, value: { status: userId === USERS.nestor.id ? 'alwaysEnabled' : 'disabled' } }),
    });
    const p = await w.flow.preview(actor('adele'), USERS.megan.upn);
    assert.equal(p.approverNote, `Nestor Wilke is out of office, so ${USERS.lee.name} will be asked to approve.`);
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.deepEqual(request.approver.ids, [USERS.lee.id], 'the request asks whom the look-up named');
  });

  it('never promises a second approver the request cannot have: when the only second approver is the first, it says no pass can be had here', async () => {
    const w = makeWorld({ config: { risk: rules() } });
    const first = await w.flow.startRequest(actor('adele'), ask(USERS.patti.upn));
    await w.flow.decide(actor('joni'), first.id, APPROVE);
    w.advanceMinutes(60);
    const p = await w.flow.preview(actor('alex'), USERS.patti.upn);
    assert.equal(p.refusal?.code, 'noApprover');
    assert.match(p.refusal?.message ?? '', /^This request needs a second approver\. They were given a pass on .* But the second approver group has nobody who could decide/);
    await assert.rejects(w.flow.startRequest(actor('alex'), ask(USERS.patti.upn)), /needs a second approver/);
  });

  it('says no pass can be had here when elevated risk has no second approver group, as the request would be refused', async () => {
    const w = makeWorld({ config: { risk: { ...DEFAULT_RISK_RULES } } });
    await meganHadAPass(w);
    const p = await w.flow.preview(actor('alex'), USERS.megan.upn);
    assert.equal(p.refusal?.code, 'riskElevated');
    await assert.rejects(w.flow.startRequest(actor('alex'), ask(USERS.megan.upn)), /needs more than the helpdesk can approve/);
  });
});
