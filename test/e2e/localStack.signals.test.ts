/**
 * `npm start` in sandbox mode as a process manager sees it: the real dev/start.ts (bot,
 * sandbox tenant, one Agents Playground per persona of dev/personas.ts) started as a
 * child process (agent and manager on free ports; the others on their default ports, or a
 * free one when those are taken, which the banner shows). Every
 * socket the process tree listens on is on 127.0.0.1, and however the tree is told to stop,
 * every process of it exits and every port is free again. Needs no browser (not @e2e), but
 * reads Linux's /proc.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PERSONAS, type PersonaKey } from '../../dev/personas';

const ROOT = resolve(__dirname, '..', '..');
const READY = 'Press Ctrl-C to stop everything.';
const START_TIMEOUT_IN_MS = 60_000;
/** Generous: two cores shared with other work. */
const STOP_BOUND_IN_MS = 20_000;
/** Settings that would switch to production mode or move the bot off loopback. */
const UNWANTED_ENV = [
  'MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppCertificateThumbprint', 'MicrosoftAppTenantId',
  'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET', 'GRAPH_CERTIFICATE_PATH', 'GRAPH_AUTH', 'TENANT_ID',
  'HOST', 'STORAGE', 'BLOB_CONNECTION_STRING', 'PLAYGROUND',
];

/** A process, told apart from a later one with the same pid by its start time. */
interface Proc {
  pid: number;
  startTime: string;
  cmdline: string;
}

interface Listener {
  address: string;
  port: number;
  inode: string;
}

async function statOf(pid: number): Promise<{ ppid: number; state: string; startTime: string } | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (fields.length < 20) return undefined;
  return { state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
}

/** `root` and all its descendants, detached process groups included (they keep their parent). */
async function processTree(root: number): Promise<Proc[]> {
  const children = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await statOf(Number(entry));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const tree: Proc[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    const stat = await statOf(pid);
    if (!stat) continue;
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ').trim();
    tree.push({ pid, startTime: stat.startTime, cmdline });
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Still running: present with the same start time, and not a zombie waiting to be reaped. */
async function isRunning(p: Proc): Promise<boolean> {
  const stat = await statOf(p.pid);
  return stat !== undefined && stat.startTime === p.startTime && stat.state !== 'Z';
}

/** "0100007F:1F90" (little-endian IPv4) or the 32-hex-digit IPv6 form → address and port. */
function decodeAddress(hex: string): { address: string; port: number } {
  const [host = '', port = '0'] = hex.split(':');
  if (host.length === 8) {
    const bytes = host.match(/../g)?.map((b) => parseInt(b, 16)).reverse() ?? [];
    return { address: bytes.join('.'), port: parseInt(port, 16) };
  }
  const words = host.match(/.{8}/g)?.map((w) => (w.match(/../g) ?? []).reverse().join('')) ?? [];
  const groups = words.join('').match(/.{4}/g)?.map((g) => g.replace(/^0+(?=.)/, '')) ?? [];
  return { address: groups.join(':'), port: parseInt(port, 16) };
}

/** Every listening TCP socket of the machine (IPv4 and IPv6). */
async function listeningSockets(): Promise<Listener[]> {
  const out: Listener[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f[3] !== '0A' || !f[1] || !f[9]) continue; // 0A = LISTEN
      out.push({ ...decodeAddress(f[1]), inode: f[9] });
    }
  }
  return out;
}

/** The listening sockets held open by these processes (matched through their fds' inodes). */
async function listenersOf(procs: readonly Proc[]): Promise<Array<Listener & { pid: number }>> {
  const byInode = new Map((await listeningSockets()).map((l) => [l.inode, l]));
  const out: Array<Listener & { pid: number }> = [];
  for (const p of procs) {
    for (const fd of await readdir(`/proc/${p.pid}/fd`).catch(() => [] as string[])) {
      const link = await readlink(`/proc/${p.pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      const listener = inode ? byInode.get(inode) : undefined;
      if (listener) out.push({ ...listener, pid: p.pid });
    }
  }
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

async function waitFor<T>(what: string, timeoutInMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutInMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutInMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
  /** Ports printed in the ready banner: bot, sandbox tenant, and each persona's Playground. */
  ports: { bot: number; sandbox: number } & Record<PersonaKey, number>;
  /** The process tree once ready. */
  tree: Proc[];
  /** The node process running dev/start.ts (it holds the bot's port). */
  bot: Proc;
  /** The Agents Playground processes, one per persona. */
  playgrounds: Proc[];
}

describe('npm start in sandbox mode: loopback only, and nothing outlives a stop', function () {
  this.timeout(START_TIMEOUT_IN_MS + STOP_BOUND_IN_MS + 10_000);
  let dir: string;
  /** Everything any test started, killed in afterEach whatever happened. */
  const seen: Proc[] = [];
  const children: ChildProcess[] = [];
  /** The Playgrounds' temp dirs: a parent killed outright cannot remove them itself. */
  const workDirs: string[] = [];

  before(function () {
    if (process.platform !== 'linux') this.skip(); // reads /proc
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tapbot-signals-'));
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL'); // its own group (spawned detached)
        } catch {
          child.kill('SIGKILL');
        }
      }
    }
    for (const p of seen.splice(0)) {
      if (!(await isRunning(p))) continue;
      try {
        process.kill(-p.pid, 'SIGKILL'); // Playgrounds lead their own group
      } catch {
        // not a group leader
      }
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    for (const workDir of [dir, ...workDirs.splice(0)]) await rm(workDir, { recursive: true, force: true });
  });

  async function start(command: 'tsx' | 'npm'): Promise<Started> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of UNWANTED_ENV) delete env[key];
    Object.assign(env, {
      PORT: '0',
      SANDBOX_GRAPH_PORT: '0',
      PLAYGROUND_AGENT_PORT: String(await freePort()),
      PLAYGROUND_MANAGER_PORT: String(await freePort()),
      SQLITE_PATH: join(dir, 'bot.sqlite'),
      LOG_LEVEL: 'info',
    });
    const [file, args] =
      command === 'npm' ? ['npm', ['start', '--silent']] : [process.execPath, [require.resolve('tsx/cli'), 'dev/start.ts']];
    // Its own process group, as a terminal gives a foreground job: Ctrl-C goes to the group.
    const child = spawn(file, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => reject(new Error(`exited before it was ready (code ${code}, signal ${signal}):\n${output}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitFor('the ready banner', START_TIMEOUT_IN_MS, async () => (output.includes(READY) ? true : undefined)), exited]);

    const port = (pattern: RegExp): number => {
      const match = pattern.exec(output);
      assert.ok(match?.[1], `no ${pattern} in:\n${output}`);
      return Number(match[1]);
    };
    const ports = {
      bot: port(/Bot listening on http:\/\/127\.0\.0\.1:(\d+)\/api\/messages/),
      sandbox: port(/Sandbox tenant \(Graph \+ token endpoint\) on https:\/\/127\.0\.0\.1:(\d+)/),
      // A banner line per tab: "  http://127.0.0.1:PORT  Name  what to try there".
      ...(Object.fromEntries(
        PERSONAS.map((p) => [p.key, port(new RegExp(`^  http://127\\.0\\.0\\.1:(\\d+) +${p.person.name} `, 'm'))]),
      ) as Record<PersonaKey, number>),
    };
    const tree = await processTree(child.pid as number);
    seen.push(...tree);
    const listeners = await listenersOf(tree);
    const holder = (p: number): Proc => {
      const l = listeners.find((x) => x.port === p);
      const proc = l && tree.find((t) => t.pid === l.pid);
      assert.ok(proc, `no process of the tree listens on port ${p}: ${JSON.stringify(listeners)}`);
      return proc;
    };
    const playgrounds = PERSONAS.map((p) => holder(ports[p.key]));
    for (const p of playgrounds) {
      const cwd = await readlink(`/proc/${p.pid}/cwd`);
      if (cwd.startsWith(join(tmpdir(), 'tap-playground-'))) workDirs.push(cwd); // only what playground.ts made
    }
    return {
      child,
      output: () => output,
      ports,
      tree,
      bot: holder(ports.bot),
      playgrounds,
    };
  }

  /** Every process of the tree gone within the bound, and none of the ports listened on. */
  async function assertAllStopped(s: Started): Promise<void> {
    const left = await waitFor('every process to exit', STOP_BOUND_IN_MS, async () => {
      const running: Proc[] = [];
      for (const p of s.tree) if (await isRunning(p)) running.push(p);
      return running.length === 0 ? [] : undefined;
    }).catch(async (e: Error) => {
      const running: string[] = [];
      for (const p of s.tree) if (await isRunning(p)) running.push(`${p.pid} ${p.cmdline}`);
      throw new Error(`${e.message}; still running:\n${running.join('\n')}\n--- output:\n${s.output()}`);
    });
    assert.deepEqual(left, []);
    // A node process's leader thread shows as a zombie while its other threads still close
    // its sockets: the ports are free a moment later, so they get the same bound.
    const wanted = new Set(Object.values(s.ports));
    const taken = async (): Promise<Listener[]> => (await listeningSockets()).filter((l) => wanted.has(l.port));
    await waitFor('every port to be free', STOP_BOUND_IN_MS, async () => ((await taken()).length === 0 ? true : undefined)).catch(() => undefined);
    assert.deepEqual(await taken(), [], 'ports still taken after the stop');
  }

  function signal(p: Proc | number, sig: NodeJS.Signals): void {
    process.kill(typeof p === 'number' ? p : p.pid, sig);
  }

  it('listens on 127.0.0.1 only (bot, sandbox tenant, every persona\'s Playground), and SIGTERM to the bot process stops every process', async () => {
    const s = await start('tsx');
    const listeners = await listenersOf(s.tree);
    assert.deepEqual(
      [...new Set(listeners.map((l) => l.port))].sort((a, b) => a - b),
      Object.values(s.ports).sort((a, b) => a - b),
      'the tree listens on exactly the ports it printed',
    );
    for (const l of listeners) {
      const proc = s.tree.find((p) => p.pid === l.pid);
      assert.equal(l.address, '127.0.0.1', `${proc?.cmdline} listens on ${l.address}:${l.port}`);
    }
    assert.equal(s.playgrounds.length, PERSONAS.length);
    assert.equal(new Set(s.playgrounds.map((p) => p.pid)).size, PERSONAS.length, 'one process per persona');
    assert.match(s.output(), /The bot already knows everyone/, 'every persona was introduced to the bot without a browser');
    signal(s.bot, 'SIGTERM');
    await assertAllStopped(s);
  });

  it('SIGTERM to the npm process of `npm start` stops every process it started', async () => {
    const s = await start('npm');
    assert.ok(s.tree.length >= 2 + PERSONAS.length, `npm, tsx, the bot and the Playgrounds: ${s.tree.map((p) => p.cmdline).join(' | ')}`);
    signal(s.child.pid as number, 'SIGTERM');
    await assertAllStopped(s);
  });

  it('Ctrl-C (SIGINT to the process group) stops every process', async () => {
    const s = await start('tsx');
    signal(-(s.child.pid as number), 'SIGINT');
    await assertAllStopped(s);
  });

  it('when the bot process is killed outright (SIGKILL), the Playgrounds exit on their own', async () => {
    const s = await start('tsx');
    signal(s.bot, 'SIGKILL');
    await assertAllStopped(s);
  });
});
