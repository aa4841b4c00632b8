import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startTelemetry } from '../../src/telemetry/otel';
import { resetApi } from '../../src/telemetry/tracing';
import { UrlRedactingSpanProcessor } from '../../src/telemetry/urlRedaction';
import { GraphGateway } from '../../src/graph/gateway';
import type { HttpTransport } from '../../src/graph/transport';
import { inMemoryDistro } from '../support/inMemoryDistro';

const ROOT = path.join(__dirname, '..', '..');
const CONNECTION_STRING = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/';

describe('OpenTelemetry: startTelemetry', () => {
  it('without a connection string nothing is loaded: no distro, no SDK', () => {
    let loaded = 0;
    const telemetry = startTelemetry({ serviceName: 'tap-helpdesk-bot' }, { loadDistro: () => ((loaded += 1), inMemoryDistro()) });
    assert.equal(telemetry.enabled, false);
    assert.equal(loaded, 0);
  });

  it('a bot without a connection string never loads the distro, not even with the whole app loaded', function () {
    this.timeout(60_000);
    const script = [
      "const { startTelemetry } = require('./src/telemetry/otel.ts');",
      "startTelemetry({ serviceName: 'tap-helpdesk-bot' });",
      "require('./src/app.ts');",
      'process.stdout.write(JSON.stringify(Object.keys(require.cache)));',
    ].join(' ');
    const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '--require', './src/quietDeprecations.ts', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'silent' },
    });
    const loaded = (JSON.parse(out) as string[]).map((p) => path.relative(ROOT, p));
    assert.ok(loaded.includes(path.join('src', 'app.ts')), 'the app loaded (sanity)');
    assert.deepEqual(loaded.filter((p) => p.includes(path.join('node_modules', '@azure', 'monitor-opentelemetry'))), []);
  });

  it('with one, the distro gets it, the service name, the URL-redacting processor and the HTTP instrumentation', async () => {
    const distro = inMemoryDistro();
    const telemetry = startTelemetry({ connectionString: CONNECTION_STRING, serviceName: 'tap-bot-westeurope' }, { loadDistro: () => distro });
    try {
      assert.equal(telemetry.enabled, true);
      assert.equal(distro.options?.azureMonitorExporterOptions.connectionString, CONNECTION_STRING);
      assert.ok(distro.options?.spanProcessors.some((p) => p instanceof UrlRedactingSpanProcessor));
      assert.equal(distro.options?.instrumentationOptions.http.enabled, true);
      const resource = distro.options?.resource as { attributes: Record<string, unknown> };
      assert.equal(resource.attributes['service.name'], 'tap-bot-westeurope');
    } finally {
      await telemetry.shutdown();
      resetApi();
    }
  });

  it("a Graph call's span names the operation, method, status and retries, and a TAP create span carries nothing of the answer", async () => {
    const distro = inMemoryDistro();
    const telemetry = startTelemetry({ connectionString: CONNECTION_STRING, serviceName: 'tap-helpdesk-bot' }, { loadDistro: () => distro });
    const pass = 'Zq8#pL2!vM4x';
    let attempts = 0;
    const transport: HttpTransport = async () => {
      attempts++;
      if (attempts === 1) return new Response('{}', { status: 429, headers: { 'retry-after': '0' } });
      const body = { id: 'method-1', temporaryAccessPass: pass, lifetimeInMinutes: 60, isUsableOnce: true, startDateTime: '2030-01-02T10:00:00Z', methodUsabilityReason: 'EnabledByPolicy' };
      return new Response(JSON.stringify(body), { status: 201, headers: { 'content-type': 'application/json' } });
    };
    try {
      const graph = new GraphGateway({
        credential: { getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) },
        transport,
        sleep: async () => undefined,
      });
      const issued = await graph.createTap('0d4f1d3e-2c6b-4b8a-9c1e-7d2f3a4b5c6d', { lifetimeInMinutes: 60, isUsableOnce: true });
      assert.equal(issued.temporaryAccessPass, pass, 'the caller still gets the pass');
      const span = distro.exporter.getFinishedSpans().find((s) => s.name === 'graph.createTap');
      assert.ok(span, 'a span for the Graph call');
      assert.equal(span.attributes['graph.operation'], 'createTap');
      assert.equal(span.attributes['http.request.method'], 'POST');
      assert.equal(span.attributes['http.response.status_code'], 201);
      assert.equal(span.attributes['graph.retries'], 1);
      assert.doesNotMatch(JSON.stringify(distro.exporter.getFinishedSpans().map((s) => [s.name, s.attributes, s.events, s.status])), new RegExp(pass.replace(/[!#]/g, '.')));
    } finally {
      await telemetry.shutdown();
      resetApi();
    }
  });
});
