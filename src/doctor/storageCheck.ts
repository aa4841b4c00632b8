/**
 * Check 7: the configured storage takes a write, gives it back, and deletes it, through the
 * app's own storage factory (so exactly what the bot would open).
 */
import { randomUUID } from 'node:crypto';
import type { StorageConfig } from '../storage/types';
import { createStorage, type ManagedStorage } from '../storage';
import { missing, ok, type CheckResult } from './types';

const TITLE = 'Storage';

function where(config: StorageConfig): string {
  return config.kind === 'sqlite' ? `SQLite at ${config.path}` : `Azure Blob Storage container ${config.container}`;
}

function fixFor(config: StorageConfig): string {
  return config.kind === 'sqlite'
    ? `make the directory of SQLITE_PATH (${config.path}) writable by the user the bot runs as, or point SQLITE_PATH at a writable place.`
    : 'check BLOB_CONNECTION_STRING (account, key or SAS with read, write and delete) and BLOB_CONTAINER, and that the storage account is reachable.';
}

/** An error as a sentence, with anything that looks like a key or signature cut out. */
function describe(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.replace(/(AccountKey|SharedAccessSignature|sig)=[^;&\s]+/gi, '$1=…').split('\n')[0]?.slice(0, 200) ?? '';
}

export async function checkStorage(config: StorageConfig): Promise<CheckResult> {
  const key = `doctor-probe/${randomUUID()}`;
  let storage: ManagedStorage | undefined;
  try {
    storage = createStorage(config);
    const stamp = new Date().toISOString();
    await storage.write({ [key]: { probe: true, at: stamp } });
    const back = (await storage.read([key]))[key] as { at?: unknown } | undefined;
    if (back?.at !== stamp) return missing(TITLE, `${where(config)} did not give back what was just written`, fixFor(config));
    await storage.delete([key]);
    if ((await storage.read([key]))[key] !== undefined) return missing(TITLE, `${where(config)} did not delete the probe ${key}`, fixFor(config));
    return ok(TITLE, `${where(config)}: written, read back and deleted`);
  } catch (e) {
    return missing(TITLE, `${where(config)} cannot be written: ${describe(e)}`, fixFor(config));
  } finally {
    await storage?.close().catch(() => undefined);
  }
}
