import assert from 'node:assert/strict';
import sinon from 'sinon';
import { actor, APPROVE, ask, makeWorld, quietLogs, USERS, hang, storedWhen } from '../../support/flowWorld';
import type { TapRequest } from '../../../src/flow/types';


describe('issuance interrupted by a crash', () => {
  quietLogs();
  afterEach(() => sinon.restore());

  it('a pass created but never reliably delivered is deleted after a restart, and the agent is told', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    // The process dies while the delivery card is on its way.
    (w.notifier as { deliverPass: unknown }).deliverPass = sinon.fake(hang);
    void w.flow.decide(actor('nestor'), request.id, APPROVE);
    const stuck = await storedWhen(w, request.id, (r) => r.state === 'Issuing' && !!r.issued);
    assert.equal(w.graph.directory.taps[USERS.megan.id]?.length, 1);

    w.advanceMinutes(2);
    assert.deepEqual(await w.restart().sweep(), { expired: 0, codesHidden: 0 });
    assert.equal((await w.stored(request.id))?.state, 'Issuing', 'a recent issuance is left alone: it may still finish');

    w.advanceMinutes(10);
    await w.restart().sweep();
    const failed = await w.stored(request.id);
    assert.equal(failed?.state, 'Failed');
    assert.equal(failed?.failure?.code, 'interrupted');
    assert.match(failed?.failure?.message ?? '', /removed/);
    assert.ok(w.graph.deleteTap.calledWith(USERS.megan.id, stuck.issued!.methodId));
    assert.deepEqual(w.graph.directory.taps[USERS.megan.id], []);
    assert.equal(w.notifier.requestUpdated.lastCall.args[0].state, 'Failed');
    assert.ok(w.audit.events.some((e) => e.action === 'tap.failed' && e.outcome === 'interrupted' && e.actorId === 'system'));
  });

  it('a crash between Graph creating the pass and storing its id still finds and deletes that pass', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    (w.notifier as { deliverPass: unknown }).deliverPass = sinon.fake(hang);
    void w.flow.decide(actor('nestor'), request.id, APPROVE);
    const stuck = await storedWhen(w, request.id, (r) => r.state === 'Issuing' && !!r.issued);
    // Make the record look as if the process died before the method id was written.
    const key = `request/${request.id}`;
    const stored = (await w.storage.read([key]))[key] as TapRequest;
    delete stored.issued;
    await w.storage.write({ [key]: { ...stored, eTag: '*' } });

    w.advanceMinutes(10);
    await w.restart().sweep();
    assert.equal((await w.stored(request.id))?.state, 'Failed');
    assert.ok(w.graph.deleteTap.calledWith(USERS.megan.id, stuck.issued!.methodId));
  });

  it('a crash after approval but before creating the pass fails the request without touching Graph', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    (w.graph as { checkForApproval: unknown }).checkForApproval = sinon.fake(hang);
    void w.flow.decide(actor('nestor'), request.id, APPROVE);
    await storedWhen(w, request.id, (r) => r.state === 'Approved');
    w.advanceMinutes(10);
    await w.restart().sweep();
    const failed = await w.stored(request.id);
    assert.equal(failed?.state, 'Failed');
    assert.match(failed?.failure?.message ?? '', /no pass exists/);
    assert.equal(w.graph.deleteTap.callCount, 0);
    assert.equal(w.graph.createTap.callCount, 0);
  });

  it('an owner told of the pass hears it was deleted only when recovery did delete it', async () => {
    const w = makeWorld({ config: { ownerNotice: { enabled: true, revokeSessionsOnDispute: false } } });
    const tell = sinon.fake(async (_userId: string, _message: string) => undefined);
    w.notifier.tell = tell;
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    (w.notifier as { deliverPass: unknown }).deliverPass = sinon.fake(hang);
    void w.flow.decide(actor('nestor'), request.id, APPROVE);
    await storedWhen(w, request.id, (r) => r.state === 'Issuing' && !!r.issued);
    await w.storage.write({ [`owner-told/${request.id}`]: { at: w.clock.now.toISOString() } });
    (w.graph as { deleteTap: unknown }).deleteTap = sinon.fake.rejects(new Error('Graph unavailable'));

    w.advanceMinutes(10);
    await w.restart().sweep();
    const failed = await w.stored(request.id);
    assert.match(failed?.failure?.message ?? '', /could not remove it: an admin should delete/);
    assert.equal(tell.callCount, 0, 'the pass may still work: nobody says it was deleted');
  });
});
