/**
 * A bulk request as a holder of a member's one-open-request lock (openRequestLock.ts): it
 * holds it while the request is open and that member's pass is still to be made. Read
 * through the repository's readers (the head, then the member's chunk): either stored layout.
 */
import type { DurableStorage } from '../../storage/types';
import type { HolderFacts } from '../../i18n/en';
import { readBulkHead, readBulkMember } from './repository';

export async function bulkHoldOn(storage: DurableStorage, bulkId: string, memberId: string, now: Date): Promise<{ id: string; holder: HolderFacts } | undefined> {
  const bulk = await readBulkHead(storage, bulkId);
  if (!bulk) return undefined;
  const waiting = bulk.state === 'PendingApproval' && now.getTime() <= Date.parse(bulk.expiresAt);
  if (!waiting && bulk.state !== 'Issuing') return undefined;
  const member = await readBulkMember(storage, bulkId, bulk, memberId);
  if (!member || (member.state !== 'pending' && member.state !== 'sending' && member.state !== 'created')) return undefined;
  const scheduled = !waiting && bulk.scheduledIssueAt !== undefined && !bulk.startedAt;
  const stage = waiting ? 'waiting' : scheduled ? 'scheduled' : 'issuing';
  return { id: bulk.id, holder: { group: bulk.group.displayName, requester: bulk.requester.displayName, stage, ...(scheduled && bulk.scheduledIssueAt ? { makesAt: bulk.scheduledIssueAt } : {}) } };
}

/** The bulk request is still running (or waiting to run): its members' passes are its to settle. */
export async function bulkRunIsOpen(storage: DurableStorage, bulkId: string): Promise<boolean> {
  const bulk = await readBulkHead(storage, bulkId);
  return bulk !== undefined && bulk.state === 'Issuing';
}
