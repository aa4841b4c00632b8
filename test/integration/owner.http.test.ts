/**
 * The account owner over HTTP: Megan gets the notice in her own Teams chat and, with a
 * sender mailbox configured, a mail at her alternate address; "This wasn't me" from either
 * stops the pass in the sandbox tenant and tells security. The guide page is served.
 */
import assert from 'node:assert/strict';
import { USERS } from '../../sandbox/ids';
import { cardsOf, executeActions, invokeCard, requestIdIn, sentTo, textOf, startHarness, type Harness, type PersonKey } from '../support/httpHarness';

const FORM = { reason: 'Lost phone', scenario: 'recovery' };

describe('the account owner is told, and can stop a pass (server + sandbox tenant + SQLite)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ LIMIT_PASSES_PER_TARGET_PER_DAY: '100', RISK_RECENT_PASS_DAYS: '0', OWNER_NOTICE_MAIL_FROM: 'joni@contoso.com' });
    for (const p of ['adele', 'nestor', 'lee', 'megan', 'joni'] as PersonKey[]) await h.client(p).install();
  });
  after(async () => {
    await h?.stop();
  });

  async function issued(): Promise<string> {
    const r = await h.client('adele').click('tap.submit', { target: USERS.megan.upn, ...FORM });
    const requestId = requestIdIn(invokeCard(r.body));
    await h.client('nestor').click('tap.approve', { requestId, attestation: 'videoCall' });
    // After a dispute, Megan's next request is elevated risk ("reported before"): Joni approves too.
    if ((await h.app.flow.getRequest(requestId))?.state === 'PendingApproval') await h.client('joni').click('tap.approve', { requestId, attestation: 'videoCall' });
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'Issued');
    return requestId;
  }

  it('Megan gets the notice in Teams with "This wasn\'t me", and pressing it deletes the pass and tells security', async () => {
    const meganBefore = sentTo(h, 'megan').length;
    const leeBefore = sentTo(h, 'lee').length;
    const requestId = await issued();
    const notice = sentTo(h, 'megan').slice(meganBefore).flatMap((s) => cardsOf(s.activity)).find((c) => /was issued for your account/.test(textOf(c)));
    assert.ok(notice, 'the owner is told in Teams');
    assert.match(textOf(notice), /Adele Vance \(helpdesk\)/);
    assert.ok(executeActions(notice).some((a) => a.verb === 'tap.notMe'));
    assert.equal(h.sandbox.state.tapsOf(USERS.megan.id).length, 1);

    const r = await h.client('megan').click('tap.notMe', { requestId });
    assert.equal(r.status, 200);
    assert.match(textOf(invokeCard(r.body)), /the pass was stopped/);
    assert.equal(h.sandbox.state.tapsOf(USERS.megan.id).length, 0, 'the pass is gone from the tenant');
    assert.ok(sentTo(h, 'lee').slice(leeBefore).some((s) => /Suspicious TAP request/.test(textOf(s.activity))), 'security is told');
    assert.ok(sentTo(h, 'adele').some((s) => /Megan Bowen revoked the Temporary Access Pass/.test(textOf(s.activity))), 'the agent is told');
  });

  it('the mail goes to her alternate address without the code, and its link works once: GET asks, POST stops', async () => {
    const mailBefore = h.sandbox.state.sentMail().length;
    await issued();
    const mail = h.sandbox.state.sentMail().slice(mailBefore)[0];
    assert.ok(mail, 'a mail was sent');
    const text = JSON.stringify(mail);
    assert.match(text, /megan\.bowen@outlook\.com/);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/dispute\/[A-Za-z0-9_-]+)/.exec(text)?.[1];
    assert.ok(link, text);

    const asked = await fetch(link);
    assert.equal(asked.status, 200);
    assert.match(await asked.text(), /This wasn't me: stop the pass/);
    assert.equal(h.sandbox.state.tapsOf(USERS.megan.id).length, 1, 'opening the link (a mail scanner does) stops nothing');

    const stopped = await fetch(link, { method: 'POST' });
    assert.equal(stopped.status, 200);
    assert.match(await stopped.text(), /the pass is stopped/);
    assert.equal(h.sandbox.state.tapsOf(USERS.megan.id).length, 0);
    const again = await fetch(link, { method: 'POST' });
    assert.equal(again.status, 409);
    const forged = await fetch(link.replace(/[A-Za-z0-9_-]{8}$/, 'AAAAAAAA'), { method: 'POST' });
    assert.equal(forged.status, 404);
  });

  it('serves the code-free guide page in Danish and English', async () => {
    const base = h.app.server.url;
    const da = await fetch(`${base}/guide/recovery/da`);
    assert.equal(da.status, 200);
    assert.match(da.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.match(await da.text(), /lang="da/);
    assert.equal((await fetch(`${base}/guide/nothing-like-this`)).status, 404);
  });
});
