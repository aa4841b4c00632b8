import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { configureLogging, createLogger } from '../../src/log';
import { DEFAULT_HTTP_TIMEOUTS, startServer, type HttpTimeouts, type RunningServer } from '../../src/web/server';

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

describe('the HTTP edge: slow clients are cut off, a slow bot is not', () => {
  let server: RunningServer | undefined;

  async function start(timeouts?: Partial<HttpTimeouts>, handlerDelayInMs = 0): Promise<RunningServer> {
    configureLogging({ level: 'silent' });
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 10_000,
      mode: 'production',
      healthChecks: [],
      handleMessages: async (_req, res) => {
        await new Promise((resolve) => setTimeout(resolve, handlerDelayInMs));
        res.send(200);
      },
      ...(timeouts ? { timeouts } : {}),
    });
    return server;
  }

  afterEach(async () => {
    await server?.close();
    server = undefined;
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });

  /**
   * Opens a connection, writes `head`, then `drip` every 50 ms, and resolves when the server
   * closes it: with what it answered and after how long.
   */
  function slowClient(port: number, head: string, drip: string): Promise<{ answer: string; afterInMs: number }> {
    return new Promise((resolve) => {
      const started = Date.now();
      let answer = '';
      const socket = connect(port, '127.0.0.1', () => socket.write(head));
      const timer = setInterval(() => socket.writable && socket.write(drip), 50);
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ answer, afterInMs: Date.now() - started });
      });
    });
  }

  it('a client that sends its headers slowly is cut off after the header time limit, with 408', async () => {
    const { port } = await start({ headersTimeoutInMs: 300, requestTimeoutInMs: 2_000, checkIntervalInMs: 50 });
    const { answer, afterInMs } = await slowClient(port, 'GET /health/live HTTP/1.1\r\nHost: bot\r\n', 'X-Slow: 1\r\n');
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.ok(afterInMs >= 250 && afterInMs < 1_500, `cut off after ${afterInMs} ms`);
  });

  it('a client that sends its body slowly is cut off after the request time limit', async () => {
    const { port } = await start({ headersTimeoutInMs: 300, requestTimeoutInMs: 700, checkIntervalInMs: 50 });
    const head = 'POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"type":"message","text":"';
    const { answer, afterInMs } = await slowClient(port, head, 'x');
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.ok(afterInMs >= 600 && afterInMs < 2_000, `cut off after ${afterInMs} ms`);
  });

  it('the limits are on the client: a turn that takes longer than them is still answered', async () => {
    const { url } = await start({ headersTimeoutInMs: 200, requestTimeoutInMs: 300, checkIntervalInMs: 50 }, 800);
    const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' });
    assert.equal(res.status, 200);
  });

  it('production values: headers within 10 s, the whole request within 30 s, idle keep-alive 65 s, checked every second', async function () {
    assert.deepEqual(DEFAULT_HTTP_TIMEOUTS, { headersTimeoutInMs: 10_000, requestTimeoutInMs: 30_000, keepAliveTimeoutInMs: 65_000, checkIntervalInMs: 1_000 });
    // The defaults are what a server started without `timeouts` uses: a slowloris client is gone within 11 s.
    this.timeout(20_000);
    const { port } = await start();
    const { answer, afterInMs } = await slowClient(port, 'GET /health/live HTTP/1.1\r\nHost: bot\r\n', 'X-Slow: 1\r\n');
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.ok(afterInMs >= 9_900 && afterInMs < 11_500, `cut off after ${afterInMs} ms`);
  });
});

describe('the HTTP edge: pages and refusals never repeat a secret path', () => {
  const TOKEN = 'Zk3x9QpL2mN8vB4cD6fG1hJ5kR7tW0yA';
  let server: RunningServer;
  let logLines: string[];
  let handled: Array<string | undefined>;

  beforeEach(async () => {
    logLines = [];
    handled = [];
    configureLogging({ level: 'debug', sink: (line) => logLines.push(line) });
    const page = (p: Record<string, string | undefined>) => {
      handled.push(p['token']);
      return { status: 200, contentType: 'text/html; charset=utf-8', headers: {}, body: '<p>asked</p>' };
    };
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 10_000,
      mode: 'production',
      healthChecks: [],
      handleMessages: async (_req, res) => void res.send(200),
      pages: [
        { method: 'GET', path: '/dispute/:token', handle: page },
        { method: 'POST', path: '/dispute/:token', handle: page },
      ],
    });
  });
  afterEach(async () => {
    await server.close();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });

  it('an unknown path is refused with fixed words and logged with the secret segment redacted', async () => {
    const res = await fetch(`${server.url}/dispute/${TOKEN}//`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: { code: 'ResourceNotFoundError', message: 'There is nothing at this address.' } });
    assert.equal(logLines.length, 1);
    assert.match(logLines[0]!, /"msg":"request rejected","method":"GET","path":"\/dispute\/\{id\}\/\/","status":404/);
    assert.ok(!logLines[0]!.includes(TOKEN));
  });

  it('a method the link does not take is refused with 405, without the URL in the answer or the log', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const res = await fetch(`${server.url}/dispute/${TOKEN}`, { method });
      assert.equal(res.status, 405, method);
      assert.ok(!(await res.text()).includes(TOKEN), method);
    }
    assert.equal(logLines.length, 4);
    assert.ok(!logLines.join('\n').includes(TOKEN));
  });

  it('the page answers HEAD like GET, without a body or a warning, and a trailing slash is the same page', async () => {
    const head = await fetch(`${server.url}/dispute/${TOKEN}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    const slash = await fetch(`${server.url}/dispute/${TOKEN}/`);
    assert.equal(slash.status, 200);
    assert.deepEqual(handled, [TOKEN, TOKEN]);
    assert.deepEqual(logLines, []);
  });
});
