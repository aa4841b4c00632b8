/**
 * The bulk request's stored layout (src/flow/bulk/repository.ts): a head and member chunks,
 * so a wave writes only what it changed; the same rules on SQLite (one transaction per
 * change) and on blob storage (each document its own compare-and-swap, against Azurite).
 */
import assert from 'node:assert/strict';
import { bulkHoldOn } from '../../../src/flow/bulk/holds';
import { BulkRepository, MEMBERS_PER_CHUNK } from '../../../src/flow/bulk/repository';
import type { BulkMember, BulkRequest } from '../../../src/flow/bulk/types';
import { createBlobsStorage, type BlobsDurableStorage } from '../../../src/storage/blobsStorage';
import { SqliteStorage } from '../../../src/storage/sqliteStorage';
import type { DurableStorage, StoreItems } from '../../../src/storage/types';
import { startAzurite, type RunningAzurite } from '../../support/azurite';

const NOW = new Date('2026-03-02T09:00:00Z');
const clock = (): Date => NOW;

function member(i: number, state: BulkMember['state'] = 'pending'): BulkMember {
  return { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, userPrincipalName: `u${i}@contoso.test`, displayName: `User ${i}`, state, attempts: 0 };
}

function request(id: string, members: number, state: BulkRequest['state'] = 'Issuing'): BulkRequest {
  return {
    id,
    state,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    expiresAt: new Date(NOW.getTime() + 3_600_000).toISOString(),
    tenantId: 'tenant',
    requester: { id: 'agent', displayName: 'Agent', userPrincipalName: 'agent@contoso.test' },
    via: 'teams',
    group: { id: 'group', displayName: 'Joiners', nested: false },
    nestedGroupsSkipped: [],
    scenario: 'newJoiner',
    reason: 'December joiners',
    settings: { lifetimeInMinutes: 60, isUsableOnce: true },
    approverGroupId: 'approvers',
    approvers: [{ id: 'approver', displayName: 'Approver', userPrincipalName: 'approver@contoso.test' }],
    deliverTo: 'requester',
    members: Array.from({ length: members }, (_, i) => member(i)),
    pages: [],
  };
}

/** The keys each commit (a write, or one transaction) stored. */
class CountingStorage implements DurableStorage {
  commits: string[][] = [];
  constructor(readonly inner: DurableStorage) {
    if (inner.updateAtomically) {
      this.updateAtomically = (step) =>
        inner.updateAtomically!((read) => {
          const changes = step(read);
          if (Object.keys(changes).length > 0) this.commits.push(Object.keys(changes));
          return changes;
        });
    }
  }
  updateAtomically?: DurableStorage['updateAtomically'];
  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }
  async write(changes: StoreItems): Promise<void> {
    this.commits.push(Object.keys(changes));
    await this.inner.write(changes);
  }
  async writeReturningETags(changes: StoreItems): Promise<Record<string, string>> {
    this.commits.push(Object.keys(changes));
    return this.inner.writeReturningETags ? this.inner.writeReturningETags(changes) : (await this.inner.write(changes), {});
  }
  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
  /** Keys of the bulk request's documents written (the open-requests index aside). */
  keysWritten(): string[] {
    return this.commits.flat().filter((k) => k.startsWith('bulk/'));
  }
}

const ids = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => member(from + i).id);

for (const kind of ['sqlite', 'blobs'] as const) {
  describe(`bulk request storage: a head and member chunks (${kind})`, function () {
    this.timeout(30_000);
    let azurite: RunningAzurite | undefined;
    let base: DurableStorage;
    let n = 0;
    let id: string;

    before(async () => {
      if (kind === 'blobs') {
        azurite = await startAzurite();
        base = createBlobsStorage({ connectionString: azurite.connectionString, container: 'bulk-layout' });
      } else {
        base = new SqliteStorage({ path: ':memory:' });
      }
    });
    after(async () => {
      if (kind === 'blobs') await (base as BlobsDurableStorage | undefined)?.close();
      else await (base as SqliteStorage | undefined)?.close();
      await azurite?.stop();
    });
    beforeEach(() => {
      id = `BULK-${kind}-${++n}`;
    });

    it('stores the request as a head without members and chunks of members in their order', async () => {
      const repo = new BulkRepository(base, clock);
      assert.equal(await repo.create(request(id, 60)), true);
      const items = await base.read([`bulk/${id}`, `bulk/${id}/members/0000`, `bulk/${id}/members/0001`, `bulk/${id}/members/0002`, `bulk/${id}/members/0003`]);
      assert.equal(items[`bulk/${id}`].members, undefined, 'the head carries no members');
      assert.equal(items[`bulk/${id}`].memberChunks, 3);
      assert.deepEqual(items[`bulk/${id}/members/0000`].members.map((m: BulkMember) => m.id), ids(0, MEMBERS_PER_CHUNK));
      assert.equal(items[`bulk/${id}/members/0002`].members.length, 60 - 2 * MEMBERS_PER_CHUNK);
      assert.equal(items[`bulk/${id}/members/0003`], undefined);
      const read = await new BulkRepository(base, clock).get(id);
      assert.deepEqual(read?.members.map((m) => m.id), ids(0, 60), 'read back whole, in order, by another instance');
      assert.equal(await repo.create(request(id, 60)), false, 'an id is taken once');
    });

    it('a wave writes only the chunks of its own members, not the head nor the rest of the run', async () => {
      const repo = new BulkRepository(base, clock);
      await repo.create(request(id, 200));
      const counting = new CountingStorage(base);
      const run = new BulkRepository(counting, clock);
      await run.get(id);
      // 20 members from the middle of chunk 1 into chunk 2.
      const wave = ids(40, 60);
      const { bulk, changed } = await run.updateMembers(id, wave, (m, head) => (head.state === 'Issuing' && m.state === 'pending' ? { ...m, state: 'sending', attempts: 1 } : undefined));
      assert.deepEqual([...changed].sort(), wave);
      assert.deepEqual(counting.keysWritten().sort(), [`bulk/${id}/members/0001`, `bulk/${id}/members/0002`]);
      assert.equal(bulk.members.length, 200, 'the whole request comes back');
      assert.equal(bulk.members.filter((m) => m.state === 'sending').length, 20);
      const stored = await new BulkRepository(base, clock).get(id);
      assert.deepEqual(stored?.members.filter((m) => m.state === 'sending').map((m) => m.id), wave, 'as stored');
    });

    it('a page handed over writes the head and its members\' chunks, nothing else', async () => {
      const repo = new BulkRepository(base, clock);
      const b = request(id, 100);
      b.members = b.members.map((m, i) => (i < 20 ? { ...m, state: 'created' } : m));
      b.pages = [{ n: 1, recipientId: 'agent', memberIds: ids(0, 20), deliveredAt: '', expiresDateTime: NOW.toISOString() }];
      await repo.create(b);
      const counting = new CountingStorage(base);
      const run = new BulkRepository(counting, clock);
      await run.get(id);
      const { bulk } = await run.change(id, {
        head: (h) => ({ ...h, pages: h.pages.map((p) => ({ ...p, deliveredAt: NOW.toISOString() })) }),
        ids: ids(0, 20),
        member: (m) => (m.state === 'created' ? { ...m, state: 'issued', page: 1 } : undefined),
      });
      assert.deepEqual(counting.keysWritten().sort(), [`bulk/${id}`, `bulk/${id}/members/0000`]);
      if (kind === 'sqlite') assert.equal(counting.commits.length, 1, 'one commit on SQLite');
      assert.equal(bulk.pages[0]?.deliveredAt, NOW.toISOString());
      assert.equal(bulk.members.filter((m) => m.state === 'issued').length, 20);
    });

    it('a change of the whole request writes only the documents that changed', async () => {
      const repo = new BulkRepository(base, clock);
      await repo.create(request(id, 100, 'PendingApproval'));
      const counting = new CountingStorage(base);
      const approved = await new BulkRepository(counting, clock).update(id, (b) => ({ ...b, state: 'Issuing' }));
      assert.equal(approved.state, 'Issuing');
      assert.deepEqual(counting.keysWritten(), [`bulk/${id}`], 'a state change writes the head alone');
      counting.commits = [];
      const stopped = await new BulkRepository(counting, clock).update(id, (b) => ({ ...b, state: 'Failed', members: b.members.map((m, i) => (i === 30 ? { ...m, state: 'failed' } : m)) }));
      assert.equal(stopped.members[30]?.state, 'failed');
      assert.deepEqual(counting.keysWritten().sort(), [`bulk/${id}`, `bulk/${id}/members/0001`]);
    });

    it('a wave marks no member once the request is stopped: a cancel stored first wins', async () => {
      const repo = new BulkRepository(base, clock);
      await repo.create(request(id, 50));
      const run = new BulkRepository(base, clock);
      await run.get(id);
      // Another instance cancels.
      await new BulkRepository(base, clock).update(id, (b) => ({ ...b, state: 'Cancelled' }));
      const { bulk, changed } = await run.updateMembers(id, ids(0, 20), (m, head) => (head.state === 'Issuing' && m.state === 'pending' ? { ...m, state: 'sending' } : undefined));
      assert.equal(changed.size, 0);
      assert.equal(bulk.state, 'Cancelled');
      assert.equal((await repo.get(id))?.members.filter((m) => m.state === 'sending').length, 0);
    });

    it('two instances marking the same members: each member goes to exactly one of them', async () => {
      await new BulkRepository(base, clock).create(request(id, 60));
      const a = new BulkRepository(base, clock);
      const b = new BulkRepository(base, clock);
      await Promise.all([a.get(id), b.get(id)]);
      const mark = (repo: BulkRepository, who: string): Promise<{ changed: Set<string> }> =>
        repo.updateMembers(id, ids(10, 50), (m, head) => (head.state === 'Issuing' && m.state === 'pending' ? { ...m, state: 'sending', sentAt: who } : undefined));
      const [ra, rb] = await Promise.all([mark(a, 'a'), mark(b, 'b')]);
      for (const m of ids(10, 50)) assert.equal(Number(ra.changed.has(m)) + Number(rb.changed.has(m)), 1, `${m} taken once`);
      const stored = await a.get(id);
      for (const m of stored!.members.slice(10, 50)) assert.equal(m.sentAt, ra.changed.has(m.id) ? 'a' : 'b', 'stored as the one that took it says');
    });

    it('an upgraded bot reads and resumes a run stored in the old layout (one document, members in it)', async () => {
      const old = request(id, 60);
      old.members = old.members.map((m, i) => (i < 5 ? { ...m, state: 'issued' } : i < 8 ? { ...m, state: 'sending', sentAt: NOW.toISOString() } : m));
      await base.write({ [`bulk/${id}`]: old });
      const repo = new BulkRepository(base, clock);
      const read = await repo.get(id);
      assert.deepEqual(read?.members.map((m) => m.state).slice(0, 9), ['issued', 'issued', 'issued', 'issued', 'issued', 'sending', 'sending', 'sending', 'pending']);
      assert.equal((await repo.head(id))?.state, 'Issuing');
      // The hold rule reads it too.
      assert.equal((await bulkHoldOn(base, id, member(6).id, NOW))?.id, id, 'a member being sent is held');
      assert.equal(await bulkHoldOn(base, id, member(1).id, NOW), undefined, 'an issued member is not');
      // The first change stores it split, and changes it.
      const { changed } = await repo.updateMembers(id, ids(8, 28), (m, head) => (head.state === 'Issuing' && m.state === 'pending' ? { ...m, state: 'sending' } : undefined));
      assert.equal(changed.size, 20);
      const head = (await base.read([`bulk/${id}`]))[`bulk/${id}`];
      assert.equal(head.members, undefined, 'stored split now');
      assert.equal(head.memberChunks, 3);
      const after = await new BulkRepository(base, clock).get(id);
      assert.deepEqual(after?.members.map((m) => m.id), ids(0, 60), 'nobody lost, order kept');
      assert.equal(after?.members.filter((m) => m.state === 'issued').length, 5);
      assert.equal(after?.members.filter((m) => m.state === 'sending').length, 23);
    });

    it('the open-request hold reads a member through the repository: held while pending or in hand, not once issued or the run ends', async () => {
      const b = request(id, 60);
      b.members = b.members.map((m, i) => (i === 55 ? { ...m, state: 'issued' } : m));
      await new BulkRepository(base, clock).create(b);
      assert.equal((await bulkHoldOn(base, id, member(54).id, NOW))?.holder.stage, 'issuing');
      assert.equal(await bulkHoldOn(base, id, member(55).id, NOW), undefined);
      assert.equal(await bulkHoldOn(base, id, '00000000-0000-4000-8000-999999999999', NOW), undefined);
      await new BulkRepository(base, clock).update(id, (x) => ({ ...x, state: 'Completed' }));
      assert.equal(await bulkHoldOn(base, id, member(54).id, NOW), undefined);
    });
  });
}
