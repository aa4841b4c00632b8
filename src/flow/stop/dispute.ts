/**
 * "This wasn't me": the account owner stops a pass they did not ask for, from the Teams
 * notice or the one-time mail link. The pass is deleted at once, the request is marked
 * suspicious, the user's sessions are revoked when configured, the agent and the approver
 * are told, and the security contacts are alerted.
 *
 * Once per request, however it is asked for: ten POSTs of one link at the same moment, a
 * double click in Teams, the link and the button together, on one bot instance or several.
 * A small document per request (`dispute-stop/<id>`), changed only by compare-and-swap,
 * holds the claim of the one attempt running now (with a lease, so a process that died
 * lets go) and what that attempt has done: audited, alerted, finished. A stop that did not
 * finish (Graph was down) may be tried again, and the retry does only what is left; a
 * finished stop is never repeated. Whoever finds a stop running waits a little for it
 * and reports its outcome.
 */
import { randomUUID } from 'node:crypto';
import { ConcurrencyError, FlowError } from '../../errors';
import { catalogue } from '../../i18n';
import { said, wordsIn } from '../../i18n/said';
import { updateItem } from '../../storage/casUpdate';
import { actorFields, flowLog as log, requestFields, type FlowContext } from '../context';
import { sameId } from '../../identity';
import { disputeKey, type DisputeTokenDoc } from '../follow/ownerNotice';
import { revokeIssued } from './revoke';
import { isWaitingToBeMade } from '../stateMachine';
import { assertOwnTenant } from '../gate/tenant';
import { loadRequest } from '../store/transitions';
import type { Actor, Person, TapRequest } from '../types';

type DisputeChannel = 'teams' | 'mail';

/**
 * How long a claim on a stop holds when its holder neither finishes nor lets go (the process
 * died). Longer than one stop can take: a Graph call that is throttled is retried up to
 * 5 times, each wait at most 30 s (graph/retry.ts); a claim must not lapse under a live
 * holder. A holder that fails lets go at once, so this is only what a crash costs.
 */
const STOP_LEASE_IN_MS = 5 * 60_000;

export interface DisputeOptions {
  /** How long a caller who finds another stop of the same request running waits for its outcome. Default 8 s (a Teams invoke is answered within 15 s). */
  waitForRunningStopInMs?: number;
}

const DEFAULT_WAIT_FOR_RUNNING_STOP_IN_MS = 8_000;

/** The stop of one request: who is at it now, and what has been done. */
interface DisputeStopDoc {
  requestId: string;
  /** The one attempt running now; it lapses at `until` (the holder's clock). */
  claim?: { id: string; until: string };
  /** `request.disputed` was audited: a retry does not audit again. */
  auditedAt?: string;
  /** Security was alerted: a retry does not alert again. */
  alertedAt?: string;
  /** The stop ran to its end: nothing is done again. */
  finishedAt?: string;
}

const stopKey = (requestId: string): string => `dispute-stop/${requestId}`;

/** What a caller of the stop learns. */
type StopResult =
  | { kind: 'stopped'; request: TapRequest }
  /** Stopped before (by this link, the Teams button or a retry): nothing was done now. */
  | { kind: 'finished'; request: TapRequest }
  /** Another attempt is still running after the wait, or it ended without finishing. */
  | { kind: 'notFinished' };

/** From Teams: only the person the pass is for can say it wasn't them. */
export async function disputeAsOwner(ctx: FlowContext, actor: Actor, requestId: string, options: DisputeOptions = {}): Promise<TapRequest> {
  assertOwnTenant(ctx, actor);
  const request = await loadRequest(ctx, requestId);
  if (!sameId(actor.aadObjectId, request.target.id)) {
    throw new FlowError('notParty', said('notYoursToDispute', { id: request.id }));
  }
  const result = await stopOnce(ctx, actor, request.id, 'teams', options);
  if (result.kind === 'notFinished') {
    throw new FlowError('concurrentUpdate', said('disputeStillRunning'));
  }
  return result.request;
}

export type LinkDispute = { outcome: 'stopped'; request: TapRequest } | { outcome: 'used' | 'expired' | 'unknown' | 'notFinished' };

/** From the mail link: the token works once, until a week after the pass expired. */
export async function disputeByLink(ctx: FlowContext, token: string, options: DisputeOptions = {}): Promise<LinkDispute> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return { outcome: 'unknown' };
  const key = disputeKey(token);
  const doc = (await ctx.storage.read([key]))[key] as DisputeTokenDoc | undefined;
  if (!doc) return { outcome: 'unknown' };
  let firstUse = false;
  if (doc.usedAt) {
    // Used, but the stop did not finish (Graph down at the time): the owner may try again.
    const current = await ctx.repo.get(doc.requestId);
    const stillWorks = current !== undefined && current.state === 'Issued' && current.revocation === undefined;
    if (!stillWorks) return { outcome: 'used' };
  } else {
    if (Date.parse(doc.expiresAt) < ctx.clock().getTime()) return { outcome: 'expired' };
    const usedAt = ctx.clock().toISOString();
    // Of the POSTs that find the link unused, one marks it; all of them go on to the stop,
    // where only one attempt runs.
    // (mutate runs again after a lost race: only its last run counts.)
    await updateItem<DisputeTokenDoc>(ctx.storage, key, (current) => {
      firstUse = current !== undefined && !current.usedAt;
      return firstUse ? { ...current!, usedAt } : 'abort';
    });
  }
  const request = await loadRequest(ctx, doc.requestId);
  const owner: Actor = { aadObjectId: request.target.id, tenantId: request.tenantId, displayName: request.target.displayName };
  const result = await stopOnce(ctx, owner, request.id, 'mail', options);
  switch (result.kind) {
    case 'stopped':
      return { outcome: 'stopped', request: result.request };
    case 'finished':
      // Stopped from Teams before the link was ever used: for this link, that is its stop.
      return firstUse ? { outcome: 'stopped', request: result.request } : { outcome: 'used' };
    case 'notFinished':
      return { outcome: 'notFinished' };
  }
}

/** Runs the stop when no other attempt is at it and it has not finished; else waits for the one that is. */
async function stopOnce(ctx: FlowContext, actor: Actor, requestId: string, via: DisputeChannel, options: DisputeOptions): Promise<StopResult> {
  const waitInMs = options.waitForRunningStopInMs ?? DEFAULT_WAIT_FOR_RUNNING_STOP_IN_MS;
  const claim = await claimStop(ctx, requestId);
  if (claim.kind === 'finished') return { kind: 'finished', request: await loadRequest(ctx, requestId) };
  if (claim.kind === 'running') return waitForRunningStop(ctx, requestId, claim.claimId, waitInMs);
  let finished = false;
  try {
    // Read after the claim: what an attempt before this one did is in the record now.
    const request = await loadRequest(ctx, requestId);
    const stopped = await stopDisputed(ctx, actor, request, via, claim);
    finished = true;
    return { kind: 'stopped', request: stopped };
  } finally {
    await letGo(ctx, claim, finished);
  }
}

type Claim = { kind: 'claimed'; requestId: string; claimId: string; doc: DisputeStopDoc } | { kind: 'running'; claimId: string } | { kind: 'finished' };

async function claimStop(ctx: FlowContext, requestId: string): Promise<Claim> {
  const claimId = randomUUID();
  const now = ctx.clock().getTime();
  let found: Claim = { kind: 'finished' };
  try {
    const doc = await updateItem<DisputeStopDoc>(ctx.storage, stopKey(requestId), (current) => {
      if (current?.finishedAt) {
        found = { kind: 'finished' };
        return 'abort';
      }
      if (current?.claim && Date.parse(current.claim.until) > now) {
        found = { kind: 'running', claimId: current.claim.id };
        return 'abort';
      }
      return { ...current, requestId, claim: { id: claimId, until: new Date(now + STOP_LEASE_IN_MS).toISOString() } };
    });
    return doc ? { kind: 'claimed', requestId, claimId, doc } : found;
  } catch (e) {
    // Lost the compare-and-swap every time: others are at it right now.
    if (e instanceof ConcurrencyError) return { kind: 'running', claimId: '' };
    throw e;
  }
}

/** Records a step of the stop, only while this attempt still holds the claim. */
async function note(ctx: FlowContext, claim: Extract<Claim, { kind: 'claimed' }>, change: Partial<DisputeStopDoc>): Promise<void> {
  try {
    await updateItem<DisputeStopDoc>(ctx.storage, stopKey(claim.requestId), (current) => (current?.claim?.id === claim.claimId ? { ...current, ...change } : 'abort'));
  } catch (e) {
    // The step happened; not noting it means a retry may repeat it. Worth a line, not a failure.
    log.error('could not note a step of a dispute', { requestId: claim.requestId, step: Object.keys(change).join(','), error: e });
  }
}

async function letGo(ctx: FlowContext, claim: Extract<Claim, { kind: 'claimed' }>, finished: boolean): Promise<void> {
  try {
    await updateItem<DisputeStopDoc>(ctx.storage, stopKey(claim.requestId), (current) => {
      if (current?.claim?.id !== claim.claimId) return 'abort';
      const { claim: _done, ...rest } = current;
      return finished ? { ...rest, finishedAt: ctx.clock().toISOString() } : rest;
    });
  } catch (e) {
    // The claim lapses on its own after STOP_LEASE_IN_MS.
    log.error('could not let go of the claim on a dispute', { requestId: claim.requestId, finished, error: e });
  }
}

/** Polls the stop document until the attempt that holds `claimId` is done, or the wait is over. */
async function waitForRunningStop(ctx: FlowContext, requestId: string, claimId: string, waitInMs: number): Promise<StopResult> {
  const deadline = Date.now() + waitInMs;
  for (let pause = 25; ; pause = Math.min(pause * 2, 250)) {
    const doc = (await ctx.storage.read([stopKey(requestId)]))[stopKey(requestId)] as DisputeStopDoc | undefined;
    if (doc?.finishedAt) return { kind: 'finished', request: await loadRequest(ctx, requestId) };
    const running = doc?.claim !== undefined && (claimId === '' || doc.claim.id === claimId);
    // Let go without finishing: that attempt failed, and this caller is told so, not sent to fail again at once.
    if (!running || Date.now() >= deadline) return { kind: 'notFinished' };
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, deadline - Date.now()))));
  }
}

async function stopDisputed(ctx: FlowContext, actor: Actor, request: TapRequest, via: DisputeChannel, claim: Extract<Claim, { kind: 'claimed' }>): Promise<TapRequest> {
  const owner: Person = { id: request.target.id, displayName: request.target.displayName, userPrincipalName: request.target.userPrincipalName };
  const meaning = said('ownerDisputed', { via: via === 'teams' ? 'teams' : 'mail' });
  const reason = wordsIn(catalogue('en'), meaning);
  let current = await ctx.repo.transition(request.id, ['PendingApproval', 'Approved', 'Issuing', 'Issued', 'Denied', 'Expired', 'Failed', 'Cancelled'], (r) => {
    const flagged = { ...r, suspicious: r.suspicious ?? { by: owner, at: ctx.clock().toISOString(), reason, said: meaning } };
    return r.state === 'PendingApproval' || isWaitingToBeMade(r) ? { ...flagged, state: 'Cancelled', cancelledBy: owner } : flagged;
  });
  if (!claim.doc.auditedAt) {
    await ctx.audit({ action: 'request.disputed', ...actorFields(actor), ...requestFields(current), outcome: 'ok', details: { via, stateWhenDisputed: request.state, suspicious: true } });
    await note(ctx, claim, { auditedAt: ctx.clock().toISOString() });
    log.warn('the account owner disputed a pass', { requestId: current.id, via });
  } else {
    log.warn('the account owner tries again to stop a disputed pass', { requestId: current.id, via });
  }
  try {
    if (current.state === 'Issued') current = await revokeIssued(ctx, actor, current, owner, meaning);
    else await ctx.notifyUpdated(current);
    if (ctx.config.ownerNotice?.revokeSessionsOnDispute) {
      try {
        await ctx.graph.revokeSignInSessions(current.target.id);
        await ctx.audit({ action: 'user.sessionsRevoked', actorId: 'system', ...requestFields(current), outcome: 'ok' });
      } catch (e) {
        log.error('could not revoke the sessions of a disputed account', { requestId: current.id, error: e });
      }
    }
  } finally {
    // Security hears of it even when stopping the pass failed: that is when it matters most.
    // Once: a retry after a failed stop does not alert again.
    if (!claim.doc.alertedAt) {
      try {
        await ctx.notifier.reportSuspicious?.(current);
        await note(ctx, claim, { alertedAt: ctx.clock().toISOString() });
      } catch (e) {
        log.error('could not alert the security contacts about a disputed pass', { requestId: current.id, error: e });
      }
    }
  }
  return current;
}
