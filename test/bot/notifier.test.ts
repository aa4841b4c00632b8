import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Activity } from 'botbuilder';
import { CardRefStore } from '../../src/bot/cardRefs';
import { ConversationStore } from '../../src/bot/conversations';
import { TeamsNotifier } from '../../src/bot/notifier';
import type { ProactiveInstaller } from '../../src/bot/ports';
import { TenantGuard } from '../../src/bot/tenantGuard';
import { FlowError } from '../../src/errors';
import { configureLogging } from '../../src/log';
import { RecordingAdapter } from '../support/recordingAdapter';
import { RecordingStorage } from '../support/recordingStorage';
import { NOW, PASS, PEOPLE, TENANT, conversationIdOf, fakeCards, request, teamsActivity, type PersonName } from '../support/teamsFixtures';

describe('bot/notifier', () => {
  let storage: RecordingStorage;
  let adapter: RecordingAdapter;
  let conversations: ConversationStore;
  let cardRefs: CardRefStore;
  let notifier: TeamsNotifier;
  let logLines: string[];

  async function opened(who: PersonName, timezone?: string): Promise<void> {
    const entities = timezone ? [{ type: 'clientInfo', timezone }] : [];
    await conversations.remember(teamsActivity(who, { entities }) as Activity);
  }

  function build(installer?: ProactiveInstaller): TeamsNotifier {
    return new TeamsNotifier({ adapter, botAppId: '', conversations, cardRefs, cards: fakeCards(), clock: () => NOW, ...(installer ? { installer } : {}) });
  }

  beforeEach(async () => {
    storage = new RecordingStorage();
    adapter = new RecordingAdapter();
    adapter.use(new TenantGuard({ tenantId: TENANT }));
    conversations = new ConversationStore(storage, { clock: () => NOW });
    cardRefs = new CardRefStore(storage);
    notifier = build();
    logLines = [];
    configureLogging({ level: 'debug', sink: (line) => logLines.push(line) });
    await opened('adele');
    await opened('nestor', 'Europe/Copenhagen');
  });
  afterEach(async () => {
    sinon.restore();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
    await storage.close();
  });

  describe('requestApproval', () => {
    it('sends each approver a card they can decide on, in their time zone, and remembers where it is', async () => {
      await notifier.requestApproval(request());
      assert.deepEqual(adapter.sentCards(conversationIdOf('nestor')), [
        { card: 'approval', requestId: 'TAP-7K3F9Q', state: 'PendingApproval', canDecide: true, zone: 'Europe/Copenhagen' },
      ]);
      const refs = await cardRefs.get('TAP-7K3F9Q');
      assert.equal(refs.cards[PEOPLE.nestor.id]?.approval?.activityId, adapter.sent[0]?.activity.id);
      assert.equal(refs.cards[PEOPLE.nestor.id]?.approval?.conversationKey, `convref/${PEOPLE.nestor.id}`);
    });

    it('the approval card arrives with a notification line naming who asks, for whom and by when (in the approver\'s zone)', async () => {
      await notifier.requestApproval(request());
      const summary = adapter.sent[0]?.activity.summary ?? '';
      assert.match(summary, /Adele Vance \(helpdesk\) asks for a Temporary Access Pass for Megan Bowen\. Decide by .*Europe\/Copenhagen|Adele Vance \(helpdesk\) asks for a Temporary Access Pass for Megan Bowen\. Decide by .*\d/);
      assert.doesNotMatch(summary, /Send a card/);
    });

    it('four eyes: the second approver group gets its cards too, and an unreachable second group fails the request', async () => {
      await opened('joni');
      const req = request({ secondApprover: { ids: [PEOPLE.joni.id], people: [{ ...PEOPLE.joni }] } });
      await notifier.requestApproval(req);
      assert.equal(adapter.sentCards(conversationIdOf('joni')).length, 1);
      const lee = { id: 'a0000000-0000-4000-8000-000000000004', displayName: 'Lee Gu', userPrincipalName: 'lee@contoso.com' };
      const unreachable = request({ id: 'TAP-7K3F9R', secondApprover: { ids: [lee.id], people: [lee] } });
      await assert.rejects(notifier.requestApproval(unreachable), (e: unknown) => e instanceof FlowError && e.code === 'approverUnreachable');
    });

    it('refuses with approverUnreachable, naming the approver, when they never opened the bot', async () => {
      const req = request({ approver: { kind: 'manager', ids: [PEOPLE.joni.id], people: [{ ...PEOPLE.joni }] } });
      await assert.rejects(notifier.requestApproval(req), (e: unknown) => {
        assert.ok(e instanceof FlowError);
        assert.equal(e.code, 'approverUnreachable');
        assert.equal(e.userMessage, "Joni Sherman hasn't opened the TAP helpdesk bot in Teams yet, so I can't reach them. Ask them to open it once (search for the app in Teams), then try again.");
        return true;
      });
      assert.equal(adapter.sent.length, 0);
    });

    it('asks the installer for a conversation with an approver it cannot reach yet, and keeps it', async () => {
      const installer = { ensureConversation: sinon.stub().resolves({ ...(await conversations.get(PEOPLE.nestor.id))!.reference, conversation: { id: 'a:installed-joni', conversationType: 'personal', tenantId: TENANT, isGroup: false, name: '' } }) };
      notifier = build(installer);
      const req = request({ approver: { kind: 'manager', ids: [PEOPLE.joni.id], people: [{ ...PEOPLE.joni }] } });
      await notifier.requestApproval(req);
      assert.equal(installer.ensureConversation.calledOnceWith(PEOPLE.joni.id), true);
      assert.equal(adapter.sentCards('a:installed-joni').length, 1);
      assert.equal((await conversations.get(PEOPLE.joni.id))?.reference.conversation?.id, 'a:installed-joni');
    });

    it('still refuses when the installer cannot reach the approver either', async () => {
      notifier = build({ ensureConversation: sinon.stub().resolves(undefined) });
      const req = request({ approver: { kind: 'manager', ids: [PEOPLE.joni.id], people: [{ ...PEOPLE.joni }] } });
      await assert.rejects(notifier.requestApproval(req), { code: 'approverUnreachable' });
    });

    it('reaches the approvers of a group that can be reached, when some cannot', async () => {
      const req = request({ approver: { kind: 'fallbackGroup', ids: [PEOPLE.nestor.id, PEOPLE.joni.id], people: [{ ...PEOPLE.nestor }, { ...PEOPLE.joni }] } });
      await notifier.requestApproval(req);
      assert.equal(adapter.sentCards(conversationIdOf('nestor')).length, 1);
    });
  });

  describe('requestUpdated', () => {
    beforeEach(async () => {
      await notifier.requestApproval(request());
      await cardRefs.register('TAP-7K3F9Q', PEOPLE.adele.id, 'status', { activityId: 'form-activity-1', conversationKey: `convref/${PEOPLE.adele.id}` });
      adapter.clearRecords();
    });

    it('updates the agent status card and the approval card in place; the approver now sees it read-only', async () => {
      const approvalActivityId = (await cardRefs.get('TAP-7K3F9Q')).cards[PEOPLE.nestor.id]?.approval?.activityId;
      await notifier.requestUpdated(request({ state: 'Issued' }));
      assert.equal(adapter.sent.length, 0, 'nothing new is posted');
      const byConversation = new Map(adapter.updated.map((u) => [u.conversationId, u.activity]));
      const agentUpdate = byConversation.get(conversationIdOf('adele'));
      const approverUpdate = byConversation.get(conversationIdOf('nestor'));
      assert.equal(agentUpdate?.id, 'form-activity-1');
      assert.deepEqual(agentUpdate?.attachments?.[0]?.content, { card: 'status', requestId: 'TAP-7K3F9Q', state: 'Issued', zone: 'UTC' });
      assert.equal(approverUpdate?.id, approvalActivityId);
      assert.deepEqual(approverUpdate?.attachments?.[0]?.content, { card: 'approval', requestId: 'TAP-7K3F9Q', state: 'Issued', canDecide: false, zone: 'Europe/Copenhagen' });
    });

    for (const [state, title] of [['Denied', 'TAP-7K3F9Q was denied'], ['Expired', 'TAP-7K3F9Q expired'], ['Failed', 'TAP-7K3F9Q failed']] as const) {
      it(`tells the requester once when the request is ${state}`, async () => {
        const req = request({
          state,
          ...(state === 'Denied' ? { decision: { by: { ...PEOPLE.nestor }, at: NOW.toISOString(), action: 'deny' as const, denyReason: 'Could not verify' } } : {}),
          ...(state === 'Failed' ? { failure: { code: 'forbidden', message: 'The bot lacks a Graph permission.' } } : {}),
        });
        await notifier.requestUpdated(req);
        await notifier.requestUpdated(req);
        const messages = adapter.sentCards(conversationIdOf('adele')).filter((c) => c['card'] === 'message');
        assert.equal(messages.length, 1);
        assert.equal(messages[0]?.['title'], title);
      });
    }

    it('does not message anyone when the request is issued or still pending', async () => {
      await notifier.requestUpdated(request({ state: 'Issued' }));
      await notifier.requestUpdated(request({ state: 'PendingApproval' }));
      assert.equal(adapter.sent.filter((s) => s.activity.type === 'message').length, 0);
    });

    it('a card that cannot be updated does not fail the update of the others', async () => {
      sinon.stub(adapter, 'updateActivity').callsFake(async (context, activity) => {
        if (context.activity.conversation.id === conversationIdOf('nestor')) throw new Error('gone');
        adapter.updated.push({ activity, conversationId: context.activity.conversation.id, proactive: true });
      });
      await notifier.requestUpdated(request({ state: 'Cancelled' }));
      assert.deepEqual(adapter.updated.map((u) => u.conversationId), [conversationIdOf('adele')]);
    });
  });

  describe('deliverPass and hidePass', () => {
    const issued = request({
      state: 'Issued',
      delivery: { recipientId: PEOPLE.adele.id, recipientKind: 'agent' },
    });

    const deliveryCard = { card: 'delivery', requestId: 'TAP-7K3F9Q', code: PASS.temporaryAccessPass, zone: 'UTC' };
    const contentOf = (r: { activity: Partial<Activity> } | undefined): unknown => r?.activity.attachments?.[0]?.content;

    it('sends the pass card without the code, then puts the code on that same card, then sends the user guide in the target language', async () => {
      await notifier.deliverPass(issued, PASS);
      const sent = adapter.sentCards(conversationIdOf('adele'));
      assert.deepEqual(sent.map((c) => c['card']), ['message', 'guide']);
      assert.match(String(sent[0]?.['title']), /^Preparing the pass for Megan Bowen$/);
      assert.deepEqual(sent[1], { card: 'guide', requestId: 'TAP-7K3F9Q', language: 'da-DK' });
      assert.equal(adapter.updated.length, 1);
      assert.equal(adapter.updated[0]?.activity.id, adapter.sent[0]?.activity.id, 'the code goes onto the card already sent');
      assert.deepEqual(contentOf(adapter.updated[0]), deliveryCard);
      assert.match(adapter.sent[0]?.activity.summary ?? '', /^Temporary Access Pass for Megan Bowen/, 'the notification says what it is, without the code');
    });

    it('the card that will carry the code is known in storage before the code is on it: a process killed at any moment leaves no code on a card nobody can find', async () => {
      const storedWhenCodeWent: unknown[] = [];
      const update = adapter.updateActivity.bind(adapter);
      sinon.stub(adapter, 'updateActivity').callsFake(async (context, activity) => {
        storedWhenCodeWent.push((await cardRefs.get('TAP-7K3F9Q')).cards[PEOPLE.adele.id]?.delivery?.activityId);
        return update(context, activity);
      });
      await notifier.deliverPass(issued, PASS);
      for (const s of adapter.sent) assert.ok(!JSON.stringify(s.activity).includes(PASS.temporaryAccessPass), 'no sent activity (whose id comes back only after Teams accepted it) carries the code');
      assert.deepEqual(storedWhenCodeWent, [adapter.sent[0]?.activity.id]);
    });

    it('when putting the code on the card fails, the card is put back without it (Teams may have shown it) and the error does not carry the pass', async () => {
      let calls = 0;
      const update = adapter.updateActivity.bind(adapter);
      sinon.stub(adapter, 'updateActivity').callsFake(async (context, activity) => {
        if (++calls === 1) {
          await update(context, activity); // Teams applied it, the answer was lost
          throw new Error(`socket hang up: ${JSON.stringify(activity)}`);
        }
        return update(context, activity);
      });
      await assert.rejects(notifier.deliverPass(issued, PASS), (e: unknown) => e instanceof Error && !JSON.stringify({ m: e.message, s: e.stack, c: e.cause }).includes(PASS.temporaryAccessPass));
      const last = adapter.updated.at(-1);
      assert.equal(last?.activity.id, adapter.sent[0]?.activity.id);
      assert.ok(!JSON.stringify(contentOf(last)).includes(PASS.temporaryAccessPass), 'the code is off the card again');
      assert.match(String((contentOf(last) as Record<string, unknown>)['title']), /could not be delivered/);
      assert.equal(adapter.sentCards(conversationIdOf('adele')).filter((c) => c['card'] === 'guide').length, 0, 'no guide for a pass that was not delivered');
      for (const l of logLines) assert.ok(!l.includes(PASS.temporaryAccessPass), `a log line held the pass: ${l}`);
    });

    it('never stores or logs the pass: storage keeps only the activity id', async () => {
      await notifier.requestApproval(request());
      await notifier.deliverPass(issued, PASS);
      await notifier.requestUpdated(issued);
      await notifier.hidePass({ ...issued, delivery: { ...issued.delivery!, handedOverAt: NOW.toISOString() } });
      assert.ok(storage.writes.length > 0);
      for (const w of storage.writes) assert.ok(!w.includes(PASS.temporaryAccessPass), `a write held the pass: ${w}`);
      for (const l of logLines) assert.ok(!l.includes(PASS.temporaryAccessPass), `a log line held the pass: ${l}`);
      const refs = await cardRefs.get('TAP-7K3F9Q');
      assert.deepEqual(Object.keys(refs.cards[PEOPLE.adele.id]?.delivery ?? {}).sort(), ['activityId', 'conversationKey']);
    });

    it('a failed delivery raises an error that does not carry the pass', async () => {
      adapter.failingConversations.add(conversationIdOf('adele'));
      await assert.rejects(notifier.deliverPass(issued, PASS), (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.ok(!JSON.stringify({ m: e.message, s: e.stack, c: e.cause }).includes(PASS.temporaryAccessPass));
        return true;
      });
      for (const l of logLines) assert.ok(!l.includes(PASS.temporaryAccessPass), `a log line held the pass: ${l}`);
    });

    it('hidePass replaces the delivered card in place with one without the code', async () => {
      await notifier.deliverPass(issued, PASS);
      const deliveredId = adapter.updated.find((u) => (contentOf(u) as { card?: string }).card === 'delivery')?.activity.id;
      adapter.clearRecords();
      await notifier.hidePass(issued);
      assert.equal(adapter.updated.length, 1);
      assert.equal(adapter.updated[0]?.activity.id, deliveredId);
      assert.deepEqual(contentOf(adapter.updated[0]), { card: 'delivery', requestId: 'TAP-7K3F9Q', code: null, zone: 'UTC' });
    });

    it('hidePass on a request that failed after its pass was made says why the code is gone, not that the pass expired', async () => {
      await notifier.deliverPass(issued, PASS);
      adapter.clearRecords();
      const message = 'The bot stopped while issuing this pass, so nobody can be sure who holds it; to be safe it was removed. Request a new one.';
      await notifier.hidePass({ ...issued, state: 'Failed', failure: { code: 'interrupted', message } });
      assert.deepEqual(contentOf(adapter.updated[0]), { card: 'message', title: 'TAP-7K3F9Q: the code was removed from this card', text: message, tone: 'attention' });
    });

    it('a manager who is also the recipient keeps both the approval card and the delivery card', async () => {
      await notifier.requestApproval(request());
      const toManager = { ...issued, deliveryRecipient: 'manager' as const, delivery: { recipientId: PEOPLE.nestor.id, recipientKind: 'manager' as const } };
      await notifier.deliverPass(toManager, PASS);
      const refs = (await cardRefs.get('TAP-7K3F9Q')).cards[PEOPLE.nestor.id];
      assert.ok(refs?.approval && refs.delivery && refs.approval.activityId !== refs.delivery.activityId);
    });
  });
});
