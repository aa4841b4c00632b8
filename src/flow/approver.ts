/**
 * Who may approve: the target's manager; when the manager is the requesting agent, the
 * skip-level manager; when there is no usable manager, the fallback approver group.
 * Never the agent, never the target.
 */
import { FlowError } from '../errors';
import type { DirectoryUser, TapGraph } from '../graph/types';
import type { ApproverAssignment, ApproverKind, Person } from './types';

export interface ApproverContext {
  graph: TapGraph;
  fallbackApproverGroupId?: string;
  agentId: string;
  target: DirectoryUser;
  manager: DirectoryUser | null;
}

export async function resolveApprover(ctx: ApproverContext): Promise<ApproverAssignment> {
  const eligible = (u: DirectoryUser | null): u is DirectoryUser =>
    // A disabled manager cannot sign in to approve: treat as no manager.
    u !== null && u.id !== ctx.agentId && u.id !== ctx.target.id && u.accountEnabled !== false;

  const manager = ctx.manager;
  if (eligible(manager)) return single('manager', manager);
  const agentIsManager = ctx.manager?.id === ctx.agentId;
  if (agentIsManager) {
    // The agent manages the target: their own manager decides, so nobody approves their own request.
    const skipLevel = await ctx.graph.getManager(ctx.agentId);
    if (eligible(skipLevel)) return single('skipLevelManager', skipLevel);
  }
  return fallbackGroup(ctx, eligible);
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
