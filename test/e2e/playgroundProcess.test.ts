/**
 * The Playground launcher: config it writes, readiness, and that it never leaves a
 * process behind. Spawns the real Playground (about 1 s each) but needs no browser.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import {
  PLAYGROUND_GUARD,
  PLAYGROUND_USER_COUNT,
  buildPlaygroundConfig,
  startPlayground,
  startPlaygrounds,
  type PlaygroundOptions,
} from '../../src/dev/playground';
import { SANDBOX_TENANT_ID, USERS } from '../../sandbox/ids';

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
