/**
 * View models for the cards about one request: the approver's card, the agent's status
 * card and the compact list. Everything shown is read from the stored request; the
 * cards send back only `{ requestId }` and what the person typed.
 */
import { ATTESTATIONS, type Decision, type Person, type TapRequest } from '../flow/types';
import { NOTE_MAX } from '../flow/request/validation';
import { calledNumberChoices, signalFacts, withClientTimes } from './evidence';
import { type CardContext, clientInstant, formatDuration } from './format';
import {
  APPROVER_KIND_LABELS,
  ATTESTATION_CHOICES,
  EXISTING_TAP_WARNING,
  SCENARIO_LABELS,
  orDash,
  usageLabel,
} from './labels';
import { isOpenForDecision, offersFor } from './offers';
import type { Fact } from './labels';
import { describeOutcome, namesOf, oneOf, personLabel, type Reader, type StatusView, storyLook } from './outcome';
import { VERBS } from './verbs';

/** Teams refreshes a card automatically for at most 60 listed users. */
const MAX_REFRESH_USER_IDS = 60;

interface NoteView {
  /** What people typed (a report's reason, a deny reason, an approver's note): shown literally, never as markdown. */
  notes: { label: string; text: string }[];
}

function noteView(req: TapRequest): NoteView {
  if (req.suspicious) return { notes: [{ label: 'Why it was reported: ', text: req.suspicious.reason }] };
  const decisions = [req.decision, req.secondDecision].filter((d): d is Decision => d !== undefined);
  // With four eyes two people may have written something: each note names its author.
  const whose = (d: Decision, single: string): string => (decisions.length > 1 ? `${single} (${d.by.displayName}): ` : `${single}: `);
  const notes = decisions.flatMap((d) => {
    if (d.action === 'deny' && d.denyReason) return [{ label: whose(d, 'Reason'), text: d.denyReason }];
    if (d.action === 'approve' && d.attestationNote) return [{ label: whose(d, "Approver's note"), text: d.attestationNote }];
    return [];
  });
  return { notes };
}

function startsText(req: TapRequest): string {
  const start = req.issued?.startDateTime ?? req.settings.startDateTime;
  return start ? clientInstant(start) : 'As soon as it is issued';
}

function passFacts(req: TapRequest): Fact[] {
  const lifetime = req.issued?.lifetimeInMinutes ?? req.settings.lifetimeInMinutes;
  const once = req.issued?.isUsableOnce ?? req.settings.isUsableOnce;
  return [
    { title: 'Valid for', value: formatDuration(lifetime) },
    { title: 'Use', value: usageLabel(once) },
    { title: 'Starts', value: startsText(req) },
  ];
}

/**
 * Settings a manager should look at twice before approving. Said in words: the box's
 * colour only repeats them.
 */
function riskyThings(req: TapRequest, now: Date, defaultLifetimeInMinutes?: number): string[] {
  const risks: string[] = [];
  const { settings } = req;
  if (!settings.isUsableOnce) risks.push('Multi-use: the pass works for any number of sign-ins until it expires.');
  if (defaultLifetimeInMinutes !== undefined && settings.lifetimeInMinutes > defaultLifetimeInMinutes) {
    risks.push(`Long lifetime: ${formatDuration(settings.lifetimeInMinutes)}, longer than the usual ${formatDuration(defaultLifetimeInMinutes)}.`);
  }
  if (settings.startDateTime && new Date(settings.startDateTime).getTime() > now.getTime()) {
    risks.push(`Starts later, on ${clientInstant(settings.startDateTime)}: check that the person will still be the one using it.`);
  }
  if (req.replacesExistingTap) risks.push(EXISTING_TAP_WARNING);
  return risks;
}

/** The buttons every party's card may carry (cards/party-actions.json). */
export interface PartyActionsView {
  requestId: string;
  canRevoke: boolean;
  canReport: boolean;
  revokeWarning: string;
  reportHelp: string;
  reasonMax: number;
  verbs: typeof VERBS;
}

export function partyActionsView(req: TapRequest, offers: { revoke: boolean; report: boolean }): PartyActionsView {
  return {
    requestId: req.id,
    canRevoke: offers.revoke,
    canReport: offers.report,
    revokeWarning: `${req.target.displayName} can no longer sign in with this pass, and the code stops working at once. This cannot be undone.`,
    reportHelp:
      'Report it if the request may be someone pretending to be the user. A request still waiting is stopped, an issued pass is revoked, and the security team is told.',
    reasonMax: NOTE_MAX,
    verbs: VERBS,
  };
}

/** What the approver's card is told about its viewer and a refused attempt to decide. */
export interface ApprovalViewer {
  /** From the edge: the viewer is an assigned approver of an open request. */
  canDecide: boolean;
  /** The viewer's object id, so their own actions read "you" (default: the only approver). */
  viewerId?: string;
  /** The tenant policy's default lifetime: a longer pass is flagged as a risk. */
  defaultLifetimeInMinutes?: number;
  /** A refused Approve comes back with what the approver chose and typed, and why. */
  attestation?: string;
  attestationNote?: string;
  /** The number on file the approver said they called (kept only when it is one of them). */
  calledNumber?: string;
  error?: string;
}

interface RiskBoxView {
  hasRisk: boolean;
  riskHeading: string;
  riskReasons: string[];
  riskWho: string;
}

/** "Nestor Wilke and Joni Sherman must both approve.", or "…and one of Ann, Bo and Cy" when any of several may. */
function twoApprovals(first: string, second: Person[], secondIds: number): string {
  return Math.max(second.length, secondIds) > 1
    ? `${first} must approve, and so must ${oneOf(second, secondIds)}.`
    : `${first} and ${namesOf(second, secondIds)} must both approve.`;
}

/**
 * Elevated risk in words, for the approvers and the agent: the heading says what it means,
 * each reason the risk rules gave is a line, and the last line says who must approve.
 */
function riskBox(req: TapRequest, open: boolean): RiskBoxView {
  const risk = req.risk;
  if (risk?.level !== 'elevated') return { hasRisk: false, riskHeading: '', riskReasons: [], riskWho: '' };
  const second = req.secondApprover;
  return {
    hasRisk: true,
    riskHeading: second ? (open ? 'Elevated risk: two approvals needed' : 'Elevated risk: two approvals were needed') : 'Elevated risk',
    riskReasons: risk.reasons.map(withClientTimes),
    riskWho: second ? twoApprovals(namesOf(req.approver.people, req.approver.ids.length), second.people, second.ids.length) : '',
  };
}

export interface ApprovalView extends NoteView, RiskBoxView {
  requestId: string;
  title: string;
  subtitle: string;
  status: StatusView;
  summaryFacts: Fact[];
  reason: string;
  hasError: boolean;
  error: string;
  hasRisks: boolean;
  risksHeading: string;
  risks: string[];
  targetFacts: Fact[];
  requestFacts: Fact[];
  passFacts: Fact[];
  hasTicket: boolean;
  ticket: string;
  /** The signals, above the decision while it is open; folded into the details afterwards. */
  signalsHeading: string;
  signalFacts: Fact[];
  signalsUpFront: boolean;
  canDecide: boolean;
  decideAdvice: string;
  hasCalledNumberChoices: boolean;
  calledNumberChoices: Fact[];
  calledNumberValue: string;
  hasCalledNumberNote: boolean;
  calledNumberNote: string;
  callUrl: string;
  callTitle: string;
  attestationChoices: Fact[];
  attestationValue: string;
  attestationNoteValue: string;
  noteMax: number;
  verbs: typeof VERBS;
  refreshUserIds: string[];
}

/** A Teams deep link that starts a call with the user: the quickest way to check it is them. */
function teamsCallUrl(userPrincipalName: string): string {
  return `https://teams.microsoft.com/l/call/0/0?users=${encodeURIComponent(userPrincipalName)}`;
}

function approverReader(req: TapRequest, viewerId?: string): Reader {
  const only = req.approver.ids.length === 1 ? req.approver.ids[0] : undefined;
  const id = viewerId ?? only;
  return id === undefined ? {} : { id };
}

export function approvalView(req: TapRequest, viewer: ApprovalViewer, ctx: CardContext): ApprovalView {
  const offers = offersFor(req, 'approval', viewer, ctx.now);
  const canDecide = offers.decide;
  const open = isOpenForDecision(req, ctx.now);
  const { target } = req;
  // Risks are advice for a decision still to make; on a closed card they would mislead.
  const risks = open ? riskyThings(req, ctx.now, viewer.defaultLifetimeInMinutes) : [];
  const attestation = viewer.attestation && (ATTESTATIONS as readonly string[]).includes(viewer.attestation) ? viewer.attestation : '';
  const error = canDecide ? viewer.error ?? '' : '';
  const called = calledNumberChoices(req);
  const calledNumber = called.choices.some((c) => c.value === viewer.calledNumber) ? viewer.calledNumber ?? '' : '';
  const forWhom = [target.displayName, target.jobTitle, target.department].filter((x) => x && x.trim()).join(', ');
  return {
    requestId: req.id,
    title: canDecide ? `Approve a Temporary Access Pass for ${target.displayName}?` : `Temporary Access Pass for ${target.displayName}`,
    subtitle: `Request ${req.id} from ${personLabel(req.requester)}, helpdesk`,
    status: describeOutcome(req, ctx, canDecide, approverReader(req, viewer.viewerId)),
    ...noteView(req),
    ...riskBox(req, open),
    summaryFacts: [
      { title: 'Who asks', value: `${req.requester.displayName}, helpdesk` },
      { title: 'For', value: `${forWhom} (${target.userPrincipalName})` },
      open ? { title: 'Decide by', value: clientInstant(req.expiresAt) } : { title: 'Scenario', value: SCENARIO_LABELS[req.scenario] },
    ],
    reason: req.reason,
    hasError: error !== '',
    error,
    hasRisks: risks.length > 0,
    risksHeading: risks.length === 1 ? 'Warning: check this before you approve' : `Warning: check these ${risks.length} things before you approve`,
    risks,
    targetFacts: [
      { title: 'Name', value: target.displayName },
      { title: 'Sign-in name', value: target.userPrincipalName },
      { title: 'Job title', value: orDash(target.jobTitle) },
      { title: 'Department', value: orDash(target.department) },
    ],
    requestFacts: [
      { title: 'Requested by', value: personLabel(req.requester) },
      { title: 'Scenario', value: SCENARIO_LABELS[req.scenario] },
      { title: 'Requested on', value: clientInstant(req.createdAt) },
      { title: open ? 'Decide by' : 'Decision deadline was', value: clientInstant(req.expiresAt) },
    ],
    passFacts: passFacts(req),
    hasTicket: Boolean(req.ticket),
    ticket: req.ticket ?? '',
    signalsHeading: `What Entra ID says about ${target.displayName}`,
    signalFacts: signalFacts(req),
    signalsUpFront: open,
    canDecide,
    decideAdvice:
      `Approve only if you have confirmed yourself that it is really ${target.displayName} asking, not someone pretending to be them: ` +
      'see them on video, meet them, or call them back on a number on file. The pass opens their account to whoever holds it.',
    hasCalledNumberChoices: called.choices.length > 0,
    calledNumberChoices: called.choices,
    calledNumberValue: calledNumber,
    hasCalledNumberNote: called.note !== '',
    calledNumberNote: called.note,
    callUrl: teamsCallUrl(target.userPrincipalName),
    callTitle: 'Call in Teams',
    attestationChoices: ATTESTATIONS.map((value) => ({ title: ATTESTATION_CHOICES[value], value })),
    attestationValue: attestation,
    attestationNoteValue: viewer.attestationNote ?? '',
    noteMax: NOTE_MAX,
    verbs: VERBS,
    // Four eyes: the second approvers' cards must show the first approval as well.
    refreshUserIds: [...new Set([...req.approver.ids, ...(req.secondApprover?.ids ?? [])])].slice(0, MAX_REFRESH_USER_IDS),
  };
}

export interface RequestStatusView extends NoteView, RiskBoxView {
  requestId: string;
  title: string;
  subtitle: string;
  status: StatusView;
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
  const offers = offersFor(req, 'status', {}, ctx.now);
  const pending = isOpenForDecision(req, ctx.now);
  const { approver } = req;
  return {
    requestId: req.id,
    title: `TAP request ${req.id}`,
    subtitle: `For ${personLabel(req.target)}`,
    // The status card goes to the agent who asked: their own actions are "you".
    status: describeOutcome(req, ctx, false, { id: req.requester.id }),
    ...noteView(req),
    ...riskBox(req, pending),
    approversHeading: pending ? 'Asked to approve' : req.secondApprover ? 'Approvers' : 'Approver',
    approverFacts: [
      { title: APPROVER_KIND_LABELS[approver.kind], value: namesOf(approver.people, approver.ids.length) },
      ...(req.secondApprover ? [{ title: 'Second approver', value: oneOf(req.secondApprover.people, req.secondApprover.ids.length) }] : []),
    ],
    requestFacts: [
      { title: 'Scenario', value: SCENARIO_LABELS[req.scenario] },
      ...passFacts(req),
      { title: 'Requested on', value: clientInstant(req.createdAt) },
      { title: pending ? 'Decide by' : 'Decision deadline was', value: clientInstant(req.expiresAt) },
      { title: 'Pass goes to', value: req.deliveryRecipient === 'manager' ? 'The approving manager' : 'You (the requesting agent)' },
      ...(pending && req.replacesExistingTap ? [{ title: 'Existing pass', value: 'Replaced if approved' }] : []),
    ],
    reason: req.reason,
    hasTicket: Boolean(req.ticket),
    ticket: req.ticket ?? '',
    canCancel: offers.cancel,
    verbs: VERBS,
  };
}

export interface StatusListOptions {
  title: string;
  /** How many finished requests the list holds at most; when it is full, the card says it is cut. */
  finishedShownAtMost?: number;
}

export interface StatusListView {
  title: string;
  subtitle: string;
  hasRequests: boolean;
  emptyText: string;
  rows: { heading: string; detail: string; stateLabel: string }[];
  footer: string;
}

const FINISHED: ReadonlySet<TapRequest['state']> = new Set(['Issued', 'Denied', 'Expired', 'Failed', 'Cancelled']);

export function statusListView(requests: TapRequest[], ctx: CardContext, opts: StatusListOptions): StatusListView {
  const count = requests.length;
  const finished = requests.filter((r) => FINISHED.has(r.state)).length;
  const cut = opts.finishedShownAtMost !== undefined && finished >= opts.finishedShownAtMost;
  const counted = count === 1 ? '1 request' : `${count} requests`;
  return {
    title: opts.title,
    subtitle: cut ? `${counted}: the open ones and the ${finished} most recent finished ones. Older requests are not listed.` : counted,
    hasRequests: count > 0,
    emptyText: 'No requests to show.',
    rows: requests.map((req) => ({
      heading: `${req.id} · ${req.target.displayName}`,
      detail: `${req.target.userPrincipalName} · ${SCENARIO_LABELS[req.scenario]} · requested ${clientInstant(req.createdAt)}`,
      stateLabel: storyLook(req, ctx.now).label,
    })),
    footer: cut
      ? 'To see older requests for one user, type status followed by their sign-in name, e.g. status megan@contoso.com.'
      : 'Type status followed by a sign-in name, e.g. status megan@contoso.com, for one user\'s requests.',
  };
}
