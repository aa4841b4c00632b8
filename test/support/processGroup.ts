/** Stopping what a test started as its own process group (`npm start`: the bot and its Playgrounds). */
import type { ChildProcess } from 'node:child_process';

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
