/**
 * `revoke BULK-…`: stop every pass a bulk request made. Each member's pass is stopped through
 * the same rule as a single one (revoke.ts: the pass the user holds now, said exactly), and
 * a request still open is stopped first, so nothing more is made.
 */
import { FlowError } from '../../errors';
import { said } from '../../i18n/said';
import { flowLog as log } from '../context';
import { includesId, sameId } from '../../identity';
import { revokeIssued } from '../stop/revoke';
import type { Actor, Person } from '../types';
import type { BulkContext } from './context';
import { cancelBulk } from './decision';
import { isOpenBulk, type BulkRequest } from './types';

export interface BulkRevocation {
  bulk: BulkRequest;
  /** Passes deleted (a member's own, or a later one of the bot's that had replaced it). */
  deleted: number;
  /** Members whose pass was no longer live (expired, used, replaced by a later pass, or stopped before). */
  nothingLive: number;
  /** Members whose pass could not be stopped now (Graph refused): named, to try again. */
  notStopped: string[];
}

export async function revokeAll(ctx: BulkContext, actor: Actor, id: string, reason?: string): Promise<BulkRevocation> {
  let bulk = await ctx.repo.get(id);
  if (!bulk) throw new FlowError('requestNotFound', said('bulkNotFound', { id }));
  const deciders = [...bulk.approvers, ...(bulk.decision ? [bulk.decision.by] : [])];
  const by: Person | undefined = sameId(bulk.requester.id, actor.aadObjectId) ? bulk.requester : deciders.find((p) => sameId(p.id, actor.aadObjectId));
  if (!by || !includesId(deciders.map((p) => p.id).concat(bulk.requester.id), actor.aadObjectId)) {
    throw new FlowError('notParty', said('bulkNotYoursToStop', { id }));
  }
  if (isOpenBulk(bulk)) bulk = await cancelBulk(ctx, actor, id);
  const why = said('stoppedWith', { id, ...(reason ? { why: reason } : {}) });
  const result: BulkRevocation = { bulk, deleted: 0, nothingLive: 0, notStopped: [] };
  for (const m of bulk.members.filter((x) => x.state === 'issued' && x.requestId)) {
    const request = await ctx.gate.repo.get(m.requestId as string);
    if (!request || request.state !== 'Issued') continue;
    // Stopped already, or replaced by someone else's later pass (their request, their call): not ours to delete.
    if (request.revocation || request.replacedBy) {
      result.nothingLive++;
      continue;
    }
    try {
      const stopped = await revokeIssued(ctx.gate, actor, request, by, why);
      const s = stopped.revocation?.stopped;
      if (s && s.deleted.length > 0) result.deleted += s.deleted.length;
      else result.nothingLive++;
    } catch (e) {
      log.warn('a bulk member pass could not be stopped', { requestId: request.id, bulkId: id, error: e });
      result.notStopped.push(`${m.displayName} (${request.id})`);
    }
  }
  return result;
}
