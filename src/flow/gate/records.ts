/**
 * What the bot's own storage knows about the members of a bulk request, read for the gate
 * (memberVerdict.ts) exactly as a single request reads it for its one target: earlier passes
 * and reports (risk), a request still in flight (one open request per person), the passes
 * per person per day (velocity limit).
 */
import { passHistoryOf } from './assurance';
import type { FlowContext } from '../context';
import { LimitReachedError } from './limits';
import { isInFlight } from '../stateMachine';
import { holderOf } from './openRequestLock';
import type { MemberRecords } from './memberVerdict';

/** Members read at once: storage reads are cheap, but a blob store likes a bound. */
const IN_PARALLEL = 16;

export async function memberRecords(
  ctx: FlowContext,
  members: ReadonlyArray<{ id: string; displayName: string }>,
  ownBulkId: string | undefined,
  now: Date,
): Promise<Map<string, MemberRecords>> {
  const out = new Map<string, MemberRecords>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < members.length) {
      const m = members[next++]!;
      const requests = await ctx.repo.getMany(await ctx.repo.indexes.recentByTarget(m.id));
      // The member's own record in this very bulk request is not "another" open request.
      const open = requests.find((r) => isInFlight(r, now) && (ownBulkId === undefined || r.bulk?.id !== ownBulkId));
      const held = open ? undefined : await ctx.targetLocks.holdOf(m.id, now, ownBulkId);
      let limit: LimitReachedError | undefined;
      try {
        await ctx.limiter.assertPassAllowed({ id: m.id, displayName: m.displayName }, now);
      } catch (e) {
        if (!(e instanceof LimitReachedError)) throw e;
        limit = e;
      }
      out.set(m.id, {
        history: passHistoryOf(requests),
        ...(open ? { openElsewhere: { id: open.id, holder: holderOf(open) } } : held ? { openElsewhere: { id: held.id, holder: held.holder } } : {}),
        ...(limit ? { limit } : {}),
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_PARALLEL, members.length) }, worker));
  return out;
}
