import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Activity, TurnContext } from 'botbuilder';
import { TenantGuard } from '../../src/bot/tenantGuard';
import { configureLogging } from '../../src/log';
import { RecordingAdapter } from '../support/recordingAdapter';
import { OTHER_TENANT, TENANT, cardAction, teamsActivity } from '../support/teamsFixtures';

describe('bot/tenantGuard', () => {
  let adapter: RecordingAdapter;
  let guard: TenantGuard;
  let handled: Partial<Activity>[];
  let logLines: string[];
  const handler = async (context: TurnContext): Promise<void> => {
    handled.push(context.activity);
  };

  beforeEach(() => {
    guard = new TenantGuard({ tenantId: TENANT });
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

  it('an activity from the configured tenant reaches the handler', async () => {
    await adapter.processActivity(teamsActivity('adele', { text: 'status' }), handler);
    assert.equal(handled.length, 1);
    assert.equal(guard.stats.rejected, 0);
  });

  it('the tenant id is compared without regard to case', async () => {
    await adapter.processActivity(teamsActivity('adele', { channelData: { tenant: { id: TENANT.toUpperCase() } } }), handler);
    assert.equal(handled.length, 1);
  });

  it('a tenant only in conversation.tenantId is accepted when it is ours', async () => {
    await adapter.processActivity(teamsActivity('adele', { channelData: {} }), handler);
    assert.equal(handled.length, 1);
  });

  const refused: [string, Partial<Activity>][] = [
    ['another tenant in channelData and conversation', teamsActivity('adele', {
      channelData: { tenant: { id: OTHER_TENANT } },
      conversation: { id: 'a:x', conversationType: 'personal', tenantId: OTHER_TENANT, isGroup: false, name: '' },
    })],
    ['no tenant at all', teamsActivity('adele', {
      channelData: {},
      conversation: { id: 'a:x', conversationType: 'personal', isGroup: false, name: '' },
    })],
    ['no channelData and no conversation tenant', teamsActivity('adele', {
      channelData: undefined,
      conversation: { id: 'a:x', conversationType: 'personal', isGroup: false, name: '' },
    })],
    ['another tenant only in conversation.tenantId', teamsActivity('adele', {
      channelData: {},
      conversation: { id: 'a:x', conversationType: 'personal', tenantId: OTHER_TENANT, isGroup: false, name: '' },
    })],
    ['our tenant in channelData but another in the conversation', teamsActivity('adele', {
      conversation: { id: 'a:x', conversationType: 'personal', tenantId: OTHER_TENANT, isGroup: false, name: '' },
    })],
    ['an empty tenant id', teamsActivity('adele', {
      channelData: { tenant: { id: '' } },
      conversation: { id: 'a:x', conversationType: 'personal', isGroup: false, name: '' },
    })],
    ['a tenant id that is not a string', teamsActivity('adele', {
      channelData: { tenant: { id: { toLowerCase: TENANT } } },
      conversation: { id: 'a:x', conversationType: 'personal', isGroup: false, name: '' },
    })],
  ];
  for (const [what, activity] of refused) {
    it(`an activity with ${what} never reaches the handler, and is counted and logged`, async () => {
      await adapter.processActivity({ ...activity, text: 'tap megan@contoso.com' }, handler);
      assert.equal(handled.length, 0);
      assert.equal(guard.stats.rejected, 1);
      assert.equal(adapter.sent.length, 0, 'a dropped message gets no answer');
      const line = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['logger'] === 'bot.tenantGuard');
      assert.ok(line, 'the drop is logged');
      assert.ok(!JSON.stringify(line).includes('megan@contoso.com'), 'the foreign text is not logged');
    });
  }

  it('an invoke from another tenant is answered 403 with an error body', async () => {
    const invoke = cardAction('nestor', 'tap.approve', { requestId: 'TAP-7K3F9Q' }, { channelData: { tenant: { id: OTHER_TENANT } } });
    await adapter.processActivity(invoke, handler);
    assert.equal(handled.length, 0);
    const response = adapter.lastInvokeResponse();
    assert.equal(response?.status, 403);
    assert.equal(response?.body.type, 'application/vnd.microsoft.error');
    assert.equal(response?.body.statusCode, 403);
  });

  it('cannot be built without a tenant', () => {
    assert.throws(() => new TenantGuard({ tenantId: '' }));
  });
});
