import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Request, Response, TurnContext } from 'botbuilder';
import { createAdapter, turnErrorHandler } from '../../src/bot/adapter';
import { createTeamsEdge } from '../../src/bot';
import { configureLogging } from '../../src/log';
import { recordOutgoingConnections } from '../support/openIdStub';
import { RecordingAdapter } from '../support/recordingAdapter';
import { NotWiredFlow, OTHER_TENANT, TENANT, cardAction, teamsActivity } from '../support/teamsFixtures';
import { RecordingStorage } from '../support/recordingStorage';

const BOT = {
  appType: 'SingleTenant' as const,
  appId: 'b0700000-0000-4000-8000-0000000000b0',
  appPassword: 'not-a-real-secret',
  appTenantId: TENANT,
};

/** Just enough of an HTTP response for CloudAdapter.process. */
class FakeResponse implements Response {
  socket: unknown = {};
  statusCode: number | undefined;
  body: unknown;
  ended = false;
  status(code: number): unknown {
    this.statusCode = code;
    return this;
  }
  header(): unknown {
    return this;
  }
  send(body?: unknown): unknown {
    this.body = body;
    return this;
  }
  end(): unknown {
    this.ended = true;
    return this;
  }
}

function post(headers: Record<string, string>, activity: Record<string, unknown> = {}): Request {
  return { method: 'POST', headers, body: { ...(teamsActivity('adele', { text: 'status', id: 'm1' }) as Record<string, unknown>), ...activity } };
}

/** A JWT with these claims and a signature nobody checks: production refuses it from its claims alone. */
function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'some-key' })}.${part(claims)}.${Buffer.from('not a signature').toString('base64url')}`;
}

describe('bot/adapter', () => {
  let logLines: string[];
  beforeEach(() => {
    logLines = [];
    configureLogging({ level: 'info', sink: (line) => logLines.push(line) });
  });
  afterEach(() => {
    sinon.restore();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
  });

  describe('production', () => {
    const cases: [string, Record<string, string>][] = [
      ['without an Authorization header', {}],
      ['with a token that is not a JWT', { authorization: 'Bearer not-a-token' }],
      ['with a non-Bearer scheme', { authorization: 'Basic YWRlbGU6cGFzcw==' }],
    ];
    for (const [what, headers] of cases) {
      it(`rejects an activity ${what} with 401 before any bot logic runs`, async () => {
        const adapter = createAdapter({ mode: 'production', bot: BOT, tenantId: TENANT });
        sinon.stub(console, 'error'); // botbuilder prints the AuthenticationError itself
        const res = new FakeResponse();
        const logic = sinon.spy(async (_context: TurnContext) => undefined);
        await adapter.process(post(headers), res, logic);
        assert.equal(res.statusCode, 401);
        assert.equal(logic.called, false);
      });
    }

    describe('accepts Bot Framework channel tokens only, refused from their claims before any key is fetched', () => {
      const now = Math.floor(Date.now() / 1000);
      const times = { iat: now - 60, nbf: now - 60, exp: now + 3600, tid: TENANT };
      const OTHER_BOT = 'b0700000-0000-4000-8000-0000000000b1';
      const cases: [string, Record<string, unknown>, Record<string, unknown>, RegExp][] = [
        [
          'an Emulator v1 token (issuer sts.windows.net, appid = our app id)',
          { ...times, iss: `https://sts.windows.net/${TENANT}/`, aud: 'https://api.botframework.com', appid: BOT.appId, ver: '1.0' },
          {},
          new RegExp(`^token from issuer https://sts\\.windows\\.net/${TENANT}/ refused: production accepts only Bot Framework channel tokens$`),
        ],
        [
          'an Emulator v2 token (issuer login.microsoftonline.com/…/v2.0, azp = our app id)',
          { ...times, iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: BOT.appId, azp: BOT.appId, ver: '2.0' },
          {},
          /^token from issuer https:\/\/login\.microsoftonline\.com\/.+\/v2\.0 refused: production accepts only Bot Framework channel tokens$/,
        ],
        [
          'a skill token from another bot, even one naming the Bot Framework issuer',
          { ...times, iss: 'https://api.botframework.com', aud: BOT.appId, appid: OTHER_BOT, ver: '1.0' },
          {},
          /^skill \(bot-to-bot\) token refused: production accepts only Bot Framework channel tokens$/,
        ],
        [
          'a token for the App Service Extension channel ("AseChannel")',
          { ...times, iss: 'https://api.botframework.com', aud: BOT.appId },
          { channelId: 'AseChannel' },
          /^token for the App Service Extension channel refused: production accepts only Bot Framework channel tokens$/,
        ],
      ];
      for (const [what, claims, activity, logged] of cases) {
        it(`refuses ${what} with 401, logs why at warn without the token, and opens no connection`, async () => {
          const adapter = createAdapter({ mode: 'production', bot: BOT, tenantId: TENANT });
          sinon.stub(console, 'error');
          const token = unsignedJwt(claims);
          const res = new FakeResponse();
          const logic = sinon.spy(async (_context: TurnContext) => undefined);
          const connections = recordOutgoingConnections();
          try {
            await adapter.process(post({ authorization: `Bearer ${token}` }, activity), res, logic);
          } finally {
            connections.stop();
          }
          assert.equal(res.statusCode, 401);
          assert.equal(logic.called, false);
          assert.deepEqual(connections.all, [], 'no connection at all: no keys were fetched');
          const records = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
          const refusal = records.find((r) => r['logger'] === 'bot.adapter' && r['level'] === 'warn');
          assert.ok(refusal, `a warning from bot.adapter: ${logLines.join('\n')}`);
          assert.match(String(refusal['msg']), logged);
          for (const line of logLines) {
            assert.ok(!line.includes(token.split('.')[1]!), 'the token is not logged');
          }
        });
      }
    });

    it('refuses to start without a bot identity rather than running anonymous', () => {
      assert.throws(() => createAdapter({ mode: 'production', tenantId: TENANT }), /bot identity/);
    });

    it('refuses a SingleTenant identity without a secret or certificate', () => {
      const { appPassword: _secret, ...withoutSecret } = BOT;
      assert.throws(() => createAdapter({ mode: 'production', bot: withoutSecret, tenantId: TENANT }), /MicrosoftAppPassword or a certificate/);
    });
  });

  describe('sandbox', () => {
    it('accepts an activity without a token (as the Agents Playground sends)', async () => {
      const adapter = createAdapter({ mode: 'sandbox', tenantId: TENANT });
      const res = new FakeResponse();
      const logic = sinon.spy(async (_context: TurnContext) => undefined);
      await adapter.process(post({}), res, logic);
      assert.equal(logic.calledOnce, true);
      assert.notEqual(res.statusCode, 401);
    });

    it('refuses bot credentials instead of silently ignoring them', () => {
      assert.throws(() => createAdapter({ mode: 'sandbox', bot: BOT, tenantId: TENANT }), /must not be given bot credentials/);
    });

    it('refuses token validation settings, since it checks no tokens', () => {
      const authSettingsOverride = { ToBotFromChannelOpenIdMetadataUrl: 'https://127.0.0.1:1/openid', ToBotFromChannelTokenIssuer: 'https://127.0.0.1:1' };
      assert.throws(() => createAdapter({ mode: 'sandbox', tenantId: TENANT, authSettingsOverride }), /takes no authentication settings/);
    });
  });

  describe('turn errors', () => {
    it('tell the person a reference and nothing of the internals, and log the same reference', async () => {
      const adapter = new RecordingAdapter();
      adapter.onTurnError = turnErrorHandler;
      await adapter.processActivity(teamsActivity('adele', { text: 'status' }), async () => {
        throw new Error('SQLITE_BUSY at /var/lib/tap/db password=hunter2');
      });
      const [text] = adapter.sentTexts();
      const ref = /\(ref ([0-9a-f]{8})\)/.exec(text ?? '')?.[1];
      assert.ok(ref, `a reference is given: ${text}`);
      assert.match(text!, /^Something went wrong on our side \(ref [0-9a-f]{8}\)\. Send `status` to see where your request stands before you try again: a pass may already have been created\. If you need help, give this reference to your IT admin\.$/);
      assert.ok(!text!.includes('SQLITE') && !text!.includes('hunter2'));
      const logged = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['ref'] === ref);
      assert.ok(logged, 'the log line carries the same reference');
      assert.equal(logged['level'], 'error');
    });

    it('never claim that nothing was issued, because a turn can fail after the pass was created', async () => {
      const adapter = new RecordingAdapter();
      adapter.onTurnError = turnErrorHandler;
      await adapter.processActivity(cardAction('nestor', 'tap.approve', { requestId: 'TAP-7K3F9Q' }), async () => {
        throw new Error('Graph created the pass, then the card update failed');
      });
      const said = JSON.stringify([adapter.sentTexts(), adapter.lastInvokeResponse()]);
      assert.doesNotMatch(said, /nothing (was|has been) (issued|created)/i);
      assert.match(said, /a pass may already have been created/);
    });

    it('answer a failed card action with an error the card can show', async () => {
      const adapter = new RecordingAdapter();
      adapter.onTurnError = turnErrorHandler;
      await adapter.processActivity(cardAction('nestor', 'tap.approve', { requestId: 'TAP-7K3F9Q' }), async () => {
        throw new Error('boom');
      });
      const response = adapter.lastInvokeResponse();
      assert.equal(response?.status, 500);
      assert.equal(response?.body.type, 'application/vnd.microsoft.error');
      assert.ok(!JSON.stringify(response).includes('boom'));
    });
  });

  describe('the wired edge', () => {
    let storage: RecordingStorage;
    beforeEach(() => {
      storage = new RecordingStorage();
    });
    afterEach(() => storage.close());

    function invoke(tenantId: string, verb: string): Request {
      const body = cardAction('nestor', verb, { requestId: 'TAP-7K3F9Q' }, { channelData: { tenant: { id: tenantId } } });
      return { method: 'POST', headers: {}, body: body as Record<string, unknown> };
    }

    it('puts the tenant guard in front of the bot: a foreign invoke gets 403 and reaches nothing', async () => {
      const edge = createTeamsEdge({ mode: 'sandbox', tenantId: TENANT, storage });
      const flow = sinon.createStubInstance(NotWiredFlow);
      const handle = edge.attach(flow);
      const res = new FakeResponse();
      await handle(invoke(OTHER_TENANT, 'tap.approve'), res);
      assert.equal(res.statusCode, 403);
      assert.equal(flow.decide.called, false);
      assert.equal(edge.tenantGuardStats().rejected, 1);
      assert.equal(storage.writes.length, 0, 'nothing of a foreign activity is stored');
    });

    it('routes an invoke from our tenant to the bot (an unknown verb is answered 400)', async () => {
      const edge = createTeamsEdge({ mode: 'sandbox', tenantId: TENANT, storage });
      const handle = edge.attach(sinon.createStubInstance(NotWiredFlow));
      const res = new FakeResponse();
      await handle(invoke(TENANT, 'tap.nope'), res);
      assert.equal(res.statusCode, 400);
      assert.equal(edge.tenantGuardStats().rejected, 0);
    });
  });
});
