/** The real SQLite store in memory, keeping a copy of every write for inspection. */
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import type { DurableStorage, StoreItems } from '../../src/storage/types';

export class RecordingStorage implements DurableStorage {
  readonly inner = new SqliteStorage({ path: ':memory:' });
  /** Every write, as the JSON that went to storage. */
  readonly writes: string[] = [];

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  async write(changes: StoreItems): Promise<void> {
    this.writes.push(JSON.stringify(changes));
    await this.inner.write(changes);
  }

  async writeReturningETags(changes: StoreItems): Promise<Record<string, string>> {
    this.writes.push(JSON.stringify(changes));
    return this.inner.writeReturningETags(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  writesTo(keyPrefix: string): number {
    return this.writes.filter((w) => Object.keys(JSON.parse(w) as object).some((k) => k.startsWith(keyPrefix))).length;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
