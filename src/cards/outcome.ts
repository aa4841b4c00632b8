/**
 * The story of a request, told the same way on the manager's and the agent's cards and
 * in the status list: one headline and one sentence per fact, built from the stored
 * request only. Times are written for the client to render in the viewer's zone.
 */
import { stopSentence } from '../flow/stop/livePass';
import type { Decision, Person, TapRequest } from '../flow/types';
import { calledNumberLabel, howConfirmed } from './evidence';
import { type CardContext, clientInstant } from './format';
import { CONFIRMED_HOW, type ContainerStyle, STATE_LOOKS, STORY_LOOKS, type StateLook } from './labels';
import { isOpenForDecision } from './offers';
import { nameAndUpn } from '../identity';

export interface StatusView {
  headline: string;
  style: ContainerStyle;
  /** Sentences we wrote; safe for markdown. */
  details: string[];
}

export function personLabel(person: Person): string {
  return `${nameAndUpn(person)}`;
}

/** "Nestor Wilke" or "Ann, Bo, Cy and 4 more". */
export function namesOf(people: Person[], idCount: number): string {
  if (people.length === 0) return idCount === 1 ? '1 approver' : `${idCount} approvers`;
  const shown = people.slice(0, 3).map((p) => p.displayName);
  const more = Math.max(people.length, idCount) - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  if (shown.length === 1) return shown[0]!;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** The viewer's own name becomes "you": "Approved by you", not by a third person. */
export interface Reader {
  id?: string;
}

function who(person: Person, reader: Reader): string {
  return reader.id !== undefined && person.id.toLowerCase() === reader.id.toLowerCase() ? 'you' : person.displayName;
}

/** The look that tells the story best: a report or a revocation outweighs the state. */
export function storyLook(req: TapRequest, now: Date): StateLook {
  if (req.suspicious) return STORY_LOOKS.reported;
  if (req.revocation) return STORY_LOOKS.revoked;
  if (req.state === 'PendingApproval' && !isOpenForDecision(req, now)) return STATE_LOOKS.Expired;
  if (req.state === 'Issued' && req.issued && new Date(req.issued.expiresDateTime).getTime() <= now.getTime()) return STORY_LOOKS.passExpired;
  if (req.state === 'Issued' && req.delivery?.handedOverAt) return STORY_LOOKS.handedOver;
  // A pass prepared days ahead is not being issued now: the label says when it will be.
  if (req.state === 'Approved' && req.scheduledIssueAt) return { label: `Approved: the pass is made on ${clientInstant(req.scheduledIssueAt)}`, style: 'good' };
  return STATE_LOOKS[req.state];
}

/** "Joni Sherman", or "one of Ann, Bo and Cy" when any of several may give it. */
export function oneOf(people: Person[], idCount: number): string {
  const names = namesOf(people, idCount);
  return Math.max(people.length, idCount) > 1 ? `one of ${names}` : names;
}

/** The decisions given so far, oldest first (four eyes: the primary and the second approver's). */
function decisionsOf(req: TapRequest): Decision[] {
  return [req.decision, req.secondDecision].filter((d): d is Decision => d !== undefined).sort((a, b) => a.at.localeCompare(b.at));
}

function decisionLine(req: TapRequest, d: Decision, reader: Reader): string {
  const when = clientInstant(d.at);
  if (d.action === 'deny') return `Denied by ${who(d.by, reader)} on ${when}.`;
  const how = !d.attestation
    ? ''
    : d.attestation === 'knownNumberCall' && d.calledNumber
      ? ` Identity confirmed by a call to ${calledNumberLabel(req, d.calledNumber)}.`
      : ` Identity confirmed ${CONFIRMED_HOW[d.attestation]}.`;
  return `Approved by ${who(d.by, reader)} on ${when}.${how}`;
}

function decisionLines(req: TapRequest, reader: Reader): string[] {
  return decisionsOf(req).map((d) => decisionLine(req, d, reader));
}

/** Who the four-eyes request still waits for: the primary approver, one of the second group, or both. */
function waitingFor(req: TapRequest, reader: Reader): string {
  const groups: { people: Person[]; ids: string[] }[] = [];
  if (!req.decision) groups.push(req.approver);
  if (req.secondApprover && !req.secondDecision) groups.push(req.secondApprover);
  const isReader = (id: string): boolean => reader.id !== undefined && id.toLowerCase() === reader.id.toLowerCase();
  const names = groups
    .map((g, i) => (g.ids.length === 1 && isReader(g.ids[0]!) ? 'you' : i === 0 ? namesOf(g.people, g.ids.length) : oneOf(g.people, g.ids.length)))
    .join(' and ');
  return names;
}

/**
 * Four eyes, while it waits: "1 of 2 approvals: approved by Nestor Wilke (video call);
 * waiting for Joni Sherman." Undefined for a request that needs one approval.
 */
function approvalProgress(req: TapRequest, reader: Reader = {}): string | undefined {
  if (!req.secondApprover) return undefined;
  const given = decisionsOf(req).filter((d) => d.action === 'approve');
  const approvedBy = given.map((d) => {
    const how = howConfirmed(req, d);
    return `approved by ${who(d.by, reader)}${how ? ` (${how})` : ''}`;
  });
  const waiting = waitingFor(req, reader);
  return `${given.length} of 2 approvals: ${[...approvedBy, ...(waiting ? [`waiting for ${waiting}`] : [])].join('; ')}.`;
}

/** The reader gave one of the approvals the request still waits on. */
function readerApproved(req: TapRequest, reader: Reader): boolean {
  return reader.id !== undefined && decisionsOf(req).some((d) => d.action === 'approve' && d.by.id.toLowerCase() === reader.id!.toLowerCase());
}

function issuedLines(req: TapRequest, now: Date, reader: Reader): string[] {
  const lines: string[] = [];
  const issued = req.issued;
  if (req.revocation) {
    const why = req.revocation.reason ? ` Reason: ${req.revocation.reason}` : '';
    lines.push(`Revoked by ${who(req.revocation.by, reader)} on ${clientInstant(req.revocation.at)}. ${stopSentence(req)}${why}`);
  } else if (req.replacedBy) {
    lines.push(`Replaced on ${clientInstant(req.replacedBy.at)} by a later pass (${req.replacedBy.requestId}): Entra ID keeps one pass per person, so this one no longer works.`);
  } else if (issued) {
    const expired = new Date(issued.expiresDateTime).getTime() <= now.getTime();
    lines.push(
      expired
        ? `The pass expired on ${clientInstant(issued.expiresDateTime)}; its code is no longer shown.`
        : `Pass issued on ${clientInstant(issued.issuedAt)}; it works until ${clientInstant(issued.expiresDateTime)}.`,
    );
  }
  const recipient = req.deliveryRecipient === 'manager' ? 'the approving manager' : 'the requesting helpdesk agent';
  if (req.delivery?.handedOverAt) {
    lines.push(`Handed over on ${clientInstant(req.delivery.handedOverAt)}; the code was removed from the card.`);
  } else if (req.delivery?.deliveredAt && !req.revocation && !req.replacedBy) {
    lines.push(`Delivered to ${recipient} on ${clientInstant(req.delivery.deliveredAt)}.`);
  }
  lines.push(...followThroughLines(req));
  return lines;
}

const METHOD_WORDS: Record<string, string> = {
  microsoftAuthenticator: 'Microsoft Authenticator',
  fido2: 'a passkey',
  windowsHelloForBusiness: 'Windows Hello for Business',
};

/** What the follow-through saw: the registration the pass was for, or that it never came. */
function followThroughLines(req: TapRequest): string[] {
  const lines: string[] = [];
  if (req.registration) {
    const name = req.registration.displayName ? ` ("${req.registration.displayName}")` : '';
    lines.push(`${req.target.displayName} registered ${METHOD_WORDS[req.registration.type] ?? req.registration.type}${name} on ${clientInstant(req.registration.at)}.`);
  }
  if (req.followThroughResult?.passDeletedAt) lines.push('The pass was deleted early: it is no longer needed.');
  if (req.followThroughResult?.outcome === 'expiredUnregistered') {
    lines.push('The pass expired and no new sign-in method was registered: ask the user what went wrong, then request a new pass.');
  }
  if (req.onboarding) {
    lines.push(
      req.onboarding.removedAt
        ? `Removed from the onboarding group on ${clientInstant(req.onboarding.removedAt)}.`
        : `In the onboarding group since ${clientInstant(req.onboarding.addedAt)}, until a passkey is registered or the pass ends.`,
    );
  }
  return lines;
}

function reportLine(req: TapRequest, reader: Reader): string | undefined {
  const s = req.suspicious;
  return s ? `Reported as suspicious by ${who(s.by, reader)} on ${clientInstant(s.at)}. The security team has been told.` : undefined;
}

/**
 * `forApprover` words the pending headline for the person who decides; everyone else
 * sees who is being waited for. `reader` turns the reader's own actions into "you".
 */
export function describeOutcome(req: TapRequest, ctx: CardContext, forApprover: boolean, reader: Reader = {}): StatusView {
  const look = storyLook(req, ctx.now);
  const approvers = namesOf(req.approver.people, req.approver.ids.length);
  const view = (details: (string | undefined)[], headline = look.label): StatusView => ({
    headline,
    style: look.style,
    details: [reportLine(req, reader), ...details].filter((d): d is string => Boolean(d)),
  });

  switch (req.state) {
    case 'PendingApproval':
      if (!isOpenForDecision(req, ctx.now)) {
        return view([`Nobody decided before ${clientInstant(req.expiresAt)}, so the request can no longer be approved.`]);
      }
      if (req.secondApprover) {
        const progress = approvalProgress(req, reader);
        if (forApprover) return view([progress, `Decide before ${clientInstant(req.expiresAt)}; after that the request expires.`], 'Your decision is needed');
        if (readerApproved(req, reader)) {
          return view([progress, `If nobody else approves before ${clientInstant(req.expiresAt)}, the request expires.`], `You approved; waiting for ${waitingFor(req, reader)}`);
        }
        return view([progress, `Waiting until ${clientInstant(req.expiresAt)}; after that the request expires.`]);
      }
      return forApprover
        ? view([`Decide before ${clientInstant(req.expiresAt)}; after that the request expires.`], 'Your decision is needed')
        : view([`Waiting for ${approvers} to decide, until ${clientInstant(req.expiresAt)}.`]);
    case 'Approved':
      if (req.scheduledIssueAt && req.settings.startDateTime) {
        // Prepared days ahead: the code is made (and delivered) on the morning, never stored in between.
        return view([...decisionLines(req, reader), `The pass will be created and delivered shortly before it starts, on ${clientInstant(req.settings.startDateTime)}.`]);
      }
      return view([...decisionLines(req, reader), 'The pass is being issued now.']);
    case 'Issuing':
      return view([...decisionLines(req, reader), 'The pass is being issued now.']);
    case 'Issued':
      return view([...decisionLines(req, reader), ...issuedLines(req, ctx.now, reader)]);
    case 'Denied': {
      const lines = decisionLines(req, reader);
      return view([...(lines.length > 0 ? lines : ['The request was denied.']), 'No pass was issued.']);
    }
    case 'Expired':
      return view([`Nobody decided before ${clientInstant(req.expiresAt)}, so the request expired and no pass was issued.`]);
    case 'Cancelled': {
      const by = req.cancelledBy ? who(req.cancelledBy, reader) : 'the helpdesk';
      return view([req.suspicious ? 'It was stopped by the report: no pass was issued.' : `Cancelled by ${by} on ${clientInstant(req.updatedAt)}. No pass was issued.`]);
    }
    case 'Failed':
      return view([...decisionLines(req, reader), `No pass was issued: ${req.failure?.message ?? 'something went wrong while issuing it.'}`]);
  }
}
