/**
 * Every card the bot can send, from the product's own render functions and sample
 * requests: each state of a request as each reader sees it, the chat cards, every bulk
 * card and the message tones. Built for one reader's language (`CardContext.language`), so
 * a test that walks the list in English and Danish covers both as far as the views honour it.
 * Used by the Teams rendering test and the card rules test.
 */
import { formInput } from '../../src/bot/cardActions';
import { bulkFormCard, bulkPageCard, bulkStatusCard } from '../../src/cards/bulk-views';
import type { CardContext } from '../../src/cards/format';
import {
  approvalCard,
  helpCard,
  messageCard,
  ownerNoticeCard,
  passDeliveryCard,
  requestFormCard,
  requestStatusCard,
  statusListCard,
  stepUpCard,
  userGuideCard,
  welcomeCard,
} from '../../src/cards/render';
import type { BulkMember, BulkPage, BulkPass, BulkRequest } from '../../src/flow/bulk/types';
import { BULK_ATTESTATION } from '../../src/flow/bulk/decision';
import { formPolicy } from '../../src/flow/request/settings';
import { REQUEST_STATES, SCENARIOS, type FormPolicy } from '../../src/flow/types';
import { catalogue, type Language } from '../../src/i18n';
import {
  SAMPLE_AGENT,
  SAMPLE_CONTEXT,
  SAMPLE_MANAGER,
  SAMPLE_NOW,
  SAMPLE_PASS,
  SAMPLE_REQUESTS,
  SAMPLE_SECOND_APPROVER,
  sampleElevated,
  sampleHandedOver,
  sampleRequest,
  sampleSignalsUnavailable,
  sampleWithLargeApproverGroup,
} from './cardSamples';
import { flowConfig } from './flowWorld';

export interface NamedCard {
  /** What the card is and who reads it, e.g. "approval: approver who can decide". */
  name: string;
  card: Record<string, unknown>;
}

const minutesFromNow = (minutes: number): string => new Date(SAMPLE_NOW.getTime() + minutes * 60_000).toISOString();

/** The form's policy as the flow builds it: the tenant allows 1 to 8 hours, Copenhagen time. */
function samplePolicy(): FormPolicy {
  return formPolicy(
    flowConfig({ orgTimeZone: 'Europe/Copenhagen' }),
    { state: 'enabled', defaultLifetimeInMinutes: 60, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLength: 8, isUsableOnce: false },
    SAMPLE_NOW,
    'Europe/Copenhagen',
  );
}

function approvalCards(ctx: CardContext): NamedCard[] {
  const later = minutesFromNow(24 * 60);
  const waiting = sampleElevated({ firstApproval: true });
  const finished = REQUEST_STATES.filter((s) => s !== 'PendingApproval').map(
    (state): NamedCard => ({ name: `approval: ${state}, read-only`, card: approvalCard(SAMPLE_REQUESTS[state], { canDecide: false }, ctx) }),
  );
  return [
    { name: 'approval: approver who can decide', card: approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true }, ctx) },
    {
      name: 'approval: refused approve with an error',
      card: approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: true, attestation: 'other', attestationNote: '', error: catalogue(ctx.language).errors.attestationOtherNeedsNote() }, ctx),
    },
    {
      name: 'approval: every risk (long, multi-use, later start, replaces a pass)',
      card: approvalCard(
        sampleRequest('PendingApproval', { settings: { lifetimeInMinutes: 480, isUsableOnce: false, startDateTime: later }, replacesExistingTap: true }),
        { canDecide: true, defaultLifetimeInMinutes: 60 },
        ctx,
      ),
    },
    { name: 'approval: approver who waits (another approver may decide)', card: approvalCard(SAMPLE_REQUESTS.PendingApproval, { canDecide: false, viewerId: SAMPLE_AGENT.id }, ctx) },
    { name: 'approval: second approver (four eyes)', card: approvalCard(waiting, { canDecide: true, viewerId: SAMPLE_SECOND_APPROVER.id }, ctx) },
    { name: 'approval: first approver waits for the second', card: approvalCard(waiting, { canDecide: false, viewerId: SAMPLE_MANAGER.id }, ctx) },
    { name: 'approval: elevated risk, first approver decides', card: approvalCard(sampleElevated(), { canDecide: true, viewerId: SAMPLE_MANAGER.id }, ctx) },
    { name: 'approval: signals not available', card: approvalCard(sampleRequest('PendingApproval', { id: 'TAP-N0S1GN', signals: sampleSignalsUnavailable() }), { canDecide: true }, ctx) },
    { name: 'approval: fallback group of 75', card: approvalCard(sampleWithLargeApproverGroup(), { canDecide: true, viewerId: '00000000-0000-4000-8000-000000000000' }, ctx) },
    {
      name: 'approval held for a step-up sign-in',
      card: stepUpCard({ requestId: 'TAP-7K3F9Q', intentId: 'c0ffee00-0000-4000-8000-000000000001', startUrl: 'https://tap.contoso.com/step-up/start?intent=c0ffee00-0000-4000-8000-000000000001', expiresAt: minutesFromNow(10), linkLifetimeInMinutes: 10 }, ctx),
    },
    ...finished,
  ];
}

function statusCards(ctx: CardContext): NamedCard[] {
  return [
    ...REQUEST_STATES.map((state): NamedCard => ({ name: `agent status: ${state}`, card: requestStatusCard(SAMPLE_REQUESTS[state], ctx) })),
    { name: 'agent status: elevated, waiting for the second approver', card: requestStatusCard(sampleElevated({ firstApproval: true }), ctx) },
  ];
}

function deliveryCards(ctx: CardContext): NamedCard[] {
  const issued = SAMPLE_REQUESTS.Issued;
  return [
    { name: 'delivery: with code', card: passDeliveryCard(issued, SAMPLE_PASS, ctx) },
    { name: 'delivery: handed over', card: passDeliveryCard(sampleHandedOver(), null, ctx) },
    { name: 'delivery: replaced by a later pass', card: passDeliveryCard({ ...issued, replacedBy: { requestId: 'TAP-2M8D4R', at: minutesFromNow(20) } }, null, ctx) },
    {
      name: 'delivery: revoked',
      card: passDeliveryCard({ ...issued, revocation: { by: SAMPLE_AGENT, at: minutesFromNow(10), reason: 'Handed to the wrong person', stopped: { deleted: [issued.id], nothingLive: false } } }, null, ctx),
    },
    { name: 'delivery: to a Danish-speaking user', card: passDeliveryCard({ ...issued, target: { ...issued.target, preferredLanguage: 'da-DK' } }, SAMPLE_PASS, ctx) },
  ];
}

function guideCards(ctx: CardContext, language: Language): NamedCard[] {
  const withUrl = { ...ctx, publicBaseUrl: 'https://tap.contoso.com' };
  return SCENARIOS.map((scenario): NamedCard => ({ name: `guide: ${scenario}`, card: userGuideCard(sampleRequest('Issued', { scenario }), withUrl, language) }));
}

function ownerCards(ctx: CardContext): NamedCard[] {
  const issued = SAMPLE_REQUESTS.Issued;
  return [
    { name: 'owner notice: pass issued', card: ownerNoticeCard(issued, { guideUrl: 'https://tap.contoso.com/guide/recovery', disputeUrl: 'https://tap.contoso.com/dispute/5f2c9a7e4b1d' }, ctx) },
    { name: 'owner notice: disputed', card: ownerNoticeCard({ ...issued, suspicious: { by: issued.target, at: minutesFromNow(5), reason: 'not me' } }, {}, ctx) },
    { name: 'owner notice: revoked', card: ownerNoticeCard({ ...issued, revocation: { by: SAMPLE_AGENT, at: minutesFromNow(10), stopped: { deleted: [issued.id], nothingLive: false } } }, {}, ctx) },
  ];
}

function chatCards(ctx: CardContext): NamedCard[] {
  const policy = samplePolicy();
  const zone = { timeZone: 'Europe/Copenhagen' };
  return [
    { name: 'status list: recent requests', card: statusListCard(Object.values(SAMPLE_REQUESTS), ctx, { title: 'Your recent requests', finishedShownAtMost: 5 }) },
    { name: 'status list: waiting for your decision', card: statusListCard([SAMPLE_REQUESTS.PendingApproval, sampleElevated()], ctx, { title: 'Waiting for your decision (2)' }) },
    { name: 'status list: empty', card: statusListCard([], ctx, { title: 'Your recent requests' }) },
    { name: 'help: agent', card: helpCard({ isAgent: true, isApprover: false }, ctx) },
    { name: 'help: agent who also approves', card: helpCard({ isAgent: true, isApprover: true }, ctx) },
    { name: 'help: approver', card: helpCard({ isAgent: false, isApprover: true }, ctx) },
    { name: 'help: neither', card: helpCard({ isAgent: false, isApprover: false }, ctx) },
    { name: 'welcome: agent', card: welcomeCard({ isAgent: true }, ctx) },
    { name: 'welcome: not an agent', card: welcomeCard({ isAgent: false }, ctx) },
    ...SCENARIOS.map((scenario): NamedCard => ({ name: `request form: ${scenario}`, card: requestFormCard(formInput(policy, { target: 'megan@contoso.com' }, { scenario, useScenarioDefaults: true, ...zone }), ctx) })),
    {
      name: 'request form: with an error',
      card: requestFormCard(
        formInput(policy, { target: 'megan@contoso.com', reason: 'Lost her phone', lifetimeInMinutes: 2880 }, { ...zone, error: catalogue(ctx.language).errors.lifetimeOutsidePolicy({ min: 60, max: 480, asked: 2880 }) }),
        ctx,
      ),
    },
    { name: 'request form: tenant forces one-time passes', card: requestFormCard(formInput({ ...policy, isUsableOnceForced: true, defaultIsUsableOnce: true }, {}, zone), ctx) },
  ];
}

/** Plain messages in each tone, with the sentences the bot sends in them (from the reader's catalogue). */
function messageCards(language: Language): NamedCard[] {
  const say = catalogue(language).chat;
  const id = SAMPLE_REQUESTS.Issued.id;
  return [
    { name: 'message: good', card: messageCard({ title: say.revoked.cardTitle(id), text: say.revoked.cardText, tone: 'good' }) },
    { name: 'message: attention', card: messageCard({ title: say.notice.deniedTitle(id), text: say.notice.denied('Nestor Wilke', 'Megan Bowen (meganb@contoso.com)'), tone: 'attention' }) },
    { name: 'message: warning', card: messageCard({ title: say.card.notFoundTitle, text: say.card.notFound('TAP-7K3F9Q'), tone: 'warning' }) },
    { name: 'message: warning, long names', card: messageCard({ title: say.refusedTitle, text: say.notice.unreachable('Christoffer Vestergaard-Kristensen and Nestor Wilke', true), tone: 'warning' }) },
    { name: 'message: default', card: messageCard({ title: say.notice.preparingTitle('Megan Bowen'), text: say.notice.preparing(id, 'Megan Bowen'), tone: 'default' }) },
  ];
}

/** A pass as long as a tenant may make them (defaultLength up to 48): the longest a result page must show. */
const LONG_PASS = 'Xk7#Qm2$Lp9!Rz4&Vn8*Tb3@Hw6%Jc5^Fd1+Gs0=Yt2?Ae4u';

function bulkMember(i: number, state: BulkMember['state'], extra: Partial<BulkMember> = {}): BulkMember {
  const n = String(i + 1).padStart(2, '0');
  return {
    id: `b0000000-0000-4000-8000-0000000000${n}`,
    userPrincipalName: `joiner${n}.with-a-long-name@contoso.onmicrosoft.com`,
    displayName: `Christoffer Vestergaard-Kristensen ${n}`,
    managerName: 'Nestor Wilke',
    department: 'Sales and Customer Success',
    state,
    attempts: state === 'pending' || state === 'refused' ? 0 : 1,
    ...(state === 'issued' ? { startDateTime: minutesFromNow(0), expiresDateTime: minutesFromNow(480), requestId: `TAP-B${n}QX7`, page: 1 } : {}),
    ...extra,
  };
}

function sampleBulk(state: BulkRequest['state'], members: BulkMember[], extra: Partial<BulkRequest> = {}): BulkRequest {
  return {
    id: 'BULK-7K3F9Q',
    state,
    createdAt: minutesFromNow(-10),
    updatedAt: minutesFromNow(-1),
    expiresAt: minutesFromNow(50),
    tenantId: '99999999-9999-4999-8999-999999999999',
    requester: SAMPLE_AGENT,
    via: 'teams',
    group: { id: 'g0000000-0000-4000-8000-000000000001', displayName: 'New Joiners December', nested: false },
    nestedGroupsSkipped: [],
    scenario: 'newJoiner',
    reason: 'December joiners from HR (list of 1 Dec)',
    ticket: 'INC0012399',
    settings: { lifetimeInMinutes: 480, isUsableOnce: false, startDateTime: minutesFromNow(24 * 60) },
    approverGroupId: 'g0000000-0000-4000-8000-000000000002',
    approvers: [SAMPLE_SECOND_APPROVER, SAMPLE_MANAGER],
    deliverTo: 'requester',
    members,
    pages: [],
    ...extra,
  };
}

function bulkCards(ctx: CardContext): NamedCard[] {
  const pending = [
    ...Array.from({ length: 30 }, (_, i) => bulkMember(i, 'pending')),
    bulkMember(30, 'refused', { reason: 'Holds a directory role (Global Administrator): passes for administrators are refused.' }),
    bulkMember(31, 'refused', { reason: 'Already has Microsoft Authenticator: a lost method is a recovery, proven by their manager one at a time.' }),
  ];
  const issuing = pending.map((m, i) => (m.state === 'refused' ? m : i < 12 ? bulkMember(i, 'issued') : i === 12 ? bulkMember(i, 'failed', { reason: 'Graph refused the pass: the policy does not include this user.' }) : m));
  const done = issuing.map((m, i) => (m.state === 'pending' ? bulkMember(i, 'issued') : m));
  const decision = { by: SAMPLE_SECOND_APPROVER, at: minutesFromNow(-5), action: 'approve' as const, attestation: BULK_ATTESTATION };
  const startedAt = minutesFromNow(-2);
  const page: BulkPage = { n: 1, recipientId: SAMPLE_AGENT.id, memberIds: done.slice(0, 3).map((m) => m.id), deliveredAt: minutesFromNow(-1), expiresDateTime: minutesFromNow(480) };
  const passes: BulkPass[] = done.slice(0, 3).map((member, i) => ({ member, temporaryAccessPass: i === 0 ? LONG_PASS : `Zq7!Rt${i}9#Lm2`, startDateTime: minutesFromNow(0), expiresDateTime: minutesFromNow(480) }));
  const policy = samplePolicy();
  const withUrl = { ...ctx, publicBaseUrl: 'https://tap.contoso.com' };
  return [
    { name: 'bulk form', card: bulkFormCard({ policy, timeZone: 'Europe/Copenhagen', ...(ctx.language ? { language: ctx.language } : {}) }) },
    { name: 'bulk form: with an error', card: bulkFormCard({ policy, group: 'New Joiners Decmber', echo: { scenario: 'newJoiner', reason: 'December joiners' }, error: catalogue(ctx.language).errors.bulkEmpty({ group: 'New Joiners Decmber', nestedGroups: 2 }), timeZone: 'Europe/Copenhagen', ...(ctx.language ? { language: ctx.language } : {}) }) },
    { name: 'bulk status: requester, waiting for approval', card: bulkStatusCard(sampleBulk('PendingApproval', pending), ctx, { viewer: 'requester' }) },
    { name: 'bulk status: approver decides (32 members)', card: bulkStatusCard(sampleBulk('PendingApproval', pending), ctx, { viewer: 'approver' }) },
    { name: 'bulk status: approver, refused approve', card: bulkStatusCard(sampleBulk('PendingApproval', pending), ctx, { viewer: 'approver', error: catalogue(ctx.language).errors.bulkConfirmFirst() }) },
    { name: 'bulk status: creating passes', card: bulkStatusCard(sampleBulk('Issuing', issuing, { decision, startedAt }), ctx, { viewer: 'requester' }) },
    { name: 'bulk status: approved, made before the start', card: bulkStatusCard(sampleBulk('Issuing', pending, { decision, scheduledIssueAt: minutesFromNow(23 * 60) }), ctx, { viewer: 'requester' }) },
    { name: 'bulk status: done', card: bulkStatusCard(sampleBulk('Completed', done, { decision, startedAt, finishedAt: minutesFromNow(-1) }), ctx, { viewer: 'requester' }) },
    { name: 'bulk status: denied', card: bulkStatusCard(sampleBulk('Denied', pending, { decision: { by: SAMPLE_SECOND_APPROVER, at: minutesFromNow(-5), action: 'deny', denyReason: 'HR has not confirmed the list.' } }), ctx, { viewer: 'requester' }) },
    { name: 'bulk status: stopped', card: bulkStatusCard(sampleBulk('Cancelled', issuing, { decision, startedAt, cancelledBy: SAMPLE_AGENT }), ctx, { viewer: 'requester' }) },
    { name: 'bulk status: expired', card: bulkStatusCard(sampleBulk('Expired', pending), ctx, { viewer: 'other' }) },
    { name: 'bulk status: failed', card: bulkStatusCard(sampleBulk('Failed', issuing, { decision, startedAt, failure: { code: 'policyDisabled', message: 'The Temporary Access Pass policy was turned off: nothing more will be created.' } }), ctx, { viewer: 'requester' }) },
    { name: 'bulk result page: codes, one 48 characters long', card: bulkPageCard(sampleBulk('Completed', done, { decision, startedAt }), page, passes, withUrl) },
    { name: 'bulk result page: codes hidden', card: bulkPageCard(sampleBulk('Completed', done, { decision, startedAt }), { ...page, codesHidden: true }, null, ctx) },
  ];
}

/** Every card the bot can send, for a reader of `language`. */
export function everyCard(language: Language): NamedCard[] {
  const ctx: CardContext = { ...SAMPLE_CONTEXT, language };
  return [...approvalCards(ctx), ...statusCards(ctx), ...deliveryCards(ctx), ...guideCards(ctx, language), ...ownerCards(ctx), ...chatCards(ctx), ...messageCards(language), ...bulkCards(ctx)];
}
