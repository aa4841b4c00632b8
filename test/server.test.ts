import assert from 'node:assert/strict';
import { configureLogging, createLogger } from '../src/log';
import { startServer, type RunningServer } from '../src/server';

describe('the HTTP edge: /api/messages for anything but POST', () => {
  let server: RunningServer;
  let logLines: string[];
  let handled: number;

  beforeEach(async () => {
    logLines = [];
    handled = 0;
    configureLogging({ level: 'debug', sink: (line) => logLines.push(line) });
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 10_000,
      mode: 'sandbox',
      healthChecks: [],
      handleMessages: async (_req, res) => {
        handled++;
        res.send(200);
      },
    });
  });

  afterEach(async () => {
    await server.close();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });

  it("the Agents Playground's HEAD probe gets 405 with Allow: POST, and no warning is logged", async () => {
    const res = await fetch(`${server.url}/api/messages`, { method: 'HEAD' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
    assert.deepEqual(logLines, []);
    assert.equal(handled, 0, 'the bot never sees the probe');
  });

  it('a browser opening the messaging endpoint is told what it takes, and no warning is logged', async () => {
    const res = await fetch(`${server.url}/api/messages`);
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
    assert.match(JSON.stringify(await res.json()), /POST \/api\/messages expects a JSON Bot Framework activity/);
    assert.deepEqual(logLines, []);
  });

  it('POST still reaches the bot, and other methods are still rejected with a warning', async () => {
    const post = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' });
    assert.equal(post.status, 200);
    assert.equal(handled, 1);
    const put = await fetch(`${server.url}/api/messages`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(put.status, 405);
    assert.equal(logLines.length, 1);
    assert.match(logLines[0]!, /"msg":"request rejected".*"method":"PUT"/);
  });
});

describe('the HTTP edge: health probes', () => {
  let server: RunningServer | undefined;
  let logLines: string[];
  let calls: Record<string, number>;
  let storageFails: Error | undefined;
  let graphHangs: boolean;

  async function start(): Promise<RunningServer> {
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 10_000,
      mode: 'production',
      healthTimeoutInMs: 50,
      healthChecks: [
        {
          name: 'storage',
          check: async () => {
            calls.storage = (calls.storage ?? 0) + 1;
            if (storageFails) throw storageFails;
          },
        },
        {
          name: 'graph',
          check: async () => {
            calls.graph = (calls.graph ?? 0) + 1;
            if (graphHangs) await new Promise((resolve) => setTimeout(resolve, 1_000));
          },
        },
      ],
      handleMessages: async (_req, res) => {
        res.send(200);
      },
    });
    return server;
  }

  beforeEach(() => {
    logLines = [];
    calls = {};
    storageFails = undefined;
    graphHangs = false;
    configureLogging({ level: 'debug', sink: (line) => logLines.push(line) });
  });
  afterEach(async () => {
    await server?.close();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });

  it('liveness answers 200 to GET and HEAD and calls no dependency, even while storage is down', async () => {
    storageFails = new Error('disk gone');
    const s = await start();
    const get = await fetch(`${s.url}/health/live`);
    assert.equal(get.status, 200);
    assert.deepEqual(await get.json(), { status: 'live' });
    const head = await fetch(`${s.url}/health/live`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.deepEqual(calls, {}, 'no health check ran');
  });

  it('readiness answers 200 when storage and Graph both pass, for GET and HEAD, without authentication', async () => {
    const s = await start();
    const get = await fetch(`${s.url}/health/ready`);
    assert.equal(get.status, 200);
    const body = (await get.json()) as { status: string; failed: string[]; checks: Record<string, { ok: boolean }> };
    assert.equal(body.status, 'ready');
    assert.deepEqual(body.failed, []);
    assert.deepEqual(Object.keys(body.checks).sort(), ['graph', 'storage']);
    const head = await fetch(`${s.url}/health/ready`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '', 'HEAD has no body');
    assert.deepEqual(calls, { storage: 2, graph: 2 });
  });

  it('readiness answers 503 naming the check that failed or timed out, with no message, stack or secret', async () => {
    const secret = 'AccountKey=c2VjcmV0LWtleQ==';
    const failure = new Error(`connect failed for DefaultEndpointsProtocol=https;${secret}`);
    storageFails = failure;
    graphHangs = true;
    const s = await start();
    const res = await fetch(`${s.url}/health/ready`);
    assert.equal(res.status, 503);
    const text = await res.text();
    const body = JSON.parse(text) as { status: string; failed: string[]; checks: Record<string, { ok: boolean }> };
    assert.equal(body.status, 'notReady');
    assert.deepEqual(body.failed.sort(), ['graph', 'storage']);
    assert.equal(body.checks.storage?.ok, false);
    assert.doesNotMatch(text, /AccountKey|connect failed|at .*\.ts|no answer within/);
    assert.equal((await fetch(`${s.url}/health/ready`, { method: 'HEAD' })).status, 503);
  });

  it("readiness logs a check's reason once when it starts failing, and once when it passes again", async () => {
    storageFails = new Error('database is locked');
    const s = await start();
    await fetch(`${s.url}/health/ready`);
    await fetch(`${s.url}/health/ready`);
    storageFails = undefined;
    assert.equal((await fetch(`${s.url}/health/ready`)).status, 200);
    const readiness = logLines.filter((l) => l.includes('readiness check'));
    assert.equal(readiness.length, 2, readiness.join('\n'));
    assert.match(readiness[0]!, /"level":"warn".*"check":"storage".*"reason":"database is locked"/);
    assert.match(readiness[1]!, /"msg":"readiness check passes again".*"check":"storage"/);
  });

  it('/health keeps its report (the failed check with its message), and answers HEAD too', async () => {
    storageFails = new Error('database is locked');
    const s = await start();
    const res = await fetch(`${s.url}/health`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; error?: string }> };
    assert.equal(body.status, 'degraded');
    assert.equal(body.checks.storage?.error, 'database is locked');
    assert.equal((await fetch(`${s.url}/health`, { method: 'HEAD' })).status, 503);
  });
});

describe('the HTTP edge: each turn runs in its own correlation scope', () => {
  let server: RunningServer;
  let records: Array<Record<string, unknown>>;

  beforeEach(async () => {
    records = [];
    configureLogging({ level: 'debug', sink: (_line, record) => records.push(record) });
    const turnLog = createLogger('test.turn');
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 10_000,
      mode: 'sandbox',
      healthChecks: [],
      handleMessages: async (req, res) => {
        turnLog.info('turn', { activityId: (req.body as { id?: string }).id });
        res.send(200);
      },
    });
  });
  afterEach(async () => {
    await server.close();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });

  const post = (headers: Record<string, string>, activity: Record<string, unknown> = { type: 'message' }): Promise<Response> =>
    fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });

  it("a turn's log lines carry the trace id of its traceparent as correlation id", async () => {
    await post({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    assert.equal(records.find((r) => r.msg === 'turn')?.correlationId, '4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('x-ms-correlation-id is used next; without either, each turn gets its own new id', async () => {
    await post({ 'x-ms-correlation-id': 'req-8d1c2b3a-0001' });
    await post({});
    await post({});
    const ids = records.filter((r) => r.msg === 'turn').map((r) => r.correlationId);
    assert.equal(ids[0], 'req-8d1c2b3a-0001');
    assert.match(String(ids[1]), /^[0-9a-f]{32}$/);
    assert.notEqual(ids[1], ids[2]);
  });
});
