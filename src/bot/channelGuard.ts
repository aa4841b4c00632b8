/**
 * Production serves Teams only. Web Chat and Direct Line carry valid Bot Framework tokens
 * too, but there the client writes `from.aadObjectId` itself, so an activity from any other
 * channel could claim to be any helpdesk agent or manager. Such activities are refused
 * before any handler runs, logged and audited.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import { ActivityTypes, Channels, MessageFactory } from 'botbuilder';
import type { AuditSink } from '../audit/types';
import { canonicalId } from '../identity';
import { createLogger } from '../log';
import { catalogue } from '../i18n';
import { invokeError } from './invokeResponses';
import { chatOfTurn } from './reader';

const log = createLogger('bot.channelGuard');

/** In English; the person is told in their own language. */
export const WRONG_CHANNEL_MESSAGE = catalogue('en').chat.onlyTeams;

export interface ChannelGuardOptions {
  audit: AuditSink;
  clock?: () => Date;
}

export interface ChannelGuardStats {
  refused: number;
}

export class ChannelGuard implements Middleware {
  private readonly audit: AuditSink;
  private readonly clock: () => Date;
  private refusedCount = 0;

  constructor(options: ChannelGuardOptions) {
    this.audit = options.audit;
    this.clock = options.clock ?? (() => new Date());
  }

  get stats(): ChannelGuardStats {
    return { refused: this.refusedCount };
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.channelId === Channels.Msteams) {
      await next();
      return;
    }
    this.refusedCount++;
    const activity = context.activity;
    // Ids and types only, cut short: never the text or card data, and nothing unbounded.
    const facts = {
      channelId: short(activity.channelId),
      activityType: short(activity.type),
      ...(typeof activity.name === 'string' ? { activityName: short(activity.name) } : {}),
    };
    // The claimed id is what a forger chose; it is recorded so an admin sees whom they posed as.
    const actorId = canonicalId(activity.from?.aadObjectId) ?? 'unknown';
    log.warn('activity from a channel other than Teams refused', { ...facts, actorId, refused: this.refusedCount });
    await this.record(actorId, facts);
    if (activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 403, body: invokeError(403, 'Forbidden', chatOfTurn(activity).onlyTeams) },
      });
    } else if (activity.type === ActivityTypes.Message) {
      await this.tell(context);
    }
  }

  private async record(actorId: string, details: Record<string, string>): Promise<void> {
    try {
      await this.audit.record({ at: this.clock().toISOString(), action: 'activity.refused', actorId, outcome: 'wrongChannel', details });
    } catch (e) {
      // The refusal stands either way; the warn line above already has the facts.
      log.error('audit record failed', { action: 'activity.refused', error: e });
    }
  }

  /** One sentence, so an admin trying the bot in Azure's "Test in Web Chat" knows why. */
  private async tell(context: TurnContext): Promise<void> {
    try {
      await context.sendActivity(MessageFactory.text(chatOfTurn(context.activity).onlyTeams));
    } catch (e) {
      log.warn('could not answer a refused activity', { error: e });
    }
  }
}

function short(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 64) : typeof value;
}
