/**
 * The sandbox tenant: one HTTPS server that is both Entra ID's token endpoint and the
 * Graph v1.0 subset the bot uses. The bot talks to it through the real @azure/identity and
 * Graph client; only URLs and the trusted CA differ from production.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../src/log';
import { executeBatch } from './batch';
import { createSandboxCertificates } from './ca';
import { Directory } from './directory';
import defaultDirectory from './directory.json';
import { GraphHttpError, statusError } from './graphErrors';
import { errorResponse, routeGraphRequest, type GraphResponse, type GraphRouteContext } from './graphRoutes';
import { BodyTooLargeError, readBody, sendJson, sleep } from './http';
import { parseAutomaticReplies } from './mailbox';
import { defaultKnobs, FaultInjector, seededRandom } from './knobs';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_TENANT_ID } from './ids';
import { TokenIssuer } from './tokens';
import { SignInDesk } from './authorize';
import type { RegistrableMethodType, RunningSandbox, SandboxOptions, SandboxRequestRecord } from './types';

const log = createLogger('sandbox');

const OPENID_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/i;
const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i;
const HOOK_METHODS_PATH = /^\/_sandbox\/users\/([^/]+)\/methods$/i;
const REGISTRABLE: ReadonlySet<string> = new Set<RegistrableMethodType>(['fido2', 'microsoftAuthenticator', 'windowsHelloForBusiness', 'phone']);

const HOOK_AUTOMATIC_REPLIES_PATH = /^\/_sandbox\/users\/([^/]+)\/automaticReplies$/i;

/** `PUT /_sandbox/users/{id|upn}/automaticReplies`: put a person out of office (or back) while the bot runs. */
function automaticRepliesHook(req: IncomingMessage, rawBody: string, rawKey: string, h: Handlers, send: (status: number, body: unknown) => number): number {
  if (req.method !== 'PUT') return send(405, { error: { code: 'MethodNotAllowed', message: 'Use PUT.' } });
  const usage = 'The body must be JSON: {"status": "alwaysEnabled"|"scheduled"|"disabled"|null, "scheduledStartDateTime"?: ISO, "scheduledEndDateTime"?: ISO}.';
  let payload: Record<string, unknown>;
  let userKey: string;
  try {
    payload = (JSON.parse(rawBody || '{}') ?? {}) as Record<string, unknown>;
    userKey = decodeURIComponent(rawKey);
  } catch {
    return send(400, { error: { code: 'BadRequest', message: usage } });
  }
  const user = h.graph.directory.findUser(userKey);
  if (!user) return send(404, { error: { code: 'Request_ResourceNotFound', message: `User '${userKey}' does not exist.` } });
  try {
    h.graph.directory.setAutomaticReplies(user.id, parseAutomaticReplies(payload));
  } catch (e) {
    return send(400, { error: { code: 'BadRequest', message: `${e instanceof Error ? e.message : usage} ${usage}` } });
  }
  return send(200, h.graph.directory.mailboxes.view(user));
}

/** The test hooks answer only a caller on this machine, whatever interface the sandbox listens on. */
export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || /^(::ffff:)?127\./.test(address ?? '');
}

interface Handlers {
  tokens: TokenIssuer;
  faults: FaultInjector;
  graph: GraphRouteContext;
  shuffleRandom: () => number;
  origin: () => string;
}

function basicAuth(header: string | undefined): { id: string; secret: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return null;
  const [id, ...rest] = Buffer.from(match[1] ?? '', 'base64').toString().split(':');
  return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(rest.join(':')) };
}

/** Answers the Entra ID side; returns the status sent, or null when the path is not an auth route. */
function handleAuth(req: IncomingMessage, res: ServerResponse, path: string, rawBody: string, h: Handlers): number | null {
  const openId = OPENID_PATH.exec(path);
  if (openId && req.method === 'GET') {
    const answer = h.tokens.openIdConfiguration(h.origin(), openId[1] ?? '');
    sendJson(req, res, answer.status, {}, answer.body);
    return answer.status;
  }
  const token = TOKEN_PATH.exec(path);
  if (token && req.method === 'POST') {
    const answer = h.tokens.token(token[1] ?? '', new URLSearchParams(rawBody), basicAuth(req.headers.authorization));
    sendJson(req, res, answer.status, { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' }, answer.body);
    return answer.status;
  }
  return null;
}

function parseJsonBody(rawBody: string): unknown {
  if (rawBody.trim() === '') return undefined;
  try {
    return JSON.parse(rawBody);
  } catch {
    throw new GraphHttpError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
}

/** Answers a `/v1.0/...` request; returns the status sent (0 when the socket was dropped). */
function handleGraph(req: IncomingMessage, res: ServerResponse, url: string, rawBody: string, h: Handlers, record: SandboxRequestRecord): number {
  const reply = (response: GraphResponse): number => {
    sendJson(req, res, response.status, response.headers, response.body);
    return response.status;
  };
  const rejection = h.tokens.rejectReason(req.headers.authorization);
  if (rejection) {
    const response = errorResponse(new GraphHttpError(401, 'InvalidAuthenticationToken', rejection));
    return reply({ ...response, headers: { ...response.headers, 'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"' } });
  }
  const roles = h.tokens.rolesOf(req.headers.authorization);
  const relative = url.slice('/v1.0'.length) || '/';
  const isBatch = /^\/(\$|%24)batch(\?|$)/i.test(relative);
  if (isBatch ? h.faults.shouldDropEnvelope() : false) return drop(req);
  if (!isBatch) {
    const fault = h.faults.decide(true);
    if (fault.kind === 'drop') return drop(req);
    if (fault.kind === 'status') return reply(errorResponse(statusError(fault.status, fault.retryAfter)));
  }
  let body: unknown;
  try {
    body = parseJsonBody(rawBody);
  } catch (error) {
    if (error instanceof GraphHttpError) return reply(errorResponse(error));
    throw error;
  }
  if (!isBatch) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    return reply(routeGraphRequest({ method: req.method ?? 'GET', url: relative, headers, body, roles }, h.graph));
  }
  if (req.method !== 'POST') return reply(errorResponse(new GraphHttpError(405, 'Request_BadRequest', '$batch only accepts POST.')));
  const outcome = executeBatch(body, h.graph, h.shuffleRandom, roles);
  record.batchItems = outcome.itemUrls;
  record.batchItemMethods = outcome.itemMethods;
  record.batchItemStatuses = outcome.itemStatuses;
  return reply(outcome.response);
}

/**
 * `/_sandbox/...`: test hooks for other processes (the bot under test, a benchmark driver).
 * No token (they are not Graph), but loopback callers only, and never under `/v1.0`.
 */
function handleHook(req: IncomingMessage, res: ServerResponse, path: string, rawBody: string, h: Handlers): number {
  const send = (status: number, body: unknown): number => {
    sendJson(req, res, status, {}, body);
    return status;
  };
  if (!isLoopback(req.socket.remoteAddress)) return send(403, { error: { code: 'Forbidden', message: 'Sandbox test hooks answer loopback callers only.' } });
  const away = HOOK_AUTOMATIC_REPLIES_PATH.exec(path);
  if (away) return automaticRepliesHook(req, rawBody, away[1] ?? '', h, send);
  const methods = HOOK_METHODS_PATH.exec(path);
  if (!methods) return send(404, { error: { code: 'NotFound', message: `No sandbox hook for ${req.method ?? ''} ${path}.` } });
  if (req.method !== 'POST') return send(405, { error: { code: 'MethodNotAllowed', message: 'Use POST.' } });
  let payload: Record<string, unknown>;
  try {
    payload = (JSON.parse(rawBody || '{}') ?? {}) as Record<string, unknown>;
  } catch {
    return send(400, { error: { code: 'BadRequest', message: 'The body must be JSON: {"type": "fido2"|"microsoftAuthenticator"|"windowsHelloForBusiness"|"phone", "displayName"?: string}.' } });
  }
  const { type, displayName } = payload;
  if (typeof type !== 'string' || !REGISTRABLE.has(type) || (displayName !== undefined && typeof displayName !== 'string')) {
    return send(400, { error: { code: 'BadRequest', message: `'type' must be one of ${[...REGISTRABLE].join(', ')}; 'displayName' a string if given.` } });
  }
  let userKey: string;
  try {
    userKey = decodeURIComponent(methods[1] ?? '');
  } catch {
    return send(400, { error: { code: 'BadRequest', message: 'Malformed user key.' } });
  }
  if (!h.graph.directory.findUser(userKey)) return send(404, { error: { code: 'Request_ResourceNotFound', message: `User '${userKey}' does not exist.` } });
  return send(201, h.graph.directory.registerMethod(userKey, type as RegistrableMethodType, displayName as string | undefined));
}

function drop(req: IncomingMessage): number {
  req.socket.destroy();
  return 0;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const certificates = await createSandboxCertificates();
  const knobs = defaultKnobs(options.knobs);
  const seed = options.seed ?? 1;
  const directory = new Directory(options.directory ?? defaultDirectory);
  const faults = new FaultInjector(knobs, seed);
  const tokens = new TokenIssuer({
    tenantId: SANDBOX_TENANT_ID,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    grantedPermissions: () => knobs.grantedPermissions,
  });
  // The interactive sign-in (the bot's step-up): the same app, the directory's people.
  const signIn = new SignInDesk({
    tenantId: SANDBOX_TENANT_ID,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    people: () => directory.allUsers().map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName, displayName: typeof u['displayName'] === 'string' ? u['displayName'] : u.userPrincipalName })),
  });
  const requests: SandboxRequestRecord[] = [];
  const host = options.host ?? '127.0.0.1';
  let origin = '';
  const shuffleSeed = seed ^ 0x5eed5eed;
  const handlers: Handlers = {
    tokens,
    faults,
    shuffleRandom: seededRandom(shuffleSeed),
    origin: () => origin,
    graph: { directory, faults, knobs, origin: () => origin },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const record: SandboxRequestRecord = { at: Date.now(), method: req.method ?? 'GET', url, status: 0 };
    requests.push(record);
    try {
      const rawBody = await readBody(req);
      if (knobs.latencyInMs > 0) await sleep(knobs.latencyInMs);
      const path = url.split('?')[0] ?? '/';
      if (/^\/v1\.0(\/|$)/i.test(path)) {
        record.status = handleGraph(req, res, url, rawBody, handlers, record);
        return;
      }
      if (/^\/_sandbox(\/|$)/i.test(path)) {
        record.status = handleHook(req, res, path, rawBody, handlers);
        return;
      }
      const signInStatus = signIn.handle(req, res, url, rawBody, origin);
      if (signInStatus !== null) {
        record.status = signInStatus;
        return;
      }
      const authStatus = handleAuth(req, res, path, rawBody, handlers);
      if (authStatus !== null) {
        record.status = authStatus;
        return;
      }
      record.status = 404;
      sendJson(req, res, 404, {}, { error: { code: 'NotFound', message: `No sandbox route for ${req.method ?? ''} ${path}.` } });
    } catch (error) {
      const tooLarge = error instanceof BodyTooLargeError;
      record.status = tooLarge ? 413 : 500;
      if (!tooLarge) log.error('sandbox request failed', { url: record.url, error });
      if (!res.headersSent && !res.destroyed) {
        sendJson(req, res, record.status, {}, { error: { code: tooLarge ? 'RequestEntityTooLarge' : 'generalException', message: tooLarge ? 'Request body too large.' : 'Sandbox internal error.' } });
      }
    }
  };

  const server = https.createServer({ key: certificates.keyPem, cert: certificates.certPem }, (req, res) => void handle(req, res));
  const sockets = new Set<Socket>();
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that gives up mid-handshake must not crash the process.
  server.on('tlsClientError', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info('sandbox tenant listening', { origin });

  let stopped: Promise<void> | null = null;
  return {
    origin,
    graphBaseUrl: origin,
    authorityHost: origin,
    tenantId: SANDBOX_TENANT_ID,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    caPem: certificates.caPem,
    knobs,
    requests,
    resetRequests: () => {
      requests.length = 0;
    },
    state: directory,
    reset: () => {
      Object.assign(knobs, defaultKnobs(options.knobs));
      directory.reset();
      faults.reset();
      handlers.shuffleRandom = seededRandom(shuffleSeed);
      requests.length = 0;
    },
    expireTokens: () => tokens.expireAll(),
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return stopped;
    },
  };
}
