/**
 * View models for handing the pass over: the recipient's delivery card and the end
 * user's guide. The code appears in exactly one place (the delivery view with a pass);
 * the guide never carries it, because it may be forwarded.
 */
import type { DeliverablePass, TapRequest } from '../flow/types';
import { type CardContext, type Language, formatDuration, formatInstant } from './format';
import { type ContainerStyle, usageLabel } from './labels';
import type { Fact } from './outcome';
import { GUIDE_STRINGS } from './strings';
import { VERBS } from './verbs';

export const SECURITY_INFO_URL = 'https://aka.ms/mysecurityinfo';

export interface PassDeliveryView {
  requestId: string;
  title: string;
  subtitle: string;
  hasCode: boolean;
  code: string;
  removed: { style: ContainerStyle; text: string };
  facts: Fact[];
  handOverAdvice: string;
  replacesExistingTap: boolean;
  replaceNote: string;
  securityInfoUrl: string;
  verbs: typeof VERBS;
}

function removedNotice(req: TapRequest, ctx: CardContext): { style: ContainerStyle; text: string } {
  const handedOverAt = req.delivery?.handedOverAt;
  if (handedOverAt) return { style: 'good', text: `Code removed: handed over at ${formatInstant(handedOverAt, ctx)}.` };
  const expiresAt = req.issued?.expiresDateTime ?? req.delivery?.codeHiddenAt;
  if (expiresAt) return { style: 'warning', text: `The pass expired at ${formatInstant(expiresAt, ctx)}. The code is no longer shown.` };
  return { style: 'emphasis', text: 'The code is no longer shown on this card.' };
}

export function passDeliveryView(req: TapRequest, pass: DeliverablePass | null, ctx: CardContext): PassDeliveryView {
  // With a pass, its own facts are authoritative; without one, the stored facts (never the code).
  const start = pass?.startDateTime ?? req.issued?.startDateTime;
  const expires = pass?.expiresDateTime ?? req.issued?.expiresDateTime;
  const lifetime = pass?.lifetimeInMinutes ?? req.issued?.lifetimeInMinutes ?? req.settings.lifetimeInMinutes;
  const once = pass?.isUsableOnce ?? req.issued?.isUsableOnce ?? req.settings.isUsableOnce;
  const name = req.target.displayName;
  return {
    requestId: req.id,
    title: `Temporary Access Pass for ${name}`,
    subtitle: `${req.target.userPrincipalName} · request ${req.id}`,
    hasCode: pass !== null,
    code: pass?.temporaryAccessPass ?? '',
    removed: removedNotice(req, ctx),
    facts: [
      { title: 'For', value: `${name} (${req.target.userPrincipalName})` },
      { title: 'Starts', value: start ? formatInstant(start, ctx) : 'When issued' },
      { title: 'Expires', value: expires ? formatInstant(expires, ctx) : `${formatDuration(lifetime)} after it starts` },
      { title: 'Valid for', value: formatDuration(lifetime) },
      { title: 'Use', value: usageLabel(once) },
    ],
    handOverAdvice:
      `Give the pass only to ${name}, once you are sure it is them, together with the guide below. ` +
      'Then select Handed over: the code is removed from this card.',
    replacesExistingTap: req.replacesExistingTap,
    replaceNote: 'Any Temporary Access Pass they had before no longer works.',
    securityInfoUrl: SECURITY_INFO_URL,
    verbs: VERBS,
  };
}

export interface UserGuideView {
  title: string;
  subtitle: string;
  intro: string;
  facts: Fact[];
  stepsHeading: string;
  steps: { number: number; text: string }[];
  troubleHeading: string;
  trouble: string[];
  doNotShare: string;
  openButton: string;
  securityInfoUrl: string;
}

export function userGuideView(req: TapRequest, ctx: CardContext, language: Language): UserGuideView {
  const s = GUIDE_STRINGS[language];
  const start = req.issued?.startDateTime ?? req.settings.startDateTime;
  const expires = req.issued?.expiresDateTime;
  const lifetime = req.issued?.lifetimeInMinutes ?? req.settings.lifetimeInMinutes;
  const once = req.issued?.isUsableOnce ?? req.settings.isUsableOnce;
  const upn = req.target.userPrincipalName;
  const facts: Fact[] = [
    { title: s.facts.account, value: upn },
    { title: s.facts.validFrom, value: start ? formatInstant(start, ctx, language) : s.startsWhenIssued },
  ];
  if (expires) facts.push({ title: s.facts.validUntil, value: formatInstant(expires, ctx, language) });
  facts.push({ title: s.facts.use, value: once ? s.usableOnce : s.usableMany });
  const texts = [
    s.steps.open,
    s.steps.signIn(upn),
    s.steps.addMethod,
    expires
      ? s.steps.beforeExpiry(formatInstant(expires, ctx, language))
      : s.steps.beforeExpiryUnknown(formatDuration(lifetime, language)),
  ];
  return {
    title: s.title,
    subtitle: s.subtitle(req.target.displayName),
    intro: s.intro[req.scenario],
    facts,
    stepsHeading: s.stepsHeading,
    steps: texts.map((text, i) => ({ number: i + 1, text })),
    troubleHeading: s.troubleHeading,
    trouble: [s.trouble.expiredOrUsed, s.trouble.cannotUseMethod],
    doNotShare: s.doNotShare,
    openButton: s.openButton,
    securityInfoUrl: SECURITY_INFO_URL,
  };
}
