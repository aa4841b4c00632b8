import assert from 'node:assert/strict';
import sinon from 'sinon';
import { ConcurrencyError, FlowError } from '../../../src/errors';
import { RequestClosedError } from '../../../src/flow/errors';
import { RequestRepository } from '../../../src/flow/store/requestRepository';
import type { TapRequest } from '../../../src/flow/types';
import { SqliteStorage } from '../../../src/storage/sqliteStorage';
import { ETAG_CREATE_ONLY, type DurableStorage } from '../../../src/storage/types';
import { MemoryStorage } from '../../support/fakePorts';
import { draftRequest, quietLogs, sequentialId, USERS } from '../../support/flowWorld';

const draft = (id: string, overrides: Partial<TapRequest> = {}): TapRequest => draftRequest(id, overrides);

const approve = (r: TapRequest): TapRequest => ({ ...r, state: 'Approved' });

const backends: Array<[string, () => DurableStorage]> = [
  ['the in-memory fake', () => new MemoryStorage()],
  ['SqliteStorage', () => new SqliteStorage({ path: ':memory:' })],
];

describe('request repository', () => {
  quietLogs();
  afterEach(() => sinon.restore());

  for (const [backend, makeStorage] of backends) {
    describe(`over ${backend}`, () => {
      it('stores under request/<id> and reads back with an eTag', async () => {
        const storage = makeStorage();
        const repo = new RequestRepository(storage);
        const created = await repo.create(draft('TAP-222222'));
        assert.ok(created?.eTag);
        const read = await repo.get('TAP-222222');
        assert.equal(read?.state, 'PendingApproval');
        assert.ok(read?.eTag);
        assert.ok((await storage.read(['request/TAP-222222']))['request/TAP-222222']);
      });

      it('a taken id is not overwritten', async () => {
        const repo = new RequestRepository(makeStorage());
        await repo.create(draft('TAP-222222'));
        assert.equal(await repo.create(draft('TAP-222222', { reason: 'other' })), undefined);
        assert.equal((await repo.get('TAP-222222'))?.reason, 'Lost phone');
      });

      it('of two concurrent transitions from the same state exactly one wins; the loser sees the winner\'s record', async () => {
        const repo = new RequestRepository(makeStorage());
        await repo.create(draft('TAP-222222'));
        const results = await Promise.allSettled([
          repo.transition('TAP-222222', 'PendingApproval', (r) => ({ ...r, state: 'Approved', reason: 'first' })),
          repo.transition('TAP-222222', 'PendingApproval', (r) => ({ ...r, state: 'Denied', reason: 'second' })),
        ]);
        const won = results.filter((r): r is PromiseFulfilledResult<TapRequest> => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1);
        assert.equal(lost.length, 1);
        const error: unknown = lost[0]!.reason;
        assert.ok(error instanceof RequestClosedError);
        assert.equal(error.code, 'requestClosed');
        assert.equal(error.request.state, won[0]!.value.state);
        assert.equal((await repo.get('TAP-222222'))?.state, won[0]!.value.state);
      });
    });
  }

  it('the state is checked on the stored record, not on the caller\'s copy', async () => {
    const repo = new RequestRepository(new MemoryStorage());
    await repo.create(draft('TAP-222222'));
    await repo.transition('TAP-222222', 'PendingApproval', (r) => ({ ...r, state: 'Cancelled' }));
    await assert.rejects(repo.transition('TAP-222222', 'PendingApproval', approve), (e: unknown) => e instanceof RequestClosedError && e.request.state === 'Cancelled');
  });

  it('a transition the lifecycle forbids is a programming error and stores nothing', async () => {
    const repo = new RequestRepository(new MemoryStorage());
    await repo.create(draft('TAP-222222'));
    await assert.rejects(repo.transition('TAP-222222', 'PendingApproval', (r) => ({ ...r, state: 'Issued' })), /PendingApproval to Issued/);
    assert.equal((await repo.get('TAP-222222'))?.state, 'PendingApproval');
  });

  it('a missing request is requestNotFound', async () => {
    const repo = new RequestRepository(new MemoryStorage());
    await assert.rejects(repo.transition('TAP-222222', 'PendingApproval', approve), (e: unknown) => e instanceof FlowError && e.code === 'requestNotFound');
  });

  it('sets updatedAt from its clock and keeps the id', async () => {
    const repo = new RequestRepository(new MemoryStorage(), { clock: () => new Date('2030-01-01T08:10:00Z') });
    await repo.create(draft('TAP-222222'));
    const next = await repo.transition('TAP-222222', 'PendingApproval', (r) => ({ ...approve(r), id: 'TAP-333333' }));
    assert.equal(next.id, 'TAP-222222');
    assert.equal(next.updatedAt, '2030-01-01T08:10:00.000Z');
  });

  it('gives up with concurrentUpdate when the record keeps changing under it', async () => {
    const storage = new MemoryStorage();
    const repo = new RequestRepository(storage);
    await repo.create(draft('TAP-222222'));
    sinon.stub(storage, 'writeReturningETags').rejects(new ConcurrencyError('request/TAP-222222'));
    await assert.rejects(repo.transition('TAP-222222', 'PendingApproval', approve), (e: unknown) => e instanceof FlowError && e.code === 'concurrentUpdate');
  });

  describe('indexes', () => {
    it('concurrent creates lose no index entry', async () => {
      const repo = new RequestRepository(new MemoryStorage());
      const ids = Array.from({ length: 12 }, (_, i) => sequentialId(i + 1));
      await Promise.all(ids.map((id) => repo.create(draft(id))));
      assert.deepEqual((await repo.indexes.openEntries()).map((e) => e.id).sort(), [...ids].sort());
      assert.deepEqual((await repo.indexes.recentByRequester(USERS.adele.id)).sort(), [...ids].sort());
      assert.deepEqual((await repo.indexes.recentByTarget(USERS.megan.id)).sort(), [...ids].sort());
    });

    it('recent lists keep the newest 50, newest first', async () => {
      const repo = new RequestRepository(new MemoryStorage());
      for (let i = 1; i <= 52; i++) await repo.create(draft(sequentialId(i)));
      const recent = await repo.indexes.recentByRequester(USERS.adele.id);
      assert.equal(recent.length, 50);
      assert.equal(recent[0], sequentialId(52));
      assert.equal(recent[49], sequentialId(3));
    });

    it('a finished request leaves the open index; an in-flight one stays', async () => {
      const repo = new RequestRepository(new MemoryStorage());
      await repo.create(draft('TAP-222222'));
      await repo.create(draft('TAP-333333'));
      await repo.transition('TAP-222222', 'PendingApproval', (r) => ({ ...r, state: 'Denied' }));
      await repo.transition('TAP-333333', 'PendingApproval', approve);
      assert.deepEqual((await repo.indexes.openEntries()).map((e) => e.id), ['TAP-333333']);
    });
  });
});

describe('the in-memory storage fake keeps the ETag contract', () => {
  it('a stale eTag, an eTag for a missing key, and create-only on an existing key all fail', async () => {
    const storage = new MemoryStorage();
    await storage.write({ k: { v: 1 } });
    const { k } = await storage.read(['k']);
    await storage.write({ k: { ...k, v: 2 } });
    await assert.rejects(storage.write({ k: { ...k, v: 3 } }), ConcurrencyError);
    await assert.rejects(storage.write({ missing: { v: 1, eTag: '"1"' } }), ConcurrencyError);
    await assert.rejects(storage.write({ k: { v: 4, eTag: ETAG_CREATE_ONLY } }), ConcurrencyError);
    assert.equal((await storage.read(['k'])).k.v, 2);
    await storage.write({ k: { v: 5, eTag: '*' } });
    assert.equal((await storage.read(['k'])).k.v, 5);
  });
});
