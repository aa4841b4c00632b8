/** Where everything durable lives: a SQLite file, or Azure Blob Storage for several instances. */
import type { StorageConfig } from '../storage/types';
import { truncate, type Reader } from './reader';


export function parseStorage(r: Reader): StorageConfig {
  const kind = r.oneOf('STORAGE', ['sqlite', 'blobs'] as const, 'sqlite');
  if (kind === 'blobs') {
    const connectionString = r.raw('BLOB_CONNECTION_STRING');
    const accountUrl = r.raw('BLOB_ACCOUNT_URL');
    const container = r.raw('BLOB_CONTAINER') ?? 'tap-bot';
    if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(container)) {
      r.problems.push(`BLOB_CONTAINER is not a valid container name (got "${truncate(container)}"): 3-63 lowercase letters, digits and single hyphens.`);
    }
    if (connectionString && accountUrl) {
      r.problems.push('Set either BLOB_CONNECTION_STRING or BLOB_ACCOUNT_URL (with a managed identity), not both.');
    } else if (!connectionString && !accountUrl) {
      r.problems.push('STORAGE=blobs needs BLOB_ACCOUNT_URL (e.g. https://stcontoso.blob.core.windows.net, reached with the managed identity) or BLOB_CONNECTION_STRING.');
    }
    if (accountUrl !== undefined) {
      let ok = false;
      try {
        const u = new URL(accountUrl);
        ok = u.protocol === 'https:' && u.pathname.replace(/\/+$/, '') === '' && !u.search;
      } catch {
        ok = false;
      }
      if (!ok) r.problems.push(`BLOB_ACCOUNT_URL must be the account's https endpoint without a path, e.g. https://stcontoso.blob.core.windows.net (got "${truncate(accountUrl)}").`);
    }
    const clientId = r.guid('BLOB_CLIENT_ID') ?? (accountUrl ? r.guid('GRAPH_CLIENT_ID') : undefined);
    return {
      kind,
      container,
      ...(connectionString ? { connectionString } : {}),
      ...(accountUrl ? { accountUrl: accountUrl.replace(/\/+$/, '') } : {}),
      ...(clientId ? { clientId } : {}),
    };
  }
  return { kind, path: r.raw('SQLITE_PATH') ?? '.data/tap-bot.sqlite' };
}
