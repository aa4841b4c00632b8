/**
 * Typed entry points for every card the bot sends. Each builds a view model (dates
 * formatted, labels chosen) and binds it to a declarative template from `cards/`.
 * Cards carry only `{ requestId }` back in `Action.Execute` data; the handlers must
 * read everything else from storage.
 */
import type { DeliverablePass, TapRequest } from '../flow/types';
import {
  type MessageOptions,
  type RequestFormOptions,
  helpView,
  messageView,
  requestFormView,
  welcomeView,
} from './chat-views';
import { passDeliveryView, userGuideView } from './delivery-views';
import { type CardContext, formatInstant as formatInstantIn, languageFor } from './format';
import { approvalView, requestStatusView, statusListView } from './request-views';
import { type AdaptiveCard, expandTemplate } from './templates';

export type { AdaptiveCard } from './templates';
export type { CardContext, Language } from './format';
export { languageFor } from './format';
export type { MessageOptions, RequestFormOptions } from './chat-views';

/** What the bot does, who may use it and, for agents, the commands. */
export function welcomeCard(opts: { isAgent: boolean }): AdaptiveCard {
  return expandTemplate('welcome', welcomeView(opts.isAgent));
}

export function helpCard(): AdaptiveCard {
  return expandTemplate('help', helpView());
}

/** The agent's form; re-sent with `error` and the typed values when validation fails. */
export function requestFormCard(opts: RequestFormOptions): AdaptiveCard {
  return expandTemplate('requestForm', requestFormView(opts));
}

/**
 * The approver's card. Approve and Deny appear only for someone who may decide while
 * the request is open; everyone else sees the outcome read-only.
 */
export function approvalCard(req: TapRequest, viewer: { canDecide: boolean }, ctx: CardContext): AdaptiveCard {
  return expandTemplate('approval', approvalView(req, viewer, ctx));
}

/** The agent's card for one request, with Cancel while it is pending. */
export function requestStatusCard(req: TapRequest, ctx: CardContext): AdaptiveCard {
  return expandTemplate('requestStatus', requestStatusView(req, ctx));
}

export function statusListCard(requests: TapRequest[], ctx: CardContext, opts: { title: string }): AdaptiveCard {
  return expandTemplate('statusList', statusListView(requests, ctx, opts.title));
}

/** With `pass`, shows the code once; with `null`, the same facts and no code at all. */
export function passDeliveryCard(req: TapRequest, pass: DeliverablePass | null, ctx: CardContext): AdaptiveCard {
  return expandTemplate('passDelivery', passDeliveryView(req, pass, ctx));
}

/** The end user's registration guide, in their language (Danish for "da*", else English). */
export function userGuideCard(req: TapRequest, ctx: CardContext, language?: string): AdaptiveCard {
  return expandTemplate('userGuide', userGuideView(req, ctx, languageFor(language ?? req.target.preferredLanguage)));
}

export function messageCard(opts: MessageOptions): AdaptiveCard {
  return expandTemplate('message', messageView(opts));
}

/** "Sun 22 Nov 2026, 14:05 (Europe/Copenhagen)" or "Sun 22 Nov 2026, 13:05 UTC". */
export function formatInstant(iso: string, ctx: CardContext): string {
  return formatInstantIn(iso, ctx);
}
