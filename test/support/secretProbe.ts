/**
 * Everything an outsider can throw at one URL (every method, with and without a trailing
 * slash, with a query, a wrong content type, a malformed or oversized body), and a capture of
 * everything the process writes to stdout and stderr meanwhile: for tests that a secret in
 * a path (the one-time dispute link) reaches no log line, no trace and no answer.
 */
import { request } from 'node:http';

export interface ProbeAnswer {
  method: string;
  path: string;
  contentType: string | undefined;
  status: number;
  /** Status line, headers and body, as received. */
  text: string;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const BODIES: ReadonlyArray<{ contentType?: string; body?: string }> = [
  {},
  { contentType: 'application/x-www-form-urlencoded', body: '' },
  { contentType: 'text/xml', body: '<a/>' },
  { contentType: 'application/json', body: '{"broken":' },
  { contentType: 'application/json', body: JSON.stringify({ pad: 'x'.repeat(300_000) }) },
];

/** `path` (e.g. `/dispute/<token>`) in every variant: slash, query, query naming the path again. */
function variants(path: string): string[] {
  return [path, `${path}/`, `${path}?utm_source=mail`, `${path}/?next=${encodeURIComponent(path)}`, `${path}//`];
}

/** Sends every method × path variant × body to `baseUrl` (one at a time) and returns what came back. */
export async function probeEverything(baseUrl: string, path: string): Promise<ProbeAnswer[]> {
  const answers: ProbeAnswer[] = [];
  for (const method of METHODS) {
    for (const p of variants(path)) {
      for (const { contentType, body } of method === 'GET' || method === 'HEAD' ? [{}] : BODIES) {
        answers.push(await send(baseUrl, method, p, contentType, body));
      }
    }
  }
  return answers;
}

function send(baseUrl: string, method: string, path: string, contentType: string | undefined, body: string | undefined): Promise<ProbeAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const headers: Record<string, string> = { connection: 'close', ...(contentType ? { 'content-type': contentType } : {}) };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = `${res.statusCode} ${res.statusMessage}\n${JSON.stringify(res.headers)}\n`;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ method, path, contentType, status: res.statusCode ?? 0, text }));
      res.on('error', () => resolve({ method, path, contentType, status: res.statusCode ?? 0, text }));
    });
    // A server that refuses an oversized body may close before it is all sent.
    req.on('error', (e) => resolve({ method, path, contentType, status: 0, text: String(e) }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Everything written to stdout and stderr until `stop()`, still passed through. */
export function captureOutput(): { text(): string; stop(): void } {
  const written: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const tap =
    (original: typeof out) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(out) as typeof process.stdout.write;
  process.stderr.write = tap(err) as typeof process.stderr.write;
  return {
    text: () => written.join(''),
    stop() {
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}
