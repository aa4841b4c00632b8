/**
 * The Teams edge in one call, so the rest of the app never imports botbuilder. Two steps
 * because the workflow needs the notifier and the bot needs the workflow:
 *
 *   const edge = createTeamsEdge({ mode, bot, tenantId, storage, audit });
 *   const flow = new TapFlow({ ..., notifier: edge.notifier });
 *   const handleMessages = edge.attach(flow);   // POST /api/messages
 */
import type { CloudAdapter, Request, Response } from 'botbuilder';
import type { AuditSink } from '../audit/types';
import type { BotIdentity } from '../config';
import { createLogger } from '../log';
import type { DurableStorage } from '../storage/types';
import { createAdapter, type BotAuthSettingsOverride } from './adapter';
import { CardRefStore } from './cardRefs';
import { malformedActivity, type MalformedActivity } from './activityShape';
import { ChannelGuard } from './channelGuard';
import { ConversationStore } from './conversations';
import { invokeError } from './invokeResponses';
import { TeamsNotifier } from './notifier';
import { BulkTeamsNotifier } from './bulkNotifier';
import type { BulkPort } from './bulkActions';
import type { FlowPort, ProactiveInstaller } from './ports';
import { TapBot } from './tapBot';
import { TenantGuard, type TenantGuardStats } from './tenantGuard';

const log = createLogger('bot.edge');

export interface TeamsEdgeOptions {
  mode: 'sandbox' | 'production';
  bot?: BotIdentity;
  tenantId: string;
  storage: DurableStorage;
  /** Where refused activities are audited. Required in production (see ChannelGuard). */
  audit?: AuditSink;
  /** Reaches approvers who never opened the bot (production, via Graph). */
  installer?: ProactiveInstaller;
  /** Where the guide page is reachable from a browser (PUBLIC_BASE_URL, or the sandbox bot's URL). */
  publicBaseUrl?: () => string | undefined;
  /** Who is told of suspicious requests (members of SECURITY_CONTACT_GROUP_ID). */
  securityContactIds?: () => Promise<string[]>;
  clock?: () => Date;
  /** Tests only, never from the environment: see BotAuthSettingsOverride. */
  authSettingsOverride?: BotAuthSettingsOverride;
}

export interface TeamsEdge {
  notifier: TeamsNotifier;
  /** Bulk requests' cards (approval, progress, result pages). */
  bulkNotifier: BulkTeamsNotifier;
  conversations: ConversationStore;
  /** Dropped foreign-tenant activities, for /health or metrics. */
  tenantGuardStats(): TenantGuardStats;
  /** Binds the workflow and returns the `POST /api/messages` handler. */
  attach(flow: FlowPort, bulk?: BulkPort): (req: Request, res: Response) => Promise<void>;
  /** For tests and advanced wiring only. */
  adapter: CloudAdapter;
}

export function createTeamsEdge(options: TeamsEdgeOptions): TeamsEdge {
  const adapter = createAdapter({
    mode: options.mode,
    ...(options.bot ? { bot: options.bot } : {}),
    tenantId: options.tenantId,
    ...(options.authSettingsOverride ? { authSettingsOverride: options.authSettingsOverride } : {}),
  });
  const clock = options.clock ?? (() => new Date());
  if (options.mode === 'production') {
    // Not in sandbox: the Agents Playground can be started as another channel (`-c`).
    if (!options.audit) throw new Error('Production mode needs an audit sink for refused activities.');
    adapter.use(new ChannelGuard({ audit: options.audit, clock }));
  }
  const guard = new TenantGuard({ tenantId: options.tenantId });
  adapter.use(guard);
  const conversations = new ConversationStore(options.storage, { clock });
  const cardRefs = new CardRefStore(options.storage);
  const notifier = new TeamsNotifier({
    adapter,
    botAppId: options.bot?.appId ?? '',
    conversations,
    cardRefs,
    clock,
    ...(options.installer ? { installer: options.installer } : {}),
    ...(options.securityContactIds ? { securityContactIds: options.securityContactIds } : {}),
    ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
  });
  const bulkNotifier = new BulkTeamsNotifier({
    adapter,
    botAppId: options.bot?.appId ?? '',
    conversations,
    storage: options.storage,
    clock,
    ...(options.installer ? { installer: options.installer } : {}),
    ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
  });
  return {
    notifier,
    bulkNotifier,
    conversations,
    adapter,
    tenantGuardStats: () => guard.stats,
    attach(flow: FlowPort, bulk?: BulkPort) {
      const bot = new TapBot({
        flow,
        ...(bulk ? { bulk: { flow: bulk, notifier: bulkNotifier } } : {}),
        conversations,
        cardRefs,
        tenantId: options.tenantId,
        clock,
        ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
      });
      return async (req, res) => {
        // botbuilder trusts the body; a malformed one would end as a 500 (see activityShape.ts).
        const malformed = malformedActivity(req.body);
        if (malformed) {
          refuseMalformed(res, malformed);
          return;
        }
        await adapter.process(req, res, (context) => bot.run(context));
      };
    },
  };
}

/** 400 with the reason; an invoke gets Teams' error shape, so the card shows the reason. */
function refuseMalformed(res: Response, malformed: MalformedActivity): void {
  // The reason names a field, never its value: the body is not trusted.
  log.warn('malformed activity refused', { reason: malformed.message });
  res.status(400);
  res.send(malformed.invoke ? invokeError(400, 'BadRequest', malformed.message) : { error: { code: 'BadRequest', message: malformed.message } });
  res.end();
}
