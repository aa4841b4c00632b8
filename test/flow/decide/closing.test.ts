import assert from 'node:assert/strict';
import sinon from 'sinon';
import { FlowError, GraphError, type FlowErrorCode } from '../../../src/errors';
import { RequestClosedError } from '../../../src/flow/errors';
import { actor, APPROVE, ask, makeWorld, quietLogs, USERS } from '../../support/flowWorld';

function isFlowError(code: FlowErrorCode) {
  return (e: unknown): boolean => e instanceof FlowError && e.code === code;
}

describe('cancel, handover and status', () => {
  quietLogs();
  afterEach(() => sinon.restore());

  describe('cancel', () => {
    it('the requester can cancel a pending request', async () => {
      const w = makeWorld();
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
      const cancelled = await w.flow.cancel(actor('adele'), request.id.toLowerCase());
      assert.equal(cancelled.state, 'Cancelled');
      assert.equal(cancelled.cancelledBy?.id, USERS.adele.id);
      assert.deepEqual(w.audit.actions(), ['request.created', 'request.cancelled']);
      assert.equal(w.notifier.requestUpdated.lastCall.args[0].state, 'Cancelled');
      await assert.rejects(w.flow.decide(actor('nestor'), request.id, APPROVE), (e: unknown) => e instanceof RequestClosedError && /cancelled by Adele Vance/.test(e.userMessage));
      assert.equal(w.graph.createTap.callCount, 0);
    });

    for (const who of ['alex', 'nestor', 'megan'] as const) {
      it(`only the requester can cancel: ${who} cannot`, async () => {
        const w = makeWorld();
        const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
        await assert.rejects(w.flow.cancel(actor(who), request.id), isFlowError('notRequester'));
        assert.equal((await w.stored(request.id))?.state, 'PendingApproval');
      });
    }

    it('a decided request cannot be cancelled', async () => {
      const w = makeWorld();
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
      await w.flow.decide(actor('nestor'), request.id, APPROVE);
      await assert.rejects(w.flow.cancel(actor('adele'), request.id), (e: unknown) => e instanceof RequestClosedError && e.request.state === 'Issued');
    });
  });

  describe('handover', () => {
    it('only the delivery recipient marks the pass handed over; it hides the code once', async () => {
      const w = makeWorld();
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
      await w.flow.decide(actor('nestor'), request.id, APPROVE);

      await assert.rejects(w.flow.markHandedOver(actor('nestor'), request.id), isFlowError('notRequester'));
      await assert.rejects(w.flow.markHandedOver(actor('alex'), request.id), isFlowError('notRequester'));

      w.advanceMinutes(5);
      const first = await w.flow.markHandedOver(actor('adele'), request.id);
      assert.equal(first.delivery?.handedOverAt, '2030-01-01T08:05:00.000Z');
      assert.equal(first.delivery?.codeHiddenAt, '2030-01-01T08:05:00.000Z');
      assert.equal(w.notifier.hidePass.callCount, 1);
      assert.equal(w.audit.events.at(-1)?.action, 'tap.handedOver');

      w.advanceMinutes(1);
      const again = await w.flow.markHandedOver(actor('adele'), request.id);
      assert.equal(again.delivery?.handedOverAt, '2030-01-01T08:05:00.000Z');
      assert.equal(w.notifier.hidePass.callCount, 1);
      assert.equal(w.audit.events.filter((e) => e.action === 'tap.handedOver').length, 1);
    });

    it('two handover clicks at once hide and audit once', async () => {
      const w = makeWorld();
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
      await w.flow.decide(actor('nestor'), request.id, APPROVE);
      await Promise.all([w.flow.markHandedOver(actor('adele'), request.id), w.flow.markHandedOver(actor('adele'), request.id)]);
      assert.equal(w.notifier.hidePass.callCount, 1);
      assert.equal(w.audit.events.filter((e) => e.action === 'tap.handedOver').length, 1);
    });

    it('a request without a delivered pass cannot be marked handed over', async () => {
      const w = makeWorld();
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
      await assert.rejects(w.flow.markHandedOver(actor('adele'), request.id), isFlowError('notRequester'));
    });
  });

  describe('status', () => {
    it("shows the agent's open and recent requests, newest first", async () => {
      const w = makeWorld();
      const a = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
      const b = await w.flow.startRequest(actor('adele'), ask(USERS.lasse.upn));
      await w.flow.startRequest(actor('alex'), ask(USERS.lidia.upn));
      await w.flow.decide(actor('nestor'), a.id, { action: 'deny' });
      const view = await w.flow.status(actor('adele'));
      assert.deepEqual(view.open.map((r) => r.id), [b.id]);
      assert.deepEqual(view.recent.map((r) => r.id), [a.id]);
    });

    it('by target shows every agent\'s requests for that user', async () => {
      const w = makeWorld();
      const a = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
      await w.flow.cancel(actor('adele'), a.id);
      const b = await w.flow.startRequest(actor('alex'), ask(USERS.megan.upn));
      await w.flow.startRequest(actor('alex'), ask(USERS.lasse.upn));
      const view = await w.flow.status(actor('adele'), { targetUpn: ' MEGAN@contoso.com' });
      assert.deepEqual(view.open.map((r) => r.id), [b.id]);
      assert.deepEqual(view.recent.map((r) => r.id), [a.id]);
    });

    it('status is for helpdesk agents only', async () => {
      const w = makeWorld();
      await assert.rejects(w.flow.status(actor('megan')), isFlowError('notHelpdeskAgent'));
    });

    it('status by an unknown target says so', async () => {
      const w = makeWorld();
      await assert.rejects(w.flow.status(actor('adele'), { targetUpn: 'nobody@contoso.com' }), isFlowError('targetNotFound'));
      await assert.rejects(w.flow.status(actor('adele'), { targetUpn: 'not an upn' }), isFlowError('invalidInput'));
    });

    it('a Graph outage during status is passed on', async () => {
      const w = makeWorld();
      w.graph.faults.memberGroups = new GraphError({ code: 'throttled', status: 429, userMessage: 'Busy.' });
      await assert.rejects(w.flow.status(actor('adele')), (e: unknown) => e instanceof GraphError && e.code === 'throttled');
    });
  });

  it('getRequest accepts typed ids and refuses anything else', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.equal((await w.flow.getRequest(` ${request.id.toLowerCase()} `))?.id, request.id);
    assert.equal(await w.flow.getRequest('index/open-requests'), undefined);
    assert.equal(await w.flow.getRequest('TAP-0O1I00'), undefined);
  });
});
