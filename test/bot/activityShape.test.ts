import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Request, Response } from 'botbuilder';
import { CapturedResponse } from '../support/capturedResponse';
import { createTeamsEdge } from '../../src/bot';
import { MAX_TEXT, malformedActivity } from '../../src/bot/activityShape';
import { configureLogging } from '../../src/log';
import { RecordingStorage } from '../support/recordingStorage';
import { NotWiredFlow, stubFlow, TENANT, cardAction, teamsActivity } from '../support/teamsFixtures';


type Json = Record<string, unknown>;

const message = (fields: Json = {}): Json => ({ ...(teamsActivity('adele', { text: 'help' }) as Json), ...fields });
const without = (field: string, body: Json = message()): Json => {
  const copy = { ...body };
  delete copy[field];
  return copy;
};
const invoke = (value: unknown): Json => ({ ...(cardAction('adele', 'tap.approve', {}) as Json), value });

/** [what is wrong, the body, a word the answer must name]. */
const MALFORMED: Array<[string, Json, RegExp]> = [
  ['a body without type', without('type'), /"type"/],
  ['a type that is not a string', message({ type: 7 }), /"type" must be a string/],
  ['an empty type', message({ type: '' }), /"type"/],
  ['no channelId', without('channelId'), /"channelId"/],
  ['no serviceUrl', without('serviceUrl'), /"serviceUrl"/],
  ['a serviceUrl that is not a URL', message({ serviceUrl: '../../etc/passwd' }), /"serviceUrl"/],
  ['a serviceUrl of another scheme', message({ serviceUrl: 'file:///etc/passwd' }), /"serviceUrl"/],
  ['a serviceUrl that is a number', message({ serviceUrl: 443 }), /"serviceUrl"/],
  ['from missing', without('from'), /"from"/],
  ['from that is not an object', message({ from: 'adele' }), /"from" must be an object/],
  ['from that is a list', message({ from: [{ id: 'x' }] }), /"from" must be an object/],
  ['from without an id', message({ from: { aadObjectId: 'a0000000-0000-4000-8000-000000000001' } }), /"from.id"/],
  ['from.aadObjectId that is a number', message({ from: { id: '29:x', aadObjectId: 42 } }), /"from.aadObjectId"/],
  ['from.name that is an object', message({ from: { id: '29:x', name: { first: 'A' } } }), /"from.name"/],
  ['recipient that is a string', message({ recipient: 'bot' }), /"recipient"/],
  ['conversation missing', without('conversation'), /"conversation"/],
  ['conversation that is a string', message({ conversation: 'a:1' }), /"conversation" must be an object/],
  ['conversation without an id', message({ conversation: { conversationType: 'personal' } }), /"conversation.id"/],
  ['conversation.isGroup that is a string', message({ conversation: { id: 'a:1', isGroup: 'no' } }), /"conversation.isGroup"/],
  ['conversation.tenantId that is a number', message({ conversation: { id: 'a:1', tenantId: 1 } }), /"conversation.tenantId"/],
  ['text that is not a string', message({ text: ['tap', 'megan@contoso.com'] }), /"text" must be a string/],
  ['text that is an object', message({ text: { toString: 'tap' } }), /"text" must be a string/],
  ['text longer than any Teams message', message({ text: 'a'.repeat(MAX_TEXT + 1) }), /"text" is too long/],
  ['an id that is a number', message({ id: 1 }), /"id"/],
  ['a locale that is a number', message({ locale: 1033 }), /"locale"/],
  ['a timestamp that is a number', message({ timestamp: 1700000000 }), /"timestamp"/],
  ['channelData that is a string', message({ channelData: 'tenant' }), /"channelData"/],
  ['entities that are not a list', message({ entities: { type: 'clientInfo' } }), /"entities"/],
  ['an entity that is null', message({ entities: [null] }), /"entities\[0\]"/],
  ['attachments that are a string', message({ attachments: 'file' }), /"attachments"/],
  ['membersAdded with a member that is a number', message({ type: 'conversationUpdate', membersAdded: [7] }), /"membersAdded\[0\]"/],
  ['membersAdded with a member without an id', message({ type: 'conversationUpdate', membersAdded: [{ name: 'x' }] }), /"membersAdded\[0\].id"/],
  ['an invoke name that is a number', message({ type: 'invoke', name: 5 }), /"name"/],
  ['an invoke without value', invoke(undefined), /"value"/],
  ['an invoke whose value is a string', invoke('approve'), /"value"/],
  ['an invoke without value.action', invoke({ trigger: 'manual' }), /"value.action"/],
  ['an invoke whose action is a string', invoke({ action: 'tap.approve' }), /"value.action"/],
  ['an invoke whose action has no type', invoke({ action: { verb: 'tap.approve' } }), /"value.action.type"/],
  ['an invoke whose verb is not a string', invoke({ action: { type: 'Action.Execute', verb: ['tap.approve'] } }), /"value.action.verb" must be a string/],
  ['an invoke whose verb is missing', invoke({ action: { type: 'Action.Execute' } }), /"value.action.verb"/],
  ['an invoke whose verb is huge', invoke({ action: { type: 'Action.Execute', verb: 'v'.repeat(10_000) } }), /"value.action.verb" is too long/],
  ['an invoke whose data is a list', invoke({ action: { type: 'Action.Execute', verb: 'tap.approve', data: ['TAP-7K3F9Q'] } }), /"value.action.data"/],
  ['an invoke whose data is a string', invoke({ action: { type: 'Action.Execute', verb: 'tap.approve', data: 'TAP-7K3F9Q' } }), /"value.action.data"/],
];

/** What Teams (and the Agents Playground) really send: all of it must pass. */
const GENUINE: Array<[string, Json]> = [
  ['a message with HTML, a mention and a clientInfo entity', message({
    text: '<at>TAP Helpdesk</at> tap <a href="mailto:megan@contoso.com">megan@contoso.com</a>',
    textFormat: 'plain',
    timestamp: '2026-03-02T09:00:00.1234567Z',
    localTimestamp: '2026-03-02T10:00:00.1234567+01:00',
    locale: 'da-DK',
    localTimezone: 'Europe/Copenhagen',
    entities: [
      { type: 'mention', text: '<at>TAP Helpdesk</at>', mentioned: { id: '28:bot', name: 'TAP Helpdesk' } },
      { type: 'clientInfo', locale: 'da-DK', country: 'DK', platform: 'Web', timezone: 'Europe/Copenhagen' },
    ],
    attachments: [{ contentType: 'text/html', content: '<div>tap megan@contoso.com</div>' }],
    channelData: { tenant: { id: TENANT }, clientActivityId: '1700000000000.1' },
  })],
  ['a message without text (an attachment only)', without('text', message({ attachments: [{ contentType: 'image/*', contentUrl: 'https://x/y.png' }] }))],
  ['optional fields sent as null', message({ replyToId: null, locale: null, entities: null, attachments: null, recipient: null })],
  ['a conversationUpdate adding the bot', message({ type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '28:bot' }, { id: '29:adele', aadObjectId: 'a0000000-0000-4000-8000-000000000001' }] })],
  ['an installationUpdate', message({ type: 'installationUpdate', action: 'add', text: undefined })],
  ['a messageReaction', message({ type: 'messageReaction', reactionsAdded: [{ type: 'like' }], replyToId: '1:abc' })],
  ['a typing indicator', message({ type: 'typing', text: undefined })],
  ['an event of a type the bot ignores', message({ type: 'event', name: 'application/vnd.microsoft.meetingStart', value: { Id: 'x' } })],
  ['a card action with string inputs', cardAction('adele', 'tap.submit', { target: 'megan@contoso.com', reason: 'Lost phone', scenario: 'recovery', isUsableOnce: 'true', lifetimeInMinutes: '60' }) as Json],
  ['a card action without data', invoke({ action: { type: 'Action.Execute', verb: 'tap.refresh' }, trigger: 'automatic' })],
  ['another invoke (the bot answers it itself)', message({ type: 'invoke', name: 'task/fetch', value: 'anything' })],
  ['a group chat conversation', message({ conversation: { id: '19:abc@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT } })],
  ['unknown fields anywhere', message({ futureField: { nested: [1, 2] }, from: { id: '29:x', aadObjectId: 'a0000000-0000-4000-8000-000000000001', userPrincipalName: 'adele@contoso.com' } })],
];

describe('bot/activityShape', () => {
  describe('the rule', () => {
    for (const [what, body, names] of MALFORMED) {
      it(`refuses ${what}, naming the field in a sentence`, () => {
        const problem = malformedActivity(body);
        assert.ok(problem, 'refused');
        assert.match(problem.message, names);
        assert.match(problem.message, /^[A-Z"].*\.$/, 'one sentence');
      });
    }
    for (const [what, body] of GENUINE) {
      it(`accepts ${what}`, () => {
        assert.equal(malformedActivity(body)?.message, undefined);
      });
    }
    it('never repeats the value it refuses', () => {
      const problem = malformedActivity(message({ from: { id: '29:x', aadObjectId: { "'; DROP TABLE users; --": 1 } } }));
      assert.ok(problem && !problem.message.includes('DROP'));
    });
  });

  describe('at the edge', () => {
    let storage: RecordingStorage;
    let handle: (req: Request, res: Response) => Promise<void>;
    let flow: sinon.SinonStubbedInstance<NotWiredFlow>;

    beforeEach(() => {
      configureLogging({ level: 'silent' });
      storage = new RecordingStorage();
      flow = stubFlow();
      handle = createTeamsEdge({ mode: 'sandbox', tenantId: TENANT, storage }).attach(flow);
    });
    afterEach(async () => {
      sinon.restore();
      configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
      await storage.close();
    });

    async function post(body: Json): Promise<CapturedResponse> {
      const res = new CapturedResponse();
      await handle({ method: 'POST', headers: {}, body }, res);
      return res;
    }

    for (const [what, body, names] of MALFORMED) {
      it(`${what} is answered 400 with a JSON sentence, and the bot never sees it`, async () => {
        const res = await post(body);
        assert.equal(res.statusCode, 400);
        const message = body['type'] === 'invoke'
          ? (res.body as { type?: string; value?: { message?: string } }).value?.message
          : (res.body as { error?: { message?: string } }).error?.message;
        assert.match(String(message), names);
        assert.equal(storage.writes.length, 0, 'nothing was stored');
        assert.equal(flow.assertAgent.called || flow.decide.called || flow.getRequest.called, false);
      });
    }

    it('a malformed card action is answered in the invoke error shape, so Teams shows the reason on the card', async () => {
      const res = await post(invoke({ trigger: 'manual' }));
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.body, {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: 'A card action needs "value.action" to be an object.' },
      });
    });

    it('a well-formed activity still reaches the bot', async () => {
      const res = await post(cardAction('adele', 'tap.nope', {}) as Json);
      assert.equal(res.statusCode, 400);
      assert.match(JSON.stringify(res.body), /not supported/, 'the bot answered, not the shape check');
    });
  });
});
