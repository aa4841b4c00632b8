/**
 * The bot serves one organisation: the configured tenant. Every road asks this one rule,
 * the Teams edge for each activity and the workflow for each actor and request. Ids come
 * in one spelling: the configuration lower-cases its own, and a caller that sees other
 * spellings (an activity's channel data) lower-cases them before asking.
 */
import { FlowError } from '../../errors';
import { said } from '../../i18n/said';
import type { Actor, FlowConfig } from '../types';

/** True when `tenantId` is the tenant this bot serves. */
export function isOwnTenant(ownTenantId: string, tenantId: string): boolean {
  return tenantId === ownTenantId;
}

/** The refusal for anyone or anything from another tenant, or undefined when all are ours. */
export function tenantRefusal(config: Pick<FlowConfig, 'tenantId'>, ...tenantIds: string[]): FlowError | undefined {
  return tenantIds.every((t) => isOwnTenant(config.tenantId, t)) ? undefined : new FlowError('wrongTenant', said('wrongTenant'));
}

export function assertOwnTenant(ctx: { config: Pick<FlowConfig, 'tenantId'> }, actor: Actor): void {
  const refusal = tenantRefusal(ctx.config, actor.tenantId);
  if (refusal) throw refusal;
}
