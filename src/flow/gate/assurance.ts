/**
 * At request time: what the bot's own storage knows about earlier passes for the person,
 * the risk the signals add up to, and, for elevated risk, the second approver (four eyes)
 * or a refusal.
 */
import { FlowError } from '../../errors';
import { said } from '../../i18n/said';
import type { DirectoryUser, TargetSignals } from '../../graph/types';
import { isEligibleApprover, toPerson } from './approver';
import type { FlowContext } from '../context';
import { includesId } from '../../identity';
import { assessRisk, DEFAULT_RISK_RULES, type PassHistory, type RiskAssessment } from './risk';
import type { ApproverAssignment, Person, TapRequest } from '../types';

const NOT_READ = { available: false, missing: 'not read by this gateway' } as const;
const NO_SIGNALS: TargetSignals = { phones: NOT_READ, methods: NOT_READ, account: NOT_READ, managerChange: NOT_READ, risk: NOT_READ };

/** Earlier passes for this person, newest first, from the requests the bot stored. */
async function passHistory(ctx: FlowContext, targetId: string): Promise<PassHistory> {
  return passHistoryOf(await ctx.repo.getMany(await ctx.repo.indexes.recentByTarget(targetId)));
}

/** The history the risk rules read, from a person's stored requests (single and bulk alike). */
export function passHistoryOf(earlier: readonly TapRequest[]): PassHistory {
  return {
    issuedAt: earlier
      .filter((r): r is TapRequest & { issued: NonNullable<TapRequest['issued']> } => r.issued !== undefined)
      .map((r) => r.issued.issuedAt)
      .sort()
      .reverse(),
    reportedSuspicious: earlier.some((r) => r.suspicious !== undefined),
  };
}

export interface Assurance {
  risk: RiskAssessment;
  secondApprover?: { ids: string[]; people: Person[] };
}

/**
 * The risk the signals and the bot's own history add up to, and the refusal when elevated
 * risk cannot be approved here (no second approver group, or RISK_ELEVATED=refuse). One home
 * for the request (assure), which the look-up before it (preview.ts) asks too.
 */
async function judgeRisk(
  ctx: FlowContext,
  target: DirectoryUser,
  signals: TargetSignals | undefined,
  now: Date,
): Promise<{ risk: RiskAssessment; refusal?: FlowError }> {
  const rules = ctx.config.risk ?? DEFAULT_RISK_RULES;
  const risk = assessRisk(signals ?? NO_SIGNALS, await passHistory(ctx, target.id), rules, now);
  if (risk.level === 'normal' || (rules.onElevated !== 'refuse' && rules.secondApproverGroupId)) return { risk };
  const reasons = risk.said ?? risk.reasons;
  return { risk, refusal: new FlowError('riskElevated', said('riskElevated', { who: target.displayName, reasons, secondGroupMissing: rules.onElevated !== 'refuse' })) };
}

/** The risk, and what it needs; throws the refusal when elevated risk cannot be approved here. */
export async function assure(
  ctx: FlowContext,
  agentId: string,
  target: DirectoryUser,
  signals: TargetSignals | undefined,
  approver: ApproverAssignment,
  now: Date,
): Promise<Assurance> {
  const rules = ctx.config.risk ?? DEFAULT_RISK_RULES;
  const { risk, refusal } = await judgeRisk(ctx, target, signals, now);
  if (refusal) throw refusal;
  if (risk.level === 'normal' || !rules.secondApproverGroupId) return { risk };
  const reasons = risk.said ?? risk.reasons;
  // Four eyes: someone other than the agent, the target and the primary approver(s).
  const members = (await ctx.graph.listGroupUsers(rules.secondApproverGroupId)).filter(
    (u) => isEligibleApprover(u, agentId, target.id) && !includesId(approver.ids, u.id),
  );
  if (members.length === 0) {
    throw new FlowError('noApprover', said('noSecondApprover', { reasons }));
  }
  return { risk, secondApprover: { ids: members.map((m) => m.id), people: members.map(toPerson) } };
}
