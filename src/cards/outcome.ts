/**
 * The story of a request, told the same way on the manager's and the agent's cards and
 * in the status list: one headline and one sentence per fact, built from the stored
 * request only, in the reader's words. Times are written for the client to render in the
 * viewer's zone.
 */
import { stopSentence } from '../flow/stop/livePass';
import type { Decision, Person, TapRequest } from '../flow/types';
import { calledNumberLabel, howConfirmed } from './evidence';
import { type CardContext, type CardWords, cardWords } from './format';
import { clientInstant } from '../i18n/time';
import { type ContainerStyle, STATE_STYLES, STORY_STYLES, type StateLook } from './labels';
import { isOpenForDecision } from './offers';
import { nameAndUpn } from '../identity';
import { catalogue } from '../i18n';
import { reasonIn } from '../i18n/said';

export interface StatusView {
  headline: string;
  style: ContainerStyle;
  /** Sentences we wrote; safe for markdown. */
  details: string[];
}

export function personLabel(person: Person): string {
  return `${nameAndUpn(person)}`;
}

/** "Nestor Wilke" or "Ann, Bo, Cy and 4 more" (in the reader's words). */
export function namesOf(people: Person[], idCount: number, w: CardWords): string {
  if (people.length === 0) return w.people.approvers(idCount);
  const shown = people.slice(0, 3).map((p) => p.displayName);
  const more = Math.max(people.length, idCount) - shown.length;
  if (more > 0) return w.people.more(shown.join(', '), more);
  if (shown.length === 1) return shown[0]!;
  return `${shown.slice(0, -1).join(', ')} ${w.people.and} ${shown[shown.length - 1]}`;
}

/** The viewer's own name becomes "you": "Approved by you", not by a third person. */
export interface Reader {
  id?: string;
}

function who(person: Person, reader: Reader, w: CardWords): string {
  return reader.id !== undefined && person.id.toLowerCase() === reader.id.toLowerCase() ? w.people.you : person.displayName;
}

/** The look that tells the story best: a report or a revocation outweighs the state. */
export function storyLook(req: TapRequest, now: Date, w: CardWords): StateLook {
  const story = (key: keyof typeof STORY_STYLES): StateLook => ({ label: w.story[key], style: STORY_STYLES[key] });
  if (req.suspicious) return story('reported');
  if (req.revocation) return story('revoked');
  if (req.state === 'PendingApproval' && !isOpenForDecision(req, now)) return { label: w.state.Expired, style: STATE_STYLES.Expired };
  if (req.state === 'Issued' && req.issued && new Date(req.issued.expiresDateTime).getTime() <= now.getTime()) return story('passExpired');
  if (req.state === 'Issued' && req.delivery?.handedOverAt) return story('handedOver');
  // A pass prepared days ahead is not being issued now: the label says when it will be.
  if (req.state === 'Approved' && req.scheduledIssueAt) return { label: w.scheduledLabel(clientInstant(req.scheduledIssueAt)), style: 'good' };
  return { label: w.state[req.state], style: STATE_STYLES[req.state] };
}

/** "Joni Sherman", or "one of Ann, Bo and Cy" when any of several may give it. */
export function oneOf(people: Person[], idCount: number, w: CardWords): string {
  const names = namesOf(people, idCount, w);
  return Math.max(people.length, idCount) > 1 ? w.people.oneOf(names) : names;
}

/** The decisions given so far, oldest first (four eyes: the primary and the second approver's). */
function decisionsOf(req: TapRequest): Decision[] {
  return [req.decision, req.secondDecision].filter((d): d is Decision => d !== undefined).sort((a, b) => a.at.localeCompare(b.at));
}

function decisionLine(req: TapRequest, d: Decision, reader: Reader, w: CardWords): string {
  const when = clientInstant(d.at);
  if (d.action === 'deny') return w.outcome.denied(who(d.by, reader, w), when);
  const how = !d.attestation
    ? ''
    : d.attestation === 'knownNumberCall' && d.calledNumber
      ? ` ${w.outcome.confirmedCall(calledNumberLabel(req, d.calledNumber, w))}`
      : ` ${w.outcome.confirmed(w.confirmedHow[d.attestation])}`;
  return `${w.outcome.approved(who(d.by, reader, w), when)}${how}`;
}

function decisionLines(req: TapRequest, reader: Reader, w: CardWords): string[] {
  return decisionsOf(req).map((d) => decisionLine(req, d, reader, w));
}

/** Who the four-eyes request still waits for: the primary approver, one of the second group, or both. */
function waitingFor(req: TapRequest, reader: Reader, w: CardWords): string {
  const groups: { people: Person[]; ids: string[] }[] = [];
  if (!req.decision) groups.push(req.approver);
  if (req.secondApprover && !req.secondDecision) groups.push(req.secondApprover);
  const isReader = (id: string): boolean => reader.id !== undefined && id.toLowerCase() === reader.id.toLowerCase();
  return groups
    .map((g, i) => (g.ids.length === 1 && isReader(g.ids[0]!) ? w.people.you : i === 0 ? namesOf(g.people, g.ids.length, w) : oneOf(g.people, g.ids.length, w)))
    .join(` ${w.people.and} `);
}

/**
 * Four eyes, while it waits: "1 of 2 approvals: approved by Nestor Wilke (video call);
 * waiting for Joni Sherman." Undefined for a request that needs one approval.
 */
function approvalProgress(req: TapRequest, reader: Reader, w: CardWords): string | undefined {
  if (!req.secondApprover) return undefined;
  const given = decisionsOf(req).filter((d) => d.action === 'approve');
  const approvedBy = given.map((d) => {
    const how = howConfirmed(req, d, w);
    return `${w.outcome.approvedBy(who(d.by, reader, w))}${how ? ` (${how})` : ''}`;
  });
  const waiting = waitingFor(req, reader, w);
  return w.outcome.progress(given.length, [...approvedBy, ...(waiting ? [w.outcome.waitingFor(waiting)] : [])].join('; '));
}

/** The reader gave one of the approvals the request still waits on. */
function readerApproved(req: TapRequest, reader: Reader): boolean {
  return reader.id !== undefined && decisionsOf(req).some((d) => d.action === 'approve' && d.by.id.toLowerCase() === reader.id!.toLowerCase());
}

function issuedLines(req: TapRequest, ctx: CardContext, reader: Reader, w: CardWords): string[] {
  const now = ctx.now;
  const lines: string[] = [];
  const issued = req.issued;
  if (req.revocation) {
    // What was stopped is the flow's sentence; the reason is what a person typed, or the core's sentence in the reader's words.
    const reason = req.revocation.reason ? reasonIn(catalogue(ctx.language), req.revocation, ctx.timeZone) : '';
    const why = reason ? ` ${w.outcome.revokedReason(reason)}` : '';
    lines.push(`${w.outcome.revoked(who(req.revocation.by, reader, w), clientInstant(req.revocation.at))} ${stopSentence(req)}${why}`);
  } else if (req.replacedBy) {
    lines.push(w.outcome.replaced(clientInstant(req.replacedBy.at), req.replacedBy.requestId));
  } else if (issued) {
    const expired = new Date(issued.expiresDateTime).getTime() <= now.getTime();
    lines.push(expired ? w.outcome.expired(clientInstant(issued.expiresDateTime)) : w.outcome.issued(clientInstant(issued.issuedAt), clientInstant(issued.expiresDateTime)));
  }
  const recipient = req.deliveryRecipient === 'manager' ? w.outcome.recipientManager : w.outcome.recipientAgent;
  if (req.delivery?.handedOverAt) {
    lines.push(w.outcome.handedOver(clientInstant(req.delivery.handedOverAt)));
  } else if (req.delivery?.deliveredAt && !req.revocation && !req.replacedBy) {
    lines.push(w.outcome.delivered(recipient, clientInstant(req.delivery.deliveredAt)));
  }
  lines.push(...followThroughLines(req, w));
  return lines;
}

/** What the follow-through saw: the registration the pass was for, or that it never came. */
function followThroughLines(req: TapRequest, w: CardWords): string[] {
  const lines: string[] = [];
  if (req.registration) {
    const name = req.registration.displayName ? ` ("${req.registration.displayName}")` : '';
    lines.push(w.outcome.registered(req.target.displayName, `${w.outcome.method[req.registration.type] ?? req.registration.type}${name}`, clientInstant(req.registration.at)));
  }
  if (req.followThroughResult?.passDeletedAt) lines.push(w.outcome.deletedEarly);
  if (req.followThroughResult?.outcome === 'expiredUnregistered') lines.push(w.outcome.expiredUnregistered);
  if (req.onboarding) {
    lines.push(req.onboarding.removedAt ? w.outcome.onboardingRemoved(clientInstant(req.onboarding.removedAt)) : w.outcome.onboardingSince(clientInstant(req.onboarding.addedAt)));
  }
  return lines;
}

/** Each move of the request to the next approver (escalation): who it left, why and when. */
function moveLines(req: TapRequest, w: CardWords): string[] {
  return (req.approver.movedFrom ?? []).map((m) => {
    const from = namesOf(m.from.people, m.from.ids.length, w);
    return m.because === 'away' ? w.outcome.movedAway(from, clientInstant(m.at), m.awayUntil ? clientInstant(m.awayUntil) : '') : w.outcome.movedNoAnswer(from, clientInstant(m.at));
  });
}

function reportLine(req: TapRequest, reader: Reader, w: CardWords): string | undefined {
  const s = req.suspicious;
  return s ? w.outcome.reported(who(s.by, reader, w), clientInstant(s.at)) : undefined;
}

/**
 * `forApprover` words the pending headline for the person who decides; everyone else
 * sees who is being waited for. `reader` turns the reader's own actions into "you".
 */
export function describeOutcome(req: TapRequest, ctx: CardContext, forApprover: boolean, reader: Reader = {}): StatusView {
  const w = cardWords(ctx);
  const o = w.outcome;
  const look = storyLook(req, ctx.now, w);
  const approvers = namesOf(req.approver.people, req.approver.ids.length, w);
  const deadline = clientInstant(req.expiresAt);
  const view = (details: (string | undefined)[], headline = look.label): StatusView => ({
    headline,
    style: look.style,
    details: [reportLine(req, reader, w), ...moveLines(req, w), ...details].filter((d): d is string => Boolean(d)),
  });

  switch (req.state) {
    case 'PendingApproval':
      if (!isOpenForDecision(req, ctx.now)) return view([o.noDecision(deadline)]);
      if (req.secondApprover) {
        const progress = approvalProgress(req, reader, w);
        if (forApprover) return view([progress, o.decideBefore(deadline)], o.yourDecision);
        if (readerApproved(req, reader)) return view([progress, o.ifNobodyElse(deadline)], o.youApproved(waitingFor(req, reader, w)));
        return view([progress, o.waitingUntil(deadline)]);
      }
      return forApprover ? view([o.decideBefore(deadline)], o.yourDecision) : view([o.waitingForDecision(approvers, deadline)]);
    case 'Approved':
      if (req.scheduledIssueAt && req.settings.startDateTime) {
        // Prepared days ahead: the code is made (and delivered) on the morning, never stored in between.
        return view([...decisionLines(req, reader, w), o.madeBeforeStart(clientInstant(req.settings.startDateTime))]);
      }
      return view([...decisionLines(req, reader, w), o.beingIssued]);
    case 'Issuing':
      return view([...decisionLines(req, reader, w), o.beingIssued]);
    case 'Issued':
      return view([...decisionLines(req, reader, w), ...issuedLines(req, ctx, reader, w)]);
    case 'Denied': {
      const lines = decisionLines(req, reader, w);
      return view([...(lines.length > 0 ? lines : [o.wasDenied]), o.noPass]);
    }
    case 'Expired':
      return view([o.expiredNoPass(deadline)]);
    case 'Cancelled': {
      const by = req.cancelledBy ? who(req.cancelledBy, reader, w) : w.people.helpdesk;
      return view([req.suspicious ? o.stoppedByReport : o.cancelled(by, clientInstant(req.updatedAt))]);
    }
    case 'Failed':
      // Why it failed in the reader's words when the record kept its meaning, else the English it has.
      return view([...decisionLines(req, reader, w), o.failed(req.failure ? reasonIn(catalogue(ctx.language), req.failure, ctx.timeZone) : o.failedUnknown)]);
  }
}
