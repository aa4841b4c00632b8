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
export interface StoreItem {
  eTag?: string;
  [key: string]: unknown;
}

export interface StoreItems {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

export interface DurableStorage {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

/** Reachability probe for /health. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}
