/**
 * The Graph application permissions the bot needs, as code: which are required, and what
 * each optional one enables. Built on REQUIRED_PERMISSION (src/graph/errors.ts, one
 * permission per Graph operation) and TEAMS_APP_INSTALL_PERMISSION: every operation is
 * classified here (the Record makes a new operation a compile error until it is), and the
 * signal reads, which are `$batch` items rather than operations, are listed by name.
 * docs/security.md section 4 describes the same lists in prose.
 */
import type { Config } from '../config';
import { REQUIRED_PERMISSION, type GraphOperation } from '../graph/errors';
import { PIM_PERMISSIONS } from '../graph/pim';
import { TEAMS_APP_INSTALL_PERMISSION } from '../graph/types';

export interface OptionalPermission {
  permission: string;
  /** The feature it enables, as a phrase: "the owner's notice mail". */
  feature: string;
  /**
   * The setting that turns the feature on, when one does: then the feature is configured and
   * a missing permission breaks it (the doctor reports it as missing, not as optional).
   */
  enabledBy?: { setting: string; isOn(config: Config): boolean };
}

type Need = 'required' | Omit<OptionalPermission, 'permission'>;

const ONBOARDING: Need = {
  feature: 'the passkey onboarding group (users join it while they register a passkey)',
  enabledBy: { setting: 'ONBOARDING_GROUP_ID', isOn: (c) => c.onboardingGroupId !== undefined },
};

/** Each Graph operation of the bot: needed for every request, or for one feature. */
const OPERATION_NEEDS: Record<GraphOperation, Need> = {
  getUser: 'required',
  getManager: 'required',
  memberGroups: 'required',
  directoryRolesHeld: 'required',
  getTapPolicy: 'required',
  listTaps: 'required',
  createTap: 'required',
  deleteTap: 'required',
  listGroupUsers: 'required',
  sendMail: {
    feature: "the owner's notice mail",
    enabledBy: { setting: 'OWNER_NOTICE_MAIL_FROM', isOn: (c) => c.ownerNotice.enabled && c.ownerNotice.mailFrom !== undefined },
  },
  revokeSignInSessions: {
    feature: 'ending the sign-in sessions of an account whose owner says "This wasn\'t me"',
    enabledBy: { setting: 'OWNER_DISPUTE_REVOKES_SESSIONS', isOn: (c) => c.ownerNotice.revokeSessionsOnDispute },
  },
  listAuthenticationMethods: {
    // FOLLOW_THROUGH is on by default: without the permission it is degraded, not misconfigured.
    feature: 'the registered-methods signal on approval cards, RISK_METHOD_REGISTERED_HOURS, and the registration follow-through (FOLLOW_THROUGH)',
  },
  addGroupMember: ONBOARDING,
  removeGroupMember: ONBOARDING,
  // Escalation when away is on by default: without the permission the approver shows as "not available", nothing breaks.
  automaticReplies: { feature: 'passing a request on at once when its approver is out of office (APPROVAL_ESCALATE_WHEN_AWAY)' },
};

/** Signal reads (src/graph/signals.ts) that are not operations of their own. */
const SIGNAL_PERMISSIONS: OptionalPermission[] = [
  { permission: 'AuditLog.Read.All', feature: 'the manager-change signal (RISK_MANAGER_CHANGE_DAYS) and last sign-in on approval cards' },
  { permission: 'IdentityRiskyUser.Read.All', feature: 'the Identity Protection risk signal (RISK_USER_LEVELS; needs Entra ID P2)' },
  // PIM reads (src/graph/pim.ts) ride with the checks too. Without one the privileged-account
  // rule cannot tell, and its safe default asks a second approver for every pass.
  ...Object.values(PIM_PERMISSIONS).map((permission) => ({
    permission,
    feature: 'seeing administrator roles a person can activate (PIM); without it every pass needs a second approver (or is refused), and bulk leaves everyone out',
  })),
];

const operations = Object.keys(OPERATION_NEEDS) as GraphOperation[];

/** Needed for every request; without one of these the bot does not work. */
export const REQUIRED_APPLICATION_PERMISSIONS: readonly string[] = [
  ...new Set(operations.filter((op) => OPERATION_NEEDS[op] === 'required').map((op) => REQUIRED_PERMISSION[op])),
];

/** Each for one feature; the rest of the bot works without it. */
export const OPTIONAL_APPLICATION_PERMISSIONS: readonly OptionalPermission[] = ([
  {
    permission: TEAMS_APP_INSTALL_PERMISSION,
    feature: 'reaching approvers, security contacts and account owners who never opened the bot (the bot installs itself for them)',
    enabledBy: { setting: 'TEAMS_APP_CATALOG_ID', isOn: (c) => c.teamsAppCatalogId !== undefined },
  },
  ...dedupe(
    operations.flatMap((op): OptionalPermission[] => {
      const need = OPERATION_NEEDS[op];
      return need === 'required' ? [] : [{ permission: REQUIRED_PERMISSION[op], ...need }];
    }),
  ),
  ...SIGNAL_PERMISSIONS,
] satisfies OptionalPermission[]).filter((p) => !REQUIRED_APPLICATION_PERMISSIONS.includes(p.permission));

/** One entry per permission: addGroupMember and removeGroupMember share theirs. */
function dedupe(list: OptionalPermission[]): OptionalPermission[] {
  return [...new Map(list.map((p) => [p.permission, p] as const)).values()];
}

/**
 * Broader permissions that also grant what the bot needs (Graph's reference pages list them
 * as "higher privileged"). Holding one works, but is more than the bot needs.
 */
const BROADER: Record<string, readonly string[]> = {
  'User.Read.All': ['User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'GroupMember.Read.All': ['Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'Policy.Read.AuthenticationMethod': ['Policy.ReadWrite.AuthenticationMethod'],
  'UserAuthMethod-TAP.ReadWrite.All': ['UserAuthenticationMethod.ReadWrite.All'],
  'UserAuthenticationMethod.Read.All': ['UserAuthenticationMethod.ReadWrite.All'],
  'GroupMember.ReadWrite.All': ['Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  'User.RevokeSessions.All': ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
  'IdentityRiskyUser.Read.All': ['IdentityRiskyUser.ReadWrite.All'],
  [PIM_PERMISSIONS.eligibleRoles]: ['RoleEligibilitySchedule.ReadWrite.Directory', 'RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'RoleManagement.ReadWrite.Directory'],
  [PIM_PERMISSIONS.activeRoles]: ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'RoleManagement.ReadWrite.Directory'],
  [PIM_PERMISSIONS.eligibleGroups]: ['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'],
  [TEAMS_APP_INSTALL_PERMISSION]: ['TeamsAppInstallation.ReadWriteForUser.All'],
};

/** How `roles` grants `permission`: exactly, through a broader one, or not at all. */
export function grantOf(permission: string, roles: ReadonlySet<string>): { granted: false } | { granted: true; through?: string } {
  const held = new Set([...roles].map((r) => r.toLowerCase()));
  if (held.has(permission.toLowerCase())) return { granted: true };
  const through = (BROADER[permission] ?? []).find((p) => held.has(p.toLowerCase()));
  return through ? { granted: true, through } : { granted: false };
}

/** Reading the tenant app catalog (the doctor's own check of TEAMS_APP_CATALOG_ID; the bot never reads it). */
export const APP_CATALOG_READ_PERMISSION = 'AppCatalog.Read.All';
