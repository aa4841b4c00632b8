/**
 * One open request per person, atomically. A small lock document per target names the
 * request that holds it; taking it is a compare-and-swap, so of two submits for the same
 * person at the same instant (on one instance or two) exactly one gets a request. The
 * lock is never released: it simply stops counting once the request it names is no longer
 * in flight, which also covers a crash at any point.
 */
import { ConcurrencyError } from '../errors';
import { ETAG_CREATE_ONLY, type DurableStorage } from '../storage/types';
import { tooBusy } from './requestIndexes';
import type { RequestRepository } from './requestRepository';
import { isInFlight } from './stateMachine';
import type { TapRequest } from './types';

interface LockDoc {
  requestId: string;
  claimedAt: string;
  eTag?: string;
}

/**
 * A lock whose request does not exist yet is being created right now (the lock is taken
 * just before the request is stored); after this long it was a crash.
 */
const CREATING_GRACE_IN_MS = 60_000;
const ATTEMPTS = 10;

const lockKey = (targetId: string): string => `lock/open-request/${encodeURIComponent(targetId)}`;

export type Claim = { claimed: true } | { claimed: false; holder: TapRequest | undefined };

export class TargetLocks {
  constructor(
    private readonly storage: DurableStorage,
    private readonly repo: RequestRepository,
  ) {}

  /** Takes the person's lock for `requestId`, unless a request still in flight holds it. */
  claim(targetId: string, requestId: string, now: Date): Promise<Claim> {
    return claimTarget(this.storage, this.repo, targetId, requestId, now);
  }
}

async function claimTarget(storage: DurableStorage, repo: RequestRepository, targetId: string, requestId: string, now: Date): Promise<Claim> {
  const key = lockKey(targetId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const lock = (await storage.read([key]))[key] as LockDoc | undefined;
    if (lock && lock.requestId !== requestId) {
      const holder = await repo.get(lock.requestId);
      if (holder && isInFlight(holder, now)) return { claimed: false, holder };
      if (!holder && now.getTime() - Date.parse(lock.claimedAt) < CREATING_GRACE_IN_MS) return { claimed: false, holder: undefined };
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
