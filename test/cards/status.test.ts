import assert from 'node:assert/strict';
import sinon from 'sinon';
import { type RequestState, REQUEST_STATES } from '../../src/flow/types';
import { requestStatusCard, statusListCard } from '../../src/cards/render';
import { SAMPLE_CONTEXT, SAMPLE_CONTEXT_UTC, SAMPLE_MANAGER, SAMPLE_NOW, SAMPLE_REQUESTS, sampleRequest, sampleWithLargeApproverGroup } from '../../src/cards/sample';
import { VERBS } from '../../src/cards/verbs';
import { actionsIn, elementsOfType } from './helpers';

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
    assert.equal(actionsIn(requestStatusCard(req, SAMPLE_CONTEXT)).length, 0);
  });

  const expectedColors: Record<RequestState, string> = {
    PendingApproval: 'accent',
    Approved: 'good',
    Issuing: 'good',
    Issued: 'good',
    Denied: 'attention',
    Expired: 'warning',
    Failed: 'attention',
    Cancelled: 'default',
  };
  for (const state of REQUEST_STATES) {
    it(`colours the ${state} headline ${expectedColors[state]}`, () => {
      assert.equal(headline(requestStatusCard(SAMPLE_REQUESTS[state], SAMPLE_CONTEXT)).color, expectedColors[state]);
    });
  }

  it('names who was asked to approve and in what role', () => {
    const facts = (req: ReturnType<typeof sampleRequest>) =>
      elementsOfType(requestStatusCard(req, SAMPLE_CONTEXT), 'FactSet').flatMap((f) => f.facts as { title: string; value: string }[]);
    assert.ok(facts(SAMPLE_REQUESTS.PendingApproval).some((f) => f.title === 'Manager' && f.value === 'Nestor Wilke'));
    const skip = sampleRequest('PendingApproval', { approver: { kind: 'skipLevelManager', ids: [SAMPLE_MANAGER.id], people: [SAMPLE_MANAGER] } });
    assert.ok(facts(skip).some((f) => f.title === 'Skip-level manager' && f.value === 'Nestor Wilke'));
    const group = facts(sampleWithLargeApproverGroup(5));
    assert.ok(group.some((f) => f.title === 'Fallback approver group' && f.value === 'Approver 1, Approver 2, Approver 3 and 2 more'));
  });

  it('shows the request deadline and the outcome sentence', () => {
    const pending = JSON.stringify(requestStatusCard(SAMPLE_REQUESTS.PendingApproval, SAMPLE_CONTEXT_UTC));
    assert.ok(pending.includes('Waiting for Nestor Wilke. The request expires Sun 22 Nov 2026, 13:30 UTC (in 25 minutes).'));
    const issued = JSON.stringify(requestStatusCard(SAMPLE_REQUESTS.Issued, SAMPLE_CONTEXT_UTC));
    assert.ok(issued.includes('Pass issued at Sun 22 Nov 2026, 13:04 UTC'));
  });

  it('warns about replacing an existing pass only when there is one', () => {
    const warning = 'already has a Temporary Access Pass';
    assert.ok(JSON.stringify(requestStatusCard(sampleRequest('PendingApproval', { replacesExistingTap: true }), SAMPLE_CONTEXT)).includes(warning));
    assert.ok(!JSON.stringify(requestStatusCard(SAMPLE_REQUESTS.PendingApproval, SAMPLE_CONTEXT)).includes(warning));
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
});
