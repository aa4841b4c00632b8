/**
 * Where a scenario's code-free guide lives: the short address the agent reads out or
 * texts, and the language it is in. Pure strings, so the flow (the owner's notice), the
 * cards and the web pages all build the same URL from one rule.
 */
import { SCENARIOS, type Scenario } from '../types';

import { LANGUAGES, type Language } from '../../i18n';

/** Short, lower-case path segments: easy to read out and to type on a phone. */
const SLUGS: Record<Scenario, string> = { recovery: 'recovery', newJoiner: 'new-joiner', passkeyOnboarding: 'passkey' };

export function scenarioFromSlug(slug: string): Scenario | undefined {
  const wanted = slug.trim().toLowerCase();
  return SCENARIOS.find((s) => SLUGS[s] === wanted);
}

export function languageFromSlug(slug: string): Language | undefined {
  const wanted = slug.trim().toLowerCase();
  return LANGUAGES.find((l) => l === wanted);
}

/** "/guide/recovery/en". */
export function guidePath(scenario: Scenario, language: Language): string {
  return `/guide/${SLUGS[scenario]}/${language}`;
}

/** "https://tap.contoso.com/guide/recovery/en" (a trailing slash on the base is fine). */
export function guideUrl(publicBaseUrl: string, scenario: Scenario, language: Language): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${guidePath(scenario, language)}`;
}
