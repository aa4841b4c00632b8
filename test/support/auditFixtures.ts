/**
 * What the audit tests share: an event fixture, the stored layout (written out here on
 * purpose, so a change of layout is a visible change of these tests), tampering helpers,
 * and the backends every audit behaviour runs on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../src/audit/types';
import { createBlobsStorage } from '../../src/storage/blobsStorage';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import type { DurableStorage } from '../../src/storage/types';
import { MemoryStorage } from './fakePorts';
import { startAzurite, type RunningAzurite } from './azurite';

export function event(minute: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    at: new Date(Date.UTC(2025, 0, 1, 9, minute)).toISOString(),
    action: 'tap.issued',
    actorId: 'manager-1',
    requestId: `req-${minute}`,
    targetUpn: 'megan@contoso.com',
    outcome: 'ok',
    details: { lifetimeInMinutes: 60, isUsableOnce: true, attestation: 'videoCall' },
    ...overrides,
  };
}

export const HEAD_KEY = 'audit-chain/head';
export const eventKey = (seq: number): string => `audit-chain/event/${String(seq).padStart(12, '0')}`;

export async function readItem(storage: DurableStorage, key: string): Promise<Record<string, unknown> | undefined> {
  const item = (await storage.read([key]))[key] as Record<string, unknown> | undefined;
  if (!item) return undefined;
  const { eTag: _ignored, ...rest } = item;
  return rest;
}

/** Overwrites a stored item as someone with write access to the store would. */
export async function overwrite(storage: DurableStorage, key: string, value: Record<string, unknown>): Promise<void> {
  await storage.write({ [key]: { ...value } });
}

/** One store, reachable through as many connections as a test opens (two bot instances). */
export interface TestStore {
  connect(): DurableStorage;
}

/** Runs `suite` on the in-memory fake, on SQLite files and on Azurite. */
export function onEveryBackend(suite: (newStore: () => TestStore) => void): void {
  describe('on the in-memory storage', () => {
    suite(() => {
      const storage = new MemoryStorage();
      return { connect: () => storage };
    });
  });

  describe('on SQLite (each connection its own SqliteStorage on one file)', () => {
    let dir = '';
    let opened: SqliteStorage[] = [];
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'tap-bot-audit-'));
    });
    afterEach(async () => {
      await Promise.all(opened.map((s) => s.close()));
      opened = [];
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    suite(() => {
      const path = join(dir, `${randomUUID()}.sqlite`);
      return {
        connect: () => {
          const storage = new SqliteStorage({ path });
          opened.push(storage);
          return storage;
        },
      };
    });
  });

  describe('on Azure Blob Storage (Azurite)', function () {
    this.timeout(60_000);
    let azurite: RunningAzurite | undefined;
    let container = 0;
    before(async () => {
      azurite = await startAzurite();
    });
    after(async () => azurite?.stop());
    suite(() => {
      const name = `audit-${++container}`;
      return { connect: () => createBlobsStorage({ connectionString: azurite!.connectionString, container: name }) };
    });
  });
}
