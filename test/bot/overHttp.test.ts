/**
 * The sandbox edge with botbuilder's real CloudAdapter: replies and proactive cards go over
 * HTTP, without tokens, to a stand-in Bot Connector on 127.0.0.1 (as with the Playground).
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Activity, Request, Response } from 'botbuilder';
import { CapturedResponse } from '../support/capturedResponse';
import { createTeamsEdge } from '../../src/bot';
import { VERBS } from '../../src/cards/verbs';
import { TapFlow } from '../../src/flow/tapFlow';
import { configureLogging } from '../../src/log';
import { FakeGraph, fakeAudit } from '../support/fakePorts';
import { contoso, flowConfig } from '../support/flowWorld';
import { startFakeConnector, type FakeConnector } from '../support/fakeConnector';
import { RecordingStorage } from '../support/recordingStorage';
import { TENANT, cardAction, conversationIdOf, teamsActivity } from '../support/teamsFixtures';


describe('bot edge over HTTP (sandbox)', () => {
  let connector: FakeConnector;
  let storage: RecordingStorage;
  let handle: (req: Request, res: Response) => Promise<void>;
  let graph: FakeGraph;

  async function post(activity: Partial<Activity>): Promise<CapturedResponse> {
    const res = new CapturedResponse();
    await handle({ method: 'POST', headers: {}, body: { ...activity, serviceUrl: connector.serviceUrl } as Record<string, unknown> }, res);
    return res;
  }

  beforeEach(async () => {
    configureLogging({ level: 'silent' });
    connector = await startFakeConnector();
    storage = new RecordingStorage();
    graph = new FakeGraph(contoso());
    const edge = createTeamsEdge({ mode: 'sandbox', tenantId: TENANT, storage });
    const flow = new TapFlow({ graph, storage, audit: fakeAudit(), notifier: edge.notifier, config: flowConfig() });
    handle = edge.attach(flow);
  });
  afterEach(async () => {
    sinon.restore();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
    await connector.stop();
    await storage.close();
  });

  it('replies, proactive approval and delivery, and in-place updates reach the connector', async () => {
    await post(teamsActivity('adele', { type: 'installationUpdate', action: 'add' }));
    await post(teamsActivity('nestor', { type: 'installationUpdate', action: 'add' }));
    await post(teamsActivity('adele', { text: 'tap megan@contoso.com' }));
    const form = connector.log.filter((r) => r.conversationId === conversationIdOf('adele')).at(-1)!;
    assert.ok(JSON.stringify(form.activity).includes(VERBS.submitRequest), 'the form reached the agent');

    const submitted = await post(cardAction('adele', VERBS.submitRequest, { target: 'megan@contoso.com', reason: 'Lost phone', scenario: 'recovery' }, { replyToId: form.activityId }));
    assert.equal(submitted.statusCode, 200);
    const approval = connector.log.filter((r) => r.conversationId === conversationIdOf('nestor')).at(-1)!;
    assert.equal(approval.kind, 'send');
    const requestId = /"requestId":"(TAP-[A-Z0-9]{6})"/.exec(JSON.stringify(approval.activity))![1]!;

    const approved = await post(cardAction('nestor', VERBS.approve, { requestId, attestation: 'inPerson' }));
    assert.equal(approved.statusCode, 200);
    const code = graph.issuedCodes[0]!;
    assert.ok(connector.log.some((r) => r.conversationId === conversationIdOf('adele') && JSON.stringify(r.activity).includes(code)), 'the pass reached the agent');
    assert.ok(connector.log.some((r) => r.kind === 'update' && r.activityId === form.activityId), "the agent's card was updated in place");
    assert.ok(connector.log.some((r) => r.kind === 'update' && r.activityId === approval.activityId), "the manager's card was updated in place");
  });
});
