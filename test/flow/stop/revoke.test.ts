/**
 * Revoking a pass and reporting a suspicious request.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { FlowError, GraphError } from '../../../src/errors';
import { actor, APPROVE, ask, refusedWith, makeWorld, quietLogs, USERS, type World } from '../../support/flowWorld';

async function issued(w: World, target: string = USERS.megan.upn) {
  const request = await w.flow.startRequest(actor('adele'), ask(target));
  return w.flow.decide(actor('nestor'), request.id, APPROVE);
}


describe('revoking a pass', () => {
  quietLogs();

  for (const who of ['adele', 'nestor'] as const) {
    it(`${who === 'adele' ? 'the agent who asked' : 'the approver'} can revoke an issued pass: it is deleted in Entra ID, its code hidden, audited, and the cards updated`, async () => {
      const w = makeWorld();
      const pass = await issued(w);
      assert.equal(w.graph.directory.taps[USERS.megan.id]?.length, 1);
      const revoked = await w.flow.revoke(actor(who), pass.id);
      assert.equal(revoked.state, 'Issued');
      assert.equal(revoked.revocation?.by.id, USERS[who].id);
      assert.ok(revoked.delivery?.codeHiddenAt, 'the code leaves the card');
      assert.equal(w.graph.directory.taps[USERS.megan.id]?.length, 0, 'the pass is gone in Entra ID');
      assert.ok(w.graph.deleteTap.calledWith(USERS.megan.id, pass.issued!.methodId));
      assert.equal(w.notifier.hidePass.callCount, 1);
      assert.equal(w.notifier.requestUpdated.lastCall.args[0].revocation?.by.id, USERS[who].id);
      assert.equal(w.audit.events.at(-1)?.action, 'tap.revoked');
    });
  }

  it('revoking twice changes nothing the second time', async () => {
    const w = makeWorld();
    const pass = await issued(w);
    await w.flow.revoke(actor('adele'), pass.id);
    await w.flow.revoke(actor('adele'), pass.id);
    assert.equal(w.graph.deleteTap.callCount, 1);
  });

  it('someone who is not party to the request cannot revoke it, and is told nothing about it', async () => {
    const w = makeWorld();
    const pass = await issued(w);
    for (const who of ['alex', 'lee', 'megan'] as const) {
      await assert.rejects(w.flow.revoke(actor(who), pass.id), (e: unknown) => {
        assert.ok(e instanceof FlowError && e.code === 'notParty');
        assert.doesNotMatch(e.userMessage, /Megan|Adele|Nestor/);
        return true;
      });
    }
    assert.equal(w.graph.deleteTap.callCount, 0);
  });

  it('a request without a pass cannot be revoked', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await assert.rejects(w.flow.revoke(actor('adele'), request.id), refusedWith('notRevocable', /has no pass to revoke/));
  });

  it('when Graph cannot delete the pass, nothing is recorded and the person is told it is still valid', async () => {
    const w = makeWorld();
    const pass = await issued(w);
    w.graph.faults.deleteTap = new GraphError({ code: 'unavailable', status: 503, userMessage: 'Microsoft Graph is not answering right now.' });
    await assert.rejects(w.flow.revoke(actor('adele'), pass.id), refusedWith('notRevocable', /could not be revoked.*may still work until it expires/));
    assert.equal((await w.stored(pass.id))?.revocation, undefined);
  });
});

describe('reporting a suspicious request', () => {
  quietLogs();

  it('a report needs a reason', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await assert.rejects(w.flow.reportSuspicious(actor('nestor'), request.id, '  '), refusedWith('invalidInput', /what makes this request suspicious/));
  });

  it('someone with no part in the request is told only that, whatever reason they give (or none)', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await assert.rejects(w.flow.reportSuspicious(actor('grady'), request.id, ''), refusedWith('notParty'));
  });

  it('a pending request reported by the approver is stopped, flagged, audited and the security contacts are told', async () => {
    const w = makeWorld();
    const tell = sinon.fake(async () => undefined);
    w.notifier.reportSuspicious = tell;
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const reported = await w.flow.reportSuspicious(actor('nestor'), request.id, 'Megan is on holiday; the caller did not know her team');
    assert.equal(reported.state, 'Cancelled');
    assert.equal(reported.suspicious?.by.id, USERS.nestor.id);
    const event = w.audit.events.find((e) => e.action === 'request.reported');
    assert.equal(event?.details?.['suspicious'], true);
    assert.equal(tell.callCount, 1);
    await assert.rejects(w.flow.decide(actor('nestor'), request.id, APPROVE));
    assert.equal(w.graph.createTap.callCount, 0);
  });

  it('an issued pass reported as suspicious is revoked', async () => {
    const w = makeWorld();
    const pass = await issued(w);
    const reported = await w.flow.reportSuspicious(actor('adele'), pass.id, 'The caller hung up when asked for the ticket');
    assert.ok(reported.revocation);
    assert.match(reported.revocation.reason ?? '', /Reported as suspicious/);
    assert.equal(w.graph.directory.taps[USERS.megan.id]?.length, 0);
  });

  it('a pass reported while it was being created is deleted as soon as it exists, never delivered', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const realCreate = w.graph.createTap.bind(w.graph);
    (w.graph as { createTap: unknown }).createTap = async (...args: Parameters<typeof realCreate>) => {
      await w.flow.reportSuspicious(actor('adele'), request.id, 'Second thoughts: the voice did not match');
      return realCreate(...args);
    };
    const decided = await w.flow.decide(actor('nestor'), request.id, APPROVE);
    assert.equal(decided.state, 'Failed');
    assert.equal(decided.failure?.code, 'reportedSuspicious');
    assert.equal(w.notifier.deliverPass.callCount, 0);
    assert.equal(w.graph.directory.taps[USERS.megan.id]?.length, 0);
  });
});

describe('what waits for an approver', () => {
  quietLogs();

  it('lists the requests waiting for this approver, oldest deadline first, and nothing decided or expired', async () => {
    const w = makeWorld();
    const megan = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    w.advanceMinutes(5);
    const lasse = await w.flow.startRequest(actor('alex'), ask(USERS.lasse.upn));
    const lidia = await w.flow.startRequest(actor('alex'), ask(USERS.lidia.upn));
    await w.flow.decide(actor('nestor'), lidia.id, { action: 'deny' });
    await w.flow.startRequest(actor('adele'), ask(USERS.patti.upn)); // for the fallback group
    assert.deepEqual((await w.flow.pending(actor('nestor'))).map((r) => r.id), [megan.id, lasse.id]);
    assert.deepEqual((await w.flow.pending(actor('joni'))).map((r) => r.target.id), [USERS.patti.id]);
    assert.deepEqual(await w.flow.pending(actor('adele')), []);
    w.advanceMinutes(26);
    assert.deepEqual((await w.flow.pending(actor('nestor'))).map((r) => r.id), [lasse.id]);
  });
});
