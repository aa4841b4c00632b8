/**
 * Ways to stop a bot process at an exact step, from the test process: hold one Bot Connector
 * call, or only its answer (a gate in front of the fake connector that forwards everything
 * else), or notice the moment the sandbox tenant receives a given Graph request (with
 * latency set, the request is then still "in Graph" and the bot still waiting for it).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RunningSandbox, SandboxRequestRecord } from '../../sandbox/types';
import type { FakeConnector } from './fakeConnector';

export interface ConnectorCall {
  method: string;
  /** e.g. `/v3/conversations/a:personal-…/activities` */
  path: string;
  conversationId: string;
  body: Record<string, unknown>;
}

export interface ConnectorGate {
  serviceUrl: string;
  /**
   * The next call matching `match` is held: neither forwarded nor answered, as a Bot
   * Connector that takes its time. Resolves when it arrives.
   */
  holdNext(match: (call: ConnectorCall) => boolean): Promise<ConnectorCall>;
  /**
   * The next call matching `match` reaches the connector (Teams accepts it: a sent card is
   * shown), but the connector's answer (a sent card's activity id) never reaches the bot.
   * Resolves once the connector has answered.
   */
  holdAnswerOfNext(match: (call: ConnectorCall) => boolean): Promise<ConnectorCall>;
  /** Every call that came through, held ones included, oldest first. */
  calls: ConnectorCall[];
  stop(): Promise<void>;
}

export async function startConnectorGate(connector: FakeConnector): Promise<ConnectorGate> {
  const target = new URL(connector.serviceUrl);
  const holds: Array<{ match: (call: ConnectorCall) => boolean; arrived: (call: ConnectorCall) => void }> = [];
  const answerHolds: Array<{ match: (call: ConnectorCall) => boolean; answered: (call: ConnectorCall) => void }> = [];
  const calls: ConnectorCall[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const parts = new URL(path, 'http://x').pathname.split('/').filter(Boolean).map(decodeURIComponent);
      let body: Record<string, unknown> = {};
      try {
        body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        // Forwarded as it is: the connector answers a malformed body.
      }
      const call: ConnectorCall = { method: req.method ?? 'GET', path, conversationId: parts[2] ?? '', body };
      calls.push(call);
      const hold = holds.findIndex((h) => h.match(call));
      if (hold >= 0) {
        const [{ arrived }] = holds.splice(hold, 1) as [(typeof holds)[number]];
        arrived(call);
        return; // never answered: the socket closes when the bot dies or the gate stops
      }
      const holdAnswer = answerHolds.findIndex((h) => h.match(call));
      const answeredHold = holdAnswer >= 0 ? (answerHolds.splice(holdAnswer, 1)[0] as (typeof answerHolds)[number]).answered : undefined;
      const forward = http.request(
        { host: target.hostname, port: target.port, method: req.method, path, headers: { 'content-type': req.headers['content-type'] ?? 'application/json' } },
        (answer) => {
          if (answeredHold) {
            answer.resume();
            answer.on('end', () => answeredHold(call));
            return; // accepted by the connector; the bot never hears back
          }
          res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      forward.end(raw);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    holdNext: (match) => new Promise((arrived) => holds.push({ match, arrived })),
    holdAnswerOfNext: (match) => new Promise((answered) => answerHolds.push({ match, answered })),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** A Bot Connector call that updates (PUTs) an activity of this person's 1:1 chat. */
export function updatesIn(userId: string): (call: ConnectorCall) => boolean {
  return (call) => call.method === 'PUT' && call.conversationId === `a:personal-${userId}` && /\/activities\/[^/]+$/.test(call.path.split('?')[0] ?? '');
}

/** A Bot Connector call that sends (POSTs) an activity into this person's 1:1 chat. */
export function sendsTo(userId: string): (call: ConnectorCall) => boolean {
  return (call) => call.method === 'POST' && call.conversationId === `a:personal-${userId}` && /\/activities(\/[^/]+)?$/.test(call.path.split('?')[0] ?? '');
}

/**
 * Resolves with the sandbox's record of the first request matching `match` that arrives
 * from now on, as it arrives (before the sandbox acts on it; its `status` is 0 until answered).
 */
export function whenSandboxReceives(sandbox: RunningSandbox, match: (r: SandboxRequestRecord) => boolean): Promise<SandboxRequestRecord> {
  return new Promise((resolve) => {
    const requests = sandbox.requests;
    const push = requests.push.bind(requests);
    const watching = (...items: SandboxRequestRecord[]): number => {
      const n = push(...items);
      const hit = items.find(match);
      if (hit) {
        requests.push = push;
        resolve(hit);
      }
      return n;
    };
    requests.push = watching;
  });
}

/** Graph's answer to this request, once the sandbox has given it (as Graph would, whoever is still listening). */
export async function whenAnswered(record: SandboxRequestRecord, timeoutInMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutInMs;
  while (record.status === 0) {
    if (Date.now() > deadline) throw new Error(`the sandbox did not answer ${record.method} ${record.url} within ${timeoutInMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return record.status;
}

export const isTapCreate = (userId: string) => (r: SandboxRequestRecord): boolean =>
  r.method === 'POST' && (r.url.split('?')[0] ?? '').toLowerCase().endsWith(`/users/${userId}/authentication/temporaryaccesspassmethods`);
