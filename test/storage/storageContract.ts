/**
 * The ETag contract every DurableStorage of ours must keep, run against each backend
 * (SQLite here, Azure Blob Storage through Azurite) so callers see one behaviour.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ConcurrencyError } from '../../src/errors';
import { updateItem } from '../../src/storage/casUpdate';
import { ETAG_CREATE_ONLY, type DurableStorage, type HealthCheck, type StoreItems } from '../../src/storage/types';

type ContractStorage = DurableStorage &
  HealthCheck & { writeReturningETags(changes: StoreItems): Promise<Record<string, string>> };

export interface ContractOptions {
  /** Called in before(); the suite never closes it (the caller's after() does). */
  storage: () => ContractStorage;
  /** SQLite writes a batch in one transaction; blobs write item by item. */
  atomicBatches: boolean;
}

export function storageContract(options: ContractOptions): void {
  let storage: ContractStorage;
  let ns: string;
  before(() => {
    storage = options.storage();
  });
  // A fresh key prefix per test: a shared backend (one Azurite) needs no clean-up between tests.
  beforeEach(() => {
    ns = `t-${randomUUID()}/`;
  });
  const k = (name: string): string => ns + name;
  const value = async (key: string): Promise<Record<string, unknown> | undefined> => (await storage.read([key]))[key];

  it('reading keys that do not exist returns nothing for them', async () => {
    await storage.write({ [k('present')]: { n: 1 } });
    const items = await storage.read([k('present'), k('absent')]);
    assert.deepEqual(Object.keys(items), [k('present')]);
  });

  it('a written item reads back equal, with a string eTag, and the caller\'s object is left alone', async () => {
    const item = { name: 'Zoë Ørsted 🎫', nested: { list: [1, 'two', null], ok: true } };
    await storage.write({ [k('a')]: item });
    const read = await value(k('a'));
    assert.ok(read);
    const { eTag, ...rest } = read;
    assert.equal(typeof eTag, 'string');
    assert.deepEqual(rest, item);
    assert.equal('eTag' in item, false);
  });

  it('every write produces a new eTag', async () => {
    await storage.write({ [k('a')]: { n: 1 } });
    const first = (await value(k('a')))?.eTag;
    await storage.write({ [k('a')]: { n: 1 } });
    const second = (await value(k('a')))?.eTag;
    assert.notEqual(first, second);
  });

  it('a writer holding the current eTag succeeds, and a second writer with the now stale eTag fails', async () => {
    await storage.write({ [k('a')]: { n: 0 } });
    const seenByBoth = await value(k('a'));
    assert.ok(seenByBoth);
    await storage.write({ [k('a')]: { ...seenByBoth, n: 1 } });
    await assert.rejects(storage.write({ [k('a')]: { ...seenByBoth, n: 2 } }), ConcurrencyError);
    assert.equal((await value(k('a')))?.n, 1);
  });

  it('eTag "*", an empty eTag, or none writes unconditionally', async () => {
    await storage.write({ [k('a')]: { n: 0 } });
    await storage.write({ [k('a')]: { n: 1, eTag: '*' } });
    await storage.write({ [k('a')]: { n: 2, eTag: '' } });
    await storage.write({ [k('a')]: { n: 3 } });
    assert.equal((await value(k('a')))?.n, 3);
  });

  it('a write with an eTag for a key that does not exist fails and stores nothing', async () => {
    await assert.rejects(storage.write({ [k('ghost')]: { n: 1, eTag: '"0x8D0000000000000"' } }), ConcurrencyError);
    assert.equal(await value(k('ghost')), undefined);
  });

  it('a deleted item cannot be resurrected by a writer holding its old eTag', async () => {
    await storage.write({ [k('a')]: { n: 1 } });
    const old = await value(k('a'));
    await storage.delete([k('a')]);
    assert.equal(await value(k('a')), undefined);
    await assert.rejects(storage.write({ [k('a')]: { ...old, n: 2 } }), ConcurrencyError);
    assert.equal(await value(k('a')), undefined);
  });

  it('deleting keys that do not exist is fine', async () => {
    await storage.delete([k('never'), k('written')]);
  });

  it('create-only writes the first time and refuses when the key exists', async () => {
    await storage.write({ [k('a')]: { by: 'first', eTag: ETAG_CREATE_ONLY } });
    await assert.rejects(storage.write({ [k('a')]: { by: 'second', eTag: ETAG_CREATE_ONLY } }), ConcurrencyError);
    assert.equal((await value(k('a')))?.by, 'first');
  });

  it('of two concurrent create-only writers exactly one wins', async () => {
    const results = await Promise.allSettled([
      storage.write({ [k('a')]: { by: 'one', eTag: ETAG_CREATE_ONLY } }),
      storage.write({ [k('a')]: { by: 'two', eTag: ETAG_CREATE_ONLY } }),
    ]);
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(winners.length, 1);
    assert.ok(losers[0]!.reason instanceof ConcurrencyError);
  });

  it('writeReturningETags resolves with the eTag a later read sees, usable for the next conditional write', async () => {
    const eTags = await storage.writeReturningETags({ [k('a')]: { n: 1 }, [k('b')]: { n: 2 } });
    const items = await storage.read([k('a'), k('b')]);
    assert.equal(eTags[k('a')], items[k('a')].eTag);
    assert.equal(eTags[k('b')], items[k('b')].eTag);
    await storage.write({ [k('a')]: { n: 3, eTag: eTags[k('a')] } });
  });

  it('an eTag that is not a string is refused instead of being treated as unconditional', async () => {
    await storage.write({ [k('a')]: { n: 1 } });
    await assert.rejects(storage.write({ [k('a')]: { n: 2, eTag: 42 } }), TypeError);
    assert.equal((await value(k('a')))?.n, 1);
  });

  it('a batch with one stale eTag is refused with ConcurrencyError', async () => {
    await storage.write({ [k('a')]: { n: 0 } });
    const stale = await value(k('a'));
    await storage.write({ [k('a')]: { n: 1 } });
    await assert.rejects(storage.write({ [k('a')]: { ...stale, n: 2 }, [k('b')]: { n: 2 } }), ConcurrencyError);
    assert.equal((await value(k('a')))?.n, 1);
  });

  if (options.atomicBatches) {
    it('nothing of a batch is written when one of its items has a stale eTag', async () => {
      await storage.write({ [k('a')]: { n: 0 } });
      const stale = await value(k('a'));
      await storage.write({ [k('a')]: { n: 1 } });
      await assert.rejects(
        storage.write({ [k('new')]: { n: 9 }, [k('a')]: { ...stale, n: 2 }, [k('later')]: { n: 9 } }),
        ConcurrencyError,
      );
      assert.deepEqual(Object.keys(await storage.read([k('new'), k('later')])), []);
    });
  }

  it('concurrent updateItem increments all land, none is lost', async () => {
    const contenders = 5;
    await Promise.all(
      Array.from({ length: contenders }, () =>
        updateItem<{ n: number }>(storage, k('counter'), (c) => ({ n: (c?.n ?? 0) + 1 }), { retries: 20 }),
      ),
    );
    assert.equal((await value(k('counter')))?.n, contenders);
  });

  it('the health check succeeds when the store is reachable', async () => {
    await storage.check();
  });
}
