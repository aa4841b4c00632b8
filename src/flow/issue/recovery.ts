/**
 * Issuance interrupted by a crash or a kill (the bot stopped between "Approved" and
 * "Issued"). Nothing may stay half-done: a pass that may exist but that nobody reliably
 * holds is deleted, and the request fails with a sentence saying what to do.
 */
import { flowLog as log, type FlowContext } from '../context';
import { failRequest } from '../store/transitions';
import { failure, RequestClosedError } from '../errors';
import { said, type StoredReason } from '../../i18n/said';
import type { Actor, TapRequest } from '../types';
import { deleteUnseenPasses } from './unseenPasses';
import { tellOwnerPassDeleted } from '../follow/ownerNotice';

/** Issuance takes seconds; a request still mid-issuance after this was interrupted. */
export const INTERRUPTED_AFTER_IN_MS = 5 * 60_000;

const CLOCK_SKEW_IN_MS = 5 * 60_000;

const SYSTEM: Actor = { aadObjectId: 'system', tenantId: '' };

export function isInterrupted(request: TapRequest, now: Date): boolean {
  // A pass prepared days ahead waits in Approved on purpose: the sweep issues it when due.
  if (request.state === 'Approved' && request.scheduledIssueAt) return false;
  return (request.state === 'Approved' || request.state === 'Issuing') && now.getTime() - Date.parse(request.updatedAt) > INTERRUPTED_AFTER_IN_MS;
}

/** Approved, prepared days ahead, and its moment has come. */
export function isDueForIssue(request: TapRequest, now: Date): boolean {
  return request.state === 'Approved' && request.scheduledIssueAt !== undefined && Date.parse(request.scheduledIssueAt) <= now.getTime();
}

/**
 * The rule for an ambiguous create (sent to Graph, no answer stored): it is never retried.
 * Graph shows a code only in its answer to the create, so a pass made then is held by
 * nobody; any pass of the target made since the decision is deleted and the agent asks
 * again, which takes a new approval.
 */
export async function recoverInterrupted(ctx: FlowContext, request: TapRequest): Promise<TapRequest | undefined> {
  const removed = request.state === 'Issuing' ? await deletePossiblePass(ctx, request) : 0;
  let failed: TapRequest;
  try {
    failed = await failRequest(ctx, { ...SYSTEM, tenantId: request.tenantId }, request, request.state, failure('interrupted', interrupted(request, removed)), { tapsRemoved: String(Math.max(removed, 0)) });
  } catch (e) {
    if (e instanceof RequestClosedError) return undefined; // finished meanwhile by someone else
    throw e;
  }
  if (request.issued) {
    // The pass card may have gone out before the crash: its code no longer works, so it goes.
    try {
      await ctx.notifier.hidePass(failed);
    } catch (e) {
      log.warn('could not hide the code of an interrupted issuance', { requestId: request.id, error: e });
    }
  }
  // An owner told of this pass (only a delivered pass is announced, but an instance of an
  // older release may share the store) must not be left believing it works.
  if (removed > 0) await tellOwnerPassDeleted(ctx, failed);
  return failed;
}

function interrupted(request: TapRequest, removed: number): StoredReason {
  if (request.state === 'Approved') return said('interruptedBeforeCreate');
  if (removed < 0) return said('interruptedNotRemoved', { upn: request.target.userPrincipalName });
  if (removed === 0) return said('interruptedNoneMade');
  return said('interruptedRemoved');
}

/**
 * Deletes the pass this request created: the stored method id, or (when the bot stopped
 * between Graph's answer and storing it) any pass of the target created since the decision.
 * Returns how many were removed, or -1 when removing failed.
 */
async function deletePossiblePass(ctx: FlowContext, request: TapRequest): Promise<number> {
  try {
    // Graph stamps createdDateTime with its own clock: allow for some skew.
    const since = Date.parse(request.decision?.at ?? request.updatedAt) - CLOCK_SKEW_IN_MS;
    const removed = await deleteUnseenPasses(ctx.graph, request.target.id, request.issued ? { methodId: request.issued.methodId } : { since });
    if (request.issued) await ctx.repo.indexes.removeVisiblePass(request.id).catch(() => undefined);
    return removed;
  } catch (e) {
    log.error('could not remove the pass of an interrupted issuance', { requestId: request.id, error: e });
    return -1;
  }
}
