/**
 * 7. Hot spots: the shared documents every new request touches (open-request index, the
 * requester's / approver's recent lists, the velocity counters, the audit chain head) under
 * three instances on one store, the worst case: one busy helpdesk agent asking for many
 * people who all share one fallback approver. Each instance sends its requests in bursts
 * (all of one second's requests at the same instant), and closes each request a little
 * later, so index removals race index additions too.
 *
 * Counted, not timed: lost compare-and-swap races (ConcurrencyError from a conditional
 * write, by key) and "too many changes" refusals (FlowError concurrentUpdate) that a person
 * would have been shown. The target is zero refusals at ≥ 100 requests a minute.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../src/audit/auditLog';
import { ConcurrencyError, FlowError } from '../src/errors';
import { RequestRepository } from '../src/flow/store/requestRepository';
import { TapFlow } from '../src/flow/tapFlow';
import type { Actor, TapRequest } from '../src/flow/types';
import type { DirectoryUser } from '../src/graph/types';
import { configureLogging } from '../src/log';
import { createBlobsStorage } from '../src/storage/blobsStorage';
import { SqliteStorage } from '../src/storage/sqliteStorage';
import type { DurableStorage, StoreItems } from '../src/storage/types';
import { startAzurite, type RunningAzurite } from '../test/support/azurite';
import { contoso, flowConfig, sequentialId, SANDBOX_TENANT_ID, USERS } from '../test/support/flowWorld';
import { fakeNotifier, FakeGraph } from '../test/support/fakePorts';
import { memoryNow, row, type BenchOptions, type BenchResult, type BenchRow } from './stats';

export interface HotspotOptions {
  /** Instances writing to the one store. Default 3. */
  instances?: number;
  /** Requests each instance starts per second, all at once (a burst). Default 2. */
  perInstancePerSecond?: number;
  /** How long requests keep coming. Default 20 s. */
  durationInMs?: number;
  /** A request is closed (cancelled) this long after it was made. Default 1.5 s. */
  closeAfterInMs?: number;
  /**
   * 'indexes': RequestRepository only (the index documents of src/flow/store/requestIndexes.ts).
   * 'flow': TapFlow.startRequest + cancel with the real AuditLog on the same store (adds the
   * velocity counters, the per-person lock and the audit chain).
   */
  level: 'indexes' | 'flow';
}

export interface HotspotCounts {
  level: HotspotOptions['level'];
  requested: number;
  created: number;
  closed: number;
  /** "Too many changes arrived at the same moment" refusals a person would have seen. */
  tooBusy: number;
  /** Any other failure, by message (should be empty). */
  otherErrors: Record<string, number>;
  /** Conditional writes that lost a race (each costs one retry), by key family. */
  conflictsByKey: Record<string, number>;
  conflicts: number;
  writes: number;
  requestsPerMinute: number;
  wallMs: number;
  createLatenciesInMs: number[];
}

/** Wraps a store and counts conditional writes that lost a race, by key family. */
export class ConflictCounter implements DurableStorage {
  writes = 0;
  readonly byKey: Record<string, number> = {};
  readonly writeReturningETags?: (changes: StoreItems) => Promise<Record<string, string>>;

  constructor(private readonly inner: DurableStorage) {
    const withETags = inner.writeReturningETags?.bind(inner);
    if (withETags) this.writeReturningETags = (changes) => this.counted(changes, () => withETags(changes));
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  write(changes: StoreItems): Promise<void> {
    return this.counted(changes, () => this.inner.write(changes));
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  get conflicts(): number {
    return Object.values(this.byKey).reduce((s, n) => s + n, 0);
  }

  private async counted<T>(changes: StoreItems, op: () => Promise<T>): Promise<T> {
    this.writes++;
    try {
      return await op();
    } catch (e) {
      if (e instanceof ConcurrencyError) {
        const family = keyFamily(/"(.*)"/.exec(e.message)?.[1] ?? Object.keys(changes)[0] ?? '?');
        this.byKey[family] = (this.byKey[family] ?? 0) + 1;
      }
      throw e;
    }
  }
}

/** "index/requester/abc" → "index/requester/*", "request/TAP-1" → "request/*". */
function keyFamily(key: string): string {
  const parts = key.split('/');
  if (parts[0] === 'request') return 'request/*';
  if (parts[0] === 'audit-chain' && parts[1] !== 'head') return 'audit-chain/<event>';
  return parts.length > 2 ? `${parts.slice(0, 2).join('/')}/*` : key;
}

/** Synthetic people with no manager: every request for them goes to the fallback approver group. */
function targets(count: number): DirectoryUser[] {
  return Array.from({ length: count }, (_, i) => {
    const hex = (i + 1).toString(16).padStart(12, '0');
    return {
      id: `00000000-0000-4000-8000-${hex}`,
      userPrincipalName: `user${i + 1}@contoso.com`,
      displayName: `User ${i + 1}`,
      userType: 'Member',
      accountEnabled: true,
      jobTitle: 'Staff',
      department: 'Sales',
    };
  });
}

const AGENT: Actor = { aadObjectId: USERS.adele.id, tenantId: SANDBOX_TENANT_ID, displayName: USERS.adele.name };

/** One run: `instances` clients on `stores` (one per instance, all on the same data). */
export async function measureHotspots(stores: DurableStorage[], options: HotspotOptions): Promise<HotspotCounts> {
  const perSecond = options.perInstancePerSecond ?? 2;
  const duration = options.durationInMs ?? 20_000;
  const closeAfter = options.closeAfterInMs ?? 1_500;
  const seconds = Math.max(1, Math.round(duration / 1000));
  const total = stores.length * perSecond * seconds;
  const counters = stores.map((s) => new ConflictCounter(s));
  const people = targets(total);
  const directory = contoso();
  directory.users.push(...people);
  const graph = new FakeGraph(directory);
  const config = flowConfig({
    // The fallback approver group gets every request; the counters stay on but high.
    limits: { requestsPerAgentPerHour: 10_000, openApprovalsPerApprover: 1_000, passesPerTargetPerDay: 1_000 },
  });
  let nextId = 0;
  // One id sequence per run, a different prefix per run so runs on one store never collide.
  const runTag = Math.floor(Math.random() * 32 ** 3);
  const newId = (): string => sequentialId(runTag * 32 ** 3 + ++nextId);
  const clock = (): Date => new Date();

  type Instance = { create(i: number): Promise<TapRequest>; close(r: TapRequest): Promise<void> };
  const instances: Instance[] = counters.map((storage) => {
    if (options.level === 'indexes') {
      const repo = new RequestRepository(storage, { clock });
      return {
        async create(i) {
          const now = new Date();
          const p = people[i]!;
          const request = {
            id: newId(),
            state: 'PendingApproval',
            createdAt: now.toISOString(),
            updatedAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
            requester: { id: AGENT.aadObjectId, displayName: AGENT.displayName ?? '' },
            target: { id: p.id, userPrincipalName: p.userPrincipalName, displayName: p.displayName },
            approver: { ids: [USERS.joni.id], people: [{ id: USERS.joni.id, displayName: USERS.joni.name }] },
          } as unknown as TapRequest;
          const stored = await repo.create(request);
          if (!stored) throw new Error(`request id ${request.id} taken`);
          return stored;
        },
        async close(r) {
          await repo.transition(r.id, 'PendingApproval', (c) => ({ ...c, state: 'Cancelled' }));
        },
      };
    }
    const flow = new TapFlow({ graph, storage, audit: new AuditLog({ storage }), notifier: fakeNotifier(), config, clock, newId });
    return {
      create: (i) => flow.startRequest(AGENT, { target: people[i]!.userPrincipalName, reason: 'Lost phone, new device', scenario: 'recovery' }),
      close: async (r) => {
        await flow.cancel(AGENT, r.id);
      },
    };
  });

  const counts: HotspotCounts = {
    level: options.level,
    requested: 0,
    created: 0,
    closed: 0,
    tooBusy: 0,
    otherErrors: {},
    conflictsByKey: {},
    conflicts: 0,
    writes: 0,
    requestsPerMinute: 0,
    wallMs: 0,
    createLatenciesInMs: [],
  };
  const failed = (e: unknown): void => {
    if (e instanceof FlowError && e.code === 'concurrentUpdate') counts.tooBusy++;
    else {
      const key = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 160) : String(e);
      counts.otherErrors[key] = (counts.otherErrors[key] ?? 0) + 1;
    }
  };
  const work: Array<Promise<void>> = [];
  const started = performance.now();
  let index = 0;
  for (let s = 0; s < seconds; s++) {
    const tickAt = started + s * 1000;
    const wait = tickAt - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    instances.forEach((instance) => {
      for (let k = 0; k < perSecond; k++) {
        const i = index++;
        counts.requested++;
        work.push(
          (async () => {
            const t0 = performance.now();
            let made: TapRequest;
            try {
              made = await instance.create(i);
            } catch (e) {
              failed(e);
              return;
            }
            counts.createLatenciesInMs.push(performance.now() - t0);
            counts.created++;
            await new Promise((r) => setTimeout(r, closeAfter));
            try {
              // Closed by another instance than the one that made it, as a click may land anywhere.
              await instances[(instances.indexOf(instance) + 1) % instances.length]!.close(made);
              counts.closed++;
            } catch (e) {
              failed(e);
            }
          })(),
        );
      }
    });
  }
  await Promise.all(work);
  counts.wallMs = performance.now() - started;
  counts.requestsPerMinute = (counts.requested * 60_000) / (seconds * 1000);
  for (const c of counters) {
    counts.writes += c.writes;
    for (const [k, n] of Object.entries(c.byKey)) counts.conflictsByKey[k] = (counts.conflictsByKey[k] ?? 0) + n;
  }
  counts.conflicts = Object.values(counts.conflictsByKey).reduce((s, n) => s + n, 0);
  return counts;
}

/** Three SQLite connections on one file (three processes on one host). */
export async function onSqlite<T>(instances: number, run: (stores: DurableStorage[]) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-hot-'));
  const stores = Array.from({ length: instances }, () => new SqliteStorage({ path: path.join(dir, 'bot.sqlite') }));
  try {
    return await run(stores);
  } finally {
    for (const s of stores) await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Three blob clients on one Azurite container (three hosts). */
export async function onAzurite<T>(instances: number, run: (stores: DurableStorage[]) => Promise<T>, running?: RunningAzurite): Promise<T> {
  const azurite = running ?? (await startAzurite());
  const container = `hot${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const stores = Array.from({ length: instances }, () => createBlobsStorage({ connectionString: azurite.connectionString, container }));
  try {
    return await run(stores);
  } finally {
    for (const s of stores) await s.close();
    if (!running) await azurite.stop();
  }
}

export function summaryLine(backend: string, c: HotspotCounts): string {
  const hot = Object.entries(c.conflictsByKey)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const other = Object.values(c.otherErrors).reduce((s, n) => s + n, 0);
  return (
    `${backend} ${c.level}: ${c.requested} requests at ${Math.round(c.requestsPerMinute)}/min, ${c.created} created, ${c.closed} closed, ` +
    `${c.tooBusy} too busy, ${other} other errors; ${c.conflicts} lost CAS races in ${c.writes} writes (${hot || 'none'})`
  );
}

export async function benchHotspots(options: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  configureLogging({ level: 'error', sink: () => undefined });
  const instances = 3;
  const run: HotspotOptions = { level: 'flow', instances, perInstancePerSecond: 2, durationInMs: options.quick ? 2_000 : 20_000 };
  const results: Array<{ backend: string; counts: HotspotCounts }> = [];
  for (const level of ['indexes', 'flow'] as const) {
    results.push({ backend: 'sqlite', counts: await onSqlite(instances, (s) => measureHotspots(s, { ...run, level })) });
    results.push({ backend: 'blobs', counts: await onAzurite(instances, (s) => measureHotspots(s, { ...run, level })) });
  }
  const rows: BenchRow[] = results.map(({ backend, counts }) => ({
    ...row(`${backend} ${counts.level}: create`, counts.createLatenciesInMs, { wallMs: counts.wallMs, roundTrips: `${(counts.writes / Math.max(1, counts.requested)).toFixed(1)} writes/request` }),
    memory: memoryNow(),
  }));
  return {
    id: 'hotspots',
    title: `Shared index documents: ${instances} instances, ${run.perInstancePerSecond} requests/s each in bursts, one agent, one approver group`,
    rows,
    notes: results.map(({ backend, counts }) => summaryLine(backend, counts)),
    data: { options: run, results },
    durationMs: performance.now() - started,
  };
}
