/**
 * The in-memory directory: users, managers, groups (nested), directory roles, TAP policy
 * and TAP methods, loaded from a seed in Graph's own shapes (sandbox/directory.json).
 */
import { randomUUID } from 'node:crypto';
import { notFound, GraphHttpError } from './graphErrors';
import {
  generatePassValue,
  resolveTapCreate,
  tapView,
  type StoredTap,
  type TapPolicyConfig,
} from './tapRules';
import { SANDBOX_CLIENT_ID } from './ids';
import { Mailboxes, type AutomaticRepliesInput } from './mailbox';
import { PimSchedules } from './pim';
import type { RegistrableMethodType, SandboxState, SentMail } from './types';

type Json = Record<string, unknown>;

interface MemberRef {
  '@odata.type'?: string;
  id: string;
}

interface UserRecord extends Json {
  id: string;
  userPrincipalName: string;
  userType: string;
}

interface GroupRecord extends Json {
  id: string;
  displayName: string;
  members: MemberRef[];
}

interface RoleRecord extends Json {
  id: string;
  roleTemplateId: string;
  members: MemberRef[];
}

interface InstalledApp {
  id: string;
  teamsAppId: string;
}

/** The sandbox app as an audit initiator (`initiatedBy.app`). */
const SANDBOX_APP_DISPLAY_NAME = 'TAP helpdesk bot (sandbox)';
const SANDBOX_APP_SERVICE_PRINCIPAL_ID = 'b0b0b0b0-0000-4000-8000-0000000050b0';

/** Graph's fixed ids: the password method and the mobile phone method. */
const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
const MOBILE_PHONE_METHOD_ID = '3179e48a-750b-4051-897c-87b9720928f7';

const METHOD_TYPES: Record<RegistrableMethodType | 'password', string> = {
  password: '#microsoft.graph.passwordAuthenticationMethod',
  microsoftAuthenticator: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  fido2: '#microsoft.graph.fido2AuthenticationMethod',
  windowsHelloForBusiness: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
  phone: '#microsoft.graph.phoneAuthenticationMethod',
};

/** Seed dates may be relative to start: `@now`, `@now-30m`, `@now+2h`, `@now-1d`. */
function resolveSeedDate(value: unknown, now: number): string {
  if (typeof value !== 'string') return new Date(now).toISOString();
  const match = /^@now(?:([+-])(\d+)([mhd]))?$/.exec(value);
  if (!match) return new Date(Date.parse(value)).toISOString();
  const unitInMs = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[3] as 'm' | 'h' | 'd'] ?? 0;
  const offset = match[1] ? Number(match[2]) * unitInMs * (match[1] === '-' ? -1 : 1) : 0;
  return new Date(now + offset).toISOString();
}

/** Graph's signInActivity shape; null for a user who never signed in. */
function signInActivityView(seed: Json | null | undefined, now: number): Json | null {
  if (!seed) return null;
  const at = (key: string): string | null => (seed[key] === undefined || seed[key] === null ? null : resolveSeedDate(seed[key], now));
  const requestId = (key: string): string | null => (seed[key.replace('RequestId', 'DateTime')] ? randomUUID() : null);
  return {
    lastSignInDateTime: at('lastSignInDateTime'),
    lastSignInRequestId: requestId('lastSignInRequestId'),
    lastNonInteractiveSignInDateTime: at('lastNonInteractiveSignInDateTime'),
    lastNonInteractiveSignInRequestId: requestId('lastNonInteractiveSignInRequestId'),
    lastSuccessfulSignInDateTime: at('lastSuccessfulSignInDateTime'),
    lastSuccessfulSignInRequestId: requestId('lastSuccessfulSignInRequestId'),
  };
}

function asArray(value: unknown, what: string): Json[] {
  if (!Array.isArray(value)) throw new Error(`Sandbox directory seed: '${what}' must be an array.`);
  return value as Json[];
}

function requireString(record: Json, key: string, what: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value === '') throw new Error(`Sandbox directory seed: ${what} needs a string '${key}'.`);
  return value;
}

export class Directory implements SandboxState {
  private readonly users = new Map<string, UserRecord>();
  private readonly managers = new Map<string, string>();
  private readonly groups = new Map<string, GroupRecord>();
  private readonly roles: RoleRecord[] = [];
  private readonly taps = new Map<string, StoredTap>();
  private readonly installedApps = new Map<string, InstalledApp[]>();
  /** Registered methods other than the TAP (which lives in `taps`), in registration order. */
  private readonly methods = new Map<string, Json[]>();
  private readonly riskyUsers = new Map<string, Json>();
  /** Automatic replies (out of office): Exchange's, kept beside the directory. */
  readonly mailboxes = new Mailboxes();
  /** Eligible and time-bound roles, eligible group membership (sandbox/pim.ts). */
  readonly pim: PimSchedules;
  private readonly audits: Json[] = [];
  private readonly outbox: SentMail[] = [];
  private readonly revocations: Array<{ userId: string; at: string }> = [];
  private policy: TapPolicyConfig;

  constructor(
    private readonly seed: unknown,
    private readonly now: () => number = Date.now,
  ) {
    this.pim = new PimSchedules(now);
    this.policy = this.load();
  }

  /** Back to the seed: users, groups, roles, TAPs, policy and app installs. */
  reset(): void {
    this.policy = this.load();
  }

  private load(): TapPolicyConfig {
    const { seed, now } = this;
    if (!seed || typeof seed !== 'object') throw new Error('Sandbox directory seed must be an object.');
    for (const map of [this.users, this.managers, this.groups, this.taps, this.installedApps, this.methods, this.riskyUsers]) map.clear();
    for (const list of [this.roles, this.audits, this.outbox, this.revocations]) list.length = 0;
    this.mailboxes.clear();
    this.pim.clear();
    // A deep copy: runs mutate their directory, never the seed another run starts from.
    const root = structuredClone(seed) as Json;
    const startedAt = now();
    for (const raw of asArray(root['users'], 'users')) {
      const id = requireString(raw, 'id', 'every user');
      const userPrincipalName = requireString(raw, 'userPrincipalName', `user ${id}`);
      const { manager, authentication, signInActivity, ...user } = raw;
      const userType = typeof user['userType'] === 'string' ? user['userType'] : 'Member';
      this.users.set(id, {
        accountEnabled: true,
        businessPhones: [],
        mobilePhone: null,
        ...user,
        createdDateTime: resolveSeedDate(user['createdDateTime'], startedAt),
        signInActivity: signInActivityView(signInActivity as Json | null | undefined, startedAt),
        id,
        userPrincipalName,
        userType,
      });
      const seededMethods = ((authentication as Json | undefined)?.['methods'] ?? []) as Json[];
      const methods: Json[] = seededMethods.map((m): Json => ({ ...m, ...('createdDateTime' in m && m['createdDateTime'] !== null ? { createdDateTime: resolveSeedDate(m['createdDateTime'], startedAt) } : {}) }));
      // Every cloud user has a password; Graph lists it under its fixed id.
      if (!methods.some((m) => m['@odata.type'] === METHOD_TYPES.password)) {
        methods.unshift({ '@odata.type': METHOD_TYPES.password, id: PASSWORD_METHOD_ID, password: null, createdDateTime: null });
      }
      this.methods.set(id, methods);
      const managerId = (manager as MemberRef | null | undefined)?.id;
      if (managerId) this.managers.set(id, managerId);
      const seeded = ((authentication as Json | undefined)?.['temporaryAccessPassMethods'] ?? []) as Json[];
      for (const tap of seeded.slice(-1)) {
        this.taps.set(id, {
          id: typeof tap['id'] === 'string' ? tap['id'] : randomUUID(),
          createdDateTime: resolveSeedDate(tap['createdDateTime'], startedAt),
          startDateTime: resolveSeedDate(tap['startDateTime'], startedAt),
          lifetimeInMinutes: Number(tap['lifetimeInMinutes'] ?? 60),
          isUsableOnce: tap['isUsableOnce'] === true,
        });
      }
    }
    for (const [userId, managerId] of this.managers) {
      if (!this.users.has(managerId)) throw new Error(`Sandbox directory seed: manager ${managerId} of ${userId} is not a user.`);
    }
    for (const raw of asArray(root['groups'] ?? [], 'groups')) {
      const id = requireString(raw, 'id', 'every group');
      this.groups.set(id, { displayName: id, ...raw, members: (raw['members'] ?? []) as MemberRef[] } as GroupRecord);
    }
    const risky = ((root['identityProtection'] as Json | undefined)?.['riskyUsers'] ?? []) as Json[];
    for (const raw of asArray(risky, 'identityProtection.riskyUsers')) {
      const id = requireString(raw, 'id', 'every risky user');
      if (!this.users.has(id)) throw new Error(`Sandbox directory seed: risky user ${id} is not a user.`);
      this.riskyUsers.set(id, { ...raw, riskLastUpdatedDateTime: resolveSeedDate(raw['riskLastUpdatedDateTime'], startedAt) });
    }
    const audits = ((root['auditLogs'] as Json | undefined)?.['directoryAudits'] ?? []) as Json[];
    for (const raw of asArray(audits, 'auditLogs.directoryAudits')) {
      this.audits.push({ id: randomUUID(), correlationId: randomUUID(), ...raw, activityDateTime: resolveSeedDate(raw['activityDateTime'], startedAt) });
    }
    for (const raw of asArray(root['directoryRoles'] ?? [], 'directoryRoles')) {
      requireString(raw, 'roleTemplateId', 'every directory role');
      this.roles.push({ ...raw, members: (raw['members'] ?? []) as MemberRef[] } as RoleRecord);
    }
    this.pim.load(root['roleManagement'], (v) => (v === undefined || v === null ? null : resolveSeedDate(v, startedAt)), (id) => this.users.has(id) || this.groups.has(id));
    const configs = (((root['policies'] as Json | undefined)?.['authenticationMethodsPolicy'] as Json | undefined)?.[
      'authenticationMethodConfigurations'
    ] ?? []) as Json[];
    const tap = configs.find((c) => c['id'] === 'TemporaryAccessPass') ?? {};
    return {
      state: 'enabled',
      defaultLifetimeInMinutes: 60,
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      defaultLength: 8,
      isUsableOnce: false,
      includeTargets: [{ targetType: 'group', id: 'all_users' }],
      excludeTargets: [],
      ...(tap as Partial<TapPolicyConfig>),
    };
  }

  // ----- users -----

  /** By object id or UPN (case-insensitive, as Graph matches UPNs). */
  findUser(idOrUpn: string): UserRecord | undefined {
    const byId = this.users.get(idOrUpn) ?? this.users.get(idOrUpn.toLowerCase());
    if (byId) return byId;
    const upn = idOrUpn.toLowerCase();
    for (const user of this.users.values()) if (user.userPrincipalName.toLowerCase() === upn) return user;
    return undefined;
  }

  /** Every user, in seed order. */
  allUsers(): UserRecord[] {
    return [...this.users.values()];
  }

  requireUser(idOrUpn: string): UserRecord {
    const user = this.findUser(idOrUpn);
    if (!user) throw notFound(idOrUpn);
    return user;
  }

  managerOf(userId: string): UserRecord | undefined {
    const managerId = this.managers.get(userId);
    return managerId ? this.users.get(managerId) : undefined;
  }

  updateUser(idOrUpn: string, patch: Record<string, unknown>, options: { actor?: string } = {}): void {
    const user = this.requireUser(idOrUpn);
    const actor = options.actor === undefined ? undefined : this.requireUser(options.actor);
    const { manager, ...rest } = patch;
    const modified: Json[] = [];
    for (const [key, value] of Object.entries(rest)) {
      if (key === 'id') continue;
      modified.push({ displayName: key, oldValue: JSON.stringify([user[key] ?? null].flat()), newValue: JSON.stringify([value ?? null].flat()) });
    }
    Object.assign(user, rest, { id: user.id });
    if (manager !== undefined) {
      const before = this.managers.get(user.id) ?? null;
      if (manager === null) this.managers.delete(user.id);
      else if (typeof manager === 'string') this.managers.set(user.id, this.requireUser(manager).id);
      const after = this.managers.get(user.id) ?? null;
      if (before !== after) {
        modified.push({ displayName: 'Manager', oldValue: JSON.stringify(before ? [before] : []), newValue: JSON.stringify(after ? [after] : []) });
      }
    }
    if (modified.length > 0) this.appendAudit('Update user', 'Core Directory', 'Update', user, modified, actor);
  }

  private appendAudit(activity: string, service: string, operationType: string, target: UserRecord, modifiedProperties: Json[], actor?: UserRecord): void {
    this.audits.push({
      id: randomUUID(),
      category: 'UserManagement',
      correlationId: randomUUID(),
      result: 'success',
      resultReason: '',
      activityDisplayName: activity,
      activityDateTime: new Date(this.now()).toISOString(),
      loggedByService: service,
      operationType,
      initiatedBy: actor
        ? { app: null, user: { id: actor.id, displayName: actor['displayName'] ?? null, userPrincipalName: actor.userPrincipalName, ipAddress: '', userType: null, homeTenantId: null, homeTenantName: null } }
        : { user: null, app: { appId: SANDBOX_CLIENT_ID, displayName: SANDBOX_APP_DISPLAY_NAME, servicePrincipalId: SANDBOX_APP_SERVICE_PRINCIPAL_ID, servicePrincipalName: SANDBOX_APP_DISPLAY_NAME } },
      targetResources: [
        { id: target.id, displayName: target['displayName'] ?? null, type: 'User', userPrincipalName: target.userPrincipalName, groupType: null, modifiedProperties },
      ],
      additionalDetails: [{ key: 'UserType', value: target.userType }],
    });
  }

  directoryAudits(): Array<Record<string, unknown>> {
    // Newest first; entries logged in the same millisecond: the later one first.
    return this.audits
      .map((entry, index) => ({ entry, index, at: Date.parse(String(entry['activityDateTime'])) }))
      .sort((a, b) => b.at - a.at || b.index - a.index)
      .map(({ entry }) => structuredClone(entry));
  }

  // ----- authentication methods, risk, mail, sessions -----

  registerMethod(userIdOrUpn: string, type: RegistrableMethodType, displayName?: string): Record<string, unknown> {
    const user = this.requireUser(userIdOrUpn);
    const createdDateTime = new Date(this.now()).toISOString();
    const odataType = METHOD_TYPES[type];
    if (!odataType || type === ('password' as RegistrableMethodType)) throw new GraphHttpError(400, 'badRequest', `Unknown authentication method type '${String(type)}'.`);
    let method: Json;
    switch (type) {
      case 'microsoftAuthenticator':
        method = { displayName: displayName ?? 'iPhone 15', deviceTag: 'SoftwareTokenActivated', phoneAppVersion: '6.2409.6094', createdDateTime };
        break;
      case 'fido2':
        method = { displayName: displayName ?? 'Security key', createdDateTime, aaGuid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8', model: 'YubiKey 5 Series', attestationCertificates: [], attestationLevel: 'attested' };
        break;
      case 'windowsHelloForBusiness':
        method = { displayName: displayName ?? 'Surface Laptop', createdDateTime, keyStrength: 'normal' };
        break;
      case 'phone':
        method = { phoneNumber: displayName ?? '+1 4255550100', phoneType: 'mobile', smsSignInState: 'notAllowedByPolicy' };
        break;
    }
    const id = type === 'phone' ? MOBILE_PHONE_METHOD_ID : randomUUID();
    const view: Json = { '@odata.type': odataType, id, ...method };
    const list = (this.methods.get(user.id) ?? []).filter((m) => m['id'] !== id);
    list.push(view);
    this.methods.set(user.id, list);
    this.appendAudit('User registered security info', 'Authentication Methods', 'Add', user, [], user);
    return { ...view };
  }

  authenticationMethodsOf(userIdOrUpn: string): Array<Record<string, unknown>> {
    const user = this.requireUser(userIdOrUpn);
    const listed = (this.methods.get(user.id) ?? []).map((m) => ({ ...m }));
    const tap = this.taps.get(user.id);
    if (tap) listed.push({ '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod', ...tapView(tap, this.policy, this.now()) });
    return listed;
  }

  riskyUser(userId: string): Record<string, unknown> | undefined {
    const record = this.riskyUsers.get(userId);
    if (!record) return undefined;
    const user = this.users.get(userId);
    return {
      id: userId,
      isDeleted: !user,
      isProcessing: false,
      riskLevel: 'none',
      riskState: 'none',
      riskDetail: 'none',
      userDisplayName: user?.['displayName'] ?? null,
      userPrincipalName: user?.userPrincipalName ?? null,
      ...record,
    };
  }

  setRiskyUser(userIdOrUpn: string, patch: Record<string, unknown> | null): void {
    const user = this.requireUser(userIdOrUpn);
    if (patch === null) {
      this.riskyUsers.delete(user.id);
      return;
    }
    this.riskyUsers.set(user.id, { ...this.riskyUsers.get(user.id), ...patch, id: user.id, riskLastUpdatedDateTime: new Date(this.now()).toISOString() });
  }

  setAutomaticReplies(userIdOrUpn: string, setting: AutomaticRepliesInput | null): void {
    this.mailboxes.set(this.requireUser(userIdOrUpn).id, setting);
  }

  recordMail(mail: SentMail): void {
    this.outbox.push(mail);
  }

  sentMail(): SentMail[] {
    return this.outbox.map((m) => structuredClone(m));
  }

  /** `revokeSignInSessions`: resets signInSessionsValidFromDateTime, logged as Core Directory does. */
  revokeSessions(userId: string): void {
    const user = this.requireUser(userId);
    const at = new Date(this.now()).toISOString();
    const before = user['signInSessionsValidFromDateTime'] ?? null;
    user['signInSessionsValidFromDateTime'] = at;
    this.revocations.push({ userId: user.id, at });
    this.appendAudit('Update StsRefreshTokenValidFrom Timestamp', 'Core Directory', 'Update', user, [
      { displayName: 'StsRefreshTokensValidFrom', oldValue: JSON.stringify([before]), newValue: JSON.stringify([at]) },
    ]);
  }

  revokedSessions(): Array<{ userId: string; at: string }> {
    return this.revocations.map((r) => ({ ...r }));
  }

  /** Test set-up: the user is gone from the directory (Graph then answers 404 for them). */
  deleteUser(idOrUpn: string): void {
    const user = this.requireUser(idOrUpn);
    this.users.delete(user.id);
    this.managers.delete(user.id);
    for (const [reportId, managerId] of [...this.managers]) if (managerId === user.id) this.managers.delete(reportId);
    for (const group of this.groups.values()) group.members = group.members.filter((m) => m.id !== user.id);
    this.taps.delete(user.id);
    this.methods.delete(user.id);
  }

  // ----- groups and roles -----

  /** Test set-up: a direct member joins the group (a user or a nested group). */
  addGroupMember(groupId: string, memberId: string): void {
    const group = this.groups.get(groupId);
    if (!group) throw notFound(groupId);
    const id = this.users.get(memberId)?.id ?? this.findUser(memberId)?.id ?? memberId;
    if (!group.members.some((m) => m.id === id)) group.members.push({ id });
  }

  /** Test set-up: a direct member leaves the group. */
  removeGroupMember(groupId: string, memberId: string): void {
    const group = this.groups.get(groupId);
    if (!group) throw notFound(groupId);
    const id = this.findUser(memberId)?.id ?? memberId;
    group.members = group.members.filter((m) => m.id !== id);
  }

  /**
   * `POST /groups/{id}/members/$ref` as Graph answers it: the member must exist (404 otherwise),
   * and adding a direct member again is 400 "One or more added object references already exist".
   */
  addMemberRef(groupId: string, memberId: string): void {
    const group = this.groups.get(groupId);
    if (!group) throw notFound(groupId);
    const member = this.users.get(memberId.toLowerCase()) ?? this.groups.get(memberId.toLowerCase());
    if (!member) throw notFound(memberId);
    if (group.members.some((m) => m.id === member.id)) {
      throw new GraphHttpError(400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'.");
    }
    group.members.push({ '@odata.type': this.users.has(member.id) ? '#microsoft.graph.user' : '#microsoft.graph.group', id: member.id });
  }

  /** `DELETE /groups/{id}/members/{memberId}/$ref`: 404 when the group is gone or the object is not a direct member. */
  removeMemberRef(groupId: string, memberId: string): void {
    const group = this.groups.get(groupId);
    if (!group) throw notFound(groupId);
    const id = memberId.toLowerCase();
    if (!group.members.some((m) => m.id === id)) throw notFound(memberId);
    group.members = group.members.filter((m) => m.id !== id);
  }

  directMembersOf(groupId: string): string[] {
    return (this.groups.get(groupId)?.members ?? []).map((m) => m.id);
  }

  /** Test set-up: the user becomes an active member of the directory role with this template id. */
  assignRole(roleTemplateId: string, userIdOrUpn: string): void {
    const role = this.roles.find((r) => r.roleTemplateId === roleTemplateId);
    if (!role) throw notFound(roleTemplateId);
    const id = this.requireUser(userIdOrUpn).id;
    if (!role.members.some((m) => m.id === id)) role.members.push({ id });
  }

  group(groupId: string): GroupRecord | undefined {
    return this.groups.get(groupId);
  }

  /** Every group the object is in, directly or through nested groups. */
  transitiveGroupIds(objectId: string): Set<string> {
    const found = new Set<string>();
    const queue = [objectId];
    while (queue.length > 0) {
      const member = queue.shift() as string;
      for (const group of this.groups.values()) {
        if (!found.has(group.id) && group.members.some((m) => m.id === member)) {
          found.add(group.id);
          queue.push(group.id);
        }
      }
    }
    return found;
  }

  /** Template ids of the roles the principal (user or group) is itself an active member of, without end. */
  permanentRolesOf(principalId: string): string[] {
    return this.roles.filter((r) => r.members.some((m) => m.id === principalId)).map((r) => r.roleTemplateId.toLowerCase());
  }

  /** Role object ids and template ids the user holds, directly or through a (role-assignable) group. */
  heldRoleIds(userId: string): Set<string> {
    const principals = new Set([userId, ...this.transitiveGroupIds(userId)]);
    const held = new Set<string>();
    for (const role of this.roles) {
      if (role.members.some((m) => principals.has(m.id))) {
        held.add(role.id);
        held.add(role.roleTemplateId);
      }
    }
    // A time-bound assignment (PIM) is active membership while it runs, as in Entra.
    for (const templateId of this.pim.activeRolesOf(principals)) held.add(templateId);
    return held;
  }

  /** Every group, in seed order (for `GET /groups?$filter=displayName eq …`). */
  allGroups(): GroupRecord[] {
    return [...this.groups.values()];
  }

  /** Direct members of the group that are users / groups, in seed order. */
  directUsers(groupId: string): UserRecord[] {
    return (this.groups.get(groupId)?.members ?? []).flatMap((m) => {
      const user = this.users.get(m.id);
      return user ? [user] : [];
    });
  }

  directGroups(groupId: string): GroupRecord[] {
    return (this.groups.get(groupId)?.members ?? []).flatMap((m) => {
      const group = this.groups.get(m.id);
      return group ? [group] : [];
    });
  }

  /** Users in the group, through nested groups too; each once, in seed order. */
  transitiveUsers(groupId: string): UserRecord[] {
    const out: UserRecord[] = [];
    const seenGroups = new Set<string>();
    const seenUsers = new Set<string>();
    const visit = (id: string): void => {
      if (seenGroups.has(id)) return;
      seenGroups.add(id);
      for (const member of this.groups.get(id)?.members ?? []) {
        if (this.groups.has(member.id)) visit(member.id);
        const user = this.users.get(member.id);
        if (user && !seenUsers.has(user.id)) {
          seenUsers.add(user.id);
          out.push(user);
        }
      }
    };
    visit(groupId);
    return out;
  }

  // ----- TAP policy and methods -----

  tapPolicyView(): Record<string, unknown> {
    return {
      '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration',
      id: 'TemporaryAccessPass',
      ...this.policy,
    };
  }

  setTapPolicy(patch: Record<string, unknown>): void {
    this.policy = { ...this.policy, ...(patch as Partial<TapPolicyConfig>) };
  }

  tapsOf(userId: string): Array<Record<string, unknown>> {
    const tap = this.taps.get(this.requireUser(userId).id);
    return tap ? [tapView(tap, this.policy, this.now())] : [];
  }

  /** Test set-up: mark a one-time pass as used (nobody signs in against the sandbox). */
  markTapUsed(userId: string): void {
    const tap = this.taps.get(this.requireUser(userId).id);
    if (tap) tap.usedDateTime = new Date(this.now()).toISOString();
  }

  tapOf(userId: string, methodId: string): Record<string, unknown> {
    const tap = this.taps.get(userId);
    if (!tap || tap.id !== methodId) throw notFound(methodId);
    return tapView(tap, this.policy, this.now());
  }

  /** One TAP per user: a new one replaces the old. The pass is returned here and nowhere else. */
  createTap(userId: string, body: unknown): Record<string, unknown> {
    const user = this.requireUser(userId);
    const now = this.now();
    const settings = resolveTapCreate(body, this.policy, { userType: user.userType, inPolicyScope: this.inTapPolicyScope(user.id) }, now);
    const tap: StoredTap = { id: randomUUID(), createdDateTime: new Date(now).toISOString(), ...settings };
    this.taps.set(user.id, tap);
    return { ...tapView(tap, this.policy, now), temporaryAccessPass: generatePassValue(this.policy.defaultLength) };
  }

  deleteTap(userId: string, methodId: string): void {
    const tap = this.taps.get(userId);
    if (!tap || tap.id !== methodId) throw notFound(methodId);
    this.taps.delete(userId);
  }

  private inTapPolicyScope(userId: string): boolean {
    // Graph matches targets by group membership or by the user's own id (ids compare case-insensitively).
    const principals = new Set([userId, ...this.transitiveGroupIds(userId)].map((id) => id.toLowerCase()));
    const hit = (t: { id: string }): boolean => t.id === 'all_users' || principals.has(t.id.toLowerCase());
    const included = this.policy.includeTargets.some(hit);
    const excluded = this.policy.excludeTargets.some(hit);
    return included && !excluded;
  }

  // ----- Teams app installations -----

  installApp(userId: string, teamsAppId: string): InstalledApp {
    const apps = this.installedApps.get(userId) ?? [];
    if (apps.some((a) => a.teamsAppId === teamsAppId)) {
      throw new GraphHttpError(409, 'Conflict', 'The app is already installed for this user.');
    }
    const app = { id: Buffer.from(`${userId}##${teamsAppId}`).toString('base64url'), teamsAppId };
    apps.push(app);
    this.installedApps.set(userId, apps);
    return app;
  }

  installedAppsOf(userId: string): Array<Record<string, unknown>> {
    return (this.installedApps.get(this.requireUser(userId).id) ?? []).map((a) => ({ id: a.id, teamsApp: { id: a.teamsAppId } }));
  }
}
