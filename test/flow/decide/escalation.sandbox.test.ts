/**
 * Nobody left waiting, against the sandbox tenant: the real Graph gateway over HTTPS (the
 * approver's automatic replies included), SQLite storage and the hash-chained audit log; only
 * Teams is a recording notifier. Megan's manager is Nestor, whose manager is Lee.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { USERS } from '../../../sandbox/ids';
import { startSandbox } from '../../../sandbox/server';
import type { RunningSandbox } from '../../../sandbox/types';
import { AuditLog } from '../../../src/audit/auditLog';
import type { AuditEvent } from '../../../src/audit/types';
import { TapFlow } from '../../../src/flow/tapFlow';
import type { ApprovalWaiting, FlowNotifier, NoticeMessage, TapRequest } from '../../../src/flow/types';
import { createCredential } from '../../../src/graph/credential';
import { GraphGateway } from '../../../src/graph/gateway';
import { catalogue, type Catalogue } from '../../../src/i18n';
import { configureLogging } from '../../../src/log';
import { SqliteStorage } from '../../../src/storage/sqliteStorage';
import { actor, APPROVE, ask, flowConfig } from '../../support/flowWorld';
import { request } from '../../support/sandboxHttp';

const WAITING: ApprovalWaiting = { remindAfterInMs: 15 * 60_000, escalateAfterInMs: 20 * 60_000, escalateWhenAway: true };

/** What Teams would have shown: approval cards (to whom) and notices (in English). */
class RecordingNotifier implements FlowNotifier {
  cards: Array<{ requestId: string; to: string[] }> = [];
  notices: Array<{ userId: string; title: string; text: string }> = [];
  async requestApproval(request: TapRequest, options: { onlyTo?: readonly string[] } = {}): Promise<void> {
    this.cards.push({ requestId: request.id, to: [...(options.onlyTo ?? [...request.approver.ids, ...(request.secondApprover?.ids ?? [])])] });
  }
  async requestUpdated(): Promise<void> {}
  async deliverPass(): Promise<void> {}
  async hidePass(): Promise<void> {}
  async notice(userId: string, message: (say: Catalogue) => NoticeMessage): Promise<void> {
    const { title, text } = message(catalogue('en'));
    this.notices.push({ userId, title, text });
  }
}

describe('nobody left waiting, against the sandbox tenant', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let storage: SqliteStorage;
  let audit: AuditLog;
  let graph: GraphGateway;
  let notifier: RecordingNotifier;
  let clock: { now: Date };
  let run = 0;

  before(async () => {
    configureLogging({ level: 'silent' });
    sandbox = await startSandbox({ port: 0 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'escalation-'));
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
    configureLogging({ level: 'info' });
  });
  beforeEach(() => {
    sandbox.reset();
    storage = new SqliteStorage({ path: path.join(dir, `state-${++run}.sqlite`) });
    audit = new AuditLog({ storage });
    const credential = createCredential({ kind: 'secret', clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }, sandbox.tenantId, {
      authorityHost: sandbox.authorityHost,
      trustedCaPem: sandbox.caPem,
    });
    graph = new GraphGateway({ credential, baseUrl: sandbox.graphBaseUrl, trustedCaPem: sandbox.caPem, sleep: async () => undefined, membershipCacheInMs: 0 });
    notifier = new RecordingNotifier();
    clock = { now: new Date() };
  });
  afterEach(async () => storage.close());

  /** An instance of the bot over the shared storage (two of them race like two processes). */
  const instance = (): TapFlow => new TapFlow({ graph, storage, audit, notifier, config: flowConfig({ approvalWaiting: WAITING }), clock: () => clock.now });
  const actions = async (requestId: string): Promise<AuditEvent[]> => (await audit.recent(200)).filter((e) => e.requestId === requestId).reverse();

  async function meganAsked(flow: TapFlow): Promise<TapRequest> {
    const r = await flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await flow.whenIdle();
    return r;
  }

  it("the manager's automatic replies are read from the mailbox settings: off by default, then scheduled", async () => {
    assert.deepEqual(await graph.automaticReplies(USERS.nestor.id), { available: true, value: { status: 'disabled' } });
    sandbox.state.setAutomaticReplies(USERS.nestor.upn, { status: 'scheduled', scheduledStartDateTime: '2030-01-01T00:00:00Z', scheduledEndDateTime: '2030-01-08T00:00:00Z' });
    assert.deepEqual(await graph.automaticReplies(USERS.nestor.id), {
      available: true,
      value: { status: 'scheduled', scheduledStart: '2030-01-01T00:00:00.000Z', scheduledEnd: '2030-01-08T00:00:00.000Z' },
    });
  });

  it('anyone running the sandbox puts a person out of office over loopback HTTP, and back; bad input gets a sentence', async () => {
    const put = (user: string, body: unknown) => request(sandbox, 'PUT', `/_sandbox/users/${encodeURIComponent(user)}/automaticReplies`, { body });
    const on = await put(USERS.nestor.upn, { status: 'alwaysEnabled' });
    assert.equal(on.status, 200);
    assert.deepEqual(await graph.automaticReplies(USERS.nestor.id), { available: true, value: { status: 'alwaysEnabled' } });
    assert.equal((await put(USERS.nestor.upn, { status: null })).status, 200);
    assert.deepEqual(await graph.automaticReplies(USERS.nestor.id), { available: true, value: { status: 'disabled' } });
    const bad = await put(USERS.nestor.upn, { status: 'scheduled', scheduledStartDateTime: '2030-01-02T00:00:00Z', scheduledEndDateTime: '2030-01-01T00:00:00Z' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /scheduledStartDateTime' before 'scheduledEndDateTime/);
    assert.equal((await put('nobody@contoso.com', { status: 'alwaysEnabled' })).status, 404);
  });

  it('without MailboxSettings.Read the read is "not available", never an error', async () => {
    sandbox.knobs.grantedPermissions = sandbox.knobs.grantedPermissions.filter((p) => p !== 'MailboxSettings.Read');
    sandbox.expireTokens();
    assert.deepEqual(await graph.automaticReplies(USERS.nestor.id), { available: false, missing: { code: 'needsPermission', params: { permission: 'MailboxSettings.Read' } } });
  });

  it('a manager out of office: the request goes to the skip-level manager at once, the agent is told, and it is audited', async () => {
    sandbox.state.setAutomaticReplies(USERS.nestor.upn, { status: 'alwaysEnabled' });
    const flow = instance();
    const r = await meganAsked(flow);
    assert.deepEqual(r.approver.ids, [USERS.lee.id]);
    assert.deepEqual(notifier.cards, [{ requestId: r.id, to: [USERS.lee.id] }], 'Nestor never gets a card');
    assert.match(notifier.notices.find((n) => n.userId === USERS.adele.id)?.text ?? '', /Nestor Wilke is out of office.*Lee Gu/);
    const moved = (await actions(r.id)).find((e) => e.action === 'approval.escalated');
    assert.equal(moved?.details?.['because'], 'away');
    assert.ok(sandbox.requests.some((q) => q.url.includes(`/users/${USERS.nestor.id}/mailboxSettings/automaticRepliesSetting`)), 'read from Graph');
  });

  it('a manager out of office whose automatic replies cannot be read is asked as always', async () => {
    sandbox.state.setAutomaticReplies(USERS.nestor.upn, { status: 'alwaysEnabled' });
    sandbox.knobs.grantedPermissions = sandbox.knobs.grantedPermissions.filter((p) => p !== 'MailboxSettings.Read');
    sandbox.expireTokens();
    const r = await meganAsked(instance());
    assert.deepEqual(r.approver.ids, [USERS.nestor.id]);
    assert.deepEqual(r.approver.awayCheck, { available: false, missing: { code: 'needsPermission', params: { permission: 'MailboxSettings.Read' } } });
  });

  it('a silent manager: a reminder at the set point, the move at the escalation point, the agent told, audited, exactly once when two sweeps race', async () => {
    const a = instance();
    const b = instance();
    const r = await meganAsked(a);

    clock.now = new Date(clock.now.getTime() + 15 * 60_000);
    await Promise.all([a.sweep(clock.now), b.sweep(clock.now)]);
    await Promise.all([a.whenIdle(), b.whenIdle()]);
    const reminders = notifier.notices.filter((n) => /Reminder/.test(n.title));
    assert.deepEqual(reminders.map((n) => n.userId), [USERS.nestor.id], 'one reminder, to Nestor');

    clock.now = new Date(clock.now.getTime() + 5 * 60_000);
    await Promise.all([a.sweep(clock.now), b.sweep(clock.now), a.sweep(clock.now)]);
    await Promise.all([a.whenIdle(), b.whenIdle()]);
    const moved = (await a.getRequest(r.id)) as TapRequest;
    assert.deepEqual(moved.approver.ids, [USERS.lee.id]);
    assert.deepEqual(notifier.cards.map((c) => c.to), [[USERS.nestor.id], [USERS.lee.id]], 'the card once to Nestor, then once to Lee');
    assert.match(notifier.notices.find((n) => n.userId === USERS.adele.id)?.text ?? '', /Nestor Wilke did not answer within 20 minutes.*Lee Gu/);
    assert.match(notifier.notices.find((n) => n.userId === USERS.nestor.id && /moved/.test(n.title))?.text ?? '', /can no longer decide/);
    const events = (await actions(r.id)).map((e) => `${e.action}:${e.outcome}`);
    assert.deepEqual(events.filter((e) => e.startsWith('approval.')), ['approval.reminded:ok', 'approval.escalated:ok']);

    await assert.rejects(a.decide(actor('nestor'), r.id, APPROVE), (e: unknown) => e instanceof Error && /moved to Lee Gu/.test(e.message));
    await b.decide(actor('lee'), r.id, APPROVE);
    await b.whenIdle();
    assert.equal((await a.getRequest(r.id))?.state, 'Issued', 'Lee approved; decided twice on fresh reads, and made');
  });
});
