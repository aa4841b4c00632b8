/**
 * A bulk member's pass as a request record of its own (`TAP-…`, linked to its `BULK-…`), so
 * it can be seen (`status <upn>`), stopped (`revoke`, `report`, "This wasn't me"), counted
 * against the per-person limit, and told to its owner like any other pass. The record is
 * made when Graph answers the create (state Issuing, so the sweep's crash recovery knows the
 * pass), becomes Issued when its result page is delivered, and Failed when its pass is lost.
 */
import { BULK_ATTESTATION } from './decision';
import { flowLog as log, requestFields } from '../context';
import { failure, RequestClosedError, sentence } from '../errors';
import { said, type StoredReason } from '../../i18n/said';
import { markReplaced } from '../stop/livePass';
import { joinOnboarding } from '../follow/onboarding';
import { watchRegistration } from '../follow/followThrough';
import { ownerGuideUrl, tellOwner } from '../follow/ownerNotice';
import { revokeIssued } from '../stop/revoke';
import type { IssuedFacts, TapRequest } from '../types';
import type { BulkContext } from './context';
import type { BulkMember, BulkRequest } from './types';

const ID_ATTEMPTS = 5;

function memberRequest(ctx: BulkContext, bulk: BulkRequest, member: BulkMember, id: string, issued: IssuedFacts): TapRequest {
  const now = ctx.clock().toISOString();
  const deciders = bulk.decision ? [bulk.decision.by] : bulk.approvers;
  return {
    id,
    state: 'Issuing',
    createdAt: now,
    updatedAt: now,
    expiresAt: bulk.expiresAt,
    tenantId: bulk.tenantId,
    requester: bulk.requester,
    target: { id: member.id, displayName: member.displayName, userPrincipalName: member.userPrincipalName, ...(member.department ? { department: member.department } : {}) },
    approver: { kind: 'fallbackGroup', ids: deciders.map((p) => p.id), people: deciders },
    scenario: bulk.scenario,
    reason: bulk.reason,
    ...(bulk.ticket ? { ticket: bulk.ticket } : {}),
    settings: bulk.settings,
    replacesExistingTap: member.replacesExisting === true,
    approvalSentAt: bulk.createdAt,
    deliveryRecipient: bulk.deliverTo === 'manager' ? 'manager' : 'agent',
    ...(bulk.decision
      ? { decision: { by: bulk.decision.by, at: bulk.decision.at, action: 'approve' as const, attestationNote: `Bulk request ${bulk.id} for ${bulk.group.displayName}: ${bulk.decision.attestation ?? BULK_ATTESTATION}` } }
      : {}),
    issued,
    bulk: { id: bulk.id, ...(member.managerId ? { managerId: member.managerId } : {}) },
  };
}

/** The pass was created: its record exists before any code is shown. Returns the record's id. */
export async function recordCreated(ctx: BulkContext, bulk: BulkRequest, member: BulkMember, issued: IssuedFacts): Promise<string> {
  for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
    const id = attempt === 0 && member.requestId ? member.requestId : ctx.gate.newId();
    const existing = await ctx.gate.repo.get(id);
    if (existing?.bulk?.id === bulk.id && existing.target.id === member.id) return id; // made before a restart
    if (existing) continue;
    if (await ctx.gate.repo.createMember(memberRequest(ctx, bulk, member, id, issued))) return id;
  }
  throw new Error('Could not allocate a free request id for a bulk member.');
}

/**
 * The page with the code reached its reader: the record is Issued, earlier passes it replaced
 * are marked so, and the pass counts against the per-person limit. Then, off the critical
 * path: the onboarding group, the registration follow-through, and the owner's notice.
 */
export async function recordDelivered(ctx: BulkContext, bulk: BulkRequest, member: BulkMember, recipientId: string): Promise<boolean> {
  if (!member.requestId) return false;
  const g = ctx.gate;
  const now = g.clock();
  let issued: TapRequest;
  try {
    issued = await g.repo.transition(member.requestId, 'Issuing', (r) => ({
      ...r,
      state: 'Issued',
      delivery: { recipientId, recipientKind: recipientId === bulk.requester.id ? 'agent' : 'manager', deliveredAt: now.toISOString() },
    }));
  } catch (e) {
    log.warn('a bulk member record could not be marked issued', { requestId: member.requestId, bulkId: bulk.id, error: e });
    return false;
  }
  await g.limiter.countPass(member.id, now).catch((e: unknown) => log.error('could not count a bulk pass against the daily limit', { requestId: issued.id, error: e }));
  await g.repo.indexes.addVisiblePass({ id: issued.id, expiresDateTime: issued.issued!.expiresDateTime }).catch(() => undefined);
  await markReplaced(g, member.id, issued.id, now);
  await g.audit({ action: 'tap.issued', actorId: 'system', actorName: 'bulk issuance', ...requestFields(issued), outcome: 'ok', details: { bulkId: bulk.id, methodId: issued.issued!.methodId, expiresDateTime: issued.issued!.expiresDateTime } });
  if (issued.suspicious) {
    // Reported or disputed while its page was on the way (the record is visible in status): it must not stay live.
    await revokeIssued(g, { aadObjectId: 'system', tenantId: issued.tenantId, displayName: 'bulk issuance' }, issued, issued.suspicious.by, said('reportedWhileDelivering', { reason: issued.suspicious.reason })).catch((e: unknown) =>
      log.error('a bulk pass reported during delivery could not be revoked', { requestId: issued.id, error: e }),
    );
    return true;
  }
  g.track(
    (async () => {
      const done = await joinOnboarding(g, issued);
      await watchRegistration(g, done);
      // The command line has no Teams: the running bot's sweep tells these owners (ownerNotice.ts).
      if (bulk.via === 'teams') await tellOwner(g, done, ownerGuideUrl(g, done));
    })(),
  );
  return true;
}

/** The pass was deleted (its code reached nobody, or a crash lost it): the record says so. */
export async function recordLost(ctx: BulkContext, member: BulkMember, reason: StoredReason | string, code: string): Promise<void> {
  if (!member.requestId) return;
  const lost = typeof reason === 'string' ? { code, message: reason } : failure(code, reason);
  try {
    const failed = await ctx.gate.repo.transition(member.requestId, ['Issuing'], (r) => ({ ...r, state: 'Failed', failure: lost }));
    await ctx.gate.audit({ action: 'tap.failed', actorId: 'system', actorName: 'bulk issuance', ...requestFields(failed), outcome: code, details: { message: lost.message } });
  } catch (e) {
    if (e instanceof RequestClosedError) return; // the sweep's recovery closed it first
    log.warn('a bulk member record could not be failed', { requestId: member.requestId, error: e });
  }
}

/** The manager of joiners who got passes hears of them once, with a way to stop any (never a code). */
export async function tellManagers(ctx: BulkContext, bulk: BulkRequest, members: BulkMember[]): Promise<void> {
  const tell = ctx.gate.notifier.tell;
  if (!tell || bulk.via !== 'teams' || !ctx.gate.config.ownerNotice?.enabled) return;
  // Only passes that still work: one stopped or replaced meanwhile is not "issued" news.
  const records = await ctx.gate.repo.getMany(members.map((m) => m.requestId).filter((id): id is string => id !== undefined));
  const live = new Set(records.filter((r) => r.state === 'Issued' && !r.revocation && !r.replacedBy).map((r) => r.id));
  const byManager = new Map<string, BulkMember[]>();
  for (const m of members) if (m.managerId && m.requestId && live.has(m.requestId)) byManager.set(m.managerId, [...(byManager.get(m.managerId) ?? []), m]);
  for (const [managerId, joiners] of byManager) {
    const message = sentence(
      said('managerBulkNotice', {
        requester: bulk.requester.displayName,
        bulkId: bulk.id,
        group: bulk.group.displayName,
        ...(bulk.decision ? { approver: bulk.decision.by.displayName } : {}),
        joiners: joiners.map((m) => ({ name: m.displayName, upn: m.userPrincipalName, id: m.requestId ?? '', ...(m.expiresDateTime ? { until: m.expiresDateTime } : {}) })),
      }),
      ctx.gate.config.orgTimeZone,
    );
    try {
      await tell.call(ctx.gate.notifier, managerId, message);
      await ctx.gate.audit({ action: 'owner.notified', actorId: 'system', requestId: bulk.id, outcome: 'ok', details: { managerId, members: joiners.length, via: 'manager' } });
    } catch (e) {
      log.warn('the manager of bulk members could not be told', { bulkId: bulk.id, managerId, error: e });
    }
  }
}

