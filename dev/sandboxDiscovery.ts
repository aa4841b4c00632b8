/**
 * One sandbox tenant per port on this machine. `npm start` publishes the one it runs (its
 * origin and the CA it made at start-up) in a file named by the port; the admin commands
 * (`npm run doctor`, `npm run bulk`) find it there and join it instead of starting a second
 * sandbox on the same port (EADDRINUSE). Joined, they see what the running bot sees: the same
 * people, passes and policy; requests are shared through storage as always.
 *
 * The file names a CA, which is no secret, but trusting it is: it is written owner-only and
 * read only when this user owns it, and a published sandbox counts only when it answers over
 * TLS with a certificate that CA signed, which only the process that made the CA can do. A
 * file left by a process that died is found stale that way, and ignored.
 */
import { request } from 'node:https';
import { lstat, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_TENANT_ID } from '../sandbox/ids';

export interface PublishedSandbox {
  origin: string;
  caPem: string;
  pid: number;
}

/** How long a published sandbox has to answer before it counts as gone. */
const ANSWER_WITHIN_MS = 3_000;

export function discoveryPath(port: number): string {
  return join(tmpdir(), `tap-bot-sandbox-${port}.json`);
}

/** Publishes the sandbox tenant on `port`; the returned function withdraws it (if it is still this one). */
export async function publishSandbox(port: number, sandbox: { origin: string; caPem: string }): Promise<() => Promise<void>> {
  const file = discoveryPath(port);
  const published: PublishedSandbox = { origin: sandbox.origin, caPem: sandbox.caPem, pid: process.pid };
  // Replaces a stale file: this process holds the port now.
  await rm(file, { force: true });
  await writeFile(file, JSON.stringify(published), { mode: 0o600, flag: 'wx' });
  return async () => {
    const now = await readPublished(file);
    if (now?.origin === published.origin && now.pid === published.pid) await rm(file, { force: true });
  };
}

async function readPublished(file: string): Promise<PublishedSandbox | undefined> {
  try {
    const stat = await lstat(file);
    // Only a regular file this user wrote: another user's file could name a CA of theirs.
    if (!stat.isFile() || (typeof process.getuid === 'function' && stat.uid !== process.getuid())) return undefined;
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<PublishedSandbox>;
    if (typeof parsed.origin !== 'string' || typeof parsed.caPem !== 'string' || typeof parsed.pid !== 'number') return undefined;
    return { origin: parsed.origin, caPem: parsed.caPem, pid: parsed.pid };
  } catch {
    return undefined;
  }
}

/** The sandbox tenant published for `port`, when it answers with a certificate of its CA; undefined otherwise. */
export async function findRunningSandbox(port: number): Promise<PublishedSandbox | undefined> {
  if (port === 0) return undefined;
  const published = await readPublished(discoveryPath(port));
  if (!published) return undefined;
  return (await answers(published)) ? published : undefined;
}

/** True when the sandbox's OpenID configuration answers 200 over TLS trusting exactly its CA. */
function answers(sandbox: PublishedSandbox): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${sandbox.origin}/${SANDBOX_TENANT_ID}/v2.0/.well-known/openid-configuration`, { ca: sandbox.caPem, timeout: ANSWER_WITHIN_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
