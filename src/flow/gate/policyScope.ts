/**
 * Who the tenant's TAP policy applies to. Graph refuses to create a pass for a user
 * outside it ("Converged UserCredentialPolicy does not allow…"), so the bot checks first
 * and says so before a manager is asked, and again at approval.
 */
import { ALL_USERS } from '../../graph/shapes';
import type { PolicyTarget, TapPolicy } from '../../graph/types';
import { sameId } from '../../identity';

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

/** Why a user is out of scope, in words an admin can act on (group ids, as the policy holds them). */
export function outOfScopeReason(policy: TapPolicy, userId: string, memberOf: readonly string[]): string {
  const matches = (t: PolicyTarget): boolean =>
    t.id === ALL_USERS || sameId(t.id, userId) || (t.targetType === 'group' && memberOf.some((g) => sameId(g, t.id)));
  const excludedBy = (policy.excludeTargets ?? []).find(matches);
  if (excludedBy) {
    return excludedBy.id === ALL_USERS
      ? 'the policy excludes all users'
      : excludedBy.targetType === 'user'
        ? 'the policy excludes them by name'
        : `they are in the group ${excludedBy.id}, which the policy excludes`;
  }
  const groups = (policy.includeTargets ?? []).filter((t) => t.targetType === 'group').map((t) => t.id);
  return groups.length > 0 ? `the policy only includes the group${groups.length === 1 ? '' : 's'} ${groups.join(', ')}, and they are in none of them` : 'the policy includes nobody';
}
