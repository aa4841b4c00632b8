/**
 * The sentences a helpdesk agent reads when a request is refused: what the rule is, and
 * what to do instead.
 */
import { FlowError } from '../../errors';
import type { DirectoryUser, TargetFacts } from '../../graph/types';
import { sameId, nameAndUpn } from '../../identity';
import type { ScopeGap } from '../../i18n/en';
import { said } from '../../i18n/said';

const named = (u: DirectoryUser): string => `${nameAndUpn(u)}`;

export function policyDisabled(): FlowError {
  return new FlowError('policyDisabled', said('policyDisabled'));
}

export function targetNotFound(upn: string): FlowError {
  return new FlowError('targetNotFound', said('targetNotFound', { who: upn }));
}

export function targetIsGuest(who: string): FlowError {
  return new FlowError('targetIsGuest', said('targetIsGuest', { who }));
}

/** The first rule the target breaks, in the order the helpdesk finds most useful; undefined when none. */
export function targetRefusal(facts: Omit<TargetFacts, 'existingTaps'>, agentId: string): FlowError | undefined {
  const user = facts.user;
  if (user.userType === 'Guest') return targetIsGuest(named(user));
  if (sameId(user.id, agentId)) {
    return new FlowError('targetIsSelf', said('targetIsSelf'));
  }
  if (facts.privilegedRoleTemplateIds.length > 0) {
    return new FlowError('targetPrivileged', said('targetPrivileged', { who: named(user) }));
  }
  if (facts.inProtectedGroup) {
    return new FlowError('targetProtected', said('targetProtected', { who: named(user) }));
  }
  if (user.accountEnabled === false) {
    return new FlowError('targetDisabled', said('targetDisabled', { who: named(user) }));
  }
  return undefined;
}

export function targetOutOfPolicyScope(who: string, gap?: ScopeGap): FlowError {
  return new FlowError('targetOutOfPolicyScope', said('targetOutOfPolicyScope', { who, ...(gap ? { gap } : {}) }));
}
