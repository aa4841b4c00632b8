/**
 * Transitions several workflow steps share: loading a request by its id, failing it with
 * a sentence, expiring it. Each is a compare-and-swap on the stored record, audited, and
 * followed by a refresh of the cards.
 */
import { actorFields, flowLog as log, requestFields, type FlowContext } from '../context';
import { RequestClosedError } from '../errors';
import { parseRequestId } from '../requestId';
import { requestNotFound } from './requestRepository';
import { leaveOnboarding } from '../follow/onboarding';
import type { Actor, RequestState, TapRequest } from '../types';
import { bindRequestId } from '../../telemetry/correlation';

export async function loadRequest(ctx: FlowContext, requestId: string): Promise<TapRequest> {
  const id = parseRequestId(requestId);
  const request = id ? await ctx.repo.get(id) : undefined;
  if (!request) throw requestNotFound(id ?? requestId.trim().slice(0, 20));
  bindRequestId(request.id);
  return request;
}

/** PendingApproval → Expired, audited as the system. Undefined when someone else closed it first. */
export async function expireRequest(ctx: FlowContext, id: string): Promise<TapRequest | undefined> {
  let expired: TapRequest;
  try {
    expired = await ctx.repo.transition(id, 'PendingApproval', (r) => ({ ...r, state: 'Expired' }));
  } catch (e) {
    if (e instanceof RequestClosedError) return undefined;
    throw e;
  }
  await ctx.audit({ action: 'request.expired', actorId: 'system', ...requestFields(expired), outcome: 'ok', details: { expiresAt: expired.expiresAt } });
  log.info('request expired', { requestId: id });
  await ctx.notifyUpdated(expired);
  return expired;
}

export async function failRequest(
  ctx: FlowContext,
  actor: Actor,
  request: TapRequest,
  from: RequestState,
  failure: NonNullable<TapRequest['failure']>,
  details: Record<string, string | boolean> = {},
): Promise<TapRequest> {
  const failed = await leaveOnboarding(ctx, await ctx.repo.transition(request.id, from, (r) => ({ ...r, state: 'Failed', failure })), 'failed');
  await ctx.audit({ action: 'tap.failed', ...actorFields(actor), ...requestFields(failed), outcome: failure.code, details: { message: failure.message, ...details } });
  log.warn('request failed', { requestId: failed.id, failureCode: failure.code });
  await ctx.notifyUpdated(failed);
  return failed;
}
