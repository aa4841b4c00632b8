/**
 * Step-up before an approval counts (src/flow/decide/stepUp.ts): a click is held; only a fresh
 * sign-in of the approver, in this tenant and app, meeting the authentication context, applies
 * it. Each test below tries one way around that and expects nothing to be approved.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DEFAULT_RISK_RULES } from '../../../src/flow/gate/risk';
import { StepUpRequiredError, type StepUpAttempt, type StepUpMode, type StepUpOutcome, type StepUpPolicy, type StepUpSignIn } from '../../../src/flow/decide/stepUp';
import type { TapRequest } from '../../../src/flow/types';
import { catalogue } from '../../../src/i18n';
import { actor, APPROVE, ask, GROUPS, makeWorld, quietLogs, SANDBOX_TENANT_ID, USERS, type World } from '../../support/flowWorld';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const ISSUER = `https://login.example/${SANDBOX_TENANT_ID}/v2.0`;

function policy(mode: StepUpMode = 'always'): StepUpPolicy {
  return { mode, authContextId: 'c1', maxAgeInMinutes: 5, linkLifetimeInMinutes: 10, startUrl: (id) => `https://bot.example/step-up/start/${id}` };
}

function world(mode: StepUpMode = 'always', fourEyes = false): World {
  return makeWorld({
    config: {
      stepUp: policy(mode),
      ...(fourEyes ? { risk: { ...DEFAULT_RISK_RULES, secondApproverGroupId: GROUPS.fallbackApprovers } } : {}),
    },
  });
}

type Who = Parameters<typeof actor>[0];

/** The approver clicks Approve: the click is held, and this is the hold. */
async function clickApprove(w: World, who: Who, requestId: string): Promise<StepUpRequiredError['hold']> {
  try {
    await w.flow.decide(actor(who), requestId, APPROVE);
  } catch (e) {
    if (e instanceof StepUpRequiredError) return e.hold;
    throw e;
  }
  assert.fail('the click was applied without a step-up');
}

/** The approver opens the sign-in link: a new attempt with its own state and nonce. */
async function openLink(w: World, intentId: string): Promise<StepUpAttempt> {
  const started = await w.flow.beginStepUp(intentId, { state: `${intentId}.${randomBytes(24).toString('base64url')}`, nonce: randomBytes(24).toString('base64url'), codeVerifier: 'verifier' });
  assert.equal(started.kind, 'signIn', JSON.stringify(started));
  return (started as { attempt: StepUpAttempt }).attempt;
}

/** The id token a good sign-in of `who` gives for `attempt`; `change` makes it bad in one way. */
function tokenOf(w: World, who: Who, attempt: StepUpAttempt, change: Record<string, unknown> = {}): StepUpSignIn {
  return {
    claims: {
      aud: CLIENT_ID,
      iss: ISSUER,
      tid: SANDBOX_TENANT_ID,
      oid: USERS[who].id,
      name: USERS[who].name,
      nonce: attempt.nonce,
      acrs: ['c1'],
      auth_time: Math.floor(w.clock.now.getTime() / 1000),
      ...change,
    },
    expect: { audience: CLIENT_ID, issuer: ISSUER },
  };
}

function signIn(w: World, attempt: StepUpAttempt, token: StepUpSignIn): Promise<StepUpOutcome> {
  return w.flow.finishStepUp(attempt.state, async () => token);
}

async function heldRequest(w: World): Promise<{ request: TapRequest; attempt: StepUpAttempt }> {
  const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
  const hold = await clickApprove(w, 'nestor', request.id);
  return { request, attempt: await openLink(w, hold.intentId) };
}

async function assertNothingApproved(w: World, request: TapRequest): Promise<void> {
  const stored = await w.stored(request.id);
  assert.ok(stored?.state === 'PendingApproval' || stored?.state === 'Cancelled' || stored?.state === 'Expired', `state ${stored?.state}`);
  assert.equal(stored?.decision, undefined, 'no decision was recorded');
  assert.equal(w.graph.createTap.callCount, 0, 'no pass was created');
}

describe('step-up before an approval counts', () => {
  quietLogs();

  it('with step-up on, a click on Approve alone approves nothing: the approval is held and the card links to the sign-in', async () => {
    const w = world();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const hold = await clickApprove(w, 'nestor', request.id);
    assert.match(hold.startUrl, /^https:\/\/bot\.example\/step-up\/start\/[A-Za-z0-9_-]{32}$/);
    assert.equal(hold.expiresAt, '2030-01-01T08:10:00.000Z');
    await assertNothingApproved(w, request);
    assert.deepEqual(w.audit.actions(), ['request.created', 'decision.held']);
  });

  it('a fresh sign-in of the approver that meets the authentication context applies the approval: the pass is created', async () => {
    const w = world();
    const { request, attempt } = await heldRequest(w);
    w.advanceMinutes(1);
    const outcome = await signIn(w, attempt, tokenOf(w, 'nestor', attempt));
    assert.deepEqual(outcome, { kind: 'applied', requestId: request.id });
    const done = await w.stored(request.id);
    assert.equal(done?.state, 'Issued');
    assert.equal(done?.decision?.by.id, USERS.nestor.id);
    assert.equal(done?.decision?.attestation, 'videoCall', 'the attestation given on the card is the one applied');
    assert.equal(w.graph.createTap.callCount, 1);
    const approved = w.audit.events.find((e) => e.action === 'decision.approved');
    assert.equal(approved?.details?.['stepUp'], 'c1');
    assert.ok(w.audit.actions().includes('decision.steppedUp'));
  });

  it("another user's token approves nothing: someone else signed in", async () => {
    const w = world();
    const { request, attempt } = await heldRequest(w);
    const outcome = await signIn(w, attempt, tokenOf(w, 'joni', attempt));
    assert.equal(outcome.kind === 'refused' && outcome.because, 'otherUser');
    await assertNothingApproved(w, request);
  });

  it('the requester signing in instead of the approver approves nothing', async () => {
    const w = world();
    const { request, attempt } = await heldRequest(w);
    const outcome = await signIn(w, attempt, tokenOf(w, 'adele', attempt));
    assert.equal(outcome.kind === 'refused' && outcome.because, 'otherUser');
    await assertNothingApproved(w, request);
  });

  it('a token without the authentication context approves nothing (the passkey step was skipped)', async () => {
    for (const acrs of [undefined, [], ['c2'], 'c2']) {
      const w = world();
      const { request, attempt } = await heldRequest(w);
      const outcome = await signIn(w, attempt, tokenOf(w, 'nestor', attempt, { acrs }));
      assert.equal(outcome.kind === 'refused' && outcome.because, 'noContext', JSON.stringify(acrs));
      await assertNothingApproved(w, request);
    }
  });

  it('a stale auth_time approves nothing: older than the configured minutes, from before the link was opened, missing, or in the future', async () => {
    const now = (w: World): number => Math.floor(w.clock.now.getTime() / 1000);
    const cases: Array<[string, (w: World) => unknown]> = [
      ['six minutes old', (w) => now(w) - 6 * 60],
      ['before the link was opened', (w) => now(w) - 2 * 60],
      ['missing', () => undefined],
      ['an hour ahead', (w) => now(w) + 3600],
      ['a string', (w) => String(now(w))],
    ];
    for (const [name, authTime] of cases) {
      const w = world();
      const { request, attempt } = await heldRequest(w);
      if (name === 'six minutes old') w.advanceMinutes(1);
      const outcome = await signIn(w, attempt, tokenOf(w, 'nestor', attempt, { auth_time: authTime(w) }));
      assert.equal(outcome.kind === 'refused' && outcome.because, 'stale', name);
      await assertNothingApproved(w, request);
    }
  });

  it('a replayed state approves nothing more: the intent is used once, whether the first sign-in counted or not', async () => {
    const w = world();
    const { request, attempt } = await heldRequest(w);
    assert.equal((await signIn(w, attempt, tokenOf(w, 'nestor', attempt, { acrs: [] }))).kind, 'refused');
    const replay = await signIn(w, attempt, tokenOf(w, 'nestor', attempt));
    assert.equal(replay.kind === 'refused' && replay.because, 'used');
    await assertNothingApproved(w, request);
  });

  it("a swapped state approves nothing: an older attempt's state, or another intent's id with this state's secret", async () => {
    const w = world();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const hold = await clickApprove(w, 'nestor', request.id);
    const older = await openLink(w, hold.intentId);
    const newer = await openLink(w, hold.intentId);
    const outcome = await signIn(w, older, tokenOf(w, 'nestor', older));
    assert.equal(outcome.kind === 'refused' && outcome.because, 'notThisApproval');
    const other = await clickApprove(w, 'nestor', request.id);
    const spliced = `${other.intentId}.${newer.state.split('.')[1]}`;
    const swapped = await w.flow.finishStepUp(spliced, async () => tokenOf(w, 'nestor', newer));
    assert.equal(swapped.kind === 'refused' && swapped.because, 'notThisApproval');
    await assertNothingApproved(w, request);
    // The newer attempt still works: refusing a forged state does not burn the real one.
    assert.equal((await signIn(w, newer, tokenOf(w, 'nestor', newer))).kind, 'applied');
  });

  it("a token for another request approves nothing: its nonce is another attempt's", async () => {
    const w = world();
    const first = await heldRequest(w);
    const second = await w.flow.startRequest(actor('adele'), ask(USERS.lidia.upn));
    const otherAttempt = await openLink(w, (await clickApprove(w, 'nestor', second.id)).intentId);
    const outcome = await signIn(w, first.attempt, tokenOf(w, 'nestor', otherAttempt));
    assert.equal(outcome.kind === 'refused' && outcome.because, 'notThisApproval');
    await assertNothingApproved(w, first.request);
  });

  it('a token for another app or from another issuer or tenant approves nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ aud: '99999999-2222-3333-4444-555555555555' }, 'notThisApproval'],
      [{ aud: [CLIENT_ID, 'another'] }, 'notThisApproval'],
      [{ iss: 'https://login.example/another/v2.0' }, 'notThisApproval'],
      [{ tid: '99999999-9999-9999-9999-999999999999' }, 'otherTenant'],
    ];
    for (const [change, because] of cases) {
      const w = world();
      const { request, attempt } = await heldRequest(w);
      const outcome = await signIn(w, attempt, tokenOf(w, 'nestor', attempt, change));
      assert.equal(outcome.kind === 'refused' && outcome.because, because, JSON.stringify(change));
      await assertNothingApproved(w, request);
    }
  });

  it('the callback without a held decision approves nothing: an unknown or malformed state', async () => {
    const w = world();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    let redeemed = 0;
    for (const state of ['', 'x', `${randomBytes(24).toString('base64url')}.${randomBytes(24).toString('base64url')}`, '../../etc.passwd']) {
      const outcome = await w.flow.finishStepUp(state, async () => {
        redeemed++;
        throw new Error('never redeemed');
      });
      assert.equal(outcome.kind === 'refused' && outcome.because, 'unknownLink', state);
    }
    assert.equal(redeemed, 0, 'no code is redeemed without a held decision');
    assert.equal((await w.flow.beginStepUp('no-such-intent-aaaaaaaaaaaaaaaa', { state: 'a.b', nonce: 'n', codeVerifier: 'v' })).kind, 'refused');
    await assertNothingApproved(w, request);
  });

  it('a sign-in that could not be redeemed approves nothing and uses the link up', async () => {
    const w = world();
    const { request, attempt } = await heldRequest(w);
    const outcome = await w.flow.finishStepUp(attempt.state, async () => {
      throw new Error('AADSTS54005: OAuth2 Authorization code was already redeemed');
    });
    assert.equal(outcome.kind === 'refused' && outcome.because, 'signInFailed');
    assert.equal((await signIn(w, attempt, tokenOf(w, 'nestor', attempt))).kind === 'refused', true);
    await assertNothingApproved(w, request);
  });

  it('a step-up completed after the link expired approves nothing', async () => {
    const w = world();
    const { request, attempt } = await heldRequest(w);
    w.advanceMinutes(11);
    const outcome = await signIn(w, attempt, tokenOf(w, 'nestor', attempt));
    assert.equal(outcome.kind === 'refused' && outcome.because, 'expired');
    await assertNothingApproved(w, request);
  });

  it('a step-up completed after the request was cancelled approves nothing', async () => {
    const w = world();
    const { request, attempt } = await heldRequest(w);
    await w.flow.cancel(actor('adele'), request.id);
    const outcome = await signIn(w, attempt, tokenOf(w, 'nestor', attempt));
    assert.equal(outcome.kind === 'refused' && outcome.because, 'requestClosed');
    await assertNothingApproved(w, request);
  });

  it('a step-up completed after the request expired approves nothing', async () => {
    const w = makeWorld({ config: { stepUp: { ...policy(), linkLifetimeInMinutes: 30 }, approvalTimeoutInMinutes: 5 } });
    const { request, attempt } = await heldRequest(w);
    w.advanceMinutes(6);
    const outcome = await signIn(w, attempt, tokenOf(w, 'nestor', attempt, { auth_time: Math.floor(w.clock.now.getTime() / 1000) }));
    assert.equal(outcome.kind === 'refused' && outcome.because, 'requestClosed');
    await assertNothingApproved(w, request);
  });

  it('the sign-in link of a request that no longer waits does not start a sign-in', async () => {
    const w = world();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const hold = await clickApprove(w, 'nestor', request.id);
    await w.flow.cancel(actor('adele'), request.id);
    const started = await w.flow.beginStepUp(hold.intentId, { state: `${hold.intentId}.${'a'.repeat(32)}`, nonce: 'n', codeVerifier: 'v' });
    assert.deepEqual(started, { kind: 'refused', because: 'requestClosed', requestId: request.id });
  });

  it('a held approval survives a restart: another instance over the same storage applies it', async () => {
    const w = world();
    const { request, attempt } = await heldRequest(w);
    const other = w.restart();
    const outcome = await other.finishStepUp(attempt.state, async () => tokenOf(w, 'nestor', attempt));
    assert.deepEqual(outcome, { kind: 'applied', requestId: request.id });
  });

  it('two callbacks of one sign-in at the same moment apply the approval once', async () => {
    const w = world();
    const { request, attempt } = await heldRequest(w);
    const outcomes = await Promise.all([signIn(w, attempt, tokenOf(w, 'nestor', attempt)), w.restart().finishStepUp(attempt.state, async () => tokenOf(w, 'nestor', attempt))]);
    assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['applied', 'refused']);
    assert.equal(w.graph.createTap.callCount, 1);
    assert.equal((await w.stored(request.id))?.state, 'Issued');
  });

  it('a denial needs no step-up: it issues nothing', async () => {
    const w = world();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const denied = await w.flow.decide(actor('nestor'), request.id, { action: 'deny', denyReason: 'Not verified' });
    assert.equal(denied.state, 'Denied');
  });

  it('someone who may not decide is told so at the click, and nothing is held for them', async () => {
    const w = world();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await assert.rejects(w.flow.decide(actor('joni'), request.id, APPROVE), (e: unknown) => !(e instanceof StepUpRequiredError));
    assert.ok(!w.audit.actions().includes('decision.held'));
  });

  it('with step-up elevated, a click approves a normal request, and an elevated one is held', async () => {
    const w = world('elevated', true);
    const normal = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.equal((await w.flow.decide(actor('nestor'), normal.id, APPROVE)).state, 'Issued');
    w.advanceMinutes(60);
    const elevated = await w.flow.startRequest(actor('alex'), ask(USERS.megan.upn));
    assert.equal(elevated.risk?.level, 'elevated');
    await clickApprove(w, 'nestor', elevated.id);
  });

  it('with step-up off, a click decides as before', async () => {
    const w = world('off');
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.equal((await w.flow.decide(actor('nestor'), request.id, APPROVE)).state, 'Issued');
  });

  it('four eyes: each approver steps up, and the pass is created only after both have', async () => {
    const w = world('always', true);
    const first = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const firstAttempt = await openLink(w, (await clickApprove(w, 'nestor', first.id)).intentId);
    assert.equal((await signIn(w, firstAttempt, tokenOf(w, 'nestor', firstAttempt))).kind, 'applied');
    w.advanceMinutes(60);
    const request = await w.flow.startRequest(actor('alex'), ask(USERS.megan.upn));
    assert.ok(request.secondApprover, 'four eyes');
    const creates = w.graph.createTap.callCount;
    const nestor = await openLink(w, (await clickApprove(w, 'nestor', request.id)).intentId);
    assert.equal((await signIn(w, nestor, tokenOf(w, 'nestor', nestor))).kind, 'waiting');
    // Joni's click is held too; Nestor's sign-in does not stand in for hers.
    const joni = await openLink(w, (await clickApprove(w, 'joni', request.id)).intentId);
    const byNestor = await signIn(w, joni, tokenOf(w, 'nestor', joni));
    assert.equal(byNestor.kind === 'refused' && byNestor.because, 'otherUser');
    assert.equal(w.graph.createTap.callCount, creates);
    const joniAgain = await openLink(w, (await clickApprove(w, 'joni', request.id)).intentId);
    assert.equal((await signIn(w, joniAgain, tokenOf(w, 'joni', joniAgain))).kind, 'applied');
    assert.equal((await w.stored(request.id))?.state, 'Issued');
  });

  it('every refusal has a sentence in every language', () => {
    for (const language of ['en', 'da'] as const) {
      const page = catalogue(language).stepUp.page;
      for (const sentence of [page.unknownLink, page.used, page.expired(10), page.otherUser, page.otherTenant, page.noContext, page.stale(5), page.notThisApproval, page.signInFailed, page.requestClosed('TAP-1'), page.notYours('TAP-1'), page.notApplied('TAP-1')]) {
        assert.match(sentence, /Teams/, `${language}: ${sentence}`);
      }
    }
  });
});
