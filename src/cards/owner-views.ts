/**
 * The account owner's notice in Teams: a pass was issued for you, by whom, until when,
 * and "This wasn't me" while it can still help. Never the code.
 */
import type { OwnerNoticeLinks } from '../flow/ownerNotice';
import type { TapRequest } from '../flow/types';
import { clientInstant } from './format';

export interface OwnerNoticeView {
  requestId: string;
  title: string;
  intro: string;
  requester: string;
  approvers: string;
  issuedAt: string;
  expiresAt: string;
  ifYou: string;
  hasGuide: boolean;
  guideUrl: string;
  ifNotYou: string;
  canDispute: boolean;
}

export function ownerNoticeView(req: TapRequest, links: OwnerNoticeLinks): OwnerNoticeView {
  const issued = req.issued;
  const disputed = req.suspicious !== undefined || req.revocation !== undefined;
  const approvers = [req.decision, req.secondDecision].filter((d) => d !== undefined).map((d) => d.by.displayName);
  return {
    requestId: req.id,
    title: disputed ? 'Thank you: the pass was stopped' : 'A Temporary Access Pass was issued for your account',
    intro: disputed
      ? `The pass for ${req.target.userPrincipalName} no longer works, and the security team has been told. You do not need to do anything else now.`
      : `The helpdesk made a Temporary Access Pass for ${req.target.userPrincipalName}: a code that lets you sign in once or for a short time to set up a new way to sign in.`,
    requester: `${req.requester.displayName} (helpdesk)`,
    approvers: approvers.join(' and ') || '—',
    issuedAt: clientInstant(issued?.issuedAt ?? req.updatedAt),
    expiresAt: clientInstant(issued?.expiresDateTime ?? req.expiresAt),
    ifYou: 'If you asked the helpdesk for it: they give you the code; then set up Microsoft Authenticator or a passkey at https://aka.ms/mysecurityinfo before it expires.',
    hasGuide: Boolean(links.guideUrl) && !disputed,
    guideUrl: links.guideUrl ? `Step-by-step guide: ${links.guideUrl}` : '',
    ifNotYou: disputed
      ? 'If you did ask for it after all, contact the helpdesk: they can ask for a new one.'
      : 'If you did not ask for this, press "This wasn\'t me". The pass is deleted at once and the security team is told.',
    canDispute: !disputed,
  };
}
