/**
 * One identity per person, over HTTP: the ids Teams sends are canonicalised at the edge,
 * and anything that is not an Entra object id is refused with a sentence.
 */
import assert from 'node:assert/strict';
import { USERS } from '../../sandbox/ids';
import { TeamsClient } from '../support/fakeConnector';
import { SANDBOX_TENANT_ID } from '../../sandbox/ids';
import { invokeCard, sentTo, textOf, startHarness, type Harness } from '../support/httpHarness';

const FORM = { reason: 'Lost phone', scenario: 'recovery' };

describe('one identity per person at the Teams edge (server + sandbox tenant + SQLite)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.client('nestor').install();
  });
  after(async () => {
    await h?.stop();
  });

  const as = (persona: { id: string; name: string; upn: string }): TeamsClient =>
    new TeamsClient(h.app.messagesUrl, h.connector.serviceUrl, SANDBOX_TENANT_ID, persona);

  it('an agent whose object id arrives in upper case still cannot ask for a pass for themselves', async () => {
    const adele = as({ ...USERS.adele, id: USERS.adele.id.toUpperCase() });
    const r = await adele.click('tap.submit', { target: USERS.adele.upn, ...FORM });
    assert.equal(r.status, 200);
    assert.match(textOf(invokeCard(r.body)), /cannot request a pass for yourself/);
  });

  it('a sender whose aadObjectId is a UPN instead of an object id is told so, and nothing is stored for them', async () => {
    const spoof = as({ ...USERS.adele, id: USERS.adele.upn });
    const r = await spoof.say('tap megan@contoso.com');
    assert.ok(r.status < 500, `answered ${r.status}`);
    const said = h.connector.log.filter((a) => a.conversationId.includes(USERS.adele.upn));
    assert.ok(said.some((a) => /can't tell who you are/.test(textOf(a.activity))), 'a sentence, not silence');
    assert.ok(!said.some((a) => /Request a Temporary Access Pass/.test(textOf(a.activity))), 'no form for an unknown sender');
  });

  it('the approver is recognised in any spelling of their id, and the pass is issued once', async () => {
    const r = await h.client('adele').click('tap.submit', { target: USERS.megan.upn, ...FORM });
    const requestId = /TAP-[A-Z0-9]{6}/.exec(textOf(invokeCard(r.body)))![0];
    const nestor = as({ ...USERS.nestor, id: `{${USERS.nestor.id.toUpperCase()}}` });
    const decided = await nestor.click('tap.approve', { requestId, attestation: 'videoCall' });
    assert.equal(decided.status, 200);
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'Issued');
    assert.ok(sentTo(h, 'adele').length > 0);
  });
});
