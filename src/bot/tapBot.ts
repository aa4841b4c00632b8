/**
 * The Teams activity handler: chat commands and the welcome card here; card actions
 * (invoke `adaptiveCard/action`) are routed by exact verb in cardActions.ts.
 *
 * Who acts is always `activity.from.aadObjectId` in the configured tenant (the tenant guard,
 * and in production the Teams-only channel guard, ran before this); card data only supplies
 * `requestId` and what the person typed, read through cardData.ts.
 */
import { stopSentence } from '../flow/stop/livePass';
import {
  MessageFactory,
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { CardContext } from '../cards/format';
import { languageFor } from '../i18n';
import type { HelpReader } from '../cards/render';
import * as render from '../cards/render';
import { isAppError } from '../errors';
import { canonicalId, nameAndUpn } from '../identity';
import type { TargetPreview } from '../flow/request/preview';
import { RECENT_SHOWN } from '../flow/tapFlow';
import type { Actor } from '../flow/types';
import { createLogger } from '../log';
import { bulkFormCard, bulkStatusCard } from '../cards/bulk-views';
import { BulkActions, viewerOf, type BulkPort } from './bulkActions';
import type { BulkTeamsNotifier } from './bulkNotifier';
import { CardActions, formInput } from './cardActions';
import { readCardData } from './cardData';
import type { CardRefStore } from './cardRefs';
import { parseCommand, type Command } from './commands';
import { isPersonalConversation, timeZoneOf, type ConversationStore } from './conversations';
import { invokeError } from './invokeResponses';
import type { CardRenderer, FlowPort } from './ports';
import { sendCard, sendRefusal } from './send';

const log = createLogger('bot.tapBot');

export interface TapBotOptions {
  flow: FlowPort;
  conversations: ConversationStore;
  cardRefs: CardRefStore;
  /** Default: the real card renderer (src/cards/render.ts). */
  cards?: CardRenderer;
  /** The configured tenant: every actor belongs to it (the tenant guard enforces that). */
  tenantId: string;
  /** Where the guide page is reachable from a browser (cards show its short URL); absent = no link. */
  publicBaseUrl?: () => string | undefined;
  clock?: () => Date;
  /** Bulk passes for a group; absent = `tap group` answers that it is not set up. */
  bulk?: { flow: BulkPort; notifier: Pick<BulkTeamsNotifier, 'rememberStatusCard'> };
}

const BULK_NOT_SET_UP = 'Passes for a whole group are not set up in this bot. Ask the IT admin (it needs BULK_APPROVER_GROUP_ID or FALLBACK_APPROVER_GROUP_ID).';

const VIEWER_TIME_ZONE = Symbol('viewerTimeZone');

const CARD_ACTION_INVOKE = 'adaptiveCard/action';

/**
 * Commands are a few words; longer text is not parsed at all. Stripping HTML from a long
 * run of unclosed `<` costs quadratic time, and Teams lets a person paste about 28 KB.
 */
export const MAX_COMMAND_TEXT = 4000;

const TOO_LONG =
  'That message is too long for me. I understand short commands such as `tap megan@contoso.com`, `status` or `help`.';

const GROUP_NOTICE =
  'I handle Temporary Access Passes only in a 1:1 chat, so that nothing about a person\'s account is shared with a group. Open a chat with me (TAP Helpdesk) to ask for, approve or check a pass.';

/** What the agent sees before the form: who the person is, who decides, or why not. */
function previewMessage(p: TargetPreview): { title: string; text: string; tone: 'good' | 'attention' | 'warning' } {
  if (!p.person) return { title: `No pass for ${p.typed}`, text: p.refusal?.message ?? `No user ${p.typed} was found.`, tone: 'attention' };
  const who = `${nameAndUpn(p.person)}`;
  const facts = [p.person.jobTitle, p.person.department].filter((f): f is string => Boolean(f)).join(', ');
  const manager = p.manager ? `Manager: ${p.manager.displayName}.` : 'No manager set.';
  if (p.refusal) return { title: `No pass for ${who}`, text: `${facts ? `${facts}. ` : ''}${manager} ${p.refusal.message}`, tone: 'attention' };
  const replaces = p.replacesExistingTap ? ' They already have a pass: a new one replaces it.' : '';
  return { title: who, text: `${facts ? `${facts}. ` : ''}${manager} ${p.approverNote ?? ''}${replaces}`, tone: p.replacesExistingTap ? 'warning' : 'good' };
}

const TAP_DISABLED =
  "Temporary Access Pass is turned off in this organization's authentication methods policy, so I can't issue one. Ask your IT admin to enable it.";

export class TapBot extends TeamsActivityHandler {
  private readonly flow: FlowPort;
  private readonly conversations: ConversationStore;
  private readonly cardRefs: CardRefStore;
  private readonly cards: CardRenderer;
  private readonly tenantId: string;
  private readonly publicBaseUrl: () => string | undefined;
  private readonly clock: () => Date;
  private readonly cardActions: CardActions;
  private readonly bulk: { flow: BulkPort; actions: BulkActions } | undefined;

  constructor(options: TapBotOptions) {
    super();
    this.flow = options.flow;
    this.conversations = options.conversations;
    this.cardRefs = options.cardRefs;
    this.cards = options.cards ?? render;
    this.tenantId = options.tenantId;
    this.publicBaseUrl = options.publicBaseUrl ?? (() => undefined);
    this.clock = options.clock ?? (() => new Date());
    this.cardActions = new CardActions({ flow: this.flow, cardRefs: this.cardRefs, cards: this.cards, clock: this.clock });
    this.bulk = options.bulk
      ? { flow: options.bulk.flow, actions: new BulkActions({ flow: options.bulk.flow, notifier: options.bulk.notifier, policyForForm: (zone) => this.flow.getPolicyForForm(zone) }) }
      : undefined;

    this.onInstallationUpdateAdd(async (context, next) => {
      // Installed into a team or group chat: no welcome there (passes are a 1:1 matter).
      if (isPersonalConversation(context.activity)) await this.welcome(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      const userId = canonicalId(context.activity.from?.aadObjectId);
      if (userId) await this.conversations.forgetWelcome(userId);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      if (isPersonalConversation(context.activity)) await this.welcome(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.onChatMessage(context);
      await next();
    });
  }

  /** Every turn first remembers the person's conversation (for later proactive cards). */
  override async run(context: TurnContext): Promise<void> {
    let storedTimeZone: string | undefined;
    try {
      storedTimeZone = (await this.conversations.remember(context.activity))?.timeZone;
    } catch (e) {
      // Not fatal for this turn: the person still gets an answer; proactive cards may fail later.
      log.warn('conversation reference not saved', { error: e, userId: context.activity.from?.aadObjectId });
    }
    const timeZone = timeZoneOf(context.activity) ?? storedTimeZone;
    if (timeZone) context.turnState.set(VIEWER_TIME_ZONE, timeZone);
    await super.run(context);
  }

  // ---- chat ----

  private async onChatMessage(context: TurnContext): Promise<void> {
    const actor = this.actorOf(context);
    if (!actor) {
      await context.sendActivity(MessageFactory.text("I can't tell who you are from this message, so I can't help here. Open the TAP helpdesk bot in Teams and try again."));
      return;
    }
    const text: unknown = context.activity.text;
    if (typeof text === 'string' && text.length > MAX_COMMAND_TEXT) {
      await context.sendActivity(MessageFactory.text(TOO_LONG));
      return;
    }
    if (!isPersonalConversation(context.activity)) {
      await this.answerGroupOnce(context);
      return;
    }
    const command = parseCommand(typeof text === 'string' ? text : undefined);
    try {
      await this.runCommand(context, actor, command);
    } catch (e) {
      if (!isAppError(e)) throw e;
      await sendRefusal(context, this.cards, e);
    }
  }

  private async runCommand(context: TurnContext, actor: Actor, command: Command): Promise<void> {
    switch (command.kind) {
      case 'tap': {
        await this.flow.assertAgent(actor);
        const zone = this.cardContext(context).timeZone;
        const policy = await this.flow.getPolicyForForm(zone);
        if (!policy.enabled) {
          await sendCard(context, this.cards.messageCard({ title: 'Temporary Access Pass is turned off', text: TAP_DISABLED, tone: 'warning' }));
          return;
        }
        if (command.target) {
          // Look before asking: who is this, and can they have a pass at all?
          const preview = await this.flow.preview(actor, command.target);
          await sendCard(context, this.cards.messageCard(previewMessage(preview)));
          if (preview.refusal) return;
        }
        await sendCard(context, this.cards.requestFormCard(formInput(policy, command.target ? { target: command.target } : {}, { ...(zone ? { timeZone: zone } : {}) })));
        return;
      }
      case 'bulk': {
        await this.flow.assertAgent(actor);
        if (!this.bulk) {
          await sendCard(context, this.cards.messageCard({ title: 'Not set up', text: BULK_NOT_SET_UP, tone: 'warning' }));
          return;
        }
        const zone = this.cardContext(context).timeZone;
        const policy = await this.flow.getPolicyForForm(zone);
        if (!policy.enabled) {
          await sendCard(context, this.cards.messageCard({ title: 'Temporary Access Pass is turned off', text: TAP_DISABLED, tone: 'warning' }));
          return;
        }
        await sendCard(context, bulkFormCard({ policy, ...(command.group ? { group: command.group } : {}), ...(zone ? { timeZone: zone } : {}) }));
        return;
      }
      case 'revokeBulk': {
        if (!this.bulk) {
          await sendCard(context, this.cards.messageCard({ title: 'Not set up', text: BULK_NOT_SET_UP, tone: 'warning' }));
          return;
        }
        const r = await this.bulk.flow.revokeAll(actor, command.bulkId);
        const parts = [
          r.deleted > 0 ? `${r.deleted} pass${r.deleted === 1 ? ' was' : 'es were'} deleted in Entra ID and no longer work${r.deleted === 1 ? 's' : ''}.` : 'No pass was deleted.',
          ...(r.nothingLive > 0 ? [`${r.nothingLive} had no live pass any more (expired, used, replaced or stopped before).`] : []),
          ...(r.notStopped.length > 0 ? [`Could not be stopped now, try again: ${r.notStopped.join(', ')}.`] : []),
          ...(r.bulk.state === 'Cancelled' ? ['Nothing more will be made for this request.'] : []),
        ];
        await sendCard(context, this.cards.messageCard({ title: `${r.bulk.id}: passes stopped`, text: parts.join(' '), tone: r.notStopped.length > 0 ? 'warning' : 'good' }));
        return;
      }
      case 'cancelBulk': {
        if (!this.bulk) {
          await sendCard(context, this.cards.messageCard({ title: 'Not set up', text: BULK_NOT_SET_UP, tone: 'warning' }));
          return;
        }
        const bulk = await this.bulk.flow.cancel(actor, command.bulkId);
        await sendCard(context, bulkStatusCard(bulk, this.cardContext(context), { viewer: viewerOf(bulk, actor.aadObjectId) }));
        return;
      }
      case 'status': {
        const view = await this.flow.status(actor, command.targetUpn ? { targetUpn: command.targetUpn } : {});
        const title = command.targetUpn ? `TAP requests for ${command.targetUpn}` : 'Your TAP requests';
        await sendCard(context, this.cards.statusListCard([...view.open, ...view.recent], this.cardContext(context), { title, finishedShownAtMost: RECENT_SHOWN }));
        return;
      }
      case 'cancel': {
        const request = await this.flow.cancel(actor, command.requestId);
        await sendCard(context, this.cards.messageCard({
          title: `${request.id} cancelled`,
          text: `The request for ${nameAndUpn(request.target)} is cancelled.`,
          tone: 'good',
        }));
        return;
      }
      case 'revoke': {
        const request = await this.flow.revoke(actor, command.requestId);
        await sendCard(context, this.cards.messageCard({
          title: `${request.id}: ${request.state === 'Cancelled' ? 'withdrawn before it was made' : 'stopped'}`,
          text: request.state === 'Cancelled' ? `The pass for ${nameAndUpn(request.target)} will not be made.` : `${nameAndUpn(request.target)}: ${stopSentence(request)}`,
          tone: 'good',
        }));
        return;
      }
      case 'report': {
        const request = await this.flow.reportSuspicious(actor, command.requestId, command.reason);
        const what = request.revocation ? 'its pass was revoked' : request.state === 'Cancelled' ? 'it was stopped' : 'it is flagged';
        await sendCard(context, this.cards.messageCard({
          title: `${request.id} reported as suspicious`,
          text: `Thank you. The request for ${request.target.displayName} is recorded as suspicious and ${what}; the security contacts are told.`,
          tone: 'good',
        }));
        return;
      }
      case 'pending': {
        const waiting = await this.flow.pending(actor);
        if (waiting.length === 0) {
          await sendCard(context, this.cards.messageCard({ title: 'Nothing waits for you', text: 'No Temporary Access Pass request is waiting for your decision.', tone: 'good' }));
          return;
        }
        await sendCard(context, this.cards.statusListCard(waiting, this.cardContext(context), { title: `Waiting for your decision (${waiting.length})` }));
        return;
      }
      case 'help':
        await sendCard(context, this.cards.helpCard(await this.readerOf(actor)), command.understood ? undefined : "I didn't understand that. Here is what I can do:");
        return;
    }
  }

  private async answerGroupOnce(context: TurnContext): Promise<void> {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId || !(await this.conversations.claimGroupNotice(conversationId))) return;
    await context.sendActivity(MessageFactory.text(GROUP_NOTICE));
  }

  private async welcome(context: TurnContext): Promise<void> {
    const actor = this.actorOf(context);
    const conversationId = context.activity.conversation?.id;
    if (!actor || !conversationId) return;
    // Install and "member added" both arrive for one install: welcome once per conversation.
    if (!(await this.conversations.markWelcomed(actor.aadObjectId, conversationId))) return;
    await sendCard(context, this.cards.welcomeCard({ isAgent: await this.isAgent(actor) }));
  }

  /** Help fits the reader: an agent, an approver, or neither. */
  private async readerOf(actor: Actor): Promise<HelpReader> {
    const [isAgent, waiting] = await Promise.all([this.isAgent(actor), this.flow.pending(actor).catch(() => [])]);
    return { isAgent, isApprover: waiting.length > 0 };
  }

  private async isAgent(actor: Actor): Promise<boolean> {
    try {
      return await this.flow.isAgent(actor);
    } catch (e) {
      log.warn('agent check failed; answering as to a non-agent', { error: e });
      return false;
    }
  }


  // ---- card actions ----

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const verb = invokeValue.action?.verb;
    if (this.bulk?.actions.isVerb(verb)) {
      const who = this.actorOf(context);
      if (!who) return invokeError(403, 'Forbidden', "I can't tell who clicked, so I can't act on it.");
      const data = readCardData(invokeValue.action.data);
      if (data.problem !== undefined) return invokeError(400, 'BadRequest', data.problem);
      try {
        return await this.bulk.actions.handle(verb, { context, actor: who, data: data.data, ctx: this.cardContext(context) });
      } catch (e) {
        if (!isAppError(e)) throw e;
        return invokeError(400, 'BadRequest', e.userMessage);
      }
    }
    if (!this.cardActions.isVerb(verb)) {
      log.warn('unknown card verb', { verb: typeof verb === 'string' ? verb.slice(0, 40) : typeof verb });
      return invokeError(400, 'BadRequest', 'This card action is not supported.');
    }
    const actor = this.actorOf(context);
    if (!actor) return invokeError(403, 'Forbidden', "I can't tell who clicked, so I can't act on it.");
    const read = readCardData(invokeValue.action.data);
    if (read.problem !== undefined) {
      log.warn('card data refused', { verb, reason: read.problem, userId: actor.aadObjectId });
      return invokeError(400, 'BadRequest', read.problem);
    }
    return this.cardActions.handle(verb, { context, actor, data: read.data, ctx: this.cardContext(context) });
  }

  /** Card actions are the only invokes this bot answers; botbuilder would answer the rest 501. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === CARD_ACTION_INVOKE) return super.onInvokeActivity(context);
    const name: unknown = context.activity.name;
    log.info('unsupported invoke', { name: typeof name === 'string' ? name.slice(0, 64) : typeof name });
    return { status: 400, body: invokeError(400, 'NotSupported', 'This bot only answers its own card actions.') };
  }

  // ---- helpers ----

  /** Who acts, with the canonical object id; undefined when the sender is not a person with a GUID object id. */
  private actorOf(context: TurnContext): Actor | undefined {
    const from = context.activity.from;
    const id = canonicalId(from?.aadObjectId);
    if (!from || !id || from.role === 'bot') return undefined;
    return { aadObjectId: id, tenantId: this.tenantId, ...(typeof from.name === 'string' && from.name ? { displayName: from.name.slice(0, 256) } : {}) };
  }

  private cardContext(context: TurnContext): CardContext {
    const timeZone = context.turnState.get(VIEWER_TIME_ZONE) as string | undefined;
    const locale = typeof context.activity.locale === 'string' ? context.activity.locale : undefined;
    const publicBaseUrl = this.publicBaseUrl();
    return {
      now: this.clock(),
      ...(timeZone ? { timeZone } : {}),
      ...(locale ? { language: languageFor(locale) } : {}),
      ...(publicBaseUrl ? { publicBaseUrl } : {}),
    };
  }

}

