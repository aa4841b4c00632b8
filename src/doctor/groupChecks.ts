/**
 * Check 5: every configured group exists (`GET /groups/{id}`), by the setting that names
 * it. The helpdesk group is required; each optional one is checked only when configured,
 * and a configured group that does not exist is missing: the feature it names would
 * silently act on nobody (a protected group that is not there protects no one).
 */
import type { Config } from '../config';
import { toGraphError } from '../graph/errors';
import { groupPath } from '../graph/odata';
import { asObject } from '../graph/shapes';
import { graphErrorOf, type GraphReader } from './graphAccess';
import { grantFix } from './permissionChecks';
import { missing, ok, skipped, type CheckResult } from './types';
import type { DoctorEnv } from './target';

interface GroupSetting {
  setting: string;
  /** What the group is for, as a phrase. */
  role: string;
  /** What is off when it is not configured. */
  whenUnset: string;
  required: boolean;
  id?: string;
  /** Sandbox mode: the id came from the sandbox directory, not from the setting. */
  sandboxDefault?: boolean;
}

/** The group settings of this configuration, in the order they are reported. */
function groupSettings(config: Config, env: DoctorEnv): GroupSetting[] {
  const fromSandbox = (setting: string): boolean => config.mode === 'sandbox' && !env[setting]?.trim();
  const entry = (setting: string, id: string | undefined, rest: Omit<GroupSetting, 'setting' | 'id' | 'sandboxDefault'>): GroupSetting => ({
    setting,
    ...rest,
    ...(id ? { id } : {}),
    ...(id && fromSandbox(setting) ? { sandboxDefault: true } : {}),
  });
  return [
    entry('HELPDESK_GROUP_ID', config.groups.helpdesk || undefined, { role: 'helpdesk agents (who may ask for a pass)', whenUnset: 'nobody may ask for a pass', required: true }),
    entry('FALLBACK_APPROVER_GROUP_ID', config.groups.fallbackApprover, { role: 'fallback approvers', whenUnset: 'users without a usable manager cannot get a pass', required: false }),
    entry('PROTECTED_GROUP_ID', config.groups.protected, { role: 'protected accounts (never given a pass)', whenUnset: 'only directory roles protect accounts', required: false }),
    entry('SECOND_APPROVER_GROUP_ID', config.risk.secondApproverGroupId, { role: 'second approvers (four eyes for elevated risk)', whenUnset: 'elevated-risk requests are refused', required: false }),
    entry('SECURITY_CONTACT_GROUP_ID', config.groups.securityContacts, { role: 'security contacts (told of suspicious reports)', whenUnset: 'nobody is told of suspicious reports in Teams (the audit trail still has them)', required: false }),
    entry('ONBOARDING_GROUP_ID', config.onboardingGroupId, { role: 'the passkey onboarding group', whenUnset: 'passkey onboarding puts nobody in a Conditional Access group', required: false }),
    entry('BULK_APPROVER_GROUP_ID', config.bulk.approverGroupId, { role: 'approvers of bulk passes', whenUnset: bulkWithoutOwnGroup(config), required: false }),
  ];
}

/** Who approves bulk requests when BULK_APPROVER_GROUP_ID is not set: the rule of flow/bulk/context.ts (approverGroupOf), in words. */
function bulkWithoutOwnGroup(config: Config): string {
  return config.groups.fallbackApprover
    ? 'bulk requests made in Teams are approved by the fallback approver group (FALLBACK_APPROVER_GROUP_ID)'
    : 'bulk requests made in Teams are refused, as no fallback approver group is set either (npm run bulk needs no approver group)';
}

export interface GroupLookup {
  found: boolean;
  displayName?: string;
  /** When the lookup itself failed (permission, network): the reason and what to do. */
  failure?: { detail: string; fix: string };
}

/** `GET /groups/{id}?$select=id,displayName`. */
export async function lookUpGroup(reader: GraphReader, id: string): Promise<GroupLookup> {
  const path = `${groupPath(id)}?$select=id,displayName`;
  let answer;
  try {
    answer = await reader.get(path);
  } catch (e) {
    return { found: false, failure: { detail: `Microsoft Graph did not answer (${e instanceof Error ? e.message : String(e)})`, fix: 'check the network path to GRAPH_BASE_URL and run the doctor again.' } };
  }
  if (answer.status === 200) {
    const name = asObject(answer.body)['displayName'];
    return { found: true, ...(typeof name === 'string' ? { displayName: name } : {}) };
  }
  if (answer.status === 404) return { found: false };
  const error = toGraphError({ status: answer.status, ...graphErrorOf(answer) }, 'listGroupUsers');
  return {
    found: false,
    failure: {
      detail: error.userMessage,
      fix: error.missingPermission ? grantFix(error.missingPermission, undefined) : 'run the doctor again; if it persists, check Microsoft Graph service health.',
    },
  };
}

export async function checkGroups(config: Config, env: DoctorEnv, reader: GraphReader): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const g of groupSettings(config, env)) {
    const title = `Group ${g.setting}`;
    if (!g.id) {
      results.push(g.required ? missing(title, 'not set', `set ${g.setting} to the object id of the Entra group of ${g.role}.`) : skipped(title, `not set: ${g.whenUnset}`));
      continue;
    }
    const found = await lookUpGroup(reader, g.id);
    const origin = g.sandboxDefault ? ' (the sandbox default)' : '';
    if (found.found) {
      results.push(ok(title, `"${found.displayName ?? '(no name)'}" (${g.id})${origin}, ${g.role}`));
    } else if (found.failure) {
      results.push(missing(title, `${g.id}${origin} could not be read: ${found.failure.detail}`, found.failure.fix));
    } else {
      results.push(
        missing(title, `no group with id ${g.id}${origin} exists in the directory`, `set ${g.setting} to the object id of the Entra group of ${g.role} (Entra admin center > Groups > the group > Object ID)${g.required ? '' : ', or unset it'}.`),
      );
    }
  }
  return results;
}
