/**
 * The requester withdraws a pending request; the recipient of a pass says it was handed over.
 */
import { FlowError } from '../../errors';
import { said } from '../../i18n/said';
import { actorFields, flowLog as log, requestFields, type FlowContext } from '../context';
import { loadRequest } from '../store/transitions';
import { RequestClosedError } from '../errors';
import { sameId } from '../../identity';
import { isWaitingToBeMade } from '../stateMachine';
import { assertOwnTenant } from '../gate/tenant';
import type { Actor, TapRequest } from '../types';

export async function cancel(ctx: FlowContext, actor: Actor, requestId: string): Promise<TapRequest> {
  assertOwnTenant(ctx, actor);
  const request = await loadRequest(ctx, requestId);
  if (!sameId(actor.aadObjectId, request.requester.id)) {
    // No names: whoever this is, they are not the one who asked.
    throw new FlowError('notRequester', said('notYoursToCancel', { id: request.id }));
  }
  // Pending, or approved and waiting for its morning (nothing made yet): both can be withdrawn.
  if (request.state !== 'PendingApproval' && !isWaitingToBeMade(request)) throw new RequestClosedError(request);
  const cancelled = await ctx.repo.transition(request.id, ['PendingApproval', 'Approved'], (r) => {
    if (r.state === 'Approved' && !isWaitingToBeMade(r)) throw new RequestClosedError(r);
    return { ...r, state: 'Cancelled', cancelledBy: r.requester };
  });
  await ctx.audit({ action: 'request.cancelled', ...actorFields(actor), ...requestFields(cancelled), outcome: 'ok' });
  log.info('request cancelled', { requestId: cancelled.id });
  await ctx.notifyUpdated(cancelled);
  return cancelled;
}

/** Idempotent: a second click changes nothing and answers with the current record. */
export async function markHandedOver(ctx: FlowContext, actor: Actor, requestId: string): Promise<TapRequest> {
  assertOwnTenant(ctx, actor);
  const request = await loadRequest(ctx, requestId);
  if (!request.delivery || !sameId(actor.aadObjectId, request.delivery.recipientId)) {
    throw new FlowError('notRequester', said('onlyRecipientHandsOver', { id: request.id }));
  }
  if (request.delivery.handedOverAt) return request;
  if (request.replacedBy || request.revocation) {
    // Handing over a code that no longer works would only send the person to a failed sign-in.
    throw new FlowError('notRevocable', said('codeNoLongerWorks', { id: request.id, ...(request.replacedBy ? { replacedBy: request.replacedBy.requestId } : {}) }));
  }

  const now = ctx.clock().toISOString();
  let codeWasShown = false;
  let firstToMark = true;
  const updated = await ctx.repo.transition(request.id, 'Issued', (r) => {
    const delivery = r.delivery;
    if (!delivery) throw new RequestClosedError(r);
    firstToMark = !delivery.handedOverAt;
    if (!firstToMark) return r;
    codeWasShown = !delivery.codeHiddenAt;
    return { ...r, delivery: { ...delivery, handedOverAt: now, codeHiddenAt: delivery.codeHiddenAt ?? now } };
  });
  if (!firstToMark) return updated;

  if (codeWasShown) {
    try {
      await ctx.notifier.hidePass(updated);
    } catch (e) {
      log.warn('could not hide the code after handover', { requestId: updated.id, error: e });
    }
  }
  await ctx.repo.indexes.removeVisiblePass(updated.id).catch((e: unknown) => {
    log.warn('could not drop a handed-over pass from the index', { requestId: updated.id, error: e });
  });
  await ctx.audit({ action: 'tap.handedOver', ...actorFields(actor), ...requestFields(updated), outcome: 'ok', details: { recipientKind: updated.delivery?.recipientKind ?? null } });
  return updated;
}
