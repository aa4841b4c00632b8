/**
 * Plain https.request helpers for sandbox tests: the CA is trusted through an Agent, never
 * through NODE_EXTRA_CA_CERTS or by turning verification off.
 */
import https from 'node:https';
import type { RunningSandbox } from '../../sandbox/types';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

function agentFor(sandbox: RunningSandbox): https.Agent {
  return new https.Agent({ ca: sandbox.caPem });
}

export function request(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  options: { body?: unknown; form?: Record<string, string>; token?: string; headers?: Record<string, string>; agent?: https.Agent } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  let payload: string | undefined;
  if (options.form) {
    payload = new URLSearchParams(options.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${sandbox.origin}${path}`,
      { method, headers, agent: options.agent ?? agentFor(sandbox) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let body: unknown = undefined;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = text;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function tokenFor(sandbox: RunningSandbox, overrides: Record<string, string> = {}): Promise<HttpResult> {
  return request(sandbox, 'POST', `/${sandbox.tenantId}/oauth2/v2.0/token`, {
    form: {
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
      ...overrides,
    },
  });
}

export async function accessToken(sandbox: RunningSandbox): Promise<string> {
  const result = await tokenFor(sandbox);
  return (result.body as { access_token: string }).access_token;
}

/** A Graph call under /v1.0 with a fresh valid token unless one is given. */
export async function graph(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<HttpResult> {
  const token = options.token ?? (await accessToken(sandbox));
  return request(sandbox, method, `/v1.0${path}`, { body: options.body, token });
}

export function errorCode(result: HttpResult): string | undefined {
  return (result.body as { error?: { code?: string } } | undefined)?.error?.code;
}

export function errorMessage(result: HttpResult): string {
  return (result.body as { error?: { message?: string } } | undefined)?.error?.message ?? '';
}
