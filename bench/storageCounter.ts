/**
 * Counts what the bot asks of its store, by wrapping the two backends' classes for the
 * length of a benchmark (the bot builds its own store from its config, so the count sits
 * on the class it builds from, not on an instance handed in). Counted, per backend:
 *
 * - SQLite: a durable write is one committed transaction (one `write`/`delete` call or one
 *   `updateAtomically` step that wrote), however many keys it carries; reads are transactions
 *   too. A commit survives a crash of the process at once; `diskSyncs` counts the waits for
 *   the disk (a `barrier()` that had commits to keep, before a pass is made or a code shown),
 *   which is what a power cut cannot take.
 * - Blobs: every key written or deleted is its own HTTP request and its own durable write
 *   (Azure Blob Storage has no multi-blob transaction), each on disk when Azure answers, so
 *   every write is also a disk sync; every key read is a GET.
 *
 * Nothing is changed: each wrapped call goes to the original with the same arguments.
 */
import { SqliteStorage } from '../src/storage/sqliteStorage';
import { createBlobsStorage } from '../src/storage/blobsStorage';
import { ETAG_CREATE_ONLY, type StoreItems } from '../src/storage/types';

export interface StorageCounts {
  /** Durable commits: SQLite transactions that wrote, or blob PUT/DELETE requests. */
  durableWrites: number;
  /** Waits for the disk: SQLite barriers that had commits to keep; for blobs, every write. */
  diskSyncs: number;
  /** Keys written or deleted (a SQLite transaction may carry several). */
  keysWritten: number;
  /** Bytes of JSON written (values without eTag). */
  bytesWritten: number;
  /** Storage calls that went to the store: transactions (SQLite) or HTTP requests (blobs), reads included. */
  roundTrips: number;
  /** Keys written, by family (`request`, `audit-chain/event`, `limits/agent-requests`, …). */
  byFamily: Record<string, number>;
  /** Bytes written, by family. */
  bytesByFamily: Record<string, number>;
}

export interface StorageCounter {
  readonly counts: StorageCounts;
  /** A copy of the counts now. */
  snapshot(): StorageCounts;
  /** Resolves once no storage call is in flight and none started for `quietInMs`. */
  settled(quietInMs?: number, maxInMs?: number): Promise<void>;
  restore(): void;
}

export function emptyCounts(): StorageCounts {
  return { durableWrites: 0, diskSyncs: 0, keysWritten: 0, bytesWritten: 0, roundTrips: 0, byFamily: {}, bytesByFamily: {} };
}

/** b − a, family by family. */
export function difference(b: StorageCounts, a: StorageCounts): StorageCounts {
  const minus = (x: Record<string, number>, y: Record<string, number>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(x)) {
      const d = v - (y[k] ?? 0);
      if (d !== 0) out[k] = d;
    }
    return out;
  };
  return {
    durableWrites: b.durableWrites - a.durableWrites,
    diskSyncs: b.diskSyncs - a.diskSyncs,
    keysWritten: b.keysWritten - a.keysWritten,
    bytesWritten: b.bytesWritten - a.bytesWritten,
    roundTrips: b.roundTrips - a.roundTrips,
    byFamily: minus(b.byFamily, a.byFamily),
    bytesByFamily: minus(b.bytesByFamily, a.bytesByFamily),
  };
}

/** `request/abc` → `request`, `bulk/BULK-1` → `bulk`; `limits/agent-requests/x` → `limits/agent-requests`; `audit-chain/event/…` → `audit-chain/event`. */
function familyOf(key: string): string {
  const parts = key.split('/');
  if (parts[0] === 'limits' || parts[0] === 'index' || parts[0] === 'audit-chain') return parts.slice(0, 2).join('/');
  return parts[0] ?? key;
}

type Method = (...args: never[]) => Promise<unknown>;

/**
 * Wraps `kind`'s class until restore(). For blobs the class is not exported: its prototype
 * is taken from an instance that is never used (no request is made before a call).
 */
export function countStorage(kind: 'sqlite' | 'blobs'): StorageCounter {
  const counts = emptyCounts();
  let inFlight = 0;
  let lastActivity = performance.now();
  const proto: Record<string, Method> =
    kind === 'sqlite'
      ? (SqliteStorage.prototype as unknown as Record<string, Method>)
      : (Object.getPrototypeOf(createBlobsStorage({ connectionString: 'UseDevelopmentStorage=true', container: 'unused' })) as Record<string, Method>);
  const originals = new Map<string, Method>();

  const countWrites = (changes: StoreItems): void => {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag: _eTag, ...value } = item as Record<string, unknown>;
      const bytes = Buffer.byteLength(JSON.stringify(value));
      const family = familyOf(key);
      counts.keysWritten++;
      counts.bytesWritten += bytes;
      counts.byFamily[family] = (counts.byFamily[family] ?? 0) + 1;
      counts.bytesByFamily[family] = (counts.bytesByFamily[family] ?? 0) + bytes;
    }
  };
  const wrap = (name: string, count: (...args: never[]) => void): void => {
    const original = proto[name];
    if (!original) throw new Error(`storage ${kind} has no ${name}`);
    originals.set(name, original);
    proto[name] = async function (this: unknown, ...args: never[]): Promise<unknown> {
      count(...args);
      inFlight++;
      lastActivity = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        inFlight--;
        lastActivity = performance.now();
      }
    } as Method;
  };

  if (kind === 'sqlite') {
    // write() calls writeReturningETags(): counted there, once.
    wrap('writeReturningETags', (changes: StoreItems) => {
      if (Object.keys(changes).length === 0) return;
      counts.durableWrites++;
      counts.roundTrips++;
      countWrites(changes);
    });
    wrap('read', () => void counts.roundTrips++);
    // A step's reads and writes are one transaction: one round trip, one commit if it wrote.
    const step = proto.updateAtomically;
    if (!step) throw new Error('storage sqlite has no updateAtomically');
    originals.set('updateAtomically', step);
    proto.updateAtomically = function (this: unknown, run: (read: (keys: string[]) => StoreItems) => StoreItems): Promise<unknown> {
      counts.roundTrips++;
      return step.call(this, ((read: (keys: string[]) => StoreItems) => {
        const changes = run(read);
        if (Object.keys(changes).length > 0) {
          counts.durableWrites++;
          countWrites(changes);
        }
        return changes;
      }) as never);
    } as Method;
    wrap('delete', (keys: string[]) => {
      counts.durableWrites++;
      counts.roundTrips++;
      counts.keysWritten += keys.length;
    });
    const barrier = proto.barrier;
    if (!barrier) throw new Error('storage sqlite has no barrier');
    originals.set('barrier', barrier);
    proto.barrier = function (this: SqliteStorage): Promise<unknown> {
      if (this.unsyncedCommits > 0) counts.diskSyncs++;
      return barrier.call(this);
    } as Method;
  } else {
    const blobWrite = (changes: StoreItems): void => {
      const n = Object.keys(changes).length;
      counts.durableWrites += n;
      counts.diskSyncs += n;
      counts.roundTrips += n;
      countWrites(changes);
    };
    // write() hands a batch with a create-only item to writeReturningETags(): counted there.
    wrap('write', (changes: StoreItems) => {
      if (!Object.values(changes).some((i) => (i as { eTag?: unknown } | null)?.eTag === ETAG_CREATE_ONLY)) blobWrite(changes);
    });
    wrap('writeReturningETags', blobWrite);
    wrap('read', (keys: string[]) => void (counts.roundTrips += keys.length));
    wrap('delete', (keys: string[]) => {
      counts.durableWrites += keys.length;
      counts.diskSyncs += keys.length;
      counts.roundTrips += keys.length;
      counts.keysWritten += keys.length;
    });
  }

  return {
    counts,
    snapshot: () => ({ ...counts, byFamily: { ...counts.byFamily }, bytesByFamily: { ...counts.bytesByFamily } }),
    async settled(quietInMs = 60, maxInMs = 5_000) {
      const until = performance.now() + maxInMs;
      while (performance.now() < until && (inFlight > 0 || performance.now() - lastActivity < quietInMs)) {
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    restore() {
      for (const [name, original] of originals) proto[name] = original;
    },
  };
}
