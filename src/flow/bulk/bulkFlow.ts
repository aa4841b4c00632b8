/**
 * Bulk passes for a group: the one object both front ends (the Teams edge and the admin
 * command line) talk to. Built from the same ports as TapFlow.
 */
import type { AuditSink } from '../../audit/types';
import { FlowError } from '../../errors';
import { said } from '../../i18n/said';
import type { BulkGraph, TapGraph } from '../../graph/types';
import { durableBefore } from '../durableBefore';
import { Leases } from '../../storage/lease';
import type { DurableStorage } from '../../storage/types';
import { flowLog as log, makeAudit } from '../context';
import { newBulkId, parseBulkId } from '../requestId';
import { createFlowContext } from '../tapFlow';
import type { Actor, FlowConfig, FlowNotifier } from '../types';
import type { BulkContext } from './context';
import { bulkPageHandedOver, cancelBulk, decideBulk, expireBulk, hidePage, type BulkDecisionInput } from './decision';
import { runBulk } from './engine';
import { revokeAll, type BulkRevocation } from './revokeAll';
import { notDueYet } from '../gate/schedule';
import { planBulk, startBulk } from './intake';
import { BulkRepository } from './repository';
import { makeAuditMany } from './bookkeeping';
import { DEFAULT_BULK_CONFIG, type BulkConfig, type BulkInput, type BulkNotifier, type BulkRequest } from './types';
import type { BulkStepUpPort, StepUpProof } from '../decide/stepUp';

export interface BulkFlowOptions {
  graph: TapGraph & BulkGraph;
  storage: DurableStorage;
  audit: AuditSink;
  notifier: BulkNotifier;
  /**
   * Reaches people about members' passes as about any pass: the owner's notice with its
   * dispute link, the manager's summary, security alerts (the Teams edge's FlowNotifier).
   */
  flowNotifier: FlowNotifier;
  config: FlowConfig;
  bulk?: Partial<BulkConfig>;
  /** Checks the actor is a helpdesk agent (TapFlow.assertAgent): one rule, one home. */
  assertAgent: (actor: Actor) => Promise<void>;
  leases: Leases;
  clock?: () => Date;
  newId?: () => string;
}

export class BulkFlow {
  private readonly ctx: BulkContext;
  private readonly running = new Map<string, Promise<unknown>>();
  private stopped = false;
  /** Work that outlives a run (owner notices, onboarding): whenIdle waits for it. */
  private readonly background = new Set<Promise<unknown>>();

  constructor(options: BulkFlowOptions) {
    const clock = options.clock ?? (() => new Date());
    this.ctx = {
      // No pass made, no code put on a page, before the writes that guard it are durable (durableBefore.ts).
      graph: durableBefore(options.graph, ['createTap', 'createTapsOnce'], options.storage),
      repo: new BulkRepository(options.storage, clock),
      leases: options.leases,
      notifier: durableBefore(options.notifier, ['deliverBulkPage'], options.storage),
      config: options.config,
      bulk: { ...DEFAULT_BULK_CONFIG, ...options.bulk },
      clock,
      newId: options.newId ?? newBulkId,
      audit: makeAudit(options.audit, clock),
      auditMany: makeAuditMany(options.audit, clock),
      assertAgent: options.assertAgent,
      gate: createFlowContext(
        { graph: options.graph, storage: options.storage, audit: options.audit, notifier: options.flowNotifier, config: options.config, clock },
        (work) => this.track(work),
      ),
      track: (work) => this.track(work),
      stopping: () => this.stopped,
    };
  }

  /** Who would get a pass and who would not, without storing or asking anyone (dry run). */
  plan(actor: Actor, input: BulkInput, via: 'teams' | 'cli' = 'teams'): Promise<BulkRequest> {
    return planBulk(this.ctx, actor, input, { via });
  }

  /** Teams: stores the request and asks the bulk approvers. */
  start(actor: Actor, input: BulkInput): Promise<BulkRequest> {
    return startBulk(this.ctx, actor, input, { via: 'teams' });
  }

  /**
   * The admin command line: the admin who runs it (with the app's own Graph permissions)
   * is the approver; the request is stored and issued at once, with the same audit.
   */
  async startApproved(actor: Actor, input: BulkInput): Promise<BulkRequest> {
    const bulk = await startBulk(this.ctx, actor, input, { via: 'cli' });
    const at = this.ctx.clock().toISOString();
    const person = bulk.requester;
    const approved = await this.ctx.repo.update(bulk.id, (b) =>
      b.state === 'PendingApproval' ? { ...b, state: 'Issuing', decision: { by: person, at, action: 'approve', attestation: 'run from the admin command line' } } : undefined,
    );
    await this.ctx.audit({ action: 'bulk.approved', actorId: actor.aadObjectId, ...(actor.displayName ? { actorName: actor.displayName } : {}), requestId: bulk.id, outcome: 'ok', details: { via: 'cli' } });
    return approved;
  }

  async decide(actor: Actor, id: string, input: BulkDecisionInput, proof?: StepUpProof): Promise<BulkRequest> {
    const decided = await decideBulk(this.ctx, actor, this.idOrThrow(id), input, proof);
    if (decided.state === 'Issuing') this.resume(decided.id);
    return decided;
  }

  cancel(actor: Actor, id: string): Promise<BulkRequest> {
    return cancelBulk(this.ctx, actor, this.idOrThrow(id));
  }

  /** Stops every pass the request made (and the request itself, if still open); says how many. */
  revokeAll(actor: Actor, id: string, reason?: string): Promise<BulkRevocation> {
    return revokeAll(this.ctx, actor, this.idOrThrow(id), reason);
  }

  handedOver(actor: Actor, id: string, page: number): Promise<BulkRequest> {
    return bulkPageHandedOver(this.ctx, actor, this.idOrThrow(id), page);
  }

  /** What the approver's step-up needs of the bulk road: is a request still open, and apply a held approval. */
  stepUpPort(): BulkStepUpPort {
    return {
      isOpen: async (id) => {
        const bulk = await this.get(id);
        return bulk !== undefined && bulk.state === 'PendingApproval' && Date.parse(bulk.expiresAt) > this.ctx.clock().getTime();
      },
      approve: (actor, id, proof) => this.decide(actor, id, { action: 'approve', attested: true }, proof),
    };
  }

  get(id: string): Promise<BulkRequest | undefined> {
    const parsed = parseBulkId(id);
    return parsed ? this.ctx.repo.get(parsed) : Promise.resolve(undefined);
  }

  /** Issues (or resumes) in this process; resolves when this run ends. One run per request per process. */
  run(id: string): Promise<BulkRequest | undefined> {
    const existing = this.running.get(id);
    if (existing) return existing as Promise<BulkRequest | undefined>;
    const work = runBulk(this.ctx, id).finally(() => this.running.delete(id));
    this.running.set(id, work);
    return work;
  }

  /** Starts a run in the background. */
  resume(id: string): void {
    if (this.stopped) return;
    void this.run(id).catch((e: unknown) => log.error('bulk run failed', { requestId: id, error: e }));
  }

  /**
   * The background job (one instance at a time, by lease): expire overdue approvals, resume
   * runs whose instance died, hide codes of expired pages.
   */
  async sweep(now: Date = this.ctx.clock()): Promise<void> {
    for (const id of await this.ctx.repo.openIds()) {
      const bulk = await this.ctx.repo.get(id);
      if (!bulk) continue;
      if (bulk.state === 'PendingApproval' && Date.parse(bulk.expiresAt) <= now.getTime()) await expireBulk(this.ctx, bulk);
      else if (!this.running.has(id) && ((bulk.state === 'Issuing' && (bulk.startedAt || !notDueYet(bulk.scheduledIssueAt, now))) || bulk.members.some((m) => m.state === 'sending' || m.state === 'created'))) this.resume(id);
      for (const page of bulk.pages) if (!page.codesHidden && page.deliveredAt && Date.parse(page.expiresDateTime) <= now.getTime()) await hidePage(this.ctx, bulk, page.n);
    }
  }

  /** Shutting down: runs end after their current wave and release their leases; another instance (or the next start) resumes. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.whenIdle();
  }

  /** Resolves when every run started here, and the work it left behind, has ended. */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0 || this.background.size > 0) await Promise.allSettled([...this.running.values(), ...this.background]);
  }

  private track(work: Promise<unknown>): void {
    const settled = work.catch((e: unknown) => log.error('bulk background work failed', { error: e }));
    this.background.add(settled);
    void settled.finally(() => this.background.delete(settled));
  }

  private idOrThrow(id: string): string {
    const parsed = parseBulkId(id);
    if (!parsed) throw new FlowError('requestNotFound', said('bulkNotFound', { id: id.slice(0, 32) }));
    return parsed;
  }
}
