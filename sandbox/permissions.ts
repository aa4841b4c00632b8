/**
 * Application permissions (the `roles` claim of an app-only token) and which of them each
 * Graph route accepts. Lists run from least to most privileged, as on Graph's reference
 * pages; a token holding any one of them passes. Graph checks the permission before it
 * looks the resource up, so a missing permission is a 403 even for a user that does not exist.
 */
import { GraphHttpError } from './graphErrors';

export const PERMISSIONS = {
  userRead: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  groupMemberWrite: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  groupMemberRead: ['GroupMember.Read.All', 'Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  tapPolicyRead: ['Policy.Read.AuthenticationMethod', 'Policy.ReadWrite.AuthenticationMethod'],
  tapRead: ['UserAuthMethod-TAP.Read.All', 'UserAuthMethod-TAP.ReadWrite.All', 'UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All'],
  tapWrite: ['UserAuthMethod-TAP.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'],
  authMethodsRead: ['UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All'],
  teamsAppRead: [
    'TeamsAppInstallation.ReadSelfForUser.All',
    'TeamsAppInstallation.ReadWriteSelfForUser.All',
    'TeamsAppInstallation.ReadForUser.All',
    'TeamsAppInstallation.ReadWriteForUser.All',
  ],
  teamsAppInstall: ['TeamsAppInstallation.ReadWriteSelfForUser.All', 'TeamsAppInstallation.ReadWriteForUser.All'],
  auditLogRead: ['AuditLog.Read.All'],
  riskyUserRead: ['IdentityRiskyUser.Read.All', 'IdentityRiskyUser.ReadWrite.All'],
  mailSend: ['Mail.Send'],
  mailboxSettingsRead: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
  revokeSessions: ['User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  roleEligibilityRead: ['RoleEligibilitySchedule.Read.Directory', 'RoleEligibilitySchedule.ReadWrite.Directory', 'RoleManagement.Read.All', 'RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory'],
  roleAssignmentScheduleRead: ['RoleAssignmentSchedule.Read.Directory', 'RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.Read.All', 'RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory'],
  groupEligibilityRead: ['PrivilegedEligibilitySchedule.Read.AzureADGroup', 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'],
} as const satisfies Record<string, readonly string[]>;

/** What the bot's app registration is granted by default: the required permissions (README "Deploying", src/graph/errors.ts) plus the identity-assurance and onboarding-group ones. */
export const DEFAULT_GRANTED_PERMISSIONS: readonly string[] = [
  'UserAuthMethod-TAP.ReadWrite.All',
  'User.Read.All',
  'GroupMember.Read.All',
  'GroupMember.ReadWrite.All',
  'Policy.Read.AuthenticationMethod',
  'TeamsAppInstallation.ReadWriteSelfForUser.All',
  'AuditLog.Read.All',
  'UserAuthenticationMethod.Read.All',
  'IdentityRiskyUser.Read.All',
  'Mail.Send',
  'User.RevokeSessions.All',
  // PIM: eligible and time-bound administrator roles count for the privileged-account rule.
  'RoleEligibilitySchedule.Read.Directory',
  'RoleAssignmentSchedule.Read.Directory',
  'PrivilegedEligibilitySchedule.Read.AzureADGroup',
  'MailboxSettings.Read',
];

const insufficientPrivileges = (): GraphHttpError =>
  new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

/** Throws Graph's 403 unless the roles hold one of `accepted`. `roles` undefined = an internal call, not checked. */
export function requireOneOf(roles: ReadonlySet<string> | undefined, accepted: readonly string[]): void {
  if (!roles) return;
  const held = new Set([...roles].map((r) => r.toLowerCase()));
  if (!accepted.some((p) => held.has(p.toLowerCase()))) throw insufficientPrivileges();
}

const lower = (s: string | undefined): string => (s ?? '').toLowerCase().replace(/^microsoft\.graph\./, '');

/**
 * The permissions a request needs, from its method and path shape alone (before any lookup).
 * `userRest` is the path after `users/{key}`, or null when the request is not under a user.
 * Null = no route-level requirement (unknown routes answer 400/405 on their own).
 */
export function routePermission(method: string, segments: string[], userRest: string[] | null): readonly string[] | null {
  if (userRest) {
    const [a, b, c] = userRest.map(lower);
    if (a === undefined || a === 'manager') return PERMISSIONS.userRead;
    if (a === 'checkmemberobjects') return PERMISSIONS.userRead;
    if (a === 'checkmembergroups') return PERMISSIONS.groupMemberRead;
    if (a === 'sendmail') return PERMISSIONS.mailSend;
    if (a === 'mailboxsettings') return PERMISSIONS.mailboxSettingsRead;
    if (a === 'revokesigninsessions') return PERMISSIONS.revokeSessions;
    if (a === 'authentication' && b === 'temporaryaccesspassmethods') return method === 'GET' ? PERMISSIONS.tapRead : PERMISSIONS.tapWrite;
    if (a === 'authentication' && b === 'methods') return PERMISSIONS.authMethodsRead;
    if (a === 'teamwork' && b === 'installedapps') return method === 'POST' && c === undefined ? PERMISSIONS.teamsAppInstall : PERMISSIONS.teamsAppRead;
    return null;
  }
  const [first, second] = segments.map(lower);
  if (first === 'users') return PERMISSIONS.userRead;
  if (first === 'groups' && method !== 'GET' && lower(segments[2]) === 'members') return PERMISSIONS.groupMemberWrite;
  if (first === 'groups') return PERMISSIONS.groupMemberRead;
  if (first === 'policies') return PERMISSIONS.tapPolicyRead;
  if (first === 'auditlogs' && second === 'directoryaudits') return PERMISSIONS.auditLogRead;
  if (first === 'identityprotection' && second === 'riskyusers') return PERMISSIONS.riskyUserRead;
  if (first === 'rolemanagement' && lower(segments[2]) === 'roleeligibilityscheduleinstances') return PERMISSIONS.roleEligibilityRead;
  if (first === 'rolemanagement' && lower(segments[2]) === 'roleassignmentscheduleinstances') return PERMISSIONS.roleAssignmentScheduleRead;
  if (first === 'identitygovernance' && second === 'privilegedaccess') return PERMISSIONS.groupEligibilityRead;
  return null;
}
