/**
 * A bulk run's bookkeeping: members changed in storage, per-member audit events written off
 * the waves' critical path (a run ends only when they are written), and the cards refreshed
 * without a failed refresh undoing anything.
 */
import { AuditRefusedError } from '../../audit/auditLog';
import type { AuditSink } from '../../audit/types';
import { correlationFields } from '../../telemetry/correlation';
import { flowLog as log, makeAudit, type AuditInput } from '../context';
import type { BulkContext } from './context';
import type { BulkMember, BulkRequest } from './types';

export const SYSTEM = { actorId: 'system', actorName: 'bulk issuance' };

export async function patchMembers(ctx: BulkContext, bulkId: string, changed: BulkMember[]): Promise<BulkRequest> {
  const byId = new Map(changed.map((m) => [m.id, m]));
  // Their chunks only, not the whole request (repository.ts).
  return (await ctx.repo.updateMembers(bulkId, byId.keys(), (m) => byId.get(m.id))).bulk;
}

/** Per-member audit events go to the audit log's own queue (in order), off the waves' critical path; a run ends only when they are written. */
const pendingAudits = new Map<string, Promise<void>>();

export function queueMemberAudits(ctx: BulkContext, bulk: BulkRequest, members: BulkMember[]): void {
  const previous = pendingAudits.get(bulk.id) ?? Promise.resolve();
  pendingAudits.set(bulk.id, previous.then(() => writeMemberAudits(ctx, bulk, members)));
}

export async function auditsWritten(bulkId: string): Promise<void> {
  await pendingAudits.get(bulkId);
  pendingAudits.delete(bulkId);
}

/** A wave's member events: one append of several (one commit on SQLite), not one commit each. */
async function writeMemberAudits(ctx: BulkContext, bulk: BulkRequest, members: BulkMember[]): Promise<void> {
  const events: AuditInput[] = [];
  for (const m of members) {
    if (m.state !== 'issued' && m.state !== 'failed' && m.state !== 'refused') continue;
    events.push({
      action: 'bulk.member',
      ...SYSTEM,
      requestId: bulk.id,
      targetId: m.id,
      targetUpn: m.userPrincipalName,
      outcome: m.state === 'issued' ? 'issued' : (m.code ?? m.state),
      details: {
        stage: 'issuance',
        attempts: m.attempts,
        ...(m.methodId ? { methodId: m.methodId } : {}),
        ...(m.expiresDateTime ? { expiresDateTime: m.expiresDateTime } : {}),
        ...(m.page ? { page: m.page } : {}),
      },
    });
  }
  await ctx.auditMany(events);
}

/**
 * `makeAudit`'s rule for several events: stamped, written in order, a failure logged and never
 * thrown. A sink without `recordMany`, or a batch it refuses whole (one event looked secret),
 * gets them one by one, so the others are still written.
 */
export function makeAuditMany(sink: AuditSink, clock: () => Date): (events: AuditInput[]) => Promise<void> {
  const one = makeAudit(sink, clock);
  return async (events) => {
    if (events.length === 0) return;
    if (sink.recordMany && events.length > 1) {
      const stamped = events.map((e) => ({ at: clock().toISOString(), ...correlationFields(), ...e }));
      try {
        await sink.recordMany(stamped);
        return;
      } catch (e) {
        if (!(e instanceof AuditRefusedError)) {
          log.error('audit records failed', { action: events[0]?.action, requestId: events[0]?.requestId, events: events.length, error: e });
          return;
        }
      }
    }
    for (const e of events) await one(e);
  };
}

export async function safeUpdate(ctx: BulkContext, bulk: BulkRequest): Promise<void> {
  try {
    await ctx.notifier.bulkUpdated(bulk);
  } catch (e) {
    log.warn('could not refresh the cards of a bulk request', { requestId: bulk.id, error: e });
  }
}
