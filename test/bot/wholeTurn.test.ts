/**
 * The Teams edge over the real workflow and the real cards: only Graph (the flow's fake
 * directory) and Teams (the recording adapter) are stand-ins.
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
import { TapFlow } from '../../src/flow/tapFlow';
import { configureLogging } from '../../src/log';
import { FakeGraph, fakeAudit } from '../support/fakePorts';
import { contoso, flowConfig } from '../support/flowWorld';
import { RecordingAdapter } from '../support/recordingAdapter';
import { RecordingStorage } from '../support/recordingStorage';
import { NOW, PEOPLE, TENANT, cardAction, conversationIdOf, teamsActivity, type PersonName } from '../support/teamsFixtures';

type Card = Record<string, unknown>;

function verbsOf(card: Card | undefined): string[] {
  return [...JSON.stringify(card ?? {}).matchAll(/"verb":"([^"]+)"/g)].map((m) => m[1]!);
}

describe('bot over the real workflow and cards', () => {
  let storage: RecordingStorage;
  let adapter: RecordingAdapter;
  let graph: FakeGraph;
  let bot: TapBot;
  let logLines: string[];

  const send = (activity: Partial<Activity>): Promise<void> => adapter.processActivity(activity, (context) => bot.run(context));
  const cardsTo = (who: PersonName): Card[] => adapter.sentCards(conversationIdOf(who));

  beforeEach(async () => {
    logLines = [];
    configureLogging({ level: 'debug', sink: (line) => logLines.push(line) });
    storage = new RecordingStorage();
    adapter = new RecordingAdapter();
    adapter.use(new TenantGuard({ tenantId: TENANT }));
    graph = new FakeGraph(contoso());
    const conversations = new ConversationStore(storage, { clock: () => NOW });
    const cardRefs = new CardRefStore(storage);
    const notifier = new TeamsNotifier({ adapter, botAppId: '', conversations, cardRefs, clock: () => NOW });
    const flow = new TapFlow({ graph, storage, audit: fakeAudit(), notifier, config: flowConfig(), clock: () => NOW });
    bot = new TapBot({ flow, conversations, cardRefs, tenantId: TENANT, clock: () => NOW });
    await send(teamsActivity('adele', { type: 'installationUpdate', action: 'add' }));
    await send(teamsActivity('nestor', { type: 'installationUpdate', action: 'add', entities: [{ type: 'clientInfo', timezone: 'Europe/Copenhagen' }] }));
  });
  afterEach(async () => {
    sinon.restore();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
    await storage.close();
  });

  it('request, approve, deliver, hand over: cards update in place and the code is kept nowhere', async () => {
    assert.equal(cardsTo('adele')[0]?.['type'], 'AdaptiveCard', 'the agent is welcomed');

    await send(teamsActivity('adele', { text: 'tap megan@contoso.com' }));
    const formActivity = adapter.sent.at(-1)!.activity;
    assert.deepEqual(verbsOf(formActivity.attachments?.[0]?.content as Card), [VERBS.formScenario, VERBS.formScenario, VERBS.formScenario, VERBS.submitRequest]);

    await send(cardAction('adele', VERBS.submitRequest, {
      target: 'megan@contoso.com', reason: 'Lost phone', scenario: 'recovery', lifetimeInMinutes: '60', isUsableOnce: 'true',
    }, { replyToId: formActivity.id! }));
    assert.equal(adapter.lastInvokeResponse()?.body.type, 'application/vnd.microsoft.card.adaptive');
    const approvalCard = cardsTo('nestor').at(-1);
    assert.ok(verbsOf(approvalCard).includes(VERBS.approve), 'the manager can approve');
    const requestId = /"requestId":"(TAP-[A-Z0-9]{6})"/.exec(JSON.stringify(approvalCard))![1]!;

    adapter.clearRecords();
    await send(cardAction('nestor', VERBS.approve, { requestId, attestation: 'videoCall' }));
    const answered = adapter.lastInvokeResponse()?.body.value as Card;
    assert.ok(!verbsOf(answered).includes(VERBS.approve), 'the answered approval card is read-only');

    const code = graph.issuedCodes[0];
    assert.ok(code, 'a pass was issued');
    const delivered = adapter.updated.filter((u) => JSON.stringify(u.activity).includes(code)).map((u) => u.activity.attachments?.[0]?.content as Card);
    assert.equal(delivered.length, 1, 'the code is put once on the pass card, in place');
    assert.ok(verbsOf(delivered[0]).includes(VERBS.handedOver));
    assert.equal(cardsTo('adele').length, 2, 'the pass card (sent without the code) and the user guide');
    const statusUpdate = adapter.updated.find((u) => u.activity.id === formActivity.id);
    assert.ok(statusUpdate, "the agent's form became a status card that was updated in place");

    adapter.clearRecords();
    await send(cardAction('adele', VERBS.handedOver, { requestId }));
    assert.ok(!JSON.stringify(adapter.lastInvokeResponse()).includes(code), 'the handed-over card has no code');
    for (const u of adapter.updated) assert.ok(!JSON.stringify(u.activity).includes(code), 'no update re-shows the code');

    for (const w of storage.writes) assert.ok(!w.includes(code), `storage write held the code: ${w.slice(0, 120)}`);
    for (const l of logLines) assert.ok(!l.includes(code), `log line held the code: ${l.slice(0, 120)}`);
  });

  it('an approver clicking twice gets the read-only card the second time, and only one pass is issued', async () => {
    await send(cardAction('adele', VERBS.submitRequest, { target: 'megan@contoso.com', reason: 'Lost phone', scenario: 'recovery' }, { replyToId: 'form-1' }));
    const requestId = /"requestId":"(TAP-[A-Z0-9]{6})"/.exec(JSON.stringify(cardsTo('nestor').at(-1)))![1]!;
    await send(cardAction('nestor', VERBS.approve, { requestId, attestation: 'videoCall' }));
    await send(cardAction('nestor', VERBS.approve, { requestId, attestation: 'videoCall' }));
    assert.equal(graph.issuedCodes.length, 1);
    assert.equal(adapter.lastInvokeResponse()?.status, 200);
    assert.ok(!verbsOf(adapter.lastInvokeResponse()?.body.value as Card).includes(VERBS.approve));
  });

  it('the agent cannot approve their own request by sending the approve action', async () => {
    await send(cardAction('adele', VERBS.submitRequest, { target: 'megan@contoso.com', reason: 'Lost phone', scenario: 'recovery' }, { replyToId: 'form-1' }));
    const requestId = /"requestId":"(TAP-[A-Z0-9]{6})"/.exec(JSON.stringify(cardsTo('nestor').at(-1)))![1]!;
    await send(cardAction('adele', VERBS.approve, { requestId, attestation: 'videoCall', approverId: PEOPLE.nestor.id }));
    assert.equal(graph.issuedCodes.length, 0);
    const stored = await new TapFlow({ graph, storage, audit: fakeAudit(), notifier: { requestApproval: async () => {}, requestUpdated: async () => {}, deliverPass: async () => {}, hidePass: async () => {} }, config: flowConfig() }).getRequest(requestId);
    assert.equal(stored?.state, 'PendingApproval');
  });
});
