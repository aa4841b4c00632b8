/**
 * The state headline shared by the manager's and the agent's cards: one sentence per
 * fact, built from the stored request only.
 */
import type { Person, TapRequest } from '../flow/types';
import { type CardContext, formatInstant, formatInstantWithRelative } from './format';
import { ATTESTATION_SHORT, type ContainerStyle, STATE_LOOKS, type Tone } from './labels';

export interface Fact {
  title: string;
  value: string;
}

export interface StatusView {
  headline: string;
  color: Tone;
  style: ContainerStyle;
  /** Sentences we wrote; safe for markdown. */
  details: string[];
}

/** Still open for a decision: pending and not past its deadline (the sweeper may lag). */
export function isOpenForDecision(req: TapRequest, now: Date): boolean {
  return req.state === 'PendingApproval' && new Date(req.expiresAt).getTime() > now.getTime();
}

export function personLabel(person: Person): string {
  return `${person.displayName} (${person.userPrincipalName})`;
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

function decisionLine(req: TapRequest, ctx: CardContext): string | undefined {
  const d = req.decision;
  if (!d) return undefined;
  const when = formatInstant(d.at, ctx);
  if (d.action === 'deny') return `Denied by ${d.by.displayName} at ${when}.`;
  const how = d.attestation ? ` Identity confirmed by ${ATTESTATION_SHORT[d.attestation]}.` : '';
  return `Approved by ${d.by.displayName} at ${when}.${how}`;
}

function issuedLines(req: TapRequest, ctx: CardContext): string[] {
  const lines: string[] = [];
  if (req.issued) {
    lines.push(
      `Pass issued at ${formatInstant(req.issued.issuedAt, ctx)}; it expires ${formatInstantWithRelative(req.issued.expiresDateTime, ctx)}.`,
    );
  }
  const recipient = req.deliveryRecipient === 'manager' ? 'the approving manager' : 'the requesting helpdesk agent';
  if (req.delivery?.handedOverAt) {
    lines.push(`Handed over at ${formatInstant(req.delivery.handedOverAt, ctx)}.`);
  } else if (req.delivery?.deliveredAt) {
    lines.push(`Delivered to ${recipient} at ${formatInstant(req.delivery.deliveredAt, ctx)}.`);
  }
  return lines;
}

/**
 * `forApprover` words the pending headline for the person who decides; everyone else
 * sees who is being waited for.
 */
export function describeOutcome(req: TapRequest, ctx: CardContext, forApprover: boolean): StatusView {
  const decided = decisionLine(req, ctx);
  const approvers = namesOf(req.approver.people, req.approver.ids.length);
  const look = STATE_LOOKS[req.state];
  const view = (details: (string | undefined)[], override?: Partial<StatusView>): StatusView => ({
    headline: look.label,
    color: look.color,
    style: look.style,
    details: details.filter((d): d is string => Boolean(d)),
    ...override,
  });

  switch (req.state) {
    case 'PendingApproval':
      if (!isOpenForDecision(req, ctx.now)) {
        return view([`Nobody decided before ${formatInstant(req.expiresAt, ctx)}, so the request can no longer be approved.`], {
          headline: STATE_LOOKS.Expired.label,
          color: STATE_LOOKS.Expired.color,
          style: STATE_LOOKS.Expired.style,
        });
      }
      return forApprover
        ? view([`Please decide before ${formatInstantWithRelative(req.expiresAt, ctx)}. After that the request expires.`], {
            headline: 'Your decision is needed',
          })
        : view([`Waiting for ${approvers}. The request expires ${formatInstantWithRelative(req.expiresAt, ctx)}.`]);
    case 'Approved':
    case 'Issuing':
      return view([decided, 'The pass is being issued now.']);
    case 'Issued':
      return view([decided, ...issuedLines(req, ctx)]);
    case 'Denied':
      return view([decided ?? 'The request was denied.']);
    case 'Expired':
      return view([
        `Nobody decided before ${formatInstant(req.expiresAt, ctx)}, so the request expired. Start a new request if the user still needs a pass.`,
      ]);
    case 'Cancelled': {
      const who = req.cancelledBy ? req.cancelledBy.displayName : 'the helpdesk';
      return view([`Cancelled by ${who} at ${formatInstant(req.updatedAt, ctx)}. No pass was issued.`]);
    }
    case 'Failed':
      return view([
        decided,
        `No pass was issued: ${req.failure?.message ?? 'something went wrong while issuing it.'}`,
      ]);
  }
}
