/**
 * Starts one Microsoft 365 Agents Playground (`@microsoft/m365agentsplayground`) per
 * persona, for local runs and end-to-end tests. Each instance gets its own temp dir for
 * its config and log, so several run side by side (src/dev/personas.ts lists who).
 *
 * Facts of version 0.2.28 this relies on (checked in the package and by experiment):
 * - config path from env M365_AGENTS_PLAYGROUND_CONFIG_PATH; YAML, so JSON text works;
 *   schema 0.1.1 wants `users` with EXACTLY 5 entries, and spells `userPrincipleName`;
 * - TEAMSAPPTESTER_BROWSER=none stops it opening a browser; `--dt` turns telemetry off;
 * - it prints `Listening on PORT` (it silently falls back to a random port when PORT is
 *   taken, so the printed port is the truth); its log goes to M365_AGENTS_PLAYGROUND_LOGFILE;
 * - it listens with `server.listen(port, cb)`, i.e. on every interface, and has no host
 *   option or variable: the guard below (PLAYGROUND_GUARD) pins it to loopback;
 * - when its page opens, the page POSTs `/_debug/conversation/<chat id>/installation`
 *   (the Playground's own route, body `{ directLineConversationId? }`), and the Playground
 *   then sends the bot `installationUpdate` (add) and `conversationUpdate` (bot and user
 *   added) for that chat, from its currentUser, with its own serviceUrl. introduceToBot()
 *   makes the same call without a browser. What the bot sends while no page is connected
 *   is buffered ("No websocket clients connected, buffering message: {json}" in its log)
 *   and handed to the first page that connects, which in our runs did not always show
 *   it: pages should still be opened before the bot sends them anything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../log';

const logger = createLogger('dev.playground');

export interface PlaygroundPerson {
  /** Entra object id (aadObjectId). */
  id: string;
  name: string;
  upn: string;
}

export interface PlaygroundOptions {
  /** Port to listen on; 0 lets the Playground pick a free one. */
  port: number;
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  /** The signed-in user of this Playground. */
  persona: PlaygroundPerson;
  tenantId: string;
  /** Other people of the tenant; the first 5 that are not the persona are listed. */
  people: PlaygroundPerson[];
  /** Folder for config and log; a fresh temp dir (removed on stop) when omitted. */
  workDir?: string;
  /** Receives every output line of the Playground process. */
  log?: (line: string) => void;
  /** The bot account as the Playground shows it. */
  bot?: { id: string; name: string };
  /** How long to wait for the port to answer. */
  startTimeoutInMs?: number;
}

export interface PlaygroundInstance {
  /** e.g. http://127.0.0.1:PORT (open it in a browser to start the chat). */
  url: string;
  port: number;
  /** Process id of the Playground (leader of its own process group). */
  pid: number;
  /** Where its config and log (playground.log) live. */
  workDir: string;
  /** The connector URL the bot is given in activities (`serviceUrl`). */
  serviceUrl: string;
  /** The conversation id of this persona's 1:1 chat with the bot. */
  personalChatId: string;
  /** The user id the bot sees in `from.id` (Teams-like `29:` prefix). */
  userId: string;
  /**
   * Does what opening the page does: the Playground sends the bot `installationUpdate` and
   * `conversationUpdate` for this persona's personal chat, so the bot learns its
   * conversation reference without a browser. Resolves once the Playground logged the
   * bot's HTTP status for both (it logs them while no page is connected), or at the
   * timeout with what it saw; rejects when the Playground refuses the call.
   */
  introduceToBot(options?: { timeoutInMs?: number }): Promise<Introduction>;
  stop(): Promise<void>;
}

/** The bot's HTTP status for each activity of an introduction; undefined when not seen in time. */
export interface Introduction {
  installationUpdate?: number;
  conversationUpdate?: number;
}

/** Both activities answered with 2xx: the bot has stored the persona's conversation reference. */
export function introduced(introduction: Introduction): boolean {
  const ok = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;
  return ok(introduction.installationUpdate) && ok(introduction.conversationUpdate);
}

/** The Playground's schema demands exactly this many `users`. */
export const PLAYGROUND_USER_COUNT = 5;
const DEFAULT_BOT = { id: '28:tap-helpdesk-bot', name: 'TAP Helpdesk' };

interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

/**
 * Teams gives users a channel id (`29:…`) distinct from their aadObjectId; doing the same
 * here makes code that mixes the two up fail locally instead of in Teams.
 */
function playgroundUserId(person: PlaygroundPerson): string {
  return `29:${person.id}`;
}

function toUser(person: PlaygroundPerson): PlaygroundUser {
  const [givenName, ...rest] = person.name.split(' ');
  return {
    id: playgroundUserId(person),
    name: person.name,
    userPrincipleName: person.upn,
    aadObjectId: person.id,
    givenName: givenName || person.name,
    surname: rest.join(' ') || person.name,
    email: person.upn,
  };
}

/** The config document (JSON is valid YAML). Exported for tests. */
export function buildPlaygroundConfig(options: PlaygroundOptions): Record<string, unknown> {
  const others = options.people.filter((p) => p.id !== options.persona.id);
  const unique = [...new Map(others.map((p) => [p.id, p])).values()];
  if (unique.length < PLAYGROUND_USER_COUNT) {
    throw new Error(
      `The Playground needs ${PLAYGROUND_USER_COUNT} people besides the persona; got ${unique.length}`,
    );
  }
  return {
    version: '0.1.1',
    tenantId: options.tenantId,
    bot: options.bot ?? DEFAULT_BOT,
    currentUser: toUser(options.persona),
    users: unique.slice(0, PLAYGROUND_USER_COUNT).map(toUser),
    personalChat: { id: personalChatId(options.persona) },
    groupChat: { id: `19:group-${options.persona.id}@thread.v2`, name: 'Playground group chat' },
    team: {
      id: `19:team-${options.persona.id}@thread.tacv2`,
      name: 'Playground team',
      aadGroupId: '00000000-0000-4000-8000-00000000aa00',
      channels: [],
    },
  };
}

function personalChatId(persona: PlaygroundPerson): string {
  return `a:playground-personal-${persona.id}`;
}

/**
 * Preloaded into every Playground (`node --require`), because the Playground offers no
 * way to choose its interface and no way to notice that its parent is gone:
 * - a server that is given no host (or a wildcard one) listens on 127.0.0.1, so the
 *   unauthenticated chat and connector are not reachable from the network;
 * - it exits when the IPC channel to the process that started it closes. The kernel
 *   closes that channel however the parent ends, SIGKILL and crashes included, which no
 *   exit handler of the parent can promise.
 * Plain CommonJS, written next to the Playground's config: it runs in the Playground's
 * own node, without tsx.
 */
export const PLAYGROUND_GUARD = `'use strict';
// Written by src/dev/playground.ts: loopback only, and no life after the parent.
const net = require('node:net');
const LOOPBACK = '127.0.0.1';
const WILDCARDS = new Set([undefined, null, '', '0.0.0.0', '::']);
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object') {
    // listen(options): only TCP options; pipes (path) and handles (fd, handle) stay as they are.
    const tcp = Object.getPrototypeOf(first) === Object.prototype && first.path === undefined && first.fd === undefined && first.handle === undefined;
    if (tcp && WILDCARDS.has(first.host)) args[0] = { ...first, host: LOOPBACK };
  } else if (first === undefined || typeof first === 'function' || typeof first === 'number' || (typeof first === 'string' && /^\\d+$/.test(first))) {
    // listen([port][, host][, backlog][, callback]): a string after the port is the host.
    const port = typeof first === 'function' ? 0 : first;
    const rest = typeof first === 'function' ? args : args.slice(1);
    if (typeof rest[0] === 'string' || rest[0] === null || (rest[0] === undefined && rest.length > 0)) rest[0] = WILDCARDS.has(rest[0]) ? LOOPBACK : rest[0];
    else rest.unshift(LOOPBACK);
    args = [port === undefined ? 0 : port, ...rest];
  }
  return listen.apply(this, args);
};
if (typeof process.send === 'function') {
  process.on('disconnect', () => process.exit(0));
  // The watch alone must not keep the Playground alive.
  if (process.channel) process.channel.unref();
}
`;

/** Resolves the Playground's CLI script; spawned with this node, not via a shell wrapper. */
function playgroundCli(): string {
  return join(require.resolve('@microsoft/m365agentsplayground/package.json'), '..', 'cli.js');
}

/**
 * The Playground prints "Listening" before it loads its config, and a bad config makes it
 * exit right after. Its connector's member list of our personal chat answers 200 only
 * once the config is loaded, so that is the readiness probe.
 */
function connectorReady(port: number, chatId: string): Promise<boolean> {
  const path = `/_connector/v3/conversations/${encodeURIComponent(chatId)}/members`;
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills the whole process group (the Playground is spawned detached, as a group leader). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Playgrounds run in their own process group (so stop() reaches everything they start),
 * which also means a Ctrl-C or kill of the test runner would not reach them: kill them on
 * exit and on those signals, then let the signal do what it would have done.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const child of live) killGroup(child, 'SIGKILL');
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      // Nobody else handles it: restore the default action (terminate) and re-raise.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function post(port: number, path: string, body: unknown): Promise<number> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', timeout: 5000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`POST ${path} timed out`)));
    req.end(text);
  });
}

type IntroductionActivity = keyof Introduction;
const INTRODUCTION_ACTIVITIES: readonly IntroductionActivity[] = ['installationUpdate', 'conversationUpdate'];

/**
 * The bot's statuses for this chat's installationUpdate and conversationUpdate since `after`,
 * from the Playground's log (the lines it writes when it buffers its log entries for a
 * page that is not open yet).
 */
async function introductionInLog(logPath: string, chatId: string, after: number): Promise<Introduction> {
  const found: Introduction = {};
  const text = await readFile(logPath, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.includes('"logAction":"appendLog"') || !line.includes(chatId)) continue;
    try {
      const entry = JSON.parse(line.slice(line.indexOf('{'))) as {
        log?: { conversationId?: string; activityName?: string; timestamp?: number; response?: { statusCode?: number } };
      };
      const log = entry.log;
      const name = INTRODUCTION_ACTIVITIES.find((a) => a === log?.activityName);
      if (!log || !name || log.conversationId !== chatId || (log.timestamp ?? 0) < after) continue;
      if (typeof log.response?.statusCode === 'number') found[name] = log.response.statusCode;
    } catch {
      // Not one of its JSON log lines.
    }
  }
  return found;
}

async function introduce(port: number, chatId: string, logPath: string, timeoutInMs: number): Promise<Introduction> {
  const since = Date.now() - 1000; // the Playground's clock is this machine's; allow for rounding
  const status = await post(port, `/_debug/conversation/${encodeURIComponent(chatId)}/installation`, {});
  if (status !== 200) throw new Error(`The Playground refused to introduce its persona to the bot (HTTP ${status})`);
  const deadline = Date.now() + timeoutInMs;
  for (;;) {
    const seen = await introductionInLog(logPath, chatId, since);
    if (INTRODUCTION_ACTIVITIES.every((a) => seen[a] !== undefined) || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopChild(child: ChildProcess, graceInMs = 5000): Promise<void> {
  if (child.pid === undefined) {
    live.delete(child); // never started (spawn error): nothing to stop
    return;
  }
  if (child.exitCode !== null || child.signalCode !== null) {
    // The leader is gone; make sure nothing it started lingers.
    killGroup(child, 'SIGKILL');
    live.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceInMs);
  await exited;
  clearTimeout(timer);
  killGroup(child, 'SIGKILL');
  live.delete(child);
}

async function readErrorLines(logPath: string): Promise<string> {
  try {
    const text = await readFile(logPath, 'utf8');
    return text
      .split('\n')
      .filter((line) => line.startsWith('error '))
      .join(' ');
  } catch {
    return '';
  }
}

export async function startPlayground(options: PlaygroundOptions): Promise<PlaygroundInstance> {
  const log = options.log ?? ((line: string) => logger.debug('playground output', { persona: options.persona.upn, line }));
  const config = buildPlaygroundConfig(options);
  const ownsDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'tap-playground-')));
  const configPath = join(workDir, 'm365agentsplayground.yml');
  const logPath = join(workDir, 'playground.log');
  const guardPath = join(workDir, 'playground-guard.cjs');
  await writeFile(configPath, JSON.stringify(config, null, 2) + '\n', 'utf8');
  await writeFile(guardPath, PLAYGROUND_GUARD, 'utf8');

  installExitHook();
  const child = spawn(
    process.execPath,
    ['--require', guardPath, playgroundCli(), '-p', String(options.port), '-e', options.botEndpoint, '-c', 'msteams', '--dt'],
    {
      cwd: workDir,
      detached: true,
      // The IPC channel is the guard's lifeline: it closes when this process ends, however it ends.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: logPath,
      },
    },
  );
  live.add(child);

  const output: string[] = [];
  let resolvePort: (port: number) => void = () => undefined;
  const announced = new Promise<number>((resolve) => {
    resolvePort = resolve;
  });
  const onLine = (line: string): void => {
    if (!line.trim()) return;
    output.push(line);
    if (output.length > 50) output.shift();
    log(line);
    const match = /Listening on (\d+)/.exec(line);
    if (match) resolvePort(Number(match[1]));
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      lines.forEach(onLine);
    });
  }
  const exitedEarly = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) =>
      reject(new Error(`Playground exited before it was ready (code ${code}, signal ${signal}): ${output.join(' | ')}`)),
    );
    child.once('error', (error) => reject(new Error(`Playground could not start: ${error.message}`)));
  });
  exitedEarly.catch(() => undefined);

  const cleanup = async (): Promise<void> => {
    await stopChild(child);
    if (ownsDir) await rm(workDir, { recursive: true, force: true });
  };

  const timeoutInMs = options.startTimeoutInMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Playground did not answer within ${timeoutInMs} ms: ${output.join(' | ')}`)),
        timeoutInMs,
      );
    });
    const port = await Promise.race([announced, exitedEarly, timedOut]);
    while (!(await Promise.race([connectorReady(port, personalChatId(options.persona)), exitedEarly, timedOut]))) {
      await new Promise((r) => setTimeout(r, 100));
    }
    clearTimeout(timer);
    logger.debug('playground ready', { persona: options.persona.upn, port, pid: child.pid });
    let stopped: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      pid: child.pid ?? -1,
      serviceUrl: `http://localhost:${port}/_connector`,
      workDir,
      personalChatId: personalChatId(options.persona),
      userId: playgroundUserId(options.persona),
      introduceToBot: (introduction = {}) => introduce(port, personalChatId(options.persona), logPath, introduction.timeoutInMs ?? 10_000),
      stop: () => (stopped ??= cleanup()),
    };
  } catch (error) {
    clearTimeout(timer);
    // Config errors go only to the Playground's log file, not to stdout: surface them.
    const reasons = await readErrorLines(logPath);
    await cleanup();
    if (reasons && error instanceof Error) error.message += ` | log: ${reasons}`;
    throw error;
  }
}

/**
 * Starts one Playground per persona side by side (in parallel: five start in about 4 s on
 * two cores, against about 7 s one after the other), each on its port from `ports` or a
 * free one; if any fails, the ones already started are stopped before rethrowing.
 */
export async function startPlaygrounds<K extends string>(
  personas: Record<K, PlaygroundPerson>,
  shared: Omit<PlaygroundOptions, 'persona' | 'port' | 'workDir'>,
  ports: Partial<Record<K, number>> = {},
): Promise<Record<K, PlaygroundInstance> & { stopAll(): Promise<void> }> {
  const keys = Object.keys(personas) as K[];
  const results = await Promise.allSettled(
    keys.map((key) =>
      startPlayground({
        ...shared,
        port: ports[key] ?? 0,
        persona: personas[key],
        log: shared.log ? (line) => shared.log?.(`[${key}] ${line}`) : undefined,
      }),
    ),
  );
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((instance) => instance.stop()));
  };
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await stopAll();
    throw failure.reason;
  }
  const byKey = Object.fromEntries(keys.map((key, i) => [key, started[i]])) as Record<K, PlaygroundInstance>;
  return Object.assign(byKey, { stopAll });
}
