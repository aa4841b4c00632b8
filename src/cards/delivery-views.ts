/**
 * View models for handing the pass over: the recipient's delivery card and the end
 * user's guide. The code appears only in the delivery view with a pass; the guide never
 * carries it, because it may be forwarded.
 */
import type { DeliverablePass, TapRequest } from '../flow/types';
import { guideUrl } from '../flow/follow/guideLinks';
import { type CardContext, clientInstant, formatDuration } from './format';
import { type Language, languageFor, catalogue, SECURITY_INFO_URL } from '../i18n';
import { type ContainerStyle, usageLabel } from './labels';
import { offersFor } from './offers';
import type { Fact } from './labels';
import { groupedCode, spellCode } from './spelling';
import { VERBS } from './verbs';

export interface PassDeliveryView {
  requestId: string;
  title: string;
  subtitle: string;
  hasCode: boolean;
  code: string;
  /** Where no copy button is (phones, other clients): the code in groups that wrap whole. */
  groupedCode: string;
  groupsNote: string;
  spellings: { label: string; text: string }[];
  removed: { style: ContainerStyle; text: string };
  facts: Fact[];
  handOverHeading: string;
  handOverWays: string[];
  handOverLast: string;
  canHandOver: boolean;
  verbs: typeof VERBS;
}

/** "Megan" from "Megan Bowen": how the agent speaks of the person they help. */
function firstName(displayName: string): string {
  return displayName.trim().split(/\s+/)[0] || displayName;
}

function removedNotice(req: TapRequest): { style: ContainerStyle; text: string } {
  if (req.revocation) return { style: 'attention', text: `Pass revoked on ${clientInstant(req.revocation.at)}: the code no longer works and is not shown.` };
  if (req.replacedBy) return { style: 'attention', text: `A later pass (${req.replacedBy.requestId}) replaced this one on ${clientInstant(req.replacedBy.at)}: this code no longer works and is not shown. Do not hand it over.` };
  const handedOverAt = req.delivery?.handedOverAt;
  if (handedOverAt) return { style: 'good', text: `Code removed: handed over on ${clientInstant(handedOverAt)}.` };
  const expiresAt = req.issued?.expiresDateTime ?? req.delivery?.codeHiddenAt;
  if (expiresAt) return { style: 'emphasis', text: `The pass expired on ${clientInstant(expiresAt)}. The code is no longer shown.` };
  return { style: 'emphasis', text: 'The code is no longer shown on this card.' };
}

const SPELLING_LABELS: Record<Language, string> = { en: 'Read it out: ', da: 'Læs den op på dansk: ' };

export function passDeliveryView(req: TapRequest, pass: DeliverablePass | null, ctx: CardContext): PassDeliveryView {
  // With a pass, its own facts are authoritative; without one, the stored facts (never the code).
  const start = pass?.startDateTime ?? req.issued?.startDateTime;
  const expires = pass?.expiresDateTime ?? req.issued?.expiresDateTime;
  const lifetime = pass?.lifetimeInMinutes ?? req.issued?.lifetimeInMinutes ?? req.settings.lifetimeInMinutes;
  const once = pass?.isUsableOnce ?? req.issued?.isUsableOnce ?? req.settings.isUsableOnce;
  const name = req.target.displayName;
  const first = firstName(name);
  const code = pass?.temporaryAccessPass ?? '';
  const offers = offersFor(req, 'delivery', { hasCode: pass !== null }, ctx.now);
  // Spelled in the reader's language, and in the user's when that differs: it is read to them.
  const viewerLanguage = ctx.language ?? 'en';
  const userLanguage = languageFor(req.target.preferredLanguage);
  const languages = [...new Set([viewerLanguage, userLanguage])];
  const guideLanguage = userLanguage;
  const ways = [`In person, or on a call you started to a number you know: read the code out, character by character.`];
  if (ctx.publicBaseUrl) {
    ways.push(`If ${first} is locked out, read out or text this guide: ${guideUrl(ctx.publicBaseUrl, req.scenario, guideLanguage)} (it holds no personal data and no code).`);
  }
  ways.push(`${first} signs in at ${SECURITY_INFO_URL}. Read that address out: on your own computer it would open your security info, not theirs.`);
  return {
    requestId: req.id,
    title: `Give this to ${first}`,
    subtitle: `Temporary Access Pass for ${name} (${req.target.userPrincipalName}) · request ${req.id}`,
    hasCode: pass !== null,
    code,
    groupedCode: groupedCode(code),
    // Teams draws the copy button on desktop and web only; this line is shown only where it is not.
    groupsNote: 'The spaces only make it easier to read: the code has none. Type it without them.',
    spellings: pass === null ? [] : languages.map((l) => ({ label: SPELLING_LABELS[l], text: spellCode(code, l) })),
    removed: removedNotice(req),
    facts: [
      { title: 'For', value: `${name} (${req.target.userPrincipalName})` },
      { title: 'Starts', value: start ? clientInstant(start) : 'When issued' },
      { title: 'Expires', value: expires ? clientInstant(expires) : `${formatDuration(lifetime)} after it starts` },
      { title: 'Valid for', value: formatDuration(lifetime) },
      { title: 'Use', value: usageLabel(once) },
    ],
    handOverHeading: `How to hand it to ${first}`,
    handOverWays: ways,
    handOverLast: `Give the pass only to ${first}, once you are sure it is them. Then select Handed over: the code is removed from this card.`,
    canHandOver: offers.handOver,
    verbs: VERBS,
  };
}

/**
 * No `lang` on the card: the Adaptive Cards JS renderer checks `lang` with a global
 * regex and drops it on every second card it parses, so dates follow the viewer's own
 * locale, as on every other card.
 */
export interface UserGuideView {
  title: string;
  subtitle: string;
  intro: string;
  facts: Fact[];
  stepsHeading: string;
  steps: { number: number; text: string }[];
  usageNote: string;
  finish: string;
  hasGuideUrl: boolean;
  guideUrl: string;
  troubleHeading: string;
  trouble: string[];
  doNotShare: string;
}

export function userGuideView(req: TapRequest, ctx: CardContext, language: Language): UserGuideView {
  const s = catalogue(language).guide;
  const start = req.issued?.startDateTime ?? req.settings.startDateTime;
  const expires = req.issued?.expiresDateTime;
  const lifetime = req.issued?.lifetimeInMinutes ?? req.settings.lifetimeInMinutes;
  const once = req.issued?.isUsableOnce ?? req.settings.isUsableOnce;
  const facts: Fact[] = [
    { title: s.facts.account, value: req.target.userPrincipalName },
    { title: s.facts.validFrom, value: start ? clientInstant(start) : s.startsWhenIssued },
  ];
  // A stopped pass has no "valid until": the guide says it no longer works and what to do.
  const stoppedAt = req.revocation?.at ?? req.replacedBy?.at ?? (req.suspicious && req.state === 'Issued' ? req.suspicious.at : undefined);
  if (stoppedAt) facts.push({ title: 'Stopped', value: clientInstant(stoppedAt) });
  else if (expires) facts.push({ title: s.facts.validUntil, value: clientInstant(expires) });
  facts.push({ title: s.facts.use, value: once ? s.usableOnce : s.usableMany });
  return {
    title: s.title,
    subtitle: s.subtitle(req.target.displayName),
    intro: s.intro[req.scenario],
    facts,
    stepsHeading: s.stepsHeading,
    steps: s.steps[req.scenario].map((text, i) => ({ number: i + 1, text })),
    usageNote: once ? s.usage.once : s.usage.many,
    finish: stoppedAt
      ? 'This pass no longer works. If you still need to set up how you sign in, ask the helpdesk for a new one.'
      : expires
        ? s.finishBy(clientInstant(expires))
        : s.finishWithin(formatDuration(lifetime, language)),
    hasGuideUrl: ctx.publicBaseUrl !== undefined,
    guideUrl: ctx.publicBaseUrl ? s.onYourPhone(guideUrl(ctx.publicBaseUrl, req.scenario, language)) : '',
    troubleHeading: s.troubleHeading,
    trouble: s.trouble,
    doNotShare: s.doNotShare,
  };
}
