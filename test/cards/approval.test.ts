import assert from 'node:assert/strict';
import sinon from 'sinon';
import { ATTESTATIONS, REQUEST_STATES } from '../../src/flow/types';
import { approvalCard, approvalSummary } from '../../src/cards/render';
import { NOTE_MAX } from '../../src/flow/request/validation';
import {
  SAMPLE_CONTEXT,
  SAMPLE_CONTEXT_UTC,
  SAMPLE_MANAGER,
  SAMPLE_NOW,
  SAMPLE_REQUESTS,
  sampleRequest,
  sampleWithLargeApproverGroup,
} from '../support/cardSamples';
import { VERBS } from '../../src/cards/verbs';
import { actionsIn, elementsOfType, inputById, parseCard, parsedExecuteAction, submittedInputIds } from '../support/cardReader';

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

  it('approving asks for an attestation, said to be required, chosen from the four ways', () => {
    const card = approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true }, SAMPLE_CONTEXT);
    const attestation = inputById(card, 'attestation')!;
    assert.equal(attestation.type, 'Input.ChoiceSet');
    assert.match(String(attestation.label), /\(required\)/);
    const choices = attestation.choices as { title: string; value: string }[];
    assert.deepEqual(choices.map((c) => c.value), [...ATTESTATIONS]);
    assert.equal(choices[0]!.title, 'Video call — I saw and recognised them');
    assert.equal(choices[2]!.title, 'I called them on a number I already knew');
    assert.match(String(inputById(card, 'attestationNote')?.label), /required when you choose Other/);
    assert.doesNotMatch(String(inputById(card, 'denyReason')?.label), /required/);
  });

  it('Approve sends the attestation and note; Deny sends only the deny reason, so denying never needs an attestation', () => {
    const parsed = parseCard(approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true }, SAMPLE_CONTEXT));
    const approve = parsedExecuteAction(parsed, VERBS.approve)!;
    const deny = parsedExecuteAction(parsed, VERBS.deny)!;
    assert.deepEqual(submittedInputIds(approve), ['attestation', 'attestationNote', 'calledNumber']);
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
      '{{DATE(2026-11-22T13:30:00Z, SHORT)}} {{TIME(2026-11-22T13:30:00Z)}}',
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

  it('leaves every time to the client (DATE/TIME in the viewer\'s zone) and freezes no "in 25 minutes" into the card', () => {
    for (const state of REQUEST_STATES) {
      const json = JSON.stringify(approvalCard(SAMPLE_REQUESTS[state], { canDecide: true }, SAMPLE_CONTEXT));
      assert.doesNotMatch(json, /\b(in \d+ (minutes?|hours?)|\d+ (minutes?|hours?) ago)\b/, state);
      assert.doesNotMatch(json, /UTC|Europe\//, `${state}: no zone is fixed by the server`);
      assert.doesNotMatch(json, /\d{2}:\d{2}:\d{2}\.\d{3}Z/, `${state}: fractions of a second would show the raw template`);
      assert.match(json, /\{\{DATE\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z, SHORT\)\}\} \{\{TIME\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\)\}\}/, state);
    }
  });

  describe('read-only outcomes', () => {
    const render = (state: keyof typeof SAMPLE_REQUESTS) =>
      approvalCard(SAMPLE_REQUESTS[state], { canDecide: true }, SAMPLE_CONTEXT_UTC);

    it('an approved and issued request says who approved, when, and how they verified', () => {
      const texts = textBlocks(render('Issued'));
      assert.ok(texts.includes('Pass issued'));
      assert.ok(texts.some((t) => t === 'Approved by you on {{DATE(2026-11-22T13:03:00Z, SHORT)}} {{TIME(2026-11-22T13:03:00Z)}}. Identity confirmed on a video call.'));
      assert.ok(textRuns(render('Issued')).includes('Video call from her personal phone; I know her well.'));
    });

    it('a denied request says who denied it and why', () => {
      const card = render('Denied');
      assert.ok(textBlocks(card).includes('Denied by you on {{DATE(2026-11-22T13:03:00Z, SHORT)}} {{TIME(2026-11-22T13:03:00Z)}}.'));
      assert.ok(textRuns(card).includes('I could not reach her; she is on leave.'));
    });

    it('expired, cancelled and failed requests say so', () => {
      assert.ok(textBlocks(render('Expired')).some((t) => t.startsWith('Nobody decided before {{DATE(2026-11-22T12:35:00Z, SHORT)}}')));
      assert.ok(textBlocks(render('Cancelled')).some((t) => t.startsWith('Cancelled by Alex Wilber on')));
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

  describe('for a busy manager', () => {
    const bodyTexts = (card: Record<string, unknown>): string[] => JSON.stringify(card.body).match(/"text":"[^"]*"/g) ?? [];
    const indexOf = (card: Record<string, unknown>, needle: string): number => JSON.stringify(card.body).indexOf(needle);

    it('shows who asks, for whom and by when, then the decision, before the folded details', () => {
      const card = approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true }, SAMPLE_CONTEXT);
      const facts = elementsOfType(card.body, 'FactSet')[0]!.facts as { title: string; value: string }[];
      assert.deepEqual(facts.map((f) => f.title), ['Who asks', 'For', 'Decide by']);
      assert.equal(facts[1]!.value, 'Megan Bowen, Account Manager, Sales (meganb@contoso.com)');
      assert.ok(indexOf(card, '"Approve"') < indexOf(card, '"id":"details"'), 'the decision comes before the details');
      const details = elementsOfType(card, 'Container').find((c) => c.id === 'details')!;
      assert.equal(details.isVisible, false);
      const toggle = actionsIn(card).find((a) => a.type === 'Action.ToggleVisibility')!;
      assert.deepEqual(toggle.targetElements, ['details']);
      assert.ok(bodyTexts(card).length > 0);
    });

    it('offers a Teams call to the user, to verify them, only to someone who decides, under a title that fits a phone', () => {
      const link = (canDecide: boolean) =>
        actionsIn(approvalCard(sampleRequest('PendingApproval', { target: { ...SAMPLE_REQUESTS.PendingApproval.target, userPrincipalName: "miriam.o'brien@contoso.com" } }), { canDecide }, SAMPLE_CONTEXT)).find((a) => a.type === 'Action.OpenUrl');
      assert.equal(link(true)?.url, "https://teams.microsoft.com/l/call/0/0?users=miriam.o'brien%40contoso.com");
      assert.equal(link(true)?.title, 'Call in Teams');
      assert.equal(link(false), undefined);
    });

    it('makes risky settings stand out in words: multi-use, longer than the default, a later start, replacing a pass', () => {
      const later = new Date(SAMPLE_NOW.getTime() + 86_400_000).toISOString();
      const risky = sampleRequest('PendingApproval', { settings: { lifetimeInMinutes: 480, isUsableOnce: false, startDateTime: later }, replacesExistingTap: true });
      const card = approvalCard(risky, { canDecide: true, defaultLifetimeInMinutes: 60 }, SAMPLE_CONTEXT);
      const box = elementsOfType(card, 'Container').find((c) => c.style === 'warning')!;
      const lines = elementsOfType(box, 'TextBlock').map((t) => String(t.text));
      assert.equal(lines[0], 'Warning: check these 4 things before you approve');
      assert.ok(lines.some((l) => l.startsWith('- Multi-use')));
      assert.ok(lines.some((l) => l.includes('8 hours, longer than the usual 1 hour')));
      assert.ok(lines.some((l) => l.startsWith('- Starts later, on {{DATE(')));
      assert.ok(lines.some((l) => l.includes('approving replaces it')));
      for (const t of elementsOfType(box, 'TextBlock')) assert.equal(t.color, undefined, 'default text colour on the warning box');
    });

    it('a plain one-time request at the default lifetime has no warning box, and a decided one drops its warnings', () => {
      const plain = approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true, defaultLifetimeInMinutes: 60 }, SAMPLE_CONTEXT);
      assert.equal(elementsOfType(plain, 'Container').filter((c) => c.style === 'warning').length, 0);
      const decided = approvalCard({ ...SAMPLE_REQUESTS.Issued, settings: { lifetimeInMinutes: 480, isUsableOnce: false }, replacesExistingTap: true }, { canDecide: false, defaultLifetimeInMinutes: 60 }, SAMPLE_CONTEXT);
      assert.equal(elementsOfType(decided, 'Container').filter((c) => c.style === 'warning').length, 0);
      assert.ok(!JSON.stringify(decided).includes('approving replaces it'));
    });

    it('a refused Approve comes back with the choice and note kept and the error shown on the card and in the form', () => {
      const error = 'You chose "other": describe how you verified the person.';
      const card = approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true, attestation: 'other', attestationNote: 'hm', error }, SAMPLE_CONTEXT);
      assert.equal(inputById(card, 'attestation')!.value, 'other');
      assert.equal(inputById(card, 'attestationNote')!.value, 'hm');
      const shown = elementsOfType(card, 'TextBlock').filter((t) => t.text === error);
      assert.equal(shown.length, 2, 'once in the body, once above the choices');
      const box = elementsOfType(card, 'Container').find((c) => c.style === 'attention')!;
      assert.ok(JSON.stringify(box).includes('Not approved yet'), 'a word says it failed, not only the colour');
    });

    it('echoes nothing on a card that can no longer be decided, and ignores a choice that is not one of the four', () => {
      const closed = approvalCard(SAMPLE_REQUESTS.Denied, { canDecide: true, attestation: 'other', error: 'x' }, SAMPLE_CONTEXT);
      assert.equal(inputById(closed, 'attestation'), undefined);
      assert.ok(!elementsOfType(closed, 'TextBlock').some((t) => t.text === 'x'));
      const odd = approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true, attestation: 'bribe' }, SAMPLE_CONTEXT);
      assert.ok(!inputById(odd, 'attestation')!.value, 'no choice is preselected');
    });

    it('the note and the deny reason allow as many characters as the server accepts', () => {
      const card = approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true }, SAMPLE_CONTEXT);
      assert.equal(inputById(card, 'attestationNote')!.maxLength, NOTE_MAX);
      assert.equal(inputById(card, 'denyReason')!.maxLength, NOTE_MAX);
      assert.match(String(inputById(card, 'attestationNote')!.label), /required when you choose Other/);
    });

    it('speaks to the approver who decided as "you", and names them to another member of the group', () => {
      const group = { kind: 'fallbackGroup' as const, ids: [SAMPLE_MANAGER.id, 'x-other'], people: [SAMPLE_MANAGER] };
      const req = sampleRequest('Denied', { approver: group });
      const mine = JSON.stringify(approvalCard(req, { canDecide: false, viewerId: SAMPLE_MANAGER.id.toUpperCase() }, SAMPLE_CONTEXT));
      const theirs = JSON.stringify(approvalCard(req, { canDecide: false, viewerId: 'x-other' }, SAMPLE_CONTEXT));
      assert.ok(mine.includes('Denied by you on'));
      assert.ok(theirs.includes('Denied by Nestor Wilke on'));
    });

    it('gives a one-line summary naming who asks, for whom and the deadline in the reader\'s zone', () => {
      assert.equal(
        approvalSummary(SAMPLE_REQUESTS.PendingApproval, { timeZone: 'Europe/Copenhagen' }),
        'Alex Wilber (helpdesk) asks for a Temporary Access Pass for Megan Bowen. Decide by Sun 22 Nov 2026, 14:30 (Europe/Copenhagen).',
      );
      assert.match(approvalSummary(SAMPLE_REQUESTS.PendingApproval, {}), /Decide by Sun 22 Nov 2026, 13:30 UTC\.$/);
    });
  });
});
