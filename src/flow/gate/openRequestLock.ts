/**
 * One open request per person, atomically, whatever road asked. A small lock document per
 * target names what holds it: a single request (`TAP-…`) or a bulk request (`BULK-…`) that
 * will make this member's pass. Taking it is a compare-and-swap, so of two submits for the
 * same person at the same instant (on one instance or two, single or bulk) exactly one wins.
 * The lock is never released: it simply stops counting once its holder is no longer in
 * flight for this person, which also covers a crash at any point.
 */
import { ConcurrencyError } from '../../errors';
import { ETAG_CREATE_ONLY, type DurableStorage } from '../../storage/types';
import { bulkHoldOn } from '../bulk/holds';
import { tooBusy } from '../store/requestIndexes';
import { parseBulkId } from '../requestId';
import type { RequestRepository } from '../store/requestRepository';
import { isInFlight, isWaitingToBeMade } from '../stateMachine';
import type { HolderFacts } from '../../i18n/en';
import type { TapRequest } from '../types';

interface LockDoc {
  requestId: string;
  claimedAt: string;
  eTag?: string;
}

/** What holds a person's lock, as facts for the refusal (its words are the catalogue's). */
export interface Hold {
  id: string;
  /** e.g. asked by Adele Vance, waiting for Nestor Wilke; or approved, made at 07:45 tomorrow. */
  holder: HolderFacts;
  /** The single request that holds it (absent for a bulk request). */
  request?: TapRequest;
}

/**
 * A lock whose request does not exist yet is being created right now (the lock is taken
 * just before the request is stored); after this long it was a crash.
 */
const CREATING_GRACE_IN_MS = 60_000;
const ATTEMPTS = 10;

const lockKey = (targetId: string): string => `lock/open-request/${encodeURIComponent(targetId)}`;

export type Claim = { claimed: true } | { claimed: false; holder: TapRequest | undefined; hold?: Hold };

export class TargetLocks {
  constructor(
    private readonly storage: DurableStorage,
    private readonly repo: RequestRepository,
  ) {}

  /** Takes the person's lock for `requestId` (a TAP or BULK id), unless another holder is still in flight. */
  claim(targetId: string, requestId: string, now: Date): Promise<Claim> {
    return claimTarget(this.storage, this.repo, targetId, requestId, now);
  }

  /** Who holds the person's lock and is still in flight, other than `except`; undefined when free. */
  async holdOf(targetId: string, now: Date, except?: string): Promise<Hold | undefined> {
    const key = lockKey(targetId);
    const lock = (await this.storage.read([key]))[key] as LockDoc | undefined;
    if (!lock || lock.requestId === except) return undefined;
    const hold = await holdIfInFlight(this.storage, this.repo, lock.requestId, targetId, now);
    return hold === 'creating' ? (now.getTime() - Date.parse(lock.claimedAt) < CREATING_GRACE_IN_MS ? { id: lock.requestId, holder: { stage: 'creating' } } : undefined) : hold;
  }
}

/** The holder, when it is still in flight for this person; 'creating' when its record does not exist (yet). */
async function holdIfInFlight(storage: DurableStorage, repo: RequestRepository, holderId: string, targetId: string, now: Date): Promise<Hold | undefined | 'creating'> {
  const bulkId = parseBulkId(holderId);
  if (bulkId) return bulkHoldOn(storage, bulkId, targetId, now);
  const holder = await repo.get(holderId);
  if (!holder) return 'creating';
  if (!isInFlight(holder, now)) return undefined;
  return { id: holder.id, holder: holderOf(holder), request: holder };
}

/**
 * Where a single request in flight stands, for a refusal: waiting for whom, or approved and
 * made at its instant (a pass prepared days ahead), or being made now.
 */
export function holderOf(request: TapRequest): HolderFacts {
  const requester = request.requester.displayName;
  if (request.state === 'PendingApproval') return { requester, stage: 'waiting', approvers: request.approver.people.map((p) => p.displayName) };
  if (isWaitingToBeMade(request)) return { requester, stage: 'scheduled', ...(request.scheduledIssueAt ? { makesAt: request.scheduledIssueAt } : {}) };
  return { requester, stage: 'issuing' };
}

async function claimTarget(storage: DurableStorage, repo: RequestRepository, targetId: string, requestId: string, now: Date): Promise<Claim> {
  const key = lockKey(targetId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const lock = (await storage.read([key]))[key] as LockDoc | undefined;
    if (lock && lock.requestId !== requestId) {
      const hold = await holdIfInFlight(storage, repo, lock.requestId, targetId, now);
      if (hold && hold !== 'creating') return { claimed: false, holder: hold.request, hold };
      if (hold === 'creating' && now.getTime() - Date.parse(lock.claimedAt) < CREATING_GRACE_IN_MS) return { claimed: false, holder: undefined };
    }
    try {
      const next: LockDoc = { requestId, claimedAt: now.toISOString(), eTag: lock?.eTag ?? ETAG_CREATE_ONLY };
      await storage.write({ [key]: next });
      return { claimed: true };
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
      // Someone else changed the lock between our read and write: look again.
    }
  }
  throw tooBusy();
}
