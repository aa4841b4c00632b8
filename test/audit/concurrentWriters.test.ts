import assert from 'node:assert/strict';
import { AuditChainError, AuditLog } from '../../src/audit/auditLog';
import { GENESIS_HASH, linkEvent } from '../../src/audit/chain';
import type { AuditEvent } from '../../src/audit/types';
import { configureLogging } from '../../src/log';
import type { DurableStorage, StoreItems } from '../../src/storage/types';
import { event, eventKey, HEAD_KEY, onEveryBackend, overwrite, readItem, type TestStore } from '../support/auditFixtures';

/** A connection whose writes to the chain head are held (or fail) on demand: a slow or crashing instance. */
class HeadWriteControl implements DurableStorage {
  /** Resolves when a head write has been attempted and is being held. */
  readonly reached: Promise<void>;
  private onReached!: () => void;
  private release!: () => void;
  private readonly released = new Promise<void>((r) => (this.release = r));

  constructor(
    private readonly inner: DurableStorage,
    private readonly mode: 'hold' | 'crash',
  ) {
    this.reached = new Promise((r) => (this.onReached = r));
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  async write(changes: StoreItems): Promise<void> {
    if (HEAD_KEY in changes) {
      this.onReached();
      if (this.mode === 'crash') throw new Error('the process stopped here');
      await this.released;
    }
    await this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  letGo(): void {
    this.release();
  }
}

async function exported(audit: AuditLog): Promise<Array<AuditEvent & { seq?: number }>> {
  const lines: string[] = [];
  for await (const line of audit.exportJsonLines()) lines.push(line);
  return lines.map((l) => JSON.parse(l) as AuditEvent & { seq?: number });
}

function concurrencyContract(newStore: () => TestStore): void {
  let store: TestStore;
  beforeEach(() => {
    configureLogging({ level: 'silent' });
    store = newStore();
  });

  it('two instances writing 200 events at once make one unforked chain of 200 that verifies', async function () {
    this.timeout(120_000);
    const [a, b] = [new AuditLog({ storage: store.connect() }), new AuditLog({ storage: store.connect() })];
    await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).record(event(i, { requestId: `req-${i}` }))));

    const report = await a.verify();
    assert.equal(report.intact, true, report.message);
    assert.match(report.message, /^audit chain intact: 200 events, from /);
    assert.ok(!report.notes.some((n) => n.includes('not yet moved')), 'the head reached the last event');
    const events = await exported(b);
    assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 200 }, (_, i) => i + 1));
    assert.equal(new Set(events.map((e) => e.requestId)).size, 200, 'every recorded event is in the chain once');
  });

  it('an instance that stopped between writing its event and moving the head is adopted by the next writer, not forked', async () => {
    const storage = store.connect();
    await new AuditLog({ storage }).record(event(1));
    const crashing = new HeadWriteControl(store.connect(), 'crash');
    await assert.rejects(new AuditLog({ storage: crashing }).record(event(2)), /the process stopped here/);
    const pending = await new AuditLog({ storage }).verify();
    assert.equal(pending.intact, true);
    assert.ok(pending.notes.some((n) => n.startsWith('event #2 is stored but the chain head not yet moved to it')));

    const next = new AuditLog({ storage: store.connect() });
    await next.record(event(3));
    const report = await next.verify();
    assert.equal(report.message, `audit chain intact: 3 events, from ${event(1).at} to ${event(3).at}`);
    assert.ok(!report.notes.some((n) => n.includes('not yet moved')));
    assert.deepEqual((await exported(next)).map((e) => e.requestId), ['req-1', 'req-2', 'req-3']);
  });

  it('a head update that arrives late cannot pull the head back behind events written meanwhile', async () => {
    const slow = new HeadWriteControl(store.connect(), 'hold');
    const slowWrite = new AuditLog({ storage: slow }).record(event(1));
    await slow.reached;
    const fast = new AuditLog({ storage: store.connect() });
    await fast.record(event(2));
    await fast.record(event(3));
    slow.letGo();
    await slowWrite;

    const report = await fast.verify();
    assert.equal(report.message, `audit chain intact: 3 events, from ${event(1).at} to ${event(3).at}`);
    assert.equal((await readItem(store.connect(), HEAD_KEY))?.seq, 3);
  });

  it('an event past the head that does not follow it is refused, never built on', async () => {
    const storage = store.connect();
    await overwrite(storage, eventKey(1), { ...linkEvent(event(1), 1, 'f'.repeat(64)) });
    await assert.rejects(new AuditLog({ storage }).record(event(2)), AuditChainError);
    assert.equal(await readItem(storage, eventKey(2)), undefined);
    assert.equal(await readItem(storage, HEAD_KEY), undefined);
    // The same stored event, linked properly, is adopted.
    await overwrite(storage, eventKey(1), { ...linkEvent(event(1), 1, GENESIS_HASH) });
    await new AuditLog({ storage }).record(event(2));
    assert.equal((await new AuditLog({ storage }).verify()).intact, true);
  });
}

describe('Concurrent audit writers', () => {
  afterEach(() => configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') }));
  onEveryBackend(concurrencyContract);
});
