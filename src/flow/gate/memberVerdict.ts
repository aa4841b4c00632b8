/**
 * The gate for one member of a bulk request: every rule a single request meets, in the same
 * order and from the same homes (refusals.ts, policyScope.ts, risk.ts, limits.ts, the
 * one-open-request lock), plus the bulk road's own step (enrolment.ts). Used when the
 * request is made, and again for each wave just before the passes are created: a member
 * who would be refused a single pass never gets a bulk one.
 *
 * Elevated risk has no second approver here: the member leaves the batch and is asked for
 * one at a time, where the manager confirms who they are and four eyes apply.
 */
import { GraphError } from '../../errors';
import { catalogue } from '../../i18n';
import type { HolderFacts } from '../../i18n/en';
import { said, wordsIn, type StoredReason } from '../../i18n/said';
import type { MemberCheck, TapPolicy } from '../../graph/types';
import { sameId } from '../../identity';
import type { LimitReachedError } from './limits';
import { inPolicyScope, outOfScopeReason } from './policyScope';
import { targetOutOfPolicyScope, targetRefusal } from './refusals';
import { assessRisk, type PassHistory, type RiskRules } from './risk';
import { enrolmentRefusal, type BulkEligibility } from './enrolment';

export interface Verdict {
  userId: string;
  eligible: boolean;
  code?: string;
  /** In English, for the record and the audit. */
  reason?: string;
  /** The reason as its meaning, for a reader of another language. */
  said?: StoredReason;
  managerId?: string;
  managerName?: string;
  replacesExisting?: boolean;
}

export interface MemberRules {
  requesterId: string;
  /** Whoever decided the bulk request (at issuance): a member who approved their own pass is refused. */
  deciderId?: string;
  policy: TapPolicy;
  /** Codes go to each member's manager: a member without one cannot be served. */
  needsManager: boolean;
  eligibility: BulkEligibility;
  risk: RiskRules;
  now: Date;
}

/** What the bot's own storage knows about the member (gate/records.ts). */
export interface MemberRecords {
  history: PassHistory;
  /** A request (single or another bulk) still in flight for them: one open request per person. */
  openElsewhere?: { id: string; holder: HolderFacts };
  /** A velocity limit they reached (passes per person per day). */
  limit?: LimitReachedError;
}

export function judgeMember(check: MemberCheck, rules: MemberRules, records: MemberRecords): Verdict {
  const userId = check.userId;
  const refuse = (code: string, meaning: StoredReason | string): Verdict => ({
    userId,
    eligible: false,
    code,
    reason: wordsIn(catalogue('en'), meaning),
    ...(typeof meaning === 'string' ? {} : { said: meaning }),
  });
  if ('error' in check) {
    const e = check.error;
    if (e instanceof GraphError && e.code === 'notFound') return refuse('targetNotFound', said('memberGone'));
    return refuse(e instanceof GraphError ? e.code : 'unexpected', said('memberNotChecked', e instanceof GraphError ? { why: e.said ?? e.userMessage } : {}));
  }
  const { facts } = check;
  if (rules.policy.state !== 'enabled') return refuse('policyDisabled', said('memberPolicyOff'));
  const refusal = targetRefusal(facts, rules.requesterId);
  if (refusal) return refuse(refusal.code, refusal.said ?? refusal.userMessage);
  if (rules.deciderId && sameId(facts.user.id, rules.deciderId)) {
    return refuse('approverIsTarget', said('memberApprovedSelf'));
  }
  if (!inPolicyScope(rules.policy, facts.user.id, facts.scopeGroupIds)) {
    const outside = targetOutOfPolicyScope(facts.user.displayName, outOfScopeReason(rules.policy, facts.user.id, facts.scopeGroupIds));
    return refuse('targetOutOfPolicyScope', outside.said ?? outside.userMessage);
  }
  if (records.openElsewhere) {
    return refuse('openRequest', said('memberOpenElsewhere', { id: records.openElsewhere.id, holder: records.openElsewhere.holder }));
  }
  const enrolment = enrolmentRefusal(facts.signals, facts.existingTaps, rules.eligibility);
  if (enrolment) return refuse(enrolment.code, enrolment.said);
  const risk = assessRisk(facts.signals ?? NO_SIGNALS, records.history, rules.risk, rules.now);
  if (risk.level === 'elevated') return refuse('riskElevated', said('memberRisk', { reasons: risk.said ?? risk.reasons }));
  if (records.limit) return refuse('limitReached', records.limit.said ?? records.limit.userMessage);
  if (rules.needsManager && !facts.manager) {
    return refuse('noManager', said('memberNoManager'));
  }
  return {
    userId,
    eligible: true,
    ...(facts.manager ? { managerId: facts.manager.id, managerName: facts.manager.displayName } : {}),
    ...(facts.existingTaps.length > 0 ? { replacesExisting: true } : {}),
  };
}

const NOT_READ = { available: false, missing: 'not read' } as const;
const NO_SIGNALS = { phones: NOT_READ, methods: NOT_READ, account: NOT_READ, managerChange: NOT_READ, risk: NOT_READ };
