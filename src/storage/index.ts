/** Builds the configured store. Everything durable (requests, audit, references) goes here. */
import type { StorageConfig } from './types';
import { SqliteStorage } from './sqliteStorage';
import type { DurableStorage, HealthCheck } from './types';

export type ManagedStorage = DurableStorage & HealthCheck & { close(): Promise<void> };

export function createStorage(config: StorageConfig): ManagedStorage {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteStorage({ path: config.path });
    case 'blobs': {
      // Loaded on demand: the Azure SDK costs about half a second of cold start, and SQLite deployments never need it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
      const { createBlobsStorage } = require('./blobsStorage') as typeof import('./blobsStorage');
      if (config.accountUrl) {
        // The app's managed identity, as for Graph (Storage Blob Data Contributor on the account).
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand with the blob SDK
        const { ManagedIdentityCredential } = require('@azure/identity') as typeof import('@azure/identity');
        const credential = config.clientId ? new ManagedIdentityCredential({ clientId: config.clientId }) : new ManagedIdentityCredential();
        return createBlobsStorage({ accountUrl: config.accountUrl, credential, container: config.container });
      }
      return createBlobsStorage({ connectionString: config.connectionString ?? '', container: config.container });
    }
  }
}
