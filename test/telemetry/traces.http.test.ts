/**
 * One whole request over HTTP (server + sandbox tenant + Bot Connector stand-in) with the
 * telemetry wiring of production, spans recorded in memory: the turn and Graph spans say
 * which turn they belong to, and no span anywhere carries the pass or a person's UPN.
 */
import assert from 'node:assert/strict';
import { startTelemetry, type RunningTelemetry } from '../../src/telemetry/otel';
import { resetApi } from '../../src/telemetry/tracing';
import { startHarness, cardsOf, codeIn, invokeCard, requestIdIn, sentTo, textOf, type Harness, type PersonKey } from '../support/httpHarness';
import { USERS } from '../../sandbox/ids';
import { inMemoryDistro, type InMemoryDistro, type RecordedSpan } from '../support/inMemoryDistro';

const FORM = { reason: 'Lost phone; verified on a video call', ticket: 'INC-4711', scenario: 'recovery', lifetimeInMinutes: '60', isUsableOnce: 'true' };

describe('traces of one TAP request (OpenTelemetry, in-memory exporter)', function () {
  this.timeout(60_000);
  let distro: InMemoryDistro;
  let telemetry: RunningTelemetry;
  let h: Harness;
  let spans: RecordedSpan[];
  let pass: string;
  let requestId: string;

  before(async () => {
    distro = inMemoryDistro();
    // As index.ts does: telemetry first, then the app.
    telemetry = startTelemetry({ connectionString: 'InstrumentationKey=00000000-0000-0000-0000-000000000000', serviceName: 'tap-helpdesk-bot' }, { loadDistro: () => distro });
    h = await startHarness();
    for (const p of ['adele', 'nestor', 'megan'] as PersonKey[]) assert.ok((await h.client(p).install()).status < 300);
    distro.exporter.reset();

    // Looking her up by her other mail puts that address into a Graph URL's $filter query.
    const lookup = await h.client('adele').say('tap megan.bowen@outlook.com');
    assert.ok(lookup.status < 300);
    assert.ok(textOf(sentTo(h, 'adele').at(-1)?.activity).includes('megan@contoso.com'), 'the lookup found her');
    const submitted = await h.client('adele').click('tap.submit', { target: 'megan@contoso.com', ...FORM });
    assert.equal(submitted.status, 200, textOf(submitted.body));
    requestId = requestIdIn(invokeCard(submitted.body));
    const before = sentTo(h, 'adele').length;
    const approved = await h.client('nestor').click('tap.approve', { requestId, attestation: 'videoCall', attestationNote: 'Saw her on Teams video' });
    assert.equal(approved.status, 200, textOf(approved.body));
    await h.app.flow.whenIdle();
    const delivery = sentTo(h, 'adele').slice(before).flatMap((r) => cardsOf(r.activity)).find((c) => codeIn(c));
    assert.ok(delivery, 'the agent received the pass');
    pass = codeIn(delivery)!;
    spans = distro.exporter.getFinishedSpans();
  });

  after(async () => {
    await h?.stop();
    await telemetry?.shutdown();
    resetApi();
  });

  const turns = (): RecordedSpan[] => spans.filter((s) => s.name === 'bot.turn');
  const graphSpans = (): RecordedSpan[] => spans.filter((s) => s.name.startsWith('graph.'));

  it("each turn has a span with the activity's type and its correlation id, which is the trace id", () => {
    assert.deepEqual(turns().map((t) => t.attributes['bot.activity.type']), ['message', 'invoke', 'invoke'], 'the lookup, the submit, the approval');
    for (const turn of turns()) assert.equal(turn.attributes['tap.correlation_id'], turn.spanContext().traceId);
    assert.equal(turns()[1]!.attributes['bot.activity.name'], 'adaptiveCard/action');
    assert.equal(new Set(turns().map((t) => t.attributes['tap.correlation_id'])).size, 3, 'one id per turn');
  });

  it('the turn spans carry the request id once the flow knows it', () => {
    const [lookup, submit, approve] = turns();
    assert.equal(lookup!.attributes['tap.request_id'], undefined, 'no request yet');
    assert.equal(submit!.attributes['tap.request_id'], requestId);
    assert.equal(approve!.attributes['tap.request_id'], requestId);
  });

  it("each Graph call has a span in its turn's trace, with the turn's correlation id, the operation, method and status", () => {
    const correlationIds = new Set(turns().map((t) => t.attributes['tap.correlation_id']));
    assert.ok(graphSpans().length >= 3, `Graph spans: ${graphSpans().map((s) => s.name).join(', ')}`);
    for (const span of graphSpans()) {
      assert.ok(correlationIds.has(span.attributes['tap.correlation_id']), `${span.name} names its turn`);
      assert.ok(correlationIds.has(span.spanContext().traceId), `${span.name} is in a turn's trace`);
      assert.equal(typeof span.attributes['graph.operation'], 'string');
      assert.match(String(span.attributes['http.request.method']), /^(GET|POST|DELETE|PATCH)$/);
      assert.equal(typeof span.attributes['http.response.status_code'], 'number');
    }
    const create = graphSpans().find((s) => s.name === 'graph.createTap');
    assert.ok(create, 'the pass was created under a span');
    assert.equal(create.attributes['tap.request_id'], requestId);
  });

  it("the log lines and audit events of a turn carry the turn span's correlation id", () => {
    const approveTurn = turns().find((t) => spans.some((s) => s.name === 'graph.createTap' && s.spanContext().traceId === t.spanContext().traceId));
    assert.ok(approveTurn);
    const correlationId = approveTurn.attributes['tap.correlation_id'];
    const lines = h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const issued = lines.find((l) => l.logger === 'audit' && l.action === 'tap.issued');
    assert.equal(issued?.correlationId, correlationId);
    assert.equal(issued?.requestId, requestId);
  });

  it('no span attribute, event or status anywhere holds the pass', () => {
    assert.match(pass, /^\S{8,48}$/);
    for (const span of spans) {
      const text = JSON.stringify([span.name, span.attributes, span.events, span.status]);
      assert.ok(!text.includes(pass), `span ${span.name} carries the pass`);
    }
  });

  it("no span names the user: neither her UPN nor her object id is in a Graph URL's path or query", () => {
    const http = spans.filter((s) => s.instrumentationScope?.name?.includes('instrumentation-http'));
    for (const span of spans) {
      const text = JSON.stringify([span.name, span.attributes, span.events, span.status]);
      assert.doesNotMatch(text, /megan|%40|@contoso|@outlook/i, `span ${span.name}: ${text.slice(0, 300)}`);
      assert.ok(!text.includes(USERS.megan.id), `span ${span.name} names her object id: ${text.slice(0, 300)}`);
    }
    // The automatic HTTP spans ran (and were redacted), or this test proves less than it says.
    const graphHttp = http.filter((s) => /\/v1\.0\//.test(String(s.attributes['url.full'] ?? s.attributes['http.url'] ?? '')));
    assert.ok(graphHttp.length > 0, `HTTP spans for Graph: ${http.map((s) => s.attributes['url.full'] ?? s.attributes['http.url']).join(', ')}`);
  });
});
