/**
 * Reaches people who never opened the bot (production): installs the bot's Teams app for
 * them through Graph, then opens the 1:1 chat through the Bot Connector and stores its
 * reference. Any failure leaves them unreachable (undefined), so the notifier tells the
 * agent in plain words to ask them to open the bot.
 *
 * Facts this relies on (Microsoft docs):
 * - Graph v1.0 "Install app for user": `POST /users/{id}/teamwork/installedApps` with
 *   `teamsApp@odata.bind` → 201; application permission TeamsAppInstallation.ReadWriteSelfForUser.All;
 *   only apps in the org catalog (or the Teams Store) can be installed.
 * - Teams "send proactive messages": creating the 1:1 conversation needs the person's Entra
 *   object id (or Teams user id), the tenant id and a serviceUrl, and works only once the
 *   bot is installed in their personal scope. Creating it again returns the same chat.
 *
 * The serviceUrl is the tenant's Bot Connector endpoint; Teams only tells it to us on
 * incoming activities, so `connect` remembers the last one seen from our tenant.
 */
import type { BotAdapter, ChannelAccount, ConversationParameters, ConversationReference, Middleware, TurnContext } from 'botbuilder';
import { TurnContext as Turn } from 'botbuilder';
import { GraphError } from '../errors';
import { TEAMS_APP_INSTALL_PERMISSION, type TeamsAppGraph, type TeamsAppInstallResult } from '../graph/types';
import { createLogger } from '../log';
import type { DurableStorage } from '../storage/types';
import type { ConversationStore } from './conversations';
import type { ProactiveInstaller } from './ports';

const log = createLogger('bot.installer');

/** Public-cloud Bot Connector audience (botframework-connector's ToChannelFromBotOAuthScope). */
const PUBLIC_CHANNEL_AUDIENCE = 'https://api.botframework.com';
export const SERVICE_URL_KEY = 'teams/serviceUrl';

export type ConversationCreator = Pick<BotAdapter, 'createConversationAsync'>;
/** What `connect` needs from the Teams edge (`createTeamsEdge` returns it). */
export interface InstallerEdge {
  adapter: ConversationCreator & Pick<BotAdapter, 'use'>;
  conversations: Pick<ConversationStore, 'save'>;
}

export interface GraphProactiveInstallerOptions {
  graph: TeamsAppGraph;
  /** The app's id in the tenant app catalog (TEAMS_APP_CATALOG_ID), not the manifest id. */
  teamsAppCatalogId: string;
  botAppId: string;
  tenantId: string;
  /** Persists the remembered serviceUrl across restarts and instances. */
  storage?: DurableStorage;
  /** Overrides where the serviceUrl comes from (default: the last one `connect` saw). */
  serviceUrlOf?: () => Promise<string | undefined>;
  /** Bot Connector token audience; default the public cloud's. */
  audience?: string;
  /** Tries at opening the chat right after a fresh install (Teams may lag). Default 3. */
  createAttempts?: number;
  retryDelayInMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class GraphProactiveInstaller implements ProactiveInstaller {
  private edge: InstallerEdge | undefined;
  private readonly serviceUrls: TeamsServiceUrlMemo;

  constructor(private readonly options: GraphProactiveInstallerOptions) {
    if (!options.botAppId || !options.tenantId || !options.teamsAppCatalogId) {
      throw new Error('GraphProactiveInstaller needs the bot app id, the tenant id and the Teams app catalog id.');
    }
    this.serviceUrls = new TeamsServiceUrlMemo(options.storage);
  }

  /**
   * Binds the edge's adapter and store (they are created after the installer, which the
   * edge needs), and starts remembering the serviceUrl of incoming Teams activities. The
   * middleware is added after the tenant guard, so only our tenant's activities count.
   */
  connect(edge: InstallerEdge): void {
    this.edge = edge;
    edge.adapter.use(this.serviceUrls);
  }

  async ensureConversation(userId: string): Promise<Partial<ConversationReference> | undefined> {
    const edge = this.edge;
    if (!edge) {
      log.error('proactive installer used before connect(edge); person not reached', { userId });
      return undefined;
    }
    const serviceUrl = await this.serviceUrl();
    if (!serviceUrl) {
      log.warn('no Teams serviceUrl known yet, so the bot cannot open a chat with a person who never opened it', { userId });
      return undefined;
    }
    const installed = await this.install(userId);
    if (!installed) return undefined;
    const reference = await this.openChat(edge, userId, serviceUrl, installed === 'installed');
    if (!reference) return undefined;
    try {
      await edge.conversations.save(userId, reference);
    } catch (e) {
      // The chat exists and the reference works; the notifier saves it again.
      log.warn('could not store the new conversation reference', { userId, error: e });
    }
    log.info('opened a 1:1 chat with a person who never opened the bot', { userId, installed, conversationId: reference.conversation?.id });
    return reference;
  }

  private async serviceUrl(): Promise<string | undefined> {
    try {
      return await (this.options.serviceUrlOf ? this.options.serviceUrlOf() : this.serviceUrls.get());
    } catch (e) {
      log.warn('could not read the Teams serviceUrl', { error: e });
      return undefined;
    }
  }

  private async install(userId: string): Promise<TeamsAppInstallResult | undefined> {
    try {
      return await this.options.graph.installAppForUser(userId, this.options.teamsAppCatalogId);
    } catch (e) {
      const graph = e instanceof GraphError ? e : undefined;
      const forbidden = graph?.code === 'forbidden';
      log.warn(
        forbidden
          ? `could not install the bot for a person: grant the Microsoft Graph application permission ${TEAMS_APP_INSTALL_PERMISSION} (admin consent) and allow the app in Teams app policies`
          : 'could not install the bot for a person in Teams',
        {
          userId,
          errorCode: graph?.code ?? (e instanceof Error ? e.name : typeof e),
          status: graph?.status ?? null,
          graphCode: graph?.graphCode ?? null,
          ...(forbidden ? { missingPermission: graph?.missingPermission ?? TEAMS_APP_INSTALL_PERMISSION } : {}),
        },
      );
      return undefined;
    }
  }

  private async openChat(edge: InstallerEdge, userId: string, serviceUrl: string, freshInstall: boolean): Promise<Partial<ConversationReference> | undefined> {
    const attempts = freshInstall ? Math.max(1, this.options.createAttempts ?? 3) : 1;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const reference = await this.createConversation(edge.adapter, userId, serviceUrl);
        if (reference) return reference;
        // The turn ran but its callback did not (e.g. the tenant guard dropped it): retrying will not help.
        log.warn('the new conversation never reached the bot', { userId });
        return undefined;
      } catch (e) {
        // Status and code only: connector errors can echo the request.
        const failure = connectorFailure(e);
        log.warn('could not open a 1:1 chat with a person', { userId, attempt, attempts, ...failure });
        if (attempt < attempts) await sleep(this.options.retryDelayInMs ?? 2000);
      }
    }
    return undefined;
  }

  private async createConversation(adapter: ConversationCreator, userId: string, serviceUrl: string): Promise<Partial<ConversationReference> | undefined> {
    const { botAppId, tenantId } = this.options;
    const parameters: ConversationParameters = {
      isGroup: false,
      bot: accountWithId(`28:${botAppId}`),
      // Teams accepts the Entra object id for a person in the bot's personal scope.
      members: [accountWithId(userId)],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    };
    let reference: Partial<ConversationReference> | undefined;
    await adapter.createConversationAsync(botAppId, 'msteams', serviceUrl, this.options.audience ?? PUBLIC_CHANNEL_AUDIENCE, parameters, async (context: TurnContext) => {
      reference = Turn.getConversationReference(context.activity);
    });
    if (!reference?.conversation?.id) return undefined;
    const { activityId: _activityId, ...rest } = reference;
    // As Teams describes a 1:1 chat, with the tenant the guard checks on proactive turns.
    return { ...rest, conversation: { ...reference.conversation, conversationType: 'personal', tenantId } };
  }
}

/**
 * Remembers the serviceUrl of incoming Teams activities (https only: the connector client
 * sends the bot's token there). Registered after the tenant guard.
 */
export class TeamsServiceUrlMemo implements Middleware {
  private latest: string | undefined;

  constructor(private readonly storage?: DurableStorage) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const url = context.activity.serviceUrl;
    if (context.activity.channelId === 'msteams' && typeof url === 'string' && url.startsWith('https://') && url !== this.latest) {
      this.latest = url;
      try {
        await this.storage?.write({ [SERVICE_URL_KEY]: { serviceUrl: url, eTag: '*' } });
      } catch (e) {
        log.warn('could not store the Teams serviceUrl', { error: e });
      }
    }
    await next();
  }

  async get(): Promise<string | undefined> {
    if (this.latest) return this.latest;
    const item = (await this.storage?.read([SERVICE_URL_KEY]))?.[SERVICE_URL_KEY] as { serviceUrl?: unknown } | undefined;
    return typeof item?.serviceUrl === 'string' ? item.serviceUrl : undefined;
  }
}

/** The Bot Connector needs only the id; botbuilder's type also asks for a display name. */
function accountWithId(id: string): ChannelAccount {
  return { id } as ChannelAccount;
}

function connectorFailure(e: unknown): { errorName: string; statusCode: number | null; code: string | null } {
  const fields = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; statusCode?: unknown; code?: unknown };
  return {
    errorName: typeof fields.name === 'string' ? fields.name : typeof e,
    statusCode: typeof fields.statusCode === 'number' ? fields.statusCode : null,
    code: typeof fields.code === 'string' ? fields.code : null,
  };
}
