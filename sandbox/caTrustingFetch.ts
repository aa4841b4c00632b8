/**
 * A `fetch` that trusts exactly one CA, for clients that call the global `fetch`.
 *
 * Why: Node 20's global fetch (undici) ignores `agent`, and
 * `@microsoft/microsoft-graph-client` 3.0.7 calls the global `fetch` from its
 * HTTPMessageHandler, so `fetchOptions: { agent }` does nothing. Putting this function
 * behind a last middleware in the Graph client's chain makes it trust the sandbox CA
 * without NODE_EXTRA_CA_CERTS and without turning verification off.
 */
import https from 'node:https';

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

type FetchInput = string | URL | Request;

async function bodyBytes(body: unknown): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof Blob) return Buffer.from(await body.arrayBuffer());
  throw new TypeError('caTrustingFetch supports string, Buffer, ArrayBuffer, URLSearchParams and Blob bodies.');
}

export function createCaTrustingFetch(caPem: string): typeof fetch {
  const agent = new https.Agent({ ca: caPem, keepAlive: true });
  const caFetch = async (input: FetchInput, init: RequestInit = {}): Promise<Response> => {
    const request = input instanceof Request ? input : null;
    const url = new URL(request ? request.url : input.toString());
    if (url.protocol !== 'https:') throw new TypeError(`caTrustingFetch only speaks https, not ${url.protocol}`);
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers ?? request?.headers ?? {});
    const body =
      init.body !== undefined ? await bodyBytes(init.body) : request && request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const signal = init.signal ?? request?.signal ?? null;
    signal?.throwIfAborted();

    return new Promise<Response>((resolve, reject) => {
      const outgoing: Record<string, string> = {};
      headers.forEach((value, key) => {
        outgoing[key] = value;
      });
      if (body) outgoing['content-length'] = String(body.length);
      const req = https.request(url, { method, headers: outgoing, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const responseHeaders = new Headers();
          for (const [key, value] of Object.entries(res.headers)) {
            if (Array.isArray(value)) value.forEach((v) => responseHeaders.append(key, v));
            else if (value !== undefined) responseHeaders.set(key, value);
          }
          resolve(
            new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: res.statusMessage ?? '',
              headers: responseHeaders,
            }),
          );
        });
      });
      req.on('error', reject);
      signal?.addEventListener('abort', () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted')), { once: true });
      req.end(body);
    });
  };
  return caFetch as typeof fetch;
}
