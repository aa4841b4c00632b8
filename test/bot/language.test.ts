/**
 * The Teams edge writes in each reader's language and zone: in a turn from the activity's
 * locale and time zone, and on its own initiative from what the reader's client last told us
 * (the end user: their preferredLanguage). Unknown languages get English.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Activity } from 'botbuilder';
import { turnErrorHandler } from '../../src/bot/adapter';
import { BulkTeamsNotifier } from '../../src/bot/bulkNotifier';
import { CardRefStore } from '../../src/bot/cardRefs';
import { ConversationStore } from '../../src/bot/conversations';
import { TeamsNotifier } from '../../src/bot/notifier';
import type { CardRenderer } from '../../src/bot/ports';
import { TapBot } from '../../src/bot/tapBot';
import { TenantGuard } from '../../src/bot/tenantGuard';
import type { CardContext } from '../../src/cards/format';
import { VERBS } from '../../src/cards/verbs';
import { FlowError } from '../../src/errors';
import type { BulkRequest } from '../../src/flow/bulk/types';
import { catalogue } from '../../src/i18n';
import { said } from '../../src/i18n/said';
import { configureLogging } from '../../src/log';
import { RecordingAdapter } from '../support/recordingAdapter';
import { RecordingStorage } from '../support/recordingStorage';
import { NOW, NotWiredFlow, PEOPLE, POLICY, TENANT, cardAction, conversationIdOf, fakeCards, request, stubFlow, teamsActivity, type PersonName } from '../support/teamsFixtures';

/** The fake cards, and the context each card was drawn with: the language a view would speak. */
function cardsSeeing(): { cards: CardRenderer; contexts: CardContext[] } {
  const contexts: CardContext[] = [];
  const fake = fakeCards();
  const seen = <A extends unknown[]>(draw: (...args: A) => Record<string, unknown>) =>
    (...args: A): Record<string, unknown> => {
      const ctx = args.find((a): a is CardContext => typeof a === 'object' && a !== null && 'now' in a);
      if (ctx) contexts.push(ctx);
      return draw(...args);
    };
  return {
    contexts,
    cards: {
      ...fake,
      helpCard: seen(fake.helpCard),
      requestFormCard: seen(fake.requestFormCard),
      welcomeCard: seen(fake.welcomeCard),
      statusListCard: seen(fake.statusListCard),
      approvalCard: seen(fake.approvalCard),
      ownerNoticeCard: seen(fake.ownerNoticeCard),
    },
  };
}

describe('bot: each reader gets their own language and zone', () => {
  let storage: RecordingStorage;
  let adapter: RecordingAdapter;
  let conversations: ConversationStore;
  let cardRefs: CardRefStore;

  beforeEach(() => {
    configureLogging({ level: 'silent' });
    storage = new RecordingStorage();
    adapter = new RecordingAdapter();
    adapter.use(new TenantGuard({ tenantId: TENANT }));
    conversations = new ConversationStore(storage, { clock: () => NOW });
    cardRefs = new CardRefStore(storage);
  });
  afterEach(async () => {
    sinon.restore();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
    await storage.close();
  });

  describe('in a turn', () => {
    let flow: sinon.SinonStubbedInstance<NotWiredFlow>;
    let seen: ReturnType<typeof cardsSeeing>;
    let bot: TapBot;
    const say = (who: PersonName, text: string, fields: Partial<Activity> = {}): Promise<void> =>
      adapter.processActivity(teamsActivity(who, { text, ...fields }), (context) => bot.run(context));
    const lastCard = (): Record<string, unknown> | undefined => adapter.sentCards().at(-1);

    beforeEach(() => {
      flow = stubFlow();
      seen = cardsSeeing();
      bot = new TapBot({ flow, conversations, cardRefs, cards: seen.cards, tenantId: TENANT, clock: () => NOW });
    });

    it('a turn in Danish gets Danish replies, and the cards drawn in it get a Danish context', async () => {
      flow.pending.resolves([]);
      await say('nestor', 'pending', { locale: 'da-DK' });
      assert.deepEqual(lastCard(), { card: 'message', title: 'Intet venter på dig', text: 'Ingen anmodning om midlertidig adgangskode venter på din beslutning.', tone: 'good' });
      flow.pending.resolves([request()]);
      await say('nestor', 'pending', { locale: 'da-DK' });
      assert.equal(lastCard()?.['title'], 'Venter på din beslutning (1)');
      assert.equal(seen.contexts.at(-1)?.language, 'da');
    });

    for (const locale of ['en-US', 'de-DE', undefined]) {
      it(`a turn in ${locale ?? 'no stated language'} gets English`, async () => {
        flow.pending.resolves([]);
        await say('nestor', 'pending', locale ? { locale } : {});
        assert.equal(lastCard()?.['title'], 'Nothing waits for you');
      });
    }

    it('a Danish agent typing "tap <upn>" reads who that is and who decides in Danish, and gets the form in a Danish context', async () => {
      flow.assertAgent.resolves();
      flow.getPolicyForForm.resolves(POLICY);
      flow.preview.resolves({
        typed: 'megan@contoso.com',
        person: { id: PEOPLE.megan.id, displayName: 'Megan Bowen', userPrincipalName: 'megan@contoso.com', jobTitle: 'Marketing Manager', department: 'Marketing' },
        manager: { id: PEOPLE.nestor.id, displayName: 'Nestor Wilke', userPrincipalName: 'nestor@contoso.com' },
        approverNote: 'Nestor Wilke, their manager, will be asked to approve.',
        approverNoteSaid: said('previewManagerAsked', { manager: 'Nestor Wilke' }),
        replacesExistingTap: true,
      });
      await say('adele', 'tap megan@contoso.com', { locale: 'da-DK' });
      assert.deepEqual(adapter.sentCards().at(-2), {
        card: 'message',
        title: 'Megan Bowen (megan@contoso.com)',
        text: 'Marketing Manager, Marketing. Nestor Wilke, personens leder, bliver bedt om at godkende. Personen har allerede en kode: en ny erstatter den.',
        tone: 'warning',
      });
      assert.equal(lastCard()?.['card'], 'form');
      assert.equal(seen.contexts.at(-1)?.language, 'da');
    });

    it('a Danish agent asking for a whole group gets the bulk form in Danish', async () => {
      flow.assertAgent.resolves();
      flow.getPolicyForForm.resolves(POLICY);
      const bulkFlow = { start: sinon.stub(), decide: sinon.stub(), cancel: sinon.stub(), get: sinon.stub(), handedOver: sinon.stub(), revokeAll: sinon.stub() };
      bot = new TapBot({ flow, conversations, cardRefs, cards: seen.cards, tenantId: TENANT, clock: () => NOW, bulk: { flow: bulkFlow, notifier: { rememberStatusCard: sinon.stub().resolves() } } });
      await say('adele', 'tap group New Joiners', { locale: 'da-DK' });
      const form = JSON.stringify(lastCard());
      assert.ok(form.includes(JSON.stringify(catalogue('da').cards.bulk.form.title).slice(1, -1)), 'the Danish title');
      assert.ok(!form.includes(JSON.stringify(catalogue('en').cards.bulk.form.title).slice(1, -1)), 'no English title');
    });

    it('a turn that fails tells a Danish reader in Danish, with the reference, and never that nothing happened', async () => {
      await adapter.processActivity(teamsActivity('adele', { text: 'status', locale: 'da-DK' }), (context) => turnErrorHandler(context, new Error('boom')));
      assert.match(adapter.sentTexts().at(-1) ?? '', /^Der gik noget galt hos os \(ref\. [0-9a-f]{8}\)\. Skriv `status` .* der kan allerede være oprettet en kode\./);
    });

    it('another tenant is refused in the language of the activity', async () => {
      await adapter.processActivity(
        { ...teamsActivity('adele', { type: 'invoke', name: 'adaptiveCard/action', locale: 'da-DK', value: { action: { type: 'Action.Execute', verb: 'tap.refresh', data: {} } } }), channelData: { tenant: { id: 'b0000000-0000-4000-8000-0000000000ff' } } },
        (context) => bot.run(context),
      );
      assert.equal(adapter.lastInvokeResponse()?.body.value['message'], 'Denne bot betjener kun sin egen organisation.');
    });

    it('the account owner clicking "This wasn\'t me" gets their notice back in their preferredLanguage, as it was sent, whatever their Teams language', async () => {
      flow.disputeAsOwner.resolves(request({ state: 'Issued' }));
      await adapter.processActivity(cardAction('megan', VERBS.notMe, { requestId: 'TAP-7K3F9Q' }, { locale: 'en-US' }), (context) => bot.run(context));
      assert.equal(adapter.lastInvokeResponse()?.body.value['card'], 'ownerNotice');
      assert.equal(seen.contexts.at(-1)?.language, 'da');
    });

    it("a refusal is the error's own sentence in the reader's language, under a Danish title", async () => {
      flow.cancel.rejects(new FlowError('notParty', (words) => words.chat.card.notYoursId('TAP-7K3F9Q')));
      await say('adele', 'cancel TAP-7K3F9Q', { locale: 'da' });
      assert.deepEqual(lastCard(), { card: 'message', title: 'Det kan jeg ikke', text: 'Du har ikke adgang til at se anmodning TAP-7K3F9Q.', tone: 'attention' });
    });

    it('an invoke without a locale is answered in the language the person last wrote in', async () => {
      await say('adele', 'hello', { locale: 'da-DK' });
      await adapter.processActivity(
        teamsActivity('adele', { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'tap.unknown', data: {} } } }),
        (context) => bot.run(context),
      );
      assert.equal(adapter.lastInvokeResponse()?.body.value['message'], 'Denne handling på kortet understøttes ikke.');
    });

    it('"cancel" alone answers with how to cancel and the requests of yours it could mean, not the whole help', async () => {
      flow.status.resolves({ open: [request(), request({ id: 'TAP-ISSUED', state: 'Issued' })], recent: [] });
      await say('adele', 'cancel');
      assert.deepEqual(lastCard(), {
        card: 'message',
        title: 'How to use cancel',
        text:
          'Type `cancel` and the request id, e.g. `cancel TAP-7K3F9Q`, to cancel a request that is still waiting for approval (`cancel BULK-…` stops a group request). ' +
          'Yours to choose from: TAP-7K3F9Q (Megan Bowen).',
        tone: 'default',
      });
      assert.equal(flow.cancel.callCount, 0);
    });

    it('"revoke" alone from someone with no requests of their own (not an agent) is just the usage, in Danish for a Danish reader', async () => {
      flow.status.rejects(new FlowError('notHelpdeskAgent', 'Only members of the helpdesk group can request a Temporary Access Pass.'));
      await say('nestor', 'revoke', { locale: 'da-DK' });
      assert.equal(lastCard()?.['title'], 'Sådan bruger du revoke');
      assert.match(String(lastCard()?.['text']), /^Skriv `revoke` og anmodningens id, fx `revoke TAP-7K3F9Q`/);
      assert.doesNotMatch(String(lastCard()?.['text']), /vælge/);
    });

    it("an approver with nothing waiting still gets the approver's help (revoke, report) once they were sent an approval card", async () => {
      flow.isAgent.resolves(false);
      flow.pending.resolves([]);
      await say('nestor', 'help');
      assert.deepEqual(lastCard()?.['reader'], { isAgent: false, isApprover: false });
      await conversations.markApprover(PEOPLE.nestor.id);
      await say('nestor', 'help');
      assert.deepEqual(lastCard()?.['reader'], { isAgent: false, isApprover: true });
    });
  });

  describe('on the bot’s own initiative', () => {
    let seen: ReturnType<typeof cardsSeeing>;
    let notifier: TeamsNotifier;

    async function opened(who: PersonName, fields: Partial<Activity>): Promise<void> {
      await conversations.remember(teamsActivity(who, fields) as Activity);
    }

    beforeEach(() => {
      seen = cardsSeeing();
      notifier = new TeamsNotifier({ adapter, botAppId: '', conversations, cardRefs, cards: seen.cards, clock: () => NOW });
    });

    it('an approver last seen in Danish gets the approval card in a Danish context, and the denial notice to a Danish agent is Danish', async () => {
      await opened('nestor', { locale: 'da-DK' });
      await opened('adele', { locale: 'da-DK' });
      await notifier.requestApproval(request());
      assert.equal(seen.contexts.at(-1)?.language, 'da');
      await notifier.requestUpdated(request({ state: 'Denied', decision: { by: { ...PEOPLE.nestor }, at: '2026-03-02T09:00:00.000Z', action: 'deny', denyReason: 'Not my employee' } }));
      assert.deepEqual(adapter.sentCards(conversationIdOf('adele')).at(-1), {
        card: 'message',
        title: 'TAP-7K3F9Q blev afvist',
        text: 'Nestor Wilke afviste den midlertidige adgangskode til Megan Bowen (megan@contoso.com). Der blev ikke udstedt noget. Begrundelse: Not my employee',
        tone: 'attention',
      });
    });

    it("why a request failed reaches a Danish agent in Danish when the record kept its meaning, and in the record's English when it did not", async () => {
      await opened('adele', { locale: 'da-DK' });
      const failed = (id: string, failure: NonNullable<ReturnType<typeof request>['failure']>) => request({ id, state: 'Failed', failure });
      await notifier.requestUpdated(failed('TAP-SAID', { code: 'approverIsTarget', message: 'Nobody can approve a pass for themselves. No pass was created.', said: said('approverIsTarget') }));
      assert.deepEqual(adapter.sentCards(conversationIdOf('adele')).at(-1), {
        card: 'message',
        title: 'TAP-SAID mislykkedes',
        text: catalogue('da').reasons.approverIsTarget(),
        tone: 'attention',
      });
      await notifier.requestUpdated(failed('TAP-OLDER', { code: 'approverIsTarget', message: 'Nobody can approve a pass for themselves. No pass was created.' }));
      assert.equal(adapter.sentCards(conversationIdOf('adele')).at(-1)?.['text'], 'Nobody can approve a pass for themselves. No pass was created.');
    });

    it('a short message given as catalogue words is written in the reader\'s language and zone', async () => {
      await opened('adele', { locale: 'da-DK', localTimezone: 'Europe/Copenhagen' });
      await notifier.tell(PEOPLE.adele.id, (words, zone) => words.chat.notice.revoked('Nestor Wilke', 'Megan Bowen', words.time('2026-11-22T18:14:00.000Z', zone)));
      assert.match(adapter.sentTexts(conversationIdOf('adele')).at(-1) ?? '', /^Nestor Wilke tilbagekaldte .* kl\. 19\.14 \(Europe\/Copenhagen\)/);
    });

    it('an approver sent an approval card is remembered as one, for their help', async () => {
      await opened('nestor', {});
      await notifier.requestApproval(request());
      assert.equal((await conversations.get(PEOPLE.nestor.id))?.approver, true);
    });

    it('the revoke notice (also after "This wasn\'t me") writes the time in the reader\'s zone, never "UTC" when the zone is known', async () => {
      await opened('adele', { localTimezone: 'Europe/Copenhagen' });
      const revoked = request({ state: 'Issued', revocation: { by: { ...PEOPLE.megan }, at: '2026-11-22T18:14:00.000Z', reason: 'The account owner said it was not them' } });
      await notifier.requestUpdated(revoked);
      const text = String(adapter.sentCards(conversationIdOf('adele')).at(-1)?.['text']);
      assert.equal(
        text,
        'Megan Bowen revoked the Temporary Access Pass of Megan Bowen (megan@contoso.com) on Sun 22 Nov 2026, 19:14 (Europe/Copenhagen); it no longer works. Reason: The account owner said it was not them',
      );
      assert.doesNotMatch(text, /UTC/);
    });

    it('the approver who approved, last seen in Danish, reads that the agent revoked the pass in Danish', async () => {
      await opened('nestor', { locale: 'da-DK' });
      await notifier.requestUpdated(
        request({
          state: 'Issued',
          decision: { by: { ...PEOPLE.nestor }, at: '2026-03-02T09:00:00.000Z', action: 'approve' },
          revocation: { by: { ...PEOPLE.adele }, at: '2026-03-02T10:00:00.000Z' },
        }),
      );
      assert.deepEqual(adapter.sentCards(conversationIdOf('nestor')).at(-1), {
        card: 'message',
        title: 'TAP-7K3F9Q: koden er tilbagekaldt',
        text: 'Adele Vance tilbagekaldte den midlertidige adgangskode til Megan Bowen (megan@contoso.com) man. 2. mar. 2026 kl. 10.00 UTC; den virker ikke længere.',
        tone: 'warning',
      });
    });

    it('the same notice to a Danish reader in Copenhagen is Danish, with the Danish way of writing the time', async () => {
      await opened('adele', { locale: 'da-DK', entities: [{ type: 'clientInfo', timezone: 'Europe/Copenhagen' }] });
      await notifier.requestUpdated(request({ state: 'Issued', revocation: { by: { ...PEOPLE.megan }, at: '2026-11-22T18:14:00.000Z' } }));
      assert.equal(
        adapter.sentCards(conversationIdOf('adele')).at(-1)?.['text'],
        'Megan Bowen tilbagekaldte den midlertidige adgangskode til Megan Bowen (megan@contoso.com) søn. 22. nov. 2026 kl. 19.14 (Europe/Copenhagen); den virker ikke længere.',
      );
    });

    describe('the security alert', () => {
      const reported = (reason: string) =>
        request({
          state: 'Issued',
          suspicious: { by: { ...PEOPLE.nestor }, at: '2026-03-02T09:10:00.000Z', reason },
          revocation: { by: { ...PEOPLE.nestor }, at: '2026-03-02T09:10:00.000Z' },
        });

      function alerting(): TeamsNotifier {
        return new TeamsNotifier({ adapter, botAppId: '', conversations, cardRefs, cards: seen.cards, clock: () => NOW, securityContactIds: async () => [PEOPLE.joni.id] });
      }

      it('ends with what a Teams reader can do in Teams, never a terminal command', async () => {
        await opened('joni', {});
        await alerting().reportSuspicious(reported('The caller asked for the pass from a hotel'));
        const text = String(adapter.sentCards(conversationIdOf('joni')).at(-1)?.['text']);
        assert.equal(
          text,
          'Nestor Wilke reported request TAP-7K3F9Q as suspicious: "The caller asked for the pass from a hotel". ' +
            'It was asked by Adele Vance (adele@contoso.com) for Megan Bowen (megan@contoso.com); its pass was revoked. ' +
            'In this chat, a helpdesk agent can type `status megan@contoso.com` to see every request for Megan Bowen.',
        );
        assert.doesNotMatch(text, /npm/);
      });

      it('adds no punctuation after a quoted reason that ends with its own', async () => {
        await opened('joni', {});
        await alerting().reportSuspicious(reported('The caller was at a hotel.'));
        const text = String(adapter.sentCards(conversationIdOf('joni')).at(-1)?.['text']);
        assert.match(text, /as suspicious: "The caller was at a hotel\." It was asked by/);
        assert.doesNotMatch(text, /\."\./);
      });

      it('is Danish for a security contact last seen in Danish', async () => {
        await opened('joni', { locale: 'da-DK' });
        await alerting().reportSuspicious(reported('Ringede fra et hotel!'));
        const text = String(adapter.sentCards(conversationIdOf('joni')).at(-1)?.['text']);
        assert.match(text, /^Nestor Wilke har meldt anmodning TAP-7K3F9Q som mistænkelig: "Ringede fra et hotel!" Den blev bestilt af/);
        assert.match(text, /I denne chat kan en helpdesk-medarbejder skrive `status megan@contoso.com` for at se alle anmodninger for Megan Bowen\.$/);
      });
    });

    it("the account owner's notice follows their preferredLanguage, not the language of the chat they last wrote in", async () => {
      await opened('megan', { locale: 'en-US' });
      await notifier.notifyOwner(request({ state: 'Issued' }), {});
      const sent = adapter.sent.filter((s) => s.conversationId === conversationIdOf('megan')).at(-1);
      assert.equal(sent?.activity.summary, 'Der er udstedt en midlertidig adgangskode til din konto (bestilt af Adele Vance).');
      assert.equal(seen.contexts.at(-1)?.language, 'da');
    });

    it('"approver unreachable" is said in the language of whoever reads the refusal', async () => {
      const error = await notifier.requestApproval(request()).then(
        () => assert.fail('nobody was reachable'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof FlowError);
      assert.match(error.messageIn(catalogue('da')), /^Nestor Wilke har ikke åbnet TAP helpdesk-botten i Teams endnu/);
      assert.match(error.userMessage, /^Nestor Wilke hasn't opened the TAP helpdesk bot in Teams yet/);
    });
  });

  describe('bulk notices', () => {
    const bulk: BulkRequest = {
      id: 'BULK-7K3F9Q',
      state: 'PendingApproval',
      createdAt: '2026-03-02T08:55:00.000Z',
      updatedAt: '2026-03-02T08:55:00.000Z',
      expiresAt: '2026-03-02T09:55:00.000Z',
      tenantId: TENANT,
      requester: { ...PEOPLE.adele },
      via: 'teams',
      group: { id: 'b0000000-0000-4000-8000-0000000000a1', displayName: 'New Joiners', nested: false },
      nestedGroupsSkipped: [],
      scenario: 'newJoiner',
      reason: 'December joiners',
      settings: { lifetimeInMinutes: 480, isUsableOnce: false },
      approverGroupId: 'b0000000-0000-4000-8000-0000000000a2',
      approvers: [{ ...PEOPLE.joni }],
      deliverTo: 'requester',
      members: [{ id: PEOPLE.megan.id, userPrincipalName: PEOPLE.megan.userPrincipalName, displayName: PEOPLE.megan.displayName, state: 'pending', attempts: 0 }],
      pages: [],
    };

    it('a bulk approver last seen in Danish gets a Danish summary, and is remembered as an approver for their help', async () => {
      await conversations.remember(teamsActivity('joni', { locale: 'da-DK' }) as Activity);
      const notifier = new BulkTeamsNotifier({ adapter, botAppId: '', conversations, storage, clock: () => NOW });
      await notifier.requestBulkApproval(bulk);
      const sent = adapter.sent.filter((x) => x.conversationId === conversationIdOf('joni')).at(-1);
      assert.equal(sent?.activity.summary, 'Adele Vance beder om 1 kode til New Joiners');
      assert.equal((await conversations.get(PEOPLE.joni.id))?.approver, true);
    });
  });

  describe('what the store remembers of a reader', () => {
    it('keeps the locale and zone the client last told, writes only when they change, and keeps what a later activity leaves out', async () => {
      await conversations.remember(teamsActivity('adele', { locale: 'da-DK', localTimezone: 'Europe/Copenhagen' }) as Activity);
      const writes = storage.writes.length;
      await conversations.remember(teamsActivity('adele', { locale: 'da-DK', localTimezone: 'Europe/Copenhagen' }) as Activity);
      assert.equal(storage.writes.length, writes, 'nothing changed, nothing written');
      await conversations.remember(teamsActivity('adele', {}) as Activity);
      assert.equal(storage.writes.length, writes, 'an activity without locale or zone changes nothing');
      assert.deepEqual(await conversations.get(PEOPLE.adele.id).then((c) => [c?.locale, c?.timeZone]), ['da-DK', 'Europe/Copenhagen']);
      await conversations.remember(teamsActivity('adele', { locale: 'en-GB' }) as Activity);
      assert.equal((await conversations.get(PEOPLE.adele.id))?.locale, 'en-GB');
    });

    it('a locale that is not a language tag is not stored (the activity is the sender’s to write)', async () => {
      for (const locale of ['<script>alert(1)</script>', 'da-DK; drop', 'x'.repeat(200), 'da-DK\n']) {
        await conversations.remember(teamsActivity('adele', { locale }) as Activity);
        assert.equal((await conversations.get(PEOPLE.adele.id))?.locale, undefined, locale);
      }
    });
  });
});
