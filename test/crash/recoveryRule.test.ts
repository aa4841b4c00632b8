/**
 * The rule for an interrupted issuance, in one process (kill9.test.ts shows it across a real
 * kill -9): an ambiguous create is never retried, whatever it made is deleted, the agent is
 * told the truth about what was found, and a code already on a card is taken off it.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { actor, APPROVE, ask, makeWorld, quietLogs, USERS, hang, storedWhen } from '../support/flowWorld';


describe('the rule for an interrupted issuance', () => {
  quietLogs();
  afterEach(() => sinon.restore());

  it('a create that was sent but made nothing is not retried, and the agent hears that no pass exists', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    // The process dies with the create on its way, before Graph made anything.
    (w.graph as { createTap: unknown }).createTap = sinon.fake(hang);
    void w.flow.decide(actor('nestor'), request.id, APPROVE);
    await storedWhen(w, request.id, (r) => r.state === 'Issuing');

    w.advanceMinutes(10);
    const restarted = w.restart();
    await restarted.sweep();
    const failed = await w.stored(request.id);
    assert.equal(failed?.state, 'Failed');
    assert.match(failed?.failure?.message ?? '', /holds no pass from it, so none exists\. Request a new one/);
    assert.equal(w.graph.deleteTap.callCount, 0, 'nothing to delete');
    assert.equal(w.notifier.hidePass.callCount, 0, 'no pass card was ever sent');
  });

  it('a pass whose card may be out is deleted and its code taken off the card', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    (w.notifier as { deliverPass: unknown }).deliverPass = sinon.fake(hang);
    void w.flow.decide(actor('nestor'), request.id, APPROVE);
    await storedWhen(w, request.id, (r) => r.state === 'Issuing' && !!r.issued);

    w.advanceMinutes(10);
    await w.restart().sweep();
    assert.equal((await w.stored(request.id))?.state, 'Failed');
    assert.equal(w.notifier.hidePass.callCount, 1);
    assert.equal(w.notifier.hidePass.lastCall.args[0].state, 'Failed');
  });
});
