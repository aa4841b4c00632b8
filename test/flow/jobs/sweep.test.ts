import assert from 'node:assert/strict';
import sinon from 'sinon';
import { RequestClosedError } from '../../../src/flow/errors';
import { actor, APPROVE, ask, makeWorld, quietLogs, USERS } from '../../support/flowWorld';

describe('the sweep', () => {
  quietLogs();
  afterEach(() => sinon.restore());

  it('sweep expires requests that expired while the bot was down', async () => {
    const w = makeWorld();
    const due = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    w.advanceMinutes(20);
    const fresh = await w.flow.startRequest(actor('adele'), ask(USERS.lasse.upn));
    // The bot is down for an hour; a new process starts over the same storage.
    w.advanceMinutes(15);
    const restarted = w.restart();
    assert.deepEqual(await restarted.sweep(), { expired: 1, codesHidden: 0 });
    assert.equal((await w.stored(due.id))?.state, 'Expired');
    assert.equal((await w.stored(fresh.id))?.state, 'PendingApproval');
    const expired = w.audit.events.filter((e) => e.action === 'request.expired');
    assert.deepEqual(expired.map((e) => [e.requestId, e.actorId]), [[due.id, 'system']]);
    assert.equal(w.notifier.requestUpdated.lastCall.args[0].id, due.id);
    assert.equal(w.notifier.requestUpdated.lastCall.args[0].state, 'Expired');

    // Later the second one is due too; the first is not expired twice.
    w.advanceMinutes(30);
    assert.deepEqual(await restarted.sweep(), { expired: 1, codesHidden: 0 });
    assert.deepEqual(await restarted.sweep(), { expired: 0, codesHidden: 0 });
    assert.equal(w.audit.events.filter((e) => e.action === 'request.expired').length, 2);
  });

  it('a decided request is never expired by the sweep', async () => {
    const w = makeWorld();
    const denied = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await w.flow.decide(actor('nestor'), denied.id, { action: 'deny' });
    w.advanceMinutes(60);
    assert.deepEqual(await w.flow.sweep(), { expired: 0, codesHidden: 0 });
    assert.equal((await w.stored(denied.id))?.state, 'Denied');
  });

  it('a sweep racing an approval: either the approval wins or the request expires, never both', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    // At 08:30 the approval is still in time; the sweep runs a millisecond later and finds
    // it due: whichever writes first wins, the other must see the stored outcome.
    w.advanceMinutes(30);
    const sweepAt = new Date(w.clock.now.getTime() + 1);
    const [swept, decided] = await Promise.allSettled([w.flow.sweep(sweepAt), w.flow.decide(actor('nestor'), request.id, APPROVE)]);
    const stored = await w.stored(request.id);
    if (decided.status === 'fulfilled') {
      assert.equal(stored?.state, 'Issued');
      assert.equal(swept.status === 'fulfilled' && swept.value.expired, 0);
    } else {
      assert.ok(decided.reason instanceof RequestClosedError);
      assert.equal(stored?.state, 'Expired');
      assert.equal(w.graph.createTap.callCount, 0);
    }
    assert.ok(w.graph.createTap.callCount <= 1);
  });

  it('two sweeps at once expire each request once', async () => {
    const w = makeWorld();
    const a = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const b = await w.flow.startRequest(actor('adele'), ask(USERS.lasse.upn));
    w.advanceMinutes(31);
    const [one, two] = await Promise.all([w.flow.sweep(), w.restart().sweep()]);
    assert.equal(one.expired + two.expired, 2);
    assert.deepEqual(w.audit.events.filter((e) => e.action === 'request.expired').map((e) => e.requestId).sort(), [a.id, b.id].sort());
  });

  it('hides the code of passes whose lifetime has passed', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const issued = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(issued.issued?.expiresDateTime, '2030-01-01T09:00:00.000Z');

    w.advanceMinutes(59);
    assert.deepEqual(await w.flow.sweep(), { expired: 0, codesHidden: 0 });
    assert.equal(w.notifier.hidePass.callCount, 0);

    w.advanceMinutes(1);
    assert.deepEqual(await w.restart().sweep(), { expired: 0, codesHidden: 1 });
    assert.equal(w.notifier.hidePass.callCount, 1);
    assert.equal(w.notifier.hidePass.firstCall.args[0].id, request.id);
    assert.equal((await w.stored(request.id))?.delivery?.codeHiddenAt, '2030-01-01T09:00:00.000Z');
    const hidden = w.audit.events.at(-1)!;
    assert.equal(hidden.action, 'tap.codeHidden');
    assert.equal(hidden.actorId, 'system');

    assert.deepEqual(await w.flow.sweep(), { expired: 0, codesHidden: 0 });
    assert.equal(w.notifier.hidePass.callCount, 1);
  });

  it('a pass already handed over is not hidden again at expiry', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await w.flow.decide(actor('nestor'), request.id, APPROVE);
    await w.flow.markHandedOver(actor('adele'), request.id);
    w.advanceMinutes(120);
    assert.deepEqual(await w.flow.sweep(), { expired: 0, codesHidden: 0 });
    assert.equal(w.notifier.hidePass.callCount, 1);
  });

  it('one broken record does not stop the sweep for the others', async () => {
    const w = makeWorld();
    const broken = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const fine = await w.flow.startRequest(actor('adele'), ask(USERS.lasse.upn));
    const read = w.storage.read.bind(w.storage);
    let failures = 0;
    sinon.stub(w.storage, 'read').callsFake(async (keys: string[]) => {
      if (keys.includes(`request/${broken.id}`) && failures++ === 0) throw new Error('disk error');
      return read(keys);
    });
    w.advanceMinutes(31);
    assert.deepEqual(await w.flow.sweep(), { expired: 1, codesHidden: 0 });
    assert.equal((await w.stored(fine.id))?.state, 'Expired');
    assert.equal((await w.stored(broken.id))?.state, 'PendingApproval');
    // The next run picks it up again.
    assert.deepEqual(await w.flow.sweep(), { expired: 1, codesHidden: 0 });
    assert.equal((await w.stored(broken.id))?.state, 'Expired');
  });
});
