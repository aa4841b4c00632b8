/**
 * `TapGraph`, `TeamsAppGraph` and `BulkGraph` over the real Microsoft Graph JavaScript
 * client and an `@azure/identity` credential: the one class callers construct. It fixes the
 * configuration (origin, token scope, retry policy, membership cache) and hands each call to
 * the sibling module that does that job:
 *
 * - client.ts: the SDK client and its middleware, failure mapping, paging, ids in paths;
 * - directory.ts: users, managers, group and role memberships, group listings and writes;
 * - passes.ts: the TAP policy, passes, registered methods, sign-in sessions;
 * - facts.ts: the batched checks a decision rests on (target, approval, bulk members);
 * - installation.ts: installing the bot's Teams app for a person;
 * - mail.ts: mail to an account's owner;
 * - mailbox.ts: a person's automatic replies (out of office).
 */
import type { TokenCredential } from '@azure/identity';
import { createGraphClient, type GraphContext } from './client';
import * as directory from './directory';
import * as facts from './facts';
import * as installation from './installation';
import * as mail from './mail';
import * as mailbox from './mailbox';
import { MembershipCache } from './membershipCache';
import { RecentTargets } from './recentTargets';
import * as passes from './passes';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
import { createHttpsTransport, type HttpTransport } from './transport';
import type {
  AutomaticReplies,
  ApprovalCheckInput,
  ApprovalFacts,
  BulkGraph,
  DirectoryGroup,
  DirectoryUser,
  GroupMemberChange,
  GroupMembers,
  InspectTargetOptions,
  IssuedTap,
  MemberCheck,
  MemberCheckOptions,
  RegisteredMethod,
  TapCreateOptions,
  TapCreateOutcome,
  TapGraph,
  TapMethodInfo,
  TapPolicy,
  TargetFacts,
  TeamsAppGraph,
  TeamsAppInstallResult,
  Signal,
} from './types';

export const PUBLIC_GRAPH_BASE_URL = 'https://graph.microsoft.com';
const GRAPH_HOSTS = new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn']);

export interface GraphGatewayOptions {
  credential: TokenCredential;
  /** Default https://graph.microsoft.com; the sandbox gives https://127.0.0.1:PORT. `/v1.0` is appended. */
  baseUrl?: string;
  /** Sandbox only: trust exactly this CA (PEM). Verification is never disabled. */
  trustedCaPem?: string;
  /** Retries after the first attempt, for requests and `$batch` items. Default 3. */
  maxRetries?: number;
  /** Injectable wait (tests assert the waits instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** A Retry-After longer than this is not waited for; the caller gets `throttled`. Default 30 s. */
  maxRetryAfterInMs?: number;
  /** Backoff start when Graph sends no Retry-After. Default 1 s. */
  retryBaseDelayInMs?: number;
  /** How long `memberGroups` answers are reused. Default 5 minutes; 0 = no cache. */
  membershipCacheInMs?: number;
  /**
   * How long a look-up's hints (a sign-in name's object id, the person's manager) are used to
   * read in fewer round trips (recentTargets.ts). Default 10 minutes; 0 = no hints. Never a
   * cached fact: every fact is read fresh either way.
   */
  recentTargetsInMs?: number;
  /** Clock for the membership cache and the look-up hints. */
  now?: () => number;
  requestTimeoutInMs?: number;
  /** Token scope; default `<graph origin>/.default` (Graph's public scope for a non-Graph host). */
  scopes?: string[];
  /** Tests: replaces the HTTPS transport; everything above it (auth, retry) stays real. */
  transport?: HttpTransport;
}

export class GraphGateway implements TapGraph, TeamsAppGraph, BulkGraph {
  private readonly graph: GraphContext;
  private readonly membership: MembershipCache;
  private readonly recentTargets: RecentTargets;
  private readonly now: () => number;
  private lastPolicyRead: { at: number; read: Promise<TapPolicy> } | undefined;

  constructor(options: GraphGatewayOptions) {
    const base = new URL(options.baseUrl ?? PUBLIC_GRAPH_BASE_URL);
    if (base.protocol !== 'https:') throw new RangeError(`Graph base URL must be https (got ${base.protocol}).`);
    const origin = base.origin;
    const isGraphHost = GRAPH_HOSTS.has(base.hostname.toLowerCase());

    const policy: RetryPolicy = {
      maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
      sleep: options.sleep ?? DEFAULT_RETRY_POLICY.sleep,
      maxRetryAfterInMs: options.maxRetryAfterInMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterInMs,
      baseDelayInMs: options.retryBaseDelayInMs ?? DEFAULT_RETRY_POLICY.baseDelayInMs,
    };
    this.membership = new MembershipCache({
      ttlInMs: options.membershipCacheInMs ?? 5 * 60_000,
      now: options.now ?? Date.now,
    });
    this.now = options.now ?? Date.now;
    this.recentTargets = new RecentTargets({ ttlInMs: options.recentTargetsInMs ?? 10 * 60_000, now: options.now ?? Date.now });

    const client = createGraphClient({
      credential: options.credential,
      origin,
      scopes: options.scopes ?? [`${isGraphHost ? origin : PUBLIC_GRAPH_BASE_URL}/.default`],
      ...(isGraphHost ? {} : { customHost: base.hostname }),
      transport:
        options.transport ??
        createHttpsTransport({
          ...(options.trustedCaPem ? { trustedCaPem: options.trustedCaPem } : {}),
          ...(options.requestTimeoutInMs ? { requestTimeoutInMs: options.requestTimeoutInMs } : {}),
        }),
      policy,
    });
    this.graph = { client, policy, origin };
  }

  // ---- Directory ----

  getUser(idOrUpn: string): Promise<DirectoryUser> {
    return directory.getUser(this.graph, idOrUpn);
  }

  getManager(userId: string): Promise<DirectoryUser | null> {
    return directory.getManager(this.graph, userId);
  }

  memberGroups(objectId: string, groupIds: string[], options: { fresh?: boolean } = {}): Promise<string[]> {
    return directory.memberGroups(this.graph, this.membership, objectId, groupIds, options);
  }

  directoryRolesHeld(userId: string, roleTemplateIds: string[]): Promise<string[]> {
    return directory.directoryRolesHeld(this.graph, userId, roleTemplateIds);
  }

  findUsersByAddress(address: string): Promise<DirectoryUser[]> {
    return directory.findUsersByAddress(this.graph, address);
  }

  suggestUsers(prefix: string, top: number): Promise<DirectoryUser[]> {
    return directory.suggestUsers(this.graph, prefix, top);
  }

  listGroupUsers(groupId: string): Promise<DirectoryUser[]> {
    return directory.listGroupUsers(this.graph, groupId);
  }

  findGroups(nameOrId: string): Promise<DirectoryGroup[]> {
    return directory.findGroups(this.graph, nameOrId);
  }

  listGroupMembers(groupId: string, options: { nested: boolean; max: number }): Promise<GroupMembers> {
    return directory.listGroupMembers(this.graph, groupId, options);
  }

  addGroupMember(groupId: string, userId: string): Promise<GroupMemberChange> {
    return directory.addGroupMember(this.graph, groupId, userId);
  }

  removeGroupMember(groupId: string, userId: string): Promise<GroupMemberChange> {
    return directory.removeGroupMember(this.graph, groupId, userId);
  }

  // ---- Passes and sign-in ----

  getTapPolicy(options: { maxAgeInMs?: number; read?: Promise<TapPolicy> } = {}): Promise<TapPolicy> {
    const now = this.now();
    const last = this.lastPolicyRead;
    if (!options.read && last && options.maxAgeInMs !== undefined && now - last.at <= options.maxAgeInMs) return last.read;
    const read = options.read ?? passes.getTapPolicy(this.graph);
    const entry = { at: now, read };
    this.lastPolicyRead = entry;
    // A failed read is never an answer for the next caller.
    read.catch(() => {
      if (this.lastPolicyRead === entry) this.lastPolicyRead = undefined;
    });
    return read;
  }

  listTaps(userId: string): Promise<TapMethodInfo[]> {
    return passes.listTaps(this.graph, userId);
  }

  createTap(userId: string, options: TapCreateOptions): Promise<IssuedTap> {
    return passes.createTap(this.graph, userId, options);
  }

  deleteTap(userId: string, methodId: string): Promise<void> {
    return passes.deleteTap(this.graph, userId, methodId);
  }

  createTapsOnce(items: ReadonlyArray<{ userId: string; options: TapCreateOptions }>): Promise<TapCreateOutcome[]> {
    return passes.createTapsOnce(this.graph, items);
  }

  listAuthenticationMethods(userId: string): Promise<RegisteredMethod[]> {
    return passes.listAuthenticationMethods(this.graph, userId);
  }

  revokeSignInSessions(userId: string): Promise<void> {
    return passes.revokeSignInSessions(this.graph, userId);
  }

  // ---- Facts for a decision, batched ----

  async inspectTarget(idOrUpn: string, options: InspectTargetOptions): Promise<TargetFacts> {
    const recalled = this.recentTargets.recall(idOrUpn);
    const { alongside: wanted, ...rest } = options;
    const items: facts.AlongsideItems = {
      ...(wanted?.policy ? { policy: true } : {}),
      ...(wanted?.userId ? { userId: wanted.userId } : {}),
      ...(wanted?.managerAway && recalled?.managerId ? { automaticRepliesOf: recalled.managerId } : {}),
    };
    const found = await facts.inspectTarget(this.graph, idOrUpn, { ...(recalled ? { knownId: recalled.id } : {}), ...rest }, items);
    this.recentTargets.remember(idOrUpn, found.user.id, found.manager?.id);
    return found;
  }

  recentManagerOf(idOrUpn: string): string | undefined {
    return this.recentTargets.recall(idOrUpn)?.managerId;
  }

  checkForApproval(input: ApprovalCheckInput): Promise<ApprovalFacts> {
    return facts.checkForApproval(this.graph, input);
  }

  checkMembers(userIds: readonly string[], options: MemberCheckOptions): Promise<MemberCheck[]> {
    return facts.checkMembers(this.graph, userIds, options);
  }

  // ---- Reaching the person ----

  installAppForUser(userId: string, teamsAppCatalogId: string): Promise<TeamsAppInstallResult> {
    return installation.installAppForUser(this.graph, userId, teamsAppCatalogId);
  }

  sendMail(from: string, to: string, message: { subject: string; text: string }): Promise<void> {
    return mail.sendMail(this.graph, from, to, message);
  }

  automaticReplies(userId: string): Promise<Signal<AutomaticReplies>> {
    return mailbox.automaticReplies(this.graph, userId);
  }
}
