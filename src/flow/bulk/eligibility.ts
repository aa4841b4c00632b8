/**
 * Who in a group may get a pass: every rule of a single request, applied to each member
 * from fresh Graph reads (in `$batch`es), at request time and again just before the create.
 * The rules themselves live where the single request keeps them (refusals.ts, policyScope.ts).
 */
import { GraphError } from '../../errors';
import type { MemberCheck, TapPolicy } from '../../graph/types';
import { inPolicyScope, outOfScopeReason } from '../policyScope';
import { targetOutOfPolicyScope, targetRefusal } from '../refusals';

export interface Verdict {
  userId: string;
  eligible: boolean;
  code?: string;
  reason?: string;
  managerId?: string;
  managerName?: string;
  replacesExisting?: boolean;
}

export interface EligibilityRules {
  requesterId: string;
  policy: TapPolicy;
  /** Codes go to each member's manager: a member without one cannot be served. */
  needsManager: boolean;
}

export function judge(check: MemberCheck, rules: EligibilityRules): Verdict {
  if ('error' in check) {
    const e = check.error;
    if (e instanceof GraphError && e.code === 'notFound') {
      return { userId: check.userId, eligible: false, code: 'targetNotFound', reason: 'No longer in the directory.' };
    }
    const why = e instanceof GraphError ? e.userMessage : 'the checks could not be read';
    return { userId: check.userId, eligible: false, code: e instanceof GraphError ? e.code : 'unexpected', reason: `Could not be checked: ${why}` };
  }
  const { facts } = check;
  const refusal = targetRefusal(facts, rules.requesterId);
  if (refusal) return { userId: check.userId, eligible: false, code: refusal.code, reason: refusal.userMessage };
  if (!inPolicyScope(rules.policy, facts.user.id, facts.scopeGroupIds)) {
    const e = targetOutOfPolicyScope(facts.user.displayName, outOfScopeReason(rules.policy, facts.user.id, facts.scopeGroupIds));
    return { userId: check.userId, eligible: false, code: e.code, reason: e.userMessage };
  }
  if (rules.needsManager && !facts.manager) {
    return { userId: check.userId, eligible: false, code: 'noManager', reason: 'Has no manager in the directory to hand the pass to (BULK_DELIVER_TO=manager).' };
  }
  return {
    userId: check.userId,
    eligible: true,
    ...(facts.manager ? { managerId: facts.manager.id, managerName: facts.manager.displayName } : {}),
    ...(facts.existingTaps.length > 0 ? { replacesExisting: true } : {}),
  };
}
