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
import { catalogue, languageFor, type Catalogue } from '../i18n';
import { reasonIn } from '../i18n/said';
import type { HelpReader } from '../cards/render';
import * as render from '../cards/render';
import { isAppError } from '../errors';
import { canonicalId, nameAndUpn } from '../identity';
import type { TargetPreview } from '../flow/request/preview';
import { RECENT_SHOWN } from '../flow/tapFlow';
import type { Actor, RequestState, TapRequest } from '../flow/types';
import { createLogger } from '../log';
import { bulkFormCard, bulkStatusCard } from '../cards/bulk-views';
import { BulkActions, viewerOf, type BulkPort } from './bulkActions';
import type { BulkTeamsNotifier } from './bulkNotifier';
import { CardActions, formInput } from './cardActions';
import { readCardData } from './cardData';
import type { CardRefStore } from './cardRefs';
import { parseCommand, type Command } from './commands';
import { isPersonalConversation, timeZoneOf, type ConversationStore, type StoredConversation } from './conversations';
import { invokeError } from './invokeResponses';
import type { CardRenderer, FlowPort } from './ports';
import { chatIn, errorIn, localeOf } from './reader';
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

/** What the person's client told us before this turn (zone, locale, approver), read once per turn. */
const STORED_CONVERSATION = Symbol('storedConversation');

const CARD_ACTION_INVOKE = 'adaptiveCard/action';

/**
 * Commands are a few words; longer text is not parsed at all. Stripping HTML from a long
 * run of unclosed `<` costs quadratic time, and Teams lets a person paste about 28 KB.
 */
export const MAX_COMMAND_TEXT = 4000;

/** What the agent sees before the form: who the person is, who decides, or why not, in the reader's language. */
function previewMessage(p: TargetPreview, ctx: CardContext): { title: string; text: string; tone: 'good' | 'attention' | 'warning' } {
  const words = catalogue(ctx.language);
  const say = words.chat;
  const refusal = p.refusal ? reasonIn(words, p.refusal, ctx.timeZone) : undefined;
  const approverNote = p.approverNoteSaid ? reasonIn(words, { ...(p.approverNote ? { message: p.approverNote } : {}), said: p.approverNoteSaid }, ctx.timeZone) : p.approverNote;
  if (!p.person) return { title: say.preview.noPassFor(p.typed), text: refusal ?? say.preview.noUser(p.typed), tone: 'attention' };
  const who = `${nameAndUpn(p.person)}`;
  const facts = [p.person.jobTitle, p.person.department].filter((f): f is string => Boolean(f)).join(', ');
  const manager = p.manager ? say.preview.manager(p.manager.displayName) : say.preview.noManager;
  // "Nestor Wilke, their manager, will be asked" already names the manager: once is enough.
  const managerLine = p.approverNoteSaid?.code === 'previewManagerAsked' ? '' : `${manager} `;
  if (refusal !== undefined) return { title: say.preview.noPassFor(who), text: `${facts ? `${facts}. ` : ''}${manager} ${refusal}`, tone: 'attention' };
  const replaces = p.replacesExistingTap ? ` ${say.preview.replaces}` : '';
  const second = p.secondApprovalNoteSaid
    ? ` ${reasonIn(words, { ...(p.secondApprovalNote ? { message: p.secondApprovalNote } : {}), said: p.secondApprovalNoteSaid }, ctx.timeZone)}`
    : '';
  const tone = p.replacesExistingTap || second ? 'warning' : 'good';
  return { title: who, text: `${facts ? `${facts}. ` : ''}${managerLine}${approverNote ?? ''}${second}${replaces}`, tone };
}

/** Requests a bare `cancel`, `revoke` or `report` could mean: the states that command acts on. */
const USAGE_STATES: Record<'cancel' | 'revoke' | 'report', readonly RequestState[]> = {
  cancel: ['PendingApproval', 'Approved'],
  revoke: ['Issued'],
  report: ['PendingApproval', 'Approved', 'Issuing', 'Issued'],
};

/** At most this many ids are offered with a command's usage: a line, not a list. */
const USAGE_CHOICES = 5;

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
    try {
      const stored = await this.conversations.remember(context.activity);
      if (stored) context.turnState.set(STORED_CONVERSATION, stored);
    } catch (e) {
      // Not fatal for this turn: the person still gets an answer; proactive cards may fail later.
      log.warn('conversation reference not saved', { error: e, userId: context.activity.from?.aadObjectId });
    }
    await super.run(context);
  }

  // ---- chat ----

  private async onChatMessage(context: TurnContext): Promise<void> {
    const actor = this.actorOf(context);
    const ctx = this.cardContext(context);
    if (!actor) {
      await context.sendActivity(MessageFactory.text(chatIn(ctx).unknownSender));
      return;
    }
    const text: unknown = context.activity.text;
    if (typeof text === 'string' && text.length > MAX_COMMAND_TEXT) {
      await context.sendActivity(MessageFactory.text(chatIn(ctx).tooLong));
      return;
    }
    if (!isPersonalConversation(context.activity)) {
      await this.answerGroupOnce(context);
      return;
    }
    const command = parseCommand(typeof text === 'string' ? text : undefined);
    try {
      await this.runCommand(context, actor, command, ctx);
    } catch (e) {
      if (!isAppError(e)) throw e;
      await sendRefusal(context, this.cards, e, ctx);
    }
  }

  private async runCommand(context: TurnContext, actor: Actor, command: Command, ctx: CardContext): Promise<void> {
    const say = chatIn(ctx);
    const zone = ctx.timeZone;
    const message = (title: string, text: string, tone: 'good' | 'warning' | 'attention' | 'default' = 'good'): Promise<void> =>
      sendCard(context, this.cards.messageCard({ title, text, tone }));
    switch (command.kind) {
      case 'tap': {
        await this.flow.assertAgent(actor);
        // Look before asking: who is this, and can they have a pass at all? Read beside the policy, not after it.
        const looking = command.target ? this.flow.preview(actor, command.target) : undefined;
        looking?.catch(() => undefined);
        const policy = await this.flow.getPolicyForForm(zone);
        if (!policy.enabled) return message(say.tapOffTitle, say.tapOff, 'warning');
        if (looking) {
          const preview = await looking;
          await sendCard(context, this.cards.messageCard(previewMessage(preview, ctx)));
          if (preview.refusal) return;
        }
        await sendCard(context, this.cards.requestFormCard(formInput(policy, command.target ? { target: command.target } : {}, { ...(zone ? { timeZone: zone } : {}) }), ctx));
        return;
      }
      case 'bulk': {
        await this.flow.assertAgent(actor);
        if (!this.bulk) return message(say.notSetUpTitle, say.bulkNotSetUp, 'warning');
        const policy = await this.flow.getPolicyForForm(zone);
        if (!policy.enabled) return message(say.tapOffTitle, say.tapOff, 'warning');
        await sendCard(context, bulkFormCard({ policy, ...(command.group ? { group: command.group } : {}), ...(zone ? { timeZone: zone } : {}), ...(ctx.language ? { language: ctx.language } : {}) }));
        return;
      }
      case 'revokeBulk': {
        if (!this.bulk) return message(say.notSetUpTitle, say.bulkNotSetUp, 'warning');
        const r = await this.bulk.flow.revokeAll(actor, command.bulkId);
        const parts = [
          r.deleted > 0 ? say.bulkRevoked.deleted(r.deleted) : say.bulkRevoked.noneDeleted,
          ...(r.nothingLive > 0 ? [say.bulkRevoked.nothingLive(r.nothingLive)] : []),
          ...(r.notStopped.length > 0 ? [say.bulkRevoked.notStopped(r.notStopped.join(', '))] : []),
          ...(r.bulk.state === 'Cancelled' ? [say.bulkRevoked.nothingMore] : []),
        ];
        return message(say.bulkRevoked.title(r.bulk.id), parts.join(' '), r.notStopped.length > 0 ? 'warning' : 'good');
      }
      case 'cancelBulk': {
        if (!this.bulk) return message(say.notSetUpTitle, say.bulkNotSetUp, 'warning');
        const bulk = await this.bulk.flow.cancel(actor, command.bulkId);
        await sendCard(context, bulkStatusCard(bulk, ctx, { viewer: viewerOf(bulk, actor.aadObjectId) }));
        return;
      }
      case 'status': {
        const view = await this.flow.status(actor, command.targetUpn ? { targetUpn: command.targetUpn } : {});
        const title = command.targetUpn ? say.statusTitleFor(command.targetUpn) : say.statusTitle;
        await sendCard(context, this.cards.statusListCard([...view.open, ...view.recent], ctx, { title, finishedShownAtMost: RECENT_SHOWN }));
        return;
      }
      case 'cancel': {
        const request = await this.flow.cancel(actor, command.requestId);
        return message(say.cancelled.title(request.id), say.cancelled.text(nameAndUpn(request.target)));
      }
      case 'revoke': {
        const request = await this.flow.revoke(actor, command.requestId);
        if (request.state === 'Cancelled') return message(say.revoked.withdrawnTitle(request.id), say.revoked.withdrawn(nameAndUpn(request.target)));
        return message(say.revoked.title(request.id), `${nameAndUpn(request.target)}: ${stopSentence(request)}`);
      }
      case 'report': {
        const request = await this.flow.reportSuspicious(actor, command.requestId, command.reason);
        const name = request.target.displayName;
        const text = request.revocation ? say.reported.revoked(name) : request.state === 'Cancelled' ? say.reported.stopped(name) : say.reported.flagged(name);
        return message(say.reported.title(request.id), text);
      }
      case 'usage':
        return message(say.usage.title(command.command), await this.usage(actor, command.command, say), 'default');
      case 'pending': {
        const waiting = await this.flow.pending(actor);
        if (waiting.length === 0) return message(say.pending.noneTitle, say.pending.none);
        await sendCard(context, this.cards.statusListCard(waiting, ctx, { title: say.pending.title(waiting.length) }));
        return;
      }
      case 'help':
        await sendCard(context, this.cards.helpCard(await this.readerOf(actor, context), ctx), command.understood ? undefined : say.notUnderstood);
        return;
    }
  }

  /**
   * A command typed without its id: its one line, and the reader's own requests it could
   * mean (only ones in a state that command acts on), so they can pick one.
   */
  private async usage(actor: Actor, command: 'cancel' | 'revoke' | 'report', say: Catalogue['chat']): Promise<string> {
    // The choices are a help, not the answer: whatever fails to list them leaves the usage alone.
    const listed = async (list: () => Promise<TapRequest[]>): Promise<TapRequest[]> => {
      try {
        return await list();
      } catch {
        return [];
      }
    };
    const [mine, waiting] = await Promise.all([
      // Only agents have requests of their own; anyone else simply has none to offer.
      listed(async () => {
        const view = await this.flow.status(actor);
        return [...view.open, ...view.recent];
      }),
      command === 'report' ? listed(() => this.flow.pending(actor)) : [],
    ]);
    const fits = [...mine, ...waiting]
      .filter((r) => USAGE_STATES[command].includes(r.state) && !r.revocation)
      .filter((r, i, all) => all.findIndex((o) => o.id === r.id) === i)
      .slice(0, USAGE_CHOICES);
    const choose = fits.length > 0 ? ` ${say.usage.choose(fits.map((r) => `${r.id} (${r.target.displayName})`).join(', '))}` : '';
    return `${say.usage[command]}${choose}`;
  }

  private async answerGroupOnce(context: TurnContext): Promise<void> {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId || !(await this.conversations.claimGroupNotice(conversationId))) return;
    await context.sendActivity(MessageFactory.text(chatIn(this.cardContext(context)).groupNotice));
  }

  private async welcome(context: TurnContext): Promise<void> {
    const actor = this.actorOf(context);
    const conversationId = context.activity.conversation?.id;
    if (!actor || !conversationId) return;
    // Install and "member added" both arrive for one install: welcome once per conversation.
    if (!(await this.conversations.markWelcomed(actor.aadObjectId, conversationId))) return;
    await sendCard(context, this.cards.welcomeCard({ isAgent: await this.isAgent(actor) }, this.cardContext(context)));
  }

  /**
   * Help fits the reader: an agent, an approver, or neither. An approver is someone who was
   * ever sent an approval card, not only someone with a decision waiting now: after approving
   * they still revoke and report.
   */
  private async readerOf(actor: Actor, context: TurnContext): Promise<HelpReader> {
    const wasAsked = this.storedConversation(context)?.approver === true;
    const [isAgent, waiting] = await Promise.all([this.isAgent(actor), wasAsked ? [] : this.flow.pending(actor).catch(() => [])]);
    return { isAgent, isApprover: wasAsked || waiting.length > 0 };
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
    const ctx = this.cardContext(context);
    const say = chatIn(ctx);
    if (this.bulk?.actions.isVerb(verb)) {
      const who = this.actorOf(context);
      if (!who) return invokeError(403, 'Forbidden', say.unknownClicker);
      const data = readCardData(invokeValue.action.data);
      if (data.problem !== undefined) return invokeError(400, 'BadRequest', data.problem);
      try {
        return await this.bulk.actions.handle(verb, { context, actor: who, data: data.data, ctx });
      } catch (e) {
        if (!isAppError(e)) throw e;
        return invokeError(400, 'BadRequest', errorIn(e, ctx));
      }
    }
    if (!this.cardActions.isVerb(verb)) {
      log.warn('unknown card verb', { verb: typeof verb === 'string' ? verb.slice(0, 40) : typeof verb });
      return invokeError(400, 'BadRequest', say.card.unsupported);
    }
    const actor = this.actorOf(context);
    if (!actor) return invokeError(403, 'Forbidden', say.unknownClicker);
    const read = readCardData(invokeValue.action.data);
    if (read.problem !== undefined) {
      log.warn('card data refused', { verb, reason: read.problem, userId: actor.aadObjectId });
      return invokeError(400, 'BadRequest', read.problem);
    }
    return this.cardActions.handle(verb, { context, actor, data: read.data, ctx });
  }

  /** Card actions are the only invokes this bot answers; botbuilder would answer the rest 501. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === CARD_ACTION_INVOKE) return super.onInvokeActivity(context);
    const name: unknown = context.activity.name;
    log.info('unsupported invoke', { name: typeof name === 'string' ? name.slice(0, 64) : typeof name });
    return { status: 400, body: invokeError(400, 'NotSupported', chatIn(this.cardContext(context)).card.onlyOwnActions) };
  }

  // ---- helpers ----

  /** Who acts, with the canonical object id; undefined when the sender is not a person with a GUID object id. */
  private actorOf(context: TurnContext): Actor | undefined {
    const from = context.activity.from;
    const id = canonicalId(from?.aadObjectId);
    if (!from || !id || from.role === 'bot') return undefined;
    return { aadObjectId: id, tenantId: this.tenantId, ...(typeof from.name === 'string' && from.name ? { displayName: from.name.slice(0, 256) } : {}) };
  }

  private storedConversation(context: TurnContext): StoredConversation | undefined {
    return context.turnState.get(STORED_CONVERSATION) as StoredConversation | undefined;
  }

  /**
   * The reader of this turn: the zone and language their client sends with it, else what it
   * last told us (an invoke may come without them). Unknown language = English.
   */
  private cardContext(context: TurnContext): CardContext {
    const stored = this.storedConversation(context);
    const timeZone = timeZoneOf(context.activity) ?? stored?.timeZone;
    const publicBaseUrl = this.publicBaseUrl();
    return {
      now: this.clock(),
      ...(timeZone ? { timeZone } : {}),
      language: languageFor(localeOf(context.activity) ?? stored?.locale),
      ...(publicBaseUrl ? { publicBaseUrl } : {}),
    };
  }

}

