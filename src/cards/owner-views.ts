/**
 * The account owner's notice in Teams: a pass was issued for you, by whom, how they say
 * they confirmed it was you, until when, and "This wasn't me". Never the code. Once the
 * owner has said it wasn't them, the card thanks them and offers nothing more to press.
 */
import type { OwnerNoticeLinks } from '../flow/types';
import type { Decision, TapRequest } from '../flow/types';
import { calledNumberLabel } from './evidence';
import { type CardContext, type CardWords, cardWords } from './format';
import { clientInstant } from '../i18n/time';
import { languageFor, SECURITY_INFO_URL } from '../i18n';
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
  /** The template's own words. */
  t: CardWords['owner']['template'];
  verbs: typeof VERBS;
}

/** "Nestor Wilke (confirmed it was you on a video call)": the owner can tell when that never happened. */
function approverLine(req: TapRequest, d: Decision, w: CardWords): string {
  if (!d.attestation) return d.by.displayName;
  const how = d.attestation === 'knownNumberCall' && d.calledNumber ? w.owner.byCalling(calledNumberLabel(req, d.calledNumber, w)) : w.confirmedToOwner[d.attestation];
  return w.owner.approverLine(d.by.displayName, how);
}

/** In the owner's language: what reaches the end user follows their preferred language unless the reader's is known. */
export function ownerNoticeView(req: TapRequest, links: OwnerNoticeLinks, ctx?: Pick<CardContext, 'language'>): OwnerNoticeView {
  const w = cardWords({ language: ctx?.language ?? languageFor(req.target.preferredLanguage) });
  const o = w.owner;
  const issued = req.issued;
  const upn = req.target.userPrincipalName;
  // The owner said it wasn't them (from this card or the mail link): the flow records them as the reporter.
  const disputedByOwner = req.suspicious !== undefined && req.suspicious.by.id.toLowerCase() === req.target.id.toLowerCase();
  const stoppedByOthers = !disputedByOwner && (req.revocation !== undefined || req.suspicious !== undefined);
  const approvals = [req.decision, req.secondDecision].filter((d): d is Decision => d?.action === 'approve').map((d) => approverLine(req, d, w));
  const facts: Fact[] = [
    { title: o.askedBy, value: o.askedByValue(req.requester.displayName) },
    { title: o.approvedBy, value: approvals.join(` ${w.people.and} `) || '—' },
    { title: o.issued, value: clientInstant(issued?.issuedAt ?? req.updatedAt) },
    stoppedByOthers || disputedByOwner
      ? { title: o.stopped, value: clientInstant(req.revocation?.at ?? req.suspicious?.at ?? req.updatedAt) }
      : { title: o.worksUntil, value: clientInstant(issued?.expiresDateTime ?? req.expiresAt) },
  ];
  const base = { requestId: req.id, facts, verbs: VERBS, t: o.template, guideUrl: links.guideUrl ? o.guide(links.guideUrl) : '' };
  if (disputedByOwner) {
    return {
      ...base,
      title: o.disputed.title,
      intro: o.disputed.intro(upn),
      ifYou: o.disputed.ifYou,
      hasGuide: false,
      ifNotYou: o.disputed.ifNotYou,
      ifNotYouStyle: 'good',
      canDispute: false,
    };
  }
  if (stoppedByOthers) {
    return {
      ...base,
      title: o.stoppedNotice.title,
      intro: o.stoppedNotice.intro(upn),
      ifYou: o.stoppedNotice.ifYou,
      hasGuide: false,
      ifNotYou: o.stoppedNotice.ifNotYou,
      ifNotYouStyle: 'attention',
      canDispute: true,
    };
  }
  return {
    ...base,
    title: o.issuedNotice.title,
    intro: o.issuedNotice.intro(upn),
    ifYou: o.issuedNotice.ifYou(SECURITY_INFO_URL),
    hasGuide: Boolean(links.guideUrl),
    ifNotYou: o.issuedNotice.ifNotYou,
    ifNotYouStyle: 'attention',
    canDispute: true,
  };
}
