import assert from 'node:assert/strict';
import sinon from 'sinon';
import { type RequestState, REQUEST_STATES } from '../../src/flow/types';
import { requestStatusCard, statusListCard } from '../../src/cards/render';
import { SAMPLE_CONTEXT, SAMPLE_CONTEXT_UTC, SAMPLE_MANAGER, SAMPLE_NOW, SAMPLE_REQUESTS, sampleHandedOver, sampleRequest, sampleWithLargeApproverGroup } from '../support/cardSamples';
import { VERBS } from '../../src/cards/verbs';
import { actionsIn, elementsOfType, inputById, parseCard, parsedExecuteAction, submittedInputIds } from '../support/cardReader';

const headline = (card: object): Record<string, unknown> =>
  elementsOfType(card, 'TextBlock').find((t) => t.size === 'Medium' && t.weight === 'Bolder')!;

describe('request status card (the agent\'s view)', () => {
  afterEach(() => sinon.restore());

  for (const state of REQUEST_STATES) {
    const pending = state === 'PendingApproval';
    it(`${pending ? 'offers' : 'does not offer'} Cancel on a ${state} request`, () => {
      const cancels = actionsIn(requestStatusCard(SAMPLE_REQUESTS[state], SAMPLE_CONTEXT)).filter((a) => a.verb === VERBS.cancel);
      assert.equal(cancels.length, pending ? 1 : 0);
      if (pending) assert.deepEqual(cancels[0]!.data, { requestId: 'TAP-7K3F9Q' });
    });
  }

  it('offers no Cancel once the deadline has passed, even before the sweeper marks it expired', () => {
    const req = sampleRequest('PendingApproval', { expiresAt: new Date(SAMPLE_NOW.getTime() - 1).toISOString() });
    assert.ok(!actionsIn(requestStatusCard(req, SAMPLE_CONTEXT)).some((a) => a.verb === VERBS.cancel));
  });

  const expectedStyles: Record<RequestState, [string, string]> = {
    PendingApproval: ['accent', 'Waiting for approval'],
    Approved: ['good', 'Approved: issuing the pass'],
    Issuing: ['good', 'Approved: issuing the pass'],
    Issued: ['good', 'Pass issued'],
    Denied: ['attention', 'Denied'],
    Expired: ['warning', 'Expired without a decision'],
    Failed: ['attention', 'Failed: no pass was issued'],
    Cancelled: ['emphasis', 'Cancelled'],
  };
  for (const state of REQUEST_STATES) {
    const [style, words] = expectedStyles[state];
    it(`says "${words}" in the default text colour on a ${style} box for a ${state} request`, () => {
      const card = requestStatusCard(SAMPLE_REQUESTS[state], SAMPLE_CONTEXT);
      const box = elementsOfType(card, 'Container').find((c) => c.bleed === true)!;
      assert.equal(box.style, style);
      assert.equal(headline(card).text, words);
      assert.equal(headline(card).color, undefined);
    });
  }

  it('no card colours any text: the tinted boxes keep the default colour readable', () => {
    const all = JSON.stringify([
      ...REQUEST_STATES.map((s) => requestStatusCard(SAMPLE_REQUESTS[s], SAMPLE_CONTEXT)),
      statusListCard(Object.values(SAMPLE_REQUESTS), SAMPLE_CONTEXT, { title: 'x' }),
    ]);
    assert.doesNotMatch(all, /"color":/);
  });

  const later = (minutes: number) => ({ ...SAMPLE_CONTEXT, now: new Date(SAMPLE_NOW.getTime() + minutes * 60_000) });
  const revoked = () => sampleRequest('Issued', { revocation: { by: SAMPLE_MANAGER, at: new Date(SAMPLE_NOW.getTime() + 60_000).toISOString(), reason: 'Wrong person' } });
  const reported = () => sampleRequest('Issued', { suspicious: { by: SAMPLE_MANAGER, at: SAMPLE_NOW.toISOString(), reason: 'Caller did not know her desk' } });

  it('tells the story of an issued pass: handed over, expired with the code hidden, revoked, reported', () => {
    const story = (req: ReturnType<typeof sampleRequest>, ctx = SAMPLE_CONTEXT) => {
      const card = requestStatusCard(req, ctx);
      return { headline: String(headline(card).text), text: JSON.stringify(card) };
    };
    const handed = story(sampleHandedOver());
    assert.equal(handed.headline, 'Pass handed over');
    assert.ok(handed.text.includes('Handed over on {{DATE('));
    const expired = story(SAMPLE_REQUESTS.Issued, later(120));
    assert.equal(expired.headline, 'Pass expired');
    assert.ok(expired.text.includes('its code is no longer shown'));
    const gone = story(revoked());
    assert.equal(gone.headline, 'Pass revoked');
    assert.ok(gone.text.includes('Revoked by Nestor Wilke on {{DATE('));
    assert.ok(gone.text.includes('Reason: Wrong person'));
    const flagged = story(reported());
    assert.equal(flagged.headline, 'Reported as suspicious');
    assert.ok(flagged.text.includes('The security team has been told.'));
    assert.ok(flagged.text.includes('Caller did not know her desk'));
  });

  it('a failed request says why no pass was issued', () => {
    assert.ok(JSON.stringify(requestStatusCard(SAMPLE_REQUESTS.Failed, SAMPLE_CONTEXT)).includes('No pass was issued: The tenant policy does not allow this lifetime.'));
  });

  it('speaks to the agent as "you" about what they did', () => {
    assert.ok(JSON.stringify(requestStatusCard(SAMPLE_REQUESTS.Cancelled, SAMPLE_CONTEXT)).includes('Cancelled by you on'));
  });

  it('offers Revoke while the pass works and Report until someone has reported it', () => {
    const verbs = (req: ReturnType<typeof sampleRequest>, ctx = SAMPLE_CONTEXT) =>
      actionsIn(requestStatusCard(req, ctx)).filter((a) => a.type === 'Action.Execute').map((a) => a.verb);
    assert.deepEqual(verbs(SAMPLE_REQUESTS.Issued), [VERBS.revoke, VERBS.report]);
    assert.deepEqual(verbs(SAMPLE_REQUESTS.Issued, later(120)), [VERBS.report], 'an expired pass cannot be revoked');
    assert.deepEqual(verbs(revoked()), [VERBS.report]);
    assert.deepEqual(verbs(reported()), [VERBS.revoke], 'reported once; if revoking failed, Revoke stays');
    assert.deepEqual(verbs(SAMPLE_REQUESTS.PendingApproval), [VERBS.cancel, VERBS.report]);
    assert.deepEqual(verbs(SAMPLE_REQUESTS.Denied), [VERBS.report]);
  });

  it('Report asks for a reason of at most 300 characters and sends it with the request id only', () => {
    const parsed = parseCard(requestStatusCard(SAMPLE_REQUESTS.Issued, SAMPLE_CONTEXT));
    const report = parsedExecuteAction(parsed, VERBS.report)!;
    assert.deepEqual(submittedInputIds(report), ['suspicionReason']);
    const input = inputById(requestStatusCard(SAMPLE_REQUESTS.Issued, SAMPLE_CONTEXT), 'suspicionReason')!;
    assert.match(String(input.label), /Required/);
    assert.equal(input.maxLength, 300);
    assert.deepEqual(submittedInputIds(parsedExecuteAction(parsed, VERBS.revoke)!), []);
  });

  it('names who was asked to approve and in what role', () => {
    const facts = (req: ReturnType<typeof sampleRequest>) =>
      elementsOfType(requestStatusCard(req, SAMPLE_CONTEXT), 'FactSet').flatMap((f) => f.facts as { title: string; value: string }[]);
    assert.ok(facts(SAMPLE_REQUESTS.PendingApproval).some((f) => f.title === 'Manager' && f.value === 'Nestor Wilke'));
    const skip = sampleRequest('PendingApproval', { approver: { kind: 'skipLevelManager', ids: [SAMPLE_MANAGER.id], people: [SAMPLE_MANAGER] } });
    assert.ok(facts(skip).some((f) => f.title === 'Skip-level manager' && f.value === 'Nestor Wilke'));
    const group = facts(sampleWithLargeApproverGroup(5));
    assert.ok(group.some((f) => f.title === 'Fallback approver group' && f.value === 'Approver 1, Approver 2, Approver 3 and 2 more'));
  });

  it('shows the request deadline and the outcome sentence, for the client to put in the viewer\'s zone', () => {
    const pending = JSON.stringify(requestStatusCard(SAMPLE_REQUESTS.PendingApproval, SAMPLE_CONTEXT_UTC));
    assert.ok(pending.includes('Waiting for Nestor Wilke to decide, until {{DATE(2026-11-22T13:30:00Z, SHORT)}} {{TIME(2026-11-22T13:30:00Z)}}.'));
    const issued = JSON.stringify(requestStatusCard(SAMPLE_REQUESTS.Issued, SAMPLE_CONTEXT_UTC));
    assert.ok(issued.includes('Pass issued on {{DATE(2026-11-22T13:04:00Z, SHORT)}}'));
  });

  it('says an existing pass will be replaced only while that is still to come', () => {
    const replaced = 'Replaced if approved';
    assert.ok(JSON.stringify(requestStatusCard(sampleRequest('PendingApproval', { replacesExistingTap: true }), SAMPLE_CONTEXT)).includes(replaced));
    assert.ok(!JSON.stringify(requestStatusCard(SAMPLE_REQUESTS.PendingApproval, SAMPLE_CONTEXT)).includes(replaced));
    assert.ok(!JSON.stringify(requestStatusCard(sampleRequest('Issued', { replacesExistingTap: true }), SAMPLE_CONTEXT)).includes(replaced));
  });
});

describe('status list card', () => {
  afterEach(() => sinon.restore());

  it('says so when there is nothing to show', () => {
    const card = statusListCard([], SAMPLE_CONTEXT, { title: 'Your requests' });
    const texts = elementsOfType(card, 'TextBlock').map((t) => t.text);
    assert.ok(texts.includes('No requests to show.'));
    assert.ok(texts.includes('Your requests'));
  });

  it('lists one row per request with its state, and no empty-state text', () => {
    const requests = Object.values(SAMPLE_REQUESTS);
    const card = statusListCard(requests, SAMPLE_CONTEXT, { title: 'Recent' });
    const texts = elementsOfType(card, 'TextBlock').map((t) => String(t.text));
    assert.equal(elementsOfType(card, 'ColumnSet').length, requests.length);
    assert.ok(!texts.includes('No requests to show.'));
    assert.ok(texts.includes('TAP-3J7P5L · Megan Bowen'));
    assert.ok(texts.includes('Denied'));
    assert.ok(texts.includes('8 requests'));
  });

  it('says when the list is cut and how to see more', () => {
    const requests = Object.values(SAMPLE_REQUESTS);
    const texts = (limit?: number) => elementsOfType(statusListCard(requests, SAMPLE_CONTEXT, { title: 'Recent', ...(limit ? { finishedShownAtMost: limit } : {}) }), 'TextBlock').map((t) => String(t.text));
    assert.ok(texts(5).includes('8 requests: the open ones and the 5 most recent finished ones. Older requests are not listed.'));
    assert.ok(texts(5).some((t) => t.startsWith('To see older requests for one user, type status')));
    assert.ok(texts(10).includes('8 requests'));
  });

  it('names the story of each row in words: revoked and reported rows say so', () => {
    const rows = [sampleRequest('Issued', { revocation: { by: SAMPLE_MANAGER, at: SAMPLE_NOW.toISOString() } }), sampleRequest('Denied', { suspicious: { by: SAMPLE_MANAGER, at: SAMPLE_NOW.toISOString(), reason: 'odd' } })];
    const texts = elementsOfType(statusListCard(rows, SAMPLE_CONTEXT, { title: 'x' }), 'TextBlock').map((t) => t.text);
    assert.ok(texts.includes('Pass revoked'));
    assert.ok(texts.includes('Reported as suspicious'));
  });
});
