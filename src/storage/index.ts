/** Builds the configured store. Everything durable (requests, audit, references) goes here. */
import type { StorageConfig } from '../config';
import { createBlobsStorage } from './blobsStorage';
import { SqliteStorage } from './sqliteStorage';
import type { DurableStorage, HealthCheck } from './types';

export type ManagedStorage = DurableStorage & HealthCheck & { close(): Promise<void> };

export function createStorage(config: StorageConfig): ManagedStorage {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteStorage({ path: config.path });
    case 'blobs':
      return createBlobsStorage({ connectionString: config.connectionString, container: config.container });
  }
}
