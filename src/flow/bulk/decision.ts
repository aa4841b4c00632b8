/**
 * Deciding a bulk request (one approver of the bulk approver group, never the requester),
 * cancelling it, letting it expire, and hiding its codes after handover or expiry.
 */
import { FlowError } from '../../errors';
import { said } from '../../i18n/said';
import { actorFields } from '../context';
import { InvalidInputError } from '../errors';
import { includesId, sameId } from '../../identity';
import type { Actor } from '../types';
import { cleanText, NOTE_MAX } from '../request/validation';
import type { BulkContext } from './context';
import { scheduledIssueAt } from '../gate/schedule';
import { isOpenBulk, type BulkRequest } from './types';
import { bulkStepUpNeeded, holdBulkForStepUp, proofFits, type StepUpProof } from '../decide/stepUp';

export interface BulkDecisionInput {
  action: 'approve' | 'deny';
  /** Approve: the approver confirms they checked the list (e.g. against HR's joiner list). */
  attested?: boolean;
  denyReason?: string;
}

export const BULK_ATTESTATION = 'I checked the names listed to get a pass against the joiners HR expects (or another record I trust), and each of them should get one.';

function notYours(id: string, to: 'decide' | 'cancel' | 'change'): FlowError {
  return new FlowError('notParty', said('bulkNotYours', { id, to }));
}

/** `proof`: given only by the step-up (flow/decide/stepUp.ts), once the approver's fresh sign-in confirmed this approval. */
export async function decideBulk(ctx: BulkContext, actor: Actor, id: string, input: BulkDecisionInput, proof?: StepUpProof): Promise<BulkRequest> {
  const bulk = await ctx.repo.get(id);
  if (!bulk) throw new FlowError('requestNotFound', said('bulkNotFound', { id }));
  if (sameId(bulk.requester.id, actor.aadObjectId)) throw new FlowError('notParty', said('bulkAskedBySelf'));
  if (!includesId(bulk.approvers.map((p) => p.id), actor.aadObjectId)) throw notYours(id, 'decide');
  if (bulk.state !== 'PendingApproval') return bulk;
  if (Date.parse(bulk.expiresAt) <= ctx.clock().getTime()) return expireBulk(ctx, bulk);
  if (input.action === 'approve' && bulk.members.some((m) => m.state === 'pending' && sameId(m.id, actor.aadObjectId))) {
    throw new FlowError('notParty', said('bulkApproverIsMember'));
  }
  if (input.action === 'approve' && input.attested !== true) {
    throw new InvalidInputError([{ field: 'attested', said: said('bulkConfirmFirst') }]);
  }
  const denyReason = input.action === 'deny' ? cleanText(input.denyReason ?? '').slice(0, NOTE_MAX) : '';
  // Still in the approver group right now (the stored list is who was asked, not who may decide).
  const groups = await ctx.graph.memberGroups(actor.aadObjectId, [bulk.approverGroupId], { fresh: true });
  if (!groups.some((g) => sameId(g, bulk.approverGroupId))) throw notYours(id, 'decide');
  if (proof && !proofFits(proof, actor, bulk)) throw notYours(id, 'decide');
  // One click for many passes: held until the approver signs in again (step-up), like a single approval.
  if (!proof && bulkStepUpNeeded(ctx.config.stepUp, input.action)) throw await holdBulkForStepUp(ctx.gate, actor, bulk.id);
  const by = bulk.approvers.find((p) => sameId(p.id, actor.aadObjectId)) ?? { id: actor.aadObjectId, displayName: actor.displayName ?? actor.aadObjectId, userPrincipalName: '' };
  const at = ctx.clock().toISOString();
  const issueAt = scheduledIssueAt(bulk.settings.startDateTime, ctx.clock());
  const decided = await ctx.repo.update(id, (b) =>
    b.state === 'PendingApproval'
      ? {
          ...b,
          state: input.action === 'approve' ? 'Issuing' : 'Denied',
          decision: { by, at, action: input.action, ...(input.action === 'approve' ? { attestation: BULK_ATTESTATION } : denyReason ? { denyReason } : {}) },
          ...(input.action === 'approve' && issueAt ? { scheduledIssueAt: issueAt } : {}),
          ...(input.action === 'deny' ? { finishedAt: at } : {}),
        }
      : undefined,
  );
  if (decided.decision?.at !== at) return decided; // someone else decided first
  await ctx.audit({
    action: input.action === 'approve' ? 'bulk.approved' : 'bulk.denied',
    ...actorFields(actor),
    requestId: id,
    outcome: 'ok',
    details: { eligible: decided.members.filter((m) => m.state === 'pending').length, ...(input.action === 'approve' ? { attestation: BULK_ATTESTATION } : denyReason ? { denyReason } : {}) },
  });
  try {
    await ctx.notifier.bulkUpdated(decided);
  } catch {
    // The decision stands; the cards catch up with the progress updates.
  }
  return decided;
}

export async function cancelBulk(ctx: BulkContext, actor: Actor, id: string): Promise<BulkRequest> {
  const bulk = await ctx.repo.get(id);
  if (!bulk) throw new FlowError('requestNotFound', said('bulkNotFound', { id }));
  const mayCancel = sameId(bulk.requester.id, actor.aadObjectId) || includesId(bulk.approvers.map((p) => p.id), actor.aadObjectId);
  if (!mayCancel) throw notYours(id, 'cancel');
  if (!isOpenBulk(bulk)) throw new FlowError('bulkNotOpen', said('bulkNotOpen', { id, state: bulk.state }));
  const by = sameId(bulk.requester.id, actor.aadObjectId) ? bulk.requester : (bulk.approvers.find((p) => sameId(p.id, actor.aadObjectId)) ?? bulk.requester);
  const cancelled = await ctx.repo.update(id, (b) => (isOpenBulk(b) ? { ...b, state: 'Cancelled', cancelledBy: by, finishedAt: ctx.clock().toISOString() } : undefined));
  await ctx.audit({ action: 'bulk.cancelled', ...actorFields(actor), requestId: id, outcome: 'ok', details: { wasIssuing: bulk.state === 'Issuing', issued: cancelled.members.filter((m) => m.state === 'issued').length } });
  try {
    await ctx.notifier.bulkUpdated(cancelled);
  } catch {
    // stored; the cards are refreshed on the next change
  }
  return cancelled;
}

export async function expireBulk(ctx: BulkContext, bulk: BulkRequest): Promise<BulkRequest> {
  const expired = await ctx.repo.update(bulk.id, (b) => (b.state === 'PendingApproval' ? { ...b, state: 'Expired', finishedAt: ctx.clock().toISOString() } : undefined));
  if (expired.state === 'Expired' && bulk.state === 'PendingApproval') {
    await ctx.audit({ action: 'bulk.expired', actorId: 'system', requestId: bulk.id, outcome: 'ok' });
    try {
      await ctx.notifier.bulkUpdated(expired);
    } catch {
      // stored
    }
  }
  return expired;
}

/** The recipient handed the codes of a page over: the page shows no codes any more. */
export async function bulkPageHandedOver(ctx: BulkContext, actor: Actor, id: string, pageNumber: number): Promise<BulkRequest> {
  const bulk = await ctx.repo.get(id);
  const page = bulk?.pages.find((p) => p.n === pageNumber);
  if (!bulk || !page || !sameId(page.recipientId, actor.aadObjectId)) throw notYours(id, 'change');
  return hidePage(ctx, bulk, pageNumber);
}

export async function hidePage(ctx: BulkContext, bulk: BulkRequest, pageNumber: number): Promise<BulkRequest> {
  const updated = await ctx.repo.update(bulk.id, (b) => {
    const page = b.pages.find((p) => p.n === pageNumber);
    if (!page || page.codesHidden) return undefined;
    return { ...b, pages: b.pages.map((p) => (p.n === pageNumber ? { ...p, codesHidden: true } : p)) };
  });
  const page = updated.pages.find((p) => p.n === pageNumber);
  if (page && ctx.notifier.hideBulkPage) {
    try {
      await ctx.notifier.hideBulkPage(updated, page);
    } catch {
      // stored; the next sweep tries again only for expiry, so the card may still show the codes
    }
  }
  return updated;
}
