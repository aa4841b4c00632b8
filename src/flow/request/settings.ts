/**
 * TAP settings from what the agent asked, the bot's configuration and the tenant policy.
 * The policy always wins: an explicit lifetime outside its bounds is refused (the agent
 * should know), a configured default outside them is clamped (the admin set a default,
 * not a demand).
 */
import type { TapPolicy } from '../../graph/types';
import { FlowError } from '../../errors';
import { said } from '../../i18n/said';
import { MAX_START_IN_DAYS } from './validation';
import { DEFAULT_PRESETS, describePreset, presetMeaning } from './presets';
import type { ScenarioPreset } from '../types';
import { nextWorkingDay } from './localTime';
import { SCENARIOS, type FlowConfig, type FormPolicy, type Scenario, type ScenarioFormDefaults, type TapSettings } from '../types';

export interface RequestedSettings {
  lifetimeInMinutes?: number;
  isUsableOnce?: boolean;
  startDateTime?: string;
}

/**
 * What the agent asked wins; then the scenario's preset (clamped: a preset is a default);
 * then the bot's configured default. The policy always has the last word.
 */
export function resolveSettings(requested: RequestedSettings, config: FlowConfig['tap'], policy: TapPolicy, preset?: ScenarioPreset): TapSettings {
  let lifetimeInMinutes: number;
  if (requested.lifetimeInMinutes !== undefined) {
    assertWithinPolicy(requested.lifetimeInMinutes, policy);
    lifetimeInMinutes = requested.lifetimeInMinutes;
  } else if (preset?.lifetimeInMinutes !== undefined) {
    lifetimeInMinutes = clamp(preset.lifetimeInMinutes, policy);
  } else {
    lifetimeInMinutes = defaultLifetime(config, policy);
  }
  if (preset?.multiUseOnly && policy.isUsableOnce) {
    throw new FlowError('invalidInput', said('passkeyNeedsMultiUse'));
  }
  return {
    lifetimeInMinutes,
    // A scenario that fails with a one-time pass is never one-time, whatever a form left selected.
    isUsableOnce: policy.isUsableOnce ? true : preset?.multiUseOnly ? false : (requested.isUsableOnce ?? preset?.isUsableOnce ?? config.isUsableOnce),
    ...(requested.startDateTime !== undefined ? { startDateTime: requested.startDateTime } : {}),
  };
}

function clamp(minutes: number, policy: TapPolicy): number {
  return Math.min(Math.max(minutes, policy.minimumLifetimeInMinutes), policy.maximumLifetimeInMinutes);
}

export function assertWithinPolicy(lifetimeInMinutes: number, policy: TapPolicy): void {
  const { minimumLifetimeInMinutes: min, maximumLifetimeInMinutes: max } = policy;
  if (lifetimeInMinutes < min || lifetimeInMinutes > max) {
    throw new FlowError('lifetimeOutOfBounds', said('lifetimeOutsidePolicy', { min, max, asked: lifetimeInMinutes }));
  }
}

function defaultLifetime(config: FlowConfig['tap'], policy: TapPolicy): number {
  const wanted = config.defaultLifetimeInMinutes ?? policy.defaultLifetimeInMinutes;
  return Math.min(Math.max(wanted, policy.minimumLifetimeInMinutes), policy.maximumLifetimeInMinutes);
}

export function formPolicy(config: FlowConfig, policy: TapPolicy, now: Date = new Date(), viewerZone?: string): FormPolicy {
  const presets = config.presets ?? DEFAULT_PRESETS;
  const zone = viewerZone ?? config.orgTimeZone ?? 'UTC';
  const scenarios = Object.fromEntries(
    SCENARIOS.map((scenario) => {
      const preset = presets[scenario];
      const settings = resolveSettings({}, config.tap, policy, preset);
      const defaults: ScenarioFormDefaults = {
        lifetimeInMinutes: settings.lifetimeInMinutes,
        isUsableOnce: settings.isUsableOnce,
        note: describePreset(scenario, presets),
        noteSaid: presetMeaning(scenario, presets),
        ...(preset.asksForStart ? { start: { date: nextWorkingDay(now, zone), time: preset.startTime ?? '08:00' } } : {}),
      };
      return [scenario, defaults];
    }),
  ) as Record<Scenario, ScenarioFormDefaults>;
  return {
    scenarios,
    orgTimeZone: config.orgTimeZone ?? 'UTC',
    enabled: policy.state === 'enabled',
    minimumLifetimeInMinutes: policy.minimumLifetimeInMinutes,
    maximumLifetimeInMinutes: policy.maximumLifetimeInMinutes,
    defaultLifetimeInMinutes: defaultLifetime(config.tap, policy),
    isUsableOnceForced: policy.isUsableOnce,
    defaultIsUsableOnce: policy.isUsableOnce || config.tap.isUsableOnce,
    maxStartInDays: MAX_START_IN_DAYS,
    approvalTimeoutInMinutes: config.approvalTimeoutInMinutes,
  };
}

/** "45 minutes", "8 hours", "1 day", "90 minutes". */
export function describeMinutes(minutes: number): string {
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes >= 1440 && minutes % 1440 === 0) return plural(minutes / 1440, 'day');
  if (minutes >= 60 && minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
}
