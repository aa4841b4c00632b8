/**
 * Check 3: every required application permission is in the token's `roles`, and each
 * optional one, with the feature it enables. An optional permission whose feature is
 * switched on by a setting is reported as missing: that setting cannot work without it.
 */
import type { Config } from '../config';
import { grantOf, OPTIONAL_APPLICATION_PERMISSIONS, REQUIRED_APPLICATION_PERMISSIONS } from './permissions';
import { missing, ok, optional, type CheckResult } from './types';

export function grantFix(permission: string, appId: string | undefined): string {
  const app = appId ? ` ${appId}` : '';
  return `grant the Microsoft Graph application permission ${permission}: Entra admin center > App registrations > the bot's Graph app${app} > API permissions > Add a permission > Microsoft Graph > Application permissions > ${permission}, then "Grant admin consent" (or: az ad app permission add --id <app id> --api 00000003-0000-0000-c000-000000000000 --api-permissions <${permission} role id>=Role, then az ad app permission admin-consent --id <app id>).`;
}

function grantedLine(title: string, permission: string, through: string | undefined, what: string): CheckResult {
  return ok(title, through ? `granted through ${through}, which is broader than needed (${permission} is enough): ${what}` : `granted: ${what}`);
}

export function checkPermissions(config: Config, roles: readonly string[], appId?: string): CheckResult[] {
  const held = new Set(roles);
  const results: CheckResult[] = [];
  for (const permission of REQUIRED_APPLICATION_PERMISSIONS) {
    const title = `Permission ${permission}`;
    const grant = grantOf(permission, held);
    results.push(grant.granted ? grantedLine(title, permission, grant.through, 'required') : missing(title, 'required, and not in the token', grantFix(permission, appId)));
  }
  for (const p of OPTIONAL_APPLICATION_PERMISSIONS) {
    const title = `Permission ${p.permission}`;
    const grant = grantOf(p.permission, held);
    if (grant.granted) {
      results.push(grantedLine(title, p.permission, grant.through, `optional, for ${p.feature}`));
    } else if (p.enabledBy?.isOn(config)) {
      results.push(missing(title, `not in the token, but ${p.enabledBy.setting} turns on ${p.feature}, which fails without it`, `${grantFix(p.permission, appId)} Or unset ${p.enabledBy.setting}.`));
    } else {
      results.push(optional(title, `not granted: ${p.feature} is off`, `only if you want it: ${grantFix(p.permission, appId)}`));
    }
  }
  return results;
}
