/** A process a test starts as its own group (`npm start`: the bot and its Playgrounds): ports, waiting for it, stopping it. */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Polls `probe` every 100 ms; past `timeoutInMs` it fails with what it waited for and the process's output so far. */
export async function waitFor(what: string, timeoutInMs: number, probe: () => boolean, context: () => string): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutInMs} ms waiting for ${what}; output:\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function gone(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Ctrl-C to the child's process group, as a person stops `npm start`; SIGKILL to the group
 * after `timeoutInMs` if it hangs. Resolves once the child has exited (at once if it had).
 */
export async function stopProcessGroup(child: ChildProcess | undefined, timeoutInMs: number): Promise<void> {
  if (child?.pid === undefined || gone(child)) return;
  const pid = child.pid;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // gone meanwhile
    }
  };
  signal('SIGINT');
  const timer = setTimeout(() => signal('SIGKILL'), timeoutInMs);
  await exited;
  clearTimeout(timer);
}
