/**
 * A new request: validate, check every rule before anyone is bothered, pick the approver,
 * store it, ask for approval.
 */
import { FlowError } from '../../errors';
import type { DirectoryUser } from '../../graph/types';
import { actorFields, flowLog as log, requestFields, settingsDetails, type FlowContext } from '../context';
import { resolveRequestApprover, toPerson } from '../gate/approver';
import { announceMoves } from '../decide/escalation';
import { LimitReachedError, waitingIds } from '../gate/limits';
import { inPolicyScope, outOfScopeReason, scopeGroupIds } from '../gate/policyScope';
import { assure } from '../gate/assurance';
import { localToUtc, nextWorkingDay } from './localTime';
import { DEFAULT_PRESETS } from './presets';
import type { ScenarioPreset } from '../types';
import { findTarget } from './lookup';
import { policyDisabled, targetOutOfPolicyScope, targetRefusal } from '../gate/refusals';
import { isInFlight, isWaitingToBeMade } from '../stateMachine';
import { holderOf, type Hold } from '../gate/openRequestLock';
import { said, wordsIn } from '../../i18n/said';
import { failureOf, RequestClosedError } from '../errors';
import { resolveSettings } from './settings';
import type { Actor, NewRequestInput, Scenario, TapRequest } from '../types';
import { validateNewRequest, type ValidRequest } from './validation';
import { bindRequestId } from '../../telemetry/correlation';
import { nameAndUpn } from '../../identity';

const ID_ATTEMPTS = 5;
/** How many of the target's latest requests are checked for one still open. */
const OPEN_LOOKBACK = 5;

async function openRequestFor(ctx: FlowContext, targetId: string, now: Date): Promise<TapRequest | undefined> {
  const ids = (await ctx.repo.indexes.recentByTarget(targetId)).slice(0, OPEN_LOOKBACK);
  const requests = await Promise.all(ids.map((id) => ctx.repo.get(id)));
  return requests.find((r) => r !== undefined && isInFlight(r, now));
}

/**
 * "One open request per person", said: who holds it and where it stands (a pass prepared days
 * ahead says when it will be made, in the reader's zone; the organisation's for the English).
 */
function duplicateRequest(ctx: FlowContext, hold: Hold | undefined, who: string): FlowError {
  if (!hold) return new FlowError('duplicateRequest', said('duplicateBeingMade', { who }));
  const name = hold.request?.target.displayName ?? who;
  const open = hold.request;
  // Only what can be done: a request still waiting (for a decision, or for its morning) can be
  // withdrawn by whoever asked; one being made now, or a bulk member's pass, can only be waited for.
  const next = open?.bulk ? 'waitForBulk' : !open ? 'askRequester' : open.state === 'PendingApproval' || isWaitingToBeMade(open) ? 'withdraw' : 'wait';
  const meaning = said('duplicateRequest', {
    id: hold.id,
    who: name,
    holder: hold.holder,
    next,
    ...(open?.bulk ? { bulkId: open.bulk.id } : {}),
    ...(open ? { requester: open.requester.displayName } : {}),
  });
  const orgZone = ctx.config.orgTimeZone;
  return new FlowError('duplicateRequest', (say, zone) => wordsIn(say, meaning, zone ?? orgZone));
}

function holdOfRequest(open: TapRequest): Hold {
  return { id: open.id, holder: holderOf(open), request: open };
}

export async function startRequest(
  ctx: FlowContext,
  actor: Actor,
  input: NewRequestInput,
  assertAgent: (actor: Actor) => Promise<void>,
): Promise<TapRequest> {
  const now = ctx.clock();
  // A start typed without a zone is in the organisation's (what the form says), and without a
  // time at the scenario's start time (a first morning), never silently at midnight UTC.
  const preset = presetFor(ctx, input.scenario);
  const valid = validateNewRequest(
    {
      ...input,
      ...(input.startDate ? { timeZone: input.timeZone ?? ctx.config.orgTimeZone ?? 'UTC' } : {}),
      ...(input.startDate && !input.startTime && preset?.startTime ? { startTime: preset.startTime } : {}),
    },
    now,
  );
  await assertAgent(actor);

  const refuse = async (error: FlowError, target?: DirectoryUser, extra: Record<string, string | number | string[]> = {}): Promise<never> => {
    await ctx.audit({
      action: 'request.refused',
      ...actorFields(actor),
      ...(target ? { targetId: target.id } : {}),
      targetUpn: target?.userPrincipalName ?? valid.target,
      outcome: error.code,
      details: { scenario: valid.scenario, reason: valid.reason, ...(valid.ticket ? { ticket: valid.ticket } : {}), ...extra },
    });
    // A velocity limit is a security signal: warn, so it can be alerted on.
    log[error instanceof LimitReachedError ? 'warn' : 'info']('request refused', { outcome: error.code, agentId: actor.aadObjectId, ...extra });
    throw error;
  };

  // One round of reads: the target's facts, the policy, the agent's profile and (when a look-up
  // just named the manager) the manager's out-of-office, in one `$batch` (the gateway's).
  const factsRead = await settled(findTarget(ctx, valid.target, { policy: true, userId: actor.aadObjectId }));
  // This request's own answers from that `$batch`; read now only when the target's read failed.
  const also = factsRead.status === 'fulfilled' ? factsRead.value.alongside : undefined;
  const [policyRead, agentRead] = await Promise.allSettled([also?.policy?.() ?? ctx.graph.getTapPolicy(), also?.user?.() ?? ctx.graph.getUser(actor.aadObjectId)]);

  const policy = valueOf(policyRead);
  if (policy.state !== 'enabled') return refuse(policyDisabled());
  let settings;
  try {
    settings = resolveSettings(withDefaultStart(ctx, valid, now), ctx.config.tap, policy, presetFor(ctx, valid.scenario));
  } catch (e) {
    if (e instanceof FlowError) return refuse(e);
    throw e;
  }

  if (factsRead.status === 'rejected') {
    const e: unknown = factsRead.reason;
    if (e instanceof FlowError) return refuse(e);
    throw e;
  }
  const facts = factsRead.value;
  const refusal = targetRefusal(facts, actor.aadObjectId);
  if (refusal) {
    return refuse(refusal, facts.user, refusal.code === 'targetPrivileged' ? { roleTemplateIds: facts.privilegedRoleTemplateIds } : {});
  }
  const agent = valueOf(agentRead);

  // One open request per person: a second one would only confuse the approver.
  const open = await openRequestFor(ctx, facts.user.id, now);
  if (open) return refuse(duplicateRequest(ctx, holdOfRequest(open), facts.user.userPrincipalName), facts.user, { openRequestId: [open.id] });
  // A bulk request that will make their pass holds them too.
  const held = await ctx.targetLocks.holdOf(facts.user.id, now);
  if (held) return refuse(duplicateRequest(ctx, held, facts.user.userPrincipalName), facts.user, { openRequestId: [held.id] });

  // Who decides, and whether the policy covers this person: independent reads, in parallel.
  const scopeGroups = scopeGroupIds(policy);
  const [approverRead, scopeRead] = await Promise.allSettled([
    resolveRequestApprover(ctx, actor.aadObjectId, facts, now),
    scopeGroups.length > 0 ? ctx.graph.memberGroups(facts.user.id, scopeGroups, { fresh: true }) : Promise.resolve([]),
  ]);
  const memberOf = valueOf(scopeRead);
  if (!inPolicyScope(policy, facts.user.id, memberOf)) {
    return refuse(targetOutOfPolicyScope(`${nameAndUpn(facts.user)}`, outOfScopeReason(policy, facts.user.id, memberOf)), facts.user);
  }
  if (approverRead.status === 'rejected') {
    if (approverRead.reason instanceof FlowError) return refuse(approverRead.reason, facts.user);
    throw approverRead.reason;
  }
  const approver = approverRead.value;

  let assurance;
  try {
    assurance = await assure(ctx, actor.aadObjectId, facts.user, facts.signals, approver, now);
  } catch (e) {
    if (e instanceof FlowError) return refuse(e, facts.user);
    throw e;
  }

  const draft = (id: string): TapRequest => ({
    id,
    state: 'PendingApproval',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ctx.config.approvalTimeoutInMinutes * 60_000).toISOString(),
    tenantId: actor.tenantId,
    requester: toPerson(agent),
    target: { ...toPerson(facts.user), ...(facts.user.preferredLanguage !== undefined ? { preferredLanguage: facts.user.preferredLanguage } : {}) },
    approver,
    ...(assurance.secondApprover ? { secondApprover: assurance.secondApprover } : {}),
    risk: assurance.risk,
    ...(facts.signals ? { signals: facts.signals } : {}),
    scenario: valid.scenario,
    reason: valid.reason,
    ...(valid.ticket ? { ticket: valid.ticket } : {}),
    settings,
    policyDefaultLifetimeInMinutes: policy.defaultLifetimeInMinutes,
    ...(scopeGroups.length > 0 ? { scopeGroupIds: scopeGroups } : {}),
    replacesExistingTap: facts.existingTaps.length > 0,
    deliveryRecipient: ctx.config.tap.deliveryRecipient,
  });
  const candidate = draft(await freeId(ctx));

  try {
    await ctx.limiter.assertPassAllowed(candidate.target, now);
    await ctx.limiter.countRequest(candidate, actor.aadObjectId, now, async (ids) => waitingIds(await ctx.repo.getMany(ids), now));
  } catch (e) {
    if (e instanceof LimitReachedError) {
      return refuse(e, facts.user, { limit: e.limit, max: e.max, ...(e.resetsAt ? { resetsAt: e.resetsAt } : {}) });
    }
    throw e;
  }
  // The atomic step of "one open request per person": of two submits, one gets the lock.
  const claim = await ctx.targetLocks.claim(facts.user.id, candidate.id, now);
  if (!claim.claimed) {
    return refuse(duplicateRequest(ctx, claim.hold, facts.user.userPrincipalName), facts.user, claim.hold ? { openRequestId: [claim.hold.id] } : {});
  }

  const createdEvent = {
    action: 'request.created',
    ...actorFields(actor),
    ...requestFields(candidate),
    outcome: 'ok',
    details: createdDetails(candidate, valid),
  } as const;
  // The event commits with the request where the store allows (one commit, not two).
  const eventStep = ctx.auditStep?.(createdEvent);
  let eventStored = false;
  const request = await ctx.repo.create(
    candidate,
    eventStep &&
      ((read) => {
        eventStored = true;
        return eventStep(read);
      }),
  );
  // freeId saw the id free a moment ago: taken now means the id generator is broken.
  if (!request) throw new Error('Could not allocate a free request id.');
  bindRequestId(request.id);
  if (!eventStored) await ctx.audit(createdEvent);
  log.info('request created', { requestId: request.id, approverKind: approver.kind, approvers: approver.ids.length });

  try {
    await ctx.notifier.requestApproval(request);
  } catch (e) {
    return approverUnreachable(ctx, actor, request, e);
  }
  const asked = await markApprovalSent(ctx, request);
  ctx.track(announceMoves(ctx, asked));
  return asked;
}

/**
 * Records that the approvers have their card. A request without the mark after a grace
 * period was stored by an instance that died before asking: the sweep asks again.
 */
async function markApprovalSent(ctx: FlowContext, request: TapRequest): Promise<TapRequest> {
  try {
    return await ctx.repo.transition(request.id, 'PendingApproval', (r) => ({ ...r, approvalSentAt: ctx.clock().toISOString() }));
  } catch (e) {
    // Decided (or cancelled) already: the card was clearly seen.
    if (e instanceof RequestClosedError) return e.request;
    log.warn('could not record that the approval card was sent', { requestId: request.id, error: e });
    return request;
  }
}

/** Stored, not asked: an instance died between the two. After this long the sweep asks again. */
export const UNASKED_GRACE_IN_MS = 2 * 60_000;

/** The sweep's half of "stored, then asked": ask the approvers again (or close the request when they cannot be reached). */
export async function askAgain(ctx: FlowContext, request: TapRequest): Promise<void> {
  log.warn('asking again: the approval card of a stored request was never recorded as sent', { requestId: request.id });
  try {
    await ctx.notifier.requestApproval(request);
  } catch (e) {
    await approverUnreachable(ctx, { aadObjectId: 'system', tenantId: request.tenantId, displayName: 'sweep' }, request, e).catch(() => undefined);
    const closed = await ctx.repo.get(request.id);
    if (closed && closed.state === 'Failed') await ctx.notifyUpdated(closed);
    return;
  }
  await markApprovalSent(ctx, request);
}

/** A request id nobody uses yet. */
async function freeId(ctx: FlowContext): Promise<string> {
  for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
    const id = ctx.newId();
    if (!(await ctx.repo.get(id))) return id;
  }
  // Five collisions in a space of 10^9 means the id generator is broken, not bad luck.
  throw new Error('Could not allocate a free request id.');
}

async function approverUnreachable(ctx: FlowContext, actor: Actor, request: TapRequest, cause: unknown): Promise<TapRequest> {
  log.warn('approval card could not be delivered', { requestId: request.id, error: cause });
  const unreachable = new FlowError('approverUnreachable', said('approverUnreachable', { names: request.approver.people.map((p) => p.displayName), id: request.id }));
  let failed: TapRequest;
  try {
    failed = await ctx.repo.transition(request.id, 'PendingApproval', (r) => ({
      ...r,
      state: 'Failed',
      failure: failureOf(unreachable),
    }));
  } catch (e) {
    // Some approver did get the card and already decided: the request lives on.
    if (e instanceof RequestClosedError) return e.request;
    throw e;
  }
  await ctx.audit({ action: 'request.refused', ...actorFields(actor), ...requestFields(failed), outcome: 'approverUnreachable', details: { approverIds: failed.approver.ids } });
  throw unreachable;
}

function createdDetails(request: TapRequest, valid: ValidRequest): Record<string, string | number | boolean | string[]> {
  return {
    ...settingsDetails(request),
    approverKind: request.approver.kind,
    approverIds: request.approver.ids,
    ...(request.secondApprover ? { secondApproverIds: request.secondApprover.ids } : {}),
    ...(request.risk ? { risk: request.risk.level, riskRules: request.risk.rules } : {}),
    ...(request.signals ? { signalsMissing: missingSignals(request) } : {}),
    scenario: request.scenario,
    reason: valid.reason,
    ...(valid.ticket ? { ticket: valid.ticket } : {}),
    replacesExistingTap: request.replacesExistingTap,
    deliveryRecipient: request.deliveryRecipient,
  };
}

/** Which signals the approver could not see, for the audit ("against which evidence"). */
function missingSignals(request: TapRequest): string[] {
  const s = request.signals;
  if (!s) return [];
  return (['phones', 'methods', 'account', 'managerChange', 'risk'] as const).filter((k) => !s[k].available);
}

function presetFor(ctx: FlowContext, scenario: Scenario): ScenarioPreset {
  // Undefined for a scenario that is not one (validation refuses it with a sentence).
  return (ctx.config.presets ?? DEFAULT_PRESETS)[scenario];
}

/**
 * A new joiner's pass starts on their first morning: when the agent gave no start, the next
 * working day at the preset's time in the organisation's zone (the card shows it to check).
 */
function withDefaultStart(ctx: FlowContext, valid: ValidRequest, now: Date): ValidRequest {
  const preset = presetFor(ctx, valid.scenario);
  if (valid.startDateTime !== undefined || !preset.asksForStart || !preset.startTime) return valid;
  const zone = ctx.config.orgTimeZone ?? 'UTC';
  const start = localToUtc(nextWorkingDay(now, zone), preset.startTime, zone);
  return start ? { ...valid, startDateTime: start } : valid;
}

/** `work` as allSettled would give it. */
async function settled<T>(work: Promise<T>): Promise<PromiseSettledResult<T>> {
  try {
    return { status: 'fulfilled', value: await work };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

function valueOf<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}
