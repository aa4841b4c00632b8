/**
 * Azure Blob Storage backend for several bot instances: botbuilder-azure-blobs'
 * BlobsStorage (same blob layout as botbuilder's own state), with its ETag-conflict error
 * mapped to ConcurrencyError, plus what BlobsStorage lacks: create-only writes
 * (If-None-Match: *) and returning the new eTags.
 *
 * Unlike SqliteStorage, a multi-key write is NOT atomic here: each blob is written on its
 * own, so a batch may be partly stored when one item conflicts. Callers that need
 * atomicity change one key at a time (updateItem does).
 */
import { ContainerClient, RestError } from '@azure/storage-blob';
import type { TokenCredential } from '@azure/identity';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import { ConcurrencyError } from '../errors';
import { createLogger } from '../log';
import type { DurableStorage, HealthCheck, StoreItems } from './types';
import { assertKeys, prepareWrites, type PreparedWrite } from './writeCondition';

const log = createLogger('storage');

export interface BlobsStorageOptions {
  /** A connection string (Azurite, or an account key), or… */
  connectionString?: string;
  /** …the account's endpoint with a token credential (a managed identity: no shared key). */
  accountUrl?: string;
  credential?: TokenCredential;
  container: string;
  /** check() gives up after this long (the SDK's own retries would take ~15 s). Default 5 s. */
  healthTimeoutInMs?: number;
}

export type BlobsDurableStorage = DurableStorage &
  HealthCheck & {
    writeReturningETags(changes: StoreItems): Promise<Record<string, string>>;
    close(): Promise<void>;
  };

/** Key read by check(): it never exists, a 404 is the cheap success. */
const HEALTH_PROBE_KEY = 'health/probe';

export function createBlobsStorage(options: BlobsStorageOptions): BlobsDurableStorage {
  return new BlobsDurableStorageImpl(options);
}

class BlobsDurableStorageImpl implements BlobsDurableStorage {
  readonly name = 'storage:blobs';
  private readonly container: ContainerClient;
  private inner: BlobsStorage | undefined;
  private containerReady: Promise<void> | undefined;

  constructor(private readonly options: BlobsStorageOptions) {
    if (options.accountUrl && options.credential) {
      this.container = new ContainerClient(`${options.accountUrl}/${options.container}`, options.credential);
    } else if (options.connectionString) {
      this.container = new ContainerClient(options.connectionString, options.container);
    } else {
      throw new RangeError('Blob storage needs a connection string, or an account URL and a credential.');
    }
  }

  async read(keys: string[]): Promise<StoreItems> {
    assertKeys(keys);
    return this.withInner((s) => s.read(keys));
  }

  async write(changes: StoreItems): Promise<void> {
    const writes = prepareWrites(changes);
    if (writes.some((w) => w.condition.kind === 'createOnly')) {
      await this.writeReturningETags(changes);
      return;
    }
    try {
      await this.withInner((s) => s.write(changes));
    } catch (e) {
      throw toConcurrencyError(e) ?? e;
    }
  }

  async writeReturningETags(changes: StoreItems): Promise<Record<string, string>> {
    const writes = prepareWrites(changes);
    await this.ensureContainer();
    // allSettled: every upload has finished (or failed) before the caller hears of an error.
    const results = await Promise.allSettled(writes.map((w) => this.upload(w)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const eTags: Record<string, string> = {};
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') eTags[writes[i]!.key] = r.value;
    });
    return eTags;
  }

  async delete(keys: string[]): Promise<void> {
    assertKeys(keys);
    await this.withInner((s) => s.delete(keys));
  }

  /** A cheap read (HEAD of a blob that never exists), bounded in time for /health. */
  async check(): Promise<void> {
    const probe = this.container.getBlobClient(sanitizeBlobKey(HEALTH_PROBE_KEY));
    await probe.exists({ abortSignal: AbortSignal.timeout(this.options.healthTimeoutInMs ?? 5000) });
  }

  async close(): Promise<void> {
    // The Azure SDK keeps no connection that needs closing.
  }

  /** The same blob name, body and content type as BlobsStorage.write, with our conditions. */
  private async upload(w: PreparedWrite): Promise<string> {
    const blob = this.container.getBlockBlobClient(sanitizeBlobKey(w.key));
    const c = w.condition;
    const conditions = c.kind === 'createOnly' ? { ifNoneMatch: '*' } : c.kind === 'ifMatch' ? { ifMatch: c.eTag } : {};
    try {
      const res = await blob.upload(w.json, Buffer.byteLength(w.json), {
        conditions,
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      if (!res.etag) throw new Error(`Blob storage returned no ETag for "${w.key}".`);
      return res.etag;
    } catch (e) {
      throw toConcurrencyError(e, w.key) ?? e;
    }
  }

  /**
   * BlobsStorage remembers its first container-creation attempt forever, even a failed one
   * (storage unreachable at start-up). So we create the container ourselves first, and
   * replace the BlobsStorage after a network-level failure.
   */
  private async withInner<T>(op: (s: BlobsStorage) => Promise<T>): Promise<T> {
    await this.ensureContainer();
    this.inner ??=
      this.options.accountUrl && this.options.credential
        ? new BlobsStorage('', this.options.container, undefined, `${this.options.accountUrl}/${this.options.container}`, this.options.credential)
        : new BlobsStorage(this.options.connectionString ?? '', this.options.container);
    try {
      return await op(this.inner);
    } catch (e) {
      const answeredByService = (e instanceof RestError && e.statusCode !== undefined) || toConcurrencyError(e) !== undefined;
      if (!answeredByService) this.inner = undefined;
      throw e;
    }
  }

  private ensureContainer(): Promise<void> {
    this.containerReady ??= this.container.createIfNotExists().then(
      () => undefined,
      (e: unknown) => {
        this.containerReady = undefined;
        log.warn('blob container unavailable', { container: this.options.container, error: e });
        throw e;
      },
    );
    return this.containerReady;
  }
}

/** 412 (If-Match failed, also on a missing blob), 409 (If-None-Match: * on an existing blob). */
function toConcurrencyError(e: unknown, key?: string): ConcurrencyError | undefined {
  if (e instanceof RestError && (e.statusCode === 412 || e.statusCode === 409) && key !== undefined) {
    return new ConcurrencyError(key);
  }
  // BlobsStorage turns a 412 into a plain Error naming the key.
  const m = e instanceof Error ? /^Storage: error writing "(.*)" due to eTag conflict\.$/s.exec(e.message) : null;
  return m ? new ConcurrencyError(m[1]!) : undefined;
}
