/**
 * Sample requests in every state, for card tests and the screenshot tool. Fixed
 * instants so rendered cards are reproducible. The sample pass is fake.
 */
import {
  type DeliverablePass,
  type Person,
  REQUEST_STATES,
  type RequestState,
  type TapRequest,
  type TargetPerson,
} from '../../src/flow/types';
import type { TargetSignals } from '../../src/graph/types';
import type { CardContext } from '../../src/cards/format';
import { said } from '../../src/i18n/said';

export const SAMPLE_NOW = new Date('2026-11-22T13:05:00.000Z');
export const SAMPLE_CONTEXT: CardContext = { now: SAMPLE_NOW, timeZone: 'Europe/Copenhagen' };
export const SAMPLE_CONTEXT_UTC: CardContext = { now: SAMPLE_NOW };

const minutesFromNow = (minutes: number): string => new Date(SAMPLE_NOW.getTime() + minutes * 60_000).toISOString();

export const SAMPLE_AGENT: Person = {
  id: '11111111-1111-4111-8111-111111111111',
  displayName: 'Alex Wilber',
  userPrincipalName: 'alexw@contoso.com',
  jobTitle: 'Helpdesk agent',
  department: 'IT Service Desk',
};

export const SAMPLE_MANAGER: Person = {
  id: '22222222-2222-4222-8222-222222222222',
  displayName: 'Nestor Wilke',
  userPrincipalName: 'nestorw@contoso.com',
  jobTitle: 'Head of Sales',
  department: 'Sales',
};

const SAMPLE_TARGET: TargetPerson = {
  id: '33333333-3333-4333-8333-333333333333',
  displayName: 'Megan Bowen',
  userPrincipalName: 'meganb@contoso.com',
  jobTitle: 'Account Manager',
  department: 'Sales',
  preferredLanguage: 'en-US',
};

/** A fake pass with markdown-looking characters, to prove it is shown verbatim. */
export const SAMPLE_PASS_CODE = 'K7*qR_2m#Lp9';

export const SAMPLE_PASS: DeliverablePass = {
  temporaryAccessPass: SAMPLE_PASS_CODE,
  startDateTime: minutesFromNow(0),
  expiresDateTime: minutesFromNow(60),
  lifetimeInMinutes: 60,
  isUsableOnce: true,
};

export const SAMPLE_SECOND_APPROVER: Person = {
  id: '44444444-4444-4444-8444-444444444444',
  displayName: 'Joni Sherman',
  userPrincipalName: 'jonis@contoso.com',
  jobTitle: 'Identity administrator',
  department: 'IT Security',
};

export const SAMPLE_MOBILE = '+45 20 11 22 33';
export const SAMPLE_BUSINESS_PHONE = '+45 33 44 55 66';

/** What Entra ID said about Megan: numbers on file, methods registered long ago, no risk. */
export function sampleSignals(): TargetSignals {
  return {
    phones: { available: true, value: { business: [SAMPLE_BUSINESS_PHONE], mobile: SAMPLE_MOBILE } },
    methods: {
      available: true,
      value: {
        registered: [
          { type: 'password', createdDateTime: '2023-03-01T08:00:00Z' },
          { type: 'microsoftAuthenticator', displayName: 'iPhone 15', createdDateTime: '2024-05-14T09:12:00Z' },
          { type: 'fido2', displayName: 'YubiKey 5C', createdDateTime: '2025-02-03T10:00:00Z' },
        ],
        newestAddedAt: '2025-02-03T10:00:00Z',
      },
    },
    account: { available: true, value: { createdDateTime: '2023-03-01T08:00:00Z', lastSuccessfulSignIn: minutesFromNow(-26 * 60) } },
    managerChange: { available: true, value: null },
    risk: { available: true, value: null },
  };
}

/** Every signal refused, as a tenant without the permissions and licences would answer. */
export function sampleSignalsUnavailable(): TargetSignals {
  return {
    phones: { available: false, missing: said('needsPermission', { permission: 'User.Read.All' }) },
    methods: { available: false, missing: said('needsPermission', { permission: 'UserAuthenticationMethod.Read.All' }) },
    account: { available: false, missing: said('needsPermission', { permission: 'User.Read.All' }) },
    managerChange: { available: false, missing: said('needsPermission', { permission: 'AuditLog.Read.All' }) },
    risk: { available: false, missing: said('needsPermissionAndLicence', { permission: 'IdentityRiskyUser.Read.All', licence: 'Entra ID P2' }) },
    signInMissing: said('needsPermissionAndLicence', { permission: 'AuditLog.Read.All', licence: 'Entra ID P1' }),
  };
}

function base(): TapRequest {
  return {
    id: 'TAP-7K3F9Q',
    state: 'PendingApproval',
    createdAt: minutesFromNow(-5),
    updatedAt: minutesFromNow(-5),
    expiresAt: minutesFromNow(25),
    tenantId: '99999999-9999-4999-8999-999999999999',
    requester: SAMPLE_AGENT,
    target: SAMPLE_TARGET,
    approver: { kind: 'manager', ids: [SAMPLE_MANAGER.id], people: [SAMPLE_MANAGER] },
    scenario: 'recovery',
    reason: 'Lost her phone on a business trip; called the service desk from a hotel phone.',
    ticket: 'INC0012345',
    settings: { lifetimeInMinutes: 60, isUsableOnce: true },
    replacesExistingTap: false,
    deliveryRecipient: 'agent',
    signals: sampleSignals(),
    risk: { level: 'normal', reasons: [], rules: [] },
  };
}

const approval = { by: SAMPLE_MANAGER, at: minutesFromNow(-2), action: 'approve', attestation: 'videoCall' } as const;
const issued = {
  methodId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  startDateTime: minutesFromNow(-1),
  expiresDateTime: minutesFromNow(59),
  lifetimeInMinutes: 60,
  isUsableOnce: true,
  issuedAt: minutesFromNow(-1),
};

const BY_STATE: Record<RequestState, (r: TapRequest) => TapRequest> = {
  PendingApproval: (r) => r,
  Approved: (r) => ({ ...r, decision: { ...approval } }),
  Issuing: (r) => ({ ...r, decision: { ...approval } }),
  Issued: (r) => ({
    ...r,
    decision: { ...approval, attestationNote: 'Video call from her personal phone; I know her well.' },
    issued,
    delivery: { recipientId: SAMPLE_AGENT.id, recipientKind: 'agent', deliveredAt: minutesFromNow(-1) },
  }),
  Denied: (r) => ({
    ...r,
    decision: { by: SAMPLE_MANAGER, at: minutesFromNow(-2), action: 'deny', denyReason: 'I could not reach her; she is on leave.' },
  }),
  Expired: (r) => ({ ...r, createdAt: minutesFromNow(-60), expiresAt: minutesFromNow(-30), updatedAt: minutesFromNow(-30) }),
  Failed: (r) => ({
    ...r,
    decision: { ...approval },
    failure: { code: 'policy', message: 'The tenant policy does not allow this lifetime.' },
  }),
  Cancelled: (r) => ({ ...r, cancelledBy: SAMPLE_AGENT, updatedAt: minutesFromNow(-1) }),
};

/** Distinct ids so a list of samples reads like a real list. */
const SAMPLE_IDS: Record<RequestState, string> = {
  PendingApproval: 'TAP-7K3F9Q',
  Approved: 'TAP-2M8D4R',
  Issuing: 'TAP-5H1C7W',
  Issued: 'TAP-9B6N2X',
  Denied: 'TAP-3J7P5L',
  Expired: 'TAP-8F4T1Z',
  Failed: 'TAP-6V2K9S',
  Cancelled: 'TAP-4Q8G3Y',
};

/** A sample request in `state`, with optional overrides. */
export function sampleRequest(state: RequestState, overrides: Partial<TapRequest> = {}): TapRequest {
  return { ...BY_STATE[state]({ ...base(), id: SAMPLE_IDS[state], state }), ...overrides };
}

export const SAMPLE_REQUESTS: Record<RequestState, TapRequest> = Object.fromEntries(
  REQUEST_STATES.map((state) => [state, sampleRequest(state)]),
) as Record<RequestState, TapRequest>;

/** Delivered and then handed over: the card without the code. */
export function sampleHandedOver(): TapRequest {
  const r = sampleRequest('Issued');
  return {
    ...r,
    delivery: { ...r.delivery!, handedOverAt: minutesFromNow(3), codeHiddenAt: minutesFromNow(3) },
  };
}

/** A fallback approver group larger than Teams' 60-user refresh limit. */
export function sampleWithLargeApproverGroup(size = 75): TapRequest {
  const people: Person[] = Array.from({ length: size }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    displayName: `Approver ${i + 1}`,
    userPrincipalName: `approver${i + 1}@contoso.com`,
  }));
  return sampleRequest('PendingApproval', {
    approver: { kind: 'fallbackGroup', ids: people.map((p) => p.id), people },
  });
}

const utcWords = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/**
 * Elevated risk as the risk rules word it: the manager was changed two days ago and a
 * method was registered this morning, so Joni Sherman must approve as well (four eyes).
 * `firstApproval` adds Nestor's approval by video call: the request then waits for Joni.
 */
export function sampleElevated(opts: { firstApproval?: boolean } = {}): TapRequest {
  const changedAt = minutesFromNow(-2 * 24 * 60);
  const registeredAt = minutesFromNow(-5 * 60);
  const signals = sampleSignals();
  const methods = signals.methods.available ? signals.methods.value.registered : [];
  return sampleRequest('PendingApproval', {
    id: 'TAP-R1SK4Y',
    signals: {
      ...signals,
      methods: { available: true, value: { registered: [...methods, { type: 'phone', displayName: '+45 99 88 77 66', createdDateTime: registeredAt }], newestAddedAt: registeredAt } },
      managerChange: { available: true, value: { changedAt, by: 'adelev@contoso.com' } },
      risk: { available: true, value: { level: 'high', updatedAt: minutesFromNow(-3 * 60) } },
    },
    risk: {
      level: 'elevated',
      rules: ['managerChange', 'methodRegisteredRecently', 'userRisk'],
      reasons: [
        `Their manager was changed on ${utcWords(changedAt)}, within 7 days: an attacker may have set it to an accomplice.`,
        `A sign-in method was registered on ${utcWords(registeredAt)}, within 24 hours: ask why they lost it so soon.`,
        'Identity Protection rates their account high risk.',
      ],
      said: [
        said('riskManagerChange', { at: changedAt, days: 7 }),
        said('riskMethodRegisteredRecently', { at: registeredAt, hours: 24 }),
        said('riskUserRisk', { level: 'high' }),
      ],
    },
    secondApprover: { ids: [SAMPLE_SECOND_APPROVER.id], people: [SAMPLE_SECOND_APPROVER] },
    ...(opts.firstApproval ? { decision: { by: SAMPLE_MANAGER, at: minutesFromNow(-1), action: 'approve', attestation: 'videoCall' } as const } : {}),
  });
}
