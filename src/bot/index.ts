/**
 * The Teams edge in one call, so the rest of the app never imports botbuilder. Two steps
 * because the workflow needs the notifier and the bot needs the workflow:
 *
 *   const edge = createTeamsEdge({ mode, bot, tenantId, storage });
 *   const flow = new TapFlow({ ..., notifier: edge.notifier });
 *   const handleMessages = edge.attach(flow);   // POST /api/messages
 */
import type { CloudAdapter, Request, Response } from 'botbuilder';
import type { BotIdentity } from '../config';
import type { DurableStorage } from '../storage/types';
import { createAdapter } from './adapter';
import { CardRefStore } from './cardRefs';
import { ConversationStore } from './conversations';
import { TeamsNotifier } from './notifier';
import type { FlowPort, ProactiveInstaller } from './ports';
import { TapBot } from './tapBot';
import { TenantGuard, type TenantGuardStats } from './tenantGuard';

export interface TeamsEdgeOptions {
  mode: 'sandbox' | 'production';
  bot?: BotIdentity;
  tenantId: string;
  storage: DurableStorage;
  /** Reaches approvers who never opened the bot (production, via Graph). */
  installer?: ProactiveInstaller;
  clock?: () => Date;
}

export interface TeamsEdge {
  notifier: TeamsNotifier;
  conversations: ConversationStore;
  /** Dropped foreign-tenant activities, for /health or metrics. */
  tenantGuardStats(): TenantGuardStats;
  /** Binds the workflow and returns the `POST /api/messages` handler. */
  attach(flow: FlowPort): (req: Request, res: Response) => Promise<void>;
  /** For tests and advanced wiring only. */
  adapter: CloudAdapter;
}

export function createTeamsEdge(options: TeamsEdgeOptions): TeamsEdge {
  const adapter = createAdapter({ mode: options.mode, ...(options.bot ? { bot: options.bot } : {}), tenantId: options.tenantId });
  const guard = new TenantGuard({ tenantId: options.tenantId });
  adapter.use(guard);
  const clock = options.clock ?? (() => new Date());
  const conversations = new ConversationStore(options.storage, { clock });
  const cardRefs = new CardRefStore(options.storage);
  const notifier = new TeamsNotifier({
    adapter,
    botAppId: options.bot?.appId ?? '',
    conversations,
    cardRefs,
    clock,
    ...(options.installer ? { installer: options.installer } : {}),
  });
  return {
    notifier,
    conversations,
    adapter,
    tenantGuardStats: () => guard.stats,
    attach(flow: FlowPort) {
      const bot = new TapBot({ flow, conversations, cardRefs, tenantId: options.tenantId, clock });
      return (req, res) => adapter.process(req, res, (context) => bot.run(context));
    },
  };
}

export { ConversationStore, conversationKey, type StoredConversation } from './conversations';
export { TeamsNotifier, type TeamsNotifierOptions } from './notifier';
export { TapBot, type TapBotOptions } from './tapBot';
export { TenantGuard } from './tenantGuard';
export { createAdapter, turnErrorHandler } from './adapter';
export type { FlowPort, ProactiveInstaller, CardRenderer } from './ports';
