/** Who sees what of a request: decided on the stored record, never on card data. */
import { includesId, sameId } from '../flow/identity';
import type { TapRequest } from '../flow/types';

/** The viewer is an assigned approver of a request that still awaits a decision. */
export function mayDecide(request: TapRequest, userId: string, now: Date): boolean {
  return request.state === 'PendingApproval' && includesId(request.approver.ids, userId) && new Date(request.expiresAt).getTime() > now.getTime();
}

export type Role = 'requester' | 'approver' | 'recipient';

/** The viewer's roles in a request; empty = not theirs to see. */
export function rolesOf(request: TapRequest, userId: string): Role[] {
  const roles: Role[] = [];
  if (sameId(request.requester.id, userId)) roles.push('requester');
  if (includesId(request.approver.ids, userId)) roles.push('approver');
  if (sameId(request.delivery?.recipientId, userId)) roles.push('recipient');
  return roles;
}
