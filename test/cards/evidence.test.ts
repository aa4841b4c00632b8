import assert from 'node:assert/strict';
import sinon from 'sinon';
import { approvalCard, requestStatusCard } from '../../src/cards/render';
import {
  SAMPLE_BUSINESS_PHONE,
  SAMPLE_CONTEXT,
  SAMPLE_MANAGER,
  SAMPLE_MOBILE,
  SAMPLE_NOW,
  SAMPLE_REQUESTS,
  SAMPLE_SECOND_APPROVER,
  sampleElevated,
  sampleRequest,
  sampleSignals,
  sampleSignalsUnavailable,
} from '../support/cardSamples';
import { withClientTimes } from '../../src/cards/evidence';
import type { TapRequest } from '../../src/flow/types';
import type { TargetSignals } from '../../src/graph/types';
import { VERBS } from '../../src/cards/verbs';
import { actionsIn, elementsOfType, inputById } from '../support/cardReader';

type Card = Record<string, unknown>;
/** A FactSet's facts, and the signals' "title: value" lines (stacked, so a long permission name wraps on a phone). */
const facts = (card: unknown): { title: string; value: string }[] => [
  ...elementsOfType(card, 'FactSet').flatMap((f) => f.facts as { title: string; value: string }[]),
  ...elementsOfType(card, 'RichTextBlock')
    .map((b) => (b.inlines as { text: string; weight?: string }[]))
    .filter((i) => i.length === 2 && i[0]!.weight === 'Bolder' && i[0]!.text.endsWith(': '))
    .map(([t, v]) => ({ title: t!.text.slice(0, -2), value: v!.text })),
];
const fact = (card: unknown, title: string): string | undefined => facts(card).find((f) => f.title === title)?.value;
const texts = (card: unknown): string[] => elementsOfType(card, 'TextBlock').map((t) => String(t.text));
const headline = (card: Card): string => String(elementsOfType(card, 'TextBlock').find((t) => t.size === 'Medium')!.text);
const riskBoxOf = (card: Card) => elementsOfType(card, 'Container').find((c) => JSON.stringify(c).includes('Elevated risk'));
const pending = (signals: Partial<TargetSignals>, overrides: Partial<TapRequest> = {}) =>
  sampleRequest('PendingApproval', { signals: { ...sampleSignals(), ...signals }, ...overrides });
const asDecider = (req: TapRequest, extra = {}) => approvalCard(req, { canDecide: true, ...extra }, SAMPLE_CONTEXT);
const SIGNAL_TITLES = ['Call back on', 'Sign-in methods', 'Account created', 'Last sign-in', 'Manager', 'Identity Protection'];

describe('signals on the approval card', () => {
  afterEach(() => sinon.restore());

  it('says to call back on a number on file, mobile first, and never on a number the caller gives', () => {
    assert.equal(fact(asDecider(SAMPLE_REQUESTS.PendingApproval), 'Call back on'), `${SAMPLE_MOBILE} (mobile) or ${SAMPLE_BUSINESS_PHONE} (business). Never a number the caller gives you.`);
    const none = pending({ phones: { available: true, value: { business: [], mobile: null } } });
    assert.match(fact(asDecider(none), 'Call back on')!, /^No number on file\. Verify by video call or in person/);
  });

  it('shows every signal that could not be read as "not available" with what it needs: none is left out', () => {
    const card = asDecider(sampleRequest('PendingApproval', { signals: sampleSignalsUnavailable() }));
    const shown = facts(card).filter((f) => SIGNAL_TITLES.includes(f.title));
    assert.deepEqual(shown.map((f) => f.title), SIGNAL_TITLES);
    for (const f of shown) assert.match(f.value, /^not available: needs /, f.title);
    assert.match(fact(card, 'Sign-in methods')!, /UserAuthenticationMethod\.Read\.All/);
    assert.match(fact(card, 'Last sign-in')!, /AuditLog\.Read\.All and an Entra ID P1 licence/);
    assert.match(fact(card, 'Identity Protection')!, /IdentityRiskyUser\.Read\.All and an Entra ID P2 licence/);
  });

  it('a request stored without any signals still lists each one, as not read', () => {
    const { signals: _none, ...req } = SAMPLE_REQUESTS.PendingApproval;
    const shown = facts(asDecider(req)).filter((f) => SIGNAL_TITLES.includes(f.title));
    assert.deepEqual(shown.map((f) => f.title), SIGNAL_TITLES);
    for (const f of shown) assert.match(f.value, /^not available: not read for this request/, f.title);
  });

  it('a last sign-in that could not be read says what it needs, while the account age still shows', () => {
    const req = pending({ account: { available: true, value: { createdDateTime: '2023-03-01T08:00:00Z' } }, signInMissing: 'needs AuditLog.Read.All and an Entra ID P1 licence' });
    const card = asDecider(req);
    assert.equal(fact(card, 'Last sign-in'), 'not available: needs AuditLog.Read.All and an Entra ID P1 licence');
    assert.equal(fact(card, 'Account created'), '{{DATE(2023-03-01T08:00:00Z, SHORT)}} {{TIME(2023-03-01T08:00:00Z)}}');
    const never = asDecider(pending({ account: { available: true, value: { createdDateTime: null, lastSuccessfulSignIn: null } } }));
    assert.equal(fact(never, 'Last sign-in'), 'No successful sign-in recorded.');
  });

  it('lists the registered methods and when the newest was added, and asks why they lost it when the risk rules found it recent', () => {
    const calm = fact(asDecider(SAMPLE_REQUESTS.PendingApproval), 'Sign-in methods')!;
    assert.equal(calm, 'Microsoft Authenticator, passkey (FIDO2), password. Newest added {{DATE(2025-02-03T10:00:00Z, SHORT)}} {{TIME(2025-02-03T10:00:00Z)}}.');
    const recent = fact(asDecider(sampleElevated()), 'Sign-in methods')!;
    assert.match(recent, /Newest added \{\{DATE\(2026-11-22T08:05:00Z, SHORT\)\}\} \{\{TIME\(2026-11-22T08:05:00Z\)\}\}, shortly before this request: ask why they lost it\.$/);
    assert.equal(fact(asDecider(pending({ methods: { available: true, value: { registered: [] } } })), 'Sign-in methods'), 'None registered.');
  });

  it('says when and by whom the manager was changed, or that it was not changed in the audit window', () => {
    assert.equal(fact(asDecider(sampleElevated()), 'Manager'), 'Changed on {{DATE(2026-11-20T13:05:00Z, SHORT)}} {{TIME(2026-11-20T13:05:00Z)}} by adelev@contoso.com.');
    assert.equal(fact(asDecider(SAMPLE_REQUESTS.PendingApproval), 'Manager'), 'Not changed in the last 30 days.');
  });

  it('shows the Identity Protection risk level, or that none is recorded', () => {
    assert.equal(fact(asDecider(sampleElevated()), 'Identity Protection'), 'High risk, updated {{DATE(2026-11-22T10:05:00Z, SHORT)}} {{TIME(2026-11-22T10:05:00Z)}}.');
    assert.equal(fact(asDecider(SAMPLE_REQUESTS.PendingApproval), 'Identity Protection'), 'No risk recorded.');
  });

  it('puts the signals above the decision while it is open, and folds them into the details once decided', () => {
    const open = asDecider(SAMPLE_REQUESTS.PendingApproval);
    const body = JSON.stringify(open.body);
    assert.ok(body.indexOf('Call back on') < body.indexOf('"Approve"'), 'signals come before Approve');
    const details = (card: Card) => elementsOfType(card, 'Container').find((c) => c.id === 'details')!;
    assert.equal(fact(details(open), 'Call back on'), undefined);
    const decided = approvalCard(SAMPLE_REQUESTS.Issued, { canDecide: false }, SAMPLE_CONTEXT);
    assert.ok(fact(details(decided), 'Call back on'), 'the decided card keeps them, folded');
    assert.equal(facts(decided).filter((f) => f.title === 'Call back on').length, 1);
  });

  it('leaves every time in the signals and the risk reasons to the client, with no UTC written by the server', () => {
    const json = JSON.stringify(asDecider(sampleElevated()));
    assert.doesNotMatch(json, /UTC/);
    assert.doesNotMatch(json, /\b(yesterday|\d+ (hours?|days?) ago)\b/);
    assert.equal(withClientTimes('changed on 2026-11-20 09:00 UTC, within'), 'changed on {{DATE(2026-11-20T09:00:00Z, SHORT)}} {{TIME(2026-11-20T09:00:00Z)}}, within');
  });
});

describe('elevated risk and four eyes', () => {
  afterEach(() => sinon.restore());

  it('an elevated request has a box labelled "Elevated risk: two approvals needed", a line per reason, and who must approve', () => {
    const card = asDecider(sampleElevated(), { viewerId: SAMPLE_MANAGER.id });
    const box = riskBoxOf(card)!;
    assert.equal(box.style, 'attention');
    const lines = texts(box);
    assert.equal(lines[0], 'Elevated risk: two approvals needed');
    assert.equal(lines.filter((l) => l.startsWith('- ')).length, 3);
    assert.ok(lines.some((l) => l.startsWith('- Their manager was changed on {{DATE(')));
    assert.equal(lines[lines.length - 1], 'Nestor Wilke and Joni Sherman must both approve.');
    for (const t of elementsOfType(box, 'TextBlock')) assert.equal(t.color, undefined, 'default text colour on the tinted box');
    const body = JSON.stringify(card.body);
    assert.ok(body.indexOf('Elevated risk') < body.indexOf('"Who asks"'), 'near the top, before the summary');
  });

  it('a request of normal risk has no risk box', () => {
    assert.equal(riskBoxOf(asDecider(SAMPLE_REQUESTS.PendingApproval)), undefined);
    assert.equal(riskBoxOf(requestStatusCard(SAMPLE_REQUESTS.PendingApproval, SAMPLE_CONTEXT)), undefined);
  });

  it('before anyone approved, the card says 0 of 2 and waits for both', () => {
    const card = asDecider(sampleElevated(), { viewerId: SAMPLE_MANAGER.id });
    assert.ok(texts(card).includes('0 of 2 approvals: waiting for you and Joni Sherman.'));
    const agent = requestStatusCard(sampleElevated(), SAMPLE_CONTEXT);
    assert.ok(texts(agent).includes('0 of 2 approvals: waiting for Nestor Wilke and Joni Sherman.'));
  });

  it('the second approver sees "1 of 2 approvals: approved by Nestor Wilke (video call); waiting for you" and may decide', () => {
    const card = asDecider(sampleElevated({ firstApproval: true }), { viewerId: SAMPLE_SECOND_APPROVER.id });
    assert.equal(headline(card), 'Your decision is needed');
    assert.ok(texts(card).includes('1 of 2 approvals: approved by Nestor Wilke (video call); waiting for you.'));
    assert.ok(actionsIn(card).some((a) => a.verb === VERBS.approve));
  });

  it('the approver who already approved sees it read-only: "You approved; waiting for Joni Sherman"', () => {
    const card = approvalCard(sampleElevated({ firstApproval: true }), { canDecide: false, viewerId: SAMPLE_MANAGER.id }, SAMPLE_CONTEXT);
    assert.equal(headline(card), 'You approved; waiting for Joni Sherman');
    assert.ok(texts(card).includes('1 of 2 approvals: approved by you (video call); waiting for Joni Sherman.'));
    assert.ok(!actionsIn(card).some((a) => a.verb === VERBS.approve || a.verb === VERBS.deny));
  });

  it('the agent\'s status card shows the same progress, the risk box and the second approver', () => {
    const card = requestStatusCard(sampleElevated({ firstApproval: true }), SAMPLE_CONTEXT);
    assert.equal(headline(card), 'Waiting for approval');
    assert.ok(texts(card).includes('1 of 2 approvals: approved by Nestor Wilke (video call); waiting for Joni Sherman.'));
    assert.equal(texts(riskBoxOf(card))[0], 'Elevated risk: two approvals needed');
    assert.equal(fact(card, 'Second approver'), 'Joni Sherman');
  });

  it('both approvers\' cards refresh: the second approvers are in refresh.userIds', () => {
    const card = asDecider(sampleElevated());
    assert.deepEqual((card.refresh as { userIds: string[] }).userIds, [SAMPLE_MANAGER.id, SAMPLE_SECOND_APPROVER.id]);
  });

  it('an issued four-eyes request names both approvals and how each confirmed it, the called number with its kind', () => {
    const elevated = sampleElevated({ firstApproval: true });
    const issued = SAMPLE_REQUESTS.Issued;
    const done: TapRequest = {
      ...elevated,
      state: 'Issued',
      issued: issued.issued!,
      secondDecision: { by: SAMPLE_SECOND_APPROVER, at: issued.issued!.issuedAt, action: 'approve', attestation: 'knownNumberCall', calledNumber: '+4520112233' },
    };
    const lines = texts(approvalCard(done, { canDecide: false, viewerId: SAMPLE_MANAGER.id }, SAMPLE_CONTEXT));
    assert.ok(lines.some((l) => l.startsWith('Approved by you on') && l.endsWith('Identity confirmed on a video call.')));
    assert.ok(lines.some((l) => l.startsWith('Approved by Joni Sherman on') && l.endsWith(`Identity confirmed by a call to ${SAMPLE_MOBILE} (mobile on file).`)));
    assert.equal(texts(riskBoxOf(approvalCard(done, { canDecide: false }, SAMPLE_CONTEXT)))[0], 'Elevated risk: two approvals were needed');
  });

  it('a request the second approver denied says who denied it and shows their reason, not only the first approval', () => {
    const elevated = sampleElevated({ firstApproval: true });
    const denied: TapRequest = { ...elevated, state: 'Denied', secondDecision: { by: SAMPLE_SECOND_APPROVER, at: SAMPLE_NOW.toISOString(), action: 'deny', denyReason: 'Manager change looks wrong.' } };
    const card = requestStatusCard(denied, SAMPLE_CONTEXT);
    assert.equal(headline(card), 'Denied');
    assert.ok(texts(card).some((l) => l.startsWith('Denied by Joni Sherman on')));
    const runs = elementsOfType(card, 'TextRun').map((r) => String(r.text));
    assert.ok(runs.includes('Reason (Joni Sherman): '));
    assert.ok(runs.includes('Manager change looks wrong.'));
  });
});

describe('evidence in the attestation: which number on file was called', () => {
  afterEach(() => sinon.restore());

  it('Approve offers the numbers on file as "calledNumber", not required, so a video-call approval is never blocked', () => {
    const input = inputById(asDecider(SAMPLE_REQUESTS.PendingApproval), 'calledNumber')!;
    assert.equal(input.type, 'Input.ChoiceSet');
    assert.equal(input.isRequired, undefined);
    assert.deepEqual(input.choices, [
      { title: `${SAMPLE_MOBILE} (mobile)`, value: SAMPLE_MOBILE },
      { title: `${SAMPLE_BUSINESS_PHONE} (business phone)`, value: SAMPLE_BUSINESS_PHONE },
    ]);
  });

  it('with no number on file, says so next to the choice and offers no number to pick', () => {
    const card = asDecider(pending({ phones: { available: true, value: { business: [], mobile: null } } }));
    assert.equal(inputById(card, 'calledNumber'), undefined);
    assert.ok(texts(card).some((t) => t.startsWith('No number is on file for Megan Bowen: a call to a number they give you does not count.')));
    const unread = asDecider(sampleRequest('PendingApproval', { signals: sampleSignalsUnavailable() }));
    assert.ok(texts(unread).some((t) => t.startsWith('The numbers on file are not available (needs the Graph permission User.Read.All).')));
  });

  it('a refused Approve keeps the number chosen; a number that is not on file is never preselected', () => {
    const kept = asDecider(SAMPLE_REQUESTS.PendingApproval, { attestation: 'knownNumberCall', calledNumber: SAMPLE_BUSINESS_PHONE, error: 'x' });
    assert.equal(inputById(kept, 'calledNumber')!.value, SAMPLE_BUSINESS_PHONE);
    const foreign = asDecider(SAMPLE_REQUESTS.PendingApproval, { attestation: 'knownNumberCall', calledNumber: '+1 555 0100', error: 'x' });
    assert.ok(!inputById(foreign, 'calledNumber')!.value);
  });

  it('read-only cards say which number on file was called: "a call to +45 20 11 22 33 (mobile on file)"', () => {
    const base = SAMPLE_REQUESTS.Issued;
    const req = { ...base, decision: { ...base.decision!, attestation: 'knownNumberCall' as const, calledNumber: SAMPLE_MOBILE } };
    assert.ok(texts(requestStatusCard(req, SAMPLE_CONTEXT)).some((t) => t.endsWith(`Identity confirmed by a call to ${SAMPLE_MOBILE} (mobile on file).`)));
  });
});
