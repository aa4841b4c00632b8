/**
 * Bulk passes on blob storage (STORAGE=blobs, against Azurite): the request's head and each
 * member chunk are separate blobs with their own ETags, with no transaction across them. A
 * run with faults injected, and one taken over after a crash, still make every pass once.
 */
import assert from 'node:assert/strict';
import { generatedDirectory, GENERATED_GROUP, type GeneratedFacts } from '../../../sandbox/generate';
import { startSandbox } from '../../../sandbox/server';
import type { RunningSandbox } from '../../../sandbox/types';
import { AuditLog } from '../../../src/audit/auditLog';
import { BulkFlow } from '../../../src/flow/bulk/bulkFlow';
import { countMembers, type BulkNotifier, type BulkPage, type BulkPass, type BulkRequest } from '../../../src/flow/bulk/types';
import type { FlowNotifier } from '../../../src/flow/types';
import { createCredential } from '../../../src/graph/credential';
import { GraphGateway } from '../../../src/graph/gateway';
import { configureLogging } from '../../../src/log';
import { createBlobsStorage, type BlobsDurableStorage } from '../../../src/storage/blobsStorage';
import { Leases } from '../../../src/storage/lease';
import { startAzurite, type RunningAzurite } from '../../support/azurite';
import { AGENT, BULK_APPROVER, diesDuringCreate } from '../../support/bulkWorld';
import { flowConfig } from '../../support/flowWorld';

const ASK = { group: GENERATED_GROUP.displayName, scenario: 'newJoiner' as const, reason: 'December joiners from HR', startDateTime: new Date(Date.now() + 20 * 60_000).toISOString() };

class Pages implements BulkNotifier {
  pages: Array<{ page: BulkPage; passes: BulkPass[] }> = [];
  async requestBulkApproval(): Promise<void> {}
  async bulkUpdated(): Promise<void> {}
  async deliverBulkPage(_bulk: BulkRequest, page: BulkPage, passes: BulkPass[]): Promise<void> {
    this.pages.push({ page, passes });
  }
}

const quiet: FlowNotifier = {
  requestApproval: async () => undefined,
  requestUpdated: async () => undefined,
  deliverPass: async () => undefined,
  hidePass: async () => undefined,
  notifyOwner: async () => undefined,
  tell: async () => undefined,
  reportSuspicious: async () => undefined,
};

describe('bulk passes on blob storage (sandbox tenant, Azurite) @bulk', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let sandbox: RunningSandbox;
  let facts: GeneratedFacts;
  let storage: BlobsDurableStorage;
  const stores: BlobsDurableStorage[] = [];
  let graph: GraphGateway;
  let notifier: Pages;

  before(async () => {
    configureLogging({ level: 'silent' });
    azurite = await startAzurite();
    storage = createBlobsStorage({ connectionString: azurite.connectionString, container: 'bulk-e2e' });
    stores.push(storage);
    const generated = generatedDirectory({ members: 120 });
    facts = generated.facts;
    sandbox = await startSandbox({ port: 0, directory: generated.directory, knobs: { retryAfterFractional: true, retryAfterSeconds: 0.05 } });
    const credential = createCredential({ kind: 'secret', clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }, sandbox.tenantId, {
      authorityHost: sandbox.authorityHost,
      trustedCaPem: sandbox.caPem,
    });
    graph = new GraphGateway({ credential, baseUrl: sandbox.graphBaseUrl, trustedCaPem: sandbox.caPem, retryBaseDelayInMs: 20, maxRetries: 4, membershipCacheInMs: 0 });
    notifier = new Pages();
  });
  after(async () => {
    configureLogging({ level: 'info' });
    await sandbox?.stop();
    for (const s of stores) await s.close();
    await azurite?.stop();
  });

  const instance = (name: string, o: { graph?: GraphGateway; clock?: () => Date } = {}): BulkFlow =>
    new BulkFlow({
      graph: o.graph ?? graph,
      storage,
      audit: new AuditLog({ storage }),
      notifier,
      flowNotifier: quiet,
      config: flowConfig(),
      bulk: { writesPerSecond: 200, writeBurst: 20 },
      assertAgent: async () => undefined,
      leases: new Leases({ storage, holder: name, ...(o.clock ? { clock: o.clock } : {}) }),
      ...(o.clock ? { clock: o.clock } : {}),
    });

  const createsPerUser = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const r of sandbox.requests) {
      const items = r.batchItems ? r.batchItems.map((url, i) => ({ url, method: r.batchItemMethods?.[i] ?? '?' })) : [{ url: r.url, method: r.method }];
      for (const { url, method } of items) {
        const m = /\/users\/([^/?]+)\/authentication\/temporaryAccessPassMethods$/.exec(url.split('?')[0] ?? '');
        if (m && method === 'POST') counts.set(m[1]!.toLowerCase(), (counts.get(m[1]!.toLowerCase()) ?? 0) + 1);
      }
    }
    return counts;
  };

  it('issues every eligible member exactly once despite throttling and server errors, the members stored in chunk blobs', async () => {
    const flow = instance('instance-a');
    sandbox.resetRequests();
    sandbox.knobs.throttleRate = 0.1;
    sandbox.knobs.serverErrorRate = 0.05;
    const bulk = await flow.start(AGENT, ASK);
    await flow.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true });
    await flow.whenIdle();
    sandbox.knobs.throttleRate = 0;
    sandbox.knobs.serverErrorRate = 0;
    const done = (await flow.get(bulk.id)) as BulkRequest;
    assert.equal(done.state, 'Completed');
    const c = countMembers(done);
    assert.equal(c.issued + c.failed + c.refused, c.total, 'every member accounted for');
    assert.ok(c.issued >= c.eligible * 0.9, `most eligible members issued (${c.issued} of ${c.eligible})`);
    for (const m of done.members.filter((x) => x.state === 'issued')) assert.equal(sandbox.state.tapsOf(m.id).length, 1, `${m.id} holds one pass`);
    const delivered = notifier.pages.flatMap((p) => p.passes.map((x) => x.member.id));
    assert.equal(new Set(delivered).size, delivered.length, 'no code delivered twice');
    const head = (await storage.read([`bulk/${bulk.id}`]))[`bulk/${bulk.id}`];
    assert.equal(head.members, undefined, 'the head blob carries no members');
    const chunks = await storage.read(Array.from({ length: head.memberChunks as number }, (_, k) => `bulk/${bulk.id}/members/${String(k).padStart(4, '0')}`));
    assert.equal(Object.values(chunks).flatMap((x) => (x as { members: unknown[] }).members).length, facts.memberIds.length, 'every member in a chunk blob');
    for (const m of done.members) assert.ok(facts.memberIds.includes(m.id));
  });

  it('a run whose process died mid-create is taken over after its lease: no pass made twice, no member lost', async () => {
    // Clean slate for the members: the previous test's passes and open records would refuse them.
    sandbox.reset();
    const fresh = createBlobsStorage({ connectionString: azurite.connectionString, container: 'bulk-e2e-crash' });
    storage = fresh;
    stores.push(fresh);
    notifier.pages = [];
    const dying = instance('dying', { graph: diesDuringCreate(graph, 3) });
    const bulk = await dying.start(AGENT, ASK);
    void dying.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true });
    const watcher = instance('watcher');
    let caught: string[] = [];
    for (let i = 0; i < 400 && caught.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const b = (await watcher.get(bulk.id)) as BulkRequest;
      if (b.members.some((m) => m.state === 'sending')) {
        await new Promise((r) => setTimeout(r, 500));
        caught = ((await watcher.get(bulk.id)) as BulkRequest).members.filter((m) => m.state === 'sending').map((m) => m.id);
      }
    }
    assert.ok(caught.length > 0, 'some members were caught mid-create');
    const later = instance('restarted', { clock: () => new Date(Date.now() + 120_000) });
    assert.equal(await later.run(bulk.id).then((b) => b?.state), 'Completed');
    const done = (await later.get(bulk.id)) as BulkRequest;
    const c = countMembers(done);
    assert.equal(c.issued + c.failed + c.refused, c.total, 'every member accounted for');
    for (const [id, n] of createsPerUser()) assert.equal(n, 1, `exactly one create for ${id}`);
    for (const m of done.members.filter((x) => x.state === 'issued')) assert.equal(sandbox.state.tapsOf(m.id).length, 1);
    for (const id of caught) {
      const m = done.members.find((x) => x.id === id);
      if (m?.state === 'failed') assert.equal(sandbox.state.tapsOf(id).length, 0, 'a pass whose code died with the process is deleted');
      else assert.equal(m?.state, 'issued');
    }
  });
});
