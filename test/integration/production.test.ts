/**
 * Production mode, as deployed: credentials configured means real Bot Framework token
 * checks and no sandbox, ever. Graph points at a closed loopback port so nothing leaves
 * this machine; /health must say so instead of pretending.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import sinon from 'sinon';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/app';
import { configureLogging } from '../../src/log';
import { startServer } from '../../src/web/server';

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('production mode', function () {
  this.timeout(30_000);
  let app: RunningApp | undefined;
  let dir: string;

  before(async () => {
    configureLogging({ level: 'silent' });
    dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-prod-'));
    const dead = `https://127.0.0.1:${await closedPort()}`;
    app = await startApp(loadConfig({
      MicrosoftAppId: '66666666-7777-4888-9999-000000000000',
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppTenantId: '11111111-2222-4333-8444-555555555555',
      HELPDESK_GROUP_ID: '12345678-1234-4234-8234-123456789012',
      GRAPH_BASE_URL: dead,
      AUTHORITY_HOST: dead,
      HOST: '127.0.0.1',
      PORT: '0',
      SQLITE_PATH: path.join(dir, 'bot.sqlite'),
    }));
  });
  after(async () => {
    await app?.stop();
    configureLogging({ level: 'info' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('never starts the sandbox', () => {
    assert.equal(app?.config.mode, 'production');
    assert.equal(app?.sandbox, undefined);
  });

  const activity = {
    type: 'message', id: '1', channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/emea/', text: 'tap megan@contoso.com',
    from: { id: '29:x', aadObjectId: 'a0000000-0000-4000-8000-000000000001' },
    conversation: { id: 'a:1', conversationType: 'personal', tenantId: '11111111-2222-4333-8444-555555555555' },
    channelData: { tenant: { id: '11111111-2222-4333-8444-555555555555' } },
    recipient: { id: '28:bot' },
  };

  // botbuilder prints each rejected token's stack with console.error; keep test output readable.
  beforeEach(() => sinon.stub(console, 'error'));
  afterEach(() => sinon.restore());

  for (const [title, headers] of [
    ['without any token', {}],
    ['with a forged bearer token', { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.' }],
    ['with Basic credentials', { authorization: 'Basic dXNlcjpwYXNz' }],
  ] as const) {
    it(`rejects an activity ${title} with 401`, async () => {
      const res = await fetch(`${app!.messagesUrl}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      assert.equal(res.status, 401);
    });
  }

  it('reports Graph unreachable on /health with 503 instead of pretending', async () => {
    const res = await fetch(`${app!.server.url}/health`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; error?: string }> };
    assert.equal(body.status, 'degraded');
    assert.equal(body.checks.storage?.ok, true);
    assert.equal(body.checks.graph?.ok, false);
    assert.ok(!JSON.stringify(body).includes('not-a-real-secret'));
  });
});

describe('the HTTP edge', function () {
  this.timeout(20_000);
  it('answers a body that is too large with 413 and bad JSON with 400, in one JSON error shape', async () => {
    configureLogging({ level: 'silent' });
    let handled = 0;
    const server = await startServer({
      host: '127.0.0.1', port: 0, maxBodyBytes: 1024, mode: 'sandbox', healthChecks: [],
      handleMessages: async (_req, res) => { handled++; res.send(200); },
    });
    try {
      const post = (body: string) => fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const big = await post(JSON.stringify({ type: 'message', text: 'x'.repeat(5000) }));
      assert.equal(big.status, 413);
      const bad = await post('{"type":');
      assert.equal(bad.status, 400);
      assert.ok(((await bad.json()) as { error?: { message?: string } }).error?.message);
      const arr = await post('[1,2]');
      assert.equal(arr.status, 400);
      assert.equal(handled, 0, 'nothing malformed reached the bot');
      assert.equal((await post('{"type":"message"}')).status, 200);
    } finally {
      await server.close();
      configureLogging({ level: 'info' });
    }
  });
});
