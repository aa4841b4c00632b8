/**
 * The embedded default store: one SQLite file (better-sqlite3), botbuilder `Storage`
 * ETag semantics, and a whole write() batch in one transaction: either every change is
 * stored or, on the first ETag mismatch, none is.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ConcurrencyError } from '../errors';
import type { DurableStorage, HealthCheck, StoreItems } from './types';
import { assertKeys, prepareWrites, type PreparedWrite } from './writeCondition';

export interface SqliteStorageOptions {
  /** File path, or ':memory:' for a private in-process database (tests). */
  path: string;
  /** How long a writer waits for another process's lock before failing. Default 5 s. */
  busyTimeoutInMs?: number;
  /**
   * NORMAL (default): in WAL mode a commit survives a crash of the process at once, and a
   * power cut from the next `barrier()` on, which runs before every side effect a commit
   * guards (durableBefore.ts). FULL fsyncs every commit (barrier() then has nothing to do).
   */
  synchronous?: 'FULL' | 'NORMAL';
}

interface Row {
  value: string;
  etag: string;
}

export class SqliteStorage implements DurableStorage, HealthCheck {
  readonly name = 'storage:sqlite';
  private readonly db: Database.Database;
  private readonly selectRow: Database.Statement<[string], Row>;
  private readonly upsertRow: Database.Statement<[string, string, string, number]>;
  private readonly insertRow: Database.Statement<[string, string, string, number]>;
  private readonly deleteRow: Database.Statement<[string]>;
  private readonly selectKeysFrom: Database.Statement<[string], { key: string }>;
  private readonly writeBatch: (writes: PreparedWrite[]) => Record<string, string>;
  private readonly runStep: (step: (read: (keys: string[]) => StoreItems) => StoreItems) => Record<string, string>;
  private readonly readTogether: (keys: string[]) => StoreItems;
  private readonly syncEveryCommit: boolean;
  private readonly markDurable: () => void;
  /** Commits since the last fsync of the log (0 at FULL, where every commit is one). */
  private unsynced = 0;

  constructor(options: SqliteStorageOptions) {
    if (options.path !== ':memory:' && options.path !== '') {
      mkdirSync(dirname(options.path), { recursive: true });
    }
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutInMs ?? 5000))}`);
    this.syncEveryCommit = options.synchronous === 'FULL';
    this.db.pragma(`synchronous = ${this.syncEveryCommit ? 'FULL' : 'NORMAL'}`);
    this.db.exec(`CREATE TABLE IF NOT EXISTS items (
      key TEXT PRIMARY KEY NOT NULL,
      value TEXT NOT NULL,
      etag TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) WITHOUT ROWID`);

    this.selectRow = this.db.prepare('SELECT value, etag FROM items WHERE key = ?');
    this.upsertRow = this.db.prepare(`INSERT INTO items (key, value, etag, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at`);
    this.insertRow = this.db.prepare('INSERT INTO items (key, value, etag, updated_at) VALUES (?, ?, ?, ?)');
    this.db.exec('CREATE TABLE IF NOT EXISTS durable_mark (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL)');
    const mark = this.db.prepare('INSERT INTO durable_mark (id, at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET at = excluded.at');
    // One commit at FULL fsyncs the write-ahead log, and with it every commit before it (the log is one file, in order).
    this.markDurable = () => {
      this.db.pragma('synchronous = FULL');
      try {
        mark.run(Date.now());
      } finally {
        this.db.pragma('synchronous = NORMAL');
      }
    };
    this.deleteRow = this.db.prepare('DELETE FROM items WHERE key = ?');
    // Keys sharing a prefix are contiguous in BINARY (UTF-8 byte) order from the prefix on.
    this.selectKeysFrom = this.db.prepare('SELECT key FROM items WHERE key >= ? ORDER BY key');

    const applyWrites = (writes: PreparedWrite[]): Record<string, string> => {
      const now = Date.now();
      const eTags: Record<string, string> = {};
      for (const w of writes) {
        const stored = this.selectRow.get(w.key);
        const c = w.condition;
        // Throwing inside the transaction rolls back every change of the batch.
        if (c.kind === 'createOnly' && stored) throw new ConcurrencyError(w.key);
        if (c.kind === 'ifMatch' && (!stored || stored.etag !== c.eTag)) throw new ConcurrencyError(w.key);
        // Random, not a counter: no eTag is ever reused, even after delete and re-create.
        const eTag = randomUUID();
        (stored ? this.upsertRow : this.insertRow).run(w.key, w.json, eTag, now);
        eTags[w.key] = eTag;
      }
      return eTags;
    };
    const batch = this.db.transaction(applyWrites);
    // IMMEDIATE takes the write lock up front, so two processes cannot both read an old
    // eTag and then deadlock upgrading their read locks.
    this.writeBatch = (writes) => this.counted(batch.immediate(writes));
    const step = this.db.transaction((run: (read: (keys: string[]) => StoreItems) => StoreItems) => {
      const writes = prepareWrites(run((keys) => this.readNow(keys)));
      return writes.length === 0 ? {} : applyWrites(writes);
    });
    this.runStep = (run) => this.counted(step.immediate(run));
    this.readTogether = this.db.transaction((keys: string[]) => this.readNow(keys));
  }

  private counted<T extends Record<string, string>>(written: T): T {
    if (!this.syncEveryCommit && Object.keys(written).length > 0) this.unsynced++;
    return written;
  }

  /** Commits that a power cut could still take (0 after barrier(), always 0 at FULL). */
  get unsyncedCommits(): number {
    return this.unsynced;
  }

  /**
   * Resolves when every commit made so far survives a power cut (see DurableStorage.barrier):
   * one fsync of the log, or nothing when nothing was committed since the last one.
   */
  async barrier(): Promise<void> {
    if (this.unsynced === 0) return;
    // Counted as kept only once the fsync went through: a failed barrier leaves them waiting.
    this.markDurable();
    this.unsynced = 0;
  }

  async read(keys: string[]): Promise<StoreItems> {
    // One key is one statement, a snapshot by itself; several are read in one transaction, so
    // all come from the same snapshot, even with other processes writing.
    return keys.length <= 1 ? this.readNow(keys) : this.readTogether(keys);
  }

  /** One commit for a step that changes several keys (see DurableStorage.updateAtomically). */
  async updateAtomically(step: (read: (keys: string[]) => StoreItems) => StoreItems): Promise<Record<string, string>> {
    return this.runStep(step);
  }

  private readNow(keys: string[]): StoreItems {
    assertKeys(keys);
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.selectRow.get(key);
      if (row) items[key] = { ...(JSON.parse(row.value) as object), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await this.writeReturningETags(changes);
  }

  async writeReturningETags(changes: StoreItems): Promise<Record<string, string>> {
    const writes = prepareWrites(changes);
    if (writes.length === 0) return {};
    return this.writeBatch(writes);
  }

  async delete(keys: string[]): Promise<void> {
    assertKeys(keys);
    this.db.transaction(() => keys.forEach((k) => this.deleteRow.run(k)))();
    if (!this.syncEveryCommit && keys.length > 0) this.unsynced++;
  }

  /** Not part of the DurableStorage contract (blobs cannot list cheaply): admin/tests only. */
  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for (const { key } of this.selectKeysFrom.iterate(prefix)) {
      if (!key.startsWith(prefix)) break;
      keys.push(key);
    }
    return keys;
  }

  async check(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
