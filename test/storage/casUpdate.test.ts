import assert from 'node:assert/strict';
import sinon from 'sinon';
import { ConcurrencyError } from '../../src/errors';
import { updateItem } from '../../src/storage/casUpdate';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import type { DurableStorage, StoreItems } from '../../src/storage/types';

interface Counter {
  n: number;
  by?: string[];
}

/** Runs `competitor` right before each of the wrapped store's next `times` writes. */
function interleaved(inner: SqliteStorage, competitor: () => Promise<void>, times = 1): SqliteStorage {
  let remaining = times;
  const wrapped = Object.create(inner) as SqliteStorage;
  wrapped.writeReturningETags = async (changes: StoreItems) => {
    if (remaining-- > 0) await competitor();
    return inner.writeReturningETags(changes);
  };
  return wrapped;
}

describe('updateItem', () => {
  let storage: SqliteStorage;
  beforeEach(() => {
    storage = new SqliteStorage({ path: ':memory:' });
  });
  afterEach(async () => {
    sinon.restore();
    await storage.close();
  });

  const bump = (who: string) => (c: Counter | undefined): Counter => ({ n: (c?.n ?? 0) + 1, by: [...(c?.by ?? []), who] });

  it('an updater that lost the race re-reads and applies its change on top of the winner\'s', async () => {
    await storage.write({ k: { n: 0 } });
    const other = (): Promise<void> => updateItem<Counter>(storage, 'k', bump('B')).then(() => undefined);
    const mutate = sinon.spy(bump('A'));
    const result = await updateItem<Counter>(interleaved(storage, other), 'k', mutate);
    assert.equal(mutate.callCount, 2);
    assert.deepEqual(result && { n: result.n, by: result.by }, { n: 2, by: ['B', 'A'] });
    const stored = (await storage.read(['k']))['k'];
    assert.equal(result?.eTag, stored.eTag);
  });

  it('of two updaters creating the same new key, both changes land (the loser retries on the winner\'s item)', async () => {
    const other = (): Promise<void> => updateItem<Counter>(storage, 'new', bump('B')).then(() => undefined);
    await updateItem<Counter>(interleaved(storage, other), 'new', bump('A'));
    assert.deepEqual((await storage.read(['new']))['new'].by, ['B', 'A']);
  });

  it('a creator that must not overwrite an existing item aborts when it finds one', async () => {
    const createRequest = (c: Counter | undefined) => (c ? 'abort' as const : { n: 1, by: ['A'] });
    const other = (): Promise<void> => storage.write({ req: { n: 1, by: ['B'] } });
    const result = await updateItem<Counter>(interleaved(storage, other), 'req', createRequest);
    assert.equal(result, undefined);
    assert.deepEqual((await storage.read(['req']))['req'].by, ['B']);
  });

  it('gives up with ConcurrencyError after the allowed retries, having written nothing of its own', async () => {
    await storage.write({ k: { n: 0 } });
    const other = (): Promise<void> => updateItem<Counter>(storage, 'k', bump('B')).then(() => undefined);
    await assert.rejects(
      updateItem<Counter>(interleaved(storage, other, 10), 'k', bump('A'), { retries: 2, backoffInMs: 0 }),
      ConcurrencyError,
    );
    const stored = (await storage.read(['k']))['k'];
    assert.deepEqual(stored.by, ['B', 'B', 'B']);
  });

  it('"abort" writes nothing and returns undefined', async () => {
    await storage.write({ k: { n: 5 } });
    const before = (await storage.read(['k']))['k'];
    assert.equal(await updateItem<Counter>(storage, 'k', () => 'abort'), undefined);
    assert.deepEqual((await storage.read(['k']))['k'], before);
  });

  it('returning undefined leaves the item as it is and returns it with its eTag', async () => {
    await storage.write({ k: { n: 5 } });
    const before = (await storage.read(['k']))['k'];
    assert.deepEqual(await updateItem<Counter>(storage, 'k', () => undefined), before);
    assert.deepEqual((await storage.read(['k']))['k'], before);
  });

  it('mutate sees the stored value without its eTag, and an eTag it returns is ignored', async () => {
    await storage.write({ k: { n: 1 } });
    let seen: unknown;
    await updateItem<Counter & { eTag?: string }>(storage, 'k', (c) => {
      seen = c;
      return { n: 2, eTag: '*' };
    });
    assert.deepEqual(seen, { n: 1 });
    const other = (): Promise<void> => storage.write({ k: { n: 100 } });
    // Had eTag '*' been honoured, the competitor's write would be silently overwritten once.
    const mutate = sinon.spy((c: (Counter & { eTag?: string }) | undefined) => ({ n: (c?.n ?? 0) + 1, eTag: '*' }));
    await updateItem(interleaved(storage, other), 'k', mutate);
    assert.equal(mutate.callCount, 2);
    assert.equal((await storage.read(['k']))['k'].n, 101);
  });

  it('works with a store that cannot report eTags from write', async () => {
    const plain: DurableStorage = {
      read: (keys) => storage.read(keys),
      write: (changes) => storage.write(changes),
      delete: (keys) => storage.delete(keys),
    };
    const result = await updateItem<Counter>(plain, 'k', bump('A'));
    assert.equal(result?.eTag, (await storage.read(['k']))['k'].eTag);
  });
});
