import assert from 'node:assert/strict';
import sinon from 'sinon';
import { AuditLog, AuditRefusedError } from '../../src/audit/auditLog';
import { GENESIS_HASH } from '../../src/audit/chain';
import type { AuditEvent } from '../../src/audit/types';
import { configureLogging } from '../../src/log';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import type { DurableStorage } from '../../src/storage/types';
import { event, onEveryBackend, type TestStore } from '../support/auditFixtures';

const TAP_VALUE = 'Xy7!kQ2#mP9v';

function captureLogs(): string[] {
  const lines: string[] = [];
  configureLogging({ level: 'info', sink: (line) => lines.push(line) });
  return lines;
}

/** Writes events as the layout before the hash chain did: documents plus index pages. */
async function writeOldLayout(storage: DurableStorage, minutes: number[], pageSize: number): Promise<void> {
  const keys = minutes.map((m) => `audit/${event(m).at}/${String(m).padStart(12, '0')}`);
  await storage.write(Object.fromEntries(minutes.map((m, i) => [keys[i]!, event(m)])));
  const pages = Math.ceil(keys.length / pageSize);
  for (let p = 1; p <= pages; p++) {
    await storage.write({ [`audit-index/page/${String(p).padStart(8, '0')}`]: { keys: keys.slice((p - 1) * pageSize, p * pageSize) } });
  }
  if (pages > 1) await storage.write({ 'audit-index/head': { page: pages } });
}

/** The audit behaviour that must hold on every backend. */
function auditContract(newStore: () => TestStore): void {
  let storage: DurableStorage;
  beforeEach(() => {
    storage = newStore().connect();
    captureLogs();
  });

  it('recent() is newest first and honours the limit', async () => {
    const audit = new AuditLog({ storage });
    for (const minute of [1, 2, 3, 4, 5, 6, 7, 8]) await audit.record(event(minute));
    const latest = await audit.recent(5);
    assert.deepEqual(latest.map((e) => e.requestId), ['req-8', 'req-7', 'req-6', 'req-5', 'req-4']);
    assert.equal((await audit.recent(100)).length, 8);
  });

  it('events recorded concurrently are all chained, none lost', async () => {
    const audit = new AuditLog({ storage });
    await Promise.all(Array.from({ length: 10 }, (_, i) => audit.record(event(10 + i))));
    const all = await audit.recent(50);
    assert.deepEqual(all.map((e) => e.requestId).sort(), Array.from({ length: 10 }, (_, i) => `req-${10 + i}`).sort());
    assert.deepEqual(all.map((e) => e.seq), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.equal((await audit.verify()).intact, true);
  });

  it('events from before the chain started are still read, oldest first, and the chain starts after them', async () => {
    await writeOldLayout(storage, [1, 2, 3, 4, 5], 2);
    const audit = new AuditLog({ storage });
    await audit.record(event(6));
    await audit.record(event(7));
    assert.deepEqual((await audit.recent(4)).map((e) => e.requestId), ['req-7', 'req-6', 'req-5', 'req-4']);
    const lines: string[] = [];
    for await (const line of audit.exportJsonLines()) lines.push(line);
    const exported = lines.map((l) => JSON.parse(l) as AuditEvent & { seq?: number });
    assert.deepEqual(exported.map((e) => e.requestId), ['req-1', 'req-2', 'req-3', 'req-4', 'req-5', 'req-6', 'req-7']);
    assert.deepEqual(exported.map((e) => e.seq), [undefined, undefined, undefined, undefined, undefined, 1, 2]);
    const report = await audit.verify();
    assert.equal(report.intact, true);
    assert.equal(report.message, `audit chain intact: 2 events, from ${event(6).at} to ${event(7).at}`);
    assert.ok(report.notes.includes('5 older events are from before the chain started (not hash-linked)'));
  });
}

describe('AuditLog', () => {
  afterEach(() => {
    sinon.restore();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
  });

  onEveryBackend(auditContract);

  describe('refusing secrets', () => {
    let storage: SqliteStorage;
    let logs: string[];
    beforeEach(() => {
      storage = new SqliteStorage({ path: ':memory:' });
      logs = captureLogs();
    });
    afterEach(async () => storage.close());

    /** Everything the store holds, as one string, to prove the value never reached it. */
    async function everythingStored(): Promise<string> {
      return JSON.stringify(await storage.read(await storage.listKeys('')));
    }

    for (const key of ['temporaryAccessPass', 'code', 'password', 'clientSecret', 'TemporaryAccessPass']) {
      it(`an event whose details hold "${key}" is refused, not stored, and its value not logged`, async () => {
        const audit = new AuditLog({ storage });
        await assert.rejects(audit.record(event(1, { details: { [key]: TAP_VALUE } })), AuditRefusedError);
        assert.deepEqual(await storage.listKeys(''), []);
        assert.ok(!(await everythingStored()).includes(TAP_VALUE));
        assert.ok(!logs.join('\n').includes(TAP_VALUE));
        assert.ok(logs.some((l) => JSON.parse(l).level === 'warn' && JSON.parse(l).field === `details.${key}`));
      });
    }

    it('a TAP smuggled in as an extra top-level field is refused', async () => {
      const audit = new AuditLog({ storage });
      const smuggled = { ...event(1), temporaryAccessPass: TAP_VALUE };
      await assert.rejects(audit.record(smuggled), AuditRefusedError);
      assert.ok(!(await everythingStored()).includes(TAP_VALUE));
    });

    it('a TAP hidden in free text is refused when the secret detector knows it', async () => {
      const audit = new AuditLog({ storage, secretDetector: (v) => v.includes(TAP_VALUE) });
      const e = event(1, { details: { reason: `pass is ${TAP_VALUE}`, tags: ['a', TAP_VALUE] } });
      const refusal = await audit.record(e).then(() => undefined, (err: unknown) => err);
      assert.ok(refusal instanceof AuditRefusedError);
      assert.ok(!refusal.message.includes(TAP_VALUE));
      assert.deepEqual(await storage.listKeys(''), []);
      assert.ok(!logs.join('\n').includes(TAP_VALUE));
    });

    it('an ordinary event with the same detector is stored', async () => {
      const audit = new AuditLog({ storage, secretDetector: (v) => v.includes(TAP_VALUE) });
      await audit.record(event(1));
      assert.equal((await audit.recent(1)).length, 1);
    });
  });

  it('each event is also one structured log line from logger "audit"', async () => {
    const logs = captureLogs();
    const audit = new AuditLog({ storage: new SqliteStorage({ path: ':memory:' }) });
    await audit.record(event(3));
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.logger === 'audit');
    assert.ok(line);
    assert.equal(line.action, 'tap.issued');
    assert.equal(line.requestId, 'req-3');
    assert.equal(line.actorId, 'manager-1');
  });

  it('stores only the fields of an audit event, and an invalid time is refused', async () => {
    captureLogs();
    const storage = new SqliteStorage({ path: ':memory:' });
    const audit = new AuditLog({ storage });
    await audit.record({ ...event(4), ...{ graphResponse: { id: 'x' } } });
    const [stored] = await audit.recent(1);
    assert.ok(stored);
    assert.deepEqual(stored, { ...event(4), seq: 1, prevHash: GENESIS_HASH, hash: stored.hash });
    assert.match(String(stored.hash), /^[0-9a-f]{64}$/);
    await assert.rejects(audit.record(event(5, { at: 'yesterday' })), TypeError);
  });

  it('exportJsonLines yields every event, oldest first, one JSON per line', async () => {
    captureLogs();
    const audit = new AuditLog({ storage: new SqliteStorage({ path: ':memory:' }) });
    for (const minute of [1, 2, 3, 4, 5]) await audit.record(event(minute));
    const lines: string[] = [];
    for await (const line of audit.exportJsonLines()) lines.push(line);
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as AuditEvent).requestId), ['req-1', 'req-2', 'req-3', 'req-4', 'req-5']);
  });
});
