/**
 * A bulk world: the sandbox tenant with a generated group, the real Graph gateway over
 * HTTPS, SQLite storage in a temp dir, the real audit log, and a notifier that records what
 * Teams would have shown (codes included, so a test can prove where they went).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedDirectory, type GeneratedFacts } from '../../sandbox/generate';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox, SandboxKnobs } from '../../sandbox/types';
import { AuditLog } from '../../src/audit/auditLog';
import type { Sentence } from '../../src/errors';
import { catalogue } from '../../src/i18n';
import { BulkFlow } from '../../src/flow/bulk/bulkFlow';
import type { BulkConfig, BulkNotifier, BulkPage, BulkPass, BulkRequest } from '../../src/flow/bulk/types';
import type { OwnerNoticeLinks } from '../../src/flow/types';
import type { Actor, FlowConfig, FlowNotifier, TapRequest } from '../../src/flow/types';
import { createCredential } from '../../src/graph/credential';
import { GraphGateway } from '../../src/graph/gateway';
import { Leases } from '../../src/storage/lease';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { flowConfig } from './flowWorld';

class RecordingBulkNotifier implements BulkNotifier {
  approvals: BulkRequest[] = [];
  updates: BulkRequest[] = [];
  pages: Array<{ page: BulkPage; passes: BulkPass[] }> = [];
  hidden: number[] = [];
  /** Fail the next N page deliveries (Teams down). */
  failPages = 0;
  async requestBulkApproval(bulk: BulkRequest): Promise<void> {
    this.approvals.push(bulk);
  }
  async bulkUpdated(bulk: BulkRequest): Promise<void> {
    this.updates.push(bulk);
  }
  async deliverBulkPage(_bulk: BulkRequest, page: BulkPage, passes: BulkPass[]): Promise<void> {
    if (this.failPages > 0) {
      this.failPages--;
      throw new Error('Teams is down');
    }
    this.pages.push({ page, passes });
  }
  async hideBulkPage(_bulk: BulkRequest, page: BulkPage): Promise<void> {
    this.hidden.push(page.n);
  }
}

/** What the single flow's notifier was asked for members' passes: owner notices and plain messages (never a code). */
class RecordingFlowNotifier implements FlowNotifier {
  ownerNotices: Array<{ request: TapRequest; links: OwnerNoticeLinks }> = [];
  told: Array<{ userId: string; message: string }> = [];
  alerts: TapRequest[] = [];
  /** Single requests asked for and delivered (a bulk member's record must never appear here). */
  asked: TapRequest[] = [];
  delivered: TapRequest[] = [];
  async requestApproval(request: TapRequest): Promise<void> {
    this.asked.push(request);
  }
  async requestUpdated(): Promise<void> {}
  async deliverPass(request: TapRequest): Promise<void> {
    this.delivered.push(request);
  }
  async hidePass(): Promise<void> {}
  async notifyOwner(request: TapRequest, links: OwnerNoticeLinks): Promise<void> {
    this.ownerNotices.push({ request, links });
  }
  async tell(userId: string, message: string | Sentence): Promise<void> {
    // Read as the Teams edge reads it: a Sentence in the reader's language (English here).
    this.told.push({ userId, message: typeof message === 'string' ? message : message(catalogue('en')) });
  }
  async reportSuspicious(request: TapRequest): Promise<void> {
    this.alerts.push(request);
  }
}

export interface BulkWorld {
  sandbox: RunningSandbox;
  facts: GeneratedFacts;
  storage: SqliteStorage;
  audit: AuditLog;
  notifier: RecordingBulkNotifier;
  flowNotifier: RecordingFlowNotifier;
  flow: BulkFlow;
  /** A second instance on the same storage (a restart, or another process's view). */
  another(name?: string, options?: { graph?: GraphGateway; clock?: () => Date }): BulkFlow;
  graph: GraphGateway;
  /** POSTs of TAP creates the sandbox received per user id ($batch items included). */
  createsPerUser(): Map<string, number>;
  stop(): Promise<void>;
}

export async function startBulkWorld(options: { members: number; knobs?: Partial<SandboxKnobs>; bulk?: Partial<BulkConfig>; config?: Partial<FlowConfig> }): Promise<BulkWorld> {
  const { directory, facts } = generatedDirectory({ members: options.members });
  const sandbox = await startSandbox({ port: 0, directory, knobs: { retryAfterFractional: true, retryAfterSeconds: 0.05, ...options.knobs } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bulk-'));
  const storage = new SqliteStorage({ path: path.join(dir, 'state.sqlite') });
  const audit = new AuditLog({ storage });
  const notifier = new RecordingBulkNotifier();
  const flowNotifier = new RecordingFlowNotifier();
  const credential = createCredential({ kind: 'secret', clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }, sandbox.tenantId, {
    authorityHost: sandbox.authorityHost,
    trustedCaPem: sandbox.caPem,
  });
  const graph = new GraphGateway({ credential, baseUrl: sandbox.graphBaseUrl, trustedCaPem: sandbox.caPem, retryBaseDelayInMs: 20, maxRetries: 4, membershipCacheInMs: 0 });
  const config = flowConfig({ ownerNotice: { enabled: true, revokeSessionsOnDispute: false, publicBaseUrl: () => 'https://bot.example.test' }, ...options.config });
  const build = (name: string, o: { graph?: GraphGateway; clock?: () => Date } = {}): BulkFlow =>
    new BulkFlow({
      graph: o.graph ?? graph,
      storage,
      audit,
      notifier,
      flowNotifier,
      config,
      bulk: { writesPerSecond: 200, writeBurst: 20, ...options.bulk },
      assertAgent: async () => undefined,
      leases: new Leases({ storage, holder: name, ...(o.clock ? { clock: o.clock } : {}) }),
      // The instance's own clock, for its leases and for what it reads as "how long ago".
      ...(o.clock ? { clock: o.clock } : {}),
    });
  return {
    sandbox,
    facts,
    storage,
    audit,
    notifier,
    flowNotifier,
    flow: build('instance-a'),
    another: (name = 'instance-b', o = {}) => build(name, o),
    graph,
    createsPerUser: () => {
      const counts = new Map<string, number>();
      for (const r of sandbox.requests) {
        const items = r.batchItems ? r.batchItems.map((url, i) => ({ url, method: r.batchItemMethods?.[i] ?? '?' })) : [{ url: r.url, method: r.method }];
        for (const { url, method } of items) {
          const m = /\/users\/([^/?]+)\/authentication\/temporaryAccessPassMethods$/.exec(url.split('?')[0] ?? '');
          if (!m || method !== 'POST') continue;
          const id = m[1]!.toLowerCase();
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
      }
      return counts;
    },
    stop: async () => {
      await sandbox.stop();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const AGENT: Actor = { aadObjectId: 'a0000000-0000-4000-8000-000000000001', tenantId: 'c0ffee00-7a90-4d1e-9b1a-5a4db0c0ffee', displayName: 'Adele Vance' };
export const BULK_APPROVER: Actor = { aadObjectId: 'a0000000-0000-4000-8000-00000000000f', tenantId: 'c0ffee00-7a90-4d1e-9b1a-5a4db0c0ffee', displayName: 'Joni Sherman' };

/**
 * The gateway as a process that dies during its `n`-th create `$batch`: that batch reaches
 * Graph (the passes are made), its answer never comes back, and every later call hangs.
 */
export function diesDuringCreate(graph: GraphGateway, n: number): GraphGateway {
  let creates = 0;
  let dead = false;
  const never = new Promise<never>(() => undefined);
  return new Proxy(graph, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (dead) return never;
        if (prop === 'createTapsOnce' && ++creates === n) {
          dead = true;
          void (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch(() => undefined);
          return never;
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
