/**
 * The "This wasn't me" link over HTTP, as an outsider finds it (server + sandbox tenant +
 * SQLite): its token reaches no log line and no answer whatever is sent to it, and ten
 * presses at the same moment stop the pass once.
 */
import assert from 'node:assert/strict';
import { USERS } from '../../sandbox/ids';
import { captureOutput, probeEverything } from '../support/secretProbe';
import { invokeCard, requestIdIn, sentTo, startHarness, textOf, type Harness, type PersonKey } from '../support/httpHarness';

const FORM = { reason: 'Lost phone', scenario: 'recovery' };

describe('the dispute link over HTTP (server + sandbox tenant + SQLite)', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ LIMIT_PASSES_PER_TARGET_PER_DAY: '100', RISK_RECENT_PASS_DAYS: '0', OWNER_NOTICE_MAIL_FROM: 'joni@contoso.com' });
    for (const p of ['adele', 'nestor', 'lee', 'megan', 'joni'] as PersonKey[]) await h.client(p).install();
  });
  after(async () => {
    await h?.stop();
  });

  /** A pass for Megan, and the dispute link of the mail that told her. */
  async function issuedWithLink(): Promise<{ requestId: string; path: string; token: string }> {
    const mailBefore = h.sandbox.state.sentMail().length;
    const r = await h.client('adele').click('tap.submit', { target: USERS.megan.upn, ...FORM });
    const requestId = requestIdIn(invokeCard(r.body));
    await h.client('nestor').click('tap.approve', { requestId, attestation: 'videoCall' });
    // After a dispute, Megan's next request is elevated risk ("reported before"): Joni approves too.
    if ((await h.app.flow.getRequest(requestId))?.state === 'PendingApproval') await h.client('joni').click('tap.approve', { requestId, attestation: 'videoCall' });
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'Issued');
    const mail = JSON.stringify(h.sandbox.state.sentMail().slice(mailBefore));
    const path = /http:\/\/127\.0\.0\.1:\d+(\/dispute\/([A-Za-z0-9_-]+))/.exec(mail);
    assert.ok(path, mail);
    return { requestId, path: path[1]!, token: path[2]! };
  }

  it("the link's token reaches no log line and no answer, whatever method, path, query, content type or body is sent to it", async () => {
    const { path, token } = await issuedWithLink();
    const logBefore = h.logLines.length;
    const output = captureOutput();
    let answers;
    try {
      answers = await probeEverything(h.app.server.url, path);
    } finally {
      output.stop();
    }
    assert.ok(answers.length > 100, `${answers.length} probes`);
    for (const a of answers) assert.ok(!a.text.includes(token), `${a.method} ${a.path.replace(token, '<token>')} (${a.contentType ?? 'no body'}) echoes the token: ${a.text.replaceAll(token, '<TOKEN>').slice(0, 300)}`);
    const statuses = new Set(answers.map((a) => a.status));
    for (const s of [200, 405, 409, 413, 415]) assert.ok(statuses.has(s), `the probes reached the ${s} road (${[...statuses].join(', ')})`);
    const logged = h.logLines.slice(logBefore).join('\n');
    assert.match(logged, /request rejected/, 'refusals were logged: the test looked where the leak was');
    assert.ok(!logged.includes(token), `a log line holds the token: ${h.logLines.slice(logBefore).filter((l) => l.includes(token))[0]?.replaceAll(token, '<TOKEN>')}`);
    assert.ok(!output.text().includes(token), 'nothing written to stdout or stderr holds the token');
    assert.equal(h.sandbox.state.tapsOf(USERS.megan.id).length, 0, 'one of the POSTs was a real press: the pass is stopped');
  });

  it('ten simultaneous POSTs of one link stop the pass once: one deletion, one alert to security, one audit event', async () => {
    const { requestId, path } = await issuedWithLink();
    h.sandbox.resetRequests();
    const alertsBefore = sentTo(h, 'lee').filter((s) => /Suspicious TAP request/.test(textOf(s.activity))).length;
    const logBefore = h.logLines.length;
    const presses = await Promise.all(Array.from({ length: 10 }, () => fetch(`${h.app.server.url}${path}`, { method: 'POST' })));
    await h.app.flow.whenIdle();
    assert.deepEqual(presses.map((p) => p.status).sort(), [200, ...Array<number>(9).fill(409)]);
    const deletes = h.sandbox.requests.filter((r) => r.method === 'DELETE' && /temporaryAccessPassMethods/.test(r.url));
    assert.equal(deletes.length, 1, 'one DELETE reached the tenant');
    const alerts = sentTo(h, 'lee').filter((s) => /Suspicious TAP request/.test(textOf(s.activity))).length - alertsBefore;
    assert.equal(alerts, 1, 'security is alerted once');
    const disputed = h.logLines.slice(logBefore).filter((l) => /"action":"request\.disputed"/.test(l) && l.includes(requestId));
    assert.equal(disputed.length, 1, 'one request.disputed');
    assert.equal(h.sandbox.state.tapsOf(USERS.megan.id).length, 0);
  });
});
