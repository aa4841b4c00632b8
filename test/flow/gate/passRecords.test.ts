/**
 * Every pass can be seen, stopped and told, and what the bot says about it is true: the
 * records a bulk run leaves, `revoke BULK-…`, the manager's summary, a dead code on a result
 * page, a replaced single pass, and a stop that finds a pass the bot did not make.
 */
import assert from 'node:assert/strict';
import { GENERATED_GROUP } from '../../../sandbox/generate';
import { configureLogging } from '../../../src/log';
import { TapFlow } from '../../../src/flow/tapFlow';
import { stopSentence } from '../../../src/flow/stop/livePass';
import type { BulkRequest } from '../../../src/flow/bulk/types';
import type { TapRequest } from '../../../src/flow/types';
import { flowConfig } from '../../support/flowWorld';
import { AGENT, BULK_APPROVER, startBulkWorld, type BulkWorld } from '../../support/bulkWorld';

const ASK = () => ({ group: GENERATED_GROUP.displayName, scenario: 'newJoiner' as const, reason: 'December joiners from HR', startDateTime: new Date(Date.now() + 20 * 60_000).toISOString() });

describe('every pass can be seen, stopped and told @gate', function () {
  this.timeout(120_000);
  let w: BulkWorld;
  let single: TapFlow;
  before(() => configureLogging({ level: 'silent' }));
  after(() => configureLogging({ level: 'info' }));
  beforeEach(async () => {
    w = await startBulkWorld({ members: 12, bulk: { eligibility: 'any' }, config: { limits: { requestsPerAgentPerHour: 50, openApprovalsPerApprover: 20, passesPerTargetPerDay: 5 } } });
    const config = flowConfig({ ownerNotice: { enabled: true, revokeSessionsOnDispute: false, publicBaseUrl: () => 'https://bot.example.test' }, limits: { requestsPerAgentPerHour: 50, openApprovalsPerApprover: 20, passesPerTargetPerDay: 5 } });
    single = new TapFlow({ graph: w.graph, storage: w.storage, audit: w.audit, notifier: w.flowNotifier, config });
  });
  afterEach(async () => w?.stop());

  async function approvedRun(): Promise<BulkRequest> {
    const b = await w.flow.start(AGENT, ASK());
    await w.flow.decide(BULK_APPROVER, b.id, { action: 'approve', attested: true });
    await w.flow.whenIdle();
    return (await w.flow.get(b.id)) as BulkRequest;
  }

  it('revoke BULK-… deletes every pass the run made and says how many; a second time finds nothing live', async () => {
    const done = await approvedRun();
    const issued = done.members.filter((m) => m.state === 'issued');
    assert.ok(issued.length > 3);
    await assert.rejects(w.flow.revokeAll({ ...AGENT, aadObjectId: issued[0]!.id }, done.id), /not yours/);
    const r = await w.flow.revokeAll(AGENT, done.id);
    assert.equal(r.deleted, issued.length);
    assert.deepEqual(r.notStopped, []);
    for (const m of issued) assert.equal(w.sandbox.state.tapsOf(m.id).length, 0, `${m.displayName} holds no pass`);
    assert.ok(![...w.flowNotifier.asked, ...w.flowNotifier.delivered].some((r) => r.bulk), 'no member record was ever asked for or delivered on its own');
    const again = await w.flow.revokeAll(AGENT, done.id);
    assert.equal(again.deleted, 0);
    assert.equal(again.nothingLive, issued.length);
  });

  it('each manager is told once of their joiners\' passes, by request id and never with a code, and may stop them', async () => {
    const done = await approvedRun();
    const issued = done.members.filter((m) => m.state === 'issued');
    const managers = new Set(issued.map((m) => m.managerId));
    const summaries = w.flowNotifier.told.filter((t) => t.message.includes(done.id) && /reports? to you/.test(t.message));
    assert.equal(summaries.length, managers.size, 'one summary per manager');
    const codes = w.notifier.pages.flatMap((p) => p.passes.map((x) => x.temporaryAccessPass));
    for (const s of summaries) for (const code of codes) assert.ok(!s.message.includes(code), 'no code in a summary');
    const first = issued[0]!;
    const summary = summaries.find((s) => s.userId === first.managerId);
    assert.ok(summary?.message.includes(first.requestId as string));
    const manager = { aadObjectId: first.managerId as string, tenantId: AGENT.tenantId, displayName: first.managerName ?? '' };
    const stopped = await single.revoke(manager, first.requestId as string);
    assert.ok(stopped.revocation, 'the manager stopped the pass');
    assert.equal(w.sandbox.state.tapsOf(first.id).length, 0);
  });

  it('a stopped bulk pass: whoever holds its page is told not to hand that code over', async () => {
    const done = await approvedRun();
    const m = done.members.find((x) => x.state === 'issued')!;
    await single.revoke(AGENT, m.requestId as string);
    const note = w.flowNotifier.told.find((t) => t.userId === AGENT.aadObjectId && t.message.includes(m.requestId as string));
    assert.match(note?.message ?? '', /no longer works: it was stopped\. Do not hand it over\./);
  });

  it('a single pass replaced by a later single pass is marked replaced, offers no handover, and its revoke deletes the later one', async () => {
    const target = w.facts.memberIds.find((id) => ![...w.facts.guests, ...w.facts.admins, ...w.facts.disabled, ...w.facts.protectedIds, ...w.facts.withoutManager].includes(id))!;
    const upn = (await w.graph.getUser(target)).userPrincipalName;
    const manager = await w.graph.getManager(target);
    const approve = async (r: TapRequest): Promise<TapRequest> => {
      await single.decide({ aadObjectId: manager!.id, tenantId: AGENT.tenantId, displayName: manager!.displayName }, r.id, { action: 'approve', attestation: 'videoCall' });
      await single.whenIdle();
      return (await single.getRequest(r.id)) as TapRequest;
    };
    const first = await approve(await single.startRequest(AGENT, { target: upn, scenario: 'recovery', reason: 'Lost phone' }));
    const second = await approve(await single.startRequest(AGENT, { target: upn, scenario: 'recovery', reason: 'Lost the new phone too' }));
    assert.equal(second.state, 'Issued');
    const replaced = (await single.getRequest(first.id)) as TapRequest;
    assert.equal(replaced.replacedBy?.requestId, second.id);
    await assert.rejects(single.markHandedOver(AGENT, first.id), /no longer works: a later pass .* replaced it\. Do not hand it over/);
  });

  it('a stop that finds only a pass the bot did not make deletes nothing and says so', async () => {
    const done = await approvedRun();
    const m = done.members.find((x) => x.state === 'issued')!;
    // An admin replaces the pass in the Entra admin center.
    await w.graph.createTap(m.id, { lifetimeInMinutes: 60 });
    const stopped = await single.revoke(AGENT, m.requestId as string);
    assert.deepEqual(stopped.revocation?.stopped, { deleted: [], nothingLive: true, otherLive: 1 });
    assert.match(stopSentence(stopped), /nothing needed deleting.*a pass the bot did not make.*not touched/);
    assert.equal(w.sandbox.state.tapsOf(m.id).length, 1, 'the admin\'s pass is left for the admin');
  });

  it('a bulk request counts once against the agent\'s hourly limit, whatever its size', async () => {
    const before = await w.storage.read(['limits/agent-requests/' + encodeURIComponent(AGENT.aadObjectId)]);
    assert.equal(Object.keys(before).length, 0);
    await approvedRun();
    const after = (await w.storage.read(['limits/agent-requests/' + encodeURIComponent(AGENT.aadObjectId)]))['limits/agent-requests/' + encodeURIComponent(AGENT.aadObjectId)] as { at: string[] };
    assert.equal(after.at.length, 1);
  });

  it('revoke BULK-… while a wave\'s creates are out: those passes are deleted before any code is shown, so "nothing more will be made" is true', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inCreate = new Promise<void>((r) => (entered = r));
    const slow = new Proxy(w.graph, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (prop === 'createTapsOnce') {
          return async (...args: unknown[]) => {
            entered();
            await held;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
    const instance = w.another('slow', { graph: slow });
    const b = await instance.start(AGENT, ASK());
    await instance.decide(BULK_APPROVER, b.id, { action: 'approve', attested: true });
    await inCreate;
    const r = await instance.revokeAll(AGENT, b.id);
    assert.equal(r.bulk.state, 'Cancelled');
    release();
    await instance.whenIdle();
    assert.equal(w.notifier.pages.length, 0, 'no page with codes was delivered after the stop');
    const after = (await w.flow.get(b.id)) as BulkRequest;
    for (const m of after.members) assert.equal(w.sandbox.state.tapsOf(m.id).length, 0, `${m.displayName} holds no working pass`);
    assert.ok(after.members.every((m) => m.state !== 'issued'), 'nobody is listed as issued');
  });

  it('a joiner whose manager was written when the account was made gets a pass on both roads (not "manager changed")', async () => {
    const target = w.facts.memberIds.find((id) => ![...w.facts.guests, ...w.facts.admins, ...w.facts.disabled, ...w.facts.protectedIds, ...w.facts.withoutManager].includes(id))!;
    const manager = (await w.graph.getManager(target))!;
    // HR's provisioning: the account is made now, and its manager written with it (an "Update user" audit entry).
    w.sandbox.state.updateUser(target, { createdDateTime: new Date().toISOString() });
    w.sandbox.state.updateUser(target, { manager: null });
    w.sandbox.state.updateUser(target, { manager: manager.id });
    const upn = (await w.graph.getUser(target)).userPrincipalName;
    const asked = await single.startRequest(AGENT, { target: upn, scenario: 'recovery', reason: 'Lost phone, verified on video' });
    assert.equal(asked.risk?.level, 'normal');
    await single.decide({ aadObjectId: manager.id, tenantId: AGENT.tenantId, displayName: manager.displayName }, asked.id, { action: 'approve', attestation: 'videoCall' });
    await single.whenIdle();
    const issued = (await single.getRequest(asked.id)) as TapRequest;
    assert.equal(issued.state, 'Issued', issued.failure?.message);
    await single.revoke(AGENT, issued.id);
    const plan = await w.flow.plan(AGENT, ASK());
    const member = plan.members.find((m) => m.id === target);
    assert.notEqual(member?.code, 'riskElevated', member?.reason);
  });
});
