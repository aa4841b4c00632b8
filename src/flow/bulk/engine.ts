/**
 * Issuing a bulk request: re-check, then create in `$batch`es of up to 20 at a client-side
 * pace under Graph's identity write limit, deliver each batch's codes at once (they live in
 * memory for one batch only), and keep every member's state durable, so a restart or a
 * second instance resumes without creating any pass twice or losing any member.
 *
 * The ambiguous create (sent, no answer that says what happened: a 5xx, a lost connection,
 * a crash between sending and storing the answer): a pass's code can never be read back,
 * so the engine never re-sends blindly. It lists the member's passes: none made since the
 * create went out → safe to send again; one made since → it is deleted (nobody has its code,
 * and nobody should hold a working pass nobody saw) and the member is failed with that reason.
 */
import { GraphError } from '../../errors';
import { said, type StoredReason } from '../../i18n/said';
import { failure, reasonOf } from '../errors';
import type { IssuedTap, TapCreateOutcome, TapPolicy } from '../../graph/types';
import { flowLog as log, whyOf } from '../context';
import { judgeMember } from '../gate/memberVerdict';
import { sameId } from '../../identity';
import { memberRecords } from '../gate/records';
import { notDueYet } from '../gate/schedule';
import { auditsWritten, patchMembers, queueMemberAudits, safeUpdate, SYSTEM } from './bookkeeping';
import type { BulkContext } from './context';
import { deliver } from './delivery';
import { memberCheckOptions, memberRules } from './intake';
import { recordCreated, tellManagers } from './memberRecords';
import { WritePacer } from './pacer';
import { closeUnsettled, reconcile, settleAmbiguous } from './settle';
import { countMembers, type BulkMember, type BulkRequest } from './types';

const WAVE = 20;
/** Enough waves in flight that the pace, not the round trips of one wave, sets the speed. */
const wavesInFlight = (ctx: BulkContext): number => Math.max(3, Math.ceil(ctx.bulk.writeBurst / WAVE) + Math.ceil(ctx.bulk.writesPerSecond / WAVE) + 1);
/** Lease of one bulk run; renewed every wave. */
const BULK_LEASE_MS = 60_000;
const PROGRESS_EVERY_MS = 2_000;
const POLICY_FRESH_MS = 5_000;


/** Runs (or resumes) the bulk request while this instance holds its lease. */
export async function runBulk(ctx: BulkContext, bulkId: string): Promise<BulkRequest | undefined> {
  const job = `bulk/${bulkId}`;
  let lease = await ctx.leases.acquire(job, BULK_LEASE_MS);
  if (!lease) return undefined;
  // Renewed before every wave and after every wait: an instance whose lease lapsed (another
  // took the run over) stops at once instead of creating passes beside it.
  // One renewal at a time (the waves share the lease), and at most every quarter lease.
  let renewedAt = Date.now();
  let renewing: Promise<boolean> | undefined;
  const holding = (): Promise<boolean> => {
    if (!lease) return Promise.resolve(false);
    if (Date.now() - renewedAt < BULK_LEASE_MS / 4) return Promise.resolve(true);
    renewing ??= (async () => {
      try {
        const current = lease;
        lease = current ? await ctx.leases.renew(current, BULK_LEASE_MS) : undefined;
        renewedAt = Date.now();
        if (!lease) log.warn('bulk run lost its lease: another instance carries on', { requestId: bulkId });
        return lease !== undefined;
      } finally {
        renewing = undefined;
      }
    })();
    return renewing;
  };
  try {
    let bulk = await ctx.repo.get(bulkId);
    if (!bulk) return bulk;
    // Stopped (cancelled, failed) while a wave was in flight and then crashed: settle what was sent.
    if ((bulk.state === 'Cancelled' || bulk.state === 'Failed') && bulk.members.some((m) => m.state === 'sending' || m.state === 'created')) {
      return await closeUnsettled(ctx, await reconcile(ctx, bulk));
    }
    if (bulk.state !== 'Issuing') return bulk;
    // Passes that start days ahead are made shortly before they start, not at approval.
    if (!bulk.startedAt && notDueYet(bulk.scheduledIssueAt, ctx.clock())) return bulk;
    bulk = await reconcile(ctx, bulk);
    let policyJustRead: TapPolicy | undefined;
    if (!bulk.startedAt) {
      ({ bulk, policy: policyJustRead } = await recheckRequest(ctx, bulk));
      if (bulk.state !== 'Issuing') return bulk;
    }
    bulk = await issueAll(ctx, bulk, holding, policyJustRead);
    return bulk;
  } finally {
    await auditsWritten(bulkId);
    if (lease) await ctx.leases.release(job);
  }
}

/** At approval, before the first create: the request as a whole still holds (and the policy it was judged on). */
async function recheckRequest(ctx: BulkContext, bulk: BulkRequest): Promise<{ bulk: BulkRequest; policy?: TapPolicy }> {
  const stop = async (code: string, meaning: StoredReason): Promise<{ bulk: BulkRequest }> => {
    const stopped = failure(code, meaning);
    const message = stopped.message;
    // The request's reason is shown once, above its members: each member line only says it was not made.
    const notMade = reasonOf(said('memberRequestStopped'));
    const failed = await ctx.repo.update(bulk.id, (b) =>
      b.state === 'Issuing'
        ? { ...b, state: 'Failed', failure: stopped, finishedAt: ctx.clock().toISOString(), members: b.members.map((m) => (m.state === 'pending' ? { ...m, state: 'failed', code, ...notMade } : m)) }
        : undefined,
    );
    if (failed.state === 'Failed' && failed.failure?.code === code) {
      await ctx.audit({ action: 'bulk.failed', ...SYSTEM, requestId: bulk.id, outcome: code, details: { message } });
    }
    await safeUpdate(ctx, failed);
    return { bulk: failed };
  };
  try {
    const [policy, requesterGroups, approverGroups] = await Promise.all([
      ctx.graph.getTapPolicy(),
      bulk.via === 'teams' ? ctx.graph.memberGroups(bulk.requester.id, [ctx.config.helpdeskGroupId], { fresh: true }) : Promise.resolve([ctx.config.helpdeskGroupId]),
      bulk.via === 'teams' && bulk.decision ? ctx.graph.memberGroups(bulk.decision.by.id, [bulk.approverGroupId], { fresh: true }) : Promise.resolve([bulk.approverGroupId]),
    ]);
    if (policy.state !== 'enabled') return stop('policyDisabled', said('bulkPolicyOff'));
    const { lifetimeInMinutes } = bulk.settings;
    if (lifetimeInMinutes < policy.minimumLifetimeInMinutes || lifetimeInMinutes > policy.maximumLifetimeInMinutes) {
      return stop('lifetimeOutOfBounds', said('bulkLifetimeOutsidePolicy', { min: policy.minimumLifetimeInMinutes, max: policy.maximumLifetimeInMinutes, asked: lifetimeInMinutes }));
    }
    if (!requesterGroups.some((g) => sameId(g, ctx.config.helpdeskGroupId))) {
      return stop('requesterNotAgent', said('bulkRequesterNotAgent', { requester: bulk.requester.displayName }));
    }
    if (!approverGroups.some((g) => sameId(g, bulk.approverGroupId))) {
      return stop('approverChanged', said('bulkApproverLeftGroup', bulk.decision ? { approver: bulk.decision.by.displayName } : {}));
    }
    const started = await ctx.repo.update(bulk.id, (b) => ({
      ...b,
      startedAt: ctx.clock().toISOString(),
      settings: policy.isUsableOnce ? { ...b.settings, isUsableOnce: true } : b.settings,
    }));
    return { bulk: started, policy };
  } catch (e) {
    log.warn('bulk re-check failed', { requestId: bulk.id, error: e });
    return stop('recheckFailed', said('bulkChecksIncomplete', { why: e instanceof GraphError ? whyOf(e) : said('unexpectedError') }));
  }
}

async function issueAll(ctx: BulkContext, initial: BulkRequest, holding: () => Promise<boolean>, policyJustRead?: TapPolicy): Promise<BulkRequest> {
  // One wave of headroom under the burst: Graph's bucket counts arrivals on its own clock, so a
  // pacer that empties it to the last token meets a 429 from jitter alone, and a whole-second
  // Retry-After stops every wave. The headroom costs one wave's worth of the first burst, once.
  const pacer = new WritePacer({ perSecond: ctx.bulk.writesPerSecond, burst: Math.max(1, ctx.bulk.writeBurst - (ctx.bulk.writeBurst > WAVE ? WAVE : 0)) });
  // The policy is read fresh at most every few seconds during a run (not once per wave).
  // The approval's re-check has just read it: the first waves use that read, not another round.
  let policyRead: { at: number; policy: Promise<TapPolicy> } | undefined = policyJustRead ? { at: Date.now(), policy: Promise.resolve(policyJustRead) } : undefined;
  const policyOf = (): Promise<TapPolicy> => {
    if (!policyRead || Date.now() - policyRead.at > POLICY_FRESH_MS) {
      const read = ctx.graph.getTapPolicy();
      policyRead = { at: Date.now(), policy: read };
      read.catch(() => (policyRead = undefined));
    }
    return policyRead.policy;
  };
  let bulk = initial;
  let lastProgress = 0;
  const inFlight = new Set<string>();
  const progress = async (force = false): Promise<void> => {
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = now;
    await safeUpdate(ctx, bulk);
  };

  const nextWave = (): BulkMember[] => {
    const now = ctx.clock().getTime();
    const due = bulk.members.filter((m) => m.state === 'pending' && !inFlight.has(m.id) && (!m.notBefore || Date.parse(m.notBefore) <= now));
    const wave = due.slice(0, WAVE);
    for (const m of wave) inFlight.add(m.id);
    return wave;
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (ctx.stopping() || !(await holding())) return;
      // The head only (state, settings, pages): one small document, not every member.
      const head = await ctx.repo.head(bulk.id);
      if (!head || head.state !== 'Issuing') return;
      const wave = nextWave();
      if (wave.length === 0) {
        const waiting = bulk.members.filter((m) => m.state === 'pending' && !inFlight.has(m.id));
        if (waiting.length === 0) return;
        // Only members waiting out a Retry-After: wait for the first of them.
        const first = Math.min(...waiting.map((m) => (m.notBefore ? Date.parse(m.notBefore) : 0)));
        await new Promise((r) => setTimeout(r, Math.max(10, first - ctx.clock().getTime())));
        continue;
      }
      try {
        bulk = await runWave(ctx, { ...bulk, ...head }, wave, pacer, policyOf, holding);
      } finally {
        for (const m of wave) inFlight.delete(m.id);
      }
      await progress();
    }
  };
  await Promise.all(Array.from({ length: wavesInFlight(ctx) }, worker));
  // Members another writer left mid-create (a lease lost and retaken): settle them, go again.
  for (let round = 0; round < 3 && !ctx.stopping(); round++) {
    bulk = (await ctx.repo.get(bulk.id)) ?? bulk;
    if (bulk.state !== 'Issuing' || !bulk.members.some((m) => m.state === 'sending' || m.state === 'created')) break;
    bulk = await reconcile(ctx, bulk);
    await Promise.all(Array.from({ length: wavesInFlight(ctx) }, worker));
  }

  bulk = (await ctx.repo.get(bulk.id)) ?? bulk;
  if (bulk.state === 'Issuing' && !bulk.members.some((m) => m.state === 'pending' || m.state === 'sending' || m.state === 'created')) {
    await auditsWritten(bulk.id);
    bulk = await ctx.repo.update(bulk.id, (b) => (b.state === 'Issuing' ? { ...b, state: 'Completed', finishedAt: ctx.clock().toISOString() } : undefined));
    const c = countMembers(bulk);
    const done = bulk;
    ctx.track(tellManagers(ctx, done, done.members.filter((m) => m.state === 'issued')));
    await ctx.audit({ action: 'bulk.completed', ...SYSTEM, requestId: bulk.id, outcome: c.failed > 0 ? 'partial' : 'ok', details: { issued: c.issued, failed: c.failed, refused: c.refused, members: c.total } });
    log.info('bulk request completed', { requestId: bulk.id, issued: c.issued, failed: c.failed, refused: c.refused });
  } else if (bulk.state === 'Cancelled' || bulk.state === 'Failed') {
    bulk = await closeUnsettled(ctx, bulk);
    // Stopped part-way: the passes already made are told to the managers all the same.
    const stopped = bulk;
    ctx.track(tellManagers(ctx, stopped, stopped.members.filter((m) => m.state === 'issued')));
  }
  await progress(true);
  return bulk;
}

/** One wave: re-check these members, create their passes in one `$batch`, deliver, record. */
async function runWave(ctx: BulkContext, current: BulkRequest, wave: BulkMember[], pacer: WritePacer, policyOf: () => Promise<TapPolicy>, holding: () => Promise<boolean>): Promise<BulkRequest> {
  const bulkId = current.id;
  let bulk = current;
  // Decide twice: each member passes the whole gate again, fresh, just before their pass is
  // made (risk, open requests and limits included).
  const policy = await policyOf();
  const now = ctx.clock();
  const [checks, records] = await Promise.all([
    ctx.graph.checkMembers(
      wave.map((m) => m.id),
      memberCheckOptions(ctx, policy, now),
    ),
    memberRecords(ctx.gate, wave, bulkId, now),
  ]);
  const rules = memberRules(ctx, bulk.requester.id, policy, bulk.eligibility ?? 'any', now, bulk.via === 'teams' ? bulk.decision?.by.id : undefined);
  const refused: BulkMember[] = [];
  const go: BulkMember[] = [];
  wave.forEach((m, i) => {
    const check = checks[i] ?? { userId: m.id, error: new Error('not checked') };
    const verdict = judgeMember(check, rules, records.get(m.id) ?? { history: { issuedAt: [], reportedSuspicious: false } });
    if (verdict.eligible) go.push({ ...m, ...(verdict.managerId ? { managerId: verdict.managerId, managerName: verdict.managerName ?? '' } : {}) });
    else refused.push({ ...m, state: 'refused', code: verdict.code ?? 'refused', ...reasonOf(said('memberChanged', verdict.said ? { why: verdict.said } : verdict.reason ? { why: verdict.reason } : {})) });
  });
  if (refused.length > 0) {
    bulk = await patchMembers(ctx, bulkId, refused);
    queueMemberAudits(ctx, bulk, refused);
  }
  if (go.length === 0) return bulk;

  await pacer.take(go.length);
  // The lease again, just before anything is sent: a run that lost it (the wait above can be
  // long) leaves the members pending for the instance that holds it now.
  if (!(await holding())) return bulk;
  const sentAt = ctx.clock().toISOString();
  let sending: BulkMember[] = go.map((m) => ({ ...m, state: 'sending' as const, sentAt, attempts: m.attempts + 1 }));
  // Marked "sending" only while the request is still being issued (a cancel stops the wave here).
  const byId = new Map(sending.map((m) => [m.id, m]));
  // Only members still pending in storage are sent: never one another writer already has in hand.
  // Only this wave's chunks are read and written (repository.ts).
  const marking = await ctx.repo.updateMembers(bulkId, byId.keys(), (m, head) => (head.state === 'Issuing' && m.state === 'pending' ? byId.get(m.id) : undefined));
  bulk = marking.bulk;
  if (bulk.state !== 'Issuing') return bulk;
  sending = sending.filter((m) => marking.changed.has(m.id));
  if (sending.length === 0) return bulk;

  const sendAt = ctx.clock().getTime();
  const start = bulk.settings.startDateTime && Date.parse(bulk.settings.startDateTime) > sendAt ? { startDateTime: bulk.settings.startDateTime } : {};
  const outcomes: TapCreateOutcome[] = await ctx.graph.createTapsOnce(
    sending.map((m) => ({ userId: m.id, options: { lifetimeInMinutes: bulk.settings.lifetimeInMinutes, isUsableOnce: bulk.settings.isUsableOnce, ...start } })),
  );

  const created: Array<{ member: BulkMember; tap: IssuedTap }> = [];
  const after: BulkMember[] = [];
  let pauseMs = 0;
  for (const [i, o] of outcomes.entries()) {
    const m = sending[i] as BulkMember;
    if (o.outcome === 'created') {
      const startIso = o.tap.startDateTime || bulk.settings.startDateTime || new Date(sendAt).toISOString();
      const lifetimeInMinutes = o.tap.lifetimeInMinutes || bulk.settings.lifetimeInMinutes;
      const expires = new Date(Date.parse(startIso) + lifetimeInMinutes * 60_000).toISOString();
      const member: BulkMember = { ...m, state: 'created', methodId: o.tap.id, startDateTime: startIso, expiresDateTime: expires };
      created.push({ member, tap: o.tap });
      after.push(member);
    } else if (o.outcome === 'notCreated') {
      if (o.retryable && m.attempts < ctx.bulk.maxAttempts) {
        const wait = o.retryAfterInMs ?? 1000 * 2 ** Math.min(m.attempts, 5);
        pauseMs = Math.max(pauseMs, wait);
        after.push({ ...m, state: 'pending', notBefore: new Date(ctx.clock().getTime() + wait).toISOString() });
      } else {
        const why = o.error instanceof GraphError ? whyOf(o.error) : said('graphRefusedIt');
        after.push({ ...m, state: 'failed', code: o.error instanceof GraphError ? o.error.code : 'createFailed', ...reasonOf(o.retryable ? said('memberThrottled', { tries: m.attempts, why }) : said('memberNotCreated', { why })) });
      }
    } else {
      const settled = await settleAmbiguous(ctx, m, 'unanswered', bulk.decision?.at);
      after.push(settled.state === 'pending' && m.attempts >= ctx.bulk.maxAttempts ? { ...settled, state: 'failed', code: 'createFailed', ...reasonOf(said('memberNoAnswer', { tries: m.attempts })) } : settled);
    }
  }
  if (pauseMs > 0) pacer.pause(pauseMs);
  // Each pass gets its request record before its code is shown (status, revoke, the owner's notice).
  const issuedAt = ctx.clock().toISOString();
  await Promise.all(
    created.map(async (c) => {
      const m = c.member;
      try {
        m.requestId = await recordCreated(ctx, bulk, m, {
          methodId: c.tap.id,
          startDateTime: m.startDateTime as string,
          expiresDateTime: m.expiresDateTime as string,
          lifetimeInMinutes: c.tap.lifetimeInMinutes || bulk.settings.lifetimeInMinutes,
          isUsableOnce: c.tap.isUsableOnce,
          issuedAt,
        });
      } catch (e) {
        log.error('a bulk member record could not be stored', { requestId: bulkId, error: e });
      }
    }),
  );
  // A pass without a record could not be seen or stopped: it is deleted, never shown.
  const unrecorded = created.filter((c) => !c.member.requestId);
  if (unrecorded.length > 0) {
    const settled = await Promise.all(unrecorded.map((c) => settleAmbiguous(ctx, c.member, 'created')));
    for (const [i, c] of unrecorded.entries()) {
      const s = settled[i] as BulkMember;
      after[after.indexOf(c.member)] = s.code === 'codeLost' ? { ...s, ...reasonOf(said('memberNotRecorded')) } : s;
    }
    created.splice(0, created.length, ...created.filter((c) => c.member.requestId));
  }
  // Stored before delivery: a crash from here on is recognised as "created, code lost".
  bulk = await patchMembers(ctx, bulkId, after);

  if (created.length > 0) bulk = await deliver(ctx, bulk, created);
  queueMemberAudits(ctx, bulk, after.filter((m) => m.state === 'failed'));
  return bulk;
}

