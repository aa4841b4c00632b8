/**
 * Bulk passes for a group against the sandbox tenant (real gateway over HTTPS, SQLite, the
 * real audit log): every member accounted for, refused members never get a pass, faults
 * and restarts never create a pass twice.
 */
import assert from 'node:assert/strict';
import { GENERATED_GROUP } from '../../../sandbox/generate';
import { configureLogging } from '../../../src/log';
import { countMembers, type BulkRequest } from '../../../src/flow/bulk/types';
import { AGENT, BULK_APPROVER, diesDuringCreate, startBulkWorld, type BulkWorld } from '../../support/bulkWorld';

/** Joiners whose first morning starts within the hour: their passes are made at approval. */
const ASK = { group: GENERATED_GROUP.displayName, scenario: 'newJoiner' as const, reason: 'December joiners from HR', startDateTime: new Date(Date.now() + 20 * 60_000).toISOString() };

function refusedIds(bulk: BulkRequest): string[] {
  return bulk.members.filter((m) => m.state === 'refused').map((m) => m.id);
}

describe('bulk passes for a group (sandbox tenant, SQLite) @bulk', function () {
  this.timeout(120_000);
  before(() => configureLogging({ level: 'silent' }));
  after(() => configureLogging({ level: 'info' }));

  describe('200 members with 429s and 5xx injected', () => {
    let w: BulkWorld;
    before(async () => {
      w = await startBulkWorld({ members: 200 });
    });
    after(async () => w?.stop());

    it('refuses guests, admins, protected and disabled members at request time and says why', async () => {
      const bulk = await w.flow.start(AGENT, ASK);
      const refused = new Set(refusedIds(bulk));
      for (const id of [...w.facts.guests, ...w.facts.admins, ...w.facts.protectedIds, ...w.facts.disabled]) assert.ok(refused.has(id), `${id} should be refused`);
      const guest = bulk.members.find((m) => m.id === w.facts.guests[0]);
      assert.equal(guest?.code, 'targetIsGuest');
      assert.match(guest?.reason ?? '', /guest/);
      assert.equal(w.notifier.approvals.length, 1, 'the bulk approvers are asked once');
      assert.equal(w.sandbox.state.tapsOf(w.facts.memberIds[0]!).length, 0, 'nothing is created before approval');
      await w.flow.cancel(AGENT, bulk.id);
    });

    it('issues every eligible member exactly once despite 10 % throttling and 5 % server errors, and accounts for everyone', async () => {
      w.sandbox.knobs.throttleRate = 0.1;
      w.sandbox.knobs.serverErrorRate = 0.05;
      w.sandbox.resetRequests();
      w.notifier.pages = [];
      const bulk = await w.flow.start(AGENT, ASK);
      await w.flow.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true });
      await w.flow.whenIdle();
      w.sandbox.knobs.throttleRate = 0;
      w.sandbox.knobs.serverErrorRate = 0;
      const done = (await w.flow.get(bulk.id)) as BulkRequest;
      assert.equal(done.state, 'Completed');
      const c = countMembers(done);
      assert.equal(c.issued + c.failed + c.refused, c.total, 'every member ends issued, failed or refused');
      assert.equal(c.waiting, 0);
      for (const m of done.members.filter((x) => x.state === 'failed')) assert.ok(m.reason && m.reason.length > 10, `failed member ${m.id} has a reason`);
      const creates = w.createsPerUser();
      for (const id of refusedIds(done)) assert.equal(w.sandbox.state.tapsOf(id).length, 0, `refused ${id} has no pass`);
      // Zero duplicates: every issued member holds exactly one pass, and its code reached the requester once.
      const delivered = w.notifier.pages.flatMap((p) => p.passes.map((x) => x.member.id));
      assert.equal(new Set(delivered).size, delivered.length, 'no code delivered twice');
      for (const m of done.members.filter((x) => x.state === 'issued')) {
        assert.equal(w.sandbox.state.tapsOf(m.id).length, 1);
        assert.ok(delivered.includes(m.id));
      }
      const created = [...creates.values()].reduce((a, b) => a + b, 0);
      assert.ok(created >= c.issued, 'creates counted on the sandbox side');
      assert.ok(c.issued >= c.eligible * 0.9, `most eligible members are issued (${c.issued} of ${c.eligible})`);
      // Pages: at most 20 members each, codes never in storage.
      for (const p of done.pages) assert.ok(p.memberIds.length <= 20);
      // Every document of the request: its head and its member chunks.
      const keys = await w.storage.listKeys(`bulk/${bulk.id}`);
      assert.ok(keys.length > 1, 'the request is stored as a head and member chunks');
      const stored = JSON.stringify(await w.storage.read(keys));
      for (const p of w.notifier.pages.flatMap((x) => x.passes)) assert.ok(!stored.includes(p.temporaryAccessPass), 'no code in storage');
      const events = await w.audit.recent(1000);
      const perMember = events.filter((e) => e.action === 'bulk.member' && e.requestId === bulk.id);
      assert.ok(perMember.length >= c.total, 'one audit event per member');
      for (const p of w.notifier.pages.flatMap((x) => x.passes)) assert.ok(!JSON.stringify(events).includes(p.temporaryAccessPass), 'no code in the audit');
    });
  });

  describe('checked again at approval', () => {
    let w: BulkWorld;
    before(async () => {
      w = await startBulkWorld({ members: 30, bulk: { eligibility: 'any' } });
    });
    after(async () => w?.stop());

    it('a member made admin or disabled after the request gets no pass, and says why', async () => {
      const bulk = await w.flow.start(AGENT, ASK);
      const eligible = bulk.members.filter((m) => m.state === 'pending').map((m) => m.id);
      const [madeAdmin, disabled] = eligible as [string, string];
      w.sandbox.state.assignRole('62e90394-69f5-4237-9190-012177145e10', madeAdmin);
      w.sandbox.state.updateUser(disabled, { accountEnabled: false });
      await w.flow.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true });
      await w.flow.whenIdle();
      const done = (await w.flow.get(bulk.id)) as BulkRequest;
      for (const id of [madeAdmin, disabled]) {
        const m = done.members.find((x) => x.id === id);
        assert.equal(m?.state, 'refused', `${id} changed after the request`);
        assert.match(m?.reason ?? '', /^Changed since the request:/);
        assert.equal(w.createsPerUser().get(id) ?? 0, 0, 'no create was sent for them');
      }
      assert.equal(done.state, 'Completed');
    });

    it('an approver no longer in the bulk approver group cannot approve, and the requester never can', async () => {
      const bulk = await w.flow.start(AGENT, ASK);
      await assert.rejects(w.flow.decide(AGENT, bulk.id, { action: 'approve', attested: true }), /someone else has to approve/);
      w.sandbox.state.removeGroupMember('aaaa0000-0000-4000-8000-000000000002', BULK_APPROVER.aadObjectId);
      await assert.rejects(w.flow.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true }), /not yours to decide/);
      w.sandbox.state.addGroupMember('aaaa0000-0000-4000-8000-000000000002', BULK_APPROVER.aadObjectId);
      assert.equal(((await w.flow.get(bulk.id)) as BulkRequest).state, 'PendingApproval');
      await w.flow.cancel(AGENT, bulk.id);
    });

    it('an approver who is one of the members cannot approve passes that include their own', async () => {
      w.sandbox.state.addGroupMember(GENERATED_GROUP.id, BULK_APPROVER.aadObjectId);
      try {
        const bulk = await w.flow.start(AGENT, ASK);
        assert.equal(bulk.members.find((m) => m.id === BULK_APPROVER.aadObjectId)?.state, 'pending');
        await assert.rejects(w.flow.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true }), /You are one of the members/);
        assert.equal(w.createsPerUser().get(BULK_APPROVER.aadObjectId) ?? 0, 0);
        await w.flow.cancel(AGENT, bulk.id);
      } finally {
        w.sandbox.state.removeGroupMember(GENERATED_GROUP.id, BULK_APPROVER.aadObjectId);
      }
    });
  });

  describe('a crash in the middle', () => {
    let w: BulkWorld;
    before(async () => {
      w = await startBulkWorld({ members: 120 });
    });
    after(async () => w?.stop());

    it('another instance takes over once the lease lapses: no pass created twice, no member lost, passes whose codes died with the process are deleted', async () => {
      const dying = w.another('dying', { graph: diesDuringCreate(w.graph, 3) });
      const bulk = await dying.start(AGENT, ASK);
      void dying.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true });
      // Wait until the third create batch has gone out and the "process" has gone quiet.
      let lastUpdate = '';
      let quietSince = Date.now();
      for (let i = 0; i < 400; i++) {
        const b = (await w.flow.get(bulk.id)) as BulkRequest;
        if (b.updatedAt !== lastUpdate) {
          lastUpdate = b.updatedAt;
          quietSince = Date.now();
        } else if (b.members.some((m) => m.state === 'sending') && Date.now() - quietSince > 500) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const mid = (await w.flow.get(bulk.id)) as BulkRequest;
      const caught = mid.members.filter((m) => m.state === 'sending').map((m) => m.id);
      assert.ok(caught.length > 0, 'some members were caught mid-create');

      // A restarted instance, two minutes later (the dead one's lease has lapsed).
      const later = w.another('restarted', { clock: () => new Date(Date.now() + 120_000) });
      assert.equal(await later.run(bulk.id).then((b) => b?.state), 'Completed');
      const done = (await later.get(bulk.id)) as BulkRequest;
      const c = countMembers(done);
      assert.equal(c.issued + c.failed + c.refused, c.total, 'every member accounted for');
      for (const [id, n] of w.createsPerUser()) assert.equal(n, 1, `exactly one create for ${id}`);
      // Caught mid-create: the batch that reached Graph made passes nobody has the codes of
      // (deleted, failed with the reason); a batch that never left is simply sent again.
      const lost = caught.filter((id) => done.members.find((x) => x.id === id)?.state === 'failed');
      assert.ok(lost.length > 0, 'the batch the process died in is recognised');
      for (const id of caught) {
        const m = done.members.find((x) => x.id === id);
        if (m?.state === 'failed') {
          assert.equal(m.code, 'codeLost');
          assert.match(m.reason ?? '', /deleted/);
          assert.equal(w.sandbox.state.tapsOf(id).length, 0, 'the pass whose code was lost is deleted');
        } else {
          assert.equal(m?.state, 'issued');
        }
      }
      for (const m of done.members.filter((x) => x.state === 'issued')) assert.equal(w.sandbox.state.tapsOf(m.id).length, 1);
    });
  });
});
