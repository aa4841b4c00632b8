/**
 * Stopping a pass holds at every moment: a report that lands mid-delivery, a dispute link
 * used again after a failed stop, a pass prepared days ahead and stopped before it is made,
 * and the second approver as a party who may stop it (and who counts towards the limits).
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { GraphError } from '../../../src/errors';
import type { OwnerNoticeLinks } from '../../../src/flow/types';
import { DEFAULT_RISK_RULES } from '../../../src/flow/gate/risk';
import type { DeliverablePass, TapRequest } from '../../../src/flow/types';
import { actor, APPROVE, ask, GROUPS, makeWorld, quietLogs, refusedWith, USERS } from '../../support/flowWorld';

describe('stopping a pass holds at every moment', () => {
  quietLogs();

  it('a report that arrives while the pass is being delivered revokes it: a reported pass never stays live', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    w.notifier.deliverPass = sinon.fake(async (_request: TapRequest, _pass: DeliverablePass) => {
      await w.flow.reportSuspicious(actor('adele'), request.id, 'The voice did not match, stop it');
    });
    const done = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.ok(done.revocation, 'revoked');
    assert.equal(w.graph.directory.taps[USERS.megan.id]?.length ?? 0, 0, 'the pass is gone in Entra ID');
  });

  it('a dispute link whose stop failed (Graph down) still stops the pass when used again, and security is alerted either way', async () => {
    const w = makeWorld({ config: { ownerNotice: { enabled: true, revokeSessionsOnDispute: false, publicBaseUrl: () => 'https://tap.contoso.com' } } });
    const told: OwnerNoticeLinks[] = [];
    w.notifier.notifyOwner = sinon.fake(async (_r: TapRequest, l: OwnerNoticeLinks) => {
      told.push(l);
    });
    const alert = sinon.fake(async () => undefined);
    w.notifier.reportSuspicious = alert;
    const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await w.flow.decide(actor('nestor'), r.id, APPROVE);
    const token = told[0]!.disputeUrl!.split('/').pop()!;
    w.graph.faults.deleteTap = new GraphError({ code: 'unavailable', status: 503, userMessage: 'Graph is not answering.' });
    await assert.rejects(w.flow.disputeByLink(token));
    assert.equal(alert.callCount, 1, 'security hears of it although the stop failed');
    delete w.graph.faults.deleteTap;
    const again = await w.flow.disputeByLink(token);
    assert.equal(again.outcome, 'stopped');
    assert.equal(w.graph.directory.taps[USERS.megan.id]?.length ?? 0, 0);
    assert.deepEqual(await w.flow.disputeByLink(token), { outcome: 'used' });
  });

  it('a pass prepared days ahead can be cancelled, revoked or reported before it is made, and then frees the person', async () => {
    for (const stop of ['cancel', 'revoke', 'report'] as const) {
      const w = makeWorld();
      const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'newJoiner', startDate: '2030-01-10', startTime: '08:00', timeZone: 'UTC' }));
      const approved = await w.flow.decide(actor('nestor'), r.id, APPROVE);
      assert.equal(approved.state, 'Approved');
      const stopped =
        stop === 'cancel'
          ? await w.flow.cancel(actor('adele'), r.id)
          : stop === 'revoke'
            ? await w.flow.revoke(actor('nestor'), r.id)
            : await w.flow.reportSuspicious(actor('adele'), r.id, 'HR says nobody starts that day');
      assert.equal(stopped.state, 'Cancelled', stop);
      w.clock.now = new Date('2030-01-10T07:50:00Z');
      await w.flow.sweep();
      assert.equal(w.graph.createTap.callCount, 0, `${stop}: never made`);
      if (stop !== 'report') await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    }
  });

  it('the second approver is a party: they can revoke or report the pass they approved', async () => {
    const w = makeWorld({ config: { risk: { ...DEFAULT_RISK_RULES, recentPassWithinDays: 7, secondApproverGroupId: GROUPS.fallbackApprovers } } });
    const first = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await w.flow.decide(actor('nestor'), first.id, APPROVE);
    const second = await w.flow.startRequest(actor('alex'), ask(USERS.megan.upn));
    await w.flow.decide(actor('nestor'), second.id, APPROVE);
    await w.flow.decide(actor('joni'), second.id, APPROVE);
    const revoked = await w.flow.revoke(actor('joni'), second.id);
    assert.ok(revoked.revocation);
    await assert.rejects(w.flow.revoke(actor('lee'), second.id), refusedWith('notParty'));
  });

  it('the waiting-cards limit counts the second approver too', async () => {
    const w = makeWorld({
      config: {
        risk: { ...DEFAULT_RISK_RULES, recentPassWithinDays: 7, secondApproverGroupId: GROUPS.fallbackApprovers },
        limits: { requestsPerAgentPerHour: 100, openApprovalsPerApprover: 1, passesPerTargetPerDay: 10 },
      },
    });
    // Megan (manager Nestor) and Diego (manager Adele) each had a pass: their next requests,
    // from Alex, need their own managers and Joni. Joni is the one at the limit.
    const megan = await w.flow.startRequest(actor('alex'), ask(USERS.megan.upn));
    await w.flow.decide(actor('nestor'), megan.id, APPROVE);
    const diego = await w.flow.startRequest(actor('alex'), ask(USERS.diego.upn));
    await w.flow.decide(actor('adele'), diego.id, APPROVE);
    await w.flow.startRequest(actor('alex'), ask(USERS.megan.upn));
    await assert.rejects(w.flow.startRequest(actor('alex'), ask(USERS.diego.upn)), refusedWith('limitReached', /^Joni Sherman already has 1 pass requests waiting/));
  });
});
