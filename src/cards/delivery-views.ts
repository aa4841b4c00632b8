/**
 * View models for handing the pass over: the recipient's delivery card and the end
 * user's guide. The code appears only in the delivery view with a pass; the guide never
 * carries it, because it may be forwarded.
 */
import type { DeliverablePass, TapRequest } from '../flow/types';
import { guideUrl } from '../flow/follow/guideLinks';
import { type CardContext, type CardWords, cardWords, formatDuration } from './format';
import { clientInstant } from '../i18n/time';
import { type Language, languageFor, catalogue, SECURITY_INFO_URL } from '../i18n';
import { type ContainerStyle, usageLabel } from './labels';
import { offersFor } from './offers';
import type { Fact } from './labels';
import { canGroup, groupedCode, spellCode } from './spelling';
import { VERBS } from './verbs';

export interface PassDeliveryView {
  requestId: string;
  title: string;
  subtitle: string;
  hasCode: boolean;
  code: string;
  /** Where no copy button is (phones, other clients): the code in groups that wrap whole. */
  groupedCode: string;
  hasGroupsNote: boolean;
  groupsNote: string;
  spellings: { label: string; text: string }[];
  removed: { style: ContainerStyle; text: string };
  facts: Fact[];
  handOverHeading: string;
  handOverWays: string[];
  handOverLast: string;
  canHandOver: boolean;
  /** The template's own words. */
  t: CardWords['delivery']['template'];
  verbs: typeof VERBS;
}

/** "Megan" from "Megan Bowen": how the agent speaks of the person they help. */
function firstName(displayName: string): string {
  return displayName.trim().split(/\s+/)[0] || displayName;
}

function removedNotice(req: TapRequest, w: CardWords): { style: ContainerStyle; text: string } {
  const d = w.delivery;
  if (req.revocation) return { style: 'attention', text: d.revoked(clientInstant(req.revocation.at)) };
  if (req.replacedBy) return { style: 'attention', text: d.replaced(req.replacedBy.requestId, clientInstant(req.replacedBy.at)) };
  const handedOverAt = req.delivery?.handedOverAt;
  if (handedOverAt) return { style: 'good', text: d.handedOver(clientInstant(handedOverAt)) };
  const expiresAt = req.issued?.expiresDateTime ?? req.delivery?.codeHiddenAt;
  if (expiresAt) return { style: 'emphasis', text: d.expired(clientInstant(expiresAt)) };
  return { style: 'emphasis', text: d.hidden };
}

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
  const w = cardWords(ctx);
  const d = w.delivery;
  const ways = [d.inPerson];
  if (ctx.publicBaseUrl) ways.push(d.guide(first, guideUrl(ctx.publicBaseUrl, req.scenario, guideLanguage)));
  ways.push(d.signsIn(first, SECURITY_INFO_URL));
  return {
    requestId: req.id,
    title: d.title(first),
    subtitle: d.subtitle(name, req.target.userPrincipalName, req.id),
    hasCode: pass !== null,
    code,
    groupedCode: groupedCode(code),
    // Teams draws the copy button on desktop and web only; this line is shown only where it is not.
    hasGroupsNote: canGroup(code),
    groupsNote: d.groupsNote,
    // Each spelling is labelled in its own language: "Read it out: ", "Læs den op på dansk: ".
    spellings: pass === null ? [] : languages.map((l) => ({ label: catalogue(l).cards.delivery.readItOut, text: spellCode(code, l) })),
    removed: removedNotice(req, w),
    facts: [
      { title: d.for, value: `${name} (${req.target.userPrincipalName})` },
      { title: w.facts.starts, value: start ? clientInstant(start) : d.whenIssued },
      { title: d.expires, value: expires ? clientInstant(expires) : d.afterStart(formatDuration(lifetime, ctx.language)) },
      { title: w.facts.validFor, value: formatDuration(lifetime, ctx.language) },
      { title: w.facts.use, value: usageLabel(once, w) },
    ],
    handOverHeading: d.handOverHeading(first),
    handOverWays: ways,
    handOverLast: d.handOverLast(first),
    canHandOver: offers.handOver,
    t: d.template,
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
  const say = catalogue(language);
  const s = say.guide;
  const g = say.cards.guideCard;
  // The guide speaks the user's language, which may not be its reader's: the client would write
  // its dates in the reader's language, inside sentences of another, so the card writes them itself
  // (in the reader's zone, the zone named). In the reader's own language the client writes them.
  const at = (iso: string): string => (language === (ctx.language ?? 'en') ? clientInstant(iso) : say.time(iso, ctx.timeZone));
  const start = req.issued?.startDateTime ?? req.settings.startDateTime;
  const expires = req.issued?.expiresDateTime;
  const lifetime = req.issued?.lifetimeInMinutes ?? req.settings.lifetimeInMinutes;
  const once = req.issued?.isUsableOnce ?? req.settings.isUsableOnce;
  const facts: Fact[] = [
    { title: s.facts.account, value: req.target.userPrincipalName },
    { title: s.facts.validFrom, value: start ? at(start) : s.startsWhenIssued },
  ];
  // A stopped pass has no "valid until": the guide says it no longer works and what to do.
  const stoppedAt = req.revocation?.at ?? req.replacedBy?.at ?? (req.suspicious && req.state === 'Issued' ? req.suspicious.at : undefined);
  if (stoppedAt) facts.push({ title: g.stopped, value: at(stoppedAt) });
  else if (expires) facts.push({ title: s.facts.validUntil, value: at(expires) });
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
      ? g.noLongerWorks
      : expires
        ? s.finishBy(at(expires))
        : s.finishWithin(formatDuration(lifetime, language)),
    hasGuideUrl: ctx.publicBaseUrl !== undefined,
    guideUrl: ctx.publicBaseUrl ? s.onYourPhone(guideUrl(ctx.publicBaseUrl, req.scenario, language)) : '',
    troubleHeading: s.troubleHeading,
    trouble: s.trouble,
    doNotShare: s.doNotShare,
  };
}
