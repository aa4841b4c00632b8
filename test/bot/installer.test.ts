import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sinon from 'sinon';
import { TurnContext, type Activity, type ConversationParameters } from 'botbuilder';
import { createAdapter } from '../../src/bot/adapter';
import { ConversationStore } from '../../src/bot/conversations';
import { GraphProactiveInstaller, SERVICE_URL_KEY, TeamsServiceUrlMemo, type GraphProactiveInstallerOptions } from '../../src/bot/installer';
import { TenantGuard } from '../../src/bot/tenantGuard';
import { GraphError } from '../../src/errors';
import { configureLogging } from '../../src/log';
import { TEAMS_APP_INSTALL_PERMISSION, type TeamsAppGraph } from '../../src/graph/types';
import { GraphHttpStub, graphError } from '../support/graphHttpStub';
import { RecordingAdapter } from '../support/recordingAdapter';
import { RecordingStorage } from '../support/recordingStorage';
import { NOW, OTHER_TENANT, PEOPLE, TENANT, teamsActivity } from '../support/teamsFixtures';

const BOT_APP_ID = '66666666-7777-4888-9999-000000000000';
const CATALOG_ID = 'b1c5353a-7aca-41b3-830f-27d5218fe0e5';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const NESTOR = PEOPLE.nestor.id;

type CreateArgs = [string, string, string, string, ConversationParameters, (context: TurnContext) => Promise<void>];

describe('bot/installer (reaching people who never opened the bot)', () => {
  let storage: RecordingStorage;
  let adapter: RecordingAdapter;
  let conversations: ConversationStore;
  let graph: { installAppForUser: sinon.SinonStub<Parameters<TeamsAppGraph['installAppForUser']>, ReturnType<TeamsAppGraph['installAppForUser']>> };
  let sleeps: number[];
  let logLines: string[];

  beforeEach(() => {
    storage = new RecordingStorage();
    adapter = new RecordingAdapter();
    adapter.use(new TenantGuard({ tenantId: TENANT }));
    conversations = new ConversationStore(storage, { clock: () => NOW });
    graph = { installAppForUser: sinon.stub<Parameters<TeamsAppGraph['installAppForUser']>, ReturnType<TeamsAppGraph['installAppForUser']>>().resolves('installed') };
    sleeps = [];
    logLines = [];
    configureLogging({ level: 'debug', sink: (line) => logLines.push(line) });
  });
  afterEach(async () => {
    sinon.restore();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
    await storage.close();
  });

  function installer(options: Partial<GraphProactiveInstallerOptions> = {}): GraphProactiveInstaller {
    const built = new GraphProactiveInstaller({
      graph,
      teamsAppCatalogId: CATALOG_ID,
      botAppId: BOT_APP_ID,
      tenantId: TENANT,
      storage,
      serviceUrlOf: async () => SERVICE_URL,
      retryDelayInMs: 1500,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options,
    });
    built.connect({ adapter, conversations });
    return built;
  }

  /** Teams answering createConversation: the adapter runs the bot's callback in the new chat. */
  function teamsOpensChats(conversationId = 'a:new-chat-nestor') {
    return sinon.stub(adapter, 'createConversationAsync').callsFake(async (...args: CreateArgs) => {
      const [, channelId, serviceUrl, , parameters, logic] = args;
      const created: Partial<Activity> = {
        type: 'event',
        name: 'CreateConversation',
        id: conversationId,
        channelId,
        serviceUrl,
        conversation: { id: conversationId, isGroup: parameters.isGroup, tenantId: parameters.tenantId ?? '', name: '', conversationType: '' },
        channelData: parameters.channelData,
        recipient: parameters.bot,
      };
      await logic(new TurnContext(adapter, created));
    });
  }

  it('installs the app for the person, then opens the 1:1 chat by their Entra id and stores its reference', async () => {
    const create = teamsOpensChats();
    const reference = await installer().ensureConversation(NESTOR);

    sinon.assert.calledOnceWithExactly(graph.installAppForUser, NESTOR, CATALOG_ID);
    sinon.assert.callOrder(graph.installAppForUser, create);
    const [botAppId, channelId, serviceUrl, audience, parameters] = create.firstCall.args;
    assert.deepEqual([botAppId, channelId, serviceUrl, audience], [BOT_APP_ID, 'msteams', SERVICE_URL, 'https://api.botframework.com']);
    assert.deepEqual(parameters, {
      isGroup: false,
      bot: { id: `28:${BOT_APP_ID}` },
      members: [{ id: NESTOR }],
      tenantId: TENANT,
      channelData: { tenant: { id: TENANT } },
    });

    assert.equal(reference?.conversation?.id, 'a:new-chat-nestor');
    assert.equal(reference?.conversation?.tenantId, TENANT);
    assert.equal(reference?.conversation?.conversationType, 'personal');
    assert.equal(reference?.serviceUrl, SERVICE_URL);
    assert.equal(reference?.channelId, 'msteams');
    assert.equal(reference?.activityId, undefined);
    const stored = await conversations.get(NESTOR);
    assert.equal(stored?.reference.conversation?.id, 'a:new-chat-nestor');
  });

  it('the stored reference reaches the person through the tenant guard on a later proactive turn', async () => {
    teamsOpensChats();
    const reference = await installer().ensureConversation(NESTOR);
    assert.ok(reference);
    await adapter.continueConversationAsync(BOT_APP_ID, reference, async (context) => {
      await context.sendActivity('hello');
    });
    assert.deepEqual(adapter.sentTexts('a:new-chat-nestor'), ['hello']);
  });

  it('an app that is already installed (Graph 409) still gets the chat opened', async () => {
    graph.installAppForUser.resolves('alreadyInstalled');
    const create = teamsOpensChats();
    const reference = await installer().ensureConversation(NESTOR);
    assert.equal(reference?.conversation?.id, 'a:new-chat-nestor');
    sinon.assert.calledOnce(create);
  });

  it('409 from real Graph (through the gateway) counts as installed and the chat is opened', async () => {
    const fake = new GraphHttpStub(() => graphError(409, 'Conflict', 'App is already installed.'));
    teamsOpensChats();
    const reference = await installer({ graph: fake.gateway() }).ensureConversation(NESTOR);
    assert.equal(reference?.conversation?.id, 'a:new-chat-nestor');
    assert.equal(fake.requests.length, 1);
  });

  it('without any known Teams serviceUrl nobody is installed or written to: undefined', async () => {
    const create = teamsOpensChats();
    const reference = await installer({ serviceUrlOf: async () => undefined }).ensureConversation(NESTOR);
    assert.equal(reference, undefined);
    sinon.assert.notCalled(graph.installAppForUser);
    sinon.assert.notCalled(create);
    assert.equal(await conversations.get(NESTOR), undefined);
  });

  it('Graph 403 leaves the person unreachable and the log names TeamsAppInstallation.ReadWriteSelfForUser.All', async () => {
    const fake = new GraphHttpStub(() => graphError(403, 'Forbidden', 'Missing role permissions on the request.'));
    const create = teamsOpensChats();
    const reference = await installer({ graph: fake.gateway() }).ensureConversation(NESTOR);
    assert.equal(reference, undefined);
    sinon.assert.notCalled(create);
    assert.equal(await conversations.get(NESTOR), undefined);
    const line = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['logger'] === 'bot.installer' && l['level'] === 'warn');
    assert.ok(line, 'the installer logs the refusal');
    assert.match(String(line['msg']), /TeamsAppInstallation\.ReadWriteSelfForUser\.All/);
    assert.equal(line['missingPermission'], TEAMS_APP_INSTALL_PERMISSION);
    assert.equal(line['userId'], NESTOR);
  });

  it('any other install failure (throttled, outage) also ends in undefined, never a thrown error', async () => {
    graph.installAppForUser.rejects(new GraphError({ code: 'throttled', status: 429, userMessage: 'busy', retryAfterSeconds: 60 }));
    assert.equal(await installer().ensureConversation(NESTOR), undefined);
    graph.installAppForUser.rejects(new Error('socket hang up'));
    assert.equal(await installer().ensureConversation(NESTOR), undefined);
  });

  it('right after a fresh install Teams may refuse the chat for a moment: it is retried after a pause', async () => {
    const create = teamsOpensChats();
    create.onFirstCall().rejects(Object.assign(new Error("Bot is not installed in user's personal scope"), { statusCode: 403 }));
    const reference = await installer().ensureConversation(NESTOR);
    assert.equal(reference?.conversation?.id, 'a:new-chat-nestor');
    sinon.assert.calledTwice(create);
    assert.deepEqual(sleeps, [1500]);
  });

  it('when Teams keeps refusing the chat the person stays unreachable, nothing is stored, and the log carries no connector text', async () => {
    const create = sinon.stub(adapter, 'createConversationAsync').rejects(
      Object.assign(new Error('refused; request had Authorization: Bearer eyJ-secret-token'), { statusCode: 403, code: 'BotNotInConversationRoster' }),
    );
    const reference = await installer({ createAttempts: 3 }).ensureConversation(NESTOR);
    assert.equal(reference, undefined);
    sinon.assert.calledThrice(create);
    assert.deepEqual(sleeps, [1500, 1500]);
    assert.equal(await conversations.get(NESTOR), undefined);
    assert.ok(logLines.some((l) => l.includes('"statusCode":403')));
    assert.ok(!logLines.some((l) => l.includes('eyJ-secret-token')));
  });

  it('an app that was already installed gets one try at the chat: a refusal there is not a propagation delay', async () => {
    graph.installAppForUser.resolves('alreadyInstalled');
    const create = sinon.stub(adapter, 'createConversationAsync').rejects(Object.assign(new Error('blocked'), { statusCode: 403 }));
    assert.equal(await installer().ensureConversation(NESTOR), undefined);
    sinon.assert.calledOnce(create);
    assert.deepEqual(sleeps, []);
  });

  it('a new chat the tenant guard drops (foreign tenant) yields no reference', async () => {
    const create = sinon.stub(adapter, 'createConversationAsync').callsFake(async (...args: CreateArgs) => {
      const logic = args[5];
      // Run through the adapter's middleware, as CloudAdapter does.
      await adapter.processActivity({ ...teamsActivity('nestor'), conversation: { id: 'a:x', tenantId: OTHER_TENANT, isGroup: false, name: '', conversationType: 'personal' }, channelData: { tenant: { id: OTHER_TENANT } } }, logic);
    });
    assert.equal(await installer().ensureConversation(NESTOR), undefined);
    sinon.assert.calledOnce(create);
    assert.equal(await conversations.get(NESTOR), undefined);
  });

  it('used before connect(edge), it reaches nobody', async () => {
    const loose = new GraphProactiveInstaller({ graph, teamsAppCatalogId: CATALOG_ID, botAppId: BOT_APP_ID, tenantId: TENANT, serviceUrlOf: async () => SERVICE_URL });
    assert.equal(await loose.ensureConversation(NESTOR), undefined);
    sinon.assert.notCalled(graph.installAppForUser);
  });

  it('refuses to be built without the bot app id, tenant or catalog id', () => {
    assert.throws(() => new GraphProactiveInstaller({ graph, teamsAppCatalogId: '', botAppId: BOT_APP_ID, tenantId: TENANT }));
    assert.throws(() => new GraphProactiveInstaller({ graph, teamsAppCatalogId: CATALOG_ID, botAppId: '', tenantId: TENANT }));
    assert.throws(() => new GraphProactiveInstaller({ graph, teamsAppCatalogId: CATALOG_ID, botAppId: BOT_APP_ID, tenantId: '' }));
  });

  describe('the remembered serviceUrl (default source)', () => {
    it("takes the serviceUrl of our tenant's Teams activities, and uses it to open chats", async () => {
      const create = teamsOpensChats();
      const built = installer({ serviceUrlOf: undefined });
      await adapter.processActivity(teamsActivity('adele', { serviceUrl: SERVICE_URL }), async () => undefined);
      await built.ensureConversation(NESTOR);
      assert.equal(create.firstCall.args[2], SERVICE_URL);
    });

    it("ignores another tenant's activity (the tenant guard runs first) and plain-http URLs", async () => {
      const create = teamsOpensChats();
      const built = installer({ serviceUrlOf: undefined });
      await adapter.processActivity(
        teamsActivity('adele', { serviceUrl: 'https://evil.example/', conversation: { id: 'a:x', tenantId: OTHER_TENANT, isGroup: false, name: '', conversationType: 'personal' }, channelData: { tenant: { id: OTHER_TENANT } } }),
        async () => undefined,
      );
      await adapter.processActivity(teamsActivity('adele', { serviceUrl: 'http://127.0.0.1:9/_connector' }), async () => undefined);
      assert.equal(await built.ensureConversation(NESTOR), undefined);
      sinon.assert.notCalled(create);
      sinon.assert.notCalled(graph.installAppForUser);
    });

    it('survives a restart through storage', async () => {
      const first = new TeamsServiceUrlMemo(storage);
      await first.onTurn(new TurnContext(adapter, teamsActivity('adele', { serviceUrl: SERVICE_URL })), async () => undefined);
      assert.equal(await new TeamsServiceUrlMemo(storage).get(), SERVICE_URL);
      const item = (await storage.read([SERVICE_URL_KEY]))[SERVICE_URL_KEY] as { serviceUrl: string };
      assert.equal(item.serviceUrl, SERVICE_URL);
    });

    it('writes storage only when the serviceUrl changes', async () => {
      const memo = new TeamsServiceUrlMemo(storage);
      for (let i = 0; i < 3; i++) await memo.onTurn(new TurnContext(adapter, teamsActivity('adele', { serviceUrl: SERVICE_URL })), async () => undefined);
      assert.equal(storage.writesTo(SERVICE_URL_KEY), 1);
    });
  });

  describe('with the real CloudAdapter and a Bot Connector stand-in', () => {
    let server: Server;
    let connectorUrl: string;
    const posted: { url: string | undefined; body: Record<string, unknown> }[] = [];

    before(async () => {
      server = createServer((req: IncomingMessage, res) => {
        let raw = '';
        req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        req.on('end', () => {
          posted.push({ url: req.url, body: JSON.parse(raw || '{}') as Record<string, unknown> });
          res.writeHead(req.method === 'POST' && req.url === '/v3/conversations' ? 201 : 404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: 'a:connector-chat' }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      connectorUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    after(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('sends Teams the bot as 28:<app id>, the person by Entra object id and our tenant, and keeps the chat it returns', async () => {
      const cloud = createAdapter({ mode: 'sandbox', tenantId: TENANT });
      cloud.use(new TenantGuard({ tenantId: TENANT }));
      const built = new GraphProactiveInstaller({ graph, teamsAppCatalogId: CATALOG_ID, botAppId: BOT_APP_ID, tenantId: TENANT, serviceUrlOf: async () => connectorUrl });
      built.connect({ adapter: cloud, conversations });

      const reference = await built.ensureConversation(NESTOR);

      assert.equal(posted.length, 1);
      assert.equal(posted[0]?.url, '/v3/conversations');
      assert.deepEqual(posted[0]?.body, {
        isGroup: false,
        bot: { id: `28:${BOT_APP_ID}` },
        members: [{ id: NESTOR }],
        tenantId: TENANT,
        channelData: { tenant: { id: TENANT } },
      });
      assert.equal(reference?.conversation?.id, 'a:connector-chat');
      assert.equal(reference?.serviceUrl, connectorUrl);
      assert.equal((await conversations.get(NESTOR))?.reference.conversation?.id, 'a:connector-chat');
    });
  });
});
