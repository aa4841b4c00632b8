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
import { JustRead } from './justRead';
import { failureOfItem, toGraphError, type GraphOperation } from './errors';
import type { BatchItemResponse } from './batch';
import { toDirectoryUser, toTapPolicy } from './shapes';
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
  private readonly justRead: JustRead;

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
    // Long enough for the caller to ask right after the batch answered, short enough to be that read.
    this.justRead = new JustRead({ ttlInMs: 2_000, now: this.now });
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
    return this.justRead.take<DirectoryUser>(`user:${idOrUpn}`) ?? directory.getUser(this.graph, idOrUpn);
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

  getTapPolicy(options: { maxAgeInMs?: number } = {}): Promise<TapPolicy> {
    const now = this.now();
    // A read that rode in a look-up's `$batch` a moment ago is this read; it is also the one a later "maxAge" call may reuse.
    const carried = this.justRead.take<TapPolicy>('policy');
    const last = this.lastPolicyRead;
    if (!carried && last && options.maxAgeInMs !== undefined && now - last.at <= options.maxAgeInMs) return last.read;
    const read = carried ?? passes.getTapPolicy(this.graph);
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
    const alongside = Object.keys(items).length > 0 ? { items, answered: (answers: Map<string, BatchItemResponse>) => this.keepAlongside(items, answers) } : undefined;
    const found = await facts.inspectTarget(this.graph, idOrUpn, { ...(recalled ? { knownId: recalled.id } : {}), ...rest }, alongside);
    this.recentTargets.remember(idOrUpn, found.user.id, found.manager?.id);
    return found;
  }

  /** The reads that rode along, kept for the caller's next call for them (justRead.ts). */
  private keepAlongside(items: facts.AlongsideItems, answers: Map<string, BatchItemResponse>): void {
    const settle = <T>(id: string, operation: GraphOperation, map: (body: unknown) => T): (() => Promise<T>) => () => {
      const answer = answers.get(id);
      if (!answer) return Promise.reject(toGraphError({ status: 0, message: `no $batch answer for ${id}` }, operation));
      if (answer.status >= 200 && answer.status < 300) return Promise.resolve(map(answer.body));
      return Promise.reject(toGraphError(failureOfItem(answer), operation));
    };
    if (items.policy) this.justRead.keep('policy', settle(facts.ALONGSIDE.policy, 'getTapPolicy', toTapPolicy));
    if (items.userId) this.justRead.keep(`user:${items.userId}`, settle(facts.ALONGSIDE.user, 'getUser', toDirectoryUser));
    if (items.automaticRepliesOf) {
      const read = settle(facts.ALONGSIDE.away, 'automaticReplies', (body): Signal<AutomaticReplies> => ({ available: true, value: mailbox.toAutomaticReplies(body) }));
      this.justRead.keep(`away:${items.automaticRepliesOf}`, () => read().catch((e: unknown) => mailbox.unavailableBecause(e)));
    }
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
    return this.justRead.take<Signal<AutomaticReplies>>(`away:${userId}`) ?? mailbox.automaticReplies(this.graph, userId);
  }
}
