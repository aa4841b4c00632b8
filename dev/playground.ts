/**
 * Starts one Microsoft 365 Agents Playground (`@microsoft/m365agentsplayground`) per
 * persona, for local runs and end-to-end tests. Each instance gets its own temp dir for
 * its config and log, so several run side by side (dev/personas.ts lists who).
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
import { createLogger } from '../src/log';
import { buildPlaygroundConfig, personalChatId, PLAYGROUND_GUARD, playgroundUserId, type PlaygroundOptions, type PlaygroundPerson } from './playgroundConfig';
import { introduce, type Introduction } from './playgroundIntroduction';

const logger = createLogger('dev.playground');

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
