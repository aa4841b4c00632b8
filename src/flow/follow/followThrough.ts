/**
 * Registration follow-through: a pass exists so that its user registers a strong method
 * (Microsoft Authenticator, a passkey, Windows Hello for Business). After delivery the bot
 * reads the user's methods on a paced schedule until the pass expires. When one appears
 * that was created after the pass was issued, it records it, audits it, deletes the pass
 * early where configured, ends the onboarding group membership, and tells the recipient and
 * the agent. When the pass expires with nothing new, it tells the agent what to do next.
 *
 * Pacing: each watched pass is an entry of one index document with its next check time.
 * Checks come 2, 5, 10 and then every 15 minutes apart (the first registrations come quickly,
 * later ones rarely), plus one at expiry. A sweep makes at most `checksPerSweep` Graph
 * calls tenant-wide, oldest-due first, so 500 open passes never flood Graph.
 *
 * Several instances: a sweep first claims the entries it will check by moving their next
 * check time on (a compare-and-swap of the index), so two sweeps do not read the same
 * user. The outcome is then claimed on the request record (another compare-and-swap)
 * before anyone is told: of two instances that both saw the registration, one tells.
 * A crash between claim and check only delays that check to its next time.
 */
import { updateEntries, withEntry, withoutEntry, type EntriesChange } from '../../storage/casUpdate';
import type { RegisteredMethod } from '../../graph/types';
import { GraphError } from '../../errors';
import { flowLog as log, requestFields, type FlowContext } from '../context';
import { RequestClosedError, sentence } from '../errors';
import type { Sentence } from '../../errors';
import { said } from '../../i18n/said';
import { leaveOnboarding, named, onboardingUpkeep, tellOnce } from './onboarding';
import { STRONG_METHOD_TYPES, type Scenario, type StrongMethodType, type TapRequest } from '../types';

const INDEX_KEY = 'index/follow-through';
const RETRIES = 10;

/** Minutes from one check of a pass to the next; the last one repeats until expiry. */
const CHECK_DELAYS_IN_MINUTES: readonly number[] = [2, 5, 10, 15];
/** A claimed check at or after expiry that did not finish (a crash) is tried again after this. */
const RETRY_AFTER_EXPIRY_IN_MINUTES = 2;
/** Graph calls per sweep when the configuration names none (onboarding removals still run). */
const DEFAULT_CHECKS_PER_SWEEP = 50;

/** A delivered pass being watched. */
interface WatchEntry {
  id: string;
  nextCheckAt: string;
  expiresDateTime: string;
  /** Checks claimed so far: picks the next delay. */
  checks: number;
}

export interface FollowThroughSweep {
  checked: number;
  registered: number;
  expiredUnregistered: number;
  membershipsRemoved: number;
}

/**
 * What ends the follow-through of a scenario. Passkey onboarding sets up Authenticator on
 * the way to the passkey, in the same sign-in: only the passkey (or Windows Hello) is done.
 */
function completingTypes(scenario: Scenario): readonly StrongMethodType[] {
  return scenario === 'passkeyOnboarding' ? ['fido2', 'windowsHelloForBusiness'] : STRONG_METHOD_TYPES;
}

/**
 * Starts watching a delivered pass; idempotent. Does nothing when the follow-through is off
 * or the request has no live pass. Never throws: a pass whose follow-through could not
 * start still works (the failure is logged).
 */
export async function watchRegistration(ctx: FlowContext, request: TapRequest): Promise<void> {
  if (!ctx.config.followThrough || request.state !== 'Issued' || !request.issued || request.followThroughResult || request.revocation) return;
  const issued = request.issued;
  const from = Math.max(Date.parse(issued.issuedAt), Date.parse(issued.startDateTime));
  const expires = Date.parse(issued.expiresDateTime);
  const entry: WatchEntry = {
    id: request.id,
    nextCheckAt: new Date(Math.min(from + CHECK_DELAYS_IN_MINUTES[0]! * 60_000, expires)).toISOString(),
    expiresDateTime: issued.expiresDateTime,
    checks: 0,
  };
  try {
    await updateIndex(ctx, withEntry(entry));
  } catch (e) {
    log.error('could not start the registration follow-through of a pass', { requestId: request.id, error: e });
  }
}

/** The sweep's step: onboarding removals first (they matter most), then due checks, within one budget. */
export async function followThrough(ctx: FlowContext, now: Date): Promise<FollowThroughSweep> {
  const result: FollowThroughSweep = { checked: 0, registered: 0, expiredUnregistered: 0, membershipsRemoved: 0 };
  const budget = ctx.config.followThrough?.checksPerSweep ?? DEFAULT_CHECKS_PER_SWEEP;
  try {
    result.membershipsRemoved = await onboardingUpkeep(ctx, now, budget);
    if (!ctx.config.followThrough) return result;
    for (const entry of await claimDue(ctx, now, budget - result.membershipsRemoved)) {
      try {
        const outcome = await checkOne(ctx, entry.id, now);
        result.checked++;
        if (outcome === 'registered') result.registered++;
        if (outcome === 'expiredUnregistered') result.expiredUnregistered++;
      } catch (e) {
        log.warn('follow-through could not check a pass; it is checked again later', { requestId: entry.id, error: e });
        // Graph asks us to slow down: the other claimed entries wait for their next turn.
        if (e instanceof GraphError && e.code === 'throttled') break;
      }
    }
  } catch (e) {
    log.error('the registration follow-through failed; the next sweep tries again', { error: e });
  }
  if (result.registered || result.expiredUnregistered || result.membershipsRemoved) log.info('follow-through done', { ...result });
  return result;
}

/** Claims up to `budget` due entries by moving their next check on; returns what this sweep claimed. */
async function claimDue(ctx: FlowContext, now: Date, budget: number): Promise<WatchEntry[]> {
  if (budget <= 0) return [];
  let claimed: WatchEntry[] = [];
  await updateIndex(ctx, (entries) => {
    claimed = entries
      .filter((e) => Date.parse(e.nextCheckAt) <= now.getTime())
      .sort((a, b) => a.nextCheckAt.localeCompare(b.nextCheckAt))
      .slice(0, budget);
    if (claimed.length === 0) return undefined;
    const ids = new Set(claimed.map((e) => e.id));
    return entries.map((e) => (ids.has(e.id) ? { ...e, checks: e.checks + 1, nextCheckAt: nextCheckAt(e, now) } : e));
  });
  return claimed;
}

function nextCheckAt(entry: WatchEntry, now: Date): string {
  const expires = Date.parse(entry.expiresDateTime);
  if (now.getTime() >= expires) return new Date(now.getTime() + RETRY_AFTER_EXPIRY_IN_MINUTES * 60_000).toISOString();
  const delay = CHECK_DELAYS_IN_MINUTES[Math.min(entry.checks + 1, CHECK_DELAYS_IN_MINUTES.length - 1)]!;
  // The last check falls on the expiry itself: a registration in the last minutes counts.
  return new Date(Math.min(now.getTime() + delay * 60_000, expires)).toISOString();
}

type CheckOutcome = 'registered' | 'expiredUnregistered' | 'pending' | 'done';

async function checkOne(ctx: FlowContext, id: string, now: Date): Promise<CheckOutcome> {
  const request = await ctx.repo.get(id);
  if (!request || request.state !== 'Issued' || !request.issued || request.followThroughResult || request.revocation) {
    // Finished elsewhere (revoked, told already) or gone: nothing left to watch.
    await dropEntry(ctx, id);
    return 'done';
  }
  const expired = now.getTime() >= Date.parse(request.issued.expiresDateTime);
  let methods: RegisteredMethod[];
  try {
    methods = await ctx.graph.listAuthenticationMethods(request.target.id);
  } catch (e) {
    // A pass that has expired is finished whether or not its methods can be read (a missing
    // permission must not keep it in the schedule for ever); an unexpired one is tried again.
    if (!expired) throw e;
    return (await expiredUnregistered(ctx, request, now)) ? 'expiredUnregistered' : 'done';
  }
  const found = newStrongMethod(methods, request);
  if (found) return (await registered(ctx, request, found, now)) ? 'registered' : 'done';
  if (expired) return (await expiredUnregistered(ctx, request, now)) ? 'expiredUnregistered' : 'done';
  return 'pending';
}

/** The earliest completing method created after the pass was issued (Graph's createdDateTime). */
function newStrongMethod(methods: RegisteredMethod[], request: TapRequest): { type: StrongMethodType; displayName?: string; at: string } | undefined {
  const issuedAt = Date.parse(request.issued?.issuedAt ?? '');
  const types = completingTypes(request.scenario);
  const fresh = methods
    .filter((m): m is RegisteredMethod & { type: StrongMethodType; createdDateTime: string } =>
      (types as readonly string[]).includes(m.type) && typeof m.createdDateTime === 'string' && Date.parse(m.createdDateTime) > issuedAt)
    .sort((a, b) => Date.parse(a.createdDateTime) - Date.parse(b.createdDateTime))[0];
  if (!fresh) return undefined;
  return { type: fresh.type, ...(fresh.displayName ? { displayName: fresh.displayName } : {}), at: new Date(Date.parse(fresh.createdDateTime)).toISOString() };
}

function shouldDeletePass(ctx: FlowContext, request: TapRequest): boolean {
  const rule = ctx.config.followThrough?.deletePass ?? 'recovery';
  return rule === 'all' || (rule === 'recovery' && request.scenario === 'recovery');
}

/** Claims the outcome on the record, then does the rest once. False when another instance claimed it. */
async function registered(ctx: FlowContext, request: TapRequest, method: NonNullable<TapRequest['registration']>, now: Date): Promise<boolean> {
  const at = now.toISOString();
  let claimed: TapRequest;
  try {
    claimed = await ctx.repo.transition(request.id, 'Issued', (r) => {
      if (r.followThroughResult || r.revocation) throw new RequestClosedError(r);
      return { ...r, registration: method, followThroughResult: { outcome: 'registered', at } };
    });
  } catch (e) {
    if (e instanceof RequestClosedError) {
      await dropEntry(ctx, request.id);
      return false;
    }
    throw e;
  }
  await dropEntry(ctx, request.id);
  let done = claimed;
  let passDeleted: boolean | null = null;
  if (shouldDeletePass(ctx, claimed)) {
    const deleted = await deletePass(ctx, claimed, at);
    passDeleted = deleted !== undefined;
    done = deleted ?? claimed;
  }
  await ctx.audit({
    action: 'registration.detected',
    actorId: 'system',
    ...requestFields(done),
    outcome: 'ok',
    details: { type: method.type, registeredAt: method.at, scenario: done.scenario, passDeleted, ...(method.displayName ? { displayName: method.displayName } : {}) },
  });
  log.info('registration detected', { requestId: done.id, type: method.type, passDeleted });
  done = await leaveOnboarding(ctx, done, 'registered');
  await ctx.notifyUpdated(done);
  const news = said('registeredWithPass', {
    who: named(done),
    method: method.type,
    ...(method.displayName ? { displayName: method.displayName } : {}),
    id: done.id,
    passDeleted,
    ...(done.issued?.expiresDateTime ? { expiresAt: done.issued.expiresDateTime } : {}),
  });
  await tellOnce(ctx, [done.delivery?.recipientId, done.requester.id], sentence(news, ctx.config.orgTimeZone));
  return true;
}

/** Deletes the pass in Entra ID and hides its code; undefined when Graph refused (the pass then simply expires). */
async function deletePass(ctx: FlowContext, request: TapRequest, at: string): Promise<TapRequest | undefined> {
  const issued = request.issued!;
  try {
    // Idempotent in the gateway: a pass that is gone already counts as deleted.
    await ctx.graph.deleteTap(request.target.id, issued.methodId);
  } catch (e) {
    log.error('could not delete a pass after the registration it was for', { requestId: request.id, methodId: issued.methodId, error: e });
    return undefined;
  }
  let codeWasShown = false;
  const deleted = await ctx.repo.transition(request.id, 'Issued', (r) => {
    codeWasShown = r.delivery !== undefined && !r.delivery.codeHiddenAt;
    return {
      ...r,
      followThroughResult: { outcome: 'registered', at, ...r.followThroughResult, passDeletedAt: at },
      ...(r.delivery ? { delivery: { ...r.delivery, codeHiddenAt: r.delivery.codeHiddenAt ?? at } } : {}),
    };
  });
  if (codeWasShown) await ctx.notifier.hidePass(deleted).catch((e: unknown) => log.warn('could not hide the code of a deleted pass', { requestId: deleted.id, error: e }));
  await ctx.repo.indexes.removeVisiblePass(deleted.id).catch(() => undefined);
  return deleted;
}

async function expiredUnregistered(ctx: FlowContext, request: TapRequest, now: Date): Promise<boolean> {
  const at = now.toISOString();
  let claimed: TapRequest;
  try {
    claimed = await ctx.repo.transition(request.id, 'Issued', (r) => {
      if (r.followThroughResult || r.revocation) throw new RequestClosedError(r);
      return { ...r, followThroughResult: { outcome: 'expiredUnregistered', at } };
    });
  } catch (e) {
    if (e instanceof RequestClosedError) {
      await dropEntry(ctx, request.id);
      return false;
    }
    throw e;
  }
  await dropEntry(ctx, request.id);
  await ctx.audit({ action: 'registration.missed', actorId: 'system', ...requestFields(claimed), outcome: 'expiredUnregistered', details: { expiresDateTime: claimed.issued?.expiresDateTime ?? null, scenario: claimed.scenario } });
  const done = await leaveOnboarding(ctx, claimed, 'expired');
  await ctx.notifyUpdated(done);
  await tellOnce(ctx, [done.requester.id], expiredMessage(done));
  return true;
}

function expiredMessage(request: TapRequest): Sentence {
  return sentence(said('expiredUnregistered', { who: named(request), id: request.id, passkeyOnboarding: request.scenario === 'passkeyOnboarding', oneTime: request.issued?.isUsableOnce === true }));
}

function dropEntry(ctx: FlowContext, id: string): Promise<void> {
  return updateIndex(ctx, withoutEntry<WatchEntry>(id)).catch((e: unknown) =>
    log.warn('could not drop a finished pass from the follow-through index', { requestId: id, error: e }),
  );
}

function updateIndex(ctx: FlowContext, change: EntriesChange<WatchEntry>): Promise<void> {
  return updateEntries(ctx.storage, INDEX_KEY, change, { retries: RETRIES });
}
