/**
 * View models for the cards about one request: the approver's card, the agent's status
 * card and the compact list. Everything shown is read from the stored request; the
 * cards send back only `{ requestId }` and what the person typed.
 */
import { ATTESTATIONS, type TapRequest } from '../flow/types';
import { type CardContext, formatDuration, formatInstant, formatInstantWithRelative } from './format';
import {
  APPROVER_KIND_LABELS,
  ATTESTATION_CHOICES,
  EXISTING_TAP_WARNING,
  SCENARIO_LABELS,
  STATE_LOOKS,
  orDash,
  usageLabel,
} from './labels';
import { describeOutcome, type Fact, isOpenForDecision, namesOf, personLabel, type StatusView } from './outcome';
import { VERBS } from './verbs';

/** Teams refreshes a card automatically for at most 60 listed users. */
export const MAX_REFRESH_USER_IDS = 60;

interface NoteView {
  hasNote: boolean;
  note: { label: string; text: string };
}

function noteView(req: TapRequest): NoteView {
  const d = req.decision;
  if (d?.action === 'deny' && d.denyReason) return { hasNote: true, note: { label: 'Reason: ', text: d.denyReason } };
  if (d?.action === 'approve' && d.attestationNote) {
    return { hasNote: true, note: { label: "Approver's note: ", text: d.attestationNote } };
  }
  return { hasNote: false, note: { label: '', text: '' } };
}

function startsText(req: TapRequest, ctx: CardContext): string {
  const start = req.issued?.startDateTime ?? req.settings.startDateTime;
  return start ? formatInstant(start, ctx) : 'As soon as it is issued';
}

function passFacts(req: TapRequest, ctx: CardContext): Fact[] {
  const lifetime = req.issued?.lifetimeInMinutes ?? req.settings.lifetimeInMinutes;
  const once = req.issued?.isUsableOnce ?? req.settings.isUsableOnce;
  return [
    { title: 'Valid for', value: formatDuration(lifetime) },
    { title: 'Use', value: usageLabel(once) },
    { title: 'Starts', value: startsText(req, ctx) },
  ];
}

/** What the approval and status cards both show at the top. */
interface RequestHeadView extends NoteView {
  requestId: string;
  title: string;
  subtitle: string;
  status: StatusView;
  replacesExistingTap: boolean;
  existingTapWarning: string;
}

export interface ApprovalView extends RequestHeadView {
  targetFacts: Fact[];
  requestFacts: Fact[];
  passFacts: Fact[];
  reason: string;
  hasTicket: boolean;
  ticket: string;
  canDecide: boolean;
  decideAdvice: string;
  attestationChoices: Fact[];
  verbs: typeof VERBS;
  refreshUserIds: string[];
}

export function approvalView(req: TapRequest, viewer: { canDecide: boolean }, ctx: CardContext): ApprovalView {
  const canDecide = viewer.canDecide && isOpenForDecision(req, ctx.now);
  const { target } = req;
  return {
    requestId: req.id,
    title: canDecide ? `Approve a Temporary Access Pass for ${target.displayName}?` : `Temporary Access Pass for ${target.displayName}`,
    subtitle: `Request ${req.id} from ${personLabel(req.requester)}, helpdesk`,
    status: describeOutcome(req, ctx, canDecide),
    ...noteView(req),
    // "approving replaces it" is advice for a decision still to make; after that it misleads.
    replacesExistingTap: req.replacesExistingTap && isOpenForDecision(req, ctx.now),
    existingTapWarning: EXISTING_TAP_WARNING,
    targetFacts: [
      { title: 'Name', value: target.displayName },
      { title: 'Sign-in name', value: target.userPrincipalName },
      { title: 'Job title', value: orDash(target.jobTitle) },
      { title: 'Department', value: orDash(target.department) },
    ],
    requestFacts: [
      { title: 'Requested by', value: personLabel(req.requester) },
      { title: 'Scenario', value: SCENARIO_LABELS[req.scenario] },
      { title: 'Requested at', value: formatInstant(req.createdAt, ctx) },
      // Once decided or expired, "expires (in 30 minutes)" would read as if it were still open.
      isOpenForDecision(req, ctx.now)
        ? { title: 'Request expires', value: formatInstantWithRelative(req.expiresAt, ctx) }
        : { title: 'Decision deadline', value: formatInstant(req.expiresAt, ctx) },
    ],
    passFacts: passFacts(req, ctx),
    reason: req.reason,
    hasTicket: Boolean(req.ticket),
    ticket: req.ticket ?? '',
    canDecide,
    decideAdvice:
      `Approve only if you have confirmed yourself that it is really ${target.displayName} asking, not someone pretending to be them. ` +
      'The pass opens their account to whoever holds it.',
    attestationChoices: ATTESTATIONS.map((value) => ({ title: ATTESTATION_CHOICES[value], value })),
    verbs: VERBS,
    refreshUserIds: [...new Set(req.approver.ids)].slice(0, MAX_REFRESH_USER_IDS),
  };
}

export interface RequestStatusView extends RequestHeadView {
  approversHeading: string;
  approverFacts: Fact[];
  requestFacts: Fact[];
  reason: string;
  hasTicket: boolean;
  ticket: string;
  canCancel: boolean;
  verbs: typeof VERBS;
}

export function requestStatusView(req: TapRequest, ctx: CardContext): RequestStatusView {
  const pending = isOpenForDecision(req, ctx.now);
  const { approver } = req;
  return {
    requestId: req.id,
    title: `TAP request ${req.id}`,
    subtitle: `For ${personLabel(req.target)}`,
    status: describeOutcome(req, ctx, false),
    ...noteView(req),
    replacesExistingTap: req.replacesExistingTap && pending,
    existingTapWarning: EXISTING_TAP_WARNING,
    approversHeading: pending ? 'Asked to approve' : 'Approver',
    approverFacts: [{ title: APPROVER_KIND_LABELS[approver.kind], value: namesOf(approver.people, approver.ids.length) }],
    requestFacts: [
      { title: 'Scenario', value: SCENARIO_LABELS[req.scenario] },
      ...passFacts(req, ctx),
      { title: 'Requested at', value: formatInstant(req.createdAt, ctx) },
      {
        title: req.state === 'PendingApproval' ? 'Request expires' : 'Decision deadline',
        value: pending ? formatInstantWithRelative(req.expiresAt, ctx) : formatInstant(req.expiresAt, ctx),
      },
      { title: 'Pass goes to', value: req.deliveryRecipient === 'manager' ? 'The approving manager' : 'You (the requesting agent)' },
    ],
    reason: req.reason,
    hasTicket: Boolean(req.ticket),
    ticket: req.ticket ?? '',
    canCancel: pending,
    verbs: VERBS,
  };
}

export interface StatusListView {
  title: string;
  subtitle: string;
  hasRequests: boolean;
  emptyText: string;
  rows: { heading: string; detail: string; stateLabel: string; stateColor: string }[];
}

export function statusListView(requests: TapRequest[], ctx: CardContext, title: string): StatusListView {
  const count = requests.length;
  return {
    title,
    subtitle: count === 1 ? '1 request' : `${count} requests`,
    hasRequests: count > 0,
    emptyText: 'No requests to show.',
    rows: requests.map((req) => {
      const expiredUnnoticed = req.state === 'PendingApproval' && !isOpenForDecision(req, ctx.now);
      const look = expiredUnnoticed ? STATE_LOOKS.Expired : STATE_LOOKS[req.state];
      return {
        heading: `${req.id} · ${req.target.displayName}`,
        detail: `${req.target.userPrincipalName} · ${SCENARIO_LABELS[req.scenario]} · requested ${formatInstant(req.createdAt, ctx)}`,
        stateLabel: look.label,
        stateColor: look.color,
      };
    }),
  };
}
