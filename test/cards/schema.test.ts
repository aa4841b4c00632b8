import assert from 'node:assert/strict';
import { VERBS } from '../../src/cards/verbs';
import sinon from 'sinon';
import { REQUEST_STATES } from '../../src/flow/types';
import {
  type AdaptiveCard,
  approvalCard,
  helpCard,
  ownerNoticeCard,
  messageCard,
  passDeliveryCard,
  requestFormCard,
  requestStatusCard,
  statusListCard,
  userGuideCard,
  welcomeCard,
} from '../../src/cards/render';
import {
  SAMPLE_CONTEXT,
  SAMPLE_CONTEXT_UTC,
  SAMPLE_MANAGER,
  SAMPLE_PASS,
  SAMPLE_SECOND_APPROVER,
  SAMPLE_REQUESTS,
  sampleElevated,
  sampleHandedOver,
  sampleRequest,
  sampleSignalsUnavailable,
  sampleWithLargeApproverGroup,
} from '../support/cardSamples';
import { TEMPLATE_NAMES, templateSource } from '../../src/cards/templates';
import { actionsIn, problemsOf } from '../support/cardReader';

/** Every card the bot can send, in every state, for every viewer. */
function everyRenderedCard(): [string, AdaptiveCard][] {
  const cards: [string, AdaptiveCard][] = [
    ['welcome (agent)', welcomeCard({ isAgent: true })],
    ['welcome (not agent)', welcomeCard({ isAgent: false })],
    ['help', helpCard()],
    ['request form (empty)', requestFormCard({ isUsableOnce: true })],
    [
      'request form (prefilled, policy, error)',
      requestFormCard({
        target: 'meganb@contoso.com',
        reason: 'Lost phone',
        ticket: 'INC1',
        scenario: 'newJoiner',
        lifetimeInMinutes: 90,
        isUsableOnce: false,
        policy: { minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLifetimeInMinutes: 60, forcedOneTime: false },
        error: 'That user was not found.',
      }),
    ],
    [
      'request form (forced one-time)',
      requestFormCard({
        isUsableOnce: false,
        policy: { minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLifetimeInMinutes: 120, forcedOneTime: true },
      }),
    ],
    ['status list (empty)', statusListCard([], SAMPLE_CONTEXT, { title: 'Your requests' })],
    ['status list (all states)', statusListCard(Object.values(SAMPLE_REQUESTS), SAMPLE_CONTEXT_UTC, { title: 'Recent' })],
    ['pass delivery (handed over)', passDeliveryCard(sampleHandedOver(), null, SAMPLE_CONTEXT)],
    ['approval (large group)', approvalCard(sampleWithLargeApproverGroup(), { canDecide: true }, SAMPLE_CONTEXT)],
    ['approval (replaces TAP)', approvalCard(sampleRequest('PendingApproval', { replacesExistingTap: true }), { canDecide: true }, SAMPLE_CONTEXT)],
    ...(['good', 'attention', 'warning', 'default'] as const).map(
      (tone): [string, AdaptiveCard] => [`message (${tone})`, messageCard({ title: 'Done', text: 'It worked.', tone })],
    ),
  ];
  for (const state of REQUEST_STATES) {
    const req = SAMPLE_REQUESTS[state];
    for (const [zone, ctx] of [['zone', SAMPLE_CONTEXT], ['utc', SAMPLE_CONTEXT_UTC]] as const) {
      cards.push([`approval ${state} decider ${zone}`, approvalCard(req, { canDecide: true }, ctx)]);
      cards.push([`approval ${state} viewer ${zone}`, approvalCard(req, { canDecide: false }, ctx)]);
      cards.push([`status ${state} ${zone}`, requestStatusCard(req, ctx)]);
      cards.push([`guide ${state} en ${zone}`, userGuideCard(req, ctx)]);
      cards.push([`guide ${state} da ${zone}`, userGuideCard(req, ctx, 'da-DK')]);
      for (const scenario of ['recovery', 'newJoiner', 'passkeyOnboarding'] as const) {
        cards.push([`guide ${state} ${scenario}`, userGuideCard({ ...req, scenario }, ctx)]);
      }
    }
  }
  const issued = SAMPLE_REQUESTS.Issued;
  const withUrl = { ...SAMPLE_CONTEXT, publicBaseUrl: 'https://tap.contoso.com' };
  const later = new Date(SAMPLE_CONTEXT.now.getTime() + 86_400_000).toISOString();
  const revoked = { ...issued, revocation: { by: issued.requester, at: issued.issued!.issuedAt, reason: 'Wrong person' } };
  const reported = { ...issued, suspicious: { by: issued.requester, at: issued.issued!.issuedAt, reason: 'odd' } };
  cards.push(['approval (refused Approve echoed)', approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true, attestation: 'other', attestationNote: 'n', error: 'Describe it.' }, SAMPLE_CONTEXT)]);
  cards.push(['approval (every risk)', approvalCard(sampleRequest('PendingApproval', { settings: { lifetimeInMinutes: 480, isUsableOnce: false, startDateTime: later }, replacesExistingTap: true }), { canDecide: true, defaultLifetimeInMinutes: 60 }, SAMPLE_CONTEXT)]);
  cards.push(['approval (revoked)', approvalCard(revoked, { canDecide: false }, SAMPLE_CONTEXT)]);
  cards.push(['status (reported)', requestStatusCard(reported, SAMPLE_CONTEXT)]);
  cards.push(['pass delivery (revoked)', passDeliveryCard(revoked, null, SAMPLE_CONTEXT)]);
  cards.push(['pass delivery (code, guide link, Danish user)', passDeliveryCard({ ...issued, target: { ...issued.target, preferredLanguage: 'da' } }, SAMPLE_PASS, withUrl)]);
  cards.push(['guide (link to the page)', userGuideCard(issued, withUrl, 'da')]);
  cards.push(['status list (cut)', statusListCard(Object.values(SAMPLE_REQUESTS), SAMPLE_CONTEXT, { title: 'Recent', finishedShownAtMost: 3 })]);
  cards.push(['pass delivery (code)', passDeliveryCard(issued, SAMPLE_PASS, SAMPLE_CONTEXT)]);
  cards.push(['pass delivery (code, multi-use, replaces)', passDeliveryCard({ ...issued, replacesExistingTap: true }, { ...SAMPLE_PASS, isUsableOnce: false }, SAMPLE_CONTEXT_UTC)]);
  const elevated = sampleElevated({ firstApproval: true });
  const { signals: _omitted, ...withoutSignals } = SAMPLE_REQUESTS.PendingApproval;
  cards.push(['approval (elevated, nobody approved yet)', approvalCard(sampleElevated(), { canDecide: true, viewerId: SAMPLE_MANAGER.id }, SAMPLE_CONTEXT)]);
  cards.push(['approval (elevated, second approver decides)', approvalCard(elevated, { canDecide: true, viewerId: SAMPLE_SECOND_APPROVER.id, attestation: 'knownNumberCall', calledNumber: '+45 20 11 22 33', error: 'x' }, SAMPLE_CONTEXT)]);
  cards.push(['approval (elevated, first approver waits)', approvalCard(elevated, { canDecide: false, viewerId: SAMPLE_MANAGER.id }, SAMPLE_CONTEXT)]);
  cards.push(['approval (elevated, issued after two approvals)', approvalCard({ ...elevated, state: 'Issued', issued: issued.issued!, secondDecision: { by: SAMPLE_SECOND_APPROVER, at: issued.issued!.issuedAt, action: 'approve', attestation: 'knownNumberCall', calledNumber: '+45 20 11 22 33' } }, { canDecide: false }, SAMPLE_CONTEXT)]);
  cards.push(['status (elevated, 1 of 2)', requestStatusCard(elevated, SAMPLE_CONTEXT)]);
  cards.push(['approval (every signal not available)', approvalCard(sampleRequest('PendingApproval', { signals: sampleSignalsUnavailable() }), { canDecide: true }, SAMPLE_CONTEXT)]);
  cards.push(['approval (no signals read)', approvalCard(withoutSignals, { canDecide: true }, SAMPLE_CONTEXT)]);
  cards.push(['owner notice', ownerNoticeCard(issued, { guideUrl: 'https://tap.contoso.com/guide/x' })]);
  cards.push(['owner notice (disputed by the owner)', ownerNoticeCard({ ...reported, suspicious: { by: issued.target, at: issued.issued!.issuedAt, reason: 'not me' } }, {})]);
  cards.push(['owner notice (revoked by the helpdesk)', ownerNoticeCard(revoked, {})]);
  cards.push(['pass delivery (expired)', passDeliveryCard({ ...issued, delivery: { ...issued.delivery!, codeHiddenAt: issued.issued!.expiresDateTime } }, null, SAMPLE_CONTEXT)]);
  return cards;
}

describe('every card template', () => {
  afterEach(() => sinon.restore());

  for (const name of TEMPLATE_NAMES) {
    it(`template "${name}" declares Adaptive Cards 1.5 with a $schema`, () => {
      const source = templateSource(name) as Record<string, unknown>;
      assert.equal(source.type, 'AdaptiveCard');
      assert.equal(source.version, '1.5');
      assert.equal(source.$schema, 'http://adaptivecards.io/schemas/adaptive-card.json');
    });
  }

  for (const [name, card] of everyRenderedCard()) {
    it(`${name}: parses as 1.5 with no errors, no unknown properties and nothing left unbound`, () => {
      const problems = problemsOf(card);
      assert.deepEqual(problems, { events: [], unknownKeys: [], unboundExpressions: [] });
      assert.equal(card.version, '1.5');
    });

    it(`${name}: Action.Execute data carries nothing but the request id (and a form's scenario choice)`, () => {
      for (const action of actionsIn(card).filter((a) => a.type === 'Action.Execute')) {
        const data = (action.data ?? {}) as Record<string, unknown>;
        // Who acts always comes from the activity; a scenario button only names a choice the agent can make anyway.
        const allowed = action.verb === VERBS.formScenario ? ['requestId', 'chosenScenario'] : action.verb === VERBS.submitRequest ? ['drawnScenario'] : ['requestId'];
        assert.deepEqual(Object.keys(data).filter((k) => !allowed.includes(k)), [], `action ${String(action.verb)}`);
      }
    });
  }

  it('covers every template at least once', () => {
    // Guards the list above: a new template must be added to everyRenderedCard().
    const rendered = JSON.stringify(everyRenderedCard().map(([, c]) => c));
    for (const snippet of ['What you can type', 'Request a Temporary Access Pass', 'Give this to Megan', 'What makes it suspicious?', 'Konfigurer', 'TAP helpdesk', 'It worked.', 'Your requests', 'Approve a Temporary', 'TAP request', 'This wasn\'t me']) {
      assert.ok(rendered.includes(snippet), snippet);
    }
  });

  it('the parser used here does report a broken card (the check can fail)', () => {
    const broken = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${missing}', size: 'Huge', isSubtitle: true }] };
    const problems = problemsOf(broken);
    assert.equal(problems.events.length, 1);
    assert.deepEqual(problems.unknownKeys, ['size', 'isSubtitle']);
    assert.deepEqual(problems.unboundExpressions, ['${missing}']);
  });

  it('rendering twice gives the same card (templates are not changed by expansion)', () => {
    const first = JSON.stringify(approvalCard(SAMPLE_REQUESTS.Denied, { canDecide: false }, SAMPLE_CONTEXT));
    approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true }, SAMPLE_CONTEXT_UTC);
    assert.equal(JSON.stringify(approvalCard(SAMPLE_REQUESTS.Denied, { canDecide: false }, SAMPLE_CONTEXT)), first);
  });
});
