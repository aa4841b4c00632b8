/**
 * The dispute link's token on traces: with the telemetry wiring of production (the HTTP
 * instrumentation, our URL-redacting span processor, spans recorded in memory), every
 * method, path, query and body an outsider can send to `/dispute/<token>` leaves no span
 * whose name, attributes, events or status hold the token.
 */
import assert from 'node:assert/strict';
import { configureLogging } from '../../src/log';
import { disputeOutcomePage, disputeQuestionPage } from '../../src/web/disputePage';
import { startServer, type RunningServer } from '../../src/web/server';
import { startTelemetry, type RunningTelemetry } from '../../src/telemetry/otel';
import { resetApi } from '../../src/telemetry/tracing';
import { probeEverything } from '../support/secretProbe';
import { inMemoryDistro, type InMemoryDistro } from '../support/inMemoryDistro';

/** Letters only: a token that looks like a plain path word must be redacted all the same. */
const TOKEN = 'OnlyLettersTokenAbcdefghijklmnop';

describe('the dispute link token on traces (OpenTelemetry, in-memory exporter)', function () {
  this.timeout(60_000);
  let distro: InMemoryDistro;
  let telemetry: RunningTelemetry;
  let server: RunningServer;
  const logLines: string[] = [];

  before(async () => {
    distro = inMemoryDistro();
    telemetry = startTelemetry({ connectionString: 'InstrumentationKey=00000000-0000-0000-0000-000000000000', serviceName: 'tap-helpdesk-bot' }, { loadDistro: () => distro });
    configureLogging({ level: 'debug', sink: (line) => logLines.push(line) });
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 10_000,
      mode: 'production',
      healthChecks: [],
      handleMessages: async (_req, res) => void res.send(200),
      pages: [
        { method: 'GET', path: '/dispute/:token', handle: (p) => disputeQuestionPage(p['token']) },
        { method: 'POST', path: '/dispute/:token', handle: () => disputeOutcomePage({ outcome: 'used' }) },
      ],
    });
    distro.exporter.reset();
  });

  after(async () => {
    await server?.close();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
    await telemetry?.shutdown();
    resetApi();
  });

  it('no span of any request to the link holds its token, and no log line or answer does either', async () => {
    const answers = await probeEverything(server.url, `/dispute/${TOKEN}`);
    const spans = distro.exporter.getFinishedSpans();
    const http = spans.filter((s) => s.instrumentationScope?.name?.includes('instrumentation-http'));
    assert.ok(http.length >= answers.length, `an HTTP span per probe (${http.length} spans, ${answers.length} probes)`);
    for (const span of spans) {
      const text = JSON.stringify([span.name, span.attributes, span.events, span.status]);
      assert.ok(!text.includes(TOKEN), `span ${span.name}: ${text.replaceAll(TOKEN, '<TOKEN>').slice(0, 400)}`);
    }
    assert.ok(http.some((s) => /\/dispute\/\{id\}/.test(JSON.stringify(s.attributes))), 'the spans name the route, redacted');
    for (const a of answers) assert.ok(!a.text.includes(TOKEN), `${a.method} ${a.path.replace(TOKEN, '<token>')}`);
    assert.ok(!logLines.join('\n').includes(TOKEN));
  });
});
