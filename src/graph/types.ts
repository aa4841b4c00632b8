/**
 * Typed shapes of the Microsoft Graph v1.0 subset the bot uses, and the gateway port the
 * workflow depends on. The workflow never sees the Graph SDK: only this interface.
 */
import type { Words } from '../i18n/said';


/** A directory user as the bot needs it (Graph `user`, selected properties). */
export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  /** `Member` or `Guest`. External guests cannot get a TAP. */
  userType: 'Member' | 'Guest';
  accountEnabled?: boolean | null;
  /** ISO language tag, e.g. `da-DK`; chooses the user guide's language. */
  preferredLanguage?: string | null;
  /** Alternate addresses: where the account owner hears of a pass without the lost factor. */
  otherMails?: string[];
}

/** `authenticationMethodConfigurations/TemporaryAccessPass` (selected properties). */
export interface TapPolicy {
  state: 'enabled' | 'disabled';
  defaultLifetimeInMinutes: number;
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  defaultLength: number;
  /** When true the tenant forces every TAP to be one-time. */
  isUsableOnce: boolean;
  /** Who the policy applies to: group ids, user ids, or the group id `all_users`. Absent = all users. */
  includeTargets?: PolicyTarget[];
  /** Who it never applies to (wins over includeTargets). */
  excludeTargets?: PolicyTarget[];
}

/** An entry of the policy's includeTargets / excludeTargets (ids canonicalised; `all_users` kept). */
export interface PolicyTarget {
  targetType: 'group' | 'user';
  id: string;
}

export type MethodUsabilityReason =
  | 'EnabledByPolicy'
  | 'DisabledByPolicy'
  | 'Expired'
  | 'NotYetValid'
  | 'OneTimeUsed';

/** A TAP method as listed: never carries the code (Graph returns null after creation). */
export interface TapMethodInfo {
  id: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: MethodUsabilityReason;
}

/**
 * The create response. `temporaryAccessPass` is the secret: it must only ever flow to the
 * delivery card. Never log, store, audit or put it in an error.
 */
export interface IssuedTap extends TapMethodInfo {
  temporaryAccessPass: string;
}

export interface TapCreateOptions {
  startDateTime?: string;
  lifetimeInMinutes?: number;
  isUsableOnce?: boolean;
}

/**
 * One identity-assurance signal: its value, or why it is not available (the permission or
 * licence it needs). Never silently left out: the card says what is missing.
 */
/** `missing` says why in words any reader's catalogue can write (src/i18n/said.ts); older records hold English. */
export type Signal<T> = { available: true; value: T } | { available: false; missing: Words };

export interface RegisteredMethod {
  /** e.g. `microsoftAuthenticator`, `fido2`, `phone`, `windowsHelloForBusiness`, `password`. */
  type: string;
  displayName?: string | null;
  createdDateTime?: string | null;
}

/** What a manager needs in front of them to judge the caller. */
export interface TargetSignals {
  /** Numbers on file: call back on one of these, never one the caller gives. */
  phones: Signal<{ business: string[]; mobile: string | null }>;
  /** Registered sign-in methods (not the TAP itself), and when the newest was added. */
  methods: Signal<{ registered: RegisteredMethod[]; newestAddedAt?: string }>;
  account: Signal<{ createdDateTime: string | null; lastSuccessfulSignIn?: string | null }>;
  /** The latest change of the manager attribute in the audit window; null = none found. */
  managerChange: Signal<{ changedAt: string; by?: string | null } | null>;
  /** Identity Protection; null = no risk record. */
  risk: Signal<{ level: string; updatedAt?: string | null } | null>;
  /** Set when the last successful sign-in could not be read: what it needs. */
  signInMissing?: Words;
  /**
   * Of the configured privileged roles, those PIM lets them activate or gives them for a time
   * (graph/pim.ts); "not available" names the permission it needs. Absent when not read.
   */
  eligibleRoles?: Signal<{ roleTemplateIds: string[] }>;
}

/** A person's automatic replies (out of office), as their mailbox settings say. */
export interface AutomaticReplies {
  status: 'disabled' | 'alwaysEnabled' | 'scheduled';
  /** For `scheduled`: the window as ISO instants; absent when Graph gave it in a zone that could not be read. */
  scheduledStart?: string;
  scheduledEnd?: string;
}

/** Everything the workflow checks about a target, read in as few round trips as possible. */
export interface TargetFacts {
  user: DirectoryUser;
  /** Direct manager, or null when none is set. */
  manager: DirectoryUser | null;
  /**
   * Role template ids (from the configured list) the user holds, transitively, or can activate
   * or holds for a time through PIM (graph/pim.ts). Empty = none found.
   */
  privilegedRoleTemplateIds: string[];
  /** True when the user is a transitive member of the protected group. */
  inProtectedGroup: boolean;
  /** Existing TAP methods (at most one in practice). */
  existingTaps: TapMethodInfo[];
  /** Identity-assurance signals, read in the same round; absent from gateways that cannot read them. */
  signals?: TargetSignals;
  /**
   * The answers of InspectTargetOptions.alongside, from this same `$batch`: for this caller
   * only, each as its own read would answer (a failed item throws as its read would).
   */
  alongside?: AlongsideAnswers;
}

export interface AlongsideAnswers {
  policy?: () => Promise<TapPolicy>;
  user?: () => Promise<DirectoryUser>;
  /** The out-of-office of `userId`: the manager a recent look-up found, who may not be the manager now. */
  managerAway?: { userId: string; read: () => Promise<Signal<AutomaticReplies>> };
}

export interface InspectTargetOptions {
  protectedGroupId?: string;
  privilegedRoleTemplateIds: string[];
  /** Also read the identity-assurance signals, in the same `$batch`. */
  withSignals?: boolean;
  /** For the audit-log window of the manager-change signal. */
  now?: Date;
  /**
   * For a target typed by name: the object id a recent look-up resolved that name to. Only a
   * hint, so the searches by id can ride in the first round trip; their answers count only if
   * Graph returns that id for the name now.
   */
  knownId?: string;
  /**
   * Reads that ride in the same `$batch` because the caller needs them in the same round: the
   * policy, a user (the agent), and the out-of-office of the manager a recent look-up found
   * (recentTargets.ts). Their answers come back to this caller only, in TargetFacts.alongside.
   */
  alongside?: { policy?: boolean; userId?: string; managerAway?: boolean };
}

/** What `checkForApproval` reads, in one `$batch`, bypassing every cache. */
export interface ApprovalCheckInput {
  requesterId: string;
  targetId: string;
  /** Who clicked Approve. */
  approverId: string;
  helpdeskGroupId: string;
  protectedGroupId?: string;
  fallbackApproverGroupId?: string;
  privilegedRoleTemplateIds: string[];
  /** Groups whose membership the TAP policy's scope depends on (as last seen): checked in the same batch. */
  scopeGroupIds: string[];
  /** Four eyes: the second approver who approved, and the group they must still be in. */
  secondApprover?: { id: string; groupId: string };
  /** Also read the target's identity-assurance signals in the same `$batch` (risk is judged again at creation). */
  withSignals?: boolean;
  /** For the audit-log window of the manager-change signal. */
  now?: Date;
}

/** Fresh facts at the moment of approval. */
export interface ApprovalFacts {
  policy: TapPolicy;
  requester: DirectoryUser;
  /** The requester's manager (the skip-level approver when they manage the target). */
  requesterManager: DirectoryUser | null;
  requesterIsAgent: boolean;
  /** Null when the target no longer exists. */
  target: Omit<TargetFacts, 'existingTaps'> | null;
  /** Of `scopeGroupIds`, those the target is a transitive member of. */
  targetScopeGroupIds: string[];
  /** True when the approver is a transitive member of the fallback approver group. */
  approverInFallbackGroup: boolean;
  /** Four eyes: true when the second approver is still in the second approver group. */
  secondApproverInGroup?: boolean;
}

/** The Graph operations the workflow needs. Implemented by `GraphGateway` over the real SDK. */
export interface TapGraph {
  /** By object id or UPN. Throws GraphError code `notFound` when absent. */
  getUser(idOrUpn: string): Promise<DirectoryUser>;
  /** Direct manager, or null when the user has none. */
  getManager(userId: string): Promise<DirectoryUser | null>;
  /**
   * Transitive membership (`checkMemberGroups`): returns the subset of groupIds the object
   * is in. Cached for a few minutes unless `fresh`.
   */
  memberGroups(objectId: string, groupIds: string[], options?: { fresh?: boolean }): Promise<string[]>;
  /** `checkMemberObjects` with role template ids: returns those the user holds. */
  directoryRolesHeld(userId: string, roleTemplateIds: string[]): Promise<string[]>;
  /**
   * The tenant's TAP policy, read now; with `maxAgeInMs`, a read that started at most that long
   * ago may answer instead (for what is only shown: the look-up and the form; the gate reads it fresh).
   * `read`: this caller's read made another way (in a `$batch`), kept as the latest read.
   */
  getTapPolicy(options?: { maxAgeInMs?: number; read?: Promise<TapPolicy> }): Promise<TapPolicy>;
  listTaps(userId: string): Promise<TapMethodInfo[]>;
  createTap(userId: string, options: TapCreateOptions): Promise<IssuedTap>;
  deleteTap(userId: string, methodId: string): Promise<void>;
  /** Transitive user members of a group (fallback approvers). */
  listGroupUsers(groupId: string): Promise<DirectoryUser[]>;
  /** User + manager + roles + protected group + existing TAPs in one `$batch` where possible. */
  inspectTarget(idOrUpn: string, options: InspectTargetOptions): Promise<TargetFacts>;
  /**
   * Users whose UPN, primary mail or one of their other mails is exactly `address`
   * (an advanced query: `ConsistencyLevel: eventual`). At most a few.
   */
  findUsersByAddress(address: string): Promise<DirectoryUser[]>;
  /** Near misses for a "did you mean": display name, UPN or mail starting with `prefix`. */
  suggestUsers(prefix: string, top: number): Promise<DirectoryUser[]>;
  /**
   * `POST /users/{from}/sendMail` (application permission Mail.Send, which an admin should
   * restrict to the sender mailbox with an application access policy).
   */
  sendMail(from: string, to: string, message: { subject: string; text: string }): Promise<void>;
  /** `POST /users/{id}/revokeSignInSessions` (User.RevokeSessions.All). */
  revokeSignInSessions(userId: string): Promise<void>;
  /** Everything the approval re-checks, from fresh reads, in one `$batch` (see ApprovalFacts). */
  checkForApproval(input: ApprovalCheckInput): Promise<ApprovalFacts>;
  /**
   * `GET /users/{id}/authentication/methods` (UserAuthenticationMethod.Read.All):
   * every registered method, the TAP and the password included.
   */
  listAuthenticationMethods(userId: string): Promise<RegisteredMethod[]>;
  /**
   * `POST /groups/{id}/members/$ref` (GroupMember.ReadWrite.All). Graph's 400 "One or
   * more added object references already exist" is `alreadyMember`, not an error.
   */
  addGroupMember(groupId: string, userId: string): Promise<GroupMemberChange>;
  /**
   * `DELETE /groups/{id}/members/{userId}/$ref` (GroupMember.ReadWrite.All). Graph's 404
   * (not a member, or the group is gone) is `notMember`, not an error.
   */
  removeGroupMember(groupId: string, userId: string): Promise<GroupMemberChange>;
  /**
   * `GET /users/{id}/mailboxSettings/automaticRepliesSetting` (MailboxSettings.Read, optional):
   * not available (the permission it needs) on 403, never an error for that. Absent from
   * gateways that cannot read mailboxes.
   */
  automaticReplies?(userId: string): Promise<Signal<AutomaticReplies>>;
  /**
   * Who a recent look-up of `idOrUpn` found as the person's manager (recentTargets.ts): a hint
   * for reading their out-of-office beside the target's facts, never a fact. Absent or
   * undefined: no look-up in the last minutes.
   */
  recentManagerOf?(idOrUpn: string): string | undefined;
}

/** What a membership write did: both outcomes mean "as asked". */
export type GroupMemberChange = 'added' | 'alreadyMember' | 'removed' | 'notMember';

/** The application permission `installAppForUser` needs (least privileged). */
export const TEAMS_APP_INSTALL_PERMISSION = 'TeamsAppInstallation.ReadWriteSelfForUser.All';

export type TeamsAppInstallResult = 'installed' | 'alreadyInstalled';

/**
 * An optional port: installs the bot's Teams app for a person, so the bot can open a
 * 1:1 chat with someone who never opened it. Kept apart from `TapGraph` so the workflow
 * port stays small; only the Teams edge's installer uses it.
 */
export interface TeamsAppGraph {
  /**
   * `POST /users/{id}/teamwork/installedApps` with the app's tenant-catalog id. A 409
   * Conflict means it was installed already. Throws GraphError otherwise (`forbidden`
   * names TEAMS_APP_INSTALL_PERMISSION).
   */
  installAppForUser(userId: string, teamsAppCatalogId: string): Promise<TeamsAppInstallResult>;
}

// ---- Bulk passes for a group (flow/bulk) ----

export interface DirectoryGroup {
  id: string;
  displayName: string;
}

export interface GroupMembers {
  users: DirectoryUser[];
  /** Direct member groups not expanded (nested groups off), so the agent can be told. */
  nestedGroups: DirectoryGroup[];
}

/** What `checkMembers` reads per member, in `$batch`es, bypassing every cache. */
export interface MemberCheckOptions {
  protectedGroupId?: string;
  privilegedRoleTemplateIds: string[];
  /** Groups the TAP policy's scope depends on: which of them each member is in. */
  scopeGroupIds: string[];
  /** Also read each member's manager (delivery to managers). */
  withManager: boolean;
  /** Also read the identity-assurance signals (methods, risk, manager change), as for a single request. */
  withSignals?: boolean;
  /** For the audit-log window of the manager-change signal. */
  now?: Date;
}

interface MemberFacts extends TargetFacts {
  /** Of `scopeGroupIds`, those the member is a transitive member of. */
  scopeGroupIds: string[];
}

/** One member's checks: the facts, or why they could not be read (that member only). */
export type MemberCheck = { userId: string; facts: MemberFacts } | { userId: string; error: Error };

/**
 * One item of a create `$batch` sent once:
 * - `created`: the pass (its code lives only in the caller's memory);
 * - `notCreated`: Graph said no, or not now (`retryAfterInMs` for 429): safe to send again;
 * - `unknown`: sent, and no answer that says what happened (5xx, a lost envelope): a pass
 *   may exist whose code can never be read back. Never re-sent blindly; the caller reconciles.
 */
export type TapCreateOutcome =
  | { userId: string; outcome: 'created'; tap: IssuedTap }
  | { userId: string; outcome: 'notCreated'; error: Error; retryable: boolean; retryAfterInMs?: number }
  | { userId: string; outcome: 'unknown'; error: Error };

/** The Graph operations of a bulk request, on top of TapGraph. */
export interface BulkGraph {
  /** By object id (exact), or by display name (exact, case-insensitive; may be several). */
  findGroups(nameOrId: string): Promise<DirectoryGroup[]>;
  /** User members, direct or transitive (`nested`); reading stops with an error past `max`. */
  listGroupMembers(groupId: string, options: { nested: boolean; max: number }): Promise<GroupMembers>;
  checkMembers(userIds: readonly string[], options: MemberCheckOptions): Promise<MemberCheck[]>;
  /** At most 20 creates in one `$batch`, sent exactly once (never re-sent by the retry layer). */
  createTapsOnce(items: ReadonlyArray<{ userId: string; options: TapCreateOptions }>): Promise<TapCreateOutcome[]>;
}
