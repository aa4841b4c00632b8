/**
 * Nobody is left waiting on a silent approver. At request time an approver who is out of
 * office is passed over (gate/approver.ts, passOverAway) and the agent is told here
 * (announceMoves). In the sweep (remindOrEscalate): the approver is reminded once at the set
 * point, and when the escalation point passes without an answer the request moves to the next
 * approver the rules allow (the skip-level manager, then the fallback approver group; never
 * the requester or the target, never a second approver), the new approver gets the card, the
 * old one and the agent are told, and it is audited. When nobody is left, the request keeps
 * waiting and the agent is told so.
 *
 * Every change is a compare-and-swap on the stored record, made before anyone is told: of
 * several sweeps (a lease changing hands, a restart) exactly one reminds, moves or tells, and
 * losing the race just means another did it.
 */
import type { Catalogue } from '../../i18n';
import { sameId } from '../../identity';
import { flowLog as log, requestFields, type FlowContext } from '../context';
import { RequestClosedError } from '../errors';
import { movedTo, nextApprover, passOverAway, type ApproverChain } from '../gate/approver';
import { mayDecide } from '../gate/decisionRights';
import { isAwaitingDecision } from '../stateMachine';
import type { ApprovalWaiting, ApproverAssignment, ApproverMove, NoticeMessage, TapRequest } from '../types';

/** A lost card (the instance died between moving the request and sending it) is sent again after this long. */
const LOST_CARD_GRACE_IN_MS = 2 * 60_000;

/** Another sweep got there first: nothing to do. */
class AlreadyDone extends Error {}

/** The one step of the sweep for a request waiting for a decision: send a lost card, escalate, or remind. */
export async function remindOrEscalate(ctx: FlowContext, request: TapRequest, now: Date): Promise<void> {
  const rules = ctx.config.approvalWaiting;
  if (!rules || request.bulk || !request.approvalSentAt || !isAwaitingDecision(request, now)) return;
  if (cardLost(request, now)) {
    await sendMovedCard(ctx, request);
    return;
  }
  if (escalationDue(request, rules, now)) {
    await escalate(ctx, request, now, rules);
    return;
  }
  if (rules.remindAfterInMs !== undefined && !request.waiting?.remindedAt && now.getTime() >= askedAt(request) + rules.remindAfterInMs) {
    await remind(ctx, request, now);
  }
}

/** When the approver who has it now was asked: the last move, else the request itself. */
function askedAt(request: TapRequest): number {
  const last = lastMove(request.approver);
  return Date.parse(last?.at ?? request.createdAt);
}

/**
 * Due when the primary approver has not answered by the set point. A primary approval already
 * given (four eyes, waiting for the second) is an answer; a request that found nobody left to
 * move to waits as it is.
 */
export function escalationDue(request: TapRequest, rules: ApprovalWaiting, now: Date): boolean {
  if (rules.escalateAfterInMs === undefined || request.decision || request.waiting?.nobodyLeftAt) return false;
  return now.getTime() >= askedAt(request) + rules.escalateAfterInMs;
}

/**
 * The approver a request moves to is never asked with minutes to spare: they get at least half
 * the approval window from the move (the deadline moves out when less is left). A move happens
 * once the escalation point has passed, so the next one would fall after this deadline: a
 * request lives at most about one and a quarter windows with the defaults.
 */
function fairDeadline(ctx: FlowContext, request: TapRequest, now: Date): string {
  const halfWindowInMs = (ctx.config.approvalTimeoutInMinutes * 60_000) / 2;
  return new Date(Math.max(Date.parse(request.expiresAt), now.getTime() + halfWindowInMs)).toISOString();
}

function lastMove(assignment: ApproverAssignment): ApproverMove | undefined {
  const moves = assignment.movedFrom ?? [];
  return moves[moves.length - 1];
}

function cardLost(request: TapRequest, now: Date): boolean {
  const last = lastMove(request.approver);
  return last !== undefined && !last.cardSentAt && now.getTime() - Date.parse(last.at) >= LOST_CARD_GRACE_IN_MS;
}

/** The same people, reached the same way: nobody moved the request since it was read. */
function sameAssignment(a: ApproverAssignment, b: ApproverAssignment): boolean {
  const ids = (x: ApproverAssignment): string => [...x.ids].map((id) => id.toLowerCase()).sort().join(',');
  return ids(a) === ids(b) && (a.movedFrom?.length ?? 0) === (b.movedFrom?.length ?? 0);
}

function chainOf(ctx: FlowContext, request: TapRequest): ApproverChain {
  return {
    graph: ctx.graph,
    ...(ctx.config.fallbackApproverGroupId ? { fallbackApproverGroupId: ctx.config.fallbackApproverGroupId } : {}),
    agentId: request.requester.id,
    targetId: request.target.id,
    // Four eyes: nobody may give both approvals, so a second approver never becomes the first.
    excluded: [...(request.secondApprover?.ids ?? []), ...(request.secondDecision ? [request.secondDecision.by.id] : [])],
  };
}

/** Runs a compare-and-swap that may find the work done by another sweep; undefined then. */
async function claim(ctx: FlowContext, request: TapRequest, mutate: (r: TapRequest) => TapRequest): Promise<TapRequest | undefined> {
  try {
    return await ctx.repo.transition(request.id, 'PendingApproval', mutate);
  } catch (e) {
    if (e instanceof AlreadyDone || e instanceof RequestClosedError) return undefined;
    throw e;
  }
}

async function escalate(ctx: FlowContext, request: TapRequest, now: Date, rules: ApprovalWaiting): Promise<void> {
  const chain = chainOf(ctx, request);
  const next = await nextApprover(chain, request.approver);
  if (!next) {
    await nobodyLeft(ctx, request, now);
    return;
  }
  let to = movedTo(next, request.approver, 'noAnswer', now);
  if (rules.escalateWhenAway) to = withCardUnsent(await passOverAway(chain, to, now));
  const moved = await claim(ctx, request, (r) => {
    if (r.decision || !sameAssignment(r.approver, request.approver)) throw new AlreadyDone();
    return { ...r, approver: to, expiresAt: fairDeadline(ctx, r, now) };
  });
  if (!moved) return;
  const newMoves = (moved.approver.movedFrom ?? []).slice(request.approver.movedFrom?.length ?? 0);
  log.info('a request moved to the next approver', { requestId: moved.id, moves: newMoves.map((m) => m.because), approverKind: moved.approver.kind });
  await ctx.repo.indexes.addRecent(moved.id, moved.requester.id, moved.target.id, moved.approver.ids).catch((e: unknown) =>
    log.warn('could not list a moved request for its new approver', { requestId: moved.id, error: e }),
  );
  await auditMoves(ctx, moved, newMoves);
  const sent = await sendMovedCard(ctx, moved);
  await ctx.notifyUpdated(sent ?? moved);
  const minutes = Math.round((rules.escalateAfterInMs ?? 0) / 60_000);
  const toName = (say: Catalogue): string => whoHasIt(moved.approver, say);
  await Promise.all([
    tellPerson(ctx, moved.requester.id, moved.id, (say, zone) => ({
      title: say.waiting.movedTitle(moved.id, toName(say)),
      text: newMoves.map((m) => moveSentence(say, m, moved.approver, minutes, zone)).join(' '),
      tone: 'default',
    })),
    ...newMoves
      .flatMap((m) => m.from.ids)
      .filter((id) => !sameId(id, moved.requester.id))
      .map((id) =>
        tellPerson(ctx, id, moved.id, (say) => ({
          title: say.waiting.movedFromYouTitle(moved.id),
          text: say.waiting.movedFromYouText({ target: moved.target.displayName, to: toName(say) }),
          tone: 'default',
        })),
      ),
  ]);
}

/** The last move's card is sent after the move is stored: so a crash in between is seen (cardLost). */
function withCardUnsent(assignment: ApproverAssignment): ApproverAssignment {
  const moves = assignment.movedFrom ?? [];
  const last = moves[moves.length - 1];
  if (!last) return assignment;
  const { cardSentAt: _notYet, ...unsent } = last;
  return { ...assignment, movedFrom: [...moves.slice(0, -1), unsent] };
}

/** Sends the approval card to the approver the request moved to, and records it; the stored request, or undefined when it could not be sent. */
async function sendMovedCard(ctx: FlowContext, request: TapRequest): Promise<TapRequest | undefined> {
  try {
    await ctx.notifier.requestApproval(request, { onlyTo: request.approver.ids });
  } catch (e) {
    // Left unmarked: the next sweep tries again after the grace period.
    log.warn('the approval card of a moved request could not be sent', { requestId: request.id, error: e });
    return undefined;
  }
  return claim(ctx, request, (r) => {
    const last = lastMove(r.approver);
    if (!last || last.cardSentAt || !sameAssignment(r.approver, request.approver)) throw new AlreadyDone();
    const moves = r.approver.movedFrom ?? [];
    return { ...r, approver: { ...r.approver, movedFrom: [...moves.slice(0, -1), { ...last, cardSentAt: ctx.clock().toISOString() }] } };
  });
}

async function nobodyLeft(ctx: FlowContext, request: TapRequest, now: Date): Promise<void> {
  const marked = await claim(ctx, request, (r) => {
    if (r.decision || r.waiting?.nobodyLeftAt || !sameAssignment(r.approver, request.approver)) throw new AlreadyDone();
    return { ...r, waiting: { ...r.waiting, nobodyLeftAt: now.toISOString() } };
  });
  if (!marked) return;
  log.info('a silent approver has nobody to pass the request to', { requestId: marked.id, approverKind: marked.approver.kind });
  await ctx.audit({ action: 'approval.escalated', actorId: 'system', ...requestFields(marked), outcome: 'nobodyLeft', details: { approverIds: marked.approver.ids, because: 'noAnswer' } });
  await tellPerson(ctx, marked.requester.id, marked.id, (say, zone) => ({
    title: say.waiting.nobodyLeftTitle(marked.id),
    text: say.waiting.nobodyLeftText({ who: whoHasIt(marked.approver, say), until: marked.expiresAt, ...(zone ? { zone } : {}) }),
    tone: 'warning',
  }));
}

async function remind(ctx: FlowContext, request: TapRequest, now: Date): Promise<void> {
  const reminded = await claim(ctx, request, (r) => {
    if (r.waiting?.remindedAt) throw new AlreadyDone();
    return { ...r, waiting: { ...r.waiting, remindedAt: now.toISOString() } };
  });
  if (!reminded) return;
  // Whoever can still give an approval: the primary approver, and the second approvers (four eyes).
  const awaited = [...reminded.approver.ids, ...(reminded.secondApprover?.ids ?? [])].filter((id) => mayDecide(reminded, id, now));
  await ctx.audit({ action: 'approval.reminded', actorId: 'system', ...requestFields(reminded), outcome: 'ok', details: { approverIds: awaited } });
  await Promise.all(
    awaited.map((id) =>
      tellPerson(ctx, id, reminded.id, (say, zone) => ({
        title: say.waiting.reminderTitle(reminded.id),
        text: say.waiting.reminderText({ requester: reminded.requester.displayName, target: reminded.target.displayName, ...decideBy(reminded, ctx.config.approvalWaiting), ...(zone ? { zone } : {}) }),
        tone: 'default',
      })),
    ),
  );
}

/**
 * At request time: the moves made because approvers were out of office are audited, and the
 * agent is told who has the request and why (or that the only approver is away and nobody
 * else may decide). Never fails the request: it is stored and asked already.
 */
export async function announceMoves(ctx: FlowContext, request: TapRequest): Promise<void> {
  try {
    const moves = request.approver.movedFrom ?? [];
    await auditMoves(ctx, request, moves, request.requester.id);
    const check = request.approver.awayCheck;
    const toName = (say: Catalogue): string => whoHasIt(request.approver, say);
    if (moves.length > 0) {
      await tellPerson(ctx, request.requester.id, request.id, (say, zone) => ({
        title: say.waiting.movedTitle(request.id, toName(say)),
        text: moves.map((m) => moveSentence(say, m, request.approver, 0, zone)).join(' '),
        tone: 'default',
      }));
    } else if (check?.available && check.away) {
      await tellPerson(ctx, request.requester.id, request.id, (say, zone) => ({
        title: say.waiting.nobodyLeftTitle(request.id),
        text: say.waiting.awayNobodyElse({ who: toName(say), ...(check.until ? { until: check.until } : {}), ...(zone ? { zone } : {}) }),
        tone: 'warning',
      }));
    }
  } catch (e) {
    log.warn('could not announce who has a request', { requestId: request.id, error: e });
  }
}

/** Where a move went: the next move's `from`, or the approvers the request has now. */
function destinationOf(assignment: ApproverAssignment, move: ApproverMove): Pick<ApproverAssignment, 'kind' | 'ids' | 'people'> {
  const moves = assignment.movedFrom ?? [];
  return moves[moves.indexOf(move) + 1]?.from ?? assignment;
}

function moveSentence(say: Catalogue, move: ApproverMove, now: ApproverAssignment, minutes: number, zone?: string): string {
  const from = whoHasIt(move.from, say);
  const to = whoHasIt(destinationOf(now, move), say);
  return move.because === 'away'
    ? say.waiting.movedAway({ from, to, ...(move.awayUntil ? { until: move.awayUntil } : {}), ...(zone ? { zone } : {}) })
    : say.waiting.movedNoAnswer({ from, to, minutes });
}

/**
 * When the approver must decide by: the escalation point when the request would move on
 * (nobody has approved yet, and it has not found nobody left), else the deadline.
 */
function decideBy(request: TapRequest, rules: ApprovalWaiting | undefined): { until: string; movesOn: boolean } {
  const movesAt = rules?.escalateAfterInMs !== undefined && !request.decision && !request.waiting?.nobodyLeftAt ? askedAt(request) + rules.escalateAfterInMs : Infinity;
  return movesAt < Date.parse(request.expiresAt) ? { until: new Date(movesAt).toISOString(), movesOn: true } : { until: request.expiresAt, movesOn: false };
}

/** Who has the request now, as a reader names them: one person, or the fallback approvers. */
export function whoHasIt(assignment: Pick<ApproverAssignment, 'kind' | 'people'>, say: Catalogue): string {
  const names = assignment.people.map((p) => p.displayName);
  return assignment.kind === 'fallbackGroup' ? say.waiting.fallbackGroup(names) : say.waiting.who(names);
}

async function auditMoves(ctx: FlowContext, request: TapRequest, moves: readonly ApproverMove[], actorId = 'system'): Promise<void> {
  for (const move of moves) {
    const to = destinationOf(request.approver, move);
    await ctx.audit({
      action: 'approval.escalated',
      actorId,
      ...requestFields(request),
      outcome: 'ok',
      details: {
        because: move.because,
        fromKind: move.from.kind,
        fromIds: move.from.ids,
        toKind: to.kind,
        toIds: to.ids,
        ...(move.awayUntil ? { awayUntil: move.awayUntil } : {}),
      },
    });
  }
}

/** A notice in the person's chat; a person who cannot be reached is logged, never a failure of the move. */
async function tellPerson(ctx: FlowContext, userId: string, requestId: string, message: (say: Catalogue, zone?: string) => NoticeMessage): Promise<void> {
  if (!ctx.notifier.notice) {
    log.debug('this notifier sends no notices', { requestId });
    return;
  }
  try {
    await ctx.notifier.notice(userId, message);
  } catch (e) {
    log.warn('a waiting notice could not be sent', { requestId, userId, error: e });
  }
}
