/**
 * Several audit events appended in one step (a bulk wave's members): chained in order, one
 * commit with the head where the store has transactions, one after another elsewhere; a
 * refused event stores none of them.
 */
import assert from 'node:assert/strict';
import { AuditLog, AuditRefusedError } from '../../src/audit/auditLog';
import { configureLogging } from '../../src/log';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import type { DurableStorage, StoreItems } from '../../src/storage/types';
import { event, onEveryBackend, type TestStore } from '../support/auditFixtures';

function contract(newStore: () => TestStore): void {
  let storage: DurableStorage;
  let store: TestStore;
  before(() => configureLogging({ level: 'silent' }));
  after(() => configureLogging({ level: 'info' }));
  beforeEach(() => {
    store = newStore();
    storage = store.connect();
  });

  it('chains several events in the order given, after the ones before, and the chain verifies', async () => {
    const audit = new AuditLog({ storage });
    await audit.record(event(1));
    await audit.recordMany([event(2), event(3), event(4)]);
    await audit.record(event(5));
    const all = await audit.recent(10);
    assert.deepEqual(all.map((e) => e.requestId), ['req-5', 'req-4', 'req-3', 'req-2', 'req-1']);
    assert.deepEqual(all.map((e) => e.seq), [5, 4, 3, 2, 1]);
    assert.equal((await audit.verify()).intact, true);
  });

  it('several batches and single events at once from two writers: none lost, one chain', async () => {
    const a = new AuditLog({ storage });
    const b = new AuditLog({ storage: store.connect() });
    await Promise.all([a.recordMany([event(10), event(11), event(12)]), b.record(event(13)), b.recordMany([event(14), event(15)]), a.record(event(16))]);
    const all = await a.recent(20);
    assert.deepEqual(all.map((e) => e.requestId).sort(), ['req-10', 'req-11', 'req-12', 'req-13', 'req-14', 'req-15', 'req-16']);
    const seqOf = (id: string): number => all.find((e) => e.requestId === id)!.seq!;
    assert.ok(seqOf('req-10') < seqOf('req-11') && seqOf('req-11') < seqOf('req-12'), 'a batch keeps its order');
    assert.equal((await a.verify()).intact, true);
  });

  it('a batch with one secret-looking event is refused whole: none of it is stored', async () => {
    const audit = new AuditLog({ storage, secretDetector: (v) => v === 'Xy7!kQ2#mP9v' });
    await assert.rejects(audit.recordMany([event(1), event(2, { details: { note: 'Xy7!kQ2#mP9v' } })]), AuditRefusedError);
    assert.equal((await audit.recent(10)).length, 0);
  });
}

onEveryBackend(contract);

describe('several audit events on SQLite', () => {
  it('are one commit with the chain head, not one each', async () => {
    const inner = new SqliteStorage({ path: ':memory:' });
    let commits = 0;
    const counting: DurableStorage = {
      read: (keys) => inner.read(keys),
      write: async (c) => (commits++, inner.write(c)),
      delete: (keys) => inner.delete(keys),
      updateAtomically: (step) =>
        inner.updateAtomically((read: (keys: string[]) => StoreItems) => {
          const changes: StoreItems = step(read);
          if (Object.keys(changes).length > 0) commits++;
          return changes;
        }),
    };
    configureLogging({ level: 'silent' });
    try {
      await new AuditLog({ storage: counting }).recordMany(Array.from({ length: 20 }, (_, i) => event(i + 1)));
    } finally {
      configureLogging({ level: 'info' });
    }
    assert.equal(commits, 1);
    await inner.close();
  });
});
