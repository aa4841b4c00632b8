/**
 * The approver's step-up over HTTP, as a browser walks it (server + sandbox tenant + SQLite,
 * MSAL Node against the sandbox's authorize and token endpoints): Approve in Teams gives a card
 * with a sign-in link; the link goes to the sign-in page; the sign-in comes back to the bot,
 * which applies the approval only for a fresh sign-in of the approver with the context.
 */
import assert from 'node:assert/strict';
import { USERS } from '../../sandbox/ids';
import type { SignInTwist } from '../../sandbox/authorize';
import { request as sandboxRequest } from '../support/sandboxHttp';
import { invokeCard, requestIdIn, startHarness, textOf, type Harness, type PersonKey } from '../support/httpHarness';

const FORM = { reason: 'Lost phone', scenario: 'recovery' };

/** The Action.OpenUrl of a card. */
function openUrlOf(card: unknown): string {
  const url = /"type":"Action\.OpenUrl","title":"[^"]*","url":"([^"]+)"/.exec(textOf(card));
  assert.ok(url, `no sign-in link on the card: ${textOf(card).slice(0, 400)}`);
  return url[1]!;
}

interface Page {
  status: number;
  location?: string;
  text: string;
}

async function getBot(url: string): Promise<Page> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, ...(res.headers.get('location') ? { location: res.headers.get('location')! } : {}), text: await res.text() };
}

describe('the step-up sign-in over HTTP (server + sandbox tenant + MSAL Node)', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => {
    // One approver for every target here (no four eyes): the risk rules have their own tests.
    h = await startHarness({ APPROVER_STEP_UP: 'always', LIMIT_PASSES_PER_TARGET_PER_DAY: '100', RISK_RECENT_PASS_DAYS: '0', RISK_METHOD_REGISTERED_HOURS: '0', RISK_USER_LEVELS: '', OWNER_NOTICE: 'false' });
    for (const p of ['adele', 'nestor', 'megan', 'lasse', 'lidia'] as PersonKey[]) await h.client(p).install();
  });
  after(async () => {
    await h?.stop();
  });

  /** Adele asks for a pass for `target`; Nestor clicks Approve and gets the step-up card. */
  async function heldApproval(target: PersonKey = 'megan'): Promise<{ requestId: string; link: string }> {
    const r = await h.client('adele').click('tap.submit', { target: USERS[target].upn, ...FORM });
    const requestId = requestIdIn(invokeCard(r.body));
    const approve = await h.client('nestor').click('tap.approve', { requestId, attestation: 'videoCall' });
    const card = invokeCard(approve.body);
    assert.match(textOf(card), /Confirm it is you/);
    return { requestId, link: openUrlOf(card) };
  }

  /** The link, the sign-in page, a choice on it; returns the bot's answer at the redirect URI. */
  async function signIn(link: string, choice: { as: PersonKey; passkey: boolean; twist?: SignInTwist; cancel?: boolean }): Promise<{ done: Page; doneUrl: string }> {
    const start = await getBot(link);
    assert.equal(start.status, 302, start.text);
    const authorize = new URL(start.location!);
    const path = `${authorize.pathname}${authorize.search}`;
    const page = await sandboxRequest(h.sandbox, 'GET', path);
    assert.equal(page.status, 200, page.text);
    const form: Record<string, string> = { user: USERS[choice.as].id, twist: choice.twist ?? 'none', ...(choice.passkey ? { passkey: 'done' } : {}), ...(choice.cancel ? { cancel: '1' } : { signIn: '1' }) };
    const chosen = await sandboxRequest(h.sandbox, 'POST', path, { form });
    assert.equal(chosen.status, 302, chosen.text);
    const doneUrl = String(chosen.headers['location']);
    return { done: await getBot(doneUrl), doneUrl };
  }

  /** Adele withdraws it: the next test may ask for the same person. */
  async function cancel(requestId: string): Promise<void> {
    await h.app.flow.cancel({ aadObjectId: USERS.adele.id, tenantId: h.sandbox.tenantId }, requestId);
  }

  async function stateOf(requestId: string): Promise<string | undefined> {
    await h.app.flow.whenIdle();
    return (await h.app.flow.getRequest(requestId))?.state;
  }

  it('Approve gives a card that holds the approval and links to a sign-in that asks for a fresh sign-in with the authentication context and PKCE', async () => {
    const { requestId, link } = await heldApproval();
    assert.match(link, new RegExp(`^${h.app.server.url}/step-up/start/[A-Za-z0-9_-]+\\?lang=en$`));
    assert.equal(await stateOf(requestId), 'PendingApproval');
    const start = await getBot(link);
    const authorize = new URL(start.location!);
    assert.equal(authorize.origin, h.sandbox.origin);
    assert.equal(authorize.pathname, `/${h.sandbox.tenantId}/oauth2/v2.0/authorize`);
    const q = authorize.searchParams;
    assert.equal(q.get('prompt'), 'login');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.equal(q.get('max_age'), '300');
    assert.equal(q.get('redirect_uri'), `${h.app.server.url}/step-up/done`);
    assert.deepEqual(JSON.parse(q.get('claims') ?? '{}').id_token.acrs, { essential: true, value: 'c1' });
    assert.ok((q.get('state') ?? '').length > 40 && (q.get('nonce') ?? '').length > 30);
    assert.equal(start.text, '', 'the start page only redirects');
    await cancel(requestId);
  });

  it('the approver signs in with the passkey step: the approval is applied, the pass created and the page says so', async () => {
    const { requestId, link } = await heldApproval();
    const { done } = await signIn(link, { as: 'nestor', passkey: true });
    assert.equal(done.status, 200, done.text);
    assert.match(done.text, new RegExp(`Your sign-in confirmed your approval of ${requestId}\\. Go back to Teams`));
    assert.equal(await stateOf(requestId), 'Issued');
    assert.equal(h.sandbox.state.tapsOf(USERS.megan.id).length, 1);
  });

  it('the pages after the sign-in speak the language of the card the approver clicked', async () => {
    const { requestId, link } = await heldApproval('lasse');
    const { done } = await signIn(link.replace('lang=en', 'lang=da'), { as: 'nestor', passkey: true });
    assert.match(done.text, /<html lang="da-DK">/);
    assert.match(done.text, new RegExp(`Dit login bekræftede din godkendelse af ${requestId}`));
  });

  const refusals: Array<[string, { as: PersonKey; passkey: boolean; twist?: SignInTwist; cancel?: boolean }, number, RegExp]> = [
    ['the passkey step skipped (no acrs)', { as: 'nestor', passkey: false }, 403, /did not meet the stronger sign-in/],
    ["another user's sign-in", { as: 'adele', passkey: true }, 403, /someone other than the approver/],
    ['an old auth_time', { as: 'nestor', passkey: true, twist: 'oldAuthTime' }, 403, /not fresh/],
    ['a token for another request (another nonce)', { as: 'nestor', passkey: true, twist: 'otherNonce' }, 403, /does not belong to the approval/],
    ['a token from another tenant', { as: 'nestor', passkey: true, twist: 'otherTenant' }, 403, /another organisation/],
    ['a token for another app', { as: 'nestor', passkey: true, twist: 'otherAudience' }, 403, /does not belong to the approval/],
    ['a cancelled sign-in', { as: 'nestor', passkey: true, cancel: true }, 400, /did not finish/],
  ];
  for (const [name, choice, status, sentence] of refusals) {
    it(`${name} approves nothing, and the page says why in a sentence`, async () => {
      const passes = h.sandbox.state.tapsOf(USERS.lidia.id).length;
      const { requestId, link } = await heldApproval('lidia');
      try {
        const { done } = await signIn(link, choice);
        assert.equal(done.status, status, done.text);
        assert.match(done.text, /<h1>Nothing was approved<\/h1>/);
        assert.match(done.text, sentence);
        assert.match(done.text, /Teams/);
        assert.equal(await stateOf(requestId), 'PendingApproval');
        assert.equal(h.sandbox.state.tapsOf(USERS.lidia.id).length, passes, 'no pass was created');
      } finally {
        await cancel(requestId);
      }
    });
  }

  it('a replayed redirect approves nothing more: the second arrival is told the link was used', async () => {
    const { requestId, link } = await heldApproval('lidia');
    try {
      const { done, doneUrl } = await signIn(link, { as: 'nestor', passkey: false });
      assert.equal(done.status, 403);
      const again = await getBot(doneUrl);
      assert.equal(again.status, 409);
      assert.match(again.text, /already used/);
      assert.equal(await stateOf(requestId), 'PendingApproval');
    } finally {
      await cancel(requestId);
    }
  });

  it('the redirect with a made-up state, or none, approves nothing and redeems no code', async () => {
    const before = h.sandbox.requests.length;
    for (const query of ['', '?code=abc', '?code=abc&state=nothing.held', `?code=abc&state=${'A'.repeat(32)}.${'b'.repeat(43)}`]) {
      const page = await getBot(`${h.app.server.url}/step-up/done${query}`);
      assert.equal(page.status, 404, query);
      assert.match(page.text, /This sign-in link is not valid/);
    }
    assert.ok(!h.sandbox.requests.slice(before).some((r) => /\/token$/.test(r.url)), 'no code was redeemed');
  });

  it('the sign-in link of a cancelled request does not start a sign-in', async () => {
    const { requestId, link } = await heldApproval('lidia');
    await cancel(requestId);
    const start = await getBot(link);
    assert.equal(start.status, 409);
    assert.match(start.text, /no longer waits for your decision/);
  });

  it('a step-up completed after the request was cancelled approves nothing', async () => {
    const { requestId, link } = await heldApproval('lidia');
    const start = await getBot(link);
    const path = `${new URL(start.location!).pathname}${new URL(start.location!).search}`;
    await cancel(requestId);
    const chosen = await sandboxRequest(h.sandbox, 'POST', path, { form: { user: USERS.nestor.id, passkey: 'done', twist: 'none', signIn: '1' } });
    const done = await getBot(String(chosen.headers['location']));
    assert.equal(done.status, 409);
    assert.match(done.text, new RegExp(`Request ${requestId} no longer waits for your decision`));
    assert.equal(await stateOf(requestId), 'Cancelled');
  });

  it('the pages send the security headers and are never cached', async () => {
    const res = await fetch(`${h.app.server.url}/step-up/done?state=x`);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'.*frame-ancestors 'none'/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  });
});
