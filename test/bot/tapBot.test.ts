import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Activity } from 'botbuilder';
import { CardRefStore } from '../../src/bot/cardRefs';
import { ConversationStore } from '../../src/bot/conversations';
import { TapBot } from '../../src/bot/tapBot';
import { TenantGuard } from '../../src/bot/tenantGuard';
import { VERBS } from '../../src/cards/verbs';
import { FlowError } from '../../src/errors';
import { configureLogging } from '../../src/log';
import { RecordingAdapter } from '../support/recordingAdapter';
import { RecordingStorage } from '../support/recordingStorage';
import {
  NOW, NotWiredFlow, stubFlow, OTHER_TENANT, PEOPLE, POLICY, TENANT, cardAction, conversationIdOf, fakeCards, request, teamsActivity,
} from '../support/teamsFixtures';

describe('bot/tapBot', () => {
  let storage: RecordingStorage;
  let adapter: RecordingAdapter;
  let flow: sinon.SinonStubbedInstance<NotWiredFlow>;
  let cardRefs: CardRefStore;
  let bot: TapBot;

  const send = (activity: Partial<Activity>): Promise<void> => adapter.processActivity(activity, (context) => bot.run(context));
  const say = (who: keyof typeof PEOPLE, text: string): Promise<void> => send(teamsActivity(who, { text }));
  const lastCard = (): Record<string, unknown> | undefined => adapter.sentCards().at(-1);
  const invokeBody = () => adapter.lastInvokeResponse()?.body;

  beforeEach(() => {
    configureLogging({ level: 'silent' });
    storage = new RecordingStorage();
    adapter = new RecordingAdapter();
    adapter.use(new TenantGuard({ tenantId: TENANT }));
    flow = stubFlow();
    cardRefs = new CardRefStore(storage);
    bot = new TapBot({
      flow,
      conversations: new ConversationStore(storage, { clock: () => NOW }),
      cardRefs,
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

  describe('chat', () => {
    it('a helpdesk agent asking "tap <upn>" first sees who that is and who decides, then the form prefilled with the target and the policy bounds', async () => {
      flow.assertAgent.resolves();
      flow.getPolicyForForm.resolves(POLICY);
      flow.preview.resolves({
        typed: 'megan@contoso.com',
        person: { id: PEOPLE.megan.id, displayName: 'Megan Bowen', userPrincipalName: 'megan@contoso.com', jobTitle: 'Marketing Manager', department: 'Marketing' },
        manager: { id: PEOPLE.nestor.id, displayName: 'Nestor Wilke', userPrincipalName: 'nestor@contoso.com' },
        approverNote: 'Nestor Wilke, their manager, will be asked to approve.',
        replacesExistingTap: false,
      });
      await say('adele', 'tap megan@contoso.com');
      const cards = adapter.sentCards().slice(-2);
      assert.deepEqual(cards[0], {
        card: 'message',
        title: 'Megan Bowen (megan@contoso.com)',
        text: 'Marketing Manager, Marketing. Manager: Nestor Wilke. Nestor Wilke, their manager, will be asked to approve.',
        tone: 'good',
      });
      assert.deepEqual(lastCard(), {
        card: 'form',
        target: 'megan@contoso.com',
        scenario: 'recovery',
        scenarioNote: 'Recovery: one sign-in to register a new method straight away.',
        isUsableOnce: true,
        lifetimeInMinutes: 60,
        policy: { minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLifetimeInMinutes: 60, forcedOneTime: false },
        timeZone: 'Europe/Copenhagen',
      });
      assert.equal(flow.assertAgent.firstCall.args[0].aadObjectId, PEOPLE.adele.id);
      assert.equal(flow.assertAgent.firstCall.args[0].tenantId, TENANT);
    });

    it('a helpdesk agent asking "tap <upn>" for someone who cannot have a pass reads why, and gets no form', async () => {
      flow.assertAgent.resolves();
      flow.getPolicyForForm.resolves(POLICY);
      flow.preview.resolves({ typed: 'meg@contoso.com', refusal: { code: 'targetNotFound', message: 'No user meg@contoso.com in the directory: check the spelling. Did you mean Megan Bowen (megan@contoso.com)?' } });
      await say('adele', 'tap meg@contoso.com');
      assert.equal(lastCard()?.['card'], 'message');
      assert.match(String(lastCard()?.['text']), /Did you mean Megan Bowen/);
    });

    it('when the tenant has turned TAP off the agent is told so instead of getting a form', async () => {
      flow.assertAgent.resolves();
      flow.getPolicyForForm.resolves({ ...POLICY, enabled: false });
      await say('adele', 'tap megan@contoso.com');
      assert.equal(lastCard()?.['card'], 'message');
      assert.match(String(lastCard()?.['text']), /turned off/);
    });

    it('someone who is not a helpdesk agent gets a polite refusal and no form', async () => {
      flow.assertAgent.rejects(new FlowError('notHelpdeskAgent', 'Only members of the helpdesk group can request a Temporary Access Pass.'));
      await say('megan', 'tap adele@contoso.com');
      assert.deepEqual(adapter.sentCards(), [
        { card: 'message', title: "I can't do that", text: 'Only members of the helpdesk group can request a Temporary Access Pass.', tone: 'attention' },
      ]);
      assert.equal(flow.getPolicyForForm.called, false);
    });

    it('"status" lists the requests; "status <upn>" filters by target', async () => {
      flow.status.resolves({ open: [request()], recent: [request({ id: 'TAP-22222A', state: 'Issued' })] });
      await say('adele', 'status');
      assert.deepEqual(lastCard(), { card: 'statusList', ids: ['TAP-7K3F9Q', 'TAP-22222A'], title: 'Your TAP requests', zone: 'UTC' });
      await say('adele', 'status megan@contoso.com');
      assert.deepEqual(flow.status.secondCall.args[1], { targetUpn: 'megan@contoso.com' });
    });

    it('"cancel <id>" cancels through the workflow as the sender', async () => {
      flow.cancel.resolves(request({ state: 'Cancelled' }));
      await say('adele', 'cancel tap-7k3f9q');
      assert.equal(flow.cancel.firstCall.args[0].aadObjectId, PEOPLE.adele.id);
      assert.equal(flow.cancel.firstCall.args[1], 'TAP-7K3F9Q');
      assert.equal(lastCard()?.['title'], 'TAP-7K3F9Q cancelled');
    });

    it('anything else gets the help card with "I didn\'t understand"', async () => {
      await say('adele', 'give megan a pass please');
      const reply = adapter.sent.at(-1)?.activity;
      assert.match(reply?.text ?? '', /^I didn't understand/);
      assert.deepEqual(reply?.attachments?.[0]?.content, { card: 'help', reader: { isAgent: true, isApprover: false } });
    });

    it('uses the time zone the Teams client reported for cards', async () => {
      flow.status.resolves({ open: [], recent: [] });
      await send(teamsActivity('adele', { text: 'status', entities: [{ type: 'clientInfo', timezone: 'Europe/Copenhagen' }] }));
      assert.equal(lastCard()?.['zone'], 'Europe/Copenhagen');
    });

    it('a message from another tenant never reaches the workflow', async () => {
      flow.assertAgent.resolves();
      await send(teamsActivity('adele', { text: 'tap megan@contoso.com', channelData: { tenant: { id: OTHER_TENANT } } }));
      assert.equal(flow.assertAgent.called, false);
      assert.equal(adapter.sent.length, 0);
    });
  });

  describe('welcome', () => {
    it('is sent once when the app is installed, though Teams also reports the bot as added', async () => {
      flow.assertAgent.resolves();
      await send(teamsActivity('adele', { type: 'installationUpdate', action: 'add' }));
      await send(teamsActivity('adele', { type: 'conversationUpdate', membersAdded: [{ id: '28:tap-bot', name: 'TAP helpdesk' }] }));
      assert.deepEqual(adapter.sentCards(), [{ card: 'welcome', isAgent: true }]);
    });

    it('tells a non-agent what the bot is for without the agent commands', async () => {
      flow.assertAgent.rejects(new FlowError('notHelpdeskAgent', 'no'));
      await send(teamsActivity('nestor', { type: 'conversationUpdate', membersAdded: [{ id: '28:tap-bot', name: 'TAP helpdesk' }] }));
      assert.deepEqual(adapter.sentCards(), [{ card: 'welcome', isAgent: false }]);
    });
  });

  describe('card actions', () => {
    it('each verb is routed to its own workflow operation', async () => {
      const req = request();
      flow.startRequest.resolves(req);
      flow.decide.resolves(req);
      flow.cancel.resolves(req);
      flow.markHandedOver.resolves(req);
      flow.getRequest.resolves(req);
      const form = { target: 'megan@contoso.com', reason: 'Lost phone', scenario: 'recovery' };
      const routes: [keyof typeof PEOPLE, string, Record<string, unknown>, keyof NotWiredFlow][] = [
        ['adele', VERBS.submitRequest, form, 'startRequest'],
        ['nestor', VERBS.approve, { requestId: req.id, attestation: 'videoCall' }, 'decide'],
        ['nestor', VERBS.deny, { requestId: req.id, denyReason: 'No' }, 'decide'],
        ['adele', VERBS.cancel, { requestId: req.id }, 'cancel'],
        ['adele', VERBS.handedOver, { requestId: req.id }, 'markHandedOver'],
        ['nestor', VERBS.refresh, { requestId: req.id }, 'getRequest'],
      ];
      for (const [who, verb, data, operation] of routes) {
        sinon.resetHistory();
        const stub = flow[operation];
        await send(cardAction(who, verb, data));
        assert.equal(stub.callCount, 1, `${verb} calls its operation`);
        assert.equal(adapter.lastInvokeResponse()?.status, 200, `${verb} answers 200`);
        assert.equal(invokeBody()?.type, 'application/vnd.microsoft.card.adaptive');
        if (operation === 'decide') assert.equal(flow.decide.firstCall.args[2].action, verb === VERBS.approve ? 'approve' : 'deny');
      }
    });

    for (const verb of ['tap.unknown', 'TAP.APPROVE', 'tap.approve ', 'toString', '__proto__', 'constructor', '']) {
      it(`an unknown verb ${JSON.stringify(verb)} is answered 400 with an error body and reaches nothing`, async () => {
        await send(cardAction('nestor', verb, { requestId: 'TAP-7K3F9Q' }));
        const response = adapter.lastInvokeResponse();
        assert.equal(response?.status, 400);
        assert.equal(response?.body.type, 'application/vnd.microsoft.error');
        assert.equal(flow.decide.called || flow.getRequest.called, false);
      });
    }

    it('approve acts as the clicker (from.aadObjectId), whatever the card data claims', async () => {
      flow.decide.resolves(request({ state: 'Issued' }));
      await send(cardAction('megan', VERBS.approve, {
        requestId: 'TAP-7K3F9Q',
        attestation: 'inPerson',
        aadObjectId: PEOPLE.nestor.id,
        approverId: PEOPLE.nestor.id,
        actor: { aadObjectId: PEOPLE.nestor.id, tenantId: OTHER_TENANT },
        tenantId: OTHER_TENANT,
      }));
      const [actor, requestId, input] = flow.decide.firstCall.args;
      assert.deepEqual(actor, { aadObjectId: PEOPLE.megan.id, tenantId: TENANT, displayName: 'Megan Bowen' });
      assert.equal(requestId, 'TAP-7K3F9Q');
      assert.deepEqual(input, { action: 'approve', attestation: 'inPerson' });
    });

    it('an approval answers with the read-only approval card', async () => {
      flow.decide.resolves(request({ state: 'Issued' }));
      await send(cardAction('nestor', VERBS.approve, { requestId: 'TAP-7K3F9Q', attestation: 'videoCall' }));
      assert.deepEqual(invokeBody()?.value, { card: 'approval', requestId: 'TAP-7K3F9Q', state: 'Issued', canDecide: false, zone: 'UTC' });
    });

    it('a click on a finished request answers with the current read-only card and no chat message', async () => {
      flow.decide.rejects(new FlowError('requestClosed', 'Request TAP-7K3F9Q was already denied by Nestor Wilke.'));
      flow.getRequest.resolves(request({ state: 'Denied' }));
      await send(cardAction('nestor', VERBS.approve, { requestId: 'TAP-7K3F9Q', attestation: 'videoCall' }));
      assert.deepEqual(invokeBody()?.value, { card: 'approval', requestId: 'TAP-7K3F9Q', state: 'Denied', canDecide: false, zone: 'UTC' });
      assert.equal(adapter.sentCards().length, 0);
    });

    it('a manager who is not the approver cannot approve: read-only card, and a message saying why', async () => {
      const notApprover = "Only the assigned approver can decide on this request.";
      flow.decide.rejects(new FlowError('notApprover', notApprover));
      flow.getRequest.resolves(request());
      await cardRefs.register('TAP-7K3F9Q', PEOPLE.joni.id, 'approval', { activityId: 'card-joni', conversationKey: `convref/${PEOPLE.joni.id}` });
      await send(cardAction('joni', VERBS.approve, { requestId: 'TAP-7K3F9Q', attestation: 'videoCall' }, { replyToId: 'card-joni' }));
      assert.deepEqual(invokeBody()?.value, { card: 'approval', requestId: 'TAP-7K3F9Q', state: 'PendingApproval', canDecide: false, zone: 'UTC' });
      assert.deepEqual(adapter.sentCards(conversationIdOf('joni')), [{ card: 'message', title: "I can't do that", text: notApprover, tone: 'attention' }]);
    });

    it('someone with no part in the request learns nothing of it from a forged click', async () => {
      flow.decide.rejects(new FlowError('notApprover', 'Only the assigned approver can decide on this request.'));
      flow.getRequest.resolves(request());
      await send(cardAction('joni', VERBS.approve, { requestId: 'TAP-7K3F9Q' }));
      assert.equal(invokeBody()?.value['card'], 'message');
      assert.ok(!JSON.stringify(adapter.sent).includes('Megan'), 'the target is not revealed');
    });

    it('refresh shows the approver a card they can decide on, and the agent the status card', async () => {
      flow.getRequest.resolves(request());
      await send(cardAction('nestor', VERBS.refresh, { requestId: 'TAP-7K3F9Q' }));
      assert.deepEqual(invokeBody()?.value, { card: 'approval', requestId: 'TAP-7K3F9Q', state: 'PendingApproval', canDecide: true, zone: 'UTC' });
      await send(cardAction('adele', VERBS.refresh, { requestId: 'TAP-7K3F9Q' }));
      assert.equal(invokeBody()?.value['card'], 'status');
    });

    it('refresh after the deadline no longer offers Approve', async () => {
      flow.getRequest.resolves(request({ expiresAt: '2026-03-02T08:59:59.000Z' }));
      await send(cardAction('nestor', VERBS.refresh, { requestId: 'TAP-7K3F9Q' }));
      assert.equal(invokeBody()?.value['canDecide'], false);
    });

    it('refresh by someone with no part in the request is refused', async () => {
      flow.getRequest.resolves(request());
      await send(cardAction('joni', VERBS.refresh, { requestId: 'TAP-7K3F9Q' }));
      assert.equal(adapter.lastInvokeResponse()?.status, 403);
      assert.equal(invokeBody()?.type, 'application/vnd.microsoft.error');
    });

    it('submit starts the request, answers with the status card and remembers the clicked card for updates', async () => {
      flow.startRequest.resolves(request());
      await send(cardAction('adele', VERBS.submitRequest, {
        target: ' megan@contoso.com ', reason: 'Lost phone', ticket: 'INC-1', scenario: 'recovery', lifetimeInMinutes: '120', isUsableOnce: 'false',
      }, { replyToId: 'form-activity-7' }));
      assert.deepEqual(flow.startRequest.firstCall.args[1], {
        target: 'megan@contoso.com', reason: 'Lost phone', ticket: 'INC-1', scenario: 'recovery', lifetimeInMinutes: 120, isUsableOnce: false,
      });
      assert.deepEqual(invokeBody()?.value, { card: 'status', requestId: 'TAP-7K3F9Q', state: 'PendingApproval', zone: 'UTC' });
      const refs = await cardRefs.get('TAP-7K3F9Q');
      assert.deepEqual(refs.cards[PEOPLE.adele.id]?.status, { activityId: 'form-activity-7', conversationKey: `convref/${PEOPLE.adele.id}` });
    });

    it('someone outside the helpdesk who submits a form learns only that, not how the form is checked, and nothing is asked', async () => {
      flow.assertAgent.rejects(new FlowError('notHelpdeskAgent', 'Only members of the helpdesk group can request a Temporary Access Pass.'));
      await send(cardAction('megan', VERBS.submitRequest, { target: 'megan@contoso.com', reason: 'x', scenario: 'recovery' }));
      assert.equal(flow.startRequest.callCount, 0);
      const body = invokeBody()?.value as { card?: string; text?: string };
      assert.equal(body.card, 'message');
      assert.match(body.text ?? '', /Only members of the helpdesk group/);
      assert.doesNotMatch(JSON.stringify(body), /at least 3 characters/);
    });

    it('a refused submit shows the form again with the reason and everything the agent typed', async () => {
      flow.startRequest.rejects(new FlowError('targetPrivileged', 'Megan Bowen holds an administrator role, so a TAP cannot be issued through the bot.'));
      flow.getPolicyForForm.resolves(POLICY);
      await send(cardAction('adele', VERBS.submitRequest, {
        target: 'megan@contoso.com', reason: 'Lost phone', ticket: 'INC-1', scenario: 'recovery', lifetimeInMinutes: '120', isUsableOnce: 'true',
      }));
      assert.deepEqual(invokeBody()?.value, {
        card: 'form',
        target: 'megan@contoso.com', reason: 'Lost phone', ticket: 'INC-1', scenario: 'recovery', lifetimeInMinutes: 120, isUsableOnce: true,
        policy: { minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLifetimeInMinutes: 60, forcedOneTime: false },
        scenarioNote: 'Recovery: one sign-in to register a new method straight away.',
        timeZone: 'Europe/Copenhagen',
        error: 'Megan Bowen holds an administrator role, so a TAP cannot be issued through the bot.',
      });
    });

    it('a submit with a missing reason or a lifetime that is not a number never reaches the workflow', async () => {
      flow.getPolicyForForm.resolves(POLICY);
      await send(cardAction('adele', VERBS.submitRequest, { target: 'megan@contoso.com', scenario: 'recovery', lifetimeInMinutes: '2 hours' }));
      assert.equal(flow.startRequest.called, false);
      const card = invokeBody()?.value;
      assert.equal(card?.['target'], 'megan@contoso.com');
      assert.match(String(card?.['error']), /Enter a reason\. .*whole number of minutes/);
    });

    it('handed over answers with the delivery card without the code', async () => {
      flow.markHandedOver.resolves(request({ state: 'Issued' }));
      await send(cardAction('adele', VERBS.handedOver, { requestId: 'TAP-7K3F9Q' }));
      assert.deepEqual(invokeBody()?.value, { card: 'delivery', requestId: 'TAP-7K3F9Q', code: null, zone: 'UTC' });
    });

    it('a card action without a request id is a bad request', async () => {
      await send(cardAction('nestor', VERBS.approve, { attestation: 'videoCall' }));
      assert.equal(adapter.lastInvokeResponse()?.status, 400);
      assert.equal(flow.decide.called, false);
    });

    it('an unexpected failure propagates to the turn error handler instead of being shown', async () => {
      flow.decide.rejects(new Error('disk full'));
      await assert.rejects(send(cardAction('nestor', VERBS.approve, { requestId: 'TAP-7K3F9Q' })), /disk full/);
    });
  });

  describe('revoke, report, pending, and chats that are not 1:1', () => {
    it('"revoke <id>" deletes the pass through the workflow and says it no longer works', async () => {
      flow.revoke.resolves(request({ state: 'Issued', revocation: { by: PEOPLE.adele, at: NOW.toISOString() } }));
      await say('adele', 'revoke tap-7k3f9q');
      assert.equal(flow.revoke.firstCall.args[1], 'TAP-7K3F9Q');
      assert.equal(flow.revoke.firstCall.args[0].aadObjectId, PEOPLE.adele.id);
      assert.match(String(lastCard()?.['text']), /deleted in Entra ID and no longer works/);
    });

    it('"report <id> <reason>" passes the whole reason on, and a report without a reason answers with how to report', async () => {
      flow.reportSuspicious.resolves(request({ state: 'Cancelled' }));
      await say('nestor', 'report TAP-7K3F9Q caller did not know her team');
      assert.equal(flow.reportSuspicious.firstCall.args[2], 'caller did not know her team');
      assert.match(String(lastCard()?.['text']), /recorded as suspicious and it was stopped/);
      await say('nestor', 'report TAP-7K3F9Q');
      assert.equal(flow.reportSuspicious.callCount, 1);
      assert.match(String(lastCard()?.['text']), /^Type `report`, the request id and why/);
    });

    it('"pending" lists what waits for this approver, or says nothing does', async () => {
      flow.pending.resolves([request()]);
      await say('nestor', 'pending');
      assert.deepEqual(lastCard(), { card: 'statusList', ids: ['TAP-7K3F9Q'], title: 'Waiting for your decision (1)', zone: 'UTC' });
      flow.pending.resolves([]);
      await say('nestor', 'pending');
      assert.equal(lastCard()?.['title'], 'Nothing waits for you');
    });

    it('in a group chat the bot says once that passes are handled 1:1, and runs no command there', async () => {
      const group = { id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT, name: 'Helpdesk' };
      await send(teamsActivity('adele', { text: 'tap megan@contoso.com', conversation: group }));
      await send(teamsActivity('adele', { text: 'status', conversation: group }));
      const texts = adapter.sentTexts();
      assert.equal(texts.filter((t) => /only in a 1:1 chat/.test(t)).length, 1, texts.join(' | '));
      assert.equal(adapter.sentCards().length, 0, 'no form, no status in the group');
      assert.equal(flow.assertAgent.callCount + flow.status.callCount, 0);
    });

    it('installed into a team, the bot posts no welcome there', async () => {
      const team = { id: '19:team@thread.tacv2', conversationType: 'channel', isGroup: true, tenantId: TENANT, name: 'General' };
      await send(teamsActivity('adele', { type: 'installationUpdate', action: 'add', conversation: team }));
      assert.equal(adapter.sentCards().length, 0);
    });
  });

  describe('the form follows the scenario', () => {
    it('the pressed button wins over the dropdown, which Teams sends along with the same click', async () => {
      flow.getPolicyForForm.resolves(POLICY);
      await send(cardAction('adele', VERBS.formScenario, { chosenScenario: 'passkeyOnboarding', scenario: 'recovery', target: 'megan@contoso.com', reason: 'New hire, passkey only' }));
      const body = invokeBody()?.value as { scenario?: string; isUsableOnce?: boolean };
      assert.equal(body.scenario, 'passkeyOnboarding');
      assert.equal(body.isUsableOnce, false);
    });

    it('pressing "New joiner" redraws the form with its defaults, its first morning in the agent\'s zone, and keeps what was typed', async () => {
      flow.getPolicyForForm.resolves(POLICY);
      await send(cardAction('adele', VERBS.formScenario, { scenario: 'newJoiner', target: 'megan@contoso.com', reason: 'Starts Monday', lifetimeInMinutes: '60', isUsableOnce: 'true' }));
      assert.deepEqual(invokeBody()?.value, {
        card: 'form',
        target: 'megan@contoso.com',
        reason: 'Starts Monday',
        scenario: 'newJoiner',
        isUsableOnce: false,
        lifetimeInMinutes: 480,
        policy: { minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLifetimeInMinutes: 60, forcedOneTime: false },
        scenarioNote: 'New joiner: starts on their first morning at 08:00 and lasts the working day.',
        start: { date: '2026-03-03', time: '08:00' },
        timeZone: 'Europe/Copenhagen',
      });
    });

    it('a scenario chosen only in the dropdown brings its defaults and shows them before anything is asked: a passkey onboarding pass never leaves with the recovery form\'s one-time hour', async () => {
      flow.getPolicyForForm.resolves(POLICY);
      await send(cardAction('adele', VERBS.submitRequest, {
        drawnScenario: 'recovery', scenario: 'passkeyOnboarding', target: 'megan@contoso.com', reason: 'Passkey rollout', lifetimeInMinutes: '60', isUsableOnce: 'true',
      }));
      assert.equal(flow.startRequest.callCount, 0, 'nothing was asked yet');
      const body = invokeBody()?.value as { card?: string; scenario?: string; isUsableOnce?: boolean; error?: string };
      assert.deepEqual([body.card, body.scenario, body.isUsableOnce], ['form', 'passkeyOnboarding', false]);
      assert.match(body.error ?? '', /You chose Passkey onboarding in the list: its settings are now filled in below/);
    });

    it('sent again as drawn, the same form is asked for', async () => {
      flow.startRequest.resolves(request());
      await send(cardAction('adele', VERBS.submitRequest, {
        drawnScenario: 'passkeyOnboarding', scenario: 'passkeyOnboarding', target: 'megan@contoso.com', reason: 'Passkey rollout', lifetimeInMinutes: '480', isUsableOnce: 'false',
      }));
      assert.equal(flow.startRequest.callCount, 1);
      assert.equal(flow.startRequest.firstCall.args[1].scenario, 'passkeyOnboarding');
    });

    it('a start typed on the form reaches the workflow with the zone it was typed in', async () => {
      flow.startRequest.resolves(request());
      await send(cardAction('adele', VERBS.submitRequest, {
        target: 'megan@contoso.com', reason: 'Starts Monday', scenario: 'newJoiner', startDate: '2026-03-09', startTime: '08:00',
      }, { entities: [{ type: 'clientInfo', timezone: 'Europe/Copenhagen' }] }));
      const input = flow.startRequest.firstCall.args[1];
      assert.deepEqual([input.startDate, input.startTime, input.timeZone], ['2026-03-09', '08:00', 'Europe/Copenhagen']);
    });
  });

  describe('help fits the reader', () => {
    it('an approver who is not an agent gets the approver help; someone else gets the help for neither', async () => {
      flow.assertAgent.rejects(new FlowError('notHelpdeskAgent', 'no'));
      flow.pending.resolves([request()]);
      await say('nestor', 'help');
      assert.deepEqual(lastCard(), { card: 'help', reader: { isAgent: false, isApprover: true } });
      flow.pending.resolves([]);
      await say('megan', 'help');
      assert.deepEqual(lastCard(), { card: 'help', reader: { isAgent: false, isApprover: false } });
    });
  });

  describe('a refused approval keeps what the approver chose', () => {
    it('"Other" without its note comes back with the choice kept and the error on the card, and nothing is decided', async () => {
      flow.decide.rejects(new FlowError('attestationRequired', 'Say how you verified it is really them.'));
      flow.getRequest.resolves(request());
      await send(cardAction('nestor', VERBS.approve, { requestId: 'TAP-7K3F9Q', attestation: 'other' }));
      const body = invokeBody() as { value: Record<string, unknown> };
      assert.equal(body.value['card'], 'approval');
      assert.equal(body.value['attestation'], 'other');
      assert.equal(body.value['error'], 'Say how you verified it is really them.');
      assert.equal(body.value['canDecide'], true);
    });
  });
});
