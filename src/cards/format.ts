/**
 * Times, durations and languages for cards.
 *
 * Times on cards are rendered by the client: `{{DATE(…)}}`/`{{TIME(…)}}` take a UTC
 * instant and show it in the viewer's own time zone and language, on every device,
 * also when the card is read hours later. The server never freezes "in 30 minutes" into
 * a card. Text outside a card (an activity's summary, a notification) cannot use them,
 * so `formatInstant` writes the time in words with the zone named.
 */

import { type Catalogue, catalogue, LANGUAGES, type Language } from '../i18n';

export interface CardContext {
  now: Date;
  /** IANA time zone of the viewer, when known: used only for plain text outside cards. */
  timeZone?: string;
  /** The viewer's language for the few lines a card speaks to them in it (default English). */
  language?: Language;
  /** Where the bot is reachable from a browser (e.g. https://tap.contoso.com): the guide page's short URL. */
  publicBaseUrl?: string;
}

/** Every card's words, in one reader's language. */
export type CardWords = Catalogue['cards'];

/** The card words for the reader of `ctx` (English when the edge did not say). */
export function cardWords(ctx?: Pick<CardContext, 'language'>): CardWords {
  return catalogue(ctx?.language ?? 'en').cards;
}

/** The whole catalogue a card's words come from: for sentences the core keeps as meanings (src/i18n/said.ts). */
export function catalogueOf(w: CardWords): Catalogue {
  return LANGUAGES.map((l) => catalogue(l)).find((c) => c.cards === w) ?? catalogue('en');
}

/**
 * For plain text outside a card: "Sun 22 Nov 2026, 14:05 (Europe/Copenhagen)" or
 * "Sun 22 Nov 2026, 13:05 UTC" when the reader's zone is unknown. The catalogue's `time`
 * (src/i18n/time.ts) is the one way a time is written in words.
 */
export function formatInstant(iso: string, ctx: Pick<CardContext, 'timeZone'>, language: Language = 'en'): string {
  return catalogue(language).time(iso, ctx.timeZone);
}

const UNITS: Record<Language, { day: [string, string]; hour: [string, string]; minute: [string, string] }> = {
  en: { day: ['day', 'days'], hour: ['hour', 'hours'], minute: ['minute', 'minutes'] },
  da: { day: ['dag', 'dage'], hour: ['time', 'timer'], minute: ['minut', 'minutter'] },
};

/** 60 => "1 hour", 480 => "8 hours", 90 => "90 minutes", 2880 => "2 days". */
export function formatDuration(minutes: number, language: Language = 'en'): string {
  const units = UNITS[language];
  const count = (n: number, [one, many]: [string, string]): string => `${n} ${n === 1 ? one : many}`;
  if (minutes > 0 && minutes % 1440 === 0) return count(minutes / 1440, units.day);
  if (minutes > 0 && minutes % 60 === 0) return count(minutes / 60, units.hour);
  return count(minutes, units.minute);
}
