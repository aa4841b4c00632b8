/**
 * The workflow's way to reach people in Teams: proactive cards in their 1:1 chat with the
 * bot, and in-place updates of those cards when the request changes.
 *
 * The pass only passes through `deliverPass` into the card that shows it: only that
 * activity's id is stored (before the code is on it), and errors from sending are replaced
 * by ones without content.
 */
import { CardFactory, MessageFactory } from 'botbuilder';
import type { BotAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { CardContext } from '../cards/format';
import * as render from '../cards/render';
import { FlowError } from '../errors';
import type { OwnerNoticeLinks } from '../flow/types';
import type { DeliverablePass, FlowNotifier, NoticeMessage, Person, TapRequest } from '../flow/types';
import { createLogger } from '../log';
import type { CardKind, CardRef, CardRefStore } from './cardRefs';
import { conversationKey, type ConversationStore } from './conversations';
import type { CardJson, CardRenderer, ProactiveInstaller } from './ports';
import { sameId, nameAndUpn } from '../identity';
import { catalogue, languageFor, type Catalogue } from '../i18n';
import { reasonIn } from '../i18n/said';
import { chatIn, joinNames, ownerContext, readerContext, timeIn } from './reader';
import { approvalViewer } from './views';

const log = createLogger('bot.notifier');

export type ProactiveAdapter = Pick<BotAdapter, 'continueConversationAsync'>;

export interface TeamsNotifierOptions {
  adapter: ProactiveAdapter;
  /** The bot's app id; '' in sandbox mode (anonymous). */
  botAppId: string;
  conversations: ConversationStore;
  cardRefs: CardRefStore;
  /** Default: the real card renderer (src/cards/render.ts). */
  cards?: CardRenderer;
  /** Reaches people who never opened the bot (production); absent = stored references only. */
  installer?: ProactiveInstaller;
  /** Where the guide page is reachable from a browser (cards show its short URL). */
  publicBaseUrl?: () => string | undefined;
  /** Object ids of the people told about suspicious requests (SECURITY_CONTACT_GROUP_ID); absent = nobody. */
  securityContactIds?: () => Promise<string[]>;
  clock?: () => Date;
}

interface Reachable {
  userId: string;
  reference: Partial<ConversationReference>;
  timeZone?: string;
  /** Their Teams client's last locale: what the bot writes to them is in that language. */
  locale?: string;
}

const OUTCOME_MESSAGES = new Set(['Denied', 'Expired', 'Failed']);

export class TeamsNotifier implements FlowNotifier {
  private readonly clock: () => Date;
  private readonly cards: CardRenderer;

  constructor(private readonly options: TeamsNotifierOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.cards = options.cards ?? render;
  }

  async requestApproval(request: TapRequest, options: { onlyTo?: readonly string[] } = {}): Promise<void> {
    const only = options.onlyTo;
    if (only) {
      // A request that moved to the next approver: only they are asked; the second approvers have their cards.
      await this.sendApprovalCards(request, request.approver.ids.filter((id) => only.some((o) => sameId(o, id))), request.approver.people);
      return;
    }
    // Four eyes: the second approver group gets its cards at the same time, and both sides
    // must be reachable, or the request could never be completed.
    await this.sendApprovalCards(request, request.approver.ids, request.approver.people);
    if (request.secondApprover) await this.sendApprovalCards(request, request.secondApprover.ids, request.secondApprover.people);
  }

  private async sendApprovalCards(request: TapRequest, ids: string[], people: Person[]): Promise<void> {
    const found = await Promise.all(ids.map((id) => this.reach(id)));
    const reachable = found.filter((r): r is Reachable => r !== undefined);
    const unreachable = ids.filter((_, i) => found[i] === undefined);
    if (reachable.length === 0) throw unreachableError(people, unreachable);
    if (unreachable.length > 0) log.warn('some approvers cannot be reached', { requestId: request.id, unreachable });
    const results = await Promise.allSettled(
      reachable.map(async (r) => {
        const card = this.cards.approvalCard(request, approvalViewer(request, r.userId, this.clock()), this.cardContext(r));
        const activityId = await this.send(r, card, render.approvalSummary(request, this.cardContext(r)));
        await this.options.cardRefs.register(request.id, r.userId, 'approval', { activityId, conversationKey: conversationKey(r.userId) });
        // From now on their help lists what an approver can do (revoke, report), also with nothing waiting.
        await this.options.conversations.markApprover(r.userId).catch((e: unknown) => log.warn('approver not remembered for help', { userId: r.userId, error: e }));
      }),
    );
    const failed = results.filter((x) => x.status === 'rejected');
    failed.forEach((f) => log.error('approval card not delivered', { requestId: request.id, error: (f as PromiseRejectedResult).reason }));
    if (failed.length === results.length) throw unreachableError(people, reachable.map((r) => r.userId));
  }

  async requestUpdated(request: TapRequest): Promise<void> {
    const doc = await this.options.cardRefs.get(request.id);
    const updates: Promise<void>[] = [];
    for (const [userId, refs] of Object.entries(doc.cards)) {
      for (const kind of ['status', 'approval'] as const) {
        const ref = refs[kind];
        if (ref) updates.push(this.updateCard(request, userId, kind, ref));
      }
    }
    if (OUTCOME_MESSAGES.has(request.state)) updates.push(this.tellRequester(request));
    if (request.revocation) updates.push(this.tellOfRevocation(request));
    const results = await Promise.allSettled(updates);
    // A card that could not be refreshed must not undo the state change that caused it.
    results.forEach((r) => {
      if (r.status === 'rejected') log.warn('card update failed', { requestId: request.id, state: request.state, error: r.reason });
    });
  }

  /**
   * The card that will carry the code is sent first without it, and its activity id is
   * stored before the code goes anywhere; then the code is put on that card in place. So a
   * process that dies at any moment leaves either a card without a code, or a card whose id
   * is stored and which recovery can take the code off (hidePass).
   */
  async deliverPass(request: TapRequest, pass: DeliverablePass): Promise<void> {
    const recipientId = request.delivery?.recipientId;
    if (!recipientId) throw new FlowError('invalidInput', (say) => say.chat.notice.noRecipient, `request ${request.id} has no delivery.recipientId`);
    const r = await this.reach(recipientId);
    if (!r) throw unreachableError([request.requester, ...request.approver.people], [recipientId]);
    const ctx = this.cardContext(r);
    const summary = render.deliverySummary(request, pass.expiresDateTime, ctx);
    let activityId: string;
    try {
      activityId = await this.send(r, this.cards.messageCard(preparingMessage(request, ctx)), summary);
    } catch (e) {
      log.error('pass card not delivered', { requestId: request.id, error: e });
      throw new Error(`Delivering the pass for ${request.id} to Teams failed.`);
    }
    await this.options.cardRefs.register(request.id, recipientId, 'delivery', { activityId, conversationKey: conversationKey(recipientId) });
    try {
      await this.replace(r.reference, activityId, this.cards.passDeliveryCard(request, pass, ctx), summary);
    } catch (e) {
      // The failed request carried the pass: keep nothing of it, not even as a cause.
      log.error('pass delivery failed', { requestId: request.id, errorName: e instanceof Error ? e.name : typeof e });
      // Teams may have shown the code before the failure reached us, and the pass is about to be deleted.
      await this.replace(r.reference, activityId, this.cards.messageCard(notDeliveredMessage(request, ctx))).catch((again: unknown) =>
        log.warn('could not put the code-free card back after a failed delivery', { requestId: request.id, errorName: again instanceof Error ? again.name : typeof again }),
      );
      throw new Error(`Delivering the pass for ${request.id} to Teams failed.`);
    }
    try {
      await this.send(r, this.cards.userGuideCard(request, ctx, request.target.preferredLanguage ?? undefined), render.userGuideSummary(request));
    } catch (e) {
      // The pass is out; a missing guide is worth a log line, not a failed request.
      log.warn('user guide not delivered', { requestId: request.id, error: e });
    }
  }

  async hidePass(request: TapRequest): Promise<void> {
    const doc = await this.options.cardRefs.get(request.id);
    const hides = Object.entries(doc.cards)
      .filter(([, refs]) => refs.delivery)
      .map(([userId, refs]) => this.updateCard(request, userId, 'delivery', refs.delivery!));
    await Promise.all(hides);
  }

  private async updateCard(request: TapRequest, userId: string, kind: CardKind, ref: CardRef): Promise<void> {
    const stored = await this.options.conversations.get(userId);
    if (!stored) {
      log.warn('no conversation for a card to update', { requestId: request.id, userId, kind });
      return;
    }
    // The owner's notice is read by the account owner: in their preferred language.
    const ctx = kind === 'owner' ? ownerContext(this.cardContext(stored), request) : this.cardContext(stored);
    await this.replace(stored.reference, ref.activityId, this.cardFor(request, userId, kind, ctx));
  }

  /** Puts `card` in place of the activity `activityId` of that conversation. */
  private async replace(reference: Partial<ConversationReference>, activityId: string, card: CardJson, summary?: string): Promise<void> {
    await this.options.adapter.continueConversationAsync(this.options.botAppId, reference, async (context: TurnContext) => {
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      if (summary) activity.summary = summary;
      await context.updateActivity({ ...activity, id: activityId });
    });
  }

  private cardFor(request: TapRequest, userId: string, kind: CardKind, ctx: CardContext): CardJson {
    switch (kind) {
      case 'status':
        return this.cards.requestStatusCard(request, ctx);
      case 'approval':
        return this.cards.approvalCard(request, approvalViewer(request, userId, this.clock()), ctx);
      case 'delivery':
        // A failed request's pass was deleted (or never handed out): say so, not "expired".
        if (request.state === 'Failed') return this.cards.messageCard(codeRemovedMessage(request, ctx));
        // Updates never carry the pass: it is not kept anywhere to put back.
        return this.cards.passDeliveryCard(request, null, ctx);
      case 'owner':
        return this.cards.ownerNoticeCard(request, {}, ctx);
    }
  }

  /**
   * A short sentence in the person's 1:1 chat (follow-through news); never a code. Given as
   * words from the catalogue, it is written in their language and zone; a plain string is sent as it is.
   */
  async tell(userId: string, message: string | ((say: Catalogue, timeZone?: string) => string)): Promise<void> {
    const r = await this.reach(userId);
    if (!r) throw new Error(`person ${userId} cannot be reached in Teams`);
    const ctx = this.cardContext(r);
    const text = typeof message === 'string' ? message : message(catalogue(ctx.language), ctx.timeZone);
    await this.options.adapter.continueConversationAsync(this.options.botAppId, r.reference, async (context: TurnContext) => {
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  /** The account owner's notice, in their own 1:1 chat (installing the bot for them when it can). */
  async notifyOwner(request: TapRequest, links: OwnerNoticeLinks): Promise<void> {
    const r = await this.reach(request.target.id);
    if (!r) throw new Error(`the account owner of ${request.id} cannot be reached in Teams`);
    const ctx = ownerContext(this.cardContext(r), request);
    const activityId = await this.send(r, this.cards.ownerNoticeCard(request, links, ctx), chatIn(ctx).notice.ownerSummary(request.requester.displayName));
    await this.options.cardRefs.register(request.id, request.target.id, 'owner', { activityId, conversationKey: conversationKey(request.target.id) });
  }

  async reportSuspicious(request: TapRequest): Promise<void> {
    const ids = (await this.options.securityContactIds?.()) ?? [];
    if (ids.length === 0) {
      log.warn('suspicious request reported, but no security contacts are configured (SECURITY_CONTACT_GROUP_ID)', { requestId: request.id });
      return;
    }
    const results = await Promise.allSettled(
      ids.map(async (id) => {
        const r = await this.reach(id);
        if (!r) throw new Error(`security contact ${id} cannot be reached`);
        await this.send(r, this.cards.messageCard(suspiciousMessage(request, this.cardContext(r))));
      }),
    );
    const told = results.filter((x) => x.status === 'fulfilled').length;
    if (told < ids.length) log.warn('not every security contact was told of a suspicious request', { requestId: request.id, told, contacts: ids.length });
    if (told === 0) throw new Error(`No security contact could be told of the suspicious request ${request.id}.`);
  }

  /** The parties who did not revoke the pass learn that it no longer works, once each. */
  private async tellOfRevocation(request: TapRequest): Promise<void> {
    const revocation = request.revocation;
    if (!revocation) return;
    const parties = [request.requester.id, ...(request.decision ? [request.decision.by.id] : [])];
    const others = [...new Set(parties)].filter((id) => !sameId(id, revocation.by.id));
    for (const id of others) {
      if (!(await this.options.cardRefs.claimRequesterNotice(request.id, `revoked:${id}`))) continue;
      const r = await this.reach(id);
      if (!r) {
        log.warn('a party cannot be told of a revocation', { requestId: request.id, userId: id });
        continue;
      }
      await this.send(r, this.cards.messageCard(revokedMessage(request, this.cardContext(r))));
    }
  }

  private async tellRequester(request: TapRequest): Promise<void> {
    if (!(await this.options.cardRefs.claimRequesterNotice(request.id, request.state))) return;
    const r = await this.reach(request.requester.id);
    if (!r) {
      log.warn('requester cannot be told of the outcome', { requestId: request.id, state: request.state });
      return;
    }
    await this.send(r, this.cards.messageCard(outcomeMessage(request, this.cardContext(r))));
  }

  /** A short message card in the person's chat, in their language (a reminder, a request that moved); never a code. */
  async notice(userId: string, message: (say: Catalogue, timeZone?: string) => NoticeMessage): Promise<void> {
    const r = await this.reach(userId);
    if (!r) throw new Error(`person ${userId} cannot be reached in Teams`);
    const words = message(catalogue(languageFor(r.locale)), r.timeZone);
    await this.send(r, this.cards.messageCard(words), words.title);
  }

  /** The stored 1:1 conversation, or one the installer creates; undefined = unreachable. */
  private async reach(userId: string): Promise<Reachable | undefined> {
    const stored = await this.options.conversations.get(userId);
    if (stored) return { userId, reference: stored.reference, ...(stored.timeZone ? { timeZone: stored.timeZone } : {}), ...(stored.locale ? { locale: stored.locale } : {}) };
    if (!this.options.installer) return undefined;
    const reference = await this.options.installer.ensureConversation(userId);
    if (!reference) return undefined;
    await this.options.conversations.save(userId, reference);
    return { userId, reference };
  }

  /** `summary` is what a notification or the chat list shows before the card is opened (never a code). */
  private async send(r: Reachable, card: CardJson, summary?: string): Promise<string> {
    let activityId: string | undefined;
    await this.options.adapter.continueConversationAsync(this.options.botAppId, r.reference, async (context: TurnContext) => {
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      if (summary) activity.summary = summary;
      const sent = await context.sendActivity(activity);
      activityId = sent?.id;
    });
    if (!activityId) throw new Error('Teams did not return an activity id for a sent card.');
    return activityId;
  }

  /** The reader's zone and language as their client last told us. */
  private cardContext(r: { timeZone?: string; locale?: string }): CardContext {
    return readerContext({ now: this.clock(), publicBaseUrl: this.options.publicBaseUrl?.(), stored: r });
  }
}

function unreachableError(people: Person[], userIds: string[]): FlowError {
  return new FlowError(
    'approverUnreachable',
    (say) => {
      const names = userIds.map((id) => people.find((p) => p.id === id)?.displayName ?? say.chat.notice.someone);
      return say.chat.notice.unreachable(joinNames(names, say.chat), names.length > 1);
    },
    `no conversation reference for ${userIds.join(', ')}`,
  );
}

/** The pass card before the code is on it: what the recipient sees if the bot stops right then. */
function preparingMessage(request: TapRequest, ctx: CardContext): { title: string; text: string; tone: 'default' } {
  const say = chatIn(ctx).notice;
  return { title: say.preparingTitle(request.target.displayName), text: say.preparing(request.id, nameAndUpn(request.target)), tone: 'default' };
}

function notDeliveredMessage(request: TapRequest, ctx: CardContext): { title: string; text: string; tone: 'attention' } {
  const say = chatIn(ctx).notice;
  return { title: say.notDeliveredTitle(request.id), text: say.notDelivered(nameAndUpn(request.target)), tone: 'attention' };
}

/** The delivery card of a request that failed after its pass was made (a crash, a failed delivery). */
function codeRemovedMessage(request: TapRequest, ctx: CardContext): { title: string; text: string; tone: 'attention' } {
  const say = chatIn(ctx).notice;
  return { title: say.codeRemovedTitle(request.id), text: failureIn(request, ctx) ?? say.codeRemoved(nameAndUpn(request.target)), tone: 'attention' };
}

/** Also the dispute notice: the owner's "This wasn't me" revokes the pass, and the parties read this. */
function revokedMessage(request: TapRequest, ctx: CardContext): { title: string; text: string; tone: 'warning' } {
  const revocation = request.revocation!;
  const say = chatIn(ctx).notice;
  const why = revocation.reason ? ` ${say.reason(revocation.reason)}` : '';
  return {
    title: say.revokedTitle(request.id),
    text: `${say.revoked(revocation.by.displayName, nameAndUpn(request.target), timeIn(revocation.at, ctx))}${why}`,
    tone: 'warning',
  };
}

/** The security contacts' alert: what was reported, by whom, what it did, and what they can do in Teams. */
function suspiciousMessage(request: TapRequest, ctx: CardContext): { title: string; text: string; tone: 'attention' } {
  const say = chatIn(ctx).suspicious;
  const report = request.suspicious;
  const state = request.revocation
    ? say.state.revoked
    : request.state === 'Cancelled'
      ? say.state.stopped
      : request.state === 'Denied'
        ? say.state.denied
        : request.state === 'Expired'
          ? say.state.expired
          : request.state === 'Failed'
            ? say.state.failed
            : say.state.issuing;
  return {
    title: say.title(request.id),
    text: [
      say.reported(report?.by.displayName ?? '', request.id, report?.reason ?? ''),
      say.asked(nameAndUpn(request.requester), nameAndUpn(request.target), state),
      say.inTeams(request.target.userPrincipalName, request.target.displayName),
    ].join(' '),
    tone: 'attention',
  };
}

/** Why a request failed, in the reader's language when the record kept its meaning (else its English). */
function failureIn(request: TapRequest, ctx: CardContext): string | undefined {
  return request.failure ? reasonIn(catalogue(ctx.language), request.failure, ctx.timeZone) : undefined;
}

function outcomeMessage(request: TapRequest, ctx: CardContext): { title: string; text: string; tone: 'attention' | 'warning' } {
  const say = chatIn(ctx).notice;
  const whom = nameAndUpn(request.target);
  switch (request.state) {
    case 'Denied': {
      const why = request.decision?.denyReason ? ` ${say.reason(request.decision.denyReason)}` : '';
      return { title: say.deniedTitle(request.id), text: `${say.denied(request.decision?.by.displayName ?? '', whom)}${why}`, tone: 'attention' };
    }
    case 'Expired':
      return { title: say.expiredTitle(request.id), text: say.expired(whom), tone: 'warning' };
    default:
      return { title: say.failedTitle(request.id), text: failureIn(request, ctx) ?? say.failed(whom), tone: 'attention' };
  }
}
