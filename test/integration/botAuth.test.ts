/**
 * Production mode against real Bot Framework token validation: botbuilder fetches our own
 * OpenID metadata and JWKS over HTTPS (a test CA) and checks each token as it would one
 * from Teams. Only where the keys live and who the issuer is differ from the public cloud.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MicrosoftAppCredentials } from 'botframework-connector';
import sinon from 'sinon';
import type { RunningApp } from '../../src/app';
import { conversationKey } from '../../src/bot/conversations';
import { helpCard } from '../../src/cards/render';
import { configureLogging } from '../../src/log';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import type { FakeConnector } from '../support/fakeConnector';
import { PRODUCTION_APP_ID, PRODUCTION_TENANT_ID, startProductionBot, type ProductionBot } from '../support/productionBot';
import { recordOutgoingConnections, type OpenIdStub } from '../support/openIdStub';

const APP_ID = PRODUCTION_APP_ID;
const OTHER_APP_ID = '77777777-8888-4999-8aaa-000000000000';
const TENANT_ID = PRODUCTION_TENANT_ID;
const ADELE = 'a0000000-0000-4000-8000-000000000001';
/** One sender per rejection case, so a token that slips through shows in its own case only. */
const senderFor = (n: number): string => `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const MINUTE = 60;

const nowInSeconds = (): number => Math.floor(Date.now() / 1000);

describe('Bot Framework authentication in production mode', function () {
  this.timeout(30_000);
  let stub: OpenIdStub | undefined;
  let bot: ProductionBot | undefined;
  let connector: FakeConnector | undefined;
  let app: RunningApp | undefined;
  let storage: SqliteStorage | undefined;

  before(async () => {
    configureLogging({ level: 'silent' });
    bot = await startProductionBot('tapbot-auth-');
    ({ stub, connector, app, storage } = bot);
  });

  after(async () => {
    await bot?.stop();
    configureLogging({ level: 'info' });
  });

  beforeEach(() => {
    // botbuilder prints each rejected token with console.error; keep the output readable.
    sinon.stub(console, 'error');
    // Outgoing auth is not under test: the bot's own client-credential token for replies to
    // serviceUrl would come from login.microsoftonline.com.
    sinon.stub(MicrosoftAppCredentials.prototype, 'getToken').resolves('outgoing-token-not-under-test');
  });
  afterEach(() => sinon.restore());

  function message(from: string, text: string): Record<string, unknown> {
    return {
      type: 'message',
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: connector!.serviceUrl,
      from: { id: `29:${from}`, name: 'Someone', aadObjectId: from },
      recipient: { id: `28:${APP_ID}`, name: 'TAP Helpdesk' },
      conversation: { id: `a:personal-${from}`, conversationType: 'personal', tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID } },
      locale: 'en-US',
      text,
    };
  }

  /** The claims Teams' channel tokens carry, valid for a few minutes around now. */
  function channelClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = nowInSeconds();
    return { iss: stub!.issuer, aud: APP_ID, serviceurl: connector!.serviceUrl, nbf: now - MINUTE, exp: now + 60 * MINUTE, ...overrides };
  }

  async function post(activity: Record<string, unknown>, token?: string, withinMs?: number): Promise<number> {
    try {
      const res = await fetch(app!.messagesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(activity),
        ...(withinMs ? { signal: AbortSignal.timeout(withinMs) } : {}),
      });
      await res.arrayBuffer();
      return res.status;
    } catch (e) {
      if (e instanceof Error && e.name === 'TimeoutError') assert.fail(`no answer within ${withinMs} ms: the bot is waiting on something (keys from the internet?)`);
      throw e;
    }
  }

  it('processes a help message with a valid channel token: the answer reaches the connector and the conversation is remembered', async () => {
    const sentBefore = connector!.log.length;
    const status = await post(message(ADELE, 'help'), stub!.mint(channelClaims()));
    assert.equal(status, 200);
    const replies = connector!.log.slice(sentBefore);
    assert.equal(replies.length, 1, 'one answer was sent');
    assert.equal(replies[0]?.conversationId, `a:personal-${ADELE}`);
    const attachments = replies[0]?.activity['attachments'] as Array<{ contentType: string; content: unknown }> | undefined;
    // Graph is unreachable here, so the bot cannot tell that Adele is an agent: she gets the help for anyone else.
    const expected = helpCard({ isAgent: false, isApprover: false });
    assert.deepEqual(attachments?.map((a) => a.content), [JSON.parse(JSON.stringify(expected)) as unknown], 'the answer is the help card');
    const stored = await storage!.read([conversationKey(ADELE)]);
    assert.ok(stored[conversationKey(ADELE)], 'the conversation reference is stored');
    assert.ok(stub!.fetched.includes('/v1/.well-known/keys'), 'the signing keys came from the configured metadata');
  });

  const rejected: Array<[string, () => string | undefined]> = [
    ['without a token', () => undefined],
    ['whose signature is not made by the key its header names', () => stub!.mint(channelClaims(), 'forgedAsTeams')],
    ['that is unsigned (alg none)', () => stub!.mint(channelClaims(), 'none')],
    ['that expired beyond the five-minute clock tolerance', () => stub!.mint(channelClaims({ nbf: nowInSeconds() - 70 * MINUTE, exp: nowInSeconds() - 10 * MINUTE }))],
    ['that is not valid yet, beyond the five-minute clock tolerance', () => stub!.mint(channelClaims({ nbf: nowInSeconds() + 10 * MINUTE }))],
    ['issued for another bot (audience)', () => stub!.mint(channelClaims({ aud: OTHER_APP_ID }))],
    ['from another issuer, even the public Bot Framework one', () => stub!.mint(channelClaims({ iss: 'https://api.botframework.com' }))],
    ['signed with a key the JWKS does not list, even with the key in its header', () => stub!.mint(channelClaims(), 'unlisted')],
    ['signed with a key endorsed only for another channel', () => stub!.mint(channelClaims(), 'webchat')],
    ['issued for another service URL than the activity names', () => stub!.mint(channelClaims({ serviceurl: 'https://smba.trafficmanager.net/emea/' }))],
  ];
  for (const [n, [what, token]] of rejected.entries()) {
    it(`rejects an activity ${what} with 401, and nothing is processed or stored`, async () => {
      const sender = senderFor(n);
      const keysBefore = await storage!.listKeys('');
      const sentBefore = connector!.log.length;
      const status = await post(message(sender, 'help'), token());
      assert.equal(status, 401);
      assert.deepEqual(await storage!.listKeys(''), keysBefore, 'nothing was stored');
      assert.equal((await storage!.read([conversationKey(sender)]))[conversationKey(sender)], undefined, 'no conversation reference');
      assert.equal(connector!.log.length, sentBefore, 'the connector got nothing');
      assert.equal(connector!.created.length, 0, 'no conversation was created');
    });
  }

  /**
   * Tokens botbuilder would route away from channel validation, to keys at
   * login.microsoftonline.com: whoever holds the bot's secret can get the Emulator ones from
   * Entra ID with a client-credentials grant. Production refuses them from their unverified
   * claims, so the signature (here the stub's Teams key, which Entra does not list) never
   * matters and nothing is fetched. Unreachable from here, that fetch would fail or hang.
   */
  const ENTRA_V1 = `https://sts.windows.net/${TENANT_ID}/`;
  const ENTRA_V2 = `https://login.microsoftonline.com/${TENANT_ID}/v2.0`;
  const ANSWER_WITHIN_MS = 5_000;
  function entraTimes(): Record<string, unknown> {
    const now = nowInSeconds();
    return { iat: now - MINUTE, nbf: now - MINUTE, exp: now + 60 * MINUTE, tid: TENANT_ID };
  }
  const notChannelTokens: Array<[string, () => { token: string; activity?: Record<string, unknown> }]> = [
    [
      'with an Emulator v1 token (issuer sts.windows.net, appid = our app id)',
      () => ({ token: stub!.mint({ ...entraTimes(), iss: ENTRA_V1, aud: 'https://api.botframework.com', appid: APP_ID, ver: '1.0' }) }),
    ],
    [
      'with an Emulator v2 token (issuer login.microsoftonline.com/…/v2.0, azp = our app id)',
      () => ({ token: stub!.mint({ ...entraTimes(), iss: ENTRA_V2, aud: APP_ID, azp: APP_ID, ver: '2.0' }) }),
    ],
    [
      'with a skill token from another bot (aud = our app id, appid = the other bot)',
      () => ({ token: stub!.mint({ ...entraTimes(), iss: ENTRA_V1, aud: APP_ID, appid: OTHER_APP_ID, ver: '1.0' }) }),
    ],
    [
      'with a skill-shaped token that names the channel issuer',
      () => ({ token: stub!.mint(channelClaims({ appid: OTHER_APP_ID, ver: '1.0' })) }),
    ],
    [
      'for the App Service Extension channel ("AseChannel"), even with a valid channel token',
      () => ({ token: stub!.mint(channelClaims()), activity: { channelId: 'AseChannel' } }),
    ],
  ];
  for (const [n, [what, make]] of notChannelTokens.entries()) {
    it(`refuses an activity ${what} with 401 within ${ANSWER_WITHIN_MS / 1000} s, fetching no keys: nothing processed or stored, no connection off the machine`, async () => {
      const sender = senderFor(100 + n);
      const { token, activity } = make();
      const keysBefore = await storage!.listKeys('');
      const sentBefore = connector!.log.length;
      const fetchedBefore = stub!.fetched.length;
      const connections = recordOutgoingConnections();
      let status: number;
      try {
        status = await post({ ...message(sender, 'help'), ...activity }, token, ANSWER_WITHIN_MS);
      } finally {
        connections.stop();
      }
      assert.deepEqual(connections.offMachine(), [], 'no connection left the machine (login.microsoftonline.com was not asked for keys)');
      assert.equal(status, 401);
      assert.deepEqual(stub!.fetched.slice(fetchedBefore), [], 'not even the channel keys were fetched');
      assert.deepEqual(await storage!.listKeys(''), keysBefore, 'nothing was stored');
      assert.equal((await storage!.read([conversationKey(sender)]))[conversationKey(sender)], undefined, 'no conversation reference');
      assert.equal(connector!.log.length, sentBefore, 'the connector got nothing');
      assert.equal(connector!.created.length, 0, 'no conversation was created');
    });
  }
});
