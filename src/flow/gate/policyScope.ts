/**
 * Who the tenant's TAP policy applies to. Graph refuses to create a pass for a user
 * outside it ("Converged UserCredentialPolicy does not allow…"), so the bot checks first
 * and says so before a manager is asked, and again at approval.
 */
import { ALL_USERS } from '../../graph/shapes';
import type { PolicyTarget, TapPolicy } from '../../graph/types';
import { sameId } from '../../identity';
import type { ScopeGap } from '../../i18n/en';

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

/** Why a user is out of scope, for words an admin can act on (group ids, as the policy holds them). */
export function outOfScopeReason(policy: TapPolicy, userId: string, memberOf: readonly string[]): ScopeGap {
  const matches = (t: PolicyTarget): boolean =>
    t.id === ALL_USERS || sameId(t.id, userId) || (t.targetType === 'group' && memberOf.some((g) => sameId(g, t.id)));
  const excludedBy = (policy.excludeTargets ?? []).find(matches);
  if (excludedBy) {
    return excludedBy.id === ALL_USERS ? { kind: 'excludesAll' } : excludedBy.targetType === 'user' ? { kind: 'excludesUser' } : { kind: 'excludedGroup', group: excludedBy.id };
  }
  const groups = (policy.includeTargets ?? []).filter((t) => t.targetType === 'group').map((t) => t.id);
  return groups.length > 0 ? { kind: 'onlyGroups', groups } : { kind: 'includesNobody' };
}
