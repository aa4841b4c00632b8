/**
 * What a newcomer sees in the terminal of `npm start` (sandbox mode): the real dev/start.ts
 * started as a child process on free ports, as in localStack.signals.test.ts. The banner with
 * the next steps comes after start-up and stays the last thing printed until something
 * happens; then one short line per event, never a JSON line, a deprecation warning or a
 * warning about the Playground's HEAD probe. The JSON lines go to the file the banner names.
 * Needs no browser (not @e2e).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SANDBOX_TENANT_ID, USERS } from '../../sandbox/ids';
import { PERSONAS } from '../../dev/personas';
import { freePort, gone, stopProcessGroup, waitFor } from '../support/processGroup';

const ROOT = resolve(__dirname, '..', '..');
const READY = 'Press Ctrl-C to stop everything.';
const START_TIMEOUT_IN_MS = 60_000;
const STOP_TIMEOUT_IN_MS = 20_000;
/** Settings that would switch to production mode or change what is started. */
const UNWANTED_ENV = [
  'MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppCertificateThumbprint', 'MicrosoftAppTenantId',
  'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET', 'GRAPH_CERTIFICATE_PATH', 'GRAPH_AUTH', 'TENANT_ID',
  'HOST', 'STORAGE', 'BLOB_CONNECTION_STRING', 'PLAYGROUND', 'NODE_OPTIONS',
];
/** A line of the terminal as formatHuman writes it. */
const HUMAN_LINE = /^\d\d:\d\d:\d\d {2}\S/;

/** A Teams-like message from a Playground persona, as the Playground itself would post it. */
function messageFrom(person: { id: string; name: string }, playgroundPort: number, text: string): Record<string, unknown> {
  return {
    type: 'message',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: `http://localhost:${playgroundPort}/_connector`,
    from: { id: `29:${person.id}`, name: person.name, aadObjectId: person.id },
    recipient: { id: '28:tap-helpdesk-bot', name: 'TAP Helpdesk' },
    conversation: { id: `a:playground-personal-${person.id}`, conversationType: 'personal', tenantId: SANDBOX_TENANT_ID },
    channelData: { tenant: { id: SANDBOX_TENANT_ID } },
    locale: 'en-US',
    text,
  };
}

describe('the terminal of npm start in sandbox mode: short lines, the next steps visible, the JSON in a file', function () {
  this.timeout(START_TIMEOUT_IN_MS + STOP_TIMEOUT_IN_MS + 20_000);
  let dir: string;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tapbot-terminal-'));
  });

  afterEach(async () => {
    // Ctrl-C to its process group stops the bot and its Playgrounds; SIGKILL if it hangs
    // (the Playgrounds then exit on their own when their channel to the bot closes).
    await stopProcessGroup(child, STOP_TIMEOUT_IN_MS);
    child = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  /** dev/start.ts as `npm start` runs it, with these settings on top of a clean environment. */
  async function start(settings: Record<string, string>): Promise<{ output: () => string; botUrl: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of UNWANTED_ENV) delete env[key];
    Object.assign(env, { PORT: '0', SQLITE_PATH: join(dir, 'bot.sqlite'), LOG_LEVEL: 'info' }, settings);
    // Its own process group, as a terminal gives a foreground job.
    const started = spawn(process.execPath, [require.resolve('tsx/cli'), 'dev/start.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let output = '';
    started.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    started.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await waitFor('the ready banner', START_TIMEOUT_IN_MS, () => output.includes(READY) || gone(started), () => output);
    assert.ok(!gone(started), `exited before it was ready:\n${output}`);
    const botUrl = /Bot listening on (http:\/\/127\.0\.0\.1:\d+\/api\/messages)/.exec(output)?.[1];
    assert.ok(botUrl, output);
    return { output: () => output, botUrl };
  }

  it('after the banner: no JSON line, no DeprecationWarning, no HEAD warning; a message round trip prints one readable line; the banner names the JSON log file', async () => {
    const agentPort = await freePort();
    const managerPort = await freePort();
    const { output: outputNow, botUrl } = await start({
      SANDBOX_GRAPH_PORT: '0',
      PLAYGROUND_AGENT_PORT: String(agentPort),
      PLAYGROUND_MANAGER_PORT: String(managerPort),
    });
    const banner = outputNow();
    for (const persona of PERSONAS) {
      const tab = new RegExp(`^  http://127\\.0\\.0\\.1:\\d+ +${persona.person.name} +${persona.tryHere}$`, 'm');
      assert.match(banner, tab, `a line for ${persona.person.name}'s tab: who you are there and what to try`);
    }
    assert.match(banner, /The bot already knows everyone\. Open all the tabs before asking/, 'every persona introduced; the tabs opened first');
    assert.match(banner, /In Adele's tab type {2}tap megan@contoso\.com/, 'the next steps are in the banner');
    assert.match(banner, /A second pass for the same person within 7 days needs four eyes: Joni Sherman approves in her tab too\./);
    const logPath = join(dir, 'bot.log.jsonl');
    assert.equal(/The full log \(JSON lines\) is in (\S+);/.exec(banner)?.[1], logPath, 'the banner names the log file, next to the database');

    // What the Playground does when a chat opens, then a round trip with each persona.
    const probe = await fetch(botUrl, { method: 'HEAD' });
    assert.equal(probe.status, 405);
    const post = (activity: Record<string, unknown>): Promise<Response> =>
      fetch(botUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    assert.equal((await post(messageFrom(USERS.adele, agentPort, 'help'))).status, 200);
    // Nestor is a manager, not an agent: the refusal is audited, so it gets a terminal line.
    assert.equal((await post(messageFrom(USERS.nestor, managerPort, 'tap megan@contoso.com'))).status, 200);
    await waitFor('the line of the refusal', 10_000, () => /Nestor Wilke is not a helpdesk agent/.test(outputNow()), outputNow);
    await new Promise((r) => setTimeout(r, 500)); // anything else the turns print
    const output = outputNow();

    assert.doesNotMatch(output, /DeprecationWarning|DEP0111/);
    assert.doesNotMatch(output, /HEAD/);
    const jsonLines = output.split('\n').filter((l) => l.trimStart().startsWith('{'));
    assert.deepEqual(jsonLines, [], 'no JSON line in the terminal');
    const afterBanner = output.slice(output.indexOf(READY) + READY.length).split('\n').filter((l) => l.trim() !== '');
    assert.ok(afterBanner.length > 0 && afterBanner.length <= 3, `a line or two per event, not a flood:\n${afterBanner.join('\n')}`);
    for (const line of afterBanner) {
      assert.match(line, HUMAN_LINE, 'every line after the banner is a short, timed line');
      assert.doesNotMatch(line, /warning|ERROR/, 'the round trips went through');
    }
    assert.ok(afterBanner.some((l) => /^\d\d:\d\d:\d\d {2}Nestor Wilke is not a helpdesk agent$/.test(l)), afterBanner.join('\n'));

    const file = (await readFile(logPath, 'utf8')).split('\n').filter((l) => l !== '');
    const records = file.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(records.some((r) => r.msg === 'sandbox tenant listening'), 'start-up lines are in the file');
    assert.ok(
      records.some((r) => r.logger === 'audit' && r.action === 'agent.refused' && r.actorId === USERS.nestor.id),
      'the audit event behind the terminal line is in the file, in full',
    );
  });

  it('production mode still writes one JSON line per event to stdout, and no log file', async () => {
    const dead = `https://127.0.0.1:${await freePort()}`;
    const { output, botUrl } = await start({
      MicrosoftAppId: '66666666-7777-4888-9999-000000000000',
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppTenantId: '11111111-2222-4333-8444-555555555555',
      HELPDESK_GROUP_ID: '12345678-1234-4234-8234-123456789012',
      GRAPH_BASE_URL: dead,
      AUTHORITY_HOST: dead,
      HOST: '127.0.0.1',
    });
    // A request restify refuses is a logged event.
    assert.equal((await fetch(botUrl, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 405);
    await waitFor('the JSON line of the refused request', 10_000, () => /"msg":"request rejected"/.test(output()), output);
    const events = output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(events.some((e) => e.logger === 'server' && e.level === 'warn' && e.method === 'PUT'), output());
    assert.doesNotMatch(output(), /^\d\d:\d\d:\d\d {2}/m, 'no terminal-style line');
    assert.doesNotMatch(output(), /DeprecationWarning/);
    await assert.rejects(readFile(join(dir, 'bot.log.jsonl')), 'no log file in production');
  });
});

describe("quietDeprecations: restify's process.binding('http_parser') warning, and only that, is silenced", () => {
  /** stderr of a node process (with tsx) that runs `code`. */
  function stderrOf(code: string): string {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    const run = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', code], { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    return run.stderr;
  }
  const OTHER_WARNING = "process.emitWarning('something else is deprecated', 'DeprecationWarning', 'DEP0999');";

  it('without it, loading restify prints DEP0111 (so the test below can fail)', () => {
    assert.match(stderrOf(`require('restify'); ${OTHER_WARNING}`), /DEP0111/);
  });

  it('with it loaded first, restify prints no DEP0111, and another deprecation warning still prints', () => {
    const stderr = stderrOf(`require('./src/quietDeprecations'); require('restify'); ${OTHER_WARNING}`);
    assert.doesNotMatch(stderr, /DEP0111|http_parser/);
    assert.match(stderr, /\[DEP0999\] DeprecationWarning: something else is deprecated/);
  });

  it('another use of process.binding still warns (only http_parser is dropped)', () => {
    const stderr = stderrOf(`require('./src/quietDeprecations'); process.binding('url');`);
    assert.match(stderr, /\[DEP0111\] DeprecationWarning: Access to process.binding\('url'\)/);
  });
});
