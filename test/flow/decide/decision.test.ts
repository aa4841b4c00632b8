import assert from 'node:assert/strict';
import sinon from 'sinon';
import { FlowError, GraphError, type FlowErrorCode } from '../../../src/errors';
import { RequestClosedError } from '../../../src/flow/errors';
import { catalogue } from '../../../src/i18n';
import type { TapRequest } from '../../../src/flow/types';
import { failingFake } from '../../support/fakePorts';
import { actor, APPROVE, ask, GROUPS, makeWorld, quietLogs, USERS, type World } from '../../support/flowWorld';

function isFlowError(code: FlowErrorCode, message?: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof FlowError, `expected FlowError ${code}, got ${String(e)}`);
    assert.equal(e.code, code);
    if (message) assert.match(e.userMessage, message);
    return true;
  };
}

async function pending(w: World, target: string = USERS.megan.upn): Promise<TapRequest> {
  return w.flow.startRequest(actor('adele'), ask(target));
}

describe('deciding a request', () => {
  quietLogs();
  afterEach(() => sinon.restore());

  it('the manager approves: the pass is created, delivered to the agent, and every step audited', async () => {
    const w = makeWorld();
    const request = await pending(w);
    const done = await w.flow.decide(actor('nestor'), request.id, { action: 'approve', attestation: 'videoCall', attestationNote: 'Teams video, camera on' });

    assert.equal(done.state, 'Issued');
    assert.equal(w.graph.createTap.callCount, 1);
    assert.deepEqual(w.graph.createTap.firstCall.args, [USERS.megan.id, { lifetimeInMinutes: 60, isUsableOnce: true }]);
    assert.equal(done.decision?.by.id, USERS.nestor.id);
    assert.equal(done.decision?.attestation, 'videoCall');
    assert.deepEqual(done.issued, {
      methodId: 'method-' + done.issued!.methodId.split('-')[1],
      startDateTime: '2030-01-01T08:00:00.000Z',
      expiresDateTime: '2030-01-01T09:00:00.000Z',
      lifetimeInMinutes: 60,
      isUsableOnce: true,
      issuedAt: '2030-01-01T08:00:00.000Z',
    });
    assert.deepEqual(done.delivery, { recipientId: USERS.adele.id, recipientKind: 'agent', deliveredAt: '2030-01-01T08:00:00.000Z' });

    assert.equal(w.notifier.deliverPass.callCount, 1);
    const [deliveredRequest, pass] = w.notifier.deliverPass.firstCall.args;
    assert.equal(deliveredRequest.delivery?.recipientId, USERS.adele.id);
    assert.equal(pass.temporaryAccessPass, w.graph.issuedCodes[0]);
    assert.equal(pass.expiresDateTime, '2030-01-01T09:00:00.000Z');

    assert.deepEqual(w.audit.actions(), ['request.created', 'decision.approved', 'tap.issued', 'tap.delivered']);
    const approved = w.audit.events[1]!;
    assert.equal(approved.actorId, USERS.nestor.id);
    assert.equal(approved.details?.attestation, 'videoCall');
    assert.equal(approved.details?.attestationNote, 'Teams video, camera on');
    assert.equal(w.audit.events[2]!.details?.methodId, done.issued?.methodId);
    assert.equal(w.notifier.requestUpdated.lastCall.args[0].state, 'Issued');
    assert.equal((await w.stored(request.id))?.state, 'Issued');
  });

  it('with delivery to the manager, the approving manager receives the pass', async () => {
    const w = makeWorld({ config: { tap: { isUsableOnce: true, deliveryRecipient: 'manager' } } });
    const request = await pending(w);
    const done = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.deepEqual(done.delivery?.recipientId, USERS.nestor.id);
    assert.equal(done.delivery?.recipientKind, 'manager');
  });

  it('the manager denies: no pass, the requester is told, the reason is audited', async () => {
    const w = makeWorld();
    const request = await pending(w);
    const denied = await w.flow.decide(actor('nestor'), request.id, { action: 'deny', denyReason: 'She is on leave' });
    assert.equal(denied.state, 'Denied');
    assert.equal(denied.decision?.denyReason, 'She is on leave');
    assert.equal(w.graph.createTap.callCount, 0);
    assert.deepEqual(w.audit.actions(), ['request.created', 'decision.denied']);
    assert.equal(w.audit.events[1]!.details?.denyReason, 'She is on leave');
    assert.equal(w.notifier.requestUpdated.lastCall.args[0].state, 'Denied');
  });

  describe('only the stored approver may decide', () => {
    const intruders: Array<[string, Parameters<typeof actor>[0]]> = [
      ['a manager who is not the approver cannot approve', 'lee'],
      ['the requesting agent cannot approve their own request', 'adele'],
      ['the target cannot approve their own pass', 'megan'],
      ['another helpdesk agent cannot approve', 'alex'],
    ];
    for (const [rule, who] of intruders) {
      it(rule, async () => {
        const w = makeWorld();
        const request = await pending(w);
        await assert.rejects(w.flow.decide(actor(who), request.id, APPROVE), isFlowError('notApprover', /^Request TAP-\w+ is not yours to decide\.$/));
        assert.equal(w.graph.createTap.callCount, 0);
        assert.equal((await w.stored(request.id))?.state, 'PendingApproval');
        const refused = w.audit.events.at(-1)!;
        assert.equal(refused.action, 'decision.refused');
        assert.equal(refused.actorId, USERS[who].id);
        assert.equal(refused.outcome, 'notApprover');
      });
    }

    it('the requester is refused even if they appear among the stored approvers', async () => {
      const w = makeWorld();
      const request = await pending(w, USERS.patti.upn);
      // Simulate a tampered or stale approver list that names the agent.
      const raw = (await w.storage.read([`request/${request.id}`]))[`request/${request.id}`] as TapRequest;
      raw.approver.ids.push(USERS.adele.id);
      await w.storage.write({ [`request/${request.id}`]: raw });
      await assert.rejects(w.flow.decide(actor('adele'), request.id, APPROVE), isFlowError('notApprover'));
      assert.equal(w.graph.createTap.callCount, 0);
    });

    it('the approver from another tenant is refused', async () => {
      const w = makeWorld();
      const request = await pending(w);
      await assert.rejects(w.flow.decide(actor('nestor', 'ffffffff-0000-4000-8000-000000000000'), request.id, APPROVE), isFlowError('wrongTenant'));
      assert.equal(w.graph.createTap.callCount, 0);
    });

    it('any member of the fallback group may decide', async () => {
      const w = makeWorld();
      w.graph.directory.groups[GROUPS.fallbackApprovers] = [USERS.joni.id, USERS.lee.id];
      const request = await pending(w, USERS.patti.upn);
      const done = await w.flow.decide(actor('lee'), request.id, APPROVE);
      assert.equal(done.state, 'Issued');
      assert.equal(done.decision?.by.id, USERS.lee.id);
    });
  });

  it('approving without an attestation is refused and changes nothing', async () => {
    const w = makeWorld();
    const request = await pending(w);
    await assert.rejects(w.flow.decide(actor('nestor'), request.id, { action: 'approve' }), isFlowError('attestationRequired'));
    assert.equal((await w.stored(request.id))?.state, 'PendingApproval');
  });

  it('an unknown or malformed request id is requestNotFound', async () => {
    const w = makeWorld();
    for (const id of ['TAP-ZZZZZZ', '../index/open-requests', 'request/x']) {
      await assert.rejects(w.flow.decide(actor('nestor'), id, APPROVE), isFlowError('requestNotFound'));
    }
  });

  it('a second click gets requestClosed and creates no second TAP', async () => {
    const w = makeWorld();
    const request = await pending(w);
    const results = await Promise.allSettled([
      w.flow.decide(actor('nestor'), request.id, APPROVE),
      w.flow.decide(actor('nestor'), request.id, APPROVE),
    ]);
    assert.equal(w.graph.createTap.callCount, 1);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    const error: unknown = lost[0]!.reason;
    assert.ok(error instanceof RequestClosedError, String(error));
    assert.equal(error.code, 'requestClosed');
    assert.match(error.userMessage, /already approved by Nestor Wilke/);
    assert.equal(error.request.id, request.id);
    assert.equal(w.notifier.deliverPass.callCount, 1);
  });

  it('an approve and a deny racing each other: exactly one decision stands', async () => {
    const w = makeWorld();
    w.graph.directory.groups[GROUPS.fallbackApprovers] = [USERS.joni.id, USERS.lee.id];
    const request = await pending(w, USERS.patti.upn);
    const results = await Promise.allSettled([
      w.flow.decide(actor('joni'), request.id, APPROVE),
      w.flow.decide(actor('lee'), request.id, { action: 'deny' }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const stored = await w.stored(request.id);
    assert.ok(stored?.state === 'Issued' || stored?.state === 'Denied');
    assert.equal(w.graph.createTap.callCount, stored.state === 'Issued' ? 1 : 0);
  });

  it('a click on a finished request answers with the current record', async () => {
    const w = makeWorld();
    const request = await pending(w);
    await w.flow.decide(actor('nestor'), request.id, { action: 'deny' });
    await assert.rejects(w.flow.decide(actor('nestor'), request.id, APPROVE), (e: unknown) => e instanceof RequestClosedError && e.request.state === 'Denied' && /already denied/.test(e.userMessage));
  });

  it('a late click says when the request expired, when it was clicked, and how late', async () => {
    const w = makeWorld();
    const request = await pending(w);
    w.advanceMinutes(42);
    await assert.rejects(w.flow.decide(actor('nestor'), request.id, APPROVE), (e: unknown) => {
      assert.ok(e instanceof RequestClosedError);
      assert.equal(
        e.userMessage,
        `Request ${request.id} expired on Tue 1 Jan 2030, 08:30 UTC, before it was approved; you clicked on Tue 1 Jan 2030, 08:42 UTC, 12 minutes later. No pass was created; the helpdesk can ask again.`,
      );
      // A reader whose zone is known reads both instants in it, in their language.
      assert.equal(
        e.messageIn(catalogue('da'), 'Europe/Copenhagen'),
        `Anmodning ${request.id} udløb tirs. 1. jan. 2030 kl. 09.30 (Europe/Copenhagen), før den blev godkendt; du klikkede tirs. 1. jan. 2030 kl. 09.42 (Europe/Copenhagen), 12 minutter senere. Der blev ikke oprettet nogen kode; helpdesk kan anmode igen.`,
      );
      return true;
    });
  });

  it('an expired request cannot be approved', async () => {
    const w = makeWorld();
    const request = await pending(w);
    w.advanceMinutes(31);
    await assert.rejects(
      w.flow.decide(actor('nestor'), request.id, APPROVE),
      (e: unknown) => e instanceof RequestClosedError && e.code === 'requestExpired' && e.request.state === 'Expired',
    );
    assert.equal(w.graph.createTap.callCount, 0);
    assert.equal((await w.stored(request.id))?.state, 'Expired');
    assert.deepEqual(w.audit.actions(), ['request.created', 'request.expired']);
    assert.equal(w.audit.events[1]!.actorId, 'system');
    assert.equal(w.notifier.requestUpdated.lastCall.args[0].state, 'Expired');
  });

  it('a request is still approvable on its last minute', async () => {
    const w = makeWorld();
    const request = await pending(w);
    w.advanceMinutes(30);
    assert.equal((await w.flow.decide(actor('nestor'), request.id, APPROVE)).state, 'Issued');
  });

  it('a failed TAP creation leaves the request Failed with a readable reason', async () => {
    const w = makeWorld();
    const request = await pending(w);
    w.graph.faults.createTap = new GraphError({
      code: 'forbidden',
      status: 403,
      userMessage: 'The bot lacks the permission UserAuthMethod-TAP.ReadWrite.All; ask your admin to grant it.',
      detail: 'Authorization_RequestDenied raw payload',
    });
    const failed = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(failed.state, 'Failed');
    assert.deepEqual(failed.failure, {
      code: 'forbidden',
      message: 'Microsoft Graph did not create the pass: The bot lacks the permission UserAuthMethod-TAP.ReadWrite.All; ask your admin to grant it.',
      // Its meaning too, for a reader of another language (the Graph error's own words kept as given).
      said: { code: 'graphDidNotCreate', params: { why: 'The bot lacks the permission UserAuthMethod-TAP.ReadWrite.All; ask your admin to grant it.' } },
    });
    assert.equal((await w.stored(request.id))?.state, 'Failed');
    assert.deepEqual(w.audit.actions(), ['request.created', 'decision.approved', 'tap.failed']);
    assert.equal(w.audit.events[2]!.outcome, 'forbidden');
    assert.equal(w.notifier.deliverPass.callCount, 0);
    assert.equal(w.notifier.requestUpdated.lastCall.args[0].state, 'Failed');
  });

  it('an unexpected error from Graph is not shown to people', async () => {
    const w = makeWorld();
    const request = await pending(w);
    w.graph.faults.createTap = new TypeError('Cannot read properties of undefined (reading "x")');
    const failed = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(failed.failure?.code, 'unexpected');
    assert.doesNotMatch(failed.failure!.message, /undefined|reading/);
  });

  it('TAP disabled in the tenant while the request waited: nothing is created', async () => {
    const w = makeWorld();
    const request = await pending(w);
    w.graph.directory.policy.state = 'disabled';
    const failed = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(failed.state, 'Failed');
    assert.equal(failed.failure?.code, 'policyDisabled');
    assert.equal(w.graph.createTap.callCount, 0);
  });

  it('policy narrowed while the request waited: the lifetime is re-checked', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { lifetimeInMinutes: 480 }));
    w.graph.directory.policy.maximumLifetimeInMinutes = 240;
    const failed = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(failed.failure?.code, 'lifetimeOutOfBounds');
    assert.equal(w.graph.createTap.callCount, 0);
  });

  it('one-time forced by policy after the request was made is applied at issue time', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { isUsableOnce: false }));
    assert.equal(request.settings.isUsableOnce, false);
    w.graph.directory.policy.isUsableOnce = true;
    const done = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(w.graph.createTap.firstCall.args[1].isUsableOnce, true);
    assert.equal(done.settings.isUsableOnce, true);
  });

  it('delivery failure deletes the issued TAP', async () => {
    const w = makeWorld();
    const request = await pending(w);
    w.notifier.deliverPass = failingFake(new Error('Teams is down'));
    const failed = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(failed.state, 'Failed');
    assert.equal(failed.failure?.code, 'deliveryFailed');
    assert.match(failed.failure!.message, /deleted again and nobody holds it/);
    assert.equal(w.graph.deleteTap.callCount, 1);
    assert.deepEqual(w.graph.deleteTap.firstCall.args, [USERS.megan.id, failed.issued!.methodId]);
    assert.deepEqual(w.graph.directory.taps[USERS.megan.id], [], 'no TAP is left on the user');
    assert.deepEqual(w.audit.actions(), ['request.created', 'decision.approved', 'tap.issued', 'tap.failed']);
    assert.equal(w.audit.events[3]!.details?.tapDeleted, true);
    // The sweep has nothing to hide later: the pass is gone.
    w.advanceMinutes(120);
    assert.deepEqual(await w.flow.sweep(), { expired: 0, codesHidden: 0 });
  });

  it('delivery failure and a failed delete tell the admin what to remove', async () => {
    const w = makeWorld();
    const request = await pending(w);
    w.notifier.deliverPass = failingFake(new Error('Teams is down'));
    w.graph.faults.deleteTap = new GraphError({ code: 'unavailable', status: 503, userMessage: 'Graph is unavailable.' });
    const failed = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(failed.state, 'Failed');
    assert.match(failed.failure!.message, /an admin should remove the Temporary Access Pass of megan@contoso\.com/);
    assert.equal(w.audit.events.at(-1)!.details?.tapDeleted, false);
  });

  it('a notifier that cannot refresh cards does not undo an issued pass', async () => {
    const w = makeWorld();
    const request = await pending(w);
    w.notifier.requestUpdated = failingFake(new Error('card update failed'));
    const done = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(done.state, 'Issued');
    assert.equal(w.graph.deleteTap.callCount, 0);
  });

  it('an audit sink that fails does not strand an issued pass', async () => {
    const w = makeWorld();
    const request = await pending(w);
    w.audit.record = failingFake(new Error('audit store down'));
    const done = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(done.state, 'Issued');
    assert.equal(w.notifier.deliverPass.callCount, 1);
  });
});
