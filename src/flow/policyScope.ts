/**
 * Who the tenant's TAP policy applies to. Graph refuses to create a pass for a user
 * outside it ("Converged UserCredentialPolicy does not allow…"), so the bot checks first
 * and says so before a manager is asked, and again at approval.
 */
import { ALL_USERS } from '../graph/shapes';
import type { PolicyTarget, TapPolicy } from '../graph/types';
import { sameId } from './identity';

/** Group ids whose membership decides the scope (what to ask `checkMemberGroups` about). */
export function scopeGroupIds(policy: TapPolicy): string[] {
  const ids = [...(policy.includeTargets ?? []), ...(policy.excludeTargets ?? [])]
    .filter((t) => t.targetType === 'group' && t.id !== ALL_USERS)
    .map((t) => t.id);
  return [...new Set(ids)];
}

/** In scope: included (everyone, a group they are in, or by id) and not excluded. */
export function inPolicyScope(policy: TapPolicy, userId: string, memberOf: readonly string[]): boolean {
  const matches = (t: PolicyTarget): boolean =>
    t.id === ALL_USERS || sameId(t.id, userId) || (t.targetType === 'group' && memberOf.some((g) => sameId(g, t.id)));
  const include = policy.includeTargets ?? [{ targetType: 'group', id: ALL_USERS }];
  return include.some(matches) && !(policy.excludeTargets ?? []).some(matches);
}
