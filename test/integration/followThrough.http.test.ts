/**
 * Passkey onboarding end to end: the onboarding group in the sandbox tenant, a passkey
 * registered "by the user" through the sandbox's HTTP hook, the follow-through on the sweep.
 * Needs the issuance hooks (joinOnboarding, watchRegistration) in src/flow/issue/issuance.ts.
 */
import assert from 'node:assert/strict';
import { GROUPS, USERS } from '../../sandbox/ids';
import { request } from '../support/sandboxHttp';
import { invokeCard, requestIdIn, startHarness, type Harness, type PersonKey } from '../support/httpHarness';

describe('registration follow-through and the passkey onboarding group (server + sandbox tenant + SQLite)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({
      ONBOARDING_GROUP_ID: GROUPS.passkeyOnboarding,
      FOLLOW_THROUGH_DELETE_PASS: 'all',
      LIMIT_PASSES_PER_TARGET_PER_DAY: '100',
      RISK_RECENT_PASS_DAYS: '0',
      // Lasse registered Authenticator hours ago (the four-eyes example): not what these tests are about.
      RISK_METHOD_REGISTERED_HOURS: '0',
    });
    for (const p of ['adele', 'nestor'] as PersonKey[]) await h.client(p).install();
  });
  after(async () => {
    await h?.stop();
  });

  it('passkey onboarding joins the group at issuance; a passkey registered, then a sweep, deletes the pass and ends the membership', async () => {
    const r = await h.client('adele').click('tap.submit', { target: USERS.lasse.upn, reason: 'New hire, passkey only', scenario: 'passkeyOnboarding' });
    const requestId = requestIdIn(invokeCard(r.body));
    await h.client('nestor').click('tap.approve', { requestId, attestation: 'videoCall' });
    const issued = await h.app.flow.getRequest(requestId);
    assert.equal(issued?.state, 'Issued');
    assert.equal(h.sandbox.state.tapsOf(USERS.lasse.id).length, 1);
    assert.deepEqual(h.sandbox.state.directMembersOf(GROUPS.passkeyOnboarding), [USERS.lasse.id], 'in the onboarding group while the pass is live');
    assert.equal(issued?.onboarding?.groupId, GROUPS.passkeyOnboarding);

    const registered = await request(h.sandbox, 'POST', `/_sandbox/users/${USERS.lasse.id}/methods`, { body: { type: 'fido2', displayName: 'Passkey in Microsoft Authenticator' } });
    assert.equal(registered.status, 201);
    h.clock.advanceMinutes(3);
    await h.app.flow.sweep();

    assert.equal(h.sandbox.state.tapsOf(USERS.lasse.id).length, 0, 'the pass is deleted');
    assert.deepEqual(h.sandbox.state.directMembersOf(GROUPS.passkeyOnboarding), [], 'the membership ends');
    const done = await h.app.flow.getRequest(requestId);
    assert.equal(done?.registration?.type, 'fido2');
    assert.equal(done?.onboarding?.removedBecause, 'registered');
    assert.ok(done?.followThroughResult?.passDeletedAt);
    assert.ok(h.sandbox.requests.some((q) => q.method === 'DELETE' && q.url === `/v1.0/groups/${GROUPS.passkeyOnboarding}/members/${USERS.lasse.id}/$ref`));
  });
});
