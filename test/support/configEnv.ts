/** A production environment for config tests, and the problems loadConfig reports for one. */
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';

export const TENANT = '11111111-2222-4333-8444-555555555555';
export const APP = '66666666-7777-4888-9999-000000000000';
export const GROUP = '12345678-1234-4234-8234-123456789012';

/** The least a production deployment sets (a bot identity and the helpdesk group), plus `extra`. */
export const production = (extra: Record<string, string> = {}): Record<string, string> => ({
  MicrosoftAppId: APP,
  MicrosoftAppPassword: 'bot-secret-value',
  MicrosoftAppTenantId: TENANT,
  HELPDESK_GROUP_ID: GROUP,
  ...extra,
});

/** Every problem loadConfig reports for `env` (it must refuse it). */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, 'expected a ConfigError');
    return e.problems;
  }
  assert.fail('expected loadConfig to throw');
}
