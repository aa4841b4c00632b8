/**
 * Cards that survive real Teams and say only true things (issue 19): button titles that
 * fit one line on a phone, long texts that wrap, no pale Teams text colours, and the
 * sentences that read wrong before.
 */
import assert from 'node:assert/strict';
import { approvalCard, ownerNoticeCard, passDeliveryCard, requestFormCard, requestStatusCard, statusListCard, userGuideCard } from '../../src/cards/render';
import { bulkPageCard, bulkStatusCard } from '../../src/cards/bulk-views';
import {
  SAMPLE_AGENT,
  SAMPLE_CONTEXT,
  SAMPLE_CONTEXT_UTC,
  SAMPLE_MANAGER,
  SAMPLE_PASS,
  SAMPLE_SECOND_APPROVER,
  sampleElevated,
  sampleRequest,
} from '../support/cardSamples';
import { actionsIn, elementsOfType } from '../support/cardReader';
import { everyCard } from '../support/everyCard';
import { LANGUAGES, type Language } from '../../src/i18n';

/** Inputs with the given id, at any depth (a form, a show card). */
function elementsWithId(json: unknown, id: string, acc: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(json)) json.forEach((v) => elementsWithId(v, id, acc));
  else if (json !== null && typeof json === 'object') {
    const obj = json as Record<string, unknown>;
    if (obj.id === id && typeof obj.type === 'string' && obj.type.startsWith('Input.')) acc.push(obj);
    Object.values(obj).forEach((v) => elementsWithId(v, id, acc));
  }
  return acc;
}
import type { BulkMember, BulkRequest } from '../../src/flow/bulk/types';

/** One line at 320 px holds about 36 characters of button titles: 12 each when three share it. */
const ROW_BUDGET = 36;
const BUTTON_BUDGET = 12;

/** Every row of buttons: a card's or a ShowCard's `actions`, and each ActionSet's. */
function buttonRows(json: unknown, rows: string[][] = []): string[][] {
  if (Array.isArray(json)) json.forEach((v) => buttonRows(v, rows));
  else if (json !== null && typeof json === 'object') {
    const obj = json as Record<string, unknown>;
    if (Array.isArray(obj.actions)) rows.push((obj.actions as { title?: string }[]).map((a) => String(a.title)));
    Object.values(obj).forEach((v) => buttonRows(v, rows));
  }
  return rows;
}
const approved = { by: SAMPLE_MANAGER, at: '2026-11-22T13:00:00Z', action: 'approve' } as const;

function texts(card: unknown): string[] {
  return [...elementsOfType(card, 'TextBlock').map((t) => String(t.text)), ...elementsOfType(card, 'TextRun').map((t) => String(t.text))];
}

function bulk(overrides: Partial<BulkRequest> = {}): BulkRequest {
  const member: BulkMember = {
    id: 'm1',
    displayName: 'Lee Gu',
    userPrincipalName: 'leeg@contoso.com',
    state: 'issued',
    requestId: 'TAP-L33GU1',
    startDateTime: '2026-11-23T07:00:00Z',
    expiresDateTime: '2026-11-23T15:00:00Z',
  } as BulkMember;
  return {
    id: 'BULK-7K3F9Q',
    state: 'Completed',
    group: { id: 'g', displayName: 'New Joiners', nested: false },
    requester: SAMPLE_AGENT,
    approvers: [SAMPLE_MANAGER],
    reason: 'November starters',
    scenario: 'newJoiner',
    settings: { lifetimeInMinutes: 480, isUsableOnce: true },
    members: [member],
    nestedGroupsSkipped: [],
    deliverTo: 'requester',
    createdAt: '2026-11-22T12:00:00Z',
    expiresAt: '2026-11-22T13:30:00Z',
    ...overrides,
  } as BulkRequest;
}

describe('cards that survive real Teams', () => {
  it('every row of buttons on the delivery, approval, status and form cards fits one line on a phone', () => {
    const cards = [
      passDeliveryCard(sampleRequest('Issued'), SAMPLE_PASS, SAMPLE_CONTEXT),
      approvalCard(sampleRequest('PendingApproval'), { canDecide: true }, SAMPLE_CONTEXT),
      approvalCard(sampleRequest('Issued'), { canDecide: false }, SAMPLE_CONTEXT),
      requestStatusCard(sampleRequest('PendingApproval'), SAMPLE_CONTEXT),
      requestFormCard({ isUsableOnce: true, scenario: 'recovery' }),
    ];
    for (const card of cards) {
      for (const row of buttonRows(card)) {
        const each = Math.floor(ROW_BUDGET / row.length);
        for (const title of row) assert.ok(title.length <= each, `"${title}" is longer than ${each} characters beside ${row.length - 1} other buttons, and would be cut on a phone`);
      }
    }
  });

  it('the delivery card offers Handed over, Revoke and Report, and the warnings are text, not button titles', () => {
    const card = passDeliveryCard(sampleRequest('Issued'), SAMPLE_PASS, SAMPLE_CONTEXT);
    assert.deepEqual((card.actions as { title: string }[]).map((a) => a.title), ['Handed over', 'Revoke', 'Report']);
    assert.ok(texts(card).some((t) => /cannot be undone/.test(t)));
  });

  it('a scenario button never carries the chosen state: the form says which is chosen in its text', () => {
    const card = requestFormCard({ isUsableOnce: true, scenario: 'recovery' });
    assert.ok(!actionsIn(card).some((a) => /chosen/i.test(String(a.title))));
    assert.ok(texts(card).includes('Chosen: Recovery (lost phone / locked out)'));
  });

  it('the one-time toggle and the approver\'s choices wrap, so a long label is never cut', () => {
    const form = requestFormCard({ isUsableOnce: true, scenario: 'recovery' });
    for (const toggle of elementsOfType(form, 'Input.Toggle')) assert.equal(toggle.wrap, true);
    const approval = approvalCard(sampleRequest('PendingApproval'), { canDecide: true }, SAMPLE_CONTEXT);
    for (const choices of elementsOfType(approval, 'Input.ChoiceSet')) assert.equal(choices.wrap, true, String(choices.id));
  });

  it('no input leaves "required" to the host\'s red mark or error text (3.24:1 in Teams dark): the label says it in words, in both languages, and the bot checks the value', () => {
    for (const language of LANGUAGES) {
      for (const { name, card } of everyCard(language)) {
        const inputs = JSON.stringify(card).match(/"(isRequired|errorMessage|regex)":/g) ?? [];
        assert.deepEqual(inputs, [], `${language} ${name}`);
      }
    }
    const required = (language: Language): string[] =>
      everyCard(language).flatMap(({ card }) => ['target', 'reason', 'attestation', 'suspicionReason', 'group'].flatMap((id) => elementsWithId(card, id))).map((i) => String(i.label));
    assert.ok(required('en').length >= 5 && required('en').every((l) => /required/i.test(l)), required('en').join(' | '));
    assert.ok(required('da').every((l) => /skal (udfyldes|vælges)/i.test(l)), required('da').join(' | '));
  });

  it('a bulk card uses no Teams text colour that fails on white: the state is a word in a styled container', () => {
    const cards = [
      bulkStatusCard(bulk(), SAMPLE_CONTEXT, { viewer: 'requester' }),
      bulkStatusCard(bulk({ state: 'Cancelled' }), SAMPLE_CONTEXT, { viewer: 'requester', error: 'Something went wrong.' }),
      bulkStatusCard(bulk({ state: 'Failed', failure: { code: 'x', message: 'Stopped by the admin.' } } as Partial<BulkRequest>), SAMPLE_CONTEXT, { viewer: 'requester' }),
    ];
    for (const card of cards) {
      for (const block of elementsOfType(card, 'TextBlock')) assert.equal(block.color, undefined, `"${String(block.text)}" is coloured`);
    }
    const done = cards[0]!;
    assert.ok(elementsOfType(done, 'Container').some((c) => c.style === 'good' && JSON.stringify(c).includes('Done')));
  });

  it('a bulk page shows a long pass whole: a CodeBlock, and groups of four that wrap on a phone', () => {
    const long = 'Zq7!'.repeat(12);
    const page = { n: 1, memberIds: ['m1'], expiresDateTime: '2026-11-23T15:00:00Z', codesHidden: false };
    const card = bulkPageCard(bulk(), page as never, [{ member: bulk().members[0]!, temporaryAccessPass: long, startDateTime: '2026-11-23T07:00:00Z', expiresDateTime: '2026-11-23T15:00:00Z' }] as never, SAMPLE_CONTEXT);
    const block = elementsOfType(card, 'CodeBlock')[0]!;
    assert.equal(block.codeSnippet, long);
    const fallback = block.fallback as { text: string; wrap: boolean };
    assert.equal(fallback.wrap, true);
    assert.equal(fallback.text.replace(/ /g, ''), long);
    for (const row of buttonRows(card)) for (const title of row) assert.ok(title.length <= BUTTON_BUDGET * (3 / row.length), title);
  });
});

describe('every card sentence is true and plain', () => {
  it('an approval in person reads "Identity confirmed in person", never "by in person"', () => {
    const req = sampleRequest('Approved', { decision: { ...approved, attestation: 'inPerson' } });
    const lines = texts(requestStatusCard(req, SAMPLE_CONTEXT_UTC));
    assert.ok(lines.some((l) => l.endsWith('Identity confirmed in person.')));
    assert.ok(!lines.some((l) => /by in person/.test(l)));
  });

  it('the owner reads "confirmed it was you in person", never "by in person"', () => {
    const req = sampleRequest('Issued', { decision: { ...approved, attestation: 'inPerson' } });
    const json = JSON.stringify(ownerNoticeCard(req, {}));
    assert.match(json, /Nestor Wilke \(confirmed it was you in person\)/);
    assert.doesNotMatch(json, /by in person/);
  });

  it('four eyes says plainly who must approve: both by name, or one of several', () => {
    const lines = (req: ReturnType<typeof sampleElevated>) => texts(approvalCard(req, { canDecide: true }, SAMPLE_CONTEXT));
    assert.ok(lines(sampleElevated()).includes('Nestor Wilke and Joni Sherman must both approve.'));
    const several = { ...sampleElevated(), secondApprover: { ids: ['a', 'b'], people: [SAMPLE_SECOND_APPROVER, { ...SAMPLE_AGENT, id: 'b' }] } };
    assert.ok(lines(several).includes('Nestor Wilke must approve, and so must one of Joni Sherman and Alex Wilber.'));
    assert.ok(!JSON.stringify(approvalCard(sampleElevated(), { canDecide: true }, SAMPLE_CONTEXT)).includes('one of:'));
  });

  it('a pass scheduled for tomorrow says when it will be made, not that it is being issued', () => {
    const req = sampleRequest('Approved', { scheduledIssueAt: '2026-11-23T06:45:00Z', settings: { lifetimeInMinutes: 480, isUsableOnce: true, startDateTime: '2026-11-23T07:00:00Z' } });
    const status = JSON.stringify(requestStatusCard(req, SAMPLE_CONTEXT));
    assert.doesNotMatch(status, /issuing the pass/);
    assert.match(status, /Approved: the pass is made on \{\{DATE\(2026-11-23T06:45:00Z, SHORT\)\}\}/);
    assert.match(JSON.stringify(statusListCard([req], SAMPLE_CONTEXT, { title: 'Your requests' })), /the pass is made on/);
  });

  it('the guide no longer says "Valid until" once the pass is revoked, and says what to do instead', () => {
    const req = sampleRequest('Issued', { revocation: { by: SAMPLE_AGENT, at: '2026-11-22T13:10:00Z' } } as never);
    const card = userGuideCard(req, SAMPLE_CONTEXT);
    const facts = elementsOfType(card, 'FactSet').flatMap((f) => f.facts as { title: string }[]).map((f) => f.title);
    assert.ok(!facts.includes('Valid until'));
    assert.ok(facts.includes('Stopped'));
    assert.ok(texts(card).some((t) => /no longer works/.test(t)));
  });

  it('the form says truthfully how each way of choosing a scenario fills in its settings', () => {
    const card = requestFormCard({ isUsableOnce: true, scenario: 'recovery' });
    assert.ok(texts(card).includes("The buttons above fill in a scenario's settings at once. If you choose in this list instead, Send first fills them in for you to check."));
  });

  it('a request that moved to the next approver says whom it left, why and when, and that they can no longer decide', () => {
    const moved = sampleRequest('PendingApproval', {
      approver: {
        kind: 'skipLevelManager',
        ids: [SAMPLE_SECOND_APPROVER.id],
        people: [SAMPLE_SECOND_APPROVER],
        movedFrom: [{ at: '2026-11-22T13:00:00Z', from: { kind: 'manager', ids: [SAMPLE_MANAGER.id], people: [SAMPLE_MANAGER] }, because: 'away', awayUntil: '2026-11-30T08:00:00Z' }],
      },
    });
    const lines = texts(requestStatusCard(moved, SAMPLE_CONTEXT_UTC));
    assert.ok(lines.includes('Nestor Wilke was out of office until {{DATE(2026-11-30T08:00:00Z, SHORT)}} {{TIME(2026-11-30T08:00:00Z)}}, so the request moved on {{DATE(2026-11-22T13:00:00Z, SHORT)}} {{TIME(2026-11-22T13:00:00Z)}}; they can no longer decide it.'));
    assert.ok(lines.some((l) => l.startsWith('Waiting for Joni Sherman to decide')));
  });
});
