/**
 * The request workflow: the one object the Teams edge talks to. Plain TypeScript over
 * ports (Graph gateway, storage, audit, notifier): testable without HTTP, Teams or Graph.
 * Every method takes the Actor the edge established from the activity, never card data.
 */
import type { AuditSink } from '../audit/types';
import { FlowError, GraphError } from '../errors';
import { said } from '../i18n/said';
import type { TapGraph } from '../graph/types';
import type { DurableStorage } from '../storage/types';
import { durableBefore } from './durableBefore';
import { cancel, markHandedOver } from './decide/closing';
import { assertOwnTenant, isOwnTenant } from './gate/tenant';
import { actorFields, flowLog as log, makeAudit, makeAuditStep, makeNotifyUpdated, type FlowContext } from './context';
import { decide } from './decide/decision';
import { beginStepUp, finishStepUp, type BulkStepUpPort, type StepUpAttempt, type StepUpOutcome, type StepUpSignIn, type StepUpStart } from './decide/stepUp';
import { InvalidInputError, sentence } from './errors';
import { canonicalId } from '../identity';
import { waitingFor } from './gate/decisionRights';
import { startRequest } from './request/intake';
import { targetNotFound } from './gate/refusals';
import { newRequestId, parseRequestId } from './requestId';
import { VelocityLimiter } from './gate/limits';
import { TargetLocks } from './gate/openRequestLock';
import { RequestRepository } from './store/requestRepository';
import { formPolicy } from './request/settings';
import { isTerminal } from './stateMachine';
import { reportSuspicious, revoke } from './stop/revoke';
import { previewTarget, SHOWN_POLICY_MAX_AGE_IN_MS, type TargetPreview } from './request/preview';
import { disputeAsOwner, disputeByLink, type LinkDispute } from './stop/dispute';
import { sweep } from './jobs/sweep';
import type {
  Actor,
  DecisionInput,
  FlowConfig,
  FlowNotifier,
  FormPolicy,
  NewRequestInput,
  StatusFilter,
  StatusView,
  SweepResult,
  TapRequest,
} from './types';
import { normaliseUpn } from './request/validation';

export interface TapFlowOptions {
  graph: TapGraph;
  storage: DurableStorage;
  audit: AuditSink;
  notifier: FlowNotifier;
  config: FlowConfig;
  clock?: () => Date;
  newId?: () => string;
}

/** How many finished requests `status` lists; the card says when the list is cut. */
export const RECENT_SHOWN = 10;

/**
 * Every actor is canonicalised on the way in (the edge already does; this is the core's
 * own guarantee): a sender without a GUID object id is nobody the workflow acts for.
 */
function canonicalActor(actor: Actor): Actor {
  const id = canonicalId(actor.aadObjectId);
  if (!id) throw new FlowError('invalidInput', said('noActorId'));
  return { ...actor, aadObjectId: id };
}

/**
 * The workflow's context from its ports. The bulk road builds its own from the same ports,
 * so a bulk member's pass meets the same limits, locks, records and notices as any other.
 */
export function createFlowContext(options: TapFlowOptions, track: (work: Promise<unknown>) => void): FlowContext {
  const clock = options.clock ?? (() => new Date());
  const repo = new RequestRepository(options.storage, { clock });
  // No pass made, no code shown, before the writes that guard it are durable (durableBefore.ts).
  const notifier = durableBefore(bulkAwareNotifier(options.notifier), ['deliverPass'], options.storage);
  return {
    graph: durableBefore(options.graph, ['createTap'], options.storage),
    repo,
    storage: options.storage,
    limiter: new VelocityLimiter(options.storage, options.config.limits),
    targetLocks: new TargetLocks(options.storage, repo),
    notifier,
    config: options.config,
    clock,
    newId: options.newId ?? newRequestId,
    audit: makeAudit(options.audit, clock),
    auditStep: makeAuditStep(options.audit, clock),
    notifyUpdated: makeNotifyUpdated(notifier),
    track,
  };
}

/**
 * A bulk member's record speaks through its bulk request's cards (progress, result pages):
 * it has no approval card or delivery card of its own to send, refresh or hide. Owner
 * notices, plain messages and security alerts go out as for any request.
 */
function bulkAwareNotifier(inner: FlowNotifier): FlowNotifier {
  const own: Partial<FlowNotifier> = {
    requestApproval: (r, options) => (r.bulk ? Promise.resolve() : inner.requestApproval(r, options)),
    requestUpdated: (r) => (r.bulk ? Promise.resolve() : inner.requestUpdated(r)),
    deliverPass: (r, pass) => (r.bulk ? Promise.reject(new Error("A bulk member's pass is delivered on its result page.")) : inner.deliverPass(r, pass)),
    hidePass: (r) => (r.bulk ? tellDeadBulkCode(inner, r) : inner.hidePass(r)),
  };
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop in own) return own[prop as keyof FlowNotifier];
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * A bulk member's code sits on a result page among other people's codes, which are never
 * kept, so the page cannot be redrawn without it. When that pass stops working early
 * (revoked, replaced, deleted by recovery), whoever holds the page is told right below it
 * not to hand that code over. Expiry and handover need no word: the page hides itself then.
 */
async function tellDeadBulkCode(inner: FlowNotifier, r: TapRequest): Promise<void> {
  const recipient = r.delivery?.recipientId;
  const how = r.revocation ? 'stopped' : r.replacedBy ? 'replaced' : r.state === 'Failed' ? 'deleted' : undefined;
  if (!recipient || !how || !inner.tell || !r.bulk) return;
  const dead = said('bulkCodeDead', { who: r.target.displayName, id: r.id, bulkId: r.bulk.id, how, ...(r.replacedBy ? { replacedBy: r.replacedBy.requestId } : {}) });
  await inner.tell(recipient, sentence(dead));
}

export class TapFlow {
  private readonly ctx: FlowContext;
  /** Issuances still running after their click was answered. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: TapFlowOptions) {
    this.ctx = createFlowContext(options, (work) => {
      const settled = work.then(
        () => undefined,
        (e: unknown) => log.error('background issuance failed', { error: e }),
      );
      this.inFlight.add(settled);
      void settled.finally(() => this.inFlight.delete(settled));
    });
  }

  /** The actor is in the configured tenant and a (transitive) helpdesk group member; refusals are audited. */
  async assertAgent(who: Actor): Promise<void> {
    const actor = canonicalActor(who);
    let refusal: FlowError | undefined;
    try {
      assertOwnTenant(this.ctx, actor);
      const groups = await this.ctx.graph.memberGroups(actor.aadObjectId, [this.ctx.config.helpdeskGroupId]);
      if (!groups.includes(this.ctx.config.helpdeskGroupId)) refusal = new FlowError('notHelpdeskAgent', said('notHelpdeskAgent'));
    } catch (e) {
      if (!(e instanceof FlowError)) throw e;
      refusal = e;
    }
    if (refusal) {
      await this.ctx.audit({ action: 'agent.refused', ...actorFields(actor), outcome: refusal.code, details: { tenantId: actor.tenantId } });
      log.info('actor refused as agent', { actorId: actor.aadObjectId, outcome: refusal.code });
      throw refusal;
    }
  }

  /**
   * Is this person a helpdesk agent? For choosing what to show (welcome, help): a "no" here
   * is not a refused request, so nothing is audited. Anything that acts calls assertAgent.
   */
  async isAgent(who: Actor): Promise<boolean> {
    const actor = canonicalActor(who);
    if (!isOwnTenant(this.ctx.config.tenantId, actor.tenantId)) return false;
    const groups = await this.ctx.graph.memberGroups(actor.aadObjectId, [this.ctx.config.helpdeskGroupId]);
    return groups.includes(this.ctx.config.helpdeskGroupId);
  }

  /** Lifetime bounds and defaults for the request form, from the tenant policy. */
  async getPolicyForForm(viewerZone?: string): Promise<FormPolicy> {
    return formPolicy(this.ctx.config, await this.ctx.graph.getTapPolicy({ maxAgeInMs: SHOWN_POLICY_MAX_AGE_IN_MS }), this.ctx.clock(), viewerZone);
  }

  async startRequest(actor: Actor, input: NewRequestInput): Promise<TapRequest> {
    return startRequest(this.ctx, canonicalActor(actor), input, (a) => this.assertAgent(a));
  }

  async decide(actor: Actor, requestId: string, input: DecisionInput): Promise<TapRequest> {
    return decide(this.ctx, canonicalActor(actor), requestId, input);
  }

  /** The approver opened the sign-in link of a held approval: a new attempt, or why not. */
  beginStepUp(intentId: string, attempt: Omit<StepUpAttempt, 'startedAt'>, bulk?: BulkStepUpPort): Promise<StepUpStart> {
    return beginStepUp(this.ctx, intentId, attempt, bulk);
  }

  /** The sign-in came back: the held approval is applied through decide() when the token proves the approver stepped up. */
  finishStepUp(state: string, redeem: (attempt: StepUpAttempt) => Promise<StepUpSignIn>, bulk?: BulkStepUpPort): Promise<StepUpOutcome> {
    return finishStepUp(this.ctx, state, redeem, (actor, requestId, input, proof) => decide(this.ctx, canonicalActor(actor), requestId, input, proof), bulk);
  }

  async cancel(actor: Actor, requestId: string): Promise<TapRequest> {
    return cancel(this.ctx, canonicalActor(actor), requestId);
  }

  async markHandedOver(actor: Actor, requestId: string): Promise<TapRequest> {
    return markHandedOver(this.ctx, canonicalActor(actor), requestId);
  }

  /** Deletes an issued pass in Entra ID; for the agent who asked, the approver, or the recipient. */
  async revoke(actor: Actor, requestId: string, reason?: string): Promise<TapRequest> {
    return revoke(this.ctx, canonicalActor(actor), requestId, reason);
  }

  /** Flags the request as suspicious and stops it (or revokes its pass); the reason is required. */
  async reportSuspicious(actor: Actor, requestId: string, reason: unknown): Promise<TapRequest> {
    return reportSuspicious(this.ctx, canonicalActor(actor), requestId, reason);
  }

  /** Who `typed` is and whether a pass can be had, before the agent fills in the form. */
  async preview(who: Actor, typed: string): Promise<TargetPreview> {
    const actor = canonicalActor(who);
    await this.assertAgent(actor);
    return previewTarget(this.ctx, actor, typed);
  }

  /** The account owner says "This wasn't me" from the Teams notice. */
  async disputeAsOwner(actor: Actor, requestId: string): Promise<TapRequest> {
    return disputeAsOwner(this.ctx, canonicalActor(actor), requestId);
  }

  /** The one-time "This wasn't me" link from the owner's notice mail (no sign-in). */
  disputeByLink(token: string): Promise<LinkDispute> {
    return disputeByLink(this.ctx, token);
  }

  /** What waits for this person's decision now, oldest deadline first. Anyone may ask: it lists only their own. */
  async pending(who: Actor): Promise<TapRequest[]> {
    const actor = canonicalActor(who);
    assertOwnTenant(this.ctx, actor);
    const requests = await this.ctx.repo.getMany(await this.ctx.repo.indexes.recentByApprover(actor.aadObjectId));
    return waitingFor(requests, actor.aadObjectId, this.ctx.clock());
  }

  /** The agent's own requests, or (filter.targetUpn) every request for that user. */
  async status(who: Actor, filter: StatusFilter = {}): Promise<StatusView> {
    const actor = canonicalActor(who);
    await this.assertAgent(actor);
    let ids: string[];
    if (filter.targetUpn !== undefined) {
      const parsed = normaliseUpn(filter.targetUpn);
      if ('problem' in parsed) throw new InvalidInputError([{ field: 'targetUpn', said: parsed.problem }]);
      let targetId: string;
      try {
        targetId = (await this.ctx.graph.getUser(parsed.upn)).id;
      } catch (e) {
        if (e instanceof GraphError && e.code === 'notFound') throw targetNotFound(parsed.upn);
        throw e;
      }
      ids = await this.ctx.repo.indexes.recentByTarget(targetId);
    } else {
      ids = await this.ctx.repo.indexes.recentByRequester(actor.aadObjectId);
    }
    const requests = await this.ctx.repo.getMany(ids);
    return {
      open: requests.filter((r) => !isTerminal(r.state)),
      recent: requests.filter((r) => isTerminal(r.state)).slice(0, RECENT_SHOWN),
    };
  }

  /** Resolves when every issuance still running in the background has finished (shutdown, tests). */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Expire overdue approvals and hide codes of expired passes; see sweep.ts. */
  sweep(now: Date = this.ctx.clock()): Promise<SweepResult> {
    return sweep(this.ctx, now);
  }

  /** The stored request for read-only cards; undefined for unknown or malformed ids. */
  async getRequest(requestId: string): Promise<TapRequest | undefined> {
    const id = parseRequestId(requestId);
    return id ? this.ctx.repo.get(id) : undefined;
  }
}
