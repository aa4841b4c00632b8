/**
 * Typed entry points for every card the bot sends. Each builds a view model (labels
 * chosen, times left for the client to write in the viewer's zone) and binds it to a
 * declarative template from `cards/`. Cards carry only `{ requestId }` (and what the
 * person typed) back in `Action.Execute` data; the handlers read everything else from
 * storage.
 */
import type { DeliverablePass, TapRequest } from '../flow/types';
import {
  type MessageOptions,
  type RequestFormOptions,
  type HelpReader,
  helpView,
  messageView,
  requestFormView,
  welcomeView,
} from './chat-views';
import { passDeliveryView, userGuideView } from './delivery-views';
import { ownerNoticeView } from './owner-views';
import type { OwnerNoticeLinks } from '../flow/types';
import { type CardContext, formatInstant as formatInstantIn } from './format';
import { languageFor } from '../i18n';
import { offersFor, type PartyCard } from './offers';
import { type ApprovalViewer, type StatusListOptions, approvalView, partyActionsView, requestStatusView, statusListView } from './request-views';
import { type AdaptiveCard, expandTemplate } from './templates';
import { expandStepUp, stepUpView } from './stepUp-views';
import type { StepUpRequiredError } from '../flow/decide/stepUp';

export type { AdaptiveCard } from './templates';
export type { CardContext } from './format';
export type { HelpReader, MessageOptions, RequestFormOptions } from './chat-views';
export type { ApprovalViewer, StatusListOptions } from './request-views';
export { approvalSummary, deliverySummary, userGuideSummary } from './summary';

/** What the bot does, who may use it and, for agents, the commands. */
export function welcomeCard(opts: { isAgent: boolean }, ctx?: CardContext): AdaptiveCard {
  return expandTemplate('welcome', welcomeView(opts.isAgent, ctx));
}

export function helpCard(reader?: HelpReader, ctx?: CardContext): AdaptiveCard {
  return expandTemplate('help', helpView(reader, ctx));
}

/** The agent's form; re-sent with `error` and the typed values when validation fails. */
export function requestFormCard(opts: RequestFormOptions, ctx?: CardContext): AdaptiveCard {
  return expandTemplate('requestForm', requestFormView(opts, ctx));
}

/** Revoke… and Report as suspicious…, after the card's own actions, when offers allow. */
function withPartyActions(card: AdaptiveCard, req: TapRequest, kind: PartyCard, viewer: { canDecide?: boolean; hasCode?: boolean }, ctx: CardContext): AdaptiveCard {
  const offers = offersFor(req, kind, viewer, ctx.now);
  const party = expandTemplate('partyActions', partyActionsView(req, offers, ctx)).actions;
  const extra = Array.isArray(party) ? party : [];
  if (extra.length === 0) return card;
  const own = Array.isArray(card.actions) ? card.actions : [];
  return { ...card, actions: [...own, ...extra] };
}

/**
 * The approver's card. Approve and Deny appear only for someone who may decide while
 * the request is open; everyone else sees the outcome read-only. A refused Approve is
 * rendered again with `viewer.attestation`, `attestationNote` and `error`.
 */
export function approvalCard(req: TapRequest, viewer: ApprovalViewer, ctx: CardContext): AdaptiveCard {
  return withPartyActions(expandTemplate('approval', approvalView(req, viewer, ctx)), req, 'approval', viewer, ctx);
}

/** Instead of a decision when step-up applies: the approval is held until the approver signs in again (flow/decide/stepUp.ts). */
export function stepUpCard(hold: StepUpRequiredError['hold'], ctx: CardContext, refreshVerb?: string): AdaptiveCard {
  return expandStepUp(stepUpView(hold, ctx, refreshVerb));
}

/** The agent's card for one request, with Cancel while it is pending. */
export function requestStatusCard(req: TapRequest, ctx: CardContext): AdaptiveCard {
  return withPartyActions(expandTemplate('requestStatus', requestStatusView(req, ctx)), req, 'status', {}, ctx);
}

export function statusListCard(requests: TapRequest[], ctx: CardContext, opts: StatusListOptions): AdaptiveCard {
  return expandTemplate('statusList', statusListView(requests, ctx, opts));
}

/** With `pass`, shows the code once; with `null`, the same facts and no code at all. */
export function passDeliveryCard(req: TapRequest, pass: DeliverablePass | null, ctx: CardContext): AdaptiveCard {
  return withPartyActions(expandTemplate('passDelivery', passDeliveryView(req, pass, ctx)), req, 'delivery', { hasCode: pass !== null }, ctx);
}

/** The end user's registration guide, in their language (Danish for "da*", else English). */
export function userGuideCard(req: TapRequest, ctx: CardContext, language?: string): AdaptiveCard {
  return expandTemplate('userGuide', userGuideView(req, ctx, languageFor(language ?? req.target.preferredLanguage)));
}

/** For the account owner, in their language: a pass was issued for you, and "This wasn't me". */
export function ownerNoticeCard(req: TapRequest, links: OwnerNoticeLinks, ctx?: CardContext): AdaptiveCard {
  return expandTemplate('ownerNotice', ownerNoticeView(req, links, ctx));
}

export function messageCard(opts: MessageOptions): AdaptiveCard {
  return expandTemplate('message', messageView(opts));
}

/** For plain text outside cards, in the reader's language: "Sun 22 Nov 2026, 14:05 (Europe/Copenhagen)" or "… 13:05 UTC". */
export function formatInstant(iso: string, ctx: CardContext): string {
  return formatInstantIn(iso, ctx, ctx.language);
}
