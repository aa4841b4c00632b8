/**
 * "This wasn't me": the account owner stops a pass they did not ask for, from the Teams
 * notice or the one-time mail link. The pass is deleted at once, the request is marked
 * suspicious, the user's sessions are revoked when configured, the agent and the approver
 * are told, and the security contacts are alerted.
 */
import { ConcurrencyError, FlowError } from '../errors';
import { actorFields, flowLog as log, requestFields, type FlowContext } from './context';
import { sameId } from './identity';
import { disputeKey, type DisputeTokenDoc } from './ownerNotice';
import { revokeIssued } from './revoke';
import { isWaitingToBeMade } from './stateMachine';
import { assertSameTenant } from './closing';
import { loadRequest } from './transitions';
import type { Actor, Person, TapRequest } from './types';

type DisputeChannel = 'teams' | 'mail';

/** From Teams: only the person the pass is for can say it wasn't them. */
export async function disputeAsOwner(ctx: FlowContext, actor: Actor, requestId: string): Promise<TapRequest> {
  assertSameTenant(ctx, actor);
  const request = await loadRequest(ctx, requestId);
  if (!sameId(actor.aadObjectId, request.target.id)) {
    throw new FlowError('notParty', `Request ${request.id} is not yours: only the person the pass is for can say it was not them.`);
  }
  return stopDisputed(ctx, actor, request, 'teams');
}

export type LinkDispute = { outcome: 'stopped'; request: TapRequest } | { outcome: 'used' | 'expired' | 'unknown' };

/** From the mail link: the token works once, until a week after the pass expired. */
export async function disputeByLink(ctx: FlowContext, token: string): Promise<LinkDispute> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return { outcome: 'unknown' };
  const key = disputeKey(token);
  const doc = (await ctx.storage.read([key]))[key] as DisputeTokenDoc | undefined;
  if (!doc) return { outcome: 'unknown' };
  if (doc.usedAt) {
    // Used, but the stop did not finish (Graph down at the time): the owner may try again.
    const current = await ctx.repo.get(doc.requestId);
    const stillWorks = current !== undefined && current.state === 'Issued' && current.revocation === undefined;
    if (!stillWorks) return { outcome: 'used' };
    const owner: Actor = { aadObjectId: current.target.id, tenantId: current.tenantId, displayName: current.target.displayName };
    return { outcome: 'stopped', request: await stopDisputed(ctx, owner, current, 'mail') };
  }
  if (Date.parse(doc.expiresAt) < ctx.clock().getTime()) return { outcome: 'expired' };
  try {
    await ctx.storage.write({ [key]: { ...doc, usedAt: ctx.clock().toISOString(), eTag: doc.eTag } });
  } catch (e) {
    if (e instanceof ConcurrencyError) return { outcome: 'used' };
    throw e;
  }
  const request = await loadRequest(ctx, doc.requestId);
  const owner: Actor = { aadObjectId: request.target.id, tenantId: request.tenantId, displayName: request.target.displayName };
  return { outcome: 'stopped', request: await stopDisputed(ctx, owner, request, 'mail') };
}

async function stopDisputed(ctx: FlowContext, actor: Actor, request: TapRequest, via: DisputeChannel): Promise<TapRequest> {
  const owner: Person = { id: request.target.id, displayName: request.target.displayName, userPrincipalName: request.target.userPrincipalName };
  const reason = `The account owner says they did not ask for this pass (${via === 'teams' ? 'from the Teams notice' : 'from the mail link'}).`;
  let current = await ctx.repo.transition(request.id, ['PendingApproval', 'Approved', 'Issuing', 'Issued', 'Denied', 'Expired', 'Failed', 'Cancelled'], (r) => {
    const flagged = { ...r, suspicious: r.suspicious ?? { by: owner, at: ctx.clock().toISOString(), reason } };
    return r.state === 'PendingApproval' || isWaitingToBeMade(r) ? { ...flagged, state: 'Cancelled', cancelledBy: owner } : flagged;
  });
  await ctx.audit({ action: 'request.disputed', ...actorFields(actor), ...requestFields(current), outcome: 'ok', details: { via, stateWhenDisputed: request.state, suspicious: true } });
  log.warn('the account owner disputed a pass', { requestId: current.id, via });
  try {
    if (current.state === 'Issued') current = await revokeIssued(ctx, actor, current, owner, reason);
    else await ctx.notifyUpdated(current);
    if (ctx.config.ownerNotice?.revokeSessionsOnDispute) {
      try {
        await ctx.graph.revokeSignInSessions(current.target.id);
        await ctx.audit({ action: 'user.sessionsRevoked', actorId: 'system', ...requestFields(current), outcome: 'ok' });
      } catch (e) {
        log.error('could not revoke the sessions of a disputed account', { requestId: current.id, error: e });
      }
    }
  } finally {
    // Security hears of it even when stopping the pass failed: that is when it matters most.
    try {
      await ctx.notifier.reportSuspicious?.(current);
    } catch (e) {
      log.error('could not alert the security contacts about a disputed pass', { requestId: current.id, error: e });
    }
  }
  return current;
}
