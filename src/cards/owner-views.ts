/**
 * The account owner's notice in Teams: a pass was issued for you, by whom, how they say
 * they confirmed it was you, until when, and "This wasn't me". Never the code. Once the
 * owner has said it wasn't them, the card thanks them and offers nothing more to press.
 */
import type { OwnerNoticeLinks } from '../flow/types';
import type { Attestation, Decision, TapRequest } from '../flow/types';
import { calledNumberLabel } from './evidence';
import { clientInstant } from './format';
import type { Fact } from './labels';
import { VERBS } from './verbs';

export interface OwnerNoticeView {
  requestId: string;
  title: string;
  intro: string;
  facts: Fact[];
  ifYou: string;
  hasGuide: boolean;
  guideUrl: string;
  ifNotYou: string;
  /** The last box: attention while the owner may still have to act, good once they did. */
  ifNotYouStyle: 'attention' | 'good';
  canDispute: boolean;
  verbs: typeof VERBS;
}

/** How the approver says they confirmed it, spoken to the owner: "on a video call", "in person". */
const CONFIRMED_TO_OWNER: Record<Attestation, string> = {
  videoCall: 'on a video call',
  inPerson: 'in person',
  knownNumberCall: 'by calling you on a number they already knew',
  other: 'by other means',
};

/** "Nestor Wilke (confirmed it was you on a video call)": the owner can tell when that never happened. */
function approverLine(req: TapRequest, d: Decision): string {
  if (!d.attestation) return d.by.displayName;
  const how = d.attestation === 'knownNumberCall' && d.calledNumber ? `by calling you on ${calledNumberLabel(req, d.calledNumber)}` : CONFIRMED_TO_OWNER[d.attestation];
  return `${d.by.displayName} (confirmed it was you ${how})`;
}

export function ownerNoticeView(req: TapRequest, links: OwnerNoticeLinks): OwnerNoticeView {
  const issued = req.issued;
  const upn = req.target.userPrincipalName;
  // The owner said it wasn't them (from this card or the mail link): the flow records them as the reporter.
  const disputedByOwner = req.suspicious !== undefined && req.suspicious.by.id.toLowerCase() === req.target.id.toLowerCase();
  const stoppedByOthers = !disputedByOwner && (req.revocation !== undefined || req.suspicious !== undefined);
  const approvals = [req.decision, req.secondDecision].filter((d): d is Decision => d?.action === 'approve').map((d) => approverLine(req, d));
  const facts: Fact[] = [
    { title: 'Asked by', value: `${req.requester.displayName} (helpdesk)` },
    { title: 'Approved by', value: approvals.join(' and ') || '—' },
    { title: 'Issued', value: clientInstant(issued?.issuedAt ?? req.updatedAt) },
    stoppedByOthers || disputedByOwner
      ? { title: 'Stopped', value: clientInstant(req.revocation?.at ?? req.suspicious?.at ?? req.updatedAt) }
      : { title: 'Works until', value: clientInstant(issued?.expiresDateTime ?? req.expiresAt) },
  ];
  const base = { requestId: req.id, facts, verbs: VERBS, guideUrl: links.guideUrl ? `Step-by-step guide: ${links.guideUrl}` : '' };
  if (disputedByOwner) {
    return {
      ...base,
      title: 'Thank you: the pass was stopped',
      intro: `You said you did not ask for this pass. It no longer works for ${upn}, and the security team has been told. You do not need to do anything else now.`,
      ifYou: 'The security team may contact you to ask what happened.',
      hasGuide: false,
      ifNotYou: 'If you did ask for it after all, tell the helpdesk: they can ask for a new one.',
      ifNotYouStyle: 'good',
      canDispute: false,
    };
  }
  if (stoppedByOthers) {
    return {
      ...base,
      title: 'The pass for your account was stopped',
      intro: `A Temporary Access Pass was issued for ${upn}, and then stopped: it no longer works.`,
      ifYou: 'If you still need one, ask the helpdesk again.',
      hasGuide: false,
      ifNotYou: 'If you did not ask for this pass, press "This wasn\'t me" so that the security team knows it was not you.',
      ifNotYouStyle: 'attention',
      canDispute: true,
    };
  }
  return {
    ...base,
    title: 'A Temporary Access Pass was issued for your account',
    intro: `The helpdesk made a Temporary Access Pass for ${upn}: a code that lets you sign in for a short time to set up a new way to sign in.`,
    ifYou: 'If you asked the helpdesk for it: they give you the code. Then set up Microsoft Authenticator or a passkey at https://aka.ms/mysecurityinfo before it expires.',
    hasGuide: Boolean(links.guideUrl),
    ifNotYou: 'If you did not ask for this, press "This wasn\'t me". The pass is deleted at once and the security team is told.',
    ifNotYouStyle: 'attention',
    canDispute: true,
  };
}
