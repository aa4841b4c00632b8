import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Activity, ChannelAccount } from 'botbuilder';
import { CardRefStore } from '../../src/bot/cardRefs';
import { ConversationStore } from '../../src/bot/conversations';
import { MAX_COMMAND_TEXT, TapBot } from '../../src/bot/tapBot';
import { TenantGuard } from '../../src/bot/tenantGuard';
import { configureLogging } from '../../src/log';
import { RecordingAdapter } from '../support/recordingAdapter';
import { RecordingStorage } from '../support/recordingStorage';
import { NOW, NotWiredFlow, stubFlow, TENANT, fakeCards, teamsActivity } from '../support/teamsFixtures';

describe('bot/tapBot with unusual turns', () => {
  let storage: RecordingStorage;
  let adapter: RecordingAdapter;
  let flow: sinon.SinonStubbedInstance<NotWiredFlow>;
  let bot: TapBot;
  const send = (activity: Partial<Activity>): Promise<void> => adapter.processActivity(activity, (context) => bot.run(context));

  beforeEach(() => {
    configureLogging({ level: 'silent' });
    storage = new RecordingStorage();
    adapter = new RecordingAdapter();
    adapter.use(new TenantGuard({ tenantId: TENANT }));
    flow = stubFlow();
    bot = new TapBot({
      flow,
      conversations: new ConversationStore(storage, { clock: () => NOW }),
      cardRefs: new CardRefStore(storage),
      cards: fakeCards(),
      tenantId: TENANT,
      clock: () => NOW,
    });
  });
  afterEach(async () => {
    sinon.restore();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
    await storage.close();
  });

  for (const name of ['task/fetch', 'composeExtension/query', 'signin/verifyState', 'actionableMessage/executeAction', undefined]) {
    it(`an invoke the bot does not handle (${name ?? 'no name'}) is answered 400 with an error body, not 501`, async () => {
      await send(teamsActivity('adele', { type: 'invoke', ...(name ? { name } : {}), value: {} }));
      const response = adapter.lastInvokeResponse();
      assert.equal(response?.status, 400);
      assert.equal(response?.body.type, 'application/vnd.microsoft.error');
      assert.equal(response?.body.value['code'], 'NotSupported');
    });
  }

  it('a message too long to be a command gets a readable sentence and is not parsed', async () => {
    // A long run of unclosed "<" is what makes stripping HTML slow (seconds at this length).
    const started = Date.now();
    await send(teamsActivity('adele', { text: `tap ${'<'.repeat(60_000)}` }));
    assert.ok(Date.now() - started < 500, 'answered without parsing');
    const [text] = adapter.sentTexts();
    assert.match(String(text), /too long/);
    assert.equal(flow.assertAgent.called, false, 'no command ran');
  });

  it('a message just short enough is still read as a command', async () => {
    await send(teamsActivity('adele', { text: `help${' '.repeat(MAX_COMMAND_TEXT - 4)}` }));
    assert.deepEqual(adapter.sentCards(), [{ card: 'help', reader: { isAgent: true, isApprover: false } }]);
  });

  const senders: Array<[string, ChannelAccount]> = [
    ['no object id', { id: '29:x', name: 'Someone' }],
    ['an object id that is not a GUID', { id: '29:x', name: 'Someone', aadObjectId: "../'; DROP TABLE users; --" }],
    ['a bot as sender', { id: '28:other', name: 'Other bot', aadObjectId: 'a0000000-0000-4000-8000-000000000001', role: 'bot' }],
  ];
  for (const [what, from] of senders) {
    it(`a message from a sender with ${what} gets a clear sentence and nothing runs`, async () => {
      await send(teamsActivity('adele', { text: 'tap megan@contoso.com', from }));
      const [text] = adapter.sentTexts();
      assert.match(String(text), /^I can't tell who you are/);
      assert.equal(flow.assertAgent.called, false);
    });
  }
});
