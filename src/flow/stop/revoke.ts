/**
 * Taking a pass back, and raising the alarm. A party to a request (the agent who asked,
 * the approver, whoever received the pass) can revoke an issued pass: it is deleted in
 * Entra ID, its code leaves the card, and the other party is told. Any party can report
 * a request as suspicious (a reason is required): a pending request is stopped, an issued
 * pass is revoked, one being created is deleted as soon as it exists, and the security
 * contacts are told. Both are audited.
 */
import { FlowError } from '../../errors';
import { catalogue } from '../../i18n';
import { said, wordsIn, type StoredReason } from '../../i18n/said';
import { actorFields, flowLog as log, requestFields, whyOf, type FlowContext } from '../context';
import { loadRequest } from '../store/transitions';
import { includesId, sameId } from '../../identity';
import { assertOwnTenant } from '../gate/tenant';
import { cleanText, NOTE_MAX } from '../request/validation';
import { leaveOnboarding } from '../follow/onboarding';
import { isWaitingToBeMade } from '../stateMachine';
import { stopLivePass } from './livePass';
import type { Actor, Person, StoppedPasses, TapRequest } from '../types';

const NOT_YOURS = (id: string): FlowError => new FlowError('notParty', said('notYoursToStop', { id }));

/** Who may revoke or report: the requester, an approver of the request, the recipient of the pass. */
function partyOf(request: TapRequest, actor: Actor): Person | undefined {
  const id = actor.aadObjectId;
  if (sameId(request.requester.id, id)) return request.requester;
  const approver = [...request.approver.people, ...(request.secondApprover?.people ?? [])].find((p) => sameId(p.id, id));
  if (approver) return approver;
  if (includesId(request.approver.ids, id) || includesId(request.secondApprover?.ids ?? [], id) || sameId(request.delivery?.recipientId, id)) {
    return { id, displayName: actor.displayName ?? '', userPrincipalName: '' };
  }
  // A bulk member's manager was told of the pass and may stop it.
  if (request.bulk?.managerId && sameId(request.bulk.managerId, id)) return { id, displayName: actor.displayName ?? '', userPrincipalName: '' };
  return undefined;
}

export async function revoke(ctx: FlowContext, actor: Actor, requestId: string, reason?: string): Promise<TapRequest> {
  assertOwnTenant(ctx, actor);
  const request = await loadRequest(ctx, requestId);
  const by = partyOf(request, actor);
  if (!by) throw NOT_YOURS(request.id);
  return revokeIssued(ctx, actor, request, by, reason);
}

export async function revokeIssued(ctx: FlowContext, actor: Actor, given: TapRequest, by: Person, why?: StoredReason | string): Promise<TapRequest> {
  // A reason a person typed is kept as typed; one the bot wrote keeps its meaning too.
  const reason = why === undefined ? undefined : wordsIn(catalogue('en'), why);
  let request = given;
  if (request.revocation) return request;
  if (isWaitingToBeMade(request)) {
    // Prepared days ahead and not made yet: revoking it means it is never made.
    const cancelled = await ctx.repo.transition(request.id, 'Approved', (r) => (isWaitingToBeMade(r) ? { ...r, state: 'Cancelled', cancelledBy: by } : r));
    if (cancelled.state === 'Cancelled') {
      await ctx.audit({ action: 'request.cancelled', ...actorFields(actor), ...requestFields(cancelled), outcome: 'ok', details: { scheduledIssueAt: request.scheduledIssueAt ?? null } });
      await ctx.notifyUpdated(cancelled);
      return cancelled;
    }
    request = cancelled;
  }
  if (request.state !== 'Issued' || !request.issued) {
    throw new FlowError('notRevocable', said('nothingToRevoke', { id: request.id, state: request.state }));
  }
  const issued = request.issued;
  let stopped: StoppedPasses;
  try {
    // Stop means stopped: the pass the user holds now, this request's or a later one of ours.
    stopped = await stopLivePass(ctx, { ...request, issued }, by, why);
  } catch (e) {
    log.error('could not revoke a pass', { requestId: request.id, methodId: issued.methodId, error: e });
    throw new FlowError('notRevocable', said('revokeFailed', { who: request.target.displayName, why: whyOf(e) }));
  }
  const now = ctx.clock().toISOString();
  let codeWasShown = false;
  const revoked = await ctx.repo.transition(request.id, 'Issued', (r) => {
    if (r.revocation) return r;
    codeWasShown = r.delivery !== undefined && !r.delivery.codeHiddenAt;
    return {
      ...r,
      revocation: { by, at: now, ...(reason ? { reason } : {}), ...(why !== undefined && typeof why !== 'string' ? { said: why } : {}), stopped },
      ...(r.delivery ? { delivery: { ...r.delivery, codeHiddenAt: r.delivery.codeHiddenAt ?? now } } : {}),
    };
  });
  if (codeWasShown) {
    await ctx.notifier.hidePass(revoked).catch((e: unknown) => log.warn('could not hide the code of a revoked pass', { requestId: revoked.id, error: e }));
  }
  await ctx.repo.indexes.removeVisiblePass(revoked.id).catch(() => undefined);
  await ctx.audit({
    action: 'tap.revoked',
    ...actorFields(actor),
    ...requestFields(revoked),
    outcome: 'ok',
    details: { methodId: issued.methodId, expiresDateTime: issued.expiresDateTime, deleted: stopped.deleted, nothingLive: stopped.nothingLive, ...(reason ? { reason } : {}) },
  });
  log.info('pass revoked', { requestId: revoked.id });
  const left = await leaveOnboarding(ctx, revoked, 'revoked');
  await ctx.notifyUpdated(left);
  return left;
}

export async function reportSuspicious(ctx: FlowContext, actor: Actor, requestId: string, rawReason: unknown): Promise<TapRequest> {
  assertOwnTenant(ctx, actor);
  // Who may report comes first: someone with no part in the request learns only that.
  const request = await loadRequest(ctx, requestId);
  const by = partyOf(request, actor);
  if (!by) throw NOT_YOURS(request.id);
  const reason = cleanText(rawReason);
  if (reason.length < 3 || reason.length > NOTE_MAX) {
    throw new FlowError('invalidInput', said('reportNeedsReason', { max: NOTE_MAX }));
  }
  const now = ctx.clock();
  const suspicious = { by, at: now.toISOString(), reason };

  let reported = await ctx.repo.transition(request.id, ['PendingApproval', 'Approved', 'Issuing', 'Issued', 'Denied', 'Expired', 'Failed', 'Cancelled'], (r) => {
      const flagged = { ...r, suspicious: r.suspicious ?? suspicious };
      // A request still waiting for a decision is stopped: nobody can approve it any more.
      // A request still waiting for a decision, or for its morning, is stopped: nothing is made.
      return r.state === 'PendingApproval' || isWaitingToBeMade(r) ? { ...flagged, state: 'Cancelled', cancelledBy: by } : flagged;
  });
  await ctx.audit({
    action: 'request.reported',
    ...actorFields(actor),
    ...requestFields(reported),
    outcome: 'ok',
    details: { reason, stateWhenReported: request.state, suspicious: true },
  });
  log.warn('request reported as suspicious', { requestId: reported.id, stateWhenReported: request.state });

  if (reported.state === 'Issued') reported = await revokeIssued(ctx, actor, reported, by, said('reportedSuspicious', { reason }));
  else await ctx.notifyUpdated(reported);
  try {
    await ctx.notifier.reportSuspicious?.(reported);
  } catch (e) {
    log.error('could not tell the security contacts about a suspicious request', { requestId: reported.id, error: e });
  }
  return reported;
}
