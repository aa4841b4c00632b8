/**
 * Compare-and-swap on one key: read, let the caller compute the next value, write it only
 * if nobody changed the key meanwhile, else start over. The workflow's state transitions
 * and the audit index are built on this.
 */
import { ConcurrencyError } from '../errors';
import { ETAG_CREATE_ONLY, type DurableStorage } from './types';

/**
 * What `mutate` returns: the next value to store; `undefined` for "nothing to change"
 * (updateItem then returns the current item as it is); 'abort' to stop without writing
 * (updateItem returns undefined). `mutate` may run several times: keep it free of side
 * effects.
 */
export type Mutation<T> = T | undefined | 'abort';

export interface UpdateItemOptions {
  /** Extra attempts after a lost race. Default 5. */
  retries?: number;
  /** Upper bound of the random pause before attempt n is n × this. Default 5 ms. */
  backoffInMs?: number;
}

/** T is the stored shape without eTag; the result carries the eTag it was stored (or read) with. */
export async function updateItem<T extends object>(
  storage: DurableStorage,
  key: string,
  mutate: (current: T | undefined) => Mutation<T>,
  options: UpdateItemOptions = {},
): Promise<(T & { eTag: string }) | undefined> {
  const retries = options.retries ?? 5;
  const backoffInMs = options.backoffInMs ?? 5;
  for (let attempt = 0; ; attempt++) {
    const stored = (await storage.read([key]))[key] as (T & { eTag: string }) | undefined;
    const current = stored ? withoutETag(stored) : undefined;
    const next = mutate(current);
    if (next === 'abort') return undefined;
    if (next === undefined) return stored;
    // A new key is written create-only: of two concurrent creators exactly one wins.
    const eTag = stored ? stored.eTag : ETAG_CREATE_ONLY;
    const value = withoutETag(next);
    try {
      const newETag = await writeOne(storage, key, { ...value, eTag });
      return { ...value, eTag: newETag } as T & { eTag: string };
    } catch (e) {
      if (!(e instanceof ConcurrencyError) || attempt >= retries) throw e;
      // Random pause so that two losers do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * backoffInMs * (attempt + 1)));
    }
  }
}

async function writeOne(storage: DurableStorage, key: string, item: object): Promise<string> {
  if (storage.writeReturningETags) {
    const eTag = (await storage.writeReturningETags({ [key]: item }))[key];
    if (eTag !== undefined) return eTag;
  } else {
    await storage.write({ [key]: item });
  }
  // Storage without writeReturningETags: best effort, a later writer's eTag is possible.
  const reread = (await storage.read([key]))[key] as { eTag?: string } | undefined;
  if (!reread?.eTag) throw new ConcurrencyError(key);
  return reread.eTag;
}

function withoutETag<T extends object>(item: T): T {
  const { eTag: _ignored, ...rest } = item as T & { eTag?: unknown };
  return rest as T;
}
