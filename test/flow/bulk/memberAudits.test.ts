/**
 * A bulk wave's per-member audit events (bookkeeping.ts, makeAuditMany): appended together,
 * one commit with the chain head on SQLite instead of one commit each; a refused event does
 * not take the others with it, and a sink that cannot append several gets them one by one.
 */
import assert from 'node:assert/strict';
import { AuditLog } from '../../../src/audit/auditLog';
import type { AuditEvent, AuditSink } from '../../../src/audit/types';
import { makeAuditMany } from '../../../src/flow/bulk/bookkeeping';
import type { AuditInput } from '../../../src/flow/context';
import { configureLogging } from '../../../src/log';
import { SqliteStorage } from '../../../src/storage/sqliteStorage';
import type { DurableStorage, StoreItems } from '../../../src/storage/types';

const clock = (): Date => new Date('2026-03-02T09:00:00Z');
const memberEvent = (i: number, note = 'issued'): AuditInput => ({ action: 'bulk.member', actorId: 'system', requestId: 'BULK-1', targetId: `member-${i}`, outcome: note, details: { stage: 'issuance', note } });

describe('a bulk wave\'s member audit events', () => {
  let inner: SqliteStorage;
  let commits = 0;
  let storage: DurableStorage;
  before(() => configureLogging({ level: 'silent' }));
  after(() => configureLogging({ level: 'info' }));
  beforeEach(() => {
    inner = new SqliteStorage({ path: ':memory:' });
    commits = 0;
    storage = {
      read: (keys) => inner.read(keys),
      write: async (c) => (commits++, inner.write(c)),
      delete: (keys) => inner.delete(keys),
      updateAtomically: (step) =>
        inner.updateAtomically((read: (keys: string[]) => StoreItems) => {
          const changes = step(read);
          if (Object.keys(changes).length > 0) commits++;
          return changes;
        }),
    };
  });
  afterEach(() => inner.close());

  it('a wave of 20 members is one commit with the chain head, in the members\' order, and the chain verifies', async () => {
    const audit = new AuditLog({ storage });
    await makeAuditMany(audit, clock)(Array.from({ length: 20 }, (_, i) => memberEvent(i)));
    assert.equal(commits, 1);
    const events = await audit.recent(50);
    assert.deepEqual(events.map((e) => e.targetId).reverse(), Array.from({ length: 20 }, (_, i) => `member-${i}`));
    assert.equal((await audit.verify()).intact, true);
  });

  it('one event refused (it looks like a secret) does not take the others with it', async () => {
    const audit = new AuditLog({ storage, secretDetector: (v) => v === 'Xy7!kQ2#mP9v' });
    await makeAuditMany(audit, clock)([memberEvent(1), memberEvent(2, 'Xy7!kQ2#mP9v'), memberEvent(3)]);
    assert.deepEqual((await audit.recent(10)).map((e) => e.targetId).reverse(), ['member-1', 'member-3']);
  });

  it('a sink that cannot append several gets them one by one, in order', async () => {
    const got: AuditEvent[] = [];
    const sink: AuditSink = { record: async (e) => void got.push(e), recent: async () => got };
    await makeAuditMany(sink, clock)([memberEvent(1), memberEvent(2)]);
    assert.deepEqual(got.map((e) => e.targetId), ['member-1', 'member-2']);
    assert.equal(got[0]?.at, clock().toISOString());
  });
});
