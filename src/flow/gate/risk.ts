/**
 * Identity-assurance signals combined into a risk level. A manager's click on a card is
 * what attackers who target helpdesks prepare for (a spoofed number, a faked voice, a
 * manager attribute changed first); these rules say when one person's word is not enough.
 * Elevated risk asks a second approver (four eyes) or refuses, as configured; the card
 * shows which rule applied and why.
 */
import type { TargetSignals } from '../../graph/types';
import { said, wordsIn, type StoredReason } from '../../i18n/said';
import { catalogue } from '../../i18n';

export interface RiskRules {
  /** A change of the user's manager attribute within this many days is elevated risk. 0 = off. */
  managerChangeWithinDays: number;
  /** A pass issued by this bot within this many days is elevated risk (a second pass in a row). 0 = off. */
  recentPassWithinDays: number;
  /** A sign-in method registered within this many hours is elevated risk. 0 = off. */
  methodRegisteredWithinHours: number;
  /** Identity Protection risk levels that are elevated risk. */
  userRiskLevels: string[];
  /** What elevated risk needs: a second approver from `secondApproverGroupId`, or a refusal. */
  onElevated: 'secondApprover' | 'refuse';
  secondApproverGroupId?: string;
}

export const DEFAULT_RISK_RULES: RiskRules = {
  managerChangeWithinDays: 7,
  recentPassWithinDays: 7,
  methodRegisteredWithinHours: 24,
  userRiskLevels: ['high'],
  onElevated: 'secondApprover',
};

/** What the bot's own storage knows about earlier passes for this person. */
export interface PassHistory {
  /** When earlier passes were issued (newest first). */
  issuedAt: string[];
  /** An earlier request for this person was reported as suspicious. */
  reportedSuspicious: boolean;
}

export interface RiskAssessment {
  level: 'normal' | 'elevated';
  /** One sentence per rule that applied, for the card and the audit (English). */
  reasons: string[];
  /** The same reasons as their meaning, one per reason, for a reader of another language (`reasonIn`, src/i18n/said.ts). */
  said?: StoredReason[];
  /** The rule names that applied, e.g. `managerChange`. */
  rules: string[];
}

const DAY_IN_MS = 24 * 60 * 60_000;

export function assessRisk(signals: TargetSignals, history: PassHistory, rules: RiskRules, now: Date): RiskAssessment {
  const hit: Array<[string, string, StoredReason]> = [];
  const within = (iso: string | null | undefined, ms: number): boolean => iso !== null && iso !== undefined && now.getTime() - Date.parse(iso) <= ms;

  const change = signals.managerChange.available ? signals.managerChange.value : null;
  if (rules.managerChangeWithinDays > 0 && change && within(change.changedAt, rules.managerChangeWithinDays * DAY_IN_MS) && !setWhenCreated(change.changedAt, signals)) {
    hit.push(['managerChange', `Their manager was changed on ${day(change.changedAt)}, within ${rules.managerChangeWithinDays} days: an attacker may have set it to an accomplice.`, said('riskManagerChange', { at: change.changedAt, days: rules.managerChangeWithinDays })]);
  }
  const lastPass = history.issuedAt[0];
  if (rules.recentPassWithinDays > 0 && lastPass && within(lastPass, rules.recentPassWithinDays * DAY_IN_MS)) {
    hit.push(['recentPass', `They were given a pass on ${day(lastPass)}, within ${rules.recentPassWithinDays} days: a second recovery so soon needs a second look.`, said('riskRecentPass', { at: lastPass, days: rules.recentPassWithinDays })]);
  }
  if (history.reportedSuspicious) {
    hit.push(['reportedBefore', 'An earlier request for them was reported as suspicious.', said('riskReportedBefore')]);
  }
  const newest = signals.methods.available ? signals.methods.value.newestAddedAt : undefined;
  if (rules.methodRegisteredWithinHours > 0 && newest && within(newest, rules.methodRegisteredWithinHours * 60 * 60_000)) {
    hit.push(['methodRegisteredRecently', `A sign-in method was registered on ${day(newest)}, within ${rules.methodRegisteredWithinHours} hours: ask why they lost it so soon.`, said('riskMethodRegisteredRecently', { at: newest, hours: rules.methodRegisteredWithinHours })]);
  }
  const risk = signals.risk.available ? signals.risk.value : null;
  if (risk && rules.userRiskLevels.includes(risk.level)) {
    hit.push(['userRisk', `Identity Protection rates their account ${risk.level} risk.`, said('riskUserRisk', { level: risk.level })]);
  }
  // The privileged-account rule's safe default: when PIM cannot be read, it cannot tell
  // whether they can activate an administrator role, so one approval is not enough.
  const activation = signals.eligibleRoles;
  if (activation && !activation.available) {
    const meaning = said('riskPrivilegedRolesUnknown', { missing: activation.missing });
    hit.push(['privilegedRolesUnknown', wordsIn(catalogue('en'), meaning), meaning]);
  }
  return { level: hit.length > 0 ? 'elevated' : 'normal', rules: hit.map(([r]) => r), reasons: hit.map(([, why]) => why), said: hit.map(([, , meaning]) => meaning) };
}

/**
 * The manager written when the account was made (a joiner's first day in HR's system) is not a
 * change: an attacker changes the manager of an account that already had one.
 */
const SET_AT_CREATION_WITHIN_MS = DAY_IN_MS;
function setWhenCreated(changedAt: string, signals: TargetSignals): boolean {
  const created = signals.account.available ? signals.account.value.createdDateTime : null;
  if (!created) return false;
  const gap = Date.parse(changedAt) - Date.parse(created);
  return Number.isFinite(gap) && gap >= 0 && gap <= SET_AT_CREATION_WITHIN_MS;
}

const day = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
