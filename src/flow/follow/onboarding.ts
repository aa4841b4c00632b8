/**
 * Passkey onboarding. Where the tenant asks for a passkey before anyone can register one,
 * an onboarding Conditional Access policy targets a group and the tenant's other MFA
 * policies exclude it: a member signs in with the (multi-use) pass and registers a passkey.
 * That exclusion is why nobody may stay a member: the user joins when the pass is issued
 * and leaves as soon as the pass has done its job or cannot any more (a passkey registered,
 * the pass revoked or expired, the request failed), whichever comes first.
 *
 * Every membership is kept in an index document from before the Graph call until the
 * removal succeeded, so a crash, a restart or a Graph outage only delays the removal: the
 * sweep retries it (onboardingUpkeep). Both Graph writes are idempotent, and the record's
 * `onboarding.removedAt` is a compare-and-swap, so of several instances one audits.
 */
import { readEntries, updateEntries, withEntry, withoutEntry, type EntriesChange } from '../../storage/casUpdate';
import { flowLog as log, personMessage, requestFields, whyOf, type FlowContext } from '../context';
import { RequestClosedError, sentence } from '../errors';
import type { Sentence } from '../../errors';
import { said } from '../../i18n/said';
import { sameId, nameAndUpn } from '../../identity';
import { REQUEST_STATES, type OnboardingLeaveReason, type TapRequest } from '../types';

const INDEX_KEY = 'index/onboarding-members';
const RETRIES = 10;

/** A membership the bot created and has not yet seen removed. */
interface MemberEntry {
  id: string;
  userId: string;
  groupId: string;
  /** The pass's expiry: the membership ends then at the latest. */
  expiresDateTime: string;
  /** Set when a removal was asked for and failed: the sweep retries it. */
  leaveDue?: OnboardingLeaveReason;
}

/**
 * Adds the target of an issued passkey-onboarding pass to ONBOARDING_GROUP_ID and records it
 * on the request. Anything else (no group configured, another scenario, joined already) is
 * returned as it is. Never throws for Graph: a failed add is logged, audited and told to the
 * agent, and the pass stands.
 */
export async function joinOnboarding(ctx: FlowContext, request: TapRequest): Promise<TapRequest> {
  const groupId = ctx.config.onboardingGroupId;
  if (!groupId || request.scenario !== 'passkeyOnboarding' || !request.issued || request.onboarding || request.revocation) return request;
  const entry: MemberEntry = { id: request.id, userId: request.target.id, groupId, expiresDateTime: request.issued.expiresDateTime };
  try {
    // Indexed first: whatever happens next, the sweep knows whom to take out again.
    await updateIndex(ctx, withEntry(entry));
    const change = await ctx.graph.addGroupMember(groupId, request.target.id);
    const addedAt = ctx.clock().toISOString();
    const joined = await ctx.repo.transition(request.id, REQUEST_STATES, (r) => {
      if (r.onboarding) throw new RequestClosedError(r);
      return { ...r, onboarding: { groupId, addedAt } };
    });
    await ctx.audit({ action: 'onboarding.joined', actorId: 'system', ...requestFields(joined), outcome: 'ok', details: { groupId, alreadyMember: change === 'alreadyMember' } });
    log.info('user added to the passkey onboarding group', { requestId: joined.id, groupId });
    // Revoked while joining: the revocation found no membership to end, so end it here.
    return joined.revocation ? await leaveOnboarding(ctx, joined, 'revoked') : joined;
  } catch (e) {
    if (e instanceof RequestClosedError) return e.request;
    const why = personMessage(e, 'an unexpected error; the details are in the bot log');
    log.error('could not add the user to the passkey onboarding group', { requestId: request.id, groupId, error: e });
    await ctx.audit({ action: 'onboarding.joined', actorId: 'system', ...requestFields(request), outcome: why.code, details: { groupId, message: why.message } });
    // The add may have happened before the failure was seen: the sweep takes it back at expiry.
    await markLeaveDue(ctx, request.id, 'failed').catch(() => undefined);
    await tellOnce(ctx, [request.requester.id, request.delivery?.recipientId], sentence(said('onboardingAddFailed', { who: named(request), why: whyOf(e) }), ctx.config.orgTimeZone));
    return request;
  }
}

/**
 * Takes the user out of the onboarding group, if this request put them there. Idempotent;
 * never throws for Graph: a failed removal is left to the sweep, which retries until it succeeds.
 */
export async function leaveOnboarding(ctx: FlowContext, request: TapRequest, why: OnboardingLeaveReason): Promise<TapRequest> {
  if (request.scenario !== 'passkeyOnboarding' || request.onboarding?.removedAt) return request;
  // A crash between the Graph add and the record leaves only the index entry.
  const groupId = request.onboarding?.groupId ?? (await entryOf(ctx, request.id))?.groupId;
  if (!groupId) return request;
  return (await removeMembership(ctx, { id: request.id, userId: request.target.id, groupId }, request, why)) ?? request;
}

/**
 * The sweep's part: removes memberships that are due (removal failed before, or the pass
 * expired), oldest first, at most `budget` of them. Resolves with the Graph calls made.
 */
export async function onboardingUpkeep(ctx: FlowContext, now: Date, budget: number): Promise<number> {
  if (budget <= 0) return 0;
  const entries = await readIndex(ctx);
  const due = entries
    .filter((e) => e.leaveDue !== undefined || Date.parse(e.expiresDateTime) <= now.getTime())
    .sort((a, b) => a.expiresDateTime.localeCompare(b.expiresDateTime))
    .slice(0, budget);
  let calls = 0;
  for (const entry of due) {
    try {
      const request = await ctx.repo.get(entry.id);
      if (request?.onboarding?.removedAt) {
        await dropEntry(ctx, entry.id);
        continue;
      }
      calls++;
      await removeMembership(ctx, entry, request, entry.leaveDue ?? 'expired');
    } catch (e) {
      log.error('sweep could not remove an onboarding group membership', { requestId: entry.id, error: e });
    }
  }
  return calls;
}

async function removeMembership(
  ctx: FlowContext,
  entry: Pick<MemberEntry, 'id' | 'userId' | 'groupId'>,
  request: TapRequest | undefined,
  why: OnboardingLeaveReason,
): Promise<TapRequest | undefined> {
  try {
    await ctx.graph.removeGroupMember(entry.groupId, entry.userId);
  } catch (e) {
    log.warn('could not remove the user from the passkey onboarding group; the sweep retries', { requestId: entry.id, groupId: entry.groupId, error: e });
    await markLeaveDue(ctx, entry.id, why).catch((err: unknown) => log.error('could not mark an onboarding removal for retry', { requestId: entry.id, error: err }));
    return request;
  }
  const removedAt = ctx.clock().toISOString();
  let left = request;
  let first = false;
  if (request?.onboarding) {
    try {
      left = await ctx.repo.transition(entry.id, REQUEST_STATES, (r) => {
        if (!r.onboarding || r.onboarding.removedAt) throw new RequestClosedError(r);
        return { ...r, onboarding: { ...r.onboarding, removedAt, removedBecause: why } };
      });
      first = true;
    } catch (e) {
      if (!(e instanceof RequestClosedError)) throw e;
      left = e.request;
    }
  }
  await dropEntry(ctx, entry.id);
  if (first && left) {
    await ctx.audit({ action: 'onboarding.left', actorId: 'system', ...requestFields(left), outcome: 'ok', details: { groupId: entry.groupId, reason: why } });
    log.info('user removed from the passkey onboarding group', { requestId: entry.id, reason: why });
  }
  return left;
}

/** How a message names the target: "Name (UPN)". */
export const named = (r: TapRequest): string => `${nameAndUpn(r.target)}`;

/** A short message to each person once, whatever the spelling of their id; a failed message is logged, the outcome stands. */
export async function tellOnce(ctx: FlowContext, ids: ReadonlyArray<string | undefined>, message: string | Sentence): Promise<void> {
  const people: string[] = [];
  for (const id of ids) if (id && !people.some((p) => sameId(p, id))) people.push(id);
  for (const id of people) {
    await ctx.notifier.tell?.(id, message).catch((e: unknown) => log.warn('could not send a follow-through message', { error: e }));
  }
}

function readIndex(ctx: FlowContext): Promise<MemberEntry[]> {
  return readEntries<MemberEntry>(ctx.storage, INDEX_KEY);
}

async function entryOf(ctx: FlowContext, id: string): Promise<MemberEntry | undefined> {
  return (await readIndex(ctx)).find((e) => e.id === id);
}

function markLeaveDue(ctx: FlowContext, id: string, why: OnboardingLeaveReason): Promise<void> {
  return updateIndex(ctx, (entries) =>
    entries.some((e) => e.id === id && e.leaveDue === undefined) ? entries.map((e) => (e.id === id ? { ...e, leaveDue: why } : e)) : undefined,
  );
}

function dropEntry(ctx: FlowContext, id: string): Promise<void> {
  return updateIndex(ctx, withoutEntry<MemberEntry>(id));
}

function updateIndex(ctx: FlowContext, change: EntriesChange<MemberEntry>): Promise<void> {
  return updateEntries(ctx.storage, INDEX_KEY, change, { retries: RETRIES });
}
