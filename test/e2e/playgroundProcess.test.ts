/**
 * The Playground launcher: config it writes, readiness, and that it never leaves a
 * process behind. Spawns the real Playground (about 1 s each) but needs no browser.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { startPlayground, startPlaygrounds } from '../../dev/playground';
import { PLAYGROUND_GUARD, PLAYGROUND_USER_COUNT, buildPlaygroundConfig, type PlaygroundOptions } from '../../dev/playgroundConfig';
import { introduced } from '../../dev/playgroundIntroduction';
import { SANDBOX_TENANT_ID, USERS } from '../../sandbox/ids';
import { PERSONAS, personaPeople, personaPorts } from '../../dev/personas';

const BOT_ENDPOINT = 'http://127.0.0.1:9/api/messages'; // nothing listens: not needed here

function options(overrides: Partial<PlaygroundOptions> = {}): PlaygroundOptions {
  return {
    port: 0,
    botEndpoint: BOT_ENDPOINT,
    persona: USERS.adele,
    tenantId: SANDBOX_TENANT_ID,
    people: Object.values(USERS),
    ...overrides,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of processes whose working directory is `dir` (Linux /proc). */
async function processesIn(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
    if (cwd === dir) pids.push(Number(entry));
  }
  return pids;
}

function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    })
      .on('error', reject)
      .end();
  });
}

/** A stand-in bot: records every activity and answers each with `status`. */
async function recordingBot(status: number): Promise<{ endpoint: string; activities: Array<Record<string, unknown>>; close(): Promise<void> }> {
  const activities: Array<Record<string, unknown>> = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && text) activities.push(JSON.parse(text) as Record<string, unknown>);
      // Separate calls: restify (loaded by other suites) patches writeHead so it no longer returns `this`.
      res.writeHead(status);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    activities,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('Playground launcher @e2e', function () {
  this.timeout(60_000);
  afterEach(() => sinon.restore());

  it('lists exactly 5 other people, never the persona, with Teams-like user ids', () => {
    const config = buildPlaygroundConfig(options());
    const users = config.users as Array<{ id: string; aadObjectId: string; userPrincipleName: string }>;
    const me = config.currentUser as { id: string; aadObjectId: string; userPrincipleName: string };
    assert.equal(config.version, '0.1.1');
    assert.equal(config.tenantId, SANDBOX_TENANT_ID);
    assert.equal(users.length, PLAYGROUND_USER_COUNT);
    assert.ok(!users.some((u) => u.aadObjectId === USERS.adele.id));
    assert.deepEqual(
      { id: me.id, aadObjectId: me.aadObjectId, upn: me.userPrincipleName },
      { id: `29:${USERS.adele.id}`, aadObjectId: USERS.adele.id, upn: USERS.adele.upn },
    );
  });

  it('refuses to build a config with fewer than 5 other people', () => {
    const people = [USERS.adele, USERS.alex, USERS.nestor, USERS.lee, USERS.megan];
    assert.throws(() => buildPlaygroundConfig(options({ people })), /needs 5 people besides the persona; got 4/);
  });

  it('serves the persona of its config, and stop() ends the process', async () => {
    const playground = await startPlayground(options({ persona: USERS.nestor }));
    try {
      assert.ok(isAlive(playground.pid));
      const members = await getJson(
        `${playground.serviceUrl}/v3/conversations/${encodeURIComponent(playground.personalChatId)}/members`.replace(
          'localhost',
          '127.0.0.1',
        ),
      );
      assert.equal(members.status, 200);
      const [member] = members.body as Array<{ objectId: string; userPrincipalName: string; tenantId: string }>;
      assert.deepEqual(
        { objectId: member?.objectId, upn: member?.userPrincipalName, tenantId: member?.tenantId },
        { objectId: USERS.nestor.id, upn: USERS.nestor.upn, tenantId: SANDBOX_TENANT_ID },
      );
    } finally {
      await playground.stop();
    }
    assert.equal(isAlive(playground.pid), false);
  });

  it('a config the Playground rejects fails the start with its reason and leaves no process', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'tap-playground-test-'));
    try {
      const persona = { ...USERS.adele, name: 'x'.repeat(300) }; // schema: name ≤ 256
      await assert.rejects(startPlayground(options({ persona, workDir })), /must NOT have more than 256 characters/);
      assert.deepEqual(await processesIn(workDir), []);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  it('two Playgrounds run side by side on their own ports, and stopAll ends both', async () => {
    const both = await startPlaygrounds({ agent: USERS.adele, manager: USERS.nestor }, options());
    try {
      assert.notEqual(both.agent.port, both.manager.port);
      assert.notEqual(both.agent.workDir, both.manager.workDir);
      assert.notEqual(both.agent.personalChatId, both.manager.personalChatId);
    } finally {
      await both.stopAll();
    }
    assert.equal(isAlive(both.agent.pid), false);
    assert.equal(isAlive(both.manager.pid), false);
  });

  it('introduceToBot does what opening the page does: installationUpdate and conversationUpdate from the persona, with its serviceUrl, and the bot\'s statuses', async () => {
    const bot = await recordingBot(200);
    const playground = await startPlayground(options({ persona: USERS.joni, botEndpoint: bot.endpoint }));
    try {
      const introduction = await playground.introduceToBot();
      assert.deepEqual(introduction, { installationUpdate: 200, conversationUpdate: 200 });
      assert.equal(introduced(introduction), true);
      const types = bot.activities.map((a) => a.type).sort();
      assert.deepEqual(types, ['conversationUpdate', 'installationUpdate']);
      for (const activity of bot.activities) {
        const from = activity.from as { id: string; aadObjectId: string };
        const conversation = activity.conversation as { id: string; conversationType: string; tenantId: string };
        assert.equal(activity.serviceUrl, playground.serviceUrl);
        assert.deepEqual({ id: from.id, aadObjectId: from.aadObjectId }, { id: playground.userId, aadObjectId: USERS.joni.id });
        assert.deepEqual(
          { id: conversation.id, type: conversation.conversationType, tenantId: conversation.tenantId },
          { id: playground.personalChatId, type: 'personal', tenantId: SANDBOX_TENANT_ID },
        );
      }
      assert.equal(bot.activities.find((a) => a.type === 'installationUpdate')?.action, 'add');
    } finally {
      await playground.stop();
      await bot.close();
    }
  });

  it('introduceToBot reports a bot that refuses the introduction', async () => {
    const bot = await recordingBot(500);
    const playground = await startPlayground(options({ persona: USERS.lee, botEndpoint: bot.endpoint }));
    try {
      const introduction = await playground.introduceToBot({ timeoutInMs: 5000 });
      assert.equal(introduction.installationUpdate, 500);
      assert.equal(introduced(introduction), false);
    } finally {
      await playground.stop();
      await bot.close();
    }
  });

  it('startPlaygrounds starts every persona of the table in parallel, each on the port asked for (or a free one when it is taken), and stopAll ends them all', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as AddressInfo).port;
    const ports = { ...personaPorts({ agentPort: 0, managerPort: takenPort }), fallback: 0, skipLevel: 0, owner: 0 };
    const started = Date.now();
    const all = await startPlaygrounds(personaPeople(), options(), ports);
    try {
      const instances = PERSONAS.map((p) => all[p.key]);
      assert.equal(new Set(instances.map((i) => i.port)).size, PERSONAS.length, 'one port each');
      assert.notEqual(all.manager.port, takenPort, 'a taken port makes the Playground pick a free one');
      assert.ok(Date.now() - started < 30_000, `five Playgrounds in ${Date.now() - started} ms`);
    } finally {
      await all.stopAll();
      await new Promise((resolve) => taken.close(resolve));
    }
    for (const p of PERSONAS) assert.equal(isAlive(all[p.key].pid), false, p.key);
  });

  it('personaPorts: agent and manager from the config, the others from it when set, else their defaults', () => {
    assert.deepEqual(personaPorts({ agentPort: 1000, managerPort: 1001 }), { agent: 1000, manager: 1001, fallback: 56152, skipLevel: 56153, owner: 56154 });
    assert.deepEqual(
      personaPorts({ agentPort: 1000, managerPort: 1001, fallbackPort: 1002, skipLevelPort: 1003, ownerPort: 1004 }),
      { agent: 1000, manager: 1001, fallback: 1002, skipLevel: 1003, owner: 1004 },
    );
    assert.deepEqual(PERSONAS.map((p) => p.person.name), ['Adele Vance', 'Nestor Wilke', 'Joni Sherman', 'Lee Gu', 'Megan Bowen']);
  });
});

/**
 * The guard preloaded into every Playground, on a plain node: every way of listening
 * without a host (or with a wildcard one) ends up on 127.0.0.1; pipes are left alone.
 * npm start's own check of the real Playgrounds is in localStack.signals.test.ts.
 */
describe('Playground guard: loopback only', () => {
  it('turns every listen() without a host, or with a wildcard host, into one on 127.0.0.1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tap-playground-guard-'));
    try {
      const guard = join(dir, 'guard.cjs');
      await writeFile(guard, PLAYGROUND_GUARD, 'utf8');
      const script = `
        const http = require('node:http');
        const net = require('node:net');
        const forms = {
          'listen()': (s) => s.listen(),
          'listen(cb)': (s) => s.listen(() => {}),
          'listen(0)': (s) => s.listen(0),
          'listen("0", cb)': (s) => s.listen('0', () => {}),
          'listen(0, backlog, cb)': (s) => s.listen(0, 511, () => {}),
          'listen(0, undefined, cb)': (s) => s.listen(0, undefined, () => {}),
          'listen(0, "0.0.0.0")': (s) => s.listen(0, '0.0.0.0'),
          'listen(0, "::", backlog, cb)': (s) => s.listen(0, '::', 5, () => {}),
          'listen({ port: 0 })': (s) => s.listen({ port: 0 }),
          'listen({ port: 0, host: "::" }, cb)': (s) => s.listen({ port: 0, host: '::' }, () => {}),
        };
        (async () => {
          const out = {};
          for (const [name, form] of Object.entries(forms)) {
            const server = http.createServer();
            await new Promise((resolve) => { server.once('listening', resolve); form(server); });
            out[name] = server.address().address;
            await new Promise((resolve) => server.close(resolve));
          }
          const pipe = net.createServer();
          await new Promise((resolve) => pipe.listen(${JSON.stringify(join(dir, 'pipe.sock'))}, resolve));
          out.pipe = pipe.address();
          pipe.close();
          process.stdout.write(JSON.stringify(out));
        })();`;
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['--require', guard, '-e', script], { timeout: 20_000 }, (error, out) => (error ? reject(error) : resolve(out))),
      );
      const addresses = JSON.parse(stdout) as Record<string, string>;
      const { pipe, ...tcp } = addresses;
      assert.equal(Object.keys(tcp).length, 10);
      for (const [form, address] of Object.entries(tcp)) assert.equal(address, '127.0.0.1', form);
      assert.equal(pipe, join(dir, 'pipe.sock'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
