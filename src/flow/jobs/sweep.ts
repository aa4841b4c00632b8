/**
 * Periodic housekeeping, driven by the index documents so it also covers what happened
 * while the bot was down: expire overdue approvals, hide codes of passes that expired.
 * Runs on one instance at a time (a background job under a lease, see background.ts), yet
 * stays safe on several at once, for the moment a lease changes hands: every change is a
 * compare-and-swap on the stored record, and losing a race just means someone else did it.
 */
import { flowLog as log, requestFields, type FlowContext } from '../context';
import { expireRequest } from '../store/transitions';
import { RequestClosedError } from '../errors';
import { isAwaitingDecision, isTerminal } from '../stateMachine';
import { isDueForIssue, isInterrupted, recoverInterrupted } from '../issue/recovery';
import { bulkRunIsOpen } from '../bulk/holds';
import { issue } from '../issue/issuance';
import { followThrough } from '../follow/followThrough';
import type { SweepResult, TapRequest } from '../types';
import { askAgain, UNASKED_GRACE_IN_MS } from '../request/intake';
import { tellUntoldOwners } from '../follow/ownerNotice';
import { remindOrEscalate } from '../decide/escalation';

export async function sweep(ctx: FlowContext, now: Date): Promise<SweepResult> {
  const [expired, codesHidden] = await Promise.all([expireOverdue(ctx, now), hideExpiredCodes(ctx, now), followThrough(ctx, now), tellOwnersLate(ctx, now)]);
  if (expired || codesHidden) log.info('sweep done', { expired, codesHidden });
  return { expired, codesHidden };
}

/**
 * Reads each open request once: expires overdue approvals, and fails issuances that a
 * crash interrupted (removing any pass they may have created).
 */
async function expireOverdue(ctx: FlowContext, now: Date): Promise<number> {
  const open = await ctx.repo.indexes.openEntries();
  let count = 0;
  for (const entry of open) {
    await oneAtATime(entry.id, 'settle an open request', async () => {
      const request = await ctx.repo.get(entry.id);
      if (!request || isTerminal(request.state)) {
        // A crash between two writes, or a finished request whose index cleanup failed.
        await ctx.repo.indexes.removeOpen(entry.id);
        return;
      }
      if (isDueForIssue(request, now)) {
        // Made now, fresh re-checks included, by whichever instance gets Approved → Issuing first.
        try {
          await issue(ctx, { aadObjectId: 'system', tenantId: request.tenantId, displayName: 'scheduled issue' }, request);
        } catch (e) {
          if (!(e instanceof RequestClosedError)) throw e; // another instance issued it first
        }
        return;
      }
      if (isInterrupted(request, now)) {
        // A bulk member's pass belongs to its run while the run is open: the run settles it
        // (settle.ts), and deleting it here would kill a code its page is about to show.
        if (request.bulk && (await bulkRunIsOpen(ctx.storage, request.bulk.id))) return;
        await recoverInterrupted(ctx, request);
        return;
      }
      if (isAwaitingDecision(request, now) && !request.approvalSentAt && now.getTime() - Date.parse(request.createdAt) > UNASKED_GRACE_IN_MS) {
        await askAgain(ctx, request);
        return;
      }
      if (isAwaitingDecision(request, now)) {
        // Nobody left waiting on a silent approver: a reminder, or the next approver.
        await remindOrEscalate(ctx, request, now);
        return;
      }
      if (request.state !== 'PendingApproval') return;
      if (await expireRequest(ctx, request.id)) count++;
    });
  }
  return count;
}

async function hideExpiredCodes(ctx: FlowContext, now: Date): Promise<number> {
  const due = (await ctx.repo.indexes.visiblePasses()).filter((e) => Date.parse(e.expiresDateTime) <= now.getTime());
  let count = 0;
  for (const entry of due) {
    await oneAtATime(entry.id, 'hide code', async () => {
      const hidden = await markCodeHidden(ctx, entry.id, now);
      if (hidden) {
        await ctx.audit({ action: 'tap.codeHidden', actorId: 'system', ...requestFields(hidden), outcome: 'ok', details: { reason: 'passExpired' } });
        count++;
      }
      await ctx.repo.indexes.removeVisiblePass(entry.id);
    });
  }
  return count;
}

/** Record that the code is hidden and hide it; undefined when there was nothing (left) to hide. */
async function markCodeHidden(ctx: FlowContext, id: string, now: Date): Promise<TapRequest | undefined> {
  let hidden: TapRequest | undefined;
  try {
    const current = await ctx.repo.get(id);
    if (!current?.delivery || current.delivery.codeHiddenAt) return undefined;
    hidden = await ctx.repo.transition(id, 'Issued', (r) => {
      if (!r.delivery || r.delivery.codeHiddenAt) throw new RequestClosedError(r);
      return { ...r, delivery: { ...r.delivery, codeHiddenAt: now.toISOString() } };
    });
  } catch (e) {
    if (e instanceof RequestClosedError) return undefined;
    throw e;
  }
  try {
    await ctx.notifier.hidePass(hidden);
  } catch (e) {
    log.warn('could not hide the code of an expired pass', { requestId: id, error: e });
  }
  return hidden;
}

/** One bad record must not stop the sweep for every other one; the next run retries it. */
async function oneAtATime(requestId: string, what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    log.error(`sweep could not ${what}`, { requestId, error: e });
  }
}

/** Owners of live passes who were never told (a crash right after delivery) hear of them now. */
async function tellOwnersLate(ctx: FlowContext, now: Date): Promise<number> {
  try {
    const live = (await ctx.repo.indexes.visiblePasses()).filter((e) => Date.parse(e.expiresDateTime) > now.getTime());
    return await tellUntoldOwners(ctx, live, now);
  } catch (e) {
    log.warn('could not tell the owners of passes late', { error: e });
    return 0;
  }
}
