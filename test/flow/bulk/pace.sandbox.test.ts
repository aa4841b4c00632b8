/**
 * A bulk run keeps to Graph's write limit without paying for it: the first burst leaves one
 * wave of the limit unused (Graph's bucket counts on its own clock, and a 429 costs every wave
 * a whole second), a wave's members are re-checked in one round trip, and the policy the
 * approval's re-check read is the one the first waves use. Counted on the sandbox's side.
 */
import assert from 'node:assert/strict';
import { GENERATED_GROUP } from '../../../sandbox/generate';
import { AGENT, BULK_APPROVER, startBulkWorld, type BulkWorld } from '../../support/bulkWorld';
import { sequentialRounds, timeGraphRequests } from '../../../bench/rounds';
import { quietLogs } from '../../support/flowWorld';

const ASK = { group: GENERATED_GROUP.displayName, scenario: 'newJoiner' as const, reason: 'December joiners from HR', startDateTime: new Date(Date.now() + 20 * 60_000).toISOString() };
const isCreate = (method: string, url: string): boolean => method === 'POST' && /\/authentication\/temporaryAccessPassMethods$/.test(url.split('?')[0] ?? '');
const createsIn = (w: BulkWorld): number =>
  w.sandbox.requests.reduce((n, r) => n + (r.batchItems ? r.batchItems.filter((u, i) => isCreate(r.batchItemMethods?.[i] ?? '', u)).length : isCreate(r.method, r.url) ? 1 : 0), 0);

describe('bulk passes at the write limit', () => {
  quietLogs();

  describe('the first burst', () => {
    let w: BulkWorld;
    before(async () => {
      // After the burst, 20 writes a second: the next wave cannot go for a second, so the burst stands out.
      w = await startBulkWorld({ members: 60, bulk: { writesPerSecond: 20, writeBurst: 40 } });
    });
    after(async () => w?.stop());

    it('leaves one wave (20) of the burst unused, so jitter never empties Graph\'s bucket', async () => {
      const bulk = await w.flow.start(AGENT, ASK);
      w.sandbox.resetRequests();
      await w.flow.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true });
      // From the first create on, the next 20 writes of the limit take a second to come back.
      for (let waited = 0; createsIn(w) === 0 && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(createsIn(w), 20, 'a burst of 40 less one wave');
      await w.flow.whenIdle();
    });
  });

  describe('a run', () => {
    let w: BulkWorld;
    before(async () => {
      w = await startBulkWorld({ members: 40, bulk: { writesPerSecond: 200, writeBurst: 200 } });
    });
    after(async () => w?.stop());

    it("re-checks a wave's members in one round trip, and reads the policy once from approval to the last pass", async () => {
      const windows = timeGraphRequests(w.sandbox);
      const bulk = await w.flow.start(AGENT, ASK);
      w.sandbox.knobs.latencyInMs = 40;
      w.sandbox.resetRequests();
      try {
        await w.flow.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true });
        await w.flow.whenIdle();
      } finally {
        w.sandbox.knobs.latencyInMs = 0;
      }
      const checks = w.sandbox.requests.filter((r) => r.batchItems && !r.batchItems.some((u, i) => isCreate(r.batchItemMethods?.[i] ?? '', u)));
      const firstCreate = w.sandbox.requests.findIndex((r) => r.batchItems?.some((u, i) => isCreate(r.batchItemMethods?.[i] ?? '', u)));
      assert.ok(firstCreate > 0);
      // The member checks of the first wave (20 members, two to a $batch with signals and PIM) before its create.
      const firstWaveChecks = checks.filter((r) => w.sandbox.requests.indexOf(r) < firstCreate);
      assert.ok(firstWaveChecks.length >= 10, `${firstWaveChecks.length} check batches`);
      assert.equal(sequentialRounds(firstWaveChecks, windows).rounds, 1, 'one round for the whole wave');
      const policyReads = w.sandbox.requests.filter((r) => r.method === 'GET' && /authenticationMethodConfigurations\/temporaryAccessPass/i.test(r.url));
      assert.equal(policyReads.length, 1, 'the approval\'s re-check read it; the waves used that read');
    });
  });

  describe("a member's risk", () => {
    let w: BulkWorld;
    before(async () => {
      w = await startBulkWorld({ members: 30 });
    });
    after(async () => w?.stop());

    it("reads Identity Protection once per check, not once per member, and a member at risk is still judged so", async () => {
      const atRisk = w.facts.memberIds.find((m) => ![...w.facts.guests, ...w.facts.admins, ...w.facts.disabled, ...w.facts.protectedIds].includes(m))!;
      w.sandbox.state.setRiskyUser(atRisk, { riskLevel: 'high', riskState: 'atRisk', riskLastUpdatedDateTime: new Date().toISOString() });
      try {
        w.sandbox.resetRequests();
        const bulk = await w.flow.start(AGENT, ASK);
        const riskReads = w.sandbox.requests.flatMap((r) => r.batchItems ?? [r.url]).filter((u) => u.includes('identityProtection/riskyUsers'));
        assert.equal(riskReads.length, 1, 'one read of the tenant\'s risky users for the whole group');
        const member = bulk.members.find((m) => m.id === atRisk);
        assert.notEqual(member?.state, 'pending', 'the member at risk gets no pass from a bulk request');
      } finally {
        w.sandbox.state.setRiskyUser(atRisk, null);
      }
    });
  });
});
