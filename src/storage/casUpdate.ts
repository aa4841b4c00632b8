/**
 * Compare-and-swap on one key: read, let the caller compute the next value, write it only
 * if nobody changed the key meanwhile, else start over. The workflow's state transitions
 * and the audit index are built on this, and so are the entry lists below.
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

/** A list kept under one key as `{ entries }`: the open requests, the passes on screen, the follow-through, the onboarding group. */
export interface EntriesDoc<T> {
  entries: T[];
}

/** A change of such a list: the next list, or undefined for "nothing to change". */
export type EntriesChange<T> = (entries: T[]) => T[] | undefined;

/** The list's change as a change of its document, for updateItem or any other compare-and-swap. */
export function changeOfEntries<T>(change: EntriesChange<T>): (doc: EntriesDoc<T> | undefined) => EntriesDoc<T> | undefined {
  return (doc) => {
    const next = change(doc?.entries ?? []);
    return next === undefined ? undefined : { entries: next };
  };
}

/** Compare-and-swap on the list stored under `key`. */
export async function updateEntries<T>(storage: DurableStorage, key: string, change: EntriesChange<T>, options: UpdateItemOptions = {}): Promise<void> {
  await updateItem<EntriesDoc<T>>(storage, key, changeOfEntries(change), options);
}

/** The list stored under `key`; empty when there is none. */
export async function readEntries<T>(storage: DurableStorage, key: string): Promise<T[]> {
  const doc = (await storage.read([key]))[key] as EntriesDoc<T> | undefined;
  return doc?.entries ?? [];
}

/** Adds `entry` unless an entry with its id is there already. */
export function withEntry<T extends { id: string }>(entry: T): EntriesChange<T> {
  return (entries) => (entries.some((e) => e.id === entry.id) ? undefined : [...entries, entry]);
}

/** Drops the entry with this id, if there is one. */
export function withoutEntry<T extends { id: string }>(id: string): EntriesChange<T> {
  return (entries) => (entries.some((e) => e.id === id) ? entries.filter((e) => e.id !== id) : undefined);
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
