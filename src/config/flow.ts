/**
 * The request workflow's settings: the pass itself, approvals, limits, risk rules, the
 * scenario presets, the owner's notice and the registration follow-through. Defaults and
 * Graph's lifetime bounds are the flow's own rules (one home each); this only reads them.
 */
import { DEFAULT_PRESETS } from '../flow/request/presets';
import { DEFAULT_RISK_RULES, type RiskRules } from '../flow/gate/risk';
import { isTimeZone } from '../flow/request/localTime';
import type { ApprovalWaiting, DeliveryRecipient, FlowConfig, FollowThroughDeletePass, ScenarioPresets } from '../flow/types';
import { GRAPH_MAX_LIFETIME, GRAPH_MIN_LIFETIME } from '../flow/request/validation';
import { truncate, type Reader } from './reader';

export interface FlowRules {
  tap: FlowConfig['tap'];
  approvalTimeoutInMinutes: number;
  limits: FlowConfig['limits'];
  risk: RiskRules;
  /** IANA zone of the organisation: a new joiner's first morning is 08:00 here. */
  orgTimeZone: string;
  presets: ScenarioPresets;
  ownerNotice: { enabled: boolean; mailFrom?: string; revokeSessionsOnDispute: boolean };
  /** Reminding a silent approver and moving the request on (src/flow/decide/escalation.ts). */
  approvalWaiting: ApprovalWaiting;
}

/** Registration follow-through (src/flow/follow/followThrough.ts). */
export interface FollowThroughConfig {
  enabled: boolean;
  deletePass: FollowThroughDeletePass;
  checksPerSweep: number;
}

const MAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseFlowRules(r: Reader): FlowRules {
  const defaultLifetime = r.raw('TAP_DEFAULT_LIFETIME_MINUTES') === undefined
    ? undefined
    : r.int('TAP_DEFAULT_LIFETIME_MINUTES', 60, GRAPH_MIN_LIFETIME, GRAPH_MAX_LIFETIME);
  const tap = {
    ...(defaultLifetime !== undefined ? { defaultLifetimeInMinutes: defaultLifetime } : {}),
    isUsableOnce: r.bool('TAP_ONE_TIME', true),
    deliveryRecipient: r.oneOf<DeliveryRecipient>('TAP_DELIVERY_RECIPIENT', ['agent', 'manager'], 'agent'),
  };
  const approvalTimeoutInMinutes = r.int('APPROVAL_TIMEOUT_MINUTES', 30, 1, 1440);
  const limits = {
    requestsPerAgentPerHour: r.int('LIMIT_REQUESTS_PER_AGENT_PER_HOUR', 20, 0, 10000),
    openApprovalsPerApprover: r.int('LIMIT_OPEN_APPROVALS_PER_APPROVER', 5, 0, 1000),
    passesPerTargetPerDay: r.int('LIMIT_PASSES_PER_TARGET_PER_DAY', 3, 0, 1000),
  };
  const secondApproverGroupId = r.guid('SECOND_APPROVER_GROUP_ID');
  const risk: RiskRules = {
    managerChangeWithinDays: r.int('RISK_MANAGER_CHANGE_DAYS', DEFAULT_RISK_RULES.managerChangeWithinDays, 0, 365),
    recentPassWithinDays: r.int('RISK_RECENT_PASS_DAYS', DEFAULT_RISK_RULES.recentPassWithinDays, 0, 365),
    methodRegisteredWithinHours: r.int('RISK_METHOD_REGISTERED_HOURS', DEFAULT_RISK_RULES.methodRegisteredWithinHours, 0, 24 * 365),
    userRiskLevels: parseRiskLevels(r),
    onElevated: r.oneOf<RiskRules['onElevated']>('RISK_ELEVATED', ['secondApprover', 'refuse'], DEFAULT_RISK_RULES.onElevated),
    ...(secondApproverGroupId ? { secondApproverGroupId } : {}),
  };
  const orgTimeZone = r.raw('ORG_TIME_ZONE') ?? 'UTC';
  if (!isTimeZone(orgTimeZone)) r.problems.push(`ORG_TIME_ZONE must be an IANA time zone name such as Europe/Copenhagen (got "${truncate(orgTimeZone)}").`);
  const presets = parsePresets(r);
  const mailFrom = r.raw('OWNER_NOTICE_MAIL_FROM');
  if (mailFrom !== undefined && !MAIL_ADDRESS.test(mailFrom)) {
    r.problems.push(`OWNER_NOTICE_MAIL_FROM must be the address of the mailbox the notice is sent from, e.g. tap-notices@contoso.com (got "${truncate(mailFrom)}").`);
  }
  const ownerNotice = {
    enabled: r.bool('OWNER_NOTICE', true),
    ...(mailFrom !== undefined && MAIL_ADDRESS.test(mailFrom) ? { mailFrom } : {}),
    revokeSessionsOnDispute: r.bool('OWNER_DISPUTE_REVOKES_SESSIONS', false),
  };
  const approvalWaiting = parseApprovalWaiting(r, approvalTimeoutInMinutes);
  return { tap, approvalTimeoutInMinutes, limits, risk, orgTimeZone, presets, ownerNotice, approvalWaiting };
}

/**
 * When a silent approver is reminded (counted from the request) and when the request moves on
 * (counted from when the approver who has it was asked): each a share of the approval window
 * (`50%`), minutes (`10`), or `off`. Defaults: remind at half the window, move on at three quarters.
 */
function parseApprovalWaiting(r: Reader, windowInMinutes: number): ApprovalWaiting {
  const remindAfterInMs = pointInWindow(r, 'APPROVAL_REMINDER_AT', '50%', windowInMinutes);
  const escalateAfterInMs = pointInWindow(r, 'APPROVAL_ESCALATE_AFTER', '75%', windowInMinutes);
  if (remindAfterInMs !== undefined && escalateAfterInMs !== undefined && remindAfterInMs >= escalateAfterInMs) {
    r.problems.push('APPROVAL_REMINDER_AT must come before APPROVAL_ESCALATE_AFTER: a reminder after the request has moved on reaches nobody who can decide. Make the reminder earlier, or set it to off.');
  }
  const away = (r.raw('APPROVAL_ESCALATE_WHEN_AWAY') ?? 'on').trim().toLowerCase();
  const escalateWhenAway = ['on', 'true', 'yes', '1'].includes(away);
  if (!escalateWhenAway && !['off', 'false', 'no', '0'].includes(away)) {
    r.problems.push(`APPROVAL_ESCALATE_WHEN_AWAY must be on or off (got "${truncate(away)}").`);
  }
  return {
    ...(remindAfterInMs !== undefined ? { remindAfterInMs } : {}),
    ...(escalateAfterInMs !== undefined ? { escalateAfterInMs } : {}),
    escalateWhenAway,
  };
}

/** A point inside the approval window, in ms; undefined for `off` (or a value reported as a problem). */
function pointInWindow(r: Reader, name: string, def: string, windowInMinutes: number): number | undefined {
  const given = r.raw(name);
  const v = (given ?? def).trim().toLowerCase();
  if (v === 'off') return undefined;
  const share = /^(\d{1,3})%$/.exec(v);
  if (share && Number(share[1]) >= 1 && Number(share[1]) <= 99) return Math.round((windowInMinutes * 60_000 * Number(share[1])) / 100);
  if (/^\d+$/.test(v)) {
    const minutes = Number(v);
    if (minutes >= 1 && minutes < windowInMinutes) return minutes * 60_000;
    r.problems.push(`${name} is ${minutes} minutes, which is not inside the approval window of ${windowInMinutes} minutes (APPROVAL_TIMEOUT_MINUTES). Give fewer minutes, a share of the window such as 50%, or off.`);
    return undefined;
  }
  r.problems.push(`${name} must be a share of the approval window such as 50%, a number of minutes below APPROVAL_TIMEOUT_MINUTES such as 10, or off (got "${truncate(given ?? '')}").`);
  return undefined;
}

export function parseFollowThrough(r: Reader): FollowThroughConfig {
  return {
    enabled: r.bool('FOLLOW_THROUGH', true),
    deletePass: r.oneOf<FollowThroughDeletePass>('FOLLOW_THROUGH_DELETE_PASS', ['recovery', 'all', 'none'], 'recovery'),
    checksPerSweep: r.int('FOLLOW_THROUGH_CHECKS_PER_SWEEP', 50, 1, 1000),
  };
}

/** The scenario presets, each lifetime a Graph-valid number; the policy clamps them further. */
function parsePresets(r: Reader): ScenarioPresets {
  const recoveryLifetime = r.raw('PRESET_RECOVERY_LIFETIME_MINUTES') === undefined ? undefined : r.int('PRESET_RECOVERY_LIFETIME_MINUTES', 60, GRAPH_MIN_LIFETIME, GRAPH_MAX_LIFETIME);
  const startTime = r.raw('PRESET_NEW_JOINER_START_TIME') ?? DEFAULT_PRESETS.newJoiner.startTime ?? '08:00';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(startTime)) r.problems.push(`PRESET_NEW_JOINER_START_TIME must be a time of day as HH:MM, e.g. 08:00 (got "${truncate(startTime)}").`);
  return {
    recovery: { ...DEFAULT_PRESETS.recovery, ...(recoveryLifetime !== undefined ? { lifetimeInMinutes: recoveryLifetime } : {}) },
    newJoiner: {
      ...DEFAULT_PRESETS.newJoiner,
      lifetimeInMinutes: r.int('PRESET_NEW_JOINER_LIFETIME_MINUTES', DEFAULT_PRESETS.newJoiner.lifetimeInMinutes ?? 480, GRAPH_MIN_LIFETIME, GRAPH_MAX_LIFETIME),
      startTime,
    },
    passkeyOnboarding: {
      ...DEFAULT_PRESETS.passkeyOnboarding,
      lifetimeInMinutes: r.int('PRESET_PASSKEY_LIFETIME_MINUTES', DEFAULT_PRESETS.passkeyOnboarding.lifetimeInMinutes ?? 120, GRAPH_MIN_LIFETIME, GRAPH_MAX_LIFETIME),
    },
  };
}

const RISK_LEVELS = ['low', 'medium', 'high'] as const;

/**
 * Unset means the default; set but empty means no level at all (the rule is off), as the
 * message below says: `RISK_USER_LEVELS=` is how an admin turns the rule off.
 */
function parseRiskLevels(r: Reader): string[] {
  if (!r.isSet('RISK_USER_LEVELS')) return [...DEFAULT_RISK_RULES.userRiskLevels];
  const v = r.raw('RISK_USER_LEVELS') ?? '';
  const levels = v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = levels.filter((l) => !(RISK_LEVELS as readonly string[]).includes(l));
  if (bad.length > 0) r.problems.push(`RISK_USER_LEVELS has ${bad.map((b) => `"${truncate(b)}"`).join(', ')}; use a comma-separated list of ${RISK_LEVELS.join(', ')} (or leave it empty for none).`);
  return levels.filter((l) => !bad.includes(l));
}
