import assert from 'node:assert/strict';
import { configureLogging } from '../src/log';
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
