/**
 * View models for the cards about one request: the approver's card, the agent's status
 * card and the compact list. Everything shown is read from the stored request; the
 * cards send back only `{ requestId }` and what the person typed.
 */
import { ATTESTATIONS, type Decision, type Person, type TapRequest } from '../flow/types';
import { NOTE_MAX } from '../flow/request/validation';
import { calledNumberChoices, signalFacts, withClientTimes } from './evidence';
import { type CardContext, type CardWords, cardWords, catalogueOf, formatDuration } from './format';
import { CLIENT_ZONE, clientInstant } from '../i18n/time';
import { wordsIn } from '../i18n/said';
import { orDash, usageLabel } from './labels';
import { isOpenForDecision, offersFor } from './offers';
import type { Fact } from './labels';
import { describeOutcome, namesOf, oneOf, personLabel, type Reader, type StatusView, storyLook } from './outcome';
import { VERBS } from './verbs';
import { catalogue } from '../i18n';
import { reasonIn } from '../i18n/said';

/** Teams refreshes a card automatically for at most 60 listed users. */
const MAX_REFRESH_USER_IDS = 60;

interface NoteView {
  /** What people typed (a report's reason, a deny reason, an approver's note): shown literally, never as markdown. */
  notes: { label: string; text: string }[];
}

function noteView(req: TapRequest, w: CardWords, ctx: CardContext): NoteView {
  // What the reporter typed, or the core's words for a report it made (the owner's "not me") in the reader's language.
  if (req.suspicious) return { notes: [{ label: w.notes.reported, text: reasonIn(catalogue(ctx.language), req.suspicious, ctx.timeZone) }] };
  const decisions = [req.decision, req.secondDecision].filter((d): d is Decision => d !== undefined);
  // With four eyes two people may have written something: each note names its author.
  const whose = (d: Decision, single: string): string => (decisions.length > 1 ? w.notes.by(single, d.by.displayName) : w.notes.plain(single));
  const notes = decisions.flatMap((d) => {
    if (d.action === 'deny' && d.denyReason) return [{ label: whose(d, w.notes.reason), text: d.denyReason }];
    if (d.action === 'approve' && d.attestationNote) return [{ label: whose(d, w.notes.approverNote), text: d.attestationNote }];
    return [];
  });
  return { notes };
}

function startsText(req: TapRequest, w: CardWords): string {
  const start = req.issued?.startDateTime ?? req.settings.startDateTime;
  return start ? clientInstant(start) : w.facts.asSoonAsIssued;
}

function passFacts(req: TapRequest, w: CardWords, language: CardContext['language']): Fact[] {
  const lifetime = req.issued?.lifetimeInMinutes ?? req.settings.lifetimeInMinutes;
  const once = req.issued?.isUsableOnce ?? req.settings.isUsableOnce;
  return [
    { title: w.facts.validFor, value: formatDuration(lifetime, language) },
    { title: w.facts.use, value: usageLabel(once, w) },
    { title: w.facts.starts, value: startsText(req, w) },
  ];
}

/**
 * Settings a manager should look at twice before approving. Said in words: the box's
 * colour only repeats them.
 */
function riskyThings(req: TapRequest, ctx: CardContext, w: CardWords, defaultLifetimeInMinutes?: number): string[] {
  const risks: string[] = [];
  const { settings } = req;
  const r = w.approval.risks;
  if (!settings.isUsableOnce) risks.push(r.multiUse);
  if (defaultLifetimeInMinutes !== undefined && settings.lifetimeInMinutes > defaultLifetimeInMinutes) {
    risks.push(r.longLifetime(formatDuration(settings.lifetimeInMinutes, ctx.language), formatDuration(defaultLifetimeInMinutes, ctx.language)));
  }
  if (settings.startDateTime && new Date(settings.startDateTime).getTime() > ctx.now.getTime()) risks.push(r.startsLater(clientInstant(settings.startDateTime)));
  if (req.replacesExistingTap) risks.push(w.existingTap);
  return risks;
}

/** The buttons every party's card may carry (cards/party-actions.json). */
export interface PartyActionsView {
  requestId: string;
  canRevoke: boolean;
  canReport: boolean;
  revokeWarning: string;
  reasonMax: number;
  /** The template's own words. */
  t: CardWords['party'];
  verbs: typeof VERBS;
}

export function partyActionsView(req: TapRequest, offers: { revoke: boolean; report: boolean }, ctx: Pick<CardContext, 'language'>): PartyActionsView {
  const w = cardWords(ctx);
  return {
    requestId: req.id,
    canRevoke: offers.revoke,
    canReport: offers.report,
    revokeWarning: w.party.revokeWarning(req.target.displayName),
    reasonMax: NOTE_MAX,
    t: w.party,
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

/** "Nestor Wilke and Joni Sherman must both approve.", or "…and so must one of Ann, Bo and Cy" when any of several may. */
function twoApprovals(first: string, second: Person[], secondIds: number, w: CardWords): string {
  return Math.max(second.length, secondIds) > 1 ? w.approval.oneOfApproves(first, oneOf(second, secondIds, w)) : w.approval.bothApprove(first, namesOf(second, secondIds, w));
}

/**
 * Elevated risk in words, for the approvers and the agent: the heading says what it means,
 * each reason the risk rules gave is a line, and the last line says who must approve.
 */
function riskBox(req: TapRequest, open: boolean, w: CardWords): RiskBoxView {
  const risk = req.risk;
  if (risk?.level !== 'elevated') return { hasRisk: false, riskHeading: '', riskReasons: [], riskWho: '' };
  const second = req.secondApprover;
  const e = w.approval.elevated;
  return {
    hasRisk: true,
    riskHeading: second ? (open ? e.open : e.closed) : e.plain,
    // The risk rules' reasons in the reader's words (their times left to the client); a record
    // from before the meanings were kept reads its English.
    riskReasons: risk.said?.length === risk.reasons.length ? risk.said.map((s) => wordsIn(catalogueOf(w), s, CLIENT_ZONE)) : risk.reasons.map(withClientTimes),
    riskWho: second ? twoApprovals(namesOf(req.approver.people, req.approver.ids.length, w), second.people, second.ids.length, w) : '',
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
  /** The template's own words. */
  t: CardWords['approval']['template'];
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
  const w = cardWords(ctx);
  const a = w.approval;
  const offers = offersFor(req, 'approval', viewer, ctx.now);
  const canDecide = offers.decide;
  const open = isOpenForDecision(req, ctx.now);
  const { target } = req;
  // Risks are advice for a decision still to make; on a closed card they would mislead.
  const risks = open ? riskyThings(req, ctx, w, viewer.defaultLifetimeInMinutes) : [];
  const attestation = viewer.attestation && (ATTESTATIONS as readonly string[]).includes(viewer.attestation) ? viewer.attestation : '';
  const error = canDecide ? viewer.error ?? '' : '';
  const called = calledNumberChoices(req, w);
  const calledNumber = called.choices.some((c) => c.value === viewer.calledNumber) ? viewer.calledNumber ?? '' : '';
  const forWhom = [target.displayName, target.jobTitle, target.department].filter((x) => x && x.trim()).join(', ');
  return {
    requestId: req.id,
    title: canDecide ? a.titleDecide(target.displayName) : a.title(target.displayName),
    subtitle: a.subtitle(req.id, personLabel(req.requester)),
    status: describeOutcome(req, ctx, canDecide, approverReader(req, viewer.viewerId)),
    ...noteView(req, w, ctx),
    ...riskBox(req, open, w),
    summaryFacts: [
      { title: a.whoAsks, value: a.whoAsksValue(req.requester.displayName) },
      { title: a.for, value: `${forWhom} (${target.userPrincipalName})` },
      open ? { title: w.facts.decideBy, value: clientInstant(req.expiresAt) } : { title: w.facts.scenario, value: w.scenario[req.scenario] },
    ],
    reason: req.reason,
    hasError: error !== '',
    error,
    hasRisks: risks.length > 0,
    risksHeading: risks.length === 1 ? a.risks.one : a.risks.many(risks.length),
    risks,
    targetFacts: [
      { title: a.name, value: target.displayName },
      { title: a.signInName, value: target.userPrincipalName },
      { title: a.jobTitle, value: orDash(target.jobTitle) },
      { title: a.department, value: orDash(target.department) },
    ],
    requestFacts: [
      { title: a.requestedBy, value: personLabel(req.requester) },
      { title: w.facts.scenario, value: w.scenario[req.scenario] },
      { title: w.facts.requestedOn, value: clientInstant(req.createdAt) },
      { title: open ? w.facts.decideBy : w.facts.deadlineWas, value: clientInstant(req.expiresAt) },
    ],
    passFacts: passFacts(req, w, ctx.language),
    hasTicket: Boolean(req.ticket),
    ticket: req.ticket ?? '',
    signalsHeading: a.signalsHeading(target.displayName),
    signalFacts: signalFacts(req, w),
    signalsUpFront: open,
    canDecide,
    decideAdvice: a.decideAdvice(target.displayName),
    hasCalledNumberChoices: called.choices.length > 0,
    calledNumberChoices: called.choices,
    calledNumberValue: calledNumber,
    hasCalledNumberNote: called.note !== '',
    calledNumberNote: called.note,
    callUrl: teamsCallUrl(target.userPrincipalName),
    callTitle: a.callTitle,
    attestationChoices: ATTESTATIONS.map((value) => ({ title: w.attestationChoice[value], value })),
    attestationValue: attestation,
    attestationNoteValue: viewer.attestationNote ?? '',
    noteMax: NOTE_MAX,
    t: a.template,
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
  /** The template's own words. */
  t: CardWords['status']['template'];
  verbs: typeof VERBS;
}

export function requestStatusView(req: TapRequest, ctx: CardContext): RequestStatusView {
  const w = cardWords(ctx);
  const st = w.status;
  const offers = offersFor(req, 'status', {}, ctx.now);
  const pending = isOpenForDecision(req, ctx.now);
  const { approver } = req;
  return {
    requestId: req.id,
    title: st.title(req.id),
    subtitle: st.subtitle(personLabel(req.target)),
    // The status card goes to the agent who asked: their own actions are "you".
    status: describeOutcome(req, ctx, false, { id: req.requester.id }),
    ...noteView(req, w, ctx),
    ...riskBox(req, pending, w),
    approversHeading: pending ? st.askedToApprove : req.secondApprover ? st.approvers : st.approver,
    approverFacts: [
      { title: w.approverKind[approver.kind], value: namesOf(approver.people, approver.ids.length, w) },
      ...(req.secondApprover ? [{ title: st.secondApprover, value: oneOf(req.secondApprover.people, req.secondApprover.ids.length, w) }] : []),
    ],
    requestFacts: [
      { title: w.facts.scenario, value: w.scenario[req.scenario] },
      ...passFacts(req, w, ctx.language),
      { title: w.facts.requestedOn, value: clientInstant(req.createdAt) },
      { title: pending ? w.facts.decideBy : w.facts.deadlineWas, value: clientInstant(req.expiresAt) },
      { title: st.passGoesTo, value: req.deliveryRecipient === 'manager' ? st.toManager : st.toAgent },
      ...(pending && req.replacesExistingTap ? [{ title: st.existingPass, value: st.replacedIfApproved }] : []),
    ],
    reason: req.reason,
    hasTicket: Boolean(req.ticket),
    ticket: req.ticket ?? '',
    canCancel: offers.cancel,
    t: st.template,
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
  const w = cardWords(ctx);
  const l = w.list;
  const count = requests.length;
  const finished = requests.filter((r) => FINISHED.has(r.state)).length;
  const cut = opts.finishedShownAtMost !== undefined && finished >= opts.finishedShownAtMost;
  const counted = l.count(count);
  return {
    title: opts.title,
    subtitle: cut ? l.cut(counted, finished) : counted,
    hasRequests: count > 0,
    emptyText: l.empty,
    rows: requests.map((req) => ({
      heading: `${req.id} · ${req.target.displayName}`,
      detail: l.detail(req.target.userPrincipalName, w.scenario[req.scenario], clientInstant(req.createdAt)),
      stateLabel: storyLook(req, ctx.now, w).label,
    })),
    footer: cut ? l.footerCut : l.footer,
  };
}
