/**
 * A stand-in for the Bot Connector service (what Teams runs at `serviceUrl`), plus a client
 * that posts activities to the bot the way Teams does. It records every activity the bot
 * sends or updates so tests assert on what people would see.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface RecordedActivity {
  conversationId: string;
  activityId: string;
  kind: 'send' | 'update';
  activity: Record<string, unknown>;
}

export interface Persona {
  id: string;
  name: string;
  upn?: string;
}

export interface FakeConnector {
  serviceUrl: string;
  /** Everything the bot sent or updated, oldest first. */
  log: RecordedActivity[];
  /** Conversations the bot created (proactive create), by conversation id. */
  created: Array<{ conversationId: string; members: unknown[] }>;
  /** The latest version of each activity by id (sends replaced by later updates). */
  current(): Map<string, RecordedActivity>;
  stop(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const log: RecordedActivity[] = [];
  const created: FakeConnector['created'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        res.writeHead(400);
        res.end();
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      // /v3/conversations
      if (req.method === 'POST' && parts.length === 2 && parts[0] === 'v3' && parts[1] === 'conversations') {
        const conversationId = `a:created-${randomUUID()}`;
        created.push({ conversationId, members: (body.members as unknown[]) ?? [] });
        return json(res, 201, { id: conversationId });
      }
      // /v3/conversations/{id}/activities[/{activityId}]
      if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'activities') {
        const conversationId = parts[2] ?? '';
        if (req.method === 'POST') {
          const activityId = `act-${log.length + 1}-${randomUUID().slice(0, 8)}`;
          log.push({ conversationId, activityId, kind: 'send', activity: body });
          return json(res, 200, { id: activityId });
        }
        if (req.method === 'PUT' && parts[4]) {
          log.push({ conversationId, activityId: parts[4], kind: 'update', activity: body });
          return json(res, 200, { id: parts[4] });
        }
        if (req.method === 'DELETE') return json(res, 200, {});
      }
      json(res, 404, { error: { code: 'NotFound', message: `${req.method} ${url.pathname}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    log,
    created,
    current() {
      const map = new Map<string, RecordedActivity>();
      for (const r of log) map.set(r.activityId, r);
      return map;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  // Separate calls: restify patches ServerResponse.writeHead and it no longer returns `this`.
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Posts activities to the bot as Teams would, for one persona in a 1:1 chat. */
export class TeamsClient {
  readonly conversationId: string;
  constructor(
    private readonly messagesUrl: string,
    private readonly serviceUrl: string,
    private readonly tenantId: string,
    readonly persona: Persona,
    private readonly timeZone = 'Europe/Copenhagen',
  ) {
    this.conversationId = `a:personal-${persona.id}`;
  }

  private base(type: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type,
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      from: { id: `29:${this.persona.id}`, name: this.persona.name, aadObjectId: this.persona.id },
      recipient: { id: '28:tap-bot', name: 'TAP Helpdesk' },
      conversation: { id: this.conversationId, conversationType: 'personal', tenantId: this.tenantId },
      channelData: { tenant: { id: this.tenantId } },
      entities: [{ type: 'clientInfo', locale: 'en-US', timezone: this.timeZone }],
      locale: 'en-US',
      ...extra,
    };
  }

  async post(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const res = await fetch(this.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  install(): Promise<{ status: number; body: unknown }> {
    return this.post(this.base('installationUpdate', { action: 'add' }));
  }

  say(text: string): Promise<{ status: number; body: unknown }> {
    return this.post(this.base('message', { text }));
  }

  /** Universal Action click: invoke `adaptiveCard/action`. */
  click(verb: string, data: Record<string, unknown>, replyToId?: string): Promise<{ status: number; body: unknown }> {
    return this.post(
      this.base('invoke', {
        name: 'adaptiveCard/action',
        ...(replyToId ? { replyToId } : {}),
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      }),
    );
  }

  /** Same persona but claiming another tenant (for tenant-guard tests). */
  withTenant(tenantId: string): TeamsClient {
    return new TeamsClient(this.messagesUrl, this.serviceUrl, tenantId, this.persona, this.timeZone);
  }
}
