import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Activity, TurnContext } from 'botbuilder';
import type { AuditEvent, AuditSink } from '../../src/audit/types';
import { CapturedResponse } from '../support/capturedResponse';
import { createTeamsEdge } from '../../src/bot';
import { ChannelGuard, WRONG_CHANNEL_MESSAGE } from '../../src/bot/channelGuard';
import { configureLogging } from '../../src/log';
import { RecordingAdapter } from '../support/recordingAdapter';
import { RecordingStorage } from '../support/recordingStorage';
import { NOW, NotWiredFlow, PEOPLE, TENANT, cardAction, teamsActivity } from '../support/teamsFixtures';


class RecordingAudit implements AuditSink {
  readonly events: AuditEvent[] = [];
  async record(event: AuditEvent): Promise<void> {
    this.events.push(event);
  }
  async recent(limit: number): Promise<AuditEvent[]> {
    return this.events.slice(-limit).reverse();
  }
}

describe('bot/channelGuard', () => {
  let adapter: RecordingAdapter;
  let audit: RecordingAudit;
  let guard: ChannelGuard;
  let handled: Partial<Activity>[];
  let logLines: string[];
  const handler = async (context: TurnContext): Promise<void> => {
    handled.push(context.activity);
  };
  const guardLines = (): Record<string, unknown>[] =>
    logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['logger'] === 'bot.channelGuard');

  beforeEach(() => {
    audit = new RecordingAudit();
    guard = new ChannelGuard({ audit, clock: () => NOW });
    adapter = new RecordingAdapter();
    adapter.use(guard);
    handled = [];
    logLines = [];
    configureLogging({ level: 'warn', sink: (line) => logLines.push(line) });
  });

  afterEach(() => {
    sinon.restore();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
  });

  it('an activity from Teams reaches the handler and is not audited', async () => {
    await adapter.processActivity(teamsActivity('adele', { text: 'status' }), handler);
    assert.equal(handled.length, 1);
    assert.equal(audit.events.length, 0);
    assert.equal(guard.stats.refused, 0);
  });

  it('an activity from the webchat channel is refused in production and audited', async () => {
    await adapter.processActivity(teamsActivity('adele', { channelId: 'webchat', text: 'tap megan@contoso.com' }), handler);
    assert.equal(handled.length, 0, 'no handler ran');
    assert.equal(guard.stats.refused, 1);
    assert.deepEqual(audit.events, [{
      at: NOW.toISOString(),
      action: 'activity.refused',
      actorId: PEOPLE.adele.id,
      outcome: 'wrongChannel',
      details: { channelId: 'webchat', activityType: 'message' },
    }]);
    const line = guardLines()[0];
    assert.equal(line?.['level'], 'warn', 'the refusal is logged at warn');
    assert.equal(line?.['channelId'], 'webchat');
  });

  it('a refused message gets one short sentence and nothing else', async () => {
    await adapter.processActivity(teamsActivity('adele', { channelId: 'directline', text: 'status' }), handler);
    assert.deepEqual(adapter.sentTexts(), [WRONG_CHANNEL_MESSAGE]);
    assert.equal(adapter.sentCards().length, 0);
  });

  it('a card action from Direct Line is answered 403 with an error body, audited, and never reaches the handler', async () => {
    await adapter.processActivity(cardAction('nestor', 'tap.approve', { requestId: 'TAP-7K3F9Q', attestation: 'inPerson' }, { channelId: 'directline' }), handler);
    assert.equal(handled.length, 0);
    const response = adapter.lastInvokeResponse();
    assert.equal(response?.status, 403);
    assert.equal(response?.body.type, 'application/vnd.microsoft.error');
    assert.equal(response?.body.value['message'], WRONG_CHANNEL_MESSAGE);
    assert.deepEqual(audit.events.map((e) => [e.action, e.outcome, e.actorId, e.details?.['activityName']]), [
      ['activity.refused', 'wrongChannel', PEOPLE.nestor.id, 'adaptiveCard/action'],
    ]);
  });

  it('neither the audit event nor the log line carries the text or the card data of a refused activity', async () => {
    await adapter.processActivity(teamsActivity('adele', { channelId: 'webchat', text: 'tap megan@contoso.com' }), handler);
    await adapter.processActivity(cardAction('adele', 'tap.submit', { target: 'megan@contoso.com', reason: 'Lost phone' }, { channelId: 'webchat' }), handler);
    const recorded = JSON.stringify([audit.events, guardLines()]);
    assert.ok(!recorded.includes('megan@contoso.com'), recorded);
    assert.ok(!recorded.includes('Lost phone'), recorded);
  });

  it('the sender is audited by the canonical form of the claimed object id, or as unknown without one', async () => {
    await adapter.processActivity(teamsActivity('adele', { channelId: 'webchat', from: { id: 'dl_1', name: 'x', aadObjectId: PEOPLE.adele.id.toUpperCase() } }), handler);
    await adapter.processActivity(teamsActivity('adele', { channelId: 'webchat', from: { id: 'dl_2', name: 'x' } }), handler);
    await adapter.processActivity(teamsActivity('adele', { channelId: 'webchat', from: { id: 'dl_3', name: 'x', aadObjectId: "'; DROP TABLE audit; --" } }), handler);
    assert.deepEqual(audit.events.map((e) => e.actorId), [PEOPLE.adele.id, 'unknown', 'unknown']);
  });

  it('an activity without a channel id is refused too', async () => {
    await adapter.processActivity(teamsActivity('adele', { channelId: '', text: 'status' }), handler);
    assert.equal(handled.length, 0);
    assert.equal(audit.events[0]?.outcome, 'wrongChannel');
  });

  it('the channel id is compared exactly: "MSTeams" or "msteams:x" is not Teams', async () => {
    for (const channelId of ['MSTeams', 'msteams ', 'msteams:webchat']) {
      await adapter.processActivity(teamsActivity('adele', { channelId, text: 'status' }), handler);
    }
    assert.equal(handled.length, 0);
    assert.equal(audit.events.length, 3);
  });

  it('when the audit sink fails the activity is still refused', async () => {
    sinon.stub(audit, 'record').rejects(new Error('storage down'));
    await adapter.processActivity(cardAction('nestor', 'tap.approve', { requestId: 'TAP-7K3F9Q' }, { channelId: 'webchat' }), handler);
    assert.equal(handled.length, 0);
    assert.equal(adapter.lastInvokeResponse()?.status, 403);
  });

  describe('in the wired edge', () => {
    let storage: RecordingStorage;
    beforeEach(() => {
      storage = new RecordingStorage();
    });
    afterEach(() => storage.close());

    const bot = { appId: '66666666-7777-4888-9999-000000000000', appType: 'SingleTenant', appPassword: 'not-a-real-secret', appTenantId: TENANT } as const;

    it('a production edge cannot be built without an audit sink for refusals', () => {
      assert.throws(() => createTeamsEdge({ mode: 'production', bot, tenantId: TENANT, storage }), /audit/);
    });

    it('the sandbox edge has no channel guard: what the Agents Playground sends as another channel reaches the bot', async () => {
      const edge = createTeamsEdge({ mode: 'sandbox', tenantId: TENANT, storage, audit });
      const handle = edge.attach(sinon.createStubInstance(NotWiredFlow));
      const res = new CapturedResponse();
      const body = cardAction('adele', 'tap.nope', { requestId: 'TAP-7K3F9Q' }, { channelId: 'emulator' });
      await handle({ method: 'POST', headers: {}, body: body as Record<string, unknown> }, res);
      assert.equal(res.statusCode, 400, 'the bot answered (unknown verb), no guard refused it');
      assert.equal(audit.events.length, 0);
    });
  });
});
