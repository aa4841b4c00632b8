export interface StoreItems {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape of botbuilder's StoreItems, so botbuilder's storages fit
  [key: string]: any;
}

/**
 * The one durable storage interface, shaped exactly like botbuilder's `Storage` so
 * botbuilder-azure-blobs' `BlobsStorage` fits it, but declared here so the workflow does
 * not import botbuilder.
 *
 * ETag semantics (as botbuilder's): `write` of an item whose `eTag` is a string other than
 * '*' succeeds only when it equals the stored item's eTag, else it throws; an item without
 * eTag (or '*') is written unconditionally. `read` returns items with their current eTag;
 * missing keys are absent from the result.
 */
export interface DurableStorage {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
  /**
   * Optional, as botbuilder's Storage has no such call (SqliteStorage and the blobs storage
   * have it): like `write`, and resolves with the new eTag of each written key, so a caller
   * can chain conditional writes without a re-read that might return someone else's later
   * version.
   */
  writeReturningETags?(changes: StoreItems): Promise<Record<string, string>>;
  /**
   * Optional (SqliteStorage has it; blob storage cannot: it has no multi-blob transaction):
   * runs `step` inside one write transaction that no other writer, in this process or
   * another, can interleave with. `step` reads what it needs through `read` (items with
   * their eTags, as `read` returns them), returns the changes, and they are stored in the
   * same transaction, as one commit, with the same conditions as `write`. So a step that
   * changes several keys costs one durable write and never loses a compare-and-swap race.
   * `step` must be synchronous and free of side effects; if it throws, nothing is written
   * and the error is rethrown. Resolves with the new eTag of each written key.
   */
  updateAtomically?(step: (read: (keys: string[]) => StoreItems) => StoreItems): Promise<Record<string, string>>;
  /**
   * Optional (SqliteStorage has it; a blob is durable when Azure answers its PUT, so blob
   * storage needs none): resolves when every write made so far would survive a power cut, not
   * only a crash of the process. Called before each side effect a write guards (a pass made in
   * Entra, a code shown), through durableBefore.ts; other writes need not wait for the disk.
   */
  barrier?(): Promise<void>;
}

/**
 * A convention of this project, not botbuilder's: an item written with this eTag is created
 * only if its key does not exist yet; if it exists, `write` throws ConcurrencyError. This
 * is how two concurrent creators of the same key cannot both win (see updateItem).
 * Honoured by SqliteStorage and createBlobsStorage (If-None-Match: *). botbuilder's own
 * MemoryStorage/BlobsStorage do NOT know it: do not hand them such items.
 *
 * Also (both of our backends, stricter than botbuilder's MemoryStorage): a write with a
 * concrete eTag for a key that does not exist fails with ConcurrencyError, as Azure Blob
 * Storage does (If-Match on a missing blob is 412), so a stale writer cannot resurrect a
 * deleted item. An empty-string eTag means "unconditional", like '*' and absent.
 */
export const ETAG_CREATE_ONLY = '!createOnly';

/** Reachability probe for /health. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

/** Where everything durable lives (STORAGE, SQLITE_PATH, BLOB_* settings, read by src/config/storage.ts). */
export type StorageConfig =
  | { kind: 'sqlite'; path: string }
  /** Blobs by connection string, or by account URL with a managed identity (no shared key). */
  | { kind: 'blobs'; container: string; connectionString?: string; accountUrl?: string; clientId?: string };
