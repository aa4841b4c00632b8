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
} from '../flow/types';
import type { CardContext } from './format';

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

export const SAMPLE_TARGET: TargetPerson = {
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
