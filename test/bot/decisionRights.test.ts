/**
 * The cards follow the one decision rule (src/flow/gate/decisionRights.ts): Approve is offered to
 * exactly the people whose click would count, the second approver included, from whichever
 * card shows them the request.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Activity } from 'botbuilder';
import { CardRefStore } from '../../src/bot/cardRefs';
import { ConversationStore } from '../../src/bot/conversations';
import { TeamsNotifier } from '../../src/bot/notifier';
import { TapBot } from '../../src/bot/tapBot';
import { TenantGuard } from '../../src/bot/tenantGuard';
import { VERBS } from '../../src/cards/verbs';
import { RequestClosedError } from '../../src/flow/errors';
import { DEFAULT_RISK_RULES } from '../../src/flow/gate/risk';
import { TapFlow } from '../../src/flow/tapFlow';
import type { Decision } from '../../src/flow/types';
import { configureLogging } from '../../src/log';
import { FakeGraph, fakeAudit } from '../support/fakePorts';
import { contoso, flowConfig, GROUPS } from '../support/flowWorld';
import { RecordingAdapter } from '../support/recordingAdapter';
import { RecordingStorage } from '../support/recordingStorage';
import { NOW, PEOPLE, TENANT, cardAction, conversationIdOf, fakeCards, request, stubFlow, teamsActivity, type PersonName } from '../support/teamsFixtures';

type Card = Record<string, unknown>;
const verbsOf = (card: Card | undefined): string[] => [...JSON.stringify(card ?? {}).matchAll(/"verb":"([^"]+)"/g)].map((m) => m[1]!);

const fourEyes = (fields: Parameters<typeof request>[0] = {}) => request({ secondApprover: { ids: [PEOPLE.joni.id], people: [{ ...PEOPLE.joni }] }, ...fields });
const approvedBy = (who: PersonName): Decision => ({ by: { ...PEOPLE[who] }, at: NOW.toISOString(), action: 'approve', attestation: 'videoCall' });

describe('cards offer a decision by the one rule', () => {
  let storage: RecordingStorage;
  let adapter: RecordingAdapter;

  const invokeBody = () => adapter.lastInvokeResponse()?.body;

  beforeEach(() => {
    configureLogging({ level: 'silent' });
    storage = new RecordingStorage();
    adapter = new RecordingAdapter();
    adapter.use(new TenantGuard({ tenantId: TENANT }));
  });
  afterEach(async () => {
    sinon.restore();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
    await storage.close();
  });

  describe('over a stubbed workflow', () => {
    let flow: ReturnType<typeof stubFlow>;
    let bot: TapBot;
    const send = (activity: Partial<Activity>): Promise<void> => adapter.processActivity(activity, (context) => bot.run(context));

    beforeEach(() => {
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

    it('the second approver refreshing their card is offered Approve, before and after the manager approved', async () => {
      flow.getRequest.resolves(fourEyes());
      await send(cardAction('joni', VERBS.refresh, { requestId: 'TAP-7K3F9Q' }));
      assert.deepEqual(invokeBody()?.value, { card: 'approval', requestId: 'TAP-7K3F9Q', state: 'PendingApproval', canDecide: true, zone: 'UTC' });

      flow.getRequest.resolves(fourEyes({ decision: approvedBy('nestor') }));
      await send(cardAction('joni', VERBS.refresh, { requestId: 'TAP-7K3F9Q' }));
      assert.equal(invokeBody()?.value['canDecide'], true, 'the second approval is still theirs to give');
      await send(cardAction('nestor', VERBS.refresh, { requestId: 'TAP-7K3F9Q' }));
      assert.equal(invokeBody()?.value['canDecide'], false, 'the manager has given theirs');
    });

    it('a second approver whose approval is in, refused on a second click, gets the read-only card again', async () => {
      const recorded = fourEyes({ secondDecision: approvedBy('joni') });
      flow.decide.rejects(new RequestClosedError(recorded, 'requestClosed', 'Your approval of TAP-7K3F9Q is recorded.'));
      flow.getRequest.resolves(recorded);
      await send(cardAction('joni', VERBS.approve, { requestId: 'TAP-7K3F9Q', attestation: 'videoCall' }));
      assert.deepEqual(invokeBody()?.value, { card: 'approval', requestId: 'TAP-7K3F9Q', state: 'PendingApproval', canDecide: false, zone: 'UTC' });
    });

    it("a bulk member's request card offers nobody Approve: it is decided with its bulk request", async () => {
      flow.getRequest.resolves(fourEyes({ bulk: { id: 'BULK-7K3F9Q' } }));
      for (const who of ['nestor', 'joni'] as const) {
        await send(cardAction(who, VERBS.refresh, { requestId: 'TAP-7K3F9Q' }));
        assert.equal(invokeBody()?.value['card'], 'approval', who);
        assert.equal(invokeBody()?.value['canDecide'], false, who);
      }
    });

    it('the target, listed as an approver after a group change, is never offered Approve', async () => {
      flow.getRequest.resolves(request({ approver: { kind: 'fallbackGroup', ids: [PEOPLE.nestor.id, PEOPLE.megan.id], people: [] } }));
      await send(cardAction('megan', VERBS.refresh, { requestId: 'TAP-7K3F9Q' }));
      assert.equal(invokeBody()?.value['canDecide'], false);
    });
  });

  describe('over the real workflow and cards', () => {
    let graph: FakeGraph;
    let flow: TapFlow;
    let bot: TapBot;
    const send = (activity: Partial<Activity>): Promise<void> => adapter.processActivity(activity, (context) => bot.run(context));
    const cardsTo = (who: PersonName): Card[] => adapter.sentCards(conversationIdOf(who));
    const requestIdOn = (card: Card | undefined): string => /"requestId":"(TAP-[A-Z0-9]{6})"/.exec(JSON.stringify(card))![1]!;

    beforeEach(async () => {
      graph = new FakeGraph(contoso());
      const conversations = new ConversationStore(storage, { clock: () => NOW });
      const cardRefs = new CardRefStore(storage);
      const notifier = new TeamsNotifier({ adapter, botAppId: '', conversations, cardRefs, clock: () => NOW });
      // Four eyes: a second pass for Megan within days needs Joni (the second approver group) too.
      const config = flowConfig({ risk: { ...DEFAULT_RISK_RULES, secondApproverGroupId: GROUPS.fallbackApprovers } });
      flow = new TapFlow({ graph, storage, audit: fakeAudit(), notifier, config, clock: () => NOW });
      bot = new TapBot({ flow, conversations, cardRefs, tenantId: TENANT, clock: () => NOW });
      for (const who of ['adele', 'nestor', 'joni'] as const) await send(teamsActivity(who, { type: 'installationUpdate', action: 'add' }));
      const first = await flow.startRequest({ aadObjectId: PEOPLE.adele.id, tenantId: TENANT }, { target: PEOPLE.megan.userPrincipalName, reason: 'Lost phone', scenario: 'recovery' });
      await flow.decide({ aadObjectId: PEOPLE.nestor.id, tenantId: TENANT }, first.id, { action: 'approve', attestation: 'videoCall' });
      await flow.whenIdle();
    });

    it('the second approver approves from the card they were sent, and with the manager\'s approval the pass is made', async () => {
      await send(cardAction('adele', VERBS.submitRequest, { target: PEOPLE.megan.userPrincipalName, reason: 'Lost phone again', scenario: 'recovery' }, { replyToId: 'form-1' }));
      const joniCard = cardsTo('joni').at(-1);
      assert.ok(verbsOf(joniCard).includes(VERBS.approve), 'the second approver is offered Approve');
      const requestId = requestIdOn(joniCard);
      assert.deepEqual((await flow.pending({ aadObjectId: PEOPLE.joni.id, tenantId: TENANT })).map((r) => r.id), [requestId]);

      await send(cardAction('joni', VERBS.approve, { requestId, attestation: 'inPerson' }));
      assert.ok(!verbsOf(adapter.lastInvokeResponse()?.body.value as Card).includes(VERBS.approve), 'their answered card is read-only');
      assert.equal((await flow.getRequest(requestId))?.secondDecision?.by.id, PEOPLE.joni.id);
      assert.equal(graph.issuedCodes.length, 1, 'one approval of two: no pass yet');

      await send(cardAction('nestor', VERBS.approve, { requestId, attestation: 'videoCall' }));
      await flow.whenIdle();
      assert.equal(graph.issuedCodes.length, 2);
      assert.equal((await flow.getRequest(requestId))?.state, 'Issued');
    });
  });
});
