/**
 * One line of plain text per proactive card, for the activity's `summary`/`text`: what a
 * notification, the chat list or a screen reader shows before the card is opened. Plain
 * text cannot use the client's DATE/TIME, so a deadline is written in the reader's zone
 * when known, with the zone named (UTC otherwise), in the reader's language.
 */
import type { TapRequest } from '../flow/types';
import { type CardContext, cardWords, formatInstant } from './format';
import { catalogue, languageFor } from '../i18n';

type Reader = Pick<CardContext, 'timeZone' | 'language'>;

/** "Adele Vance (helpdesk) asks for a Temporary Access Pass for Megan Bowen. Decide by Sun 22 Nov 2026, 14:30 UTC." */
export function approvalSummary(req: TapRequest, ctx: Reader): string {
  return cardWords(ctx).summary.approval(req.requester.displayName, req.target.displayName, formatInstant(req.expiresAt, ctx, ctx.language));
}

/** For the recipient: whom it is for and until when it works; never the code. */
export function deliverySummary(req: TapRequest, expiresDateTime: string, ctx: Reader): string {
  return cardWords(ctx).summary.delivery(req.target.displayName, req.requester.displayName, formatInstant(expiresDateTime, ctx, ctx.language));
}

/** The guide's title in the user's language, with their name. */
export function userGuideSummary(req: TapRequest, language?: string): string {
  const s = catalogue(languageFor(language ?? req.target.preferredLanguage)).guide;
  return `${s.title}: ${s.subtitle(req.target.displayName)}`;
}
