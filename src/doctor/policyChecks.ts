/**
 * Check 4: the tenant's Temporary Access Pass policy, as the bot reads it: enabled, the
 * lifetime bounds against the bot's defaults and presets, the one-time setting against the
 * scenarios that need a multi-use pass, and who is in scope (groups named).
 */
import type { Config } from '../config';
import { GraphError } from '../errors';
import { ALL_USERS } from '../graph/shapes';
import type { PolicyTarget, TapPolicy, TapGraph } from '../graph/types';
import { describeMinutes } from '../flow/request/settings';
import type { GraphReader } from './graphAccess';
import { lookUpGroup, type GroupLookup } from './groupChecks';
import { grantFix } from './permissionChecks';
import { missing, ok, optional, type CheckResult } from './types';

const POLICY_PLACE = 'Entra admin center > Protection > Authentication methods > Policies > Temporary Access Pass';

export async function checkTapPolicy(config: Config, graph: Pick<TapGraph, 'getTapPolicy'>, reader: GraphReader): Promise<CheckResult[]> {
  let policy: TapPolicy;
  try {
    policy = await graph.getTapPolicy();
  } catch (e) {
    const error = e instanceof GraphError ? e : undefined;
    const fix = error?.missingPermission ? grantFix(error.missingPermission, undefined) : 'run the doctor again; if it persists, check Microsoft Graph service health.';
    return [missing('TAP policy', `could not be read: ${error?.userMessage ?? String(e)}`, fix)];
  }
  return [stateLine(policy), lifetimeLine(config, policy), oneTimeLine(config, policy), await scopeLine(policy, reader)];
}

function stateLine(policy: TapPolicy): CheckResult {
  const title = 'TAP policy: state';
  return policy.state === 'enabled'
    ? ok(title, 'enabled')
    : missing(title, 'disabled: Graph refuses every Temporary Access Pass', `${POLICY_PLACE}: Enable, and include the users the helpdesk serves.`);
}

function lifetimeLine(config: Config, policy: TapPolicy): CheckResult {
  const title = 'TAP policy: lifetime';
  const { minimumLifetimeInMinutes: min, maximumLifetimeInMinutes: max, defaultLifetimeInMinutes: def } = policy;
  const bounds = `${min}-${max} minutes (${describeMinutes(min)} to ${describeMinutes(max)}), default ${def}`;
  if (min > max) return missing(title, `the policy's minimum ${min} is above its maximum ${max}`, `${POLICY_PLACE} > Configure: set a minimum lifetime below the maximum.`);
  const wanted: Array<{ setting: string; minutes: number | undefined }> = [
    { setting: 'TAP_DEFAULT_LIFETIME_MINUTES', minutes: config.tap.defaultLifetimeInMinutes },
    { setting: 'PRESET_RECOVERY_LIFETIME_MINUTES', minutes: config.presets.recovery.lifetimeInMinutes },
    { setting: 'PRESET_NEW_JOINER_LIFETIME_MINUTES', minutes: config.presets.newJoiner.lifetimeInMinutes },
    { setting: 'PRESET_PASSKEY_LIFETIME_MINUTES', minutes: config.presets.passkeyOnboarding.lifetimeInMinutes },
  ];
  const outside = wanted.filter((w): w is { setting: string; minutes: number } => w.minutes !== undefined && (w.minutes < min || w.minutes > max));
  if (outside.length === 0) return ok(title, `${bounds}; the bot's defaults and presets fit`);
  const clamped = outside.map((w) => `${w.setting} ${w.minutes} becomes ${Math.min(Math.max(w.minutes, min), max)}`).join('; ');
  return optional(title, `${bounds}; outside it, so clamped: ${clamped}`, `set ${outside.map((w) => w.setting).join(', ')} within ${min}-${max}, or widen the bounds (${POLICY_PLACE} > Configure).`);
}

function oneTimeLine(config: Config, policy: TapPolicy): CheckResult {
  const title = 'TAP policy: one-time';
  if (!policy.isUsableOnce) return ok(title, `not forced: the bot asks for ${config.tap.isUsableOnce ? 'one-time' : 'multi-use'} passes by default (TAP_ONE_TIME), multi-use where a scenario needs it`);
  const needsMultiUse = [
    ...(config.tap.isUsableOnce ? [] : ['TAP_ONE_TIME=false']),
    ...(config.presets.passkeyOnboarding.isUsableOnce === false ? ['passkey onboarding (two sign-ins)'] : []),
    ...(config.presets.newJoiner.isUsableOnce === false ? ['new joiner'] : []),
  ];
  if (needsMultiUse.length === 0) return ok(title, 'forced: every pass is one-time, as the bot asks anyway');
  return optional(
    title,
    `forced: every pass is one-time, so ${needsMultiUse.join(', ')} get a one-time pass instead of a multi-use one`,
    `if you use these scenarios, set "Require one-time use" to No (${POLICY_PLACE} > Configure); the bot still asks for one-time passes for recovery.`,
  );
}

async function scopeLine(policy: TapPolicy, reader: GraphReader): Promise<CheckResult> {
  const title = 'TAP policy: scope';
  const include = policy.includeTargets ?? [{ targetType: 'group', id: ALL_USERS }];
  const exclude = policy.excludeTargets ?? [];
  const includeNames = await Promise.all(include.map((t) => nameOf(t, reader)));
  const excludeNames = await Promise.all(exclude.map((t) => nameOf(t, reader)));
  const described = `includes ${includeNames.map((n) => n.text).join(', ') || 'nobody'}; excludes ${excludeNames.map((n) => n.text).join(', ') || 'nobody'}`;
  if (include.length === 0 || exclude.some((t) => t.id === ALL_USERS)) {
    return missing(title, `${described}: nobody can get a pass`, `${POLICY_PLACE} > Enable and target: include the users (or a group of them) the helpdesk serves.`);
  }
  const stale = [...includeNames, ...excludeNames].filter((n) => n.missing);
  if (stale.length > 0) {
    return optional(title, `${described}: the policy names groups that do not exist`, `${POLICY_PLACE} > Enable and target: remove or replace ${stale.map((n) => n.text).join(', ')}.`);
  }
  return ok(title, described);
}

async function nameOf(target: PolicyTarget, reader: GraphReader): Promise<{ text: string; missing?: boolean }> {
  if (target.id === ALL_USERS) return { text: 'all users' };
  if (target.targetType === 'user') return { text: `user ${target.id}` };
  const found: GroupLookup = await lookUpGroup(reader, target.id);
  if (found.found) return { text: `group "${found.displayName ?? '(no name)'}" (${target.id})` };
  return found.failure ? { text: `group ${target.id}` } : { text: `group ${target.id} (not found)`, missing: true };
}
