/**
 * What the Teams edge needs from the rest of the app, as narrow interfaces. `TapFlow` and
 * the card renderer satisfy them structurally; tests hand in fakes.
 */
import type { CardContext } from '../cards/format';
import type { TapFlow } from '../flow/tapFlow';
import type { DeliverablePass, TapRequest } from '../flow/types';
import type { OwnerNoticeLinks } from '../flow/types';
import type { ApprovalViewer, HelpReader, MessageOptions, RequestFormOptions, StatusListOptions } from '../cards/render';
import type { ConversationReference } from 'botbuilder';

/** The workflow operations the bot calls: `TapFlow` minus `sweep`, so tests can fake it. */
export type FlowPort = Pick<
  TapFlow,
  | 'assertAgent'
  | 'isAgent'
  | 'getPolicyForForm'
  | 'startRequest'
  | 'decide'
  | 'cancel'
  | 'markHandedOver'
  | 'status'
  | 'getRequest'
  | 'revoke'
  | 'reportSuspicious'
  | 'pending'
  | 'preview'
  | 'disputeAsOwner'
  | 'disputeByLink'
>;

/** An Adaptive Card as JSON. */
export type CardJson = Record<string, unknown>;

export type RequestFormInput = RequestFormOptions;

/**
 * The card functions the bot uses; src/cards/render.ts is the real one. Every card gets the
 * reader's `CardContext` (their language and zone), also where a view does not use it yet.
 */
export interface CardRenderer {
  welcomeCard(options: { isAgent: boolean }, ctx: CardContext): CardJson;
  helpCard(reader: HelpReader | undefined, ctx: CardContext): CardJson;
  requestFormCard(input: RequestFormInput, ctx: CardContext): CardJson;
  approvalCard(request: TapRequest, view: ApprovalViewer, ctx: CardContext): CardJson;
  requestStatusCard(request: TapRequest, ctx: CardContext): CardJson;
  statusListCard(requests: TapRequest[], ctx: CardContext, options: StatusListOptions): CardJson;
  passDeliveryCard(request: TapRequest, pass: DeliverablePass | null, ctx: CardContext): CardJson;
  userGuideCard(request: TapRequest, ctx: CardContext, language?: string): CardJson;
  messageCard(input: MessageOptions): CardJson;
  ownerNoticeCard(request: TapRequest, links: OwnerNoticeLinks, ctx: CardContext): CardJson;
}

/**
 * Optional hook for reaching a person who never opened the bot: install the app for them
 * (Graph `TeamsAppInstallation.ReadWriteSelfForUser.All`) and create the 1:1 conversation.
 * Implemented outside the Teams edge; `undefined` = still unreachable.
 */
export interface ProactiveInstaller {
  ensureConversation(userId: string): Promise<Partial<ConversationReference> | undefined>;
}
