/** Stored, then asked: a request whose approval card never went out (the instance died in between) is asked again by the sweep. */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { actor, ask, makeWorld, quietLogs, USERS } from '../../support/flowWorld';

describe('a request stored but never asked', () => {
  quietLogs();
  afterEach(() => sinon.restore());

  async function storedButNotAsked() {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.ok((await w.stored(request.id))?.approvalSentAt, 'a request whose card went out is marked');
    // What a crash between storing and asking leaves: no mark.
    const key = `request/${request.id}`;
    const doc = (await w.storage.read([key]))[key] as Record<string, unknown>;
    delete doc['approvalSentAt'];
    await w.storage.write({ [key]: doc });
    w.notifier.requestApproval.resetHistory();
    return { w, request };
  }

  it('is asked again by the sweep after a grace period, once', async () => {
    const { w, request } = await storedButNotAsked();
    w.advanceMinutes(1);
    await w.restart().sweep();
    assert.equal(w.notifier.requestApproval.callCount, 0, 'not within the grace period (the first instance may still be asking)');
    w.advanceMinutes(2);
    const restarted = w.restart();
    await restarted.sweep();
    assert.equal(w.notifier.requestApproval.callCount, 1);
    assert.equal(w.notifier.requestApproval.firstCall.args[0].id, request.id);
    assert.ok((await w.stored(request.id))?.approvalSentAt);
    await restarted.sweep();
    assert.equal(w.notifier.requestApproval.callCount, 1, 'asked once');
  });

  it('is closed, and the agent told, when the approvers still cannot be reached', async () => {
    const { w, request } = await storedButNotAsked();
    w.notifier.requestApproval = sinon.fake.rejects(new Error('no conversation')) as never;
    w.advanceMinutes(3);
    await w.restart().sweep();
    const stored = await w.stored(request.id);
    assert.equal(stored?.state, 'Failed');
    assert.equal(stored?.failure?.code, 'approverUnreachable');
    assert.equal(w.notifier.requestUpdated.lastCall.args[0].state, 'Failed');
  });
});
