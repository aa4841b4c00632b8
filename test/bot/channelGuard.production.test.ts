/**
 * The channel guard in the production app: a Web Chat activity with a token that is valid
 * for Web Chat gets past botbuilder's token check (that is the point: Web Chat tokens are
 * real) and must then be refused by the guard, audited, and never handled.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MicrosoftAppCredentials } from 'botframework-connector';
import sinon from 'sinon';
import type { RunningApp } from '../../src/app';
import { AuditLog } from '../../src/audit/auditLog';
import { WRONG_CHANNEL_MESSAGE } from '../../src/bot/channelGuard';
import { conversationKey } from '../../src/bot/conversations';
import { configureLogging } from '../../src/log';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import type { FakeConnector } from '../support/fakeConnector';
import { PRODUCTION_APP_ID, PRODUCTION_TENANT_ID, startProductionBot, type ProductionBot } from '../support/productionBot';
import type { OpenIdStub } from '../support/openIdStub';

const APP_ID = PRODUCTION_APP_ID;
const TENANT_ID = PRODUCTION_TENANT_ID;
/** Who a forger would pose as: a helpdesk agent's object id. */
const POSED_AS = 'a0000000-0000-4000-8000-000000000001';

describe('the channel guard in production', function () {
  this.timeout(30_000);
  let stub: OpenIdStub | undefined;
  let bot: ProductionBot | undefined;
  let connector: FakeConnector | undefined;
  let app: RunningApp | undefined;
  let storage: SqliteStorage | undefined;
  let logLines: string[];

  before(async () => {
    logLines = [];
    configureLogging({ level: 'info', sink: (line) => logLines.push(line) });
    bot = await startProductionBot('tapbot-channel-');
    ({ stub, connector, app, storage } = bot);
  });

  after(async () => {
    await bot?.stop();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });

  beforeEach(() => {
    sinon.stub(console, 'error');
    // The bot's own outgoing token (for the one-sentence answer) is not under test.
    sinon.stub(MicrosoftAppCredentials.prototype, 'getToken').resolves('outgoing-token-not-under-test');
  });
  afterEach(() => sinon.restore());

  function webChat(fields: Record<string, unknown>): Record<string, unknown> {
    return {
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'webchat',
      serviceUrl: connector!.serviceUrl,
      // Web Chat lets the page choose these: here it claims to be a helpdesk agent.
      from: { id: 'dl_forger', name: 'Adele Vance', aadObjectId: POSED_AS },
      recipient: { id: APP_ID, name: 'TAP Helpdesk' },
      conversation: { id: 'webchat-conversation-1', tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID } },
      ...fields,
    };
  }

  async function post(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const now = Math.floor(Date.now() / 1000);
    const token = stub!.mint({ iss: stub!.issuer, aud: APP_ID, serviceurl: connector!.serviceUrl, nbf: now - 60, exp: now + 3600 }, 'webchat');
    const res = await fetch(app!.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  it('a Web Chat card action with a valid Web Chat token is answered 403, audited, and never handled', async () => {
    const res = await post(webChat({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'tap.approve', data: { requestId: 'TAP-7K3F9Q', attestation: 'inPerson' } } } }));
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, { statusCode: 403, type: 'application/vnd.microsoft.error', value: { code: 'Forbidden', message: WRONG_CHANNEL_MESSAGE } });
    const events = await new AuditLog({ storage: storage! }).recent(10);
    const refused = events.find((e) => e.action === 'activity.refused');
    assert.equal(refused?.outcome, 'wrongChannel');
    assert.equal(refused?.actorId, POSED_AS);
    assert.equal(refused?.details?.['channelId'], 'webchat');
    assert.ok(!JSON.stringify(events).includes('inPerson'), 'no card data is audited');
  });

  it('a Web Chat message gets one sentence, and the bot remembers nothing of it', async () => {
    const sentBefore = connector!.log.length;
    const res = await post(webChat({ type: 'message', text: 'tap megan@contoso.com' }));
    assert.equal(res.status, 200);
    const sent = connector!.log.slice(sentBefore);
    assert.deepEqual(sent.map((r) => r.activity['text']), [WRONG_CHANNEL_MESSAGE]);
    assert.equal((await storage!.read([conversationKey(POSED_AS)]))[conversationKey(POSED_AS)], undefined, 'no conversation reference was stored');
    const warn = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['logger'] === 'bot.channelGuard');
    assert.equal(warn?.['level'], 'warn');
    assert.ok(!logLines.join('\n').includes('megan@contoso.com'), 'the text is not logged');
  });
});
