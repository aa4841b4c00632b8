/**
 * Finding the person the agent means, over HTTP with the sandbox tenant: by sign-in
 * name, by another mail on file, and a "did you mean" for a near miss.
 */
import assert from 'node:assert/strict';
import { USERS } from '../../sandbox/ids';
import { invokeCard, requestIdIn, textOf, startHarness, type Harness } from '../support/httpHarness';

const FORM = { reason: 'Lost phone', scenario: 'recovery' };

describe('finding the target by the address the agent knows (server + sandbox tenant)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.client('nestor').install();
  });
  after(async () => {
    await h?.stop();
  });

  it('a request by one of the user\'s other mails finds the user, and stores the id Graph returned', async () => {
    const r = await h.client('adele').click('tap.submit', { target: 'Megan.Bowen@outlook.com', ...FORM });
    const card = invokeCard(r.body);
    assert.match(textOf(card), /[Ww]aiting for/, textOf(card).slice(0, 500));
    const stored = await h.app.flow.getRequest(requestIdIn(card));
    assert.equal(stored?.target.id, USERS.megan.id);
    assert.equal(stored?.target.userPrincipalName, USERS.megan.upn);
    await h.client('adele').click('tap.cancel', { requestId: stored!.id });
  });

  it('a near miss is refused with a "did you mean" naming the person', async () => {
    const r = await h.client('adele').click('tap.submit', { target: 'meg@contoso.com', ...FORM });
    assert.match(textOf(invokeCard(r.body)), /No user meg@contoso\.com in the directory: check the spelling\. Did you mean Megan Bowen \(megan@contoso\.com\)\?/);
  });

  it('an address nobody has is refused without a guess', async () => {
    const r = await h.client('adele').click('tap.submit', { target: 'zz@contoso.com', ...FORM });
    const text = textOf(invokeCard(r.body));
    assert.match(text, /No user zz@contoso\.com in the directory/);
    assert.doesNotMatch(text, /Did you mean/);
  });

  it("an apostrophe in the typed address cannot break out of Graph's filter", async () => {
    const r = await h.client('adele').click('tap.submit', { target: "x' or startswith(displayName,'M@contoso.com", ...FORM });
    assert.ok(r.status < 500);
    assert.doesNotMatch(textOf(invokeCard(r.body)), /[Ww]aiting for/);
  });
});
