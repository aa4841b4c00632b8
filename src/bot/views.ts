/** Who sees what of a request: decided on the stored record, never on card data. */
import { includesId, sameId } from '../identity';
import type { ApprovalViewer } from '../cards/render';
import type { TapRequest } from '../flow/types';
import { mayDecide } from '../flow/gate/decisionRights';

export type Role = 'requester' | 'approver' | 'recipient';

/** The viewer's roles in a request; empty = not theirs to see. */
export function rolesOf(request: TapRequest, userId: string): Role[] {
  const roles: Role[] = [];
  if (sameId(request.requester.id, userId)) roles.push('requester');
  if (includesId(request.approver.ids, userId) || includesId(request.secondApprover?.ids ?? [], userId)) roles.push('approver');
  if (sameId(request.delivery?.recipientId, userId)) roles.push('recipient');
  return roles;
}

/** How the approval card is drawn for this viewer: may they decide, who "you" is, what "longer than usual" means. */
export function approvalViewer(request: TapRequest, userId: string, now: Date, extra: Partial<ApprovalViewer> = {}): ApprovalViewer {
  return {
    canDecide: mayDecide(request, userId, now),
    viewerId: userId,
    ...(request.policyDefaultLifetimeInMinutes !== undefined ? { defaultLifetimeInMinutes: request.policyDefaultLifetimeInMinutes } : {}),
    ...extra,
  };
}
