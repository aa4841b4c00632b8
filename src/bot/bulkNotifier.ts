/**
 * Bulk requests in Teams: approval cards to the bulk approvers, the requester's progress
 * card updated in place, result pages with the codes, and the pages redrawn without them.
 * Remembers activity ids only (key `bulkcards/<id>`): never card content, so never a code.
 */
import { CardFactory, MessageFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import { bulkPageCard, bulkStatusCard, type BulkViewer } from '../cards/bulk-views';
import type { CardContext } from '../cards/format';
import { FlowError } from '../errors';
import type { BulkNotifier, BulkPage, BulkPass, BulkRequest } from '../flow/bulk/types';
import { sameId } from '../identity';
import { createLogger } from '../log';
import { updateItem } from '../storage/casUpdate';
import type { DurableStorage } from '../storage/types';
import type { ConversationStore } from './conversations';
import type { ProactiveAdapter } from './notifier';
import type { CardJson, ProactiveInstaller } from './ports';
import { chatIn, joinNames, readerContext } from './reader';

const log = createLogger('bot.bulkNotifier');

interface BulkCardRefs {
  /** userId → activity id of that person's status card (requester or approver). */
  status: Record<string, string>;
  /** page number → activity id of the result page. */
  pages: Record<string, string>;
}

const refsKey = (id: string): string => `bulkcards/${id}`;

export interface BulkTeamsNotifierOptions {
  adapter: ProactiveAdapter;
  botAppId: string;
  conversations: ConversationStore;
  storage: DurableStorage;
  installer?: ProactiveInstaller;
  publicBaseUrl?: () => string | undefined;
  clock?: () => Date;
}

export class BulkTeamsNotifier implements BulkNotifier {
  private readonly clock: () => Date;

  constructor(private readonly options: BulkTeamsNotifierOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** The requester's card (the form they submitted) becomes their progress card. */
  async rememberStatusCard(bulkId: string, userId: string, activityId: string): Promise<void> {
    await this.register(bulkId, (r) => ({ ...r, status: { ...r.status, [userId]: activityId } }));
  }

  async requestBulkApproval(bulk: BulkRequest): Promise<void> {
    const sent = await Promise.allSettled(
      bulk.approvers.map(async (p) => {
        const r = await this.reach(p.id);
        if (!r) throw new Error(`approver ${p.id} unreachable`);
        const ctx = this.ctx(r);
        const summary = chatIn(ctx).bulk.approvalSummary(bulk.requester.displayName, bulk.members.filter((m) => m.state === 'pending').length, bulk.group.displayName);
        const id = await this.send(r, bulkStatusCard(bulk, ctx, { viewer: 'approver' }), summary);
        await this.register(bulk.id, (refs) => ({ ...refs, status: { ...refs.status, [p.id]: id } }));
        // Their help lists what an approver can do (revoke, report) from now on, also with nothing waiting.
        await this.options.conversations.markApprover(p.id).catch((e: unknown) => log.warn('approver not remembered for help', { userId: p.id, error: e }));
      }),
    );
    if (!sent.some((s) => s.status === 'fulfilled')) {
      throw new FlowError('approverUnreachable', (say) => say.chat.bulk.unreachable(joinNames(bulk.approvers.map((p) => p.displayName), say.chat)));
    }
  }

  async bulkUpdated(bulk: BulkRequest): Promise<void> {
    const refs = await this.refs(bulk.id);
    await Promise.all(
      Object.entries(refs.status).map(async ([userId, activityId]) => {
        const viewer: BulkViewer = sameId(userId, bulk.requester.id) ? 'requester' : bulk.approvers.some((p) => sameId(p.id, userId)) ? 'approver' : 'other';
        await this.update(userId, activityId, (ctx) => bulkStatusCard(bulk, ctx, { viewer })).catch((e: unknown) => log.warn('bulk card not refreshed', { requestId: bulk.id, error: e }));
      }),
    );
  }

  async deliverBulkPage(bulk: BulkRequest, page: BulkPage, passes: BulkPass[]): Promise<void> {
    const r = await this.reach(page.recipientId);
    if (!r) throw new Error(`recipient ${page.recipientId} cannot be reached in Teams`);
    const ctx = this.ctx(r);
    const id = await this.send(r, bulkPageCard(bulk, page, passes, ctx), chatIn(ctx).bulk.pageSummary(bulk.id, passes.length, bulk.group.displayName, page.n));
    await this.register(bulk.id, (refs) => ({ ...refs, pages: { ...refs.pages, [String(page.n)]: id } }));
  }

  async hideBulkPage(bulk: BulkRequest, page: BulkPage): Promise<void> {
    const activityId = (await this.refs(bulk.id)).pages[String(page.n)];
    if (!activityId) return;
    await this.update(page.recipientId, activityId, (ctx) => bulkPageCard(bulk, page, null, ctx));
  }

  private async refs(id: string): Promise<BulkCardRefs> {
    const item = (await this.options.storage.read([refsKey(id)]))[refsKey(id)] as BulkCardRefs | undefined;
    return { status: item?.status ?? {}, pages: item?.pages ?? {} };
  }

  private async register(id: string, change: (r: BulkCardRefs) => BulkCardRefs): Promise<void> {
    await updateItem<BulkCardRefs>(this.options.storage, refsKey(id), (current) => change({ status: current?.status ?? {}, pages: current?.pages ?? {} }), { retries: 20 });
  }

  private async reach(userId: string): Promise<{ reference: Partial<ConversationReference>; timeZone?: string; locale?: string } | undefined> {
    const stored = await this.options.conversations.get(userId);
    if (stored) return { reference: stored.reference, ...(stored.timeZone ? { timeZone: stored.timeZone } : {}), ...(stored.locale ? { locale: stored.locale } : {}) };
    const reference = await this.options.installer?.ensureConversation(userId);
    if (!reference) return undefined;
    await this.options.conversations.save(userId, reference);
    return { reference };
  }

  /** The reader's zone and language as their Teams client last told us. */
  private ctx(r: { timeZone?: string; locale?: string }): CardContext {
    return readerContext({ now: this.clock(), publicBaseUrl: this.options.publicBaseUrl?.(), stored: r });
  }

  private async send(r: { reference: Partial<ConversationReference> }, card: CardJson, summary: string): Promise<string> {
    let activityId: string | undefined;
    await this.options.adapter.continueConversationAsync(this.options.botAppId, r.reference, async (context: TurnContext) => {
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      activity.summary = summary;
      activityId = (await context.sendActivity(activity))?.id;
    });
    if (!activityId) throw new Error('Teams did not return an activity id for a sent card.');
    return activityId;
  }

  private async update(userId: string, activityId: string, draw: (ctx: CardContext) => CardJson): Promise<void> {
    const stored = await this.options.conversations.get(userId);
    if (!stored) return;
    const card = draw(this.ctx(stored));
    await this.options.adapter.continueConversationAsync(this.options.botAppId, stored.reference, async (context: TurnContext) => {
      await context.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), id: activityId });
    });
  }
}
