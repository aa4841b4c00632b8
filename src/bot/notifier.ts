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
import type { DeliverablePass, FlowNotifier, Person, TapRequest } from '../flow/types';
import { createLogger } from '../log';
import type { CardKind, CardRef, CardRefStore } from './cardRefs';
import { conversationKey, type ConversationStore } from './conversations';
import type { CardJson, CardRenderer, ProactiveInstaller } from './ports';
import { sameId, nameAndUpn } from '../identity';
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
}

const OUTCOME_MESSAGES = new Set(['Denied', 'Expired', 'Failed']);

export class TeamsNotifier implements FlowNotifier {
  private readonly clock: () => Date;
  private readonly cards: CardRenderer;

  constructor(private readonly options: TeamsNotifierOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.cards = options.cards ?? render;
  }

  async requestApproval(request: TapRequest): Promise<void> {
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
    if (!recipientId) throw new FlowError('invalidInput', 'This request has no delivery recipient, so the pass could not be delivered.', `request ${request.id} has no delivery.recipientId`);
    const r = await this.reach(recipientId);
    if (!r) throw unreachableError([request.requester, ...request.approver.people], [recipientId]);
    const ctx = this.cardContext(r);
    const summary = render.deliverySummary(request, pass.expiresDateTime, ctx);
    let activityId: string;
    try {
      activityId = await this.send(r, this.cards.messageCard(preparingMessage(request)), summary);
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
      await this.replace(r.reference, activityId, this.cards.messageCard(notDeliveredMessage(request))).catch((again: unknown) =>
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
    const ctx = this.cardContext(stored);
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
        if (request.state === 'Failed') return this.cards.messageCard(codeRemovedMessage(request));
        // Updates never carry the pass: it is not kept anywhere to put back.
        return this.cards.passDeliveryCard(request, null, ctx);
      case 'owner':
        return this.cards.ownerNoticeCard(request, {});
    }
  }

  /** A short sentence in the person's 1:1 chat (follow-through news); never a code. */
  async tell(userId: string, message: string): Promise<void> {
    const r = await this.reach(userId);
    if (!r) throw new Error(`person ${userId} cannot be reached in Teams`);
    await this.options.adapter.continueConversationAsync(this.options.botAppId, r.reference, async (context: TurnContext) => {
      await context.sendActivity(MessageFactory.text(message));
    });
  }

  /** The account owner's notice, in their own 1:1 chat (installing the bot for them when it can). */
  async notifyOwner(request: TapRequest, links: OwnerNoticeLinks): Promise<void> {
    const r = await this.reach(request.target.id);
    if (!r) throw new Error(`the account owner of ${request.id} cannot be reached in Teams`);
    const activityId = await this.send(r, this.cards.ownerNoticeCard(request, links), `A Temporary Access Pass was issued for your account (asked by ${request.requester.displayName}).`);
    await this.options.cardRefs.register(request.id, request.target.id, 'owner', { activityId, conversationKey: conversationKey(request.target.id) });
  }

  async reportSuspicious(request: TapRequest): Promise<void> {
    const ids = (await this.options.securityContactIds?.()) ?? [];
    if (ids.length === 0) {
      log.warn('suspicious request reported, but no security contacts are configured (SECURITY_CONTACT_GROUP_ID)', { requestId: request.id });
      return;
    }
    const message = suspiciousMessage(request);
    const results = await Promise.allSettled(
      ids.map(async (id) => {
        const r = await this.reach(id);
        if (!r) throw new Error(`security contact ${id} cannot be reached`);
        await this.send(r, this.cards.messageCard(message));
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
      await this.send(r, this.cards.messageCard(revokedMessage(request)));
    }
  }

  private async tellRequester(request: TapRequest): Promise<void> {
    if (!(await this.options.cardRefs.claimRequesterNotice(request.id, request.state))) return;
    const r = await this.reach(request.requester.id);
    if (!r) {
      log.warn('requester cannot be told of the outcome', { requestId: request.id, state: request.state });
      return;
    }
    await this.send(r, this.cards.messageCard(outcomeMessage(request)));
  }

  /** The stored 1:1 conversation, or one the installer creates; undefined = unreachable. */
  private async reach(userId: string): Promise<Reachable | undefined> {
    const stored = await this.options.conversations.get(userId);
    if (stored) return { userId, reference: stored.reference, ...(stored.timeZone ? { timeZone: stored.timeZone } : {}) };
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

  private cardContext(r: { timeZone?: string }): CardContext {
    const publicBaseUrl = this.options.publicBaseUrl?.();
    return { now: this.clock(), ...(r.timeZone ? { timeZone: r.timeZone } : {}), ...(publicBaseUrl ? { publicBaseUrl } : {}) };
  }
}

function unreachableError(people: Person[], userIds: string[]): FlowError {
  const names = userIds.map((id) => people.find((p) => p.id === id)?.displayName ?? 'The approver');
  const who = names.length === 1 ? `${names[0]} hasn't` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} haven't`;
  return new FlowError(
    'approverUnreachable',
    `${who} opened the TAP helpdesk bot in Teams yet, so I can't reach them. Ask them to open it once (search for the app in Teams), then try again.`,
    `no conversation reference for ${userIds.join(', ')}`,
  );
}

/** The pass card before the code is on it: what the recipient sees if the bot stops right then. */
function preparingMessage(request: TapRequest): { title: string; text: string; tone: 'default' } {
  return {
    title: `Preparing the pass for ${request.target.displayName}`,
    text:
      `Request ${request.id}: the Temporary Access Pass for ${nameAndUpn(request.target)} appears on this card in a moment. ` +
      'If it does not, nobody was given a pass, and you will get a message saying what to do.',
    tone: 'default',
  };
}

function notDeliveredMessage(request: TapRequest): { title: string; text: string; tone: 'attention' } {
  return {
    title: `${request.id}: the pass could not be delivered`,
    text: `The Temporary Access Pass for ${nameAndUpn(request.target)} could not be shown here, so it is being deleted and nobody can use it. You will get a message saying what to do.`,
    tone: 'attention',
  };
}

/** The delivery card of a request that failed after its pass was made (a crash, a failed delivery). */
function codeRemovedMessage(request: TapRequest): { title: string; text: string; tone: 'attention' } {
  return {
    title: `${request.id}: the code was removed from this card`,
    text: request.failure?.message ?? `The Temporary Access Pass for ${nameAndUpn(request.target)} was not handed out, and its code is no longer shown.`,
    tone: 'attention',
  };
}

function revokedMessage(request: TapRequest): { title: string; text: string; tone: 'warning' } {
  const revocation = request.revocation!;
  const whom = `${nameAndUpn(request.target)}`;
  const why = revocation.reason ? ` Reason: ${revocation.reason}` : '';
  return {
    title: `${request.id}: the pass was revoked`,
    text: `${revocation.by.displayName || 'A party to the request'} revoked the Temporary Access Pass of ${whom} at ${revocation.at.slice(11, 16)} UTC; it no longer works.${why}`,
    tone: 'warning',
  };
}

function suspiciousMessage(request: TapRequest): { title: string; text: string; tone: 'attention' } {
  const report = request.suspicious;
  const whom = `${nameAndUpn(request.target)}`;
  const state = request.revocation ? 'its pass was revoked' : request.state === 'Cancelled' ? 'it was stopped before anyone approved it' : `it is now ${request.state}`;
  return {
    title: `Suspicious TAP request ${request.id}`,
    text:
      `${report?.by.displayName || 'A party to the request'} reported request ${request.id} as suspicious: "${report?.reason ?? ''}". ` +
      `It was asked by ${nameAndUpn(request.requester)} for ${whom}; ${state}. ` +
      'The audit trail has the details (npm run audit).',
    tone: 'attention',
  };
}

function outcomeMessage(request: TapRequest): { title: string; text: string; tone: 'attention' | 'warning' } {
  const whom = `${nameAndUpn(request.target)}`;
  switch (request.state) {
    case 'Denied': {
      const by = request.decision?.by.displayName ?? 'The approver';
      const why = request.decision?.denyReason ? ` Reason: ${request.decision.denyReason}` : '';
      return { title: `${request.id} was denied`, text: `${by} denied the Temporary Access Pass for ${whom}. Nothing was issued.${why}`, tone: 'attention' };
    }
    case 'Expired':
      return { title: `${request.id} expired`, text: `Nobody decided on the Temporary Access Pass for ${whom} in time. Nothing was issued; start a new request if it is still needed.`, tone: 'warning' };
    default:
      return { title: `${request.id} failed`, text: request.failure?.message ?? `The Temporary Access Pass for ${whom} could not be issued.`, tone: 'attention' };
  }
}
