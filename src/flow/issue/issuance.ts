/**
 * From an approval to a delivered pass: re-check everything from fresh Graph reads, create
 * the pass, deliver it. The TAP value lives only in the local `tap`/`pass` objects between
 * Graph and the notifier: never in storage, audit, logs or errors.
 */
import { GraphError } from '../../errors';
import { said, type StoredReason } from '../../i18n/said';
import { failure } from '../errors';
import type { ApprovalFacts, IssuedTap, TargetSignals } from '../../graph/types';
import { actorFields, flowLog as log, personMessage, requestFields, settingsDetails, whyOf, type FlowContext } from '../context';
import { includesId, nameAndUpn } from '../../identity';
import { LimitReachedError } from '../gate/limits';
import { scopeGroupIds } from '../gate/policyScope';
import { changeSinceRequest } from '../gate/recheck';
import { failRequest } from '../store/transitions';
import { ownerGuideUrl, tellOwner } from '../follow/ownerNotice';
import { deleteUnseenPasses, GRAPH_CLOCK_SKEW_IN_MS } from './unseenPasses';
import { revokeIssued } from '../stop/revoke';
import { joinOnboarding } from '../follow/onboarding';
import { watchRegistration } from '../follow/followThrough';
import type { Actor, DeliverablePass, DeliveryFacts, IssuedFacts, TapRequest } from '../types';
import { passHistoryOf } from '../gate/assurance';
import { assessRisk, DEFAULT_RISK_RULES } from '../gate/risk';
import { markReplaced } from '../stop/livePass';

export async function issue(ctx: FlowContext, actor: Actor, approved: TapRequest): Promise<TapRequest> {
  // Decide twice: everything checked when the request was made is read again, fresh, now.
  let facts: ApprovalFacts;
  let scopeMemberOf: string[];
  try {
    facts = await ctx.graph.checkForApproval({
      requesterId: approved.requester.id,
      targetId: approved.target.id,
      // The primary approver's approval is what the rules must still support (with four eyes
      // the click that completed the request may be the second approver's).
      approverId: approved.decision?.by.id ?? actor.aadObjectId,
      helpdeskGroupId: ctx.config.helpdeskGroupId,
      ...(ctx.config.protectedGroupId ? { protectedGroupId: ctx.config.protectedGroupId } : {}),
      ...(ctx.config.fallbackApproverGroupId ? { fallbackApproverGroupId: ctx.config.fallbackApproverGroupId } : {}),
      privilegedRoleTemplateIds: ctx.config.privilegedRoleTemplateIds,
      scopeGroupIds: approved.scopeGroupIds ?? [],
      // Risk is judged again from fresh signals, in the same round trip.
      withSignals: true,
      now: ctx.clock(),
      ...(approved.secondDecision && ctx.config.risk?.secondApproverGroupId
        ? { secondApprover: { id: approved.secondDecision.by.id, groupId: ctx.config.risk.secondApproverGroupId } }
        : {}),
    });
    // The policy's scope may name groups it did not name at request time: one more (rare) read.
    const missing = scopeGroupIds(facts.policy).filter((g) => !includesId(approved.scopeGroupIds ?? [], g));
    scopeMemberOf = [...facts.targetScopeGroupIds];
    if (missing.length > 0 && facts.target) scopeMemberOf.push(...(await ctx.graph.memberGroups(approved.target.id, missing, { fresh: true })));
  } catch (e) {
    const why = personMessage(e, 'an unexpected error; the details are in the bot log');
    return failRequest(ctx, actor, approved, 'Approved', failure(why.code, said('checksIncomplete', { why: whyOf(e) })));
  }
  const change = changeSinceRequest(approved, approved.decision?.by.id ?? actor.aadObjectId, facts, ctx.config, scopeMemberOf);
  if (change) {
    return failRequest(ctx, actor, approved, 'Approved', { code: change.code, message: change.message, said: change.said }, { changed: change.code, before: change.before, after: change.after });
  }
  // Risk is decided twice too: a reason the approvers never saw (a risk raised, a method
  // registered, a report since) stops the pass, on the morning of a scheduled pass as well.
  const riskNow = await riskSinceRequest(ctx, approved, facts.target?.signals);
  if (riskNow) {
    return failRequest(ctx, actor, approved, 'Approved', failure('riskChanged', riskNow.said), { changed: 'riskChanged', after: riskNow.rules.join(',') });
  }
  try {
    await ctx.limiter.assertPassAllowed(approved.target, ctx.clock());
  } catch (e) {
    if (!(e instanceof LimitReachedError)) throw e;
    return failRequest(ctx, actor, approved, 'Approved', failure(e.code, said('limitAtIssue', { why: e.said ?? e.userMessage })), { limit: e.limit, max: String(e.max) });
  }
  const forceOneTime = facts.policy.isUsableOnce;

  const issuing = await ctx.repo.transition(approved.id, 'Approved', (r) => ({
    ...r,
    state: 'Issuing',
    settings: forceOneTime ? { ...r.settings, isUsableOnce: true } : r.settings,
  }));

  if (issuing.suspicious) {
    return failRequest(ctx, actor, issuing, 'Issuing', failure('reportedSuspicious', said('reportedWhileApproving')));
  }

  const created = await createChecked(ctx, actor, issuing);
  if ('failed' in created) return created.failed;
  const tap = created.tap;
  try {
    await ctx.limiter.countPass(issuing.target.id, ctx.clock());
  } catch (e) {
    // The pass exists: it is delivered whatever the counter says.
    log.error('could not count an issued pass against the daily limit', { requestId: issuing.id, error: e });
  }
  return deliver(ctx, actor, issuing, tap);
}

async function deliver(ctx: FlowContext, actor: Actor, issuing: TapRequest, tap: IssuedTap): Promise<TapRequest> {
  const now = ctx.clock();
  const start = tap.startDateTime || issuing.settings.startDateTime || now.toISOString();
  const lifetimeInMinutes = tap.lifetimeInMinutes || issuing.settings.lifetimeInMinutes;
  const issued: IssuedFacts = {
    methodId: tap.id,
    startDateTime: start,
    expiresDateTime: new Date(Date.parse(start) + lifetimeInMinutes * 60_000).toISOString(),
    lifetimeInMinutes,
    isUsableOnce: tap.isUsableOnce,
    issuedAt: now.toISOString(),
  };
  // 'manager' means the manager who approved (of a fallback group: the one who clicked).
  const approverId = issuing.decision?.by.id;
  const delivery: DeliveryFacts =
    issuing.deliveryRecipient === 'manager' && approverId
      ? { recipientId: approverId, recipientKind: 'manager' }
      : { recipientId: issuing.requester.id, recipientKind: 'agent' };
  const pass: DeliverablePass = {
    temporaryAccessPass: tap.temporaryAccessPass,
    startDateTime: issued.startDateTime,
    expiresDateTime: issued.expiresDateTime,
    lifetimeInMinutes,
    isUsableOnce: issued.isUsableOnce,
  };

  let withFacts: TapRequest = { ...issuing, issued, delivery };
  try {
    // Stored before delivery: if anything below fails, the record names the method to delete.
    withFacts = await ctx.repo.transition(issuing.id, 'Issuing', (r) => ({ ...r, issued, delivery }));
    if (withFacts.suspicious) return await discardUndeliveredPass(ctx, actor, withFacts, issued, new Error('reported as suspicious during issuance'), 'reportedSuspicious');
    await ctx.audit({
      action: 'tap.issued',
      ...actorFields(actor),
      ...requestFields(withFacts),
      outcome: 'ok',
      details: { methodId: issued.methodId, ...settingsDetails(withFacts), startDateTime: issued.startDateTime, expiresDateTime: issued.expiresDateTime },
    });
    await ctx.repo.indexes.addVisiblePass({ id: issuing.id, expiresDateTime: issued.expiresDateTime });
    await ctx.notifier.deliverPass(withFacts, pass);
  } catch (e) {
    return discardUndeliveredPass(ctx, actor, withFacts, issued, e);
  }

  await ctx.audit({
    action: 'tap.delivered',
    ...actorFields(actor),
    ...requestFields(withFacts),
    outcome: 'ok',
    details: { recipientId: delivery.recipientId, recipientKind: delivery.recipientKind },
  });
  const delivered = await ctx.repo.transition(issuing.id, 'Issuing', (r) => ({
    ...r,
    state: 'Issued',
    issued,
    delivery: { ...delivery, deliveredAt: now.toISOString() },
  }));
  // Passkey onboarding joins the onboarding group only once a live pass is delivered; then the
  // bot watches for the registration the pass is for.
  if (delivered.suspicious) {
    // Reported while the pass was being delivered: it must not stay live.
    return revokeIssued(ctx, actor, delivered, delivered.suspicious.by, said('reportedWhileDelivering', { reason: delivered.suspicious.reason }));
  }
  await markReplaced(ctx, delivered.target.id, delivered.id, ctx.clock());
  const done = await joinOnboarding(ctx, delivered);
  await watchRegistration(ctx, done);
  log.info('pass issued and delivered', { requestId: done.id, methodId: issued.methodId, recipientKind: delivery.recipientKind });
  await ctx.notifyUpdated(done);
  // The owner hears of it through channels that do not depend on the lost factor.
  await tellOwner(ctx, done, ownerGuideUrl(ctx, done));
  return done;
}

/** The pass exists but nobody has it: delete it so no secret is left behind, then fail the request. */
async function discardUndeliveredPass(
  ctx: FlowContext,
  actor: Actor,
  request: TapRequest,
  issued: IssuedFacts,
  cause: unknown,
  why: 'deliveryFailed' | 'reportedSuspicious' = 'deliveryFailed',
): Promise<TapRequest> {
  log.error('pass created but not delivered; deleting it', { requestId: request.id, methodId: issued.methodId, error: cause });
  let deleted = false;
  try {
    await ctx.graph.deleteTap(request.target.id, issued.methodId);
    deleted = true;
  } catch (e) {
    log.error('could not delete an undelivered pass', { requestId: request.id, methodId: issued.methodId, error: e });
  }
  const suspicious = why === 'reportedSuspicious';
  const meaning = deleted
    ? said('undeliveredDeleted', { suspicious })
    : said('undeliveredNotDeleted', { suspicious, upn: request.target.userPrincipalName, expiresAt: issued.expiresDateTime });
  await ctx.repo.indexes.removeVisiblePass(request.id).catch(() => undefined);
  return failRequest(ctx, actor, request, 'Issuing', failure(why, meaning), { methodId: issued.methodId, tapDeleted: deleted });
}


/** Sent, and no answer that says what happened (a lost connection, a timeout, a 5xx). */
function answerUnknown(e: unknown): boolean {
  return e instanceof GraphError && (e.status === 0 || e.status >= 500);
}

/*
 * A pass made before this request existed is not ours (one open request per person, so an
 * earlier pass belongs to an earlier request, maybe in someone's hands).
 */

/** Creates after an unknown answer whose check found no pass (safe: nothing was made). */
const UNCONFIRMED_ATTEMPTS = 3;

/**
 * The rule for an ambiguous create: a pass's code can never be read back, so the create is
 * never re-sent blindly. After an unknown answer the bot looks: a pass made since the create
 * was sent is one nobody has the code of, so it is deleted and the request fails saying so;
 * no pass means nothing happened, and the create may be sent again.
 */
async function createChecked(ctx: FlowContext, actor: Actor, issuing: TapRequest): Promise<{ tap: IssuedTap } | { failed: TapRequest }> {
  const who = `${nameAndUpn(issuing.target)}`;
  const options = {
    lifetimeInMinutes: issuing.settings.lifetimeInMinutes,
    isUsableOnce: issuing.settings.isUsableOnce,
    // Approved after the start it asked for: it starts now (Graph refuses a start in the past).
    ...(issuing.settings.startDateTime && Date.parse(issuing.settings.startDateTime) > ctx.clock().getTime() ? { startDateTime: issuing.settings.startDateTime } : {}),
  };
  for (let attempt = 1; ; attempt++) {
    // Graph's clock, not the flow's: the pass's createdDateTime is compared with it.
    const sentAt = Date.now();
    try {
      return { tap: await ctx.graph.createTap(issuing.target.id, options) };
    } catch (e) {
      if (!answerUnknown(e)) {
        const why = personMessage(e, 'an unexpected error; the details are in the bot log');
        return { failed: await failRequest(ctx, actor, issuing, 'Issuing', failure(why.code, said('graphDidNotCreate', { why: whyOf(e) }))) };
      }
      log.warn('a pass create got no answer; checking what Graph did', { requestId: issuing.id, attempt });
    }
    let deleted = 0;
    try {
      deleted = await deleteUnseenPasses(ctx.graph, issuing.target.id, { since: Math.max(sentAt - GRAPH_CLOCK_SKEW_IN_MS, Date.parse(issuing.createdAt)) });
    } catch (e) {
      log.error('an unconfirmed create could not be checked', { requestId: issuing.id, error: e });
      const unchecked = failure('createUnconfirmed', said('createUnconfirmedUnchecked', { who, name: issuing.target.displayName }));
      return { failed: await failRequest(ctx, actor, issuing, 'Issuing', unchecked, { passMayExist: true }) };
    }
    if (deleted > 0) {
      return { failed: await failRequest(ctx, actor, issuing, 'Issuing', failure('createUnconfirmed', said('createUnconfirmedDeleted', { who })), { deletedUnseenPasses: String(deleted) }) };
    }
    if (attempt >= UNCONFIRMED_ATTEMPTS) {
      const none = failure('createUnconfirmed', said('createUnconfirmedNone', { who, tries: attempt }));
      return { failed: await failRequest(ctx, actor, issuing, 'Issuing', none, { deletedUnseenPasses: '0' }) };
    }
    await new Promise((r) => setTimeout(r, 250 * attempt));
  }
}

/**
 * The risk now, from fresh signals and the stored history (this request left out): the rules
 * that apply now and did not when the approvers decided. Undefined when nothing new applies.
 */
async function riskSinceRequest(ctx: FlowContext, approved: TapRequest, signals: TargetSignals | undefined): Promise<{ rules: string[]; said: StoredReason } | undefined> {
  const now = ctx.clock();
  if (!signals) return undefined;
  const earlier = (await ctx.repo.getMany(await ctx.repo.indexes.recentByTarget(approved.target.id))).filter((r) => r.id !== approved.id);
  const risk = assessRisk(signals, passHistoryOf(earlier), ctx.config.risk ?? DEFAULT_RISK_RULES, now);
  const seen = new Set(approved.risk?.rules ?? []);
  const fresh = risk.rules.filter((r) => !seen.has(r));
  if (fresh.length === 0) return undefined;
  const reasons = (risk.said ?? risk.reasons).filter((_, i) => !seen.has(risk.rules[i]!));
  return { rules: fresh, said: said('riskAfterApproval', { reasons, mayNeedSecond: !approved.secondApprover }) };
}
