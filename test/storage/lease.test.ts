/**
 * The lease contract (src/storage/lease.ts), the same on SQLite (two connections to one
 * file, as two processes have) and on Azure Blob Storage (Azurite, two clients): one
 * winner of a race, renewal by the holder, takeover of a lapsed lease only past the skew
 * margin, release handing over at once, and a stale holder able to tell it lost.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Leases } from '../../src/storage/lease';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { createBlobsStorage, type BlobsDurableStorage } from '../../src/storage/blobsStorage';
import type { DurableStorage } from '../../src/storage/types';
import { startAzurite, type RunningAzurite } from '../support/azurite';

const T0 = Date.parse('2025-03-03T08:00:00.000Z');
const TTL = 60_000;
const MARGIN = 5_000;

/** Two handles on one store (two instances); every test uses its own job names. */
function leaseContract(stores: () => [DurableStorage, DurableStorage]): void {
  let now: number;
  let job: string;
  const at = (skewInMs = 0) => () => new Date(now + skewInMs);
  const instance = (name: string, store = 0, skewInMs = 0): Leases =>
    new Leases({ storage: stores()[store], holder: name, clock: at(skewInMs), skewMarginInMs: MARGIN });

  beforeEach(() => {
    now = T0;
    job = `sweep-${randomUUID()}`;
  });

  it('of 50 instances trying for a new lease at the same moment exactly one gets it', async () => {
    const tries = Array.from({ length: 50 }, (_, i) => instance(`i${i}`, i % 2));
    const granted = await Promise.all(tries.map((l) => l.acquire(job, TTL)));
    const winners = granted.filter((g) => g !== undefined);
    assert.equal(winners.length, 1);
    assert.equal(winners[0]!.generation, 1);
    assert.equal((await tries[0]!.state(job))?.holder, winners[0]!.holder);
  });

  it('of 50 instances trying for a lapsed lease at the same moment exactly one gets it', async () => {
    assert.ok(await instance('dead').acquire(job, TTL));
    now += TTL + MARGIN;
    const tries = Array.from({ length: 50 }, (_, i) => instance(`i${i}`, i % 2));
    const winners = (await Promise.all(tries.map((l) => l.acquire(job, TTL)))).filter((g) => g !== undefined);
    assert.equal(winners.length, 1);
    assert.equal(winners[0]!.generation, 2);
  });

  it('the holder renews its lease in the same generation, and the other instance stays out', async () => {
    const a = instance('a', 0);
    const b = instance('b', 1);
    const first = await a.acquire(job, TTL);
    now += TTL - 1_000;
    const renewed = await a.renew(first!, TTL);
    assert.equal(renewed?.generation, first!.generation);
    assert.equal(renewed?.until, new Date(now + TTL).toISOString());
    // Past the first lease's end, within the renewed one.
    now += 30_000;
    assert.equal(await b.acquire(job, TTL), undefined);
    assert.equal(await a.holds(renewed!), true);
  });

  it('a lapsed lease is taken over only once the skew margin has passed too, in a new generation', async () => {
    const a = instance('a', 0);
    const b = instance('b', 1);
    await a.acquire(job, TTL);
    now += TTL + MARGIN - 1;
    assert.equal(await b.acquire(job, TTL), undefined, 'within the margin the lease may still be live on the holder\'s clock');
    now += 1;
    const taken = await b.acquire(job, TTL);
    assert.deepEqual(taken && { holder: taken.holder, generation: taken.generation }, { holder: 'b', generation: 2 });
  });

  it('an instance whose clock runs ahead by less than the margin never takes a live lease', async () => {
    const a = instance('a', 0);
    const ahead = instance('ahead', 1, MARGIN - 1);
    const held = await a.acquire(job, TTL);
    now += TTL - 1; // still live on the holder's clock, lapsed on the other's
    assert.equal(await ahead.acquire(job, TTL), undefined);
    assert.ok(await a.renew(held!, TTL));
  });

  it('a release lets another instance take the lease at once, and a non-holder cannot release it', async () => {
    const a = instance('a', 0);
    const b = instance('b', 1);
    const c = instance('c', 0);
    const held = await a.acquire(job, TTL);
    await c.release(job);
    assert.equal(await b.acquire(job, TTL), undefined, 'c released nothing');
    await a.release(job);
    assert.equal(await a.holds(held!), false);
    const taken = await b.acquire(job, TTL);
    assert.equal(taken?.generation, 2);
    // a's late release (say a retry) does not take b's lease away.
    await a.release(job);
    assert.equal(await b.holds(taken!), true);
  });

  it('a stale holder can tell it lost the lease: its generation moved on', async () => {
    const a = instance('a', 0);
    const b = instance('b', 1);
    const stale = await a.acquire(job, TTL);
    // a stalls (a long GC, a network partition) past its lease; b takes over.
    now += TTL + MARGIN;
    const taken = await b.acquire(job, TTL);
    assert.equal(taken?.generation, stale!.generation + 1);
    assert.equal(await a.holds(stale!), false);
    assert.equal(await a.renew(stale!, TTL), undefined);
    assert.equal(await a.acquire(job, TTL), undefined, 'b holds it live');
    assert.equal((await a.state(job))?.generation, taken!.generation);
  });

  it('a holder whose own lease lapsed starts a new generation: its earlier tenure cannot be renewed', async () => {
    const a = instance('a', 0);
    const first = await a.acquire(job, TTL);
    now += TTL;
    assert.equal(await a.renew(first!, TTL), undefined);
    const again = await a.acquire(job, TTL);
    assert.equal(again?.generation, first!.generation + 1);
    assert.equal(await a.holds(first!), false);
    assert.equal(await a.holds(again!), true);
  });
}

describe('leases', function () {
  this.timeout(30_000);

  describe('on SQLite, two connections to one file', () => {
    let dir: string;
    let stores: [SqliteStorage, SqliteStorage];
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'tap-bot-lease-'));
      const file = join(dir, 'bot.sqlite');
      stores = [new SqliteStorage({ path: file }), new SqliteStorage({ path: file })];
    });
    after(async () => {
      for (const s of stores) await s.close();
      rmSync(dir, { recursive: true, force: true });
    });
    leaseContract(() => stores);
  });

  describe('on Azure Blob Storage (Azurite), two clients', () => {
    let azurite: RunningAzurite | undefined;
    let stores: [BlobsDurableStorage, BlobsDurableStorage];
    before(async () => {
      azurite = await startAzurite();
      stores = [
        createBlobsStorage({ connectionString: azurite.connectionString, container: 'leases' }),
        createBlobsStorage({ connectionString: azurite.connectionString, container: 'leases' }),
      ];
      await stores[0].write({ warmUp: { n: 1 } }); // creates the container before the races
    });
    after(async () => {
      for (const s of stores ?? []) await s.close();
      await azurite?.stop();
    });
    leaseContract(() => stores);
  });
});
