/**
 * Who may approve: the target's manager; when the manager is the requesting agent, the
 * skip-level manager; when there is no usable manager, the fallback approver group.
 * Never the agent, never the target. When the one who has it cannot answer (out of office,
 * or silent past the set point), the next one up: their own manager, then the fallback group.
 */
import { FlowError } from '../../errors';
import { said } from '../../i18n/said';
import type { AlongsideAnswers, DirectoryUser, TapGraph } from '../../graph/types';
import { includesId, sameId } from '../../identity';
import type { ApproverAssignment, ApproverKind, ApproverMove, MoveReason, Person } from '../types';
import { awayCheck, withAwayAnswered } from './away';
import type { FlowContext } from '../context';

interface ApproverContext {
  graph: TapGraph;
  fallbackApproverGroupId?: string;
  agentId: string;
  target: DirectoryUser;
  manager: DirectoryUser | null;
  /** Pass over an approver out of office at this instant (APPROVAL_ESCALATE_WHEN_AWAY); absent = not checked. */
  passOverAwayAt?: Date;
}

/** Who the rules pick, from the facts; the fallback group's members are resolved apart. */
export type ApproverChoice = { kind: 'manager' | 'skipLevelManager'; user: DirectoryUser } | { kind: 'fallbackGroup' };

export interface ApproverFacts {
  agentId: string;
  target: DirectoryUser;
  manager: DirectoryUser | null;
  /** The agent's own manager; only consulted when the agent manages the target. */
  agentManager: DirectoryUser | null;
}

/** A person who may decide for this agent and target: not either of them, and able to sign in. */
export function isEligibleApprover(u: DirectoryUser | null, agentId: string, targetId: string): u is DirectoryUser {
  // A disabled manager cannot sign in to approve: treat as no manager.
  return u !== null && !sameId(u.id, agentId) && !sameId(u.id, targetId) && u.accountEnabled !== false;
}

/** The agent manages the target: their own manager decides, so nobody approves their own request. */
function agentManagesTarget(agentId: string, manager: DirectoryUser | null): boolean {
  return manager !== null && sameId(manager.id, agentId);
}

/** The one rule for who decides, used when the request is made and again at approval. */
export function chooseApprover(facts: ApproverFacts): ApproverChoice {
  const eligible = (u: DirectoryUser | null): u is DirectoryUser => isEligibleApprover(u, facts.agentId, facts.target.id);
  if (eligible(facts.manager)) return { kind: 'manager', user: facts.manager };
  if (agentManagesTarget(facts.agentId, facts.manager) && eligible(facts.agentManager)) {
    return { kind: 'skipLevelManager', user: facts.agentManager };
  }
  return { kind: 'fallbackGroup' };
}

/**
 * Who the rules pick for a new request, as the request itself and the look-up before it
 * (preview.ts) both ask: one home, so the look-up never names someone the request would not ask.
 */
export function resolveRequestApprover(
  ctx: FlowContext,
  agentId: string,
  facts: { user: DirectoryUser; manager: DirectoryUser | null; alongside?: AlongsideAnswers },
  now: Date,
): Promise<ApproverAssignment> {
  return resolveApprover({
    // A recently found manager's out-of-office, read in this request's `$batch`, answers for them once.
    graph: withAwayAnswered(ctx.graph, facts.alongside?.managerAway),
    ...(ctx.config.fallbackApproverGroupId ? { fallbackApproverGroupId: ctx.config.fallbackApproverGroupId } : {}),
    agentId,
    target: facts.user,
    manager: facts.manager,
    // An approver out of office now is passed over at once (escalation.ts tells the agent).
    ...(ctx.config.approvalWaiting?.escalateWhenAway ? { passOverAwayAt: now } : {}),
  });
}

async function resolveApprover(ctx: ApproverContext): Promise<ApproverAssignment> {
  const agentManager = agentManagesTarget(ctx.agentId, ctx.manager) ? await ctx.graph.getManager(ctx.agentId) : null;
  const choice = chooseApprover({ agentId: ctx.agentId, target: ctx.target, manager: ctx.manager, agentManager });
  if (choice.kind === 'fallbackGroup') return fallbackGroup(ctx, (u): u is DirectoryUser => isEligibleApprover(u, ctx.agentId, ctx.target.id));
  const chosen = single(choice.kind, choice.user);
  if (!ctx.passOverAwayAt) return chosen;
  const chain: ApproverChain = {
    graph: ctx.graph,
    ...(ctx.fallbackApproverGroupId ? { fallbackApproverGroupId: ctx.fallbackApproverGroupId } : {}),
    agentId: ctx.agentId,
    targetId: ctx.target.id,
    excluded: [],
  };
  return passOverAway(chain, chosen, ctx.passOverAwayAt);
}

/** What the escalation chain needs: who asks, for whom, and who may never take the request (the second approvers: four eyes). */
export interface ApproverChain {
  graph: TapGraph;
  fallbackApproverGroupId?: string;
  agentId: string;
  targetId: string;
  excluded: readonly string[];
}

/** A chain longer than this is a loop in the directory's manager links, not an organisation. */
const MAX_MOVES = 8;

/**
 * The next approver the rules allow after `current`: the manager of the one person who has it
 * (the skip-level manager), else the fallback approver group; never the agent or the target,
 * never anyone it already moved from, never an excluded person. Undefined when nobody is left.
 */
export async function nextApprover(chain: ApproverChain, current: ApproverAssignment): Promise<ApproverAssignment | undefined> {
  if (current.kind === 'fallbackGroup' || (current.movedFrom?.length ?? 0) >= MAX_MOVES) return undefined;
  const spent = [...chain.excluded, ...current.ids, ...(current.movedFrom ?? []).flatMap((m) => m.from.ids)];
  const mayTake = (u: DirectoryUser | null): u is DirectoryUser => isEligibleApprover(u, chain.agentId, chain.targetId) && !includesId(spent, u.id);
  const holder = current.ids[0];
  const above = holder ? await chain.graph.getManager(holder) : null;
  if (mayTake(above)) return { ...single('skipLevelManager', above), ...(current.movedFrom ? { movedFrom: current.movedFrom } : {}) };
  if (!chain.fallbackApproverGroupId) return undefined;
  const members = (await chain.graph.listGroupUsers(chain.fallbackApproverGroupId)).filter(mayTake);
  if (members.length === 0) return undefined;
  return { kind: 'fallbackGroup', ids: members.map((m) => m.id), people: members.map(toPerson), ...(current.movedFrom ? { movedFrom: current.movedFrom } : {}) };
}

/** `next`, with the move from `from` added to its history. */
export function movedTo(next: ApproverAssignment, from: ApproverAssignment, because: MoveReason, at: Date, extra: Partial<Pick<ApproverMove, 'awayUntil' | 'cardSentAt'>> = {}): ApproverAssignment {
  const move: ApproverMove = { at: at.toISOString(), from: { kind: from.kind, ids: [...from.ids], people: from.people.map((p) => ({ ...p })) }, because, ...extra };
  const { awayCheck: _checkedBefore, ...rest } = next;
  return { ...rest, movedFrom: [...(from.movedFrom ?? []), move] };
}

/**
 * From `assignment`, up the chain to the first single approver who is not out of office at
 * `now`; each one passed over is a move (`away`). The fallback group is not read person by
 * person (one read per member): it is where the chain ends. When nobody is left, the request
 * stays with the away approver, and `awayCheck` says so for the agent.
 */
export async function passOverAway(chain: ApproverChain, assignment: ApproverAssignment, now: Date): Promise<ApproverAssignment> {
  let current = assignment;
  while (current.kind !== 'fallbackGroup') {
    const holder = current.ids[0];
    if (!holder) return current;
    const check = await awayCheck(chain.graph, holder, now);
    current = { ...current, awayCheck: check };
    if (!check.available || !check.away) return current;
    const next = await nextApprover(chain, current);
    if (!next) return current;
    // The card goes out with the request (intake), so this move's card is never "lost".
    current = movedTo(next, current, 'away', now, { ...(check.until ? { awayUntil: check.until } : {}), cardSentAt: now.toISOString() });
  }
  return current;
}

async function fallbackGroup(ctx: ApproverContext, eligible: (u: DirectoryUser | null) => u is DirectoryUser): Promise<ApproverAssignment> {
  const who = ctx.target.displayName || ctx.target.userPrincipalName;
  if (!ctx.fallbackApproverGroupId) {
    throw new FlowError('noApprover', said('noApproverNoFallback', { who }));
  }
  const members = (await ctx.graph.listGroupUsers(ctx.fallbackApproverGroupId)).filter(eligible);
  if (members.length === 0) {
    throw new FlowError('noApprover', said('noApproverInFallback', { who }));
  }
  return { kind: 'fallbackGroup', ids: members.map((m) => m.id), people: members.map(toPerson) };
}

function single(kind: ApproverKind, user: DirectoryUser): ApproverAssignment {
  return { kind, ids: [user.id], people: [toPerson(user)] };
}

export function toPerson(u: DirectoryUser): Person {
  return {
    id: u.id,
    displayName: u.displayName,
    userPrincipalName: u.userPrincipalName,
    ...(u.jobTitle !== undefined ? { jobTitle: u.jobTitle } : {}),
    ...(u.department !== undefined ? { department: u.department } : {}),
  };
}
