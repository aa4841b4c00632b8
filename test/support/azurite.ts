/**
 * Starts a throwaway Azurite blob service (in memory, loopback, OS-chosen port) for
 * integration tests, and stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Azurite's published development account (from azurite's own source, not a secret). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

export async function startAzurite(timeoutInMs = 15_000): Promise<RunningAzurite> {
  const cwd = mkdtempSync(join(tmpdir(), 'tap-bot-azurite-'));
  const main = require.resolve('azurite/dist/src/blob/main.js');
  const child = spawn(
    process.execPath,
    [main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--silent',
      '--skipApiVersionCheck', '--loose', '--disableTelemetry', '--extentMemoryLimit', '64'],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = async (): Promise<void> => {
    await kill(child);
    rmSync(cwd, { recursive: true, force: true });
  };
  try {
    const port = await listeningPort(child, timeoutInMs);
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`;
    return { connectionString, port, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Azurite prints "successfully listens on http://127.0.0.1:PORT" once it accepts requests. */
function listeningPort(child: ChildProcess, timeoutInMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => finish(new Error(`Azurite did not start within ${timeoutInMs} ms:\n${output}`)), timeoutInMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) finish(undefined, Number(m[1]));
    };
    const onExit = (code: number | null): void => finish(new Error(`Azurite exited (${code}) before listening:\n${output}`));
    const finish = (err?: Error, port?: number): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(port!);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(forced);
}
