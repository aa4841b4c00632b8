/**
 * The admin commands beside a running `npm start`: dev/start.ts as a child process on a fixed
 * sandbox port (as a person runs it), then `npm run doctor` and `npm run bulk` as child
 * processes with the same settings. They join the sandbox tenant the bot uses instead of
 * starting a second on its port (which failed with EADDRINUSE), so the bulk command sees the
 * request the bot made (storage) and makes its passes in the bot's tenant (the sandbox).
 * Needs no browser (not @e2e).
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { discoveryPath, findRunningSandbox, publishSandbox, type PublishedSandbox } from '../../dev/sandboxDiscovery';
import { startSandbox } from '../../sandbox/server';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_TENANT_ID, USERS } from '../../sandbox/ids';
import { freePort, gone, stopProcessGroup, waitFor } from '../support/processGroup';

const ROOT = resolve(__dirname, '..', '..');
const READY = 'Press Ctrl-C to stop everything.';
const START_TIMEOUT_IN_MS = 60_000;
const STOP_TIMEOUT_IN_MS = 20_000;
/** Settings that would switch to production mode or change what is started. */
const UNWANTED_ENV = [
  'MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppCertificateThumbprint', 'MicrosoftAppTenantId',
  'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET', 'GRAPH_CERTIFICATE_PATH', 'GRAPH_AUTH', 'TENANT_ID',
  'HOST', 'STORAGE', 'BLOB_CONNECTION_STRING', 'PLAYGROUND', 'NODE_OPTIONS', 'SANDBOX_GRAPH_PORT',
];


function runScript(script: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [require.resolve('tsx/cli'), join(ROOT, script), ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** An HTTPS call to the published sandbox tenant, trusting exactly its CA. */
function sandboxCall(sandbox: PublishedSandbox, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: unknown }> {
  return new Promise((done, fail) => {
    const req = request(`${sandbox.origin}${path}`, { method, headers, ca: sandbox.caPem }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** The passes a user holds in that sandbox tenant, read through Graph as the bot reads them. */
async function passesIn(sandbox: PublishedSandbox, userId: string): Promise<unknown[]> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET, scope: 'https://graph.microsoft.com/.default' }).toString();
  const token = await sandboxCall(sandbox, 'POST', `/${SANDBOX_TENANT_ID}/oauth2/v2.0/token`, { 'content-type': 'application/x-www-form-urlencoded' }, form);
  const accessToken = (token.body as { access_token?: string }).access_token;
  assert.ok(accessToken, JSON.stringify(token.body));
  const taps = await sandboxCall(sandbox, 'GET', `/v1.0/users/${userId}/authentication/temporaryAccessPassMethods`, { authorization: `Bearer ${accessToken}` });
  assert.equal(taps.status, 200);
  return (taps.body as { value: unknown[] }).value;
}

describe('npm run doctor and npm run bulk beside a running npm start (sandbox mode)', function () {
  this.timeout(START_TIMEOUT_IN_MS + STOP_TIMEOUT_IN_MS + 120_000);
  let dir: string;
  let child: ChildProcess | undefined;
  let stopConnector: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tapbot-beside-'));
  });

  afterEach(async () => {
    await stopProcessGroup(child, STOP_TIMEOUT_IN_MS);
    child = undefined;
    await stopConnector?.();
    stopConnector = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('both join the sandbox tenant the bot uses: the doctor is all green, and bulk sees the request the bot made and makes its passes where the bot sees them', async () => {
    const sandboxPort = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of UNWANTED_ENV) delete env[key];
    Object.assign(env, { PORT: '0', SQLITE_PATH: join(dir, 'bot.sqlite'), SANDBOX_GRAPH_PORT: String(sandboxPort), PLAYGROUND: 'false', LOG_LEVEL: 'info' });

    const started = spawn(process.execPath, [require.resolve('tsx/cli'), 'dev/start.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let output = '';
    started.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    started.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await waitFor('the ready banner', START_TIMEOUT_IN_MS, () => output.includes(READY) || gone(started), () => output);
    assert.ok(!gone(started), `exited before it was ready:\n${output}`);
    const botUrl = /Bot listening on (http:\/\/127\.0\.0\.1:\d+\/api\/messages)/.exec(output)?.[1];
    assert.ok(botUrl, output);
    const published = JSON.parse(await readFile(discoveryPath(sandboxPort), 'utf8')) as PublishedSandbox;
    assert.equal(published.origin, `https://127.0.0.1:${sandboxPort}`);

    // Teams' side of the chats: a connector that takes whatever the bot sends. Nestor, Ana's
    // manager, is introduced to the bot (as opening his chat would), so he can be asked.
    const connector = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: randomUUID() }));
      });
    });
    await new Promise<void>((r) => connector.listen(0, '127.0.0.1', () => r()));
    stopConnector = () => new Promise<void>((r) => connector.close(() => r()));
    const serviceUrl = `http://127.0.0.1:${(connector.address() as { port: number }).port}/_connector`;
    const activity = (person: { id: string; name: string }, rest: Record<string, unknown>): string =>
      JSON.stringify({
        id: randomUUID(),
        timestamp: new Date().toISOString(),
        channelId: 'msteams',
        serviceUrl,
        from: { id: `29:${person.id}`, name: person.name, aadObjectId: person.id },
        recipient: { id: '28:tap-helpdesk-bot', name: 'TAP Helpdesk' },
        conversation: { id: `a:personal-${person.id}`, conversationType: 'personal', tenantId: SANDBOX_TENANT_ID },
        channelData: { tenant: { id: SANDBOX_TENANT_ID } },
        locale: 'en-US',
        ...rest,
      });
    const introduced = await fetch(botUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: activity(USERS.nestor, { type: 'installationUpdate', action: 'add' }) });
    assert.ok(introduced.status >= 200 && introduced.status < 300, String(introduced.status));

    // The bot makes a request for Ana (the agent submits the form, as the Playground would).
    const submit = await fetch(botUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: activity(USERS.adele, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'tap.submit', data: { target: USERS.ana.upn, reason: 'First day, laptop at the desk', scenario: 'recovery' } } },
      }),
    });
    const answered = await submit.text();
    assert.equal(submit.status, 200, answered);
    assert.match(answered, /TAP-[A-Z0-9]+/, answered.slice(0, 2000));
    assert.doesNotMatch(answered, /could not be delivered/, 'Nestor was asked');

    const [doctor, bulk] = await Promise.all([
      runScript('scripts/doctor.ts', [], env, dir),
      runScript('scripts/bulk.ts', ['--group', 'New Joiners', '--as', USERS.joni.upn, '--start', 'now', '--yes', '--out', join(dir, 'codes.csv')], env, dir),
    ]);
    for (const run of [doctor, bulk]) assert.doesNotMatch(run.stdout + run.stderr, /EADDRINUSE/);

    assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
    assert.match(doctor.stdout, new RegExp(`checking the local sandbox tenant at https://127\\.0\\.0\\.1:${sandboxPort} \\(the one the running npm start uses\\)`));

    assert.match(bulk.stderr, /It is the one the running npm start uses: the bot sees these passes\./);
    assert.match(bulk.stdout + bulk.stderr, /Ana Costa[^\n]*open request/i, `the request the bot made keeps Ana out of the bulk run:\n${bulk.stdout}${bulk.stderr}`);
    assert.ok(existsSync(join(dir, 'codes.csv')), bulk.stdout + bulk.stderr);
    const csv = await readFile(join(dir, 'codes.csv'), 'utf8');
    assert.ok(csv.includes(USERS.ben.upn), csv.split('\n')[0]);
    assert.ok(!csv.includes(USERS.ana.upn));
    // The pass is in the sandbox tenant the bot runs: the bot sees it.
    assert.equal((await passesIn(published, USERS.ben.id)).length, 1);
    assert.ok(!gone(started), 'npm start still runs');

    // Stopped, npm start withdraws what it published; the commands then start their own sandbox.
    process.kill(-(started.pid as number), 'SIGINT');
    await waitFor('npm start to stop', STOP_TIMEOUT_IN_MS, () => gone(started), () => output);
    assert.equal(existsSync(discoveryPath(sandboxPort)), false, 'the published file is withdrawn');
    const alone = await runScript('scripts/doctor.ts', [], env, dir);
    assert.equal(alone.code, 0, alone.stdout + alone.stderr);
    assert.doesNotMatch(alone.stdout, /the one the running npm start uses/);
    assert.ok((await readdir(dir)).includes('codes.csv'));
  });
});

describe('finding the sandbox tenant npm start published (dev/sandboxDiscovery.ts)', function () {
  this.timeout(30_000);

  it('counts only a published sandbox that answers with a certificate of the CA it names: a stale or forged file is ignored', async () => {
    const port = await freePort();
    const running = await startSandbox({ port });
    try {
      const withdraw = await publishSandbox(port, running);
      assert.equal((await findRunningSandbox(port))?.origin, running.origin);
      await withdraw();
      assert.equal(existsSync(discoveryPath(port)), false);
      // A CA that did not sign the certificate of the sandbox on that port (here a public root): not trusted, not joined.
      await publishSandbox(port, { origin: running.origin, caPem: rootCertificates[0] ?? '' });
      assert.equal(await findRunningSandbox(port), undefined);
      // The sandbox that published is gone (a process killed without cleaning up).
      await publishSandbox(port, running);
      await running.stop();
      assert.equal(await findRunningSandbox(port), undefined);
    } finally {
      await rm(discoveryPath(port), { force: true });
      await running.stop().catch(() => undefined);
    }
  });
});
