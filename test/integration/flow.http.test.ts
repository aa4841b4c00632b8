/**
 * The product over HTTP, as Teams would drive it: real server, real Graph client against
 * the sandbox tenant, real SQLite, and a stand-in Bot Connector that shows what each
 * person would see.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { USERS } from '../../sandbox/ids';
import {
  startHarness, cardsOf, invokeCard, sentTo, textOf, executeActions, requestIdIn, codeIn,
  type Harness, type PersonKey,
} from '../support/httpHarness';

const FORM = { reason: 'Lost phone; verified on a video call', ticket: 'INC-4711', scenario: 'recovery', lifetimeInMinutes: '60', isUsableOnce: 'true' };

describe('the TAP flow over HTTP (server + sandbox tenant + Bot Connector stand-in)', function () {
  this.timeout(60_000);
  let h: Harness;

  before(async () => {
    // Many passes for Megan in one suite: the daily per-person limit has its own tests.
    h = await startHarness({ LIMIT_PASSES_PER_TARGET_PER_DAY: '100', RISK_RECENT_PASS_DAYS: '0' });
    for (const p of ['adele', 'alex', 'nestor', 'lee', 'joni', 'megan'] as PersonKey[]) {
      const r = await h.client(p).install();
      assert.ok(r.status < 300, `install for ${p} answered ${r.status}`);
    }
  });
  after(async () => {
    await h?.stop();
  });
  afterEach(() => {
    h.sandbox.state.setTapPolicy({ state: 'enabled' });
  });

  async function submit(agent: PersonKey, target: string, extra: Record<string, string> = {}) {
    const r = await h.client(agent).click('tap.submit', { target, ...FORM, ...extra });
    assert.equal(r.status, 200, textOf(r.body));
    return invokeCard(r.body);
  }

  /** Submit and return the request id and the approval card the approver received. */
  async function pendingRequest(agent: PersonKey, target: string, approver: PersonKey) {
    const before = sentTo(h, approver).length;
    const status = await submit(agent, target);
    assert.match(textOf(status), /[Ww]aiting for/, `status card: ${textOf(status).slice(0, 400)}`);
    const requestId = requestIdIn(status);
    const fresh = sentTo(h, approver).slice(before).flatMap((r) => cardsOf(r.activity));
    const approval = fresh.find((c) => textOf(c).includes(requestId));
    assert.ok(approval, `${approver} received no approval card for ${requestId}`);
    return { requestId, status, approval };
  }

  async function approve(approver: PersonKey, requestId: string, attestation = 'videoCall') {
    return h.client(approver).click('tap.approve', { requestId, attestation, attestationNote: 'Saw her on Teams video' });
  }

  async function cancel(requestId: string, agent: PersonKey = 'adele') {
    const r = await h.client(agent).click('tap.cancel', { requestId });
    assert.equal(r.status, 200);
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'Cancelled');
  }

  function tapsCreatedFor(userId: string): number {
    return h.sandbox.requests.filter((r) => r.method === 'POST' && r.url.includes(`/users/${userId}/authentication/temporaryAccessPassMethods`)).length
      + h.sandbox.requests.flatMap((r) => r.batchItems ?? []).filter((u) => u.startsWith('POST') && u.includes(userId)).length;
  }

  it('happy path: agent asks, manager attests and approves, agent gets the pass, the link and the guide; handing over removes the code', async () => {
    const chat = await h.client('adele').say('tap megan@contoso.com');
    assert.ok(chat.status < 300);
    const form = sentTo(h, 'adele').flatMap((r) => cardsOf(r.activity)).at(-1);
    assert.ok(form && textOf(form).includes('megan@contoso.com'), 'the form is prefilled with the target');

    const { requestId, approval } = await pendingRequest('adele', 'megan@contoso.com', 'nestor');
    for (const fact of ['Megan Bowen', 'megan@contoso.com', 'Adele Vance', 'INC-4711']) {
      assert.ok(textOf(approval).includes(fact), `approval card shows ${fact}`);
    }
    assert.deepEqual(executeActions(approval).map((a) => a.verb).filter((v) => v !== 'tap.refresh').sort(), ['tap.approve', 'tap.deny', 'tap.report']);

    const adeleBefore = sentTo(h, 'adele').length;
    const decided = await approve('nestor', requestId);
    assert.equal(decided.status, 200);
    const managerView = invokeCard(decided.body);
    assert.ok(!executeActions(managerView).some((a) => a.verb === 'tap.approve'), 'the decided card is read-only');

    const delivered = sentTo(h, 'adele').slice(adeleBefore).flatMap((r) => cardsOf(r.activity));
    const delivery = delivered.find((c) => codeIn(c));
    assert.ok(delivery, 'the agent received the delivery card with the code');
    const code = codeIn(delivery)!;
    assert.match(code, /^\S{8,48}$/);
    assert.ok(textOf(delivery).includes('https://aka.ms/mysecurityinfo'));
    const guide = delivered.find((c) => /Authenticator/.test(textOf(c)) && /passkey/i.test(textOf(c)));
    assert.ok(guide, 'the user guide card follows');
    assert.equal(h.sandbox.state.tapsOf(USERS.megan.id).length, 1);

    const handed = await h.client('adele').click('tap.handedOver', { requestId });
    assert.equal(handed.status, 200);
    const after = invokeCard(handed.body);
    assert.ok(!textOf(after).includes(code), 'the code is gone from the card');
    assert.ok(!textOf(sentTo(h, 'adele').filter((r) => r.kind === 'update').at(-1)?.activity ?? {}).includes(code));

    // The secret is nowhere but the delivery card: not in the database, not in any log line.
    assert.ok(!readFileSync(h.sqlitePath).includes(code), 'the code is not in the SQLite file');
    for (const suffix of ['-wal', '-shm']) {
      try {
        assert.ok(!readFileSync(h.sqlitePath + suffix).includes(code), `the code is not in the SQLite ${suffix} file`);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    assert.ok(!h.logLines.some((l) => l.includes(code)), 'the code is in no log line');
  });

  it('replacing an existing TAP: the approval card warns, and the user ends with exactly one new pass', async () => {
    const old = h.sandbox.state.tapsOf(USERS.lidia.id);
    assert.equal(old.length, 1);
    const { requestId, approval } = await pendingRequest('adele', 'lidia@contoso.com', 'nestor');
    assert.match(textOf(approval), /already has a Temporary Access Pass/i);
    assert.equal((await approve('nestor', requestId)).status, 200);
    // Identity Protection rates Lidia high risk in the sandbox: four eyes, Joni approves too.
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'PendingApproval', 'one approval is not enough for a high-risk user');
    assert.equal((await approve('joni', requestId)).status, 200);
    const now = h.sandbox.state.tapsOf(USERS.lidia.id);
    assert.equal(now.length, 1);
    assert.notEqual(now[0]!.id, old[0]!.id);
  });

  it('denial: no pass is created and the agent is told, with the reason', async () => {
    const { requestId } = await pendingRequest('adele', 'megan@contoso.com', 'nestor');
    const taps = tapsCreatedFor(USERS.megan.id);
    const before = sentTo(h, 'adele').length;
    const r = await h.client('nestor').click('tap.deny', { requestId, denyReason: 'I could not reach her' });
    assert.equal(r.status, 200);
    assert.match(textOf(invokeCard(r.body)), /[Dd]enied/);
    assert.equal(tapsCreatedFor(USERS.megan.id), taps);
    const told = textOf(sentTo(h, 'adele').slice(before).map((x) => x.activity));
    assert.match(told, /[Dd]enied/);
    assert.match(told, /I could not reach her/);
  });

  it('expiry: an unanswered request expires, the agent is told, and a late approval issues nothing', async () => {
    const { requestId } = await pendingRequest('adele', 'megan@contoso.com', 'nestor');
    const before = sentTo(h, 'adele').length;
    const taps = tapsCreatedFor(USERS.megan.id);
    h.clock.advanceMinutes(31);
    await h.app.flow.sweep();
    assert.match(textOf(sentTo(h, 'adele').slice(before).map((x) => x.activity)), /[Ee]xpired/);
    const late = await approve('nestor', requestId);
    assert.match(textOf(invokeCard(late.body)), /[Ee]xpired/);
    assert.equal(tapsCreatedFor(USERS.megan.id), taps);
  });

  it('a restart while pending loses nothing: the manager approves after the bot came back', async () => {
    const { requestId } = await pendingRequest('adele', 'megan@contoso.com', 'nestor');
    await h.restart();
    const r = await approve('nestor', requestId);
    assert.equal(r.status, 200);
    const req = await h.app.flow.getRequest(requestId);
    assert.equal(req?.state, 'Issued');
  });

  it('a request that expired while the bot was down is expired at start-up and the agent is told', async () => {
    const { requestId } = await pendingRequest('adele', 'megan@contoso.com', 'nestor');
    await h.app.stop();
    h.clock.advanceMinutes(45);
    const before = sentTo(h, 'adele').length;
    await h.restart();
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'Expired');
    assert.match(textOf(sentTo(h, 'adele').slice(before).map((x) => x.activity)), /[Ee]xpired/);
  });

  describe('refusals, before anyone is bothered', () => {
    const cases: Array<{ title: string; agent: PersonKey; target: string; expect: RegExp; extra?: Record<string, string>; setup?: () => void }> = [
      { title: 'someone outside the helpdesk group', agent: 'megan', target: 'lasse@contoso.com', expect: /helpdesk group/i },
      { title: 'an agent asking for themselves', agent: 'adele', target: 'adele@contoso.com', expect: /yourself|your own/i },
      { title: 'a Global Administrator', agent: 'adele', target: 'isaiah@contoso.com', expect: /administrator role/i },
      { title: 'an Authentication Administrator', agent: 'adele', target: 'johanna@contoso.com', expect: /administrator role/i },
      { title: 'a protected-group member', agent: 'adele', target: 'grady@contoso.com', expect: /protected/i },
      { title: 'an external guest', agent: 'adele', target: 'pradeep_fabrikam.com#EXT#@contoso.com', expect: /guest/i },
      { title: 'an unknown user', agent: 'adele', target: 'nobody@contoso.com', expect: /nobody@contoso\.com/ },
      { title: 'a lifetime outside the policy', agent: 'adele', target: 'megan@contoso.com', expect: /60.*480/, extra: { lifetimeInMinutes: '600' } },
      { title: 'TAP disabled by policy', agent: 'adele', target: 'megan@contoso.com', expect: /turned off|disabled/i, setup: () => h.sandbox.state.setTapPolicy({ state: 'disabled' }) },
    ];
    for (const c of cases) {
      it(`refuses ${c.title} with a clear reason and asks no one`, async () => {
        c.setup?.();
        const managersBefore = ['nestor', 'lee', 'joni'].map((p) => sentTo(h, p as PersonKey).length);
        const r = await h.client(c.agent).click('tap.submit', { target: c.target, ...FORM, ...(c.extra ?? {}) });
        assert.ok(r.status === 200 || r.status === 403, `status ${r.status}`);
        const shown = textOf(r.body) + textOf(sentTo(h, c.agent).slice(-2).map((x) => x.activity));
        assert.match(shown, c.expect);
        assert.deepEqual(['nestor', 'lee', 'joni'].map((p) => sentTo(h, p as PersonKey).length), managersBefore, 'no approver was contacted');
      });
    }

    it('a person outside the helpdesk group who types "tap" gets a polite refusal', async () => {
      const before = sentTo(h, 'megan').length;
      await h.client('megan').say('tap lasse@contoso.com');
      assert.match(textOf(sentTo(h, 'megan').slice(before).map((x) => x.activity)), /helpdesk group/i);
    });
  });

  it('no manager: the fallback approver group decides', async () => {
    const { requestId } = await pendingRequest('adele', 'patti@contoso.com', 'joni');
    assert.equal((await approve('joni', requestId)).status, 200);
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'Issued');
  });

  it('the manager is the requesting agent: the skip-level manager decides, and the agent cannot', async () => {
    const { requestId } = await pendingRequest('adele', 'diego@contoso.com', 'lee');
    await approve('adele', requestId);
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'PendingApproval', 'the agent could not approve their own request');
    assert.equal((await approve('lee', requestId)).status, 200);
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'Issued');
  });

  it('a click by someone other than the approver changes nothing, whatever the card data claims', async () => {
    const { requestId } = await pendingRequest('adele', 'megan@contoso.com', 'nestor');
    const r = await h.client('alex').click('tap.approve', { requestId, attestation: 'inPerson', approverId: USERS.nestor.id });
    assert.ok(r.status === 200 || r.status === 403);
    assert.match(textOf(r.body), /not yours to decide/i);
    assert.doesNotMatch(textOf(r.body), /Nestor|Megan|megan@/, 'nothing about the request for someone who is not party to it');
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'PendingApproval');
    await cancel(requestId);
  });

  it('a second request for someone with an open one is refused, naming the open request', async () => {
    const { requestId } = await pendingRequest('adele', 'megan@contoso.com', 'nestor');
    const before = sentTo(h, 'nestor').length;
    const second = await h.client('alex').click('tap.submit', { target: 'megan@contoso.com', ...FORM });
    assert.match(textOf(second.body), new RegExp(`already an open request ${requestId}`));
    assert.equal(sentTo(h, 'nestor').length, before, 'the manager is not asked twice');
    await cancel(requestId);
    const third = await submit('alex', 'megan@contoso.com');
    await cancel(requestIdIn(third), 'alex');
  });

  it('a double click issues exactly one pass; the second click gets the read-only card', async () => {
    const { requestId } = await pendingRequest('adele', 'megan@contoso.com', 'nestor');
    const before = tapsCreatedFor(USERS.megan.id);
    const [a, b] = await Promise.all([approve('nestor', requestId), approve('nestor', requestId)]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(tapsCreatedFor(USERS.megan.id) - before, 1);
    for (const r of [a, b]) assert.ok(!executeActions(invokeCard(r.body)).some((x) => x.verb === 'tap.approve'));
  });

  it('activities from another tenant are refused before the bot sees them', async () => {
    const stranger = h.client('adele').withTenant('0badc0de-0000-4000-8000-000000000000');
    const before = h.connector.log.length;
    const r = await stranger.click('tap.submit', { target: 'megan@contoso.com', ...FORM });
    assert.equal(r.status, 403);
    await stranger.say('tap megan@contoso.com');
    assert.equal(h.connector.log.length, before, 'the bot said nothing to the other tenant');
  });

  it('the approver must be a real approver: the requester cannot approve by replaying the card', async () => {
    const { requestId } = await pendingRequest('adele', 'megan@contoso.com', 'nestor');
    await approve('adele', requestId);
    assert.equal((await h.app.flow.getRequest(requestId))?.state, 'PendingApproval');
    await cancel(requestId);
  });

  it('GET /health reports storage and Graph reachable', async () => {
    const res = await fetch(`${h.app.server.url}/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { checks: Record<string, { ok: boolean }> };
    assert.equal(body.checks.storage?.ok, true);
    assert.equal(body.checks.graph?.ok, true);
  });
});
