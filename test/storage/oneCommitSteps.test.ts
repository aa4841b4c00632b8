/**
 * Issue 21: the records one step changes go in one commit where the store has transactions
 * (SQLite), without weakening compare-and-swap: a step is all or nothing, and nobody can
 * come between its reads and its writes. Blob storage has no such step and keeps one
 * compare-and-swap per document (its tests are the ones it always had).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { AuditLog } from '../../src/audit/auditLog';
import { ConcurrencyError } from '../../src/errors';
import { RequestClosedError } from '../../src/flow/errors';
import { LimitReachedError, VelocityLimiter } from '../../src/flow/gate/limits';
import { RequestRepository } from '../../src/flow/store/requestRepository';
import type { TapRequest } from '../../src/flow/types';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { ETAG_CREATE_ONLY } from '../../src/storage/types';
import { event } from '../support/auditFixtures';
import { draftRequest, quietLogs, T0, USERS } from '../support/flowWorld';

const draft = (id: string, approverIds: string[] = [USERS.nestor.id]): TapRequest => draftRequest(id, {}, approverIds);

/** Commits a store made: each step, each write() batch and each delete is one. */
function countCommits(storage: SqliteStorage): { commits: () => number } {
  const steps = sinon.spy(storage, 'updateAtomically');
  const batches = sinon.spy(storage, 'writeReturningETags');
  const deletes = sinon.spy(storage, 'delete');
  return { commits: () => steps.callCount + batches.callCount + deletes.callCount };
}

describe('one commit per step on SQLite', () => {
  quietLogs();
  let storage: SqliteStorage;
  beforeEach(() => {
    storage = new SqliteStorage({ path: ':memory:' });
  });
  afterEach(async () => {
    sinon.restore();
    await storage.close();
  });

  describe('the storage step', () => {
    it('a step that changes several keys stores all of them, each with its new eTag', async () => {
      await storage.write({ a: { n: 1 } });
      const eTags = await storage.updateAtomically((read) => {
        const a = read(['a'])['a'] as { n: number; eTag: string };
        return { a: { n: a.n + 1, eTag: a.eTag }, b: { n: 10, eTag: ETAG_CREATE_ONLY } };
      });
      const stored = await storage.read(['a', 'b']);
      assert.deepEqual([stored['a'].n, stored['b'].n], [2, 10]);
      assert.deepEqual(eTags, { a: stored['a'].eTag, b: stored['b'].eTag });
    });

    it('a step that throws stores nothing, and the caller gets its error', async () => {
      await assert.rejects(
        storage.updateAtomically(() => {
          throw new RangeError('refused');
        }),
        RangeError,
      );
      await assert.rejects(
        storage.updateAtomically(() => ({ a: { n: 1 }, b: { n: 2, eTag: 'stale' } })),
        ConcurrencyError,
      );
      assert.deepEqual(await storage.read(['a', 'b']), {});
    });

    it('two connections to one file counting at once lose no count and never retry', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tap-bot-step-'));
      const [a, b] = [new SqliteStorage({ path: join(dir, 'bot.sqlite') }), new SqliteStorage({ path: join(dir, 'bot.sqlite') })];
      try {
        const increment = (s: SqliteStorage) =>
          s.updateAtomically((read) => {
            const c = read(['counter'])['counter'] as { n: number; eTag: string } | undefined;
            return { counter: c ? { n: c.n + 1, eTag: c.eTag } : { n: 1, eTag: ETAG_CREATE_ONLY } };
          });
        await Promise.all(Array.from({ length: 100 }, (_, i) => increment(i % 2 ? a : b)));
        assert.equal((await a.read(['counter']))['counter'].n, 100);
      } finally {
        await a.close();
        await b.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('a new request and all its index entries are one commit', async () => {
    const repo = new RequestRepository(storage);
    const count = countCommits(storage);
    const stored = await repo.create(draft('TAP-ONE'));
    assert.equal(count.commits(), 1);
    assert.equal(stored?.state, 'PendingApproval');
    assert.equal((await repo.get('TAP-ONE'))?.eTag, stored?.eTag, 'the eTag returned is the stored one');
    assert.deepEqual((await repo.indexes.openEntries()).map((e) => e.id), ['TAP-ONE']);
    assert.deepEqual(await repo.indexes.recentByTarget(USERS.megan.id), ['TAP-ONE']);
    assert.deepEqual(await repo.indexes.recentByRequester(USERS.adele.id), ['TAP-ONE']);
    assert.deepEqual(await repo.indexes.recentByApprover(USERS.nestor.id), ['TAP-ONE']);
  });

  it('a request id that is taken is not overwritten, and the taken one keeps its index entries', async () => {
    const repo = new RequestRepository(storage);
    await repo.create(draft('TAP-TAKEN'));
    const again = await repo.create({ ...draft('TAP-TAKEN'), reason: 'someone else' });
    assert.equal(again, undefined);
    assert.equal((await repo.get('TAP-TAKEN'))?.reason, 'Lost phone');
    // The read before the step can be outrun: the step itself must refuse a taken id.
    sinon.stub(repo, 'get').resolves(undefined);
    assert.equal(await repo.create({ ...draft('TAP-TAKEN'), reason: 'raced' }), undefined);
    sinon.restore();
    assert.equal((await repo.get('TAP-TAKEN'))?.reason, 'Lost phone');
  });

  it('a request that finishes leaves the open list in the same commit', async () => {
    const repo = new RequestRepository(storage);
    await repo.create(draft('TAP-DONE'));
    const count = countCommits(storage);
    const denied = await repo.transition('TAP-DONE', 'PendingApproval', (r) => ({ ...r, state: 'Denied' }));
    assert.equal(count.commits(), 1);
    assert.equal(denied.eTag, (await repo.get('TAP-DONE'))?.eTag);
    assert.deepEqual(await repo.indexes.openEntries(), []);
  });

  it('a transition from a state the request has left is refused with the stored record, and writes nothing', async () => {
    const repo = new RequestRepository(storage);
    await repo.create(draft('TAP-GONE'));
    await repo.transition('TAP-GONE', 'PendingApproval', (r) => ({ ...r, state: 'Cancelled' }));
    const before = await repo.get('TAP-GONE');
    await assert.rejects(
      repo.transition('TAP-GONE', 'PendingApproval', (r) => ({ ...r, state: 'Approved' })),
      (e: unknown) => e instanceof RequestClosedError && e.request.state === 'Cancelled' && !('eTag' in e.request),
    );
    assert.deepEqual(await repo.get('TAP-GONE'), before);
  });

  it('an audit event and the chain head move in one commit, and the chain verifies', async () => {
    const audit = new AuditLog({ storage });
    const count = countCommits(storage);
    for (let i = 1; i <= 3; i++) await audit.record(event(i));
    assert.equal(count.commits(), 3);
    const report = await audit.verify();
    assert.equal(report.message, `audit chain intact: 3 events, from ${event(1).at} to ${event(3).at}`);
    assert.ok(!report.notes.some((n) => n.includes('not yet moved')));
  });

  describe('velocity counters', () => {
    const stillWaiting = async (ids: string[]) => new Set(ids);

    it('counting a request against its approvers and its agent is one commit', async () => {
      const limiter = new VelocityLimiter(storage, { requestsPerAgentPerHour: 5, openApprovalsPerApprover: 5, passesPerTargetPerDay: 3 });
      const count = countCommits(storage);
      await limiter.countRequest(draft('TAP-A', [USERS.nestor.id, USERS.lee.id]), USERS.adele.id, T0, stillWaiting);
      assert.equal(count.commits(), 1);
    });

    it('an agent over the hourly limit is refused and nothing is counted, not even on the approver\'s list', async () => {
      const limiter = new VelocityLimiter(storage, { requestsPerAgentPerHour: 1, openApprovalsPerApprover: 5, passesPerTargetPerDay: 3 });
      await limiter.countRequest(draft('TAP-A'), USERS.adele.id, T0, stillWaiting);
      await assert.rejects(limiter.countRequest(draft('TAP-B'), USERS.adele.id, T0, stillWaiting), (e: unknown) => e instanceof LimitReachedError && e.limit === 'requestsPerAgentPerHour');
      const key = `limits/approver-waiting/${encodeURIComponent(USERS.nestor.id)}`;
      const waiting = ((await storage.read([key]))[key] as { waiting: Array<{ id: string }> }).waiting;
      assert.deepEqual(waiting.map((w) => w.id), ['TAP-A']);
    });

    it('an approver with a full queue is named first, and two racing requests cannot both take the last place', async () => {
      const limiter = new VelocityLimiter(storage, { requestsPerAgentPerHour: 50, openApprovalsPerApprover: 1, passesPerTargetPerDay: 3 });
      const results = await Promise.allSettled(['TAP-X', 'TAP-Y'].map((id) => limiter.countRequest(draft(id), USERS.adele.id, T0, stillWaiting)));
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal((refused?.reason as LimitReachedError).limit, 'openApprovalsPerApprover');
      const key = `limits/agent-requests/${encodeURIComponent(USERS.adele.id)}`;
      assert.equal(((await storage.read([key]))[key] as { at: string[] }).at.length, 1, 'the refused request used none of the agent\'s allowance');
    });
  });
});
