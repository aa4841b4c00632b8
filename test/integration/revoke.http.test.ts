/**
 * Revoke and report over HTTP: the pass disappears from the sandbox tenant, the other
 * party and the security contacts are told.
 */
import assert from 'node:assert/strict';
import { USERS } from '../../sandbox/ids';
import { cardsOf, invokeCard, requestIdIn, sentTo, textOf, startHarness, type Harness, type PersonKey } from '../support/httpHarness';

const FORM = { reason: 'Lost phone', scenario: 'recovery' };

describe('revoking a pass and reporting a request (server + sandbox tenant + SQLite)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    // Lasse registered Authenticator hours ago (the four-eyes example): not what these tests are about.
    h = await startHarness({ LIMIT_PASSES_PER_TARGET_PER_DAY: '100', RISK_RECENT_PASS_DAYS: '0', RISK_METHOD_REGISTERED_HOURS: '0' });
    for (const p of ['adele', 'nestor', 'lee'] as PersonKey[]) await h.client(p).install();
  });
  after(async () => {
    await h?.stop();
  });

  async function issued(who: 'megan' | 'miriam' = 'megan'): Promise<string> {
    const r = await h.client('adele').click('tap.submit', { target: USERS[who].upn, ...FORM });
    const requestId = requestIdIn(invokeCard(r.body));
    await h.client('nestor').click('tap.approve', { requestId, attestation: 'videoCall' });
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'Issued');
    assert.equal(h.sandbox.state.tapsOf(USERS[who].id).length, 1);
    return requestId;
  }

  it('"revoke <id>" by the agent deletes the pass in the tenant and tells the approver', async () => {
    const requestId = await issued();
    const nestorBefore = sentTo(h, 'nestor').length;
    await h.client('adele').say(`revoke ${requestId}`);
    assert.equal(h.sandbox.state.tapsOf(USERS.megan.id).length, 0, 'the pass is gone from Entra ID');
    assert.ok(sentTo(h, 'adele').some((s) => /no longer works/.test(textOf(s.activity))));
    const toNestor = sentTo(h, 'nestor').slice(nestorBefore).flatMap((s) => cardsOf(s.activity));
    assert.ok(toNestor.some((c) => /Adele Vance revoked the Temporary Access Pass of Megan Bowen/.test(textOf(c))), 'the approver is told');
    assert.ok((await h.app.flow.getRequest(requestId))?.revocation);
  });

  it('someone not party to the request cannot revoke it', async () => {
    // Runs before any report: a request for someone once reported needs four eyes (tested elsewhere).
    const requestId = await issued('megan');
    await h.client('lee').say(`revoke ${requestId}`);
    assert.equal(h.sandbox.state.tapsOf(USERS.megan.id).length, 1);
    assert.ok(sentTo(h, 'lee').some((s) => /is not yours/.test(textOf(s.activity))));
  });

  it('the approver reporting a pending request stops it, and the security contacts are told', async () => {
    const r = await h.client('adele').click('tap.submit', { target: USERS.megan.upn, ...FORM });
    const requestId = requestIdIn(invokeCard(r.body));
    const leeBefore = sentTo(h, 'lee').length;
    const reported = await h.client('nestor').click('tap.report', { requestId, suspicionReason: 'Megan is on leave; I never got a call' });
    assert.equal(reported.status, 200);
    const stored = await h.app.flow.getRequest(requestId);
    assert.equal(stored?.state, 'Cancelled');
    assert.equal(stored?.suspicious?.by.id, USERS.nestor.id);
    const toLee = sentTo(h, 'lee').slice(leeBefore).flatMap((s) => cardsOf(s.activity));
    assert.ok(toLee.some((c) => /Suspicious TAP request/.test(textOf(c)) && /Megan is on leave/.test(textOf(c))), 'security is told');
    const late = await h.client('nestor').click('tap.approve', { requestId, attestation: 'videoCall' });
    assert.equal(late.status, 200);
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'Cancelled', 'a reported request cannot be approved');
  });

  it('a report without a reason is refused with a sentence, and changes nothing', async () => {
    const r = await h.client('adele').click('tap.submit', { target: USERS.lasse.upn, ...FORM });
    const requestId = requestIdIn(invokeCard(r.body));
    const reported = await h.client('nestor').click('tap.report', { requestId });
    assert.ok(reported.status < 500);
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'PendingApproval');
    assert.ok(sentTo(h, 'nestor').some((s) => /what makes this request suspicious/.test(textOf(s.activity))) || /what makes this request suspicious/.test(textOf(reported.body)));
    await h.client('adele').click('tap.cancel', { requestId });
  });

});
