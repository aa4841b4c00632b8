import assert from 'node:assert/strict';
import sinon from 'sinon';
import { ATTESTATIONS, REQUEST_STATES } from '../../src/flow/types';
import { approvalCard } from '../../src/cards/render';
import {
  SAMPLE_CONTEXT,
  SAMPLE_CONTEXT_UTC,
  SAMPLE_MANAGER,
  SAMPLE_NOW,
  SAMPLE_REQUESTS,
  sampleRequest,
  sampleWithLargeApproverGroup,
} from '../../src/cards/sample';
import { VERBS } from '../../src/cards/verbs';
import { actionsIn, elementsOfType, inputById, parseCard, parsedExecuteAction, submittedInputIds } from './helpers';

const decisionVerbs = (card: object): string[] =>
  actionsIn(card)
    .filter((a) => a.type === 'Action.Execute' && (a.verb === VERBS.approve || a.verb === VERBS.deny))
    .map((a) => String(a.verb))
    .sort();

const textBlocks = (card: object): string[] => elementsOfType(card, 'TextBlock').map((t) => String(t.text));
const textRuns = (card: object): string[] => elementsOfType(card, 'TextRun').map((t) => String(t.text));

describe('approval card', () => {
  afterEach(() => sinon.restore());

  for (const state of REQUEST_STATES) {
    for (const canDecide of [true, false]) {
      const expected = canDecide && state === 'PendingApproval' ? [VERBS.approve, VERBS.deny] : [];
      it(`offers Approve/Deny ${expected.length ? 'to' : 'not to'} a viewer with canDecide=${canDecide} on a ${state} request`, () => {
        const card = approvalCard(SAMPLE_REQUESTS[state], { canDecide }, SAMPLE_CONTEXT);
        assert.deepEqual(decisionVerbs(card), expected);
        assert.equal(inputById(card, 'attestation') !== undefined, expected.length > 0);
      });
    }
  }

  it('a pending request past its deadline offers no Approve/Deny even to the approver, and says it expired', () => {
    const req = sampleRequest('PendingApproval', { expiresAt: new Date(SAMPLE_NOW.getTime() - 60_000).toISOString() });
    const card = approvalCard(req, { canDecide: true }, SAMPLE_CONTEXT);
    assert.deepEqual(decisionVerbs(card), []);
    assert.ok(textBlocks(card).some((t) => t.includes('Expired')));
  });

  it('approving requires an attestation with an error message, chosen from the four ways', () => {
    const card = approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true }, SAMPLE_CONTEXT);
    const attestation = inputById(card, 'attestation')!;
    assert.equal(attestation.type, 'Input.ChoiceSet');
    assert.equal(attestation.isRequired, true);
    assert.ok(String(attestation.errorMessage).length > 10);
    const choices = attestation.choices as { title: string; value: string }[];
    assert.deepEqual(choices.map((c) => c.value), [...ATTESTATIONS]);
    assert.equal(choices[0]!.title, 'Video call — I saw and recognised them');
    assert.equal(choices[2]!.title, 'I called them on a number I already knew');
    assert.equal(inputById(card, 'attestationNote')?.isRequired, undefined);
    assert.equal(inputById(card, 'denyReason')?.isRequired, undefined);
  });

  it('Approve sends the attestation and note; Deny sends only the deny reason, so denying never needs an attestation', () => {
    const parsed = parseCard(approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true }, SAMPLE_CONTEXT));
    const approve = parsedExecuteAction(parsed, VERBS.approve)!;
    const deny = parsedExecuteAction(parsed, VERBS.deny)!;
    assert.deepEqual(submittedInputIds(approve), ['attestation', 'attestationNote']);
    assert.deepEqual(submittedInputIds(deny), ['denyReason']);
  });

  it('Approve is positive, Deny is destructive, and both carry only the request id', () => {
    const card = approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true }, SAMPLE_CONTEXT);
    const byVerb = (verb: string) => actionsIn(card).find((a) => a.verb === verb)!;
    assert.equal(byVerb(VERBS.approve).style, 'positive');
    assert.equal(byVerb(VERBS.deny).style, 'destructive');
    assert.deepEqual(byVerb(VERBS.approve).data, { requestId: 'TAP-7K3F9Q' });
    assert.deepEqual(byVerb(VERBS.deny).data, { requestId: 'TAP-7K3F9Q' });
  });

  for (const state of REQUEST_STATES) {
    it(`always carries a refresh for the approvers (${state})`, () => {
      const card = approvalCard(SAMPLE_REQUESTS[state], { canDecide: false }, SAMPLE_CONTEXT);
      assert.deepEqual(card.refresh, {
        action: { type: 'Action.Execute', title: 'Refresh', verb: VERBS.refresh, data: { requestId: SAMPLE_REQUESTS[state].id } },
        userIds: [SAMPLE_MANAGER.id],
      });
    });
  }

  it('refresh.userIds lists at most 60 approvers, without duplicates', () => {
    const big = sampleWithLargeApproverGroup(75);
    const withDuplicates = { ...big, approver: { ...big.approver, ids: [big.approver.ids[0]!, ...big.approver.ids] } };
    const userIds = (approvalCard(withDuplicates, { canDecide: true }, SAMPLE_CONTEXT).refresh as { userIds: string[] }).userIds;
    assert.equal(userIds.length, 60);
    assert.equal(new Set(userIds).size, 60);
    assert.deepEqual(userIds, big.approver.ids.slice(0, 60));
  });

  it('warns that an existing pass will be replaced only when the user has one', () => {
    const warning = 'This user already has a Temporary Access Pass; approving replaces it.';
    const withTap = JSON.stringify(approvalCard(sampleRequest('PendingApproval', { replacesExistingTap: true }), { canDecide: true }, SAMPLE_CONTEXT));
    const withoutTap = JSON.stringify(approvalCard(sampleRequest('PendingApproval', { replacesExistingTap: false }), { canDecide: true }, SAMPLE_CONTEXT));
    assert.ok(withTap.includes(warning));
    assert.ok(!withoutTap.includes(warning));
    assert.ok(!withoutTap.includes('already has a Temporary Access Pass'));
  });

  it('shows who asks, for whom (name, sign-in name, job title, department), scenario, reason, ticket and pass settings', () => {
    const card = approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true }, SAMPLE_CONTEXT);
    const json = JSON.stringify(card);
    for (const fact of [
      'Alex Wilber (alexw@contoso.com)',
      'Megan Bowen',
      'meganb@contoso.com',
      'Account Manager',
      'Sales',
      'Recovery (lost phone / locked out)',
      'INC0012345',
      '1 hour',
      'One-time use',
      'Sun 22 Nov 2026, 14:30 (Europe/Copenhagen) (in 25 minutes)',
    ]) {
      assert.ok(json.includes(fact), fact);
    }
    assert.ok(textRuns(card).includes(SAMPLE_REQUESTS.PendingApproval.reason));
  });

  it('shows a dash for an empty job title or department instead of a blank', () => {
    const req = sampleRequest('PendingApproval');
    const card = approvalCard({ ...req, target: { ...req.target, jobTitle: null, department: '' } }, { canDecide: true }, SAMPLE_CONTEXT);
    const facts = elementsOfType(card, 'FactSet').flatMap((f) => f.facts as { title: string; value: string }[]);
    assert.equal(facts.find((f) => f.title === 'Job title')?.value, '—');
    assert.equal(facts.find((f) => f.title === 'Department')?.value, '—');
  });

  it('says UTC plainly when the viewer has no time zone', () => {
    const json = JSON.stringify(approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true }, SAMPLE_CONTEXT_UTC));
    assert.ok(json.includes('Sun 22 Nov 2026, 13:30 UTC'));
    assert.ok(!json.includes('Europe/'));
  });

  describe('read-only outcomes', () => {
    const render = (state: keyof typeof SAMPLE_REQUESTS) =>
      approvalCard(SAMPLE_REQUESTS[state], { canDecide: true }, SAMPLE_CONTEXT_UTC);

    it('an approved and issued request says who approved, when, and how they verified', () => {
      const texts = textBlocks(render('Issued'));
      assert.ok(texts.includes('Pass issued'));
      assert.ok(texts.some((t) => t === 'Approved by Nestor Wilke at Sun 22 Nov 2026, 13:03 UTC. Identity confirmed by video call.'));
      assert.ok(textRuns(render('Issued')).includes('Video call from her personal phone; I know her well.'));
    });

    it('a denied request says who denied it and why', () => {
      const card = render('Denied');
      assert.ok(textBlocks(card).includes('Denied by Nestor Wilke at Sun 22 Nov 2026, 13:03 UTC.'));
      assert.ok(textRuns(card).includes('I could not reach her; she is on leave.'));
    });

    it('expired, cancelled and failed requests say so', () => {
      assert.ok(textBlocks(render('Expired')).some((t) => t.startsWith('Nobody decided before Sun 22 Nov 2026, 12:35 UTC')));
      assert.ok(textBlocks(render('Cancelled')).some((t) => t.startsWith('Cancelled by Alex Wilber at')));
      assert.ok(textBlocks(render('Failed')).some((t) => t.includes('The tenant policy does not allow this lifetime.')));
    });
  });

  it('text people typed is shown literally: never evaluated as a template, never rendered as markdown', () => {
    const hostile = '${requester.userPrincipalName} [Approve here](https://evil.example) **urgent**';
    const req = sampleRequest('Denied', { reason: hostile, ticket: '${requestId}' });
    const denied = { ...req, decision: { ...req.decision!, denyReason: '[click](https://evil.example)' } };
    const card = approvalCard(denied, { canDecide: false }, SAMPLE_CONTEXT);
    assert.ok(textRuns(card).includes(hostile));
    assert.ok(textRuns(card).includes('${requestId}'));
    assert.ok(textRuns(card).includes('[click](https://evil.example)'));
    assert.ok(!textBlocks(card).some((t) => t.includes('evil.example')), 'free text must not reach a markdown TextBlock');
    assert.ok(!elementsOfType(card, 'FactSet').some((f) => JSON.stringify(f).includes('evil.example')));
  });
});
