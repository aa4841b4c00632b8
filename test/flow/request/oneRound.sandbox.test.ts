/**
 * A request made after the look-up (`tap <upn>`, then the form) waits for Graph once: the
 * look-up's hints (the sign-in name's object id, the manager) let the records searched by id
 * and the manager's out-of-office ride in the first round. A hint only says where to look:
 * when it is wrong (the name now belongs to someone else, the manager changed), the request
 * reads again and nothing about the wrong person is used. Against the sandbox tenant, with
 * Graph slowed so that rounds are counted from the traffic (bench/rounds.ts).
 */
import assert from 'node:assert/strict';
import { startSandbox } from '../../../sandbox/server';
import type { RunningSandbox } from '../../../sandbox/types';
import { sequentialRounds, timeGraphRequests, type GraphWindows } from '../../../bench/rounds';
import { TapFlow } from '../../../src/flow/tapFlow';
import type { ApprovalWaiting, FlowNotifier, TapRequest } from '../../../src/flow/types';
import { createCredential } from '../../../src/graph/credential';
import { GraphGateway } from '../../../src/graph/gateway';
import { configureLogging } from '../../../src/log';
import { MemoryStorage } from '../../support/fakePorts';
import { AuditLog } from '../../../src/audit/auditLog';
import { actor, ask, flowConfig } from '../../support/flowWorld';
import { GROUPS, USERS } from '../../../sandbox/ids';
import { DEFAULT_RISK_RULES } from '../../../src/flow/gate/risk';

const WAITING: ApprovalWaiting = { remindAfterInMs: 15 * 60_000, escalateAfterInMs: 20 * 60_000, escalateWhenAway: true };
const LATENCY_MS = 40;

class CardsSent implements FlowNotifier {
  to: string[][] = [];
  async requestApproval(request: TapRequest): Promise<void> {
    this.to.push([...request.approver.ids]);
  }
  async requestUpdated(): Promise<void> {}
  async deliverPass(): Promise<void> {}
  async hidePass(): Promise<void> {}
  async notice(): Promise<void> {}
}

describe('a request after the look-up waits for Graph once', () => {
  let sandbox: RunningSandbox;
  let windows: GraphWindows;
  let flow: TapFlow;
  let notifier: CardsSent;
  let gateway: GraphGateway;

  before(async () => {
    configureLogging({ level: 'silent' });
    sandbox = await startSandbox({ port: 0 });
    windows = timeGraphRequests(sandbox);
  });
  after(async () => {
    await sandbox?.stop();
    configureLogging({ level: 'info' });
  });
  /** A bot instance: its own gateway, so its own token (with the permissions granted now). */
  function build(): void {
    const credential = createCredential({ kind: 'secret', clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }, sandbox.tenantId, {
      authorityHost: sandbox.authorityHost,
      trustedCaPem: sandbox.caPem,
    });
    const graph = new GraphGateway({ credential, baseUrl: sandbox.graphBaseUrl, trustedCaPem: sandbox.caPem, sleep: async () => undefined });
    gateway = graph;
    // The helpdesk membership is cached as in production (5 minutes): the look-up before paid for it.
    const storage = new MemoryStorage();
    notifier = new CardsSent();
    flow = new TapFlow({ graph, storage, audit: new AuditLog({ storage }), notifier, config: flowConfig({ approvalWaiting: WAITING, risk: { ...DEFAULT_RISK_RULES, recentPassWithinDays: 0, secondApproverGroupId: GROUPS.fallbackApprovers } }), clock: () => new Date() });
  }
  beforeEach(() => {
    sandbox.reset();
    sandbox.knobs.latencyInMs = 0;
    build();
  });

  /** The Graph rounds of `step`, counted from the sandbox's traffic at +40 ms per request. */
  async function roundsOf<T>(step: () => Promise<T>): Promise<{ value: T; rounds: number; urls: string[] }> {
    sandbox.knobs.latencyInMs = LATENCY_MS;
    const from = sandbox.requests.length;
    try {
      const value = await step();
      const records = sandbox.requests.slice(from).filter((r) => !r.url.includes('/oauth2/'));
      const rounds = sequentialRounds(records, windows).rounds;
      const urls = records.flatMap((r) => r.batchItems ?? [r.url]).map((u) => decodeURIComponent(u));
      return { value, rounds, urls };
    } finally {
      sandbox.knobs.latencyInMs = 0;
    }
  }

  it('typed by sign-in name, after a look-up, every read (records by id, PIM, the manager\'s out-of-office) goes in one round', async () => {
    await flow.preview(actor('adele'), USERS.megan.upn);
    const from = sandbox.requests.length;
    const { value: request, rounds, urls } = await roundsOf(() => flow.startRequest(actor('adele'), ask(USERS.megan.upn)));
    assert.equal(rounds, 1, urls.join('\n'));
    const graphRequests = sandbox.requests.slice(from).filter((r) => !r.url.includes('/oauth2/'));
    assert.deepEqual(graphRequests.map((r) => r.url.split('?')[0]), ['/v1.0/$batch'], 'the policy, the agent and the out-of-office ride in the same $batch');
    assert.ok(urls.some((u) => u.includes('directoryAudits') && u.includes(USERS.megan.id)), 'the manager-change records are still read, by id');
    assert.ok(urls.some((u) => u.includes(`/users/${USERS.nestor.id}/mailboxSettings/automaticRepliesSetting`)), "the manager's out-of-office is still read");
    assert.deepEqual(request.approver.ids, [USERS.nestor.id]);
  });

  it('the form after the look-up shows the policy the look-up read, without reading it again; the request reads it fresh', async () => {
    const looked = await flow.preview(actor('adele'), USERS.megan.upn);
    assert.equal(looked.refusal, undefined, 'the look-up itself went through');
    const from = sandbox.requests.length;
    await flow.getPolicyForForm();
    assert.equal(sandbox.requests.slice(from).filter((r) => r.url.includes('TemporaryAccessPass')).length, 0, 'the form reused the look-up\'s read');
    sandbox.state.setTapPolicy({ state: 'disabled' });
    await assert.rejects(flow.startRequest(actor('adele'), ask(USERS.megan.upn)), (e: unknown) => (e as { code?: string }).code === 'policyDisabled');
  });

  it("the answers that rode in a request's $batch are that request's: anyone else's policy read is a read of its own", async () => {
    await flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const from = sandbox.requests.length;
    await gateway.getTapPolicy();
    assert.equal(sandbox.requests.slice(from).filter((r) => r.url.includes('TemporaryAccessPass') && !r.batchItems).length, 1);
  });

  it('a policy read that fails in the $batch fails the request as a read of its own would', async () => {
    sandbox.knobs.grantedPermissions = sandbox.knobs.grantedPermissions.filter((p) => p !== 'Policy.Read.AuthenticationMethod');
    build();
    const from = sandbox.requests.length;
    await assert.rejects(flow.startRequest(actor('adele'), ask(USERS.megan.upn)), (e: unknown) => (e as { code?: string }).code === 'forbidden');
    assert.ok(!sandbox.requests.slice(from).some((r) => r.url.includes('TemporaryAccessPass') && !r.batchItems), 'the failed read was not made again on its own');
  });

  it('without a look-up first it still reads everything, in more rounds', async () => {
    const { rounds, urls } = await roundsOf(() => flow.startRequest(actor('adele'), ask(USERS.megan.upn)));
    assert.ok(rounds > 1, `${rounds} round(s)`);
    assert.ok(urls.some((u) => u.includes('directoryAudits') && u.includes(USERS.megan.id)));
  });

  it('a sign-in name that now belongs to someone else: the records are those of the person Graph returns, never of the one the look-up found', async () => {
    await flow.preview(actor('adele'), USERS.megan.upn);
    // Megan's sign-in name moves to Lasse; Megan is risky. Nothing of hers may reach Lasse's request.
    sandbox.state.updateUser(USERS.megan.id, { userPrincipalName: 'megan.old@contoso.com' });
    sandbox.state.updateUser(USERS.lasse.id, { userPrincipalName: USERS.megan.upn });
    sandbox.state.setRiskyUser(USERS.megan.id, { riskLevel: 'high', riskState: 'atRisk', riskLastUpdatedDateTime: new Date().toISOString() });
    const { value: request, urls } = await roundsOf(() => flow.startRequest(actor('adele'), ask(USERS.megan.upn)));
    assert.equal(request.target.id, USERS.lasse.id);
    assert.equal(request.signals?.risk.available && request.signals.risk.value, null, 'no risk of the person the look-up found');
    assert.ok(urls.some((u) => u.includes('directoryAudits') && u.includes(USERS.lasse.id)), 'the records are searched again by the id Graph returned');
  });

  it("a manager changed since the look-up: the new manager's out-of-office decides, and the new manager is asked", async () => {
    await flow.preview(actor('adele'), USERS.megan.upn);
    sandbox.state.setAutomaticReplies(USERS.nestor.upn, { status: 'alwaysEnabled' });
    sandbox.state.updateUser(USERS.megan.id, { manager: USERS.lee.id });
    const { value: request, urls } = await roundsOf(() => flow.startRequest(actor('adele'), ask(USERS.megan.upn)));
    assert.deepEqual(request.approver.ids, [USERS.lee.id], 'the manager Graph returns now, not the one the look-up saw away');
    assert.equal(request.approver.movedFrom, undefined, 'nobody was passed over for an out-of-office that is not theirs');
    assert.ok(urls.some((u) => u.includes(`/users/${USERS.lee.id}/mailboxSettings/automaticRepliesSetting`)));
  });
});
