/**
 * One gate for every pass: for each rule, a case per road. The roads are a single request
 * in Teams, a single pass scheduled for a first morning, a bulk request in Teams, and a bulk
 * request from the admin command line (BulkFlow.startApproved, as `npm run bulk` calls it).
 * Everything is real but Teams: the sandbox tenant over HTTPS, the Graph gateway, SQLite,
 * the audit log. Each case fails when its rule is removed from its road.
 */
import { catalogue } from '../../../src/i18n';
import { wordsIn, type Words } from '../../../src/i18n/said';
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { GENERATED_GROUP } from '../../../sandbox/generate';
import { GROUPS } from '../../../sandbox/ids';
import { DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS } from '../../../src/config/graph';
import { DEFAULT_RISK_RULES } from '../../../src/flow/gate/risk';
import { configureLogging } from '../../../src/log';
import { TapFlow } from '../../../src/flow/tapFlow';
import type { BulkConfig, BulkRequest } from '../../../src/flow/bulk/types';
import type { Actor, FlowConfig, TapRequest } from '../../../src/flow/types';
import { fakeNotifier } from '../../support/fakePorts';
import { flowConfig } from '../../support/flowWorld';
import { AGENT, BULK_APPROVER, startBulkWorld, type BulkWorld } from '../../support/bulkWorld';

/** A signal's reason as an English reader reads it. */
const english = (words: Words): string => wordsIn(catalogue('en'), words);


const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const HELPDESK_ADMIN = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const soon = (): string => new Date(Date.now() + 20 * 60_000).toISOString();
const inTwoDays = (): string => new Date(Date.now() + 2 * 24 * 60 * 60_000).toISOString();
const BULK = (): { group: string; scenario: 'newJoiner'; reason: string; startDateTime: string } => ({ group: GENERATED_GROUP.displayName, scenario: 'newJoiner', reason: 'December joiners from HR', startDateTime: soon() });
const ADMIN: Actor = { ...BULK_APPROVER, displayName: 'Joni Sherman (admin command line)' };

interface Roads {
  w: BulkWorld;
  config: FlowConfig;
  single: TapFlow;
  /** People nobody has touched yet (plain members: manager, enabled, not admin or guest). */
  fresh(): string;
  upn(id: string): Promise<string>;
  managerOf(id: string): Promise<Actor>;
  ask(id: string, extra?: { startDateTime?: string }): Promise<TapRequest>;
  approve(request: TapRequest): Promise<TapRequest>;
  /** The single flow as it runs on the scheduled morning (the sweep makes the pass). */
  morningOf(request: TapRequest): Promise<TapRequest>;
  bulkTeams(): Promise<BulkRequest>;
  bulkCli(between?: () => void): Promise<BulkRequest>;
  stop(): Promise<void>;
}

async function roads(bulk: Partial<BulkConfig>, overrides: Partial<FlowConfig> = {}): Promise<Roads> {
  const w = await startBulkWorld({ members: 40, bulk, config: overrides });
  const config = flowConfig({ ownerNotice: { enabled: true, revokeSessionsOnDispute: false, publicBaseUrl: () => 'https://bot.example.test' }, ...overrides });
  const single = new TapFlow({ graph: w.graph, storage: w.storage, audit: w.audit, notifier: fakeNotifier(), config });
  const plain = w.facts.memberIds.filter((id) => ![...w.facts.guests, ...w.facts.admins, ...w.facts.disabled, ...w.facts.protectedIds, ...w.facts.withoutManager].includes(id));
  // Bulk roads cover the whole group: members used by one case are left out of the others by refusing them first.
  const used = new Set<string>();
  const r: Roads = {
    w,
    config,
    single,
    fresh: () => {
      const id = plain.find((x) => !used.has(x));
      if (!id) throw new Error('out of plain members');
      used.add(id);
      return id;
    },
    upn: async (id) => (await w.graph.getUser(id)).userPrincipalName,
    managerOf: async (id) => {
      const m = await w.graph.getManager(id);
      if (!m) throw new Error(`${id} has no manager`);
      return { aadObjectId: m.id, tenantId: AGENT.tenantId, displayName: m.displayName };
    },
    ask: async (id, extra = {}) => single.startRequest(AGENT, { target: await r.upn(id), scenario: 'recovery', reason: 'Lost phone, verified on video', ...extra }),
    approve: async (request) => {
      const decided = await single.decide(await r.managerOf(request.target.id), request.id, { action: 'approve', attestation: 'videoCall' });
      await single.whenIdle();
      return (await single.getRequest(decided.id)) as TapRequest;
    },
    morningOf: async (request) => {
      const due = new Date(Date.parse(request.scheduledIssueAt as string) + 1000);
      const morning = new TapFlow({ graph: w.graph, storage: w.storage, audit: w.audit, notifier: fakeNotifier(), config, clock: () => due });
      await morning.sweep(due);
      await morning.whenIdle();
      return (await single.getRequest(request.id)) as TapRequest;
    },
    bulkTeams: async () => {
      const b = await w.flow.start(AGENT, BULK());
      await w.flow.decide(BULK_APPROVER, b.id, { action: 'approve', attested: true });
      await w.flow.whenIdle();
      return (await w.flow.get(b.id)) as BulkRequest;
    },
    bulkCli: async (between) => {
      const b = await w.flow.startApproved(ADMIN, BULK());
      between?.();
      await w.flow.run(b.id);
      await w.flow.whenIdle();
      return (await w.flow.get(b.id)) as BulkRequest;
    },
    stop: () => w.stop(),
  };
  return r;
}

const memberOf = (b: BulkRequest, id: string) => b.members.find((m) => m.id === id);
function refusedIn(b: BulkRequest, id: string, code: string | RegExp): void {
  const m = memberOf(b, id);
  assert.equal(m?.state, 'refused', `${id} should get no bulk pass (${m?.state}: ${m?.reason ?? ''})`);
  if (typeof code === 'string') assert.equal(m?.code, code, m?.reason);
  else assert.match(m?.code ?? '', code);
}
async function refusedSingle(work: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(work, (e: unknown) => (e as { code?: string }).code === code);
}

describe('one gate: every rule on every road @gate', function () {
  this.timeout(120_000);
  before(() => configureLogging({ level: 'silent' }));
  after(() => configureLogging({ level: 'info' }));
  afterEach(() => sinon.restore());

  describe('for bulk, only people with no sign-in method yet (BULK_ELIGIBILITY=unenrolled)', () => {
    let r: Roads;
    beforeEach(async () => {
      r = await roads({ eligibility: 'unenrolled' });
    });
    afterEach(async () => r?.stop());

    it('an administrator made after the request gets no pass: single, scheduled, bulk in Teams', async () => {
      const [a, b, c, d] = [r.fresh(), r.fresh(), r.fresh(), r.fresh()];
      // single: checked again at approval
      const one = await r.ask(a);
      r.w.sandbox.state.assignRole(GLOBAL_ADMIN, a);
      assert.equal((await r.approve(one)).failure?.code, 'targetPrivileged');
      // scheduled: checked again on the morning
      const later = await r.approve(await r.ask(b, { startDateTime: inTwoDays() }));
      assert.equal(later.state, 'Approved');
      r.w.sandbox.state.assignRole(GLOBAL_ADMIN, b);
      assert.equal((await r.morningOf(later)).failure?.code, 'targetPrivileged');
      // bulk in Teams: checked again in the wave
      const teams = await r.w.flow.start(AGENT, BULK());
      assert.equal(memberOf(teams, c)?.state, 'pending');
      r.w.sandbox.state.assignRole(GLOBAL_ADMIN, c);
      await r.w.flow.decide(BULK_APPROVER, teams.id, { action: 'approve', attested: true });
      await r.w.flow.whenIdle();
      refusedIn((await r.w.flow.get(teams.id)) as BulkRequest, c, 'targetPrivileged');
      for (const id of [a, b, c]) assert.equal(r.w.sandbox.state.tapsOf(id).length, 0, `${id} holds no pass`);
      void d;
    });

    it('an administrator made after the request gets no pass: bulk from the command line', async () => {
      const d = r.fresh();
      // checked again in the wave, after the run was approved
      const cli = await r.bulkCli(() => r.w.sandbox.state.assignRole(GLOBAL_ADMIN, d));
      refusedIn(cli, d, 'targetPrivileged');
      assert.equal(r.w.sandbox.state.tapsOf(d).length, 0);
    });

    it('high user risk: the single request needs four eyes (here: refused), a scheduled pass stops on the morning, bulk members leave the batch', async () => {
      const [a, b, c, d, e] = [r.fresh(), r.fresh(), r.fresh(), r.fresh(), r.fresh()];
      const high = (id: string) => r.w.sandbox.state.setRiskyUser(id, { riskLevel: 'high', riskState: 'atRisk' });
      high(a);
      await refusedSingle(r.ask(a), 'riskElevated');
      const later = await r.approve(await r.ask(b, { startDateTime: inTwoDays() }));
      high(b);
      const morning = await r.morningOf(later);
      assert.equal(morning.failure?.code, 'riskChanged', morning.failure?.message);
      high(c);
      const teams = await r.w.flow.start(AGENT, BULK());
      refusedIn(teams, c, 'riskElevated');
      assert.match(memberOf(teams, c)?.reason ?? '', /single request, so their manager confirms who they are/);
      // raised between request and approval: refused in the wave
      high(d);
      await r.w.flow.decide(BULK_APPROVER, teams.id, { action: 'approve', attested: true });
      await r.w.flow.whenIdle();
      refusedIn((await r.w.flow.get(teams.id)) as BulkRequest, d, 'riskElevated');
      for (const id of [a, b, c, d]) assert.equal(r.w.sandbox.state.tapsOf(id).length, 0, `${id} holds no pass`);
      void e;
    });

    it('high user risk: bulk from the command line leaves the member out, also when raised after the start', async () => {
      const [c, e] = [r.fresh(), r.fresh()];
      const high = (id: string) => r.w.sandbox.state.setRiskyUser(id, { riskLevel: 'high', riskState: 'atRisk' });
      high(c);
      const cli = await r.bulkCli(() => high(e));
      refusedIn(cli, c, 'riskElevated');
      refusedIn(cli, e, 'riskElevated');
    });

    it('someone who said "This wasn\'t me" gets no pass on one click, on any road', async () => {
      const [a, c] = [r.fresh(), r.fresh()];
      for (const id of [a, c]) {
        const issued = await r.approve(await r.ask(id));
        assert.equal(issued.state, 'Issued');
        await r.single.disputeAsOwner({ aadObjectId: id, tenantId: AGENT.tenantId }, issued.id);
      }
      await refusedSingle(r.ask(a), 'riskElevated');
      const teams = await r.w.flow.start(AGENT, BULK());
      refusedIn(teams, a, 'riskElevated');
      await r.w.flow.cancel(AGENT, teams.id);
      refusedIn(await r.bulkCli(), c, 'riskElevated');
    });

    it('one open request per person, whichever road holds it', async () => {
      const [a, b, c] = [r.fresh(), r.fresh(), r.fresh()];
      await r.ask(a); // pending single
      const scheduled = await r.approve(await r.ask(b, { startDateTime: inTwoDays() })); // waiting for its morning
      assert.equal(scheduled.state, 'Approved');
      const teams = await r.w.flow.start(AGENT, BULK());
      refusedIn(teams, a, 'openRequest');
      refusedIn(teams, b, 'openRequest');
      assert.equal(memberOf(teams, c)?.state, 'pending');
      // the bulk request now holds c: a single request for c is refused, naming it
      await assert.rejects(r.ask(c), (e: unknown) => (e as { code?: string }).code === 'duplicateRequest' && new RegExp(teams.id).test((e as Error).message));
      await r.w.flow.cancel(AGENT, teams.id);
      const cli = await r.bulkCli();
      refusedIn(cli, a, 'openRequest');
      refusedIn(cli, b, 'openRequest');
    });

    it('bulk is for people without a sign-in method: one who has Authenticator is a recovery (single request), on both bulk roads', async () => {
      const a = r.fresh();
      r.w.sandbox.state.registerMethod(a, 'microsoftAuthenticator', 'iPhone 15');
      const teams = await r.w.flow.start(AGENT, BULK());
      refusedIn(teams, a, 'hasSignInMethod');
      assert.match(memberOf(teams, a)?.reason ?? '', /Microsoft Authenticator.*recovery/);
      await r.w.flow.cancel(AGENT, teams.id);
      refusedIn(await r.bulkCli(), a, 'hasSignInMethod');
    });

    it('a bulk pass that starts in two days is made on the morning, not at approval; the command line refuses to run so early', async () => {
      const teams = await r.w.flow.start(AGENT, { ...BULK(), startDateTime: inTwoDays() });
      await r.w.flow.decide(BULK_APPROVER, teams.id, { action: 'approve', attested: true });
      await r.w.flow.whenIdle();
      const waiting = (await r.w.flow.get(teams.id)) as BulkRequest;
      assert.ok(waiting.scheduledIssueAt, 'scheduled');
      assert.equal(r.w.notifier.pages.length, 0, 'no code shown tonight');
      assert.ok(waiting.members.every((m) => m.state === 'pending' || m.state === 'refused'));
      await assert.rejects(r.w.flow.startApproved(ADMIN, { ...BULK(), startDateTime: inTwoDays() }), /Run it within the hour before they start/);
    });
  });

  describe('every pass can be seen, stopped and told (BULK_ELIGIBILITY=any)', () => {
    let r: Roads;
    beforeEach(async () => {
      r = await roads({ eligibility: 'any' }, { limits: { requestsPerAgentPerHour: 50, openApprovalsPerApprover: 20, passesPerTargetPerDay: 2 } });
    });
    afterEach(async () => r?.stop());

    it('a bulk pass shows in status, is told to its owner with a dispute link, counts against the per-person limit, and its revoke deletes it', async () => {
      const a = r.fresh();
      const done = await r.bulkTeams();
      const m = memberOf(done, a);
      assert.equal(m?.state, 'issued');
      const status = await r.single.status(AGENT, { targetUpn: await r.upn(a) });
      const record = [...status.open, ...status.recent].find((x) => x.bulk?.id === done.id);
      assert.ok(record, 'status <upn> shows the bulk pass');
      assert.equal(record.id, m?.requestId);
      assert.equal(record.state, 'Issued');
      const notice = r.w.flowNotifier.ownerNotices.find((n) => n.request.target.id === a);
      assert.ok(notice?.links.disputeUrl, 'the owner is told, with the dispute link');
      // a decision on the member's record alone is refused: it was decided with the bulk request
      await assert.rejects(r.single.decide(BULK_APPROVER, record.id, { action: 'approve', attestation: 'videoCall' }));
      const revoked = await r.single.revoke(AGENT, record.id);
      assert.deepEqual(revoked.revocation?.stopped, { deleted: [record.id], nothingLive: false });
      assert.equal(r.w.sandbox.state.tapsOf(a).length, 0, 'the bulk pass no longer exists');
    });

    it('stop means stopped: a pass handed over and then replaced by a bulk pass is marked replaced, and revoking it deletes the pass the user holds now', async () => {
      const a = r.fresh();
      const first = await r.approve(await r.ask(a));
      assert.equal(first.state, 'Issued');
      await r.single.markHandedOver(AGENT, first.id);
      const done = await r.bulkTeams();
      const bulkRecord = memberOf(done, a)?.requestId as string;
      const replaced = (await r.single.getRequest(first.id)) as TapRequest;
      assert.equal(replaced.replacedBy?.requestId, bulkRecord, 'status no longer says the first pass works');
      const revoked = await r.single.revoke(AGENT, first.id);
      assert.deepEqual(revoked.revocation?.stopped, { deleted: [bulkRecord], nothingLive: false });
      assert.equal(r.w.sandbox.state.tapsOf(a).length, 0, 'no pass works any more');
      assert.ok(((await r.single.getRequest(bulkRecord)) as TapRequest).revocation, 'the bulk pass is marked stopped too');
      // nothing left: a second stop says so instead of claiming a deletion
      const again = await r.single.revoke(AGENT, bulkRecord);
      assert.ok(again.revocation, 'already stopped');
    });

    it('passes per person per day count bulk passes: after two, neither road gives a third', async () => {
      const a = r.fresh();
      await r.approve(await r.ask(a));
      const done = await r.bulkTeams();
      assert.equal(memberOf(done, a)?.state, 'issued');
      await refusedSingle(r.ask(a), 'limitReached');
      refusedIn(await r.bulkCli(), a, 'limitReached');
    });
  });

  describe('administrator roles a person can activate (PIM) count as held', () => {
    let r: Roads;
    beforeEach(async () => {
      r = await roads({ eligibility: 'unenrolled' }, { privilegedRoleTemplateIds: [...DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS] });
    });
    afterEach(async () => r?.stop());
    const pim = (): Roads['w']['sandbox']['state']['pim'] => r.w.sandbox.state.pim;
    const inADay = (): string => new Date(Date.now() + 24 * 60 * 60_000).toISOString();

    it('an eligible administrator gets no pass: single (at request and, made eligible later, at approval), scheduled, bulk in Teams', async () => {
      const [a, b, c, d, e] = [r.fresh(), r.fresh(), r.fresh(), r.fresh(), r.fresh()];
      pim().makeEligible(a, HELPDESK_ADMIN);
      await assert.rejects(r.ask(a), (err: unknown) => (err as { code?: string }).code === 'targetPrivileged' && /holds or can activate an administrator role/.test((err as Error).message));
      // made eligible after the request was made: refused at approval
      const one = await r.ask(b);
      pim().makeEligible(b, USER_ADMIN);
      const failed = await r.approve(one);
      assert.equal(failed.failure?.code, 'targetPrivileged');
      assert.match(failed.failure?.message ?? '', /This changed after the request: .*holds or can activate an administrator role/);
      // scheduled: checked again on the morning
      const later = await r.approve(await r.ask(c, { startDateTime: inTwoDays() }));
      assert.equal(later.state, 'Approved');
      pim().makeEligible(c, HELPDESK_ADMIN);
      assert.equal((await r.morningOf(later)).failure?.code, 'targetPrivileged');
      // bulk in Teams: refused at the request, and in the wave when made eligible in between
      pim().makeEligible(d, HELPDESK_ADMIN);
      const teams = await r.w.flow.start(AGENT, BULK());
      refusedIn(teams, d, 'targetPrivileged');
      assert.equal(memberOf(teams, e)?.state, 'pending');
      pim().makeEligible(e, USER_ADMIN);
      await r.w.flow.decide(BULK_APPROVER, teams.id, { action: 'approve', attested: true });
      await r.w.flow.whenIdle();
      refusedIn((await r.w.flow.get(teams.id)) as BulkRequest, e, 'targetPrivileged');
      for (const id of [a, b, c, d, e]) assert.equal(r.w.sandbox.state.tapsOf(id).length, 0, `${id} holds no pass`);
    });

    it('an eligible administrator gets no pass: bulk from the command line, also when made eligible after the start', async () => {
      const [d, e] = [r.fresh(), r.fresh()];
      pim().makeEligible(d, HELPDESK_ADMIN);
      const cli = await r.bulkCli(() => pim().makeEligible(e, HELPDESK_ADMIN));
      refusedIn(cli, d, 'targetPrivileged');
      refusedIn(cli, e, 'targetPrivileged');
      for (const id of [d, e]) assert.equal(r.w.sandbox.state.tapsOf(id).length, 0);
    });

    it('a time-bound active assignment, and a group they may join through PIM that can activate a role, are administrators too', async () => {
      const [a, b, c] = [r.fresh(), r.fresh(), r.fresh()];
      pim().assignUntil(a, USER_ADMIN, inADay());
      await refusedSingle(r.ask(a), 'targetPrivileged');
      // a role-assignable group eligible for Helpdesk Administrator; b may join it
      const tier1 = '0b0b0b0b-0000-4000-8000-0000000000c1';
      pim().makeEligible(tier1, HELPDESK_ADMIN);
      pim().makeEligibleForGroup(b, tier1);
      await refusedSingle(r.ask(b), 'targetPrivileged');
      const cli = await r.bulkCli(() => pim().assignUntil(c, GLOBAL_ADMIN, inADay()));
      refusedIn(cli, a, 'targetPrivileged');
      refusedIn(cli, b, 'targetPrivileged');
      refusedIn(cli, c, 'targetPrivileged');
    });

    it('a role outside the configured privileged list does not count, whether eligible or active', async () => {
      const a = r.fresh();
      const GUEST_INVITER = '95e79109-95c0-4d8e-aee3-d01accf2d47b';
      pim().makeEligible(a, GUEST_INVITER);
      const issued = await r.approve(await r.ask(a));
      assert.equal(issued.state, 'Issued');
    });
  });

  describe('when PIM cannot be read (the permission is not granted)', () => {
    let r: Roads;
    beforeEach(async () => {
      r = await roads({ eligibility: 'unenrolled' }, { privilegedRoleTemplateIds: [...DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS] });
      r.w.sandbox.knobs.grantedPermissions = r.w.sandbox.knobs.grantedPermissions.filter((p) => p !== 'RoleEligibilitySchedule.Read.Directory');
      r.w.sandbox.expireTokens();
    });
    afterEach(async () => r?.stop());

    it('the rule cannot tell, so one approval is not enough: the single request needs a second approver (here none is configured: refused, naming the permission), and bulk members leave the batch on both roads', async () => {
      const a = r.fresh();
      await assert.rejects(r.ask(a), (e: unknown) => {
        assert.equal((e as { code?: string }).code, 'riskElevated');
        assert.match((e as Error).message, /Whether they can activate an administrator role \(PIM\) is not available: needs the Graph permission RoleEligibilitySchedule\.Read\.Directory/);
        return true;
      });
      // Every member is left out on both bulk roads, each saying what the rule needs.
      for (const via of ['teams', 'cli'] as const) {
        const plan = await r.w.flow.plan(via === 'cli' ? ADMIN : AGENT, BULK(), via);
        assert.ok(plan.members.length > 0);
        for (const m of plan.members.filter((x) => x.state !== 'refused' || x.code === 'riskElevated')) {
          assert.equal(m.code, 'riskElevated', `${via}: ${m.id} ${m.state}`);
          assert.match(m.reason ?? '', /RoleEligibilitySchedule\.Read\.Directory/);
        }
      }
      await assert.rejects(r.w.flow.start(AGENT, BULK()), /at elevated risk/);
      await assert.rejects(r.bulkCli(), /at elevated risk/);
    });

    it('with a second approver group, the single request goes to four eyes instead, the card saying why', async () => {
      await r.stop();
      r = await roads({ eligibility: 'unenrolled' }, { privilegedRoleTemplateIds: [...DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS], risk: { ...DEFAULT_RISK_RULES, recentPassWithinDays: 0, secondApproverGroupId: GROUPS.fallbackApprovers } });
      r.w.sandbox.knobs.grantedPermissions = r.w.sandbox.knobs.grantedPermissions.filter((p) => p !== 'PrivilegedEligibilitySchedule.Read.AzureADGroup');
      r.w.sandbox.expireTokens();
      const request = await r.ask(r.fresh());
      assert.equal(request.state, 'PendingApproval');
      assert.ok(request.secondApprover, 'a second approver decides too');
      assert.ok(request.risk?.rules.includes('privilegedRolesUnknown'));
      assert.ok(request.signals?.eligibleRoles && !request.signals.eligibleRoles.available);
      assert.match(english(request.signals.eligibleRoles.missing), /needs the Graph permission PrivilegedEligibilitySchedule\.Read\.AzureADGroup/);
    });

    it('an eligible role found by the reads that work is refused, whatever the read that failed', async () => {
      const a = r.fresh();
      r.w.sandbox.state.pim.assignUntil(a, HELPDESK_ADMIN, new Date(Date.now() + 3600_000).toISOString());
      await refusedSingle(r.ask(a), 'targetPrivileged');
    });
  });
});
