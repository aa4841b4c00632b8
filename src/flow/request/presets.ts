/**
 * What each field scenario means for the pass, as defaults the agent sees on the form and
 * the approver sees on the card; always clamped to the tenant policy (a preset is a
 * default, not a demand), and never overriding what the agent set explicitly.
 *
 * - recovery: lost phone, locked out. One-time and short: the user signs in once and
 *   registers a new method straight away (within about 10 minutes of signing in).
 * - newJoiner: starts on their first morning in the organisation's time zone and lasts
 *   the working day, so they can set up Microsoft Authenticator and phone sign-in.
 * - passkeyOnboarding: multi-use, long enough for the two sign-ins a passkey in
 *   Microsoft Authenticator needs.
 */
import type { Scenario, ScenarioPresets } from '../types';
import { catalogue } from '../../i18n';
import { said, wordsIn, type StoredReason } from '../../i18n/said';

export const DEFAULT_PRESETS: ScenarioPresets = {
  recovery: { asksForStart: false },
  newJoiner: { lifetimeInMinutes: 480, isUsableOnce: false, startTime: '08:00', asksForStart: true },
  passkeyOnboarding: { lifetimeInMinutes: 120, isUsableOnce: false, asksForStart: false, multiUseOnly: true },
};

/** What the approval card says the preset means, in one line. */
export function presetMeaning(scenario: Scenario, presets: ScenarioPresets = DEFAULT_PRESETS): StoredReason {
  switch (scenario) {
    case 'recovery':
      return said('presetRecovery');
    case 'newJoiner':
      return said('presetNewJoiner', presets.newJoiner.startTime ? { startTime: presets.newJoiner.startTime } : {});
    case 'passkeyOnboarding':
      return said('presetPasskey');
  }
}

/** The same line in English (logs, and a reader whose language is unknown). */
export function describePreset(scenario: Scenario, presets: ScenarioPresets = DEFAULT_PRESETS): string {
  return wordsIn(catalogue('en'), presetMeaning(scenario, presets));
}
