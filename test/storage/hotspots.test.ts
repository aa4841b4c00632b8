/**
 * The shared index documents (open requests, each requester's and approver's recent list)
 * hold a burst rate well above 100 requests a minute from three instances on one store,
 * in the worst case of one busy agent and one fallback approver group: nobody is told
 * "too many changes". Counts, not times (bench/hotspots.ts prints the same counts).
 */
import assert from 'node:assert/strict';
import { ConcurrencyError, FlowError } from '../../src/errors';
import { RequestIndexes } from '../../src/flow/store/requestIndexes';
import { configureLogging } from '../../src/log';
import type { DurableStorage, StoreItems } from '../../src/storage/types';
import { ConflictCounter, measureHotspots, onAzurite, onSqlite, summaryLine, type HotspotCounts } from '../../bench/hotspots';
import { MemoryStorage } from '../support/fakePorts';
import { USERS } from '../../sandbox/ids';
import { startAzurite, type RunningAzurite } from '../support/azurite';

/** 3 instances × 2 requests at the same instant every second = 360 a minute, for 6 s. */
const BURST = { perInstancePerSecond: 2, durationInMs: 6_000, closeAfterInMs: 1_000 } as const;

function assertNobodyRefused(backend: string, c: HotspotCounts): void {
  console.log(`      ${summaryLine(backend, c)}`);
  assert.ok(c.requestsPerMinute >= 100, `the run asks at least 100 a minute (${c.requestsPerMinute})`);
  assert.deepEqual(c.otherErrors, {}, 'no other failures');
  assert.equal(c.tooBusy, 0, 'nobody is told "too many changes"');
  assert.equal(c.created, c.requested, 'every request was made');
  assert.equal(c.closed, c.created, 'every request was closed');
}

async function openAfter(store: DurableStorage): Promise<number> {
  return (await new RequestIndexes(store).openEntries()).length;
}

describe('index hot spots: three instances, one busy agent, one approver group', function () {
  this.timeout(90_000);
  let azurite: RunningAzurite | undefined;
  before(async () => {
    configureLogging({ level: 'error', sink: () => undefined });
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });

  it('on one SQLite file, 360 requests a minute in bursts: nobody is refused and the open list ends empty', async () => {
    await onSqlite(3, async (stores) => {
      assertNobodyRefused('sqlite', await measureHotspots(stores, { level: 'indexes', ...BURST }));
      assert.equal(await openAfter(stores[0]!), 0, 'every closed request left the open list');
    });
  });

  it('on one Azurite container, 360 requests a minute in bursts: nobody is refused, the lists hold every request', async () => {
    await onAzurite(3, async (stores) => {
      const counts = await measureHotspots(stores, { level: 'indexes', ...BURST });
      assertNobodyRefused('blobs', counts);
      assert.equal(await openAfter(stores[1]!), 0, 'every closed request left the open list');
      const approver = await new RequestIndexes(stores[2]!).recentByApprover(USERS.joni.id);
      assert.equal(approver.length, Math.min(50, counts.created), 'the approver group\'s list holds every request (up to its 50 newest)');
    }, azurite);
  });

  it('the whole create path (limits, per-person lock, audit chain) on Azurite at 180 a minute: nobody is refused', async () => {
    await onAzurite(3, async (stores) => {
      assertNobodyRefused('blobs', await measureHotspots(stores, { level: 'flow', perInstancePerSecond: 1, durationInMs: 6_000, closeAfterInMs: 1_000 }));
    }, azurite);
  });
});

describe('index documents group the changes of one instance', () => {
  it('forty additions to the open list at the same instant all land, in a handful of writes', async () => {
    const store = new ConflictCounter(new MemoryStorage());
    const indexes = new RequestIndexes(store);
    await Promise.all(Array.from({ length: 40 }, (_, i) => indexes.addOpen({ id: `TAP-${i}`, expiresAt: '2030-01-01T00:00:00.000Z' })));
    assert.equal((await indexes.openEntries()).length, 40);
    assert.ok(store.writes <= 3, `40 changes took ${store.writes} writes`);
    assert.equal(store.conflicts, 0, 'one instance never races itself');
  });

  it('a recent list keeps the newest first when pushes arrive together', async () => {
    const indexes = new RequestIndexes(new MemoryStorage());
    await Promise.all(['TAP-A', 'TAP-B', 'TAP-C'].map((id) => indexes.addRecent(id, 'agent', `target-${id}`, ['approver'])));
    assert.deepEqual(await indexes.recentByRequester('agent'), ['TAP-C', 'TAP-B', 'TAP-A']);
    assert.deepEqual(await indexes.recentByApprover('approver'), ['TAP-C', 'TAP-B', 'TAP-A']);
  });

  it('two instances adding at the same instant keep each other\'s entries', async () => {
    const shared = new MemoryStorage();
    const a = new RequestIndexes(shared);
    const b = new RequestIndexes(shared);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).addOpen({ id: `TAP-${i}`, expiresAt: '2030-01-01T00:00:00.000Z' })));
    assert.equal((await a.openEntries()).length, 20);
  });

  it('a store that cannot be read fails every waiting change with its error, and the next change works', async () => {
    const inner = new MemoryStorage();
    let down = true;
    const flaky: DurableStorage = {
      read: async (keys: string[]): Promise<StoreItems> => {
        if (down) throw new Error('storage unavailable');
        return inner.read(keys);
      },
      write: (changes) => inner.write(changes),
      writeReturningETags: (changes) => inner.writeReturningETags(changes),
      delete: (keys) => inner.delete(keys),
    };
    const indexes = new RequestIndexes(flaky);
    const results = await Promise.allSettled([1, 2, 3].map((i) => indexes.addOpen({ id: `TAP-${i}`, expiresAt: '2030-01-01T00:00:00.000Z' })));
    assert.ok(results.every((r) => r.status === 'rejected' && (r.reason as Error).message === 'storage unavailable'));
    down = false;
    await indexes.addOpen({ id: 'TAP-4', expiresAt: '2030-01-01T00:00:00.000Z' });
    assert.deepEqual((await indexes.openEntries()).map((e) => e.id), ['TAP-4']);
  });

  it('a race lost on every attempt ends in the "too many changes" refusal, for every waiting change', async () => {
    const inner = new MemoryStorage();
    const losing: DurableStorage = {
      read: (keys) => inner.read(keys),
      write: async (changes) => {
        throw new ConcurrencyError(Object.keys(changes)[0]!);
      },
      delete: (keys) => inner.delete(keys),
    };
    const indexes = new RequestIndexes(losing);
    const results = await Promise.allSettled([1, 2].map((i) => indexes.addOpen({ id: `TAP-${i}`, expiresAt: '2030-01-01T00:00:00.000Z' })));
    for (const r of results) {
      assert.ok(r.status === 'rejected' && r.reason instanceof FlowError && r.reason.code === 'concurrentUpdate');
    }
  });
});
