/**
 * Who may approve: the target's manager; when the manager is the requesting agent, the
 * skip-level manager; when there is no usable manager, the fallback approver group.
 * Never the agent, never the target.
 */
import { FlowError } from '../../errors';
import type { DirectoryUser, TapGraph } from '../../graph/types';
import { sameId } from '../../identity';
import type { ApproverAssignment, ApproverKind, Person } from '../types';

export interface ApproverContext {
  graph: TapGraph;
  fallbackApproverGroupId?: string;
  agentId: string;
  target: DirectoryUser;
  manager: DirectoryUser | null;
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
export function agentManagesTarget(agentId: string, manager: DirectoryUser | null): boolean {
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

export async function resolveApprover(ctx: ApproverContext): Promise<ApproverAssignment> {
  const agentManager = agentManagesTarget(ctx.agentId, ctx.manager) ? await ctx.graph.getManager(ctx.agentId) : null;
  const choice = chooseApprover({ agentId: ctx.agentId, target: ctx.target, manager: ctx.manager, agentManager });
  if (choice.kind !== 'fallbackGroup') return single(choice.kind, choice.user);
  return fallbackGroup(ctx, (u): u is DirectoryUser => isEligibleApprover(u, ctx.agentId, ctx.target.id));
}

async function fallbackGroup(ctx: ApproverContext, eligible: (u: DirectoryUser | null) => u is DirectoryUser): Promise<ApproverAssignment> {
  const who = ctx.target.displayName || ctx.target.userPrincipalName;
  if (!ctx.fallbackApproverGroupId) {
    throw new FlowError(
      'noApprover',
      `Nobody can approve a pass for ${who}: they have no manager who could decide, and no fallback approver group is configured. ` +
        'Ask your IT admin to set their manager in Entra ID, or to configure FALLBACK_APPROVER_GROUP_ID.',
    );
  }
  const members = (await ctx.graph.listGroupUsers(ctx.fallbackApproverGroupId)).filter(eligible);
  if (members.length === 0) {
    throw new FlowError(
      'noApprover',
      `Nobody can approve a pass for ${who}: they have no manager who could decide, and the fallback approver group has no member who could decide (you and they do not count). ` +
        'Ask your IT admin to set their manager or to add approvers to the fallback group.',
    );
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
