/**
 * Who reads what the Teams edge writes: their language and time zone, from the turn they
 * are in or, for what the bot sends on its own initiative, from what their Teams client last
 * told us (src/bot/conversations.ts). Every sentence the edge writes is picked here from the
 * reader's catalogue (src/i18n, section `chat`), and every time in plain text is written by
 * the one helper, `formatInstant`.
 */
import type { Activity } from 'botbuilder';
import type { CardContext } from '../cards/format';
import { formatInstant } from '../cards/format';
import type { AppError } from '../errors';
import { catalogue, languageFor, type Catalogue } from '../i18n';
import type { StoredConversation } from './conversations';

/** The activity's locale when it looks like a BCP 47 tag ("da-DK", "en-US"); nothing else is kept. */
export function localeOf(activity: Partial<Activity>): string | undefined {
  const locale: unknown = activity.locale;
  return typeof locale === 'string' && /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}$/.test(locale) ? locale : undefined;
}

/** The words of the chat, in the reader's language (English when unknown). */
export function chatIn(ctx: Pick<CardContext, 'language'>): Catalogue['chat'] {
  return catalogue(ctx.language).chat;
}

/** The chat's words for whoever sent `activity`, before anything about them is known or stored. */
export function chatOfTurn(activity: Partial<Activity>): Catalogue['chat'] {
  return catalogue(languageFor(localeOf(activity))).chat;
}

/** An error's sentence for this reader, any time in it in their zone: never internals, English where it has no other words yet. */
export function errorIn(error: AppError, ctx: Pick<CardContext, 'language' | 'timeZone'>): string {
  return error.messageIn(catalogue(ctx.language), ctx.timeZone);
}

/** An instant in a sentence, in the reader's zone and language. */
export function timeIn(iso: string, ctx: Pick<CardContext, 'language' | 'timeZone'>): string {
  return formatInstant(iso, ctx, ctx.language);
}

export interface ReaderContextOptions {
  now: Date;
  publicBaseUrl?: string | undefined;
  /** What the person's client last told us (zone, locale); absent = nothing known. */
  stored?: Pick<StoredConversation, 'timeZone' | 'locale'> | undefined;
}

/** The card context of someone written to outside a turn: their last known zone and language. */
export function readerContext(options: ReaderContextOptions): CardContext {
  const { stored, publicBaseUrl } = options;
  return {
    now: options.now,
    ...(stored?.timeZone ? { timeZone: stored.timeZone } : {}),
    language: languageFor(stored?.locale),
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
  };
}

/**
 * The account owner's own card (the notice of a pass for them) is in their `preferredLanguage`
 * from Entra when it is set, in a turn too, so the card does not change language when they click it.
 */
export function ownerContext(ctx: CardContext, request: { target: { preferredLanguage?: string | null } }): CardContext {
  const preferred = request.target.preferredLanguage;
  return preferred ? { ...ctx, language: languageFor(preferred) } : ctx;
}

/** "Nestor Wilke", "Nestor Wilke and Lee Gu", "A, B and C", with the reader's word for "and". */
export function joinNames(names: string[], say: Catalogue['chat']): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} ${say.notice.and} ${names[names.length - 1]!}`;
}
