/**
 * Drops every activity that does not come from the configured tenant, before any handler
 * runs. Teams puts the tenant in `channelData.tenant.id` and usually also in
 * `conversation.tenantId`: every tenant id present must be ours, and at least one must be.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import { ActivityTypes } from 'botbuilder';
import { isOwnTenant } from '../flow/gate/tenant';
import { createLogger } from '../log';
import { invokeError } from './invokeResponses';
import { chatOfTurn } from './reader';

const log = createLogger('bot.tenantGuard');

export interface TenantGuardStats {
  rejected: number;
}

export class TenantGuard implements Middleware {
  private readonly tenantId: string;
  private rejectedCount = 0;

  constructor(options: { tenantId: string }) {
    if (!options.tenantId) throw new Error('TenantGuard needs the configured tenant id');
    this.tenantId = options.tenantId.toLowerCase();
  }

  get stats(): TenantGuardStats {
    return { rejected: this.rejectedCount };
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const seen = tenantIdsOf(context.activity);
    if (seen.length > 0 && seen.every((t) => isOwnTenant(this.tenantId, t.toLowerCase()))) {
      await next();
      return;
    }
    this.rejectedCount++;
    // Ids only: never the text or card data of a foreign activity.
    log.warn('activity from another or no tenant dropped', {
      activityType: context.activity.type,
      activityName: context.activity.name,
      tenantIds: seen,
      channelId: context.activity.channelId,
      rejected: this.rejectedCount,
    });
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 403, body: invokeError(403, 'Forbidden', chatOfTurn(context.activity).onlyOwnOrganization) },
      });
    }
  }
}

/** Every tenant id the activity claims (channel data and conversation). */
export function tenantIdsOf(activity: TurnContext['activity']): string[] {
  const channelData: unknown = activity.channelData;
  const fromChannel =
    isRecord(channelData) && isRecord(channelData.tenant) && typeof channelData.tenant.id === 'string'
      ? channelData.tenant.id
      : undefined;
  const fromConversation = typeof activity.conversation?.tenantId === 'string' ? activity.conversation.tenantId : undefined;
  return [fromChannel, fromConversation].filter((t): t is string => t !== undefined);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
