import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Activity } from 'botbuilder';
import { CardRefStore } from '../../src/bot/cardRefs';
import { MAX_FIELD_LENGTH, parseRequestForm, readCardData } from '../../src/bot/cardData';
import { ConversationStore } from '../../src/bot/conversations';
import { TapBot } from '../../src/bot/tapBot';
import { VERBS } from '../../src/cards/verbs';
import { configureLogging } from '../../src/log';
import { RecordingAdapter } from '../support/recordingAdapter';
import { RecordingStorage } from '../support/recordingStorage';
import { NOW, NotWiredFlow, stubFlow, POLICY, TENANT, cardAction, fakeCards, request } from '../support/teamsFixtures';

describe('bot/cardData', () => {
  describe('reading card data', () => {
    it('keeps the fields the bot reads and drops everything else, prototype keys included', () => {
      const raw = JSON.parse('{"requestId":"TAP-7K3F9Q","__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"extra":"x"}') as unknown;
      const read = readCardData(raw);
      assert.deepEqual(read, { data: { requestId: 'TAP-7K3F9Q' } });
      assert.equal(({} as Record<string, unknown>)['isAdmin'], undefined, 'nothing was polluted');
    });

    it('accepts what Teams sends: strings, and a number or boolean where the input is one', () => {
      const read = readCardData({ target: 'megan@contoso.com', lifetimeInMinutes: 60, isUsableOnce: false, reason: null });
      assert.deepEqual(read, { data: { target: 'megan@contoso.com', lifetimeInMinutes: 60, isUsableOnce: false } });
      assert.deepEqual(readCardData(undefined), { data: {} });
    });

    const wrong: Array<[string, unknown, RegExp]> = [
      ['a requestId that is a number', { requestId: 42 }, /"requestId" must be text/],
      ['a reason that is a list', { reason: ['Lost', 'phone'] }, /"reason" must be text/],
      ['a target that is an object', { target: { upn: 'megan@contoso.com' } }, /"target" must be text/],
      ['an attestation that is a boolean', { attestation: true }, /"attestation" must be text/],
      ['a lifetime that is an object', { lifetimeInMinutes: { value: 60 } }, /"lifetimeInMinutes" must be text or a number/],
      ['a lifetime that is infinite', { lifetimeInMinutes: Number.POSITIVE_INFINITY }, /finite/],
      ['a one-time flag that is a number', { isUsableOnce: 1 }, /"isUsableOnce" must be text or a boolean/],
      ['a field longer than any card input allows', { denyReason: 'x'.repeat(MAX_FIELD_LENGTH + 1) }, /"denyReason" is too long/],
      ['data that is a list', ['TAP-7K3F9Q'], /must be an object/],
      ['data that is a string', 'TAP-7K3F9Q', /must be an object/],
    ];
    for (const [what, raw, says] of wrong) {
      it(`refuses ${what} with a sentence`, () => {
        const read = readCardData(raw);
        assert.ok(read.problem, 'refused');
        assert.match(read.problem, says);
      });
    }

    it('a field inherited from a polluted prototype is not read as card data', () => {
      assert.deepEqual(readCardData(Object.create({ requestId: 'TAP-7K3F9Q', target: 'megan@contoso.com' })), { data: {} });
    });

    it('a form sent with the lifetime left unchosen asks for it, never slipping in the default unseen; a form with no lifetime field takes the default', () => {
      const unchosen = parseRequestForm({ target: 'megan@contoso.com', reason: 'Lost phone', scenario: 'recovery', lifetimeInMinutes: '' });
      assert.equal(unchosen.input, undefined);
      assert.match(unchosen.problem ?? '', /Choose how long the pass works/);
      const absent = parseRequestForm({ target: 'megan@contoso.com', reason: 'Lost phone', scenario: 'recovery' });
      assert.equal(absent.input?.lifetimeInMinutes, undefined);
    });

    it('an inherited property is not a form field', () => {
      const form = parseRequestForm(Object.create({ target: 'megan@contoso.com', reason: 'Lost phone', scenario: 'recovery' }) as Record<string, unknown>);
      assert.equal(form.input, undefined);
    });
  });

  describe('card actions with data of the wrong type', () => {
    let storage: RecordingStorage;
    let adapter: RecordingAdapter;
    let flow: sinon.SinonStubbedInstance<NotWiredFlow>;
    let bot: TapBot;
    const send = (activity: Partial<Activity>): Promise<void> => adapter.processActivity(activity, (context) => bot.run(context));

    beforeEach(() => {
      configureLogging({ level: 'silent' });
      storage = new RecordingStorage();
      adapter = new RecordingAdapter();
      flow = stubFlow();
      flow.getPolicyForForm.resolves(POLICY);
      flow.getRequest.resolves(request());
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

    const cases: Array<[string, string, Record<string, unknown>]> = [
      ['a request form whose reason is a number', VERBS.submitRequest, { target: 'megan@contoso.com', reason: 12345, scenario: 'recovery' }],
      ['a request form whose target is a list', VERBS.submitRequest, { target: ['megan@contoso.com'], reason: 'Lost phone', scenario: 'recovery' }],
      ['an approval whose attestation is an object', VERBS.approve, { requestId: 'TAP-7K3F9Q', attestation: { $filter: 'x' } }],
      ['a denial whose reason is a list', VERBS.deny, { requestId: 'TAP-7K3F9Q', denyReason: ['no'] }],
      ['a cancel whose requestId is a number', VERBS.cancel, { requestId: 7 }],
      ['a hand-over whose requestId is an object', VERBS.handedOver, { requestId: { id: 'TAP-7K3F9Q' } }],
      ['a refresh whose requestId is a boolean', VERBS.refresh, { requestId: true }],
    ];
    for (const [what, verb, data] of cases) {
      it(`${what} is answered 400 with a sentence, and the workflow is not asked`, async () => {
        await send(cardAction('adele', verb, data));
        const response = adapter.lastInvokeResponse();
        assert.equal(response?.status, 400);
        assert.equal(response?.body.type, 'application/vnd.microsoft.error');
        assert.match(String(response?.body.value['message']), /^The card field "\w+" must be .+\.$/);
        for (const method of ['startRequest', 'decide', 'cancel', 'markHandedOver', 'getRequest'] as const) {
          assert.equal(flow[method].called, false, `${method} was not called`);
        }
      });
    }
  });
});
