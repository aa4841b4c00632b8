/**
 * No pass is made in Entra and no code is shown while a write before it could still be lost
 * to a power cut (durableBefore.ts), on every road: the single request and the bulk run (the
 * command line runs the same BulkFlow). SQLite commits at synchronous=NORMAL; the rule is
 * that `barrier()` has made every one of them durable by the time the side effect starts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { TapFlow } from '../../src/flow/tapFlow';
import { CardRefStore } from '../../src/bot/cardRefs';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import type { BulkNotifier } from '../../src/flow/bulk/types';
import { GENERATED_GROUP } from '../../sandbox/generate';
import { AGENT, BULK_APPROVER, startBulkWorld, type BulkWorld } from '../support/bulkWorld';
import { fakeAudit, fakeNotifier, spiedGraph } from '../support/fakePorts';
import { actor, APPROVE, ask, contoso, flowConfig, quietLogs, storedWhen, USERS, type World } from '../support/flowWorld';

/** Records, at each side effect, how many commits a power cut could still take. */
function unsyncedAt(storage: SqliteStorage, seen: Array<{ what: string; unsynced: number }>, what: string): void {
  seen.push({ what, unsynced: storage.unsyncedCommits });
}

describe('no pass made and no code shown before the writes that guard it are durable', () => {
  quietLogs();
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'durable-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => sinon.restore());

  it('a commit is counted until a barrier, and a barrier with nothing to keep writes nothing', async () => {
    const storage = new SqliteStorage({ path: path.join(dir, 'count.sqlite') });
    try {
      assert.equal(storage.unsyncedCommits, 0);
      await storage.write({ a: { v: 1 } });
      await storage.updateAtomically(() => ({ b: { v: 2 } }));
      await storage.updateAtomically(() => ({}));
      assert.equal(storage.unsyncedCommits, 2, 'an empty step is no commit');
      await storage.barrier();
      assert.equal(storage.unsyncedCommits, 0);
      await storage.barrier();
      assert.equal(storage.unsyncedCommits, 0);
      const full = new SqliteStorage({ path: path.join(dir, 'full.sqlite'), synchronous: 'FULL' });
      await full.write({ a: { v: 1 } });
      assert.equal(full.unsyncedCommits, 0, 'at FULL every commit is durable by itself');
      await full.close();
    } finally {
      await storage.close();
    }
  });

  it("the delivery card's id is durable before the code goes on it; other card references wait for no disk", async () => {
    const storage = new SqliteStorage({ path: path.join(dir, 'cards.sqlite') });
    try {
      const refs = new CardRefStore(storage);
      await refs.register('TAP-222223', USERS.adele.id, 'status', { activityId: 'a1', conversationKey: 'c' });
      assert.equal(storage.unsyncedCommits, 1);
      await refs.register('TAP-222223', USERS.adele.id, 'delivery', { activityId: 'a2', conversationKey: 'c' });
      assert.equal(storage.unsyncedCommits, 0, 'recovery finds the card to take the code off, even after a power cut');
    } finally {
      await storage.close();
    }
  });

  it('single request: every write is durable when the pass is created and when its code is delivered', async () => {
    const storage = new SqliteStorage({ path: path.join(dir, 'single.sqlite') });
    try {
      const graph = spiedGraph(contoso());
      const notifier = fakeNotifier();
      const flow = new TapFlow({ graph, storage, audit: fakeAudit(), notifier, config: flowConfig() });
      const seen: Array<{ what: string; unsynced: number }> = [];
      const create = graph.createTap.bind(graph);
      (graph as unknown as { createTap: (...a: Parameters<typeof create>) => ReturnType<typeof create> }).createTap = (...a) => {
        unsyncedAt(storage, seen, 'create');
        return create(...a);
      };
      const deliver = notifier.deliverPass.bind(notifier);
      (notifier as unknown as { deliverPass: (...a: Parameters<typeof deliver>) => ReturnType<typeof deliver> }).deliverPass = (...a) => {
        unsyncedAt(storage, seen, 'deliver');
        return deliver(...a);
      };
      const request = await flow.startRequest(actor('adele'), ask(USERS.megan.upn));
      assert.ok(storage.unsyncedCommits > 0, 'the request itself waits for no disk');
      await flow.decide(actor('nestor'), request.id, APPROVE);
      await storedWhen({ stored: (id: string) => flow.getRequest(id) } as unknown as World, request.id, (r) => r.state === 'Issued');
      assert.deepEqual(seen, [
        { what: 'create', unsynced: 0 },
        { what: 'deliver', unsynced: 0 },
      ]);
    } finally {
      await storage.close();
    }
  });

  describe('bulk run (Teams and the command line)', () => {
    let w: BulkWorld;
    before(async () => {
      w = await startBulkWorld({ members: 12 });
    });
    after(async () => w?.stop());

    it('every write is durable when a wave of passes is created and when a page of codes is shown', async () => {
      const seen: Array<{ what: string; unsynced: number }> = [];
      const createAll = w.graph.createTapsOnce.bind(w.graph);
      sinon.replace(w.graph, 'createTapsOnce', (...a: Parameters<typeof createAll>) => {
        unsyncedAt(w.storage, seen, 'create');
        return createAll(...a);
      });
      const page = w.notifier.deliverBulkPage.bind(w.notifier);
      sinon.replace(w.notifier as BulkNotifier, 'deliverBulkPage', (...a: Parameters<typeof page>) => {
        unsyncedAt(w.storage, seen, 'page');
        return page(...a);
      });
      const bulk = await w.flow.start(AGENT, { group: GENERATED_GROUP.displayName, scenario: 'newJoiner', reason: 'December joiners from HR', startDateTime: new Date(Date.now() + 20 * 60_000).toISOString() });
      await w.flow.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true });
      await w.flow.whenIdle();
      assert.ok(seen.some((s) => s.what === 'create') && seen.some((s) => s.what === 'page'), JSON.stringify(seen));
      assert.deepEqual(seen.filter((s) => s.unsynced !== 0), []);
    });
  });
});
