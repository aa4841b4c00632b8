/**
 * Members whose create may have made a pass nobody has the code of (a crash between "sent"
 * and "delivered", an unanswered create, a page that never arrived): the engine never
 * re-sends blindly. It lists the member's passes: none made since the create went out is safe
 * to send again; one made since is deleted and the member failed with the reason.
 */
import { GraphError } from '../../errors';
import { said } from '../../i18n/said';
import { reasonOf } from '../errors';
import { flowLog as log } from '../context';
import { deleteUnseenPasses, GRAPH_CLOCK_SKEW_IN_MS } from '../issue/unseenPasses';
import { patchMembers, queueMemberAudits, safeUpdate } from './bookkeeping';
import type { BulkContext } from './context';
import { recordLost } from './memberRecords';
import type { BulkMember, BulkRequest } from './types';

/**
 * A bulk run's lease (60 s, engine.ts) plus the longest one create `$batch` may take: it is sent
 * once, never retried, and the transport gives up after 30 s (graph/transport.ts).
 */
const SENT_IS_OURS_FOR_MS = 90_000;

/** After a crash: members caught between "sent" and "delivered" are settled before anything is sent. */
export async function reconcile(ctx: BulkContext, bulk: BulkRequest): Promise<BulkRequest> {
  // A create sent moments ago may still be answered to the instance that sent it (its lease
  // lapsed during a long call): settling it now would send it a second time. Only creates
  // older than a lease and a Graph call are another instance's to settle.
  const now = ctx.clock().getTime();
  const settledByOthersAfter = (m: BulkMember): boolean => m.state !== 'sending' || !m.sentAt || now - Date.parse(m.sentAt) > SENT_IS_OURS_FOR_MS;
  const unsure = bulk.members.filter((m) => (m.state === 'sending' || m.state === 'created') && settledByOthersAfter(m));
  if (unsure.length === 0) return bulk;
  log.warn('bulk run resumes after an interruption', { requestId: bulk.id, unsure: unsure.length });
  const settled = await Promise.all(unsure.map((m) => settleAmbiguous(ctx, m, m.state === 'created' ? 'created' : 'sending', bulk.decision?.at)));
  const after = await patchMembers(ctx, bulk.id, settled);
  await Promise.all(settled.filter((m) => m.state === 'failed').map((m) => recordLost(ctx, m, m.said ?? m.reason ?? said('memberCodeLost'), m.code ?? 'codeLost')));
  queueMemberAudits(ctx, after, settled.filter((m) => m.state === 'failed'));
  return after;
}

/**
 * A member whose create may have made a pass nobody has the code of: look, delete what we
 * made, and either send again (nothing was made) or fail with the reason.
 */
export async function settleAmbiguous(ctx: BulkContext, m: BulkMember, how: 'sending' | 'created' | 'unanswered', approvedAt?: string): Promise<BulkMember> {
  const sentAt = Math.max(m.sentAt ? Date.parse(m.sentAt) - GRAPH_CLOCK_SKEW_IN_MS : 0, approvedAt ? Date.parse(approvedAt) : 0);
  try {
    const deleted = await deleteUnseenPasses(ctx.graph, m.id, m.methodId ? { methodId: m.methodId } : { since: sentAt });
    // A create whose answer never came, and which made nothing: safe to send again.
    if (deleted === 0 && how !== 'created') return { ...m, state: 'pending' };
    if (deleted === 0) {
      return { ...m, state: 'failed', code: 'codeLost', ...reasonOf(said('memberCodeLost')) };
    }
    const reason = reasonOf(how === 'unanswered' ? said('memberUnansweredDeleted') : said('memberLostAfterSend'));
    return { ...m, state: 'failed', code: 'codeLost', ...reason, sentAt: m.sentAt ?? new Date(0).toISOString() };
  } catch (e) {
    const why = e instanceof GraphError ? (e.said ?? e.userMessage) : said('unexpectedError');
    return { ...m, state: 'failed', code: 'unsure', ...reasonOf(said('memberMayHoldPass', { why })) };
  }
}

/** A stopped request: members still waiting get no pass, and say why. */
export async function closeUnsettled(ctx: BulkContext, bulk: BulkRequest): Promise<BulkRequest> {
  const closed = await ctx.repo.update(bulk.id, (b) => {
    if (!b.members.some((m) => m.state === 'pending')) return undefined;
    // The request's own reason is shown once, above its members: a member line does not repeat it.
    const reason = reasonOf(b.state === 'Cancelled' ? said('memberCancelled', b.cancelledBy ? { by: b.cancelledBy.displayName } : {}) : said('memberRequestStopped'));
    return { ...b, members: b.members.map((m) => (m.state === 'pending' ? { ...m, state: 'failed', code: b.state === 'Cancelled' ? 'cancelled' : 'stopped', ...reason } : m)) };
  });
  await safeUpdate(ctx, closed);
  return closed;
}
