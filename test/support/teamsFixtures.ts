import sinon from 'sinon';
/** People, activities and requests for the Teams edge tests. */
import type { TargetPreview } from '../../src/flow/request/preview';
import type { LinkDispute } from '../../src/flow/stop/dispute';
import type { Activity } from 'botbuilder';
import type { CardContext } from '../../src/cards/format';
import type { Actor, DecisionInput, DeliverablePass, FormPolicy, NewRequestInput, StatusFilter, StatusView, TapRequest } from '../../src/flow/types';
import type { CardRenderer, FlowPort } from '../../src/bot/ports';

export const TENANT = 'c0ffee00-7a90-4d1e-9b1a-5a4db0c0ffee';
export const OTHER_TENANT = 'bad00000-0000-4000-8000-00000000bad0';
export const NOW = new Date('2026-03-02T09:00:00.000Z');

export const PEOPLE = {
  adele: { id: 'a0000000-0000-4000-8000-000000000001', displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.com' },
  nestor: { id: 'a0000000-0000-4000-8000-000000000003', displayName: 'Nestor Wilke', userPrincipalName: 'nestor@contoso.com' },
  megan: { id: 'a0000000-0000-4000-8000-000000000005', displayName: 'Megan Bowen', userPrincipalName: 'megan@contoso.com' },
  joni: { id: 'a0000000-0000-4000-8000-00000000000f', displayName: 'Joni Sherman', userPrincipalName: 'joni@contoso.com' },
} as const;

export type PersonName = keyof typeof PEOPLE;

export function conversationIdOf(who: PersonName): string {
  return `a:personal-${who}`;
}

/** An activity as Teams sends it in the 1:1 chat of `who` with the bot. */
export function teamsActivity(who: PersonName, fields: Partial<Activity> = {}): Partial<Activity> {
  const p = PEOPLE[who];
  return {
    type: 'message',
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/_connector',
    from: { id: `29:${who}`, name: p.displayName, aadObjectId: p.id },
    recipient: { id: '28:tap-bot', name: 'TAP helpdesk' },
    conversation: { id: conversationIdOf(who), conversationType: 'personal', tenantId: TENANT, isGroup: false, name: '' },
    channelData: { tenant: { id: TENANT } },
    ...fields,
  };
}

export function cardAction(who: PersonName, verb: string, data: Record<string, unknown>, fields: Partial<Activity> = {}): Partial<Activity> {
  return teamsActivity(who, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', id: 'act', verb, data }, trigger: 'manual' },
    ...fields,
  });
}

export const POLICY: FormPolicy = {
  enabled: true,
  minimumLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  defaultLifetimeInMinutes: 60,
  isUsableOnceForced: false,
  defaultIsUsableOnce: true,
  maxStartInDays: 30,
  approvalTimeoutInMinutes: 30,
  orgTimeZone: 'Europe/Copenhagen',
  scenarios: {
    recovery: { lifetimeInMinutes: 60, isUsableOnce: true, note: 'Recovery: one sign-in to register a new method straight away.' },
    newJoiner: { lifetimeInMinutes: 480, isUsableOnce: false, note: 'New joiner: starts on their first morning at 08:00 and lasts the working day.', start: { date: '2026-03-03', time: '08:00' } },
    passkeyOnboarding: { lifetimeInMinutes: 120, isUsableOnce: false, note: 'Passkey onboarding: usable more than once, for the two sign-ins a passkey in Microsoft Authenticator needs.' },
  },
};

export function request(fields: Partial<TapRequest> = {}): TapRequest {
  return {
    id: 'TAP-7K3F9Q',
    state: 'PendingApproval',
    createdAt: '2026-03-02T08:55:00.000Z',
    updatedAt: '2026-03-02T08:55:00.000Z',
    expiresAt: '2026-03-02T09:25:00.000Z',
    tenantId: TENANT,
    requester: { ...PEOPLE.adele },
    target: { ...PEOPLE.megan, jobTitle: 'Marketing Manager', department: 'Marketing', preferredLanguage: 'da-DK' },
    approver: { kind: 'manager', ids: [PEOPLE.nestor.id], people: [{ ...PEOPLE.nestor }] },
    scenario: 'recovery',
    reason: 'Lost phone',
    settings: { lifetimeInMinutes: 60, isUsableOnce: true },
    replacesExistingTap: false,
    deliveryRecipient: 'agent',
    ...fields,
  };
}

export const PASS: DeliverablePass = {
  temporaryAccessPass: 'Zq7!secret-pass-42',
  startDateTime: '2026-03-02T09:01:00.000Z',
  expiresDateTime: '2026-03-02T10:01:00.000Z',
  lifetimeInMinutes: 60,
  isUsableOnce: true,
};

/** A FlowPort whose every method is a sinon stub once wrapped by createStubInstance. */
export class NotWiredFlow implements FlowPort {
  assertAgent(_actor: Actor): Promise<void> { return notWired(); }
  isAgent(_actor: Actor): Promise<boolean> { return notWired(); }
  getPolicyForForm(): Promise<FormPolicy> { return notWired(); }
  startRequest(_actor: Actor, _input: NewRequestInput): Promise<TapRequest> { return notWired(); }
  decide(_actor: Actor, _requestId: string, _input: DecisionInput): Promise<TapRequest> { return notWired(); }
  cancel(_actor: Actor, _requestId: string): Promise<TapRequest> { return notWired(); }
  markHandedOver(_actor: Actor, _requestId: string): Promise<TapRequest> { return notWired(); }
  status(_actor: Actor, _filter?: StatusFilter): Promise<StatusView> { return notWired(); }
  getRequest(_id: string): Promise<TapRequest | undefined> { return notWired(); }
  revoke(_actor: Actor, _requestId: string, _reason?: string): Promise<TapRequest> { return notWired(); }
  reportSuspicious(_actor: Actor, _requestId: string, _reason: unknown): Promise<TapRequest> { return notWired(); }
  pending(_actor: Actor): Promise<TapRequest[]> { return notWired(); }
  preview(_actor: Actor, _typed: string): Promise<TargetPreview> { return notWired(); }
  disputeAsOwner(_actor: Actor, _requestId: string): Promise<TapRequest> { return notWired(); }
  disputeByLink(_token: string): Promise<LinkDispute> { return notWired(); }
}

/**
 * A stubbed workflow with the defaults most edge tests want: nothing waits for anyone, and
 * "is this an agent?" (welcome, help) follows whatever the test makes assertAgent do.
 */
export function stubFlow(): sinon.SinonStubbedInstance<NotWiredFlow> {
  const flow = sinon.createStubInstance(NotWiredFlow);
  flow.pending.resolves([]);
  flow.isAgent.callsFake(async (a) => {
    try {
      await flow.assertAgent(a);
      return true;
    } catch {
      return false;
    }
  });
  return flow;
}

function notWired<T>(): Promise<T> {
  return Promise.reject(new Error('not wired in this test'));
}

/**
 * Cards as small labelled objects, so tests assert what the bot chose to show, not how
 * the card templates lay it out (the renderer has its own tests).
 */
export function fakeCards(): CardRenderer {
  const zone = (ctx: CardContext): string => ctx.timeZone ?? 'UTC';
  return {
    welcomeCard: ({ isAgent }) => ({ card: 'welcome', isAgent }),
    helpCard: (reader) => ({ card: 'help', ...(reader ? { reader } : {}) }),
    requestFormCard: (input) => ({ card: 'form', ...input }),
    approvalCard: (req, { canDecide, attestation, attestationNote, error }, ctx) => ({
      card: 'approval',
      requestId: req.id,
      state: req.state,
      canDecide,
      zone: zone(ctx),
      ...(attestation !== undefined ? { attestation } : {}),
      ...(attestationNote !== undefined ? { attestationNote } : {}),
      ...(error !== undefined ? { error } : {}),
    }),
    requestStatusCard: (req, ctx) => ({ card: 'status', requestId: req.id, state: req.state, zone: zone(ctx) }),
    statusListCard: (reqs, ctx, { title }) => ({ card: 'statusList', ids: reqs.map((r) => r.id), title, zone: zone(ctx) }),
    passDeliveryCard: (req, pass, ctx) => ({ card: 'delivery', requestId: req.id, code: pass ? pass.temporaryAccessPass : null, zone: zone(ctx) }),
    userGuideCard: (req, _ctx, language) => ({ card: 'guide', requestId: req.id, language: language ?? null }),
    messageCard: ({ title, text, tone }) => ({ card: 'message', title, text, tone }),
    ownerNoticeCard: (req, links) => ({ card: 'ownerNotice', requestId: req.id, disputed: req.suspicious !== undefined, ...links }),
  };
}
