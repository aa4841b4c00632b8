/**
 * A bulk request as a holder of a member's one-open-request lock (openRequestLock.ts): it
 * holds it while the request is open and that member's pass is still to be made.
 */
import type { DurableStorage } from '../../storage/types';
import { sameId } from '../../identity';
import type { HolderFacts } from '../../i18n/en';
import { bulkKey } from './repository';
import type { BulkRequest } from './types';

export async function bulkHoldOn(storage: DurableStorage, bulkId: string, memberId: string, now: Date): Promise<{ id: string; holder: HolderFacts } | undefined> {
  const key = bulkKey(bulkId);
  const bulk = (await storage.read([key]))[key] as BulkRequest | undefined;
  if (!bulk) return undefined;
  const waiting = bulk.state === 'PendingApproval' && now.getTime() <= Date.parse(bulk.expiresAt);
  if (!waiting && bulk.state !== 'Issuing') return undefined;
  const member = bulk.members.find((m) => sameId(m.id, memberId));
  if (!member || (member.state !== 'pending' && member.state !== 'sending' && member.state !== 'created')) return undefined;
  const scheduled = !waiting && bulk.scheduledIssueAt !== undefined && !bulk.startedAt;
  const stage = waiting ? 'waiting' : scheduled ? 'scheduled' : 'issuing';
  return { id: bulk.id, holder: { group: bulk.group.displayName, requester: bulk.requester.displayName, stage, ...(scheduled && bulk.scheduledIssueAt ? { makesAt: bulk.scheduledIssueAt } : {}) } };
}

/** The bulk request is still running (or waiting to run): its members' passes are its to settle. */
export async function bulkRunIsOpen(storage: DurableStorage, bulkId: string): Promise<boolean> {
  const key = bulkKey(bulkId);
  const bulk = (await storage.read([key]))[key] as BulkRequest | undefined;
  return bulk !== undefined && bulk.state === 'Issuing';
}
