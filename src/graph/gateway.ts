/**
 * `TapGraph` over the real Microsoft Graph JavaScript client (3.0.7) and an
 * `@azure/identity` credential. The client's middleware chain is built here:
 *
 *   AuthenticationHandler → RetryMiddleware → TelemetryHandler → TransportMiddleware
 *
 * - Authentication: the SDK attaches the token only to Graph hosts and `customHosts`, so a
 *   non-Graph base URL (the sandbox) is added to `customHosts`.
 * - Retry: ours replaces the SDK's RetryHandler so top-level retries follow the same
 *   injectable, bounded policy as `$batch` items, and are never stacked.
 * - Transport: node:https with an optional trusted CA (see transport.ts).
 */
import { AuthenticationHandler, Client, TelemetryHandler, type Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { TokenCredential } from '@azure/identity';
import { GraphError } from '../errors';
import { createLogger } from '../log';
import { MAX_BATCH_SIZE, chunk, executeBatch, parseBatchResponse, type BatchItemRequest, type BatchItemResponse } from './batch';
import { failureOf, failureOfItem, mapThrown, toGraphError, type GraphFailure, type GraphOperation } from './errors';
import { MembershipCache } from './membershipCache';
import { groupPath, isGuid, odataString, selectQuery, userPath } from './odata';
import { GroupTooLargeError, toGroup } from './groups';
import { DEFAULT_RETRY_POLICY, RetryMiddleware, RetryThrottledOnly, SendOnce, parseRetryAfter, type RetryPolicy } from './retry';
import {
  USER_PROPERTIES,
  asObject,
  isUserObject,
  toDirectoryUser,
  toIssuedTap,
  toTapMethodInfo,
  toTapPolicy,
  valuesOf,
} from './shapes';
import { parseSignals, registeredMethods, SIGNAL_USER_PROPERTIES, signalRequests, signalRequestsById } from './signals';
import { TransportMiddleware, createHttpsTransport, type HttpTransport } from './transport';
import { inGraphSpan } from '../telemetry/tracing';
import type {
  ApprovalCheckInput,
  BulkGraph,
  DirectoryGroup,
  GroupMembers,
  MemberCheck,
  MemberCheckOptions,
  TapCreateOutcome,
  ApprovalFacts,
  DirectoryUser,
  GroupMemberChange,
  InspectTargetOptions,
  IssuedTap,
  TapCreateOptions,
  TapGraph,
  TapMethodInfo,
  RegisteredMethod,
  TapPolicy,
  TargetFacts,
  TeamsAppGraph,
  TeamsAppInstallResult,
} from './types';
import { TEAMS_APP_INSTALL_PERMISSION } from './types';

const log = createLogger('graph');

export const PUBLIC_GRAPH_BASE_URL = 'https://graph.microsoft.com';
const GRAPH_HOSTS = new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn']);
/** checkMemberGroups / checkMemberObjects accept at most 20 ids per call. */
const MAX_IDS_PER_CHECK = 20;
const MAX_PAGES = 200;
/** Member-check `$batch`es sent at the same time (each ≤ 20 items). */
const CHECK_BATCHES_IN_FLIGHT = 4;
const TAP_POLICY_PATH = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';

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
  /** Clock for the membership cache. */
  now?: () => number;
  requestTimeoutInMs?: number;
  /** Token scope; default `<graph origin>/.default` (Graph's public scope for a non-Graph host). */
  scopes?: string[];
  /** Tests: replaces the HTTPS transport; everything above it (auth, retry) stays real. */
  transport?: HttpTransport;
}

export class GraphGateway implements TapGraph, TeamsAppGraph, BulkGraph {
  private readonly client: Client;
  private readonly policy: RetryPolicy;
  private readonly origin: string;
  private readonly membership: MembershipCache;

  constructor(options: GraphGatewayOptions) {
    const base = new URL(options.baseUrl ?? PUBLIC_GRAPH_BASE_URL);
    if (base.protocol !== 'https:') throw new RangeError(`Graph base URL must be https (got ${base.protocol}).`);
    this.origin = base.origin;
    const isGraphHost = GRAPH_HOSTS.has(base.hostname.toLowerCase());

    this.policy = {
      maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
      sleep: options.sleep ?? DEFAULT_RETRY_POLICY.sleep,
      maxRetryAfterInMs: options.maxRetryAfterInMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterInMs,
      baseDelayInMs: options.retryBaseDelayInMs ?? DEFAULT_RETRY_POLICY.baseDelayInMs,
    };
    this.membership = new MembershipCache({
      ttlInMs: options.membershipCacheInMs ?? 5 * 60_000,
      now: options.now ?? Date.now,
    });

    const scopes = options.scopes ?? [`${isGraphHost ? this.origin : PUBLIC_GRAPH_BASE_URL}/.default`];
    const authProvider = new TokenCredentialAuthenticationProvider(options.credential, { scopes });
    const transport =
      options.transport ??
      createHttpsTransport({
        ...(options.trustedCaPem ? { trustedCaPem: options.trustedCaPem } : {}),
        ...(options.requestTimeoutInMs ? { requestTimeoutInMs: options.requestTimeoutInMs } : {}),
      });
    const middleware: Middleware[] = [
      new AuthenticationHandler(authProvider),
      new RetryMiddleware(this.policy),
      new TelemetryHandler(),
      new TransportMiddleware(transport),
    ];
    this.client = Client.initWithMiddleware({
      middleware,
      baseUrl: this.origin,
      defaultVersion: 'v1.0',
      ...(isGraphHost ? {} : { customHosts: new Set([base.hostname]) }),
    });
  }

  async getUser(idOrUpn: string): Promise<DirectoryUser> {
    const path = `${this.userPathOrThrow(idOrUpn, 'getUser')}?${selectQuery(USER_PROPERTIES)}`;
    const body = await this.call('getUser', () => this.client.api(path).get());
    return toDirectoryUser(body);
  }

  async getManager(userId: string): Promise<DirectoryUser | null> {
    const path = `${this.userPathOrThrow(userId, 'getManager')}/manager?${selectQuery(USER_PROPERTIES)}`;
    try {
      const body = await this.call('getManager', () => this.client.api(path).get());
      return isUserObject(body) ? toDirectoryUser(body) : null;
    } catch (e) {
      // Graph answers 404 both for "no manager set" and an unknown user; callers resolve
      // the user first, so here it means "no manager".
      if (e instanceof GraphError && e.code === 'notFound') return null;
      throw e;
    }
  }

  async memberGroups(objectId: string, groupIds: string[], options: { fresh?: boolean } = {}): Promise<string[]> {
    if (groupIds.length === 0) return [];
    const cached = options.fresh ? undefined : this.membership.get(objectId, groupIds);
    if (cached) return cached;
    const base = this.userPathOrThrow(objectId, 'memberGroups');
    const found = new Set<string>();
    for (const ids of chunk(groupIds, MAX_IDS_PER_CHECK)) {
      const body = await this.call('memberGroups', () => this.client.api(`${base}/checkMemberGroups`).post({ groupIds: ids }));
      for (const v of valuesOf(body)) if (typeof v === 'string') found.add(v.toLowerCase());
    }
    const result = groupIds.filter((g) => found.has(g.toLowerCase()));
    this.membership.set(objectId, groupIds, result);
    return result;
  }

  /**
   * `checkMemberObjects` accepts role template ids as well as directory role object ids
   * (Graph v1.0 reference: "…directory roles, or roleTemplate IDs of directory roles"), and
   * is transitive, so roles held through role-assignable groups count too. It sees active
   * role memberships only: a PIM-*eligible* role that is not activated is not reported.
   */
  async directoryRolesHeld(userId: string, roleTemplateIds: string[]): Promise<string[]> {
    if (roleTemplateIds.length === 0) return [];
    const base = this.userPathOrThrow(userId, 'directoryRolesHeld');
    const found = new Set<string>();
    for (const ids of chunk(roleTemplateIds, MAX_IDS_PER_CHECK)) {
      const body = await this.call('directoryRolesHeld', () => this.client.api(`${base}/checkMemberObjects`).post({ ids }));
      for (const v of valuesOf(body)) if (typeof v === 'string') found.add(v.toLowerCase());
    }
    return roleTemplateIds.filter((id) => found.has(id.toLowerCase()));
  }

  async getTapPolicy(): Promise<TapPolicy> {
    const body = await this.call('getTapPolicy', () => this.client.api(TAP_POLICY_PATH).get());
    return toTapPolicy(body);
  }

  async listTaps(userId: string): Promise<TapMethodInfo[]> {
    const path = `${this.userPathOrThrow(userId, 'listTaps')}/authentication/temporaryAccessPassMethods`;
    const body = await this.call('listTaps', () => this.client.api(path).get());
    return valuesOf(body).map(toTapMethodInfo);
  }

  /** The answer holds the pass: it is returned to the caller and nowhere else (no logs, no errors). */
  async createTap(userId: string, options: TapCreateOptions): Promise<IssuedTap> {
    const path = `${this.userPathOrThrow(userId, 'createTap')}/authentication/temporaryAccessPassMethods`;
    const request: Record<string, unknown> = {};
    if (options.startDateTime !== undefined) request['startDateTime'] = options.startDateTime;
    if (options.lifetimeInMinutes !== undefined) request['lifetimeInMinutes'] = options.lifetimeInMinutes;
    if (options.isUsableOnce !== undefined) request['isUsableOnce'] = options.isUsableOnce;
    const body = await this.call('createTap', () => this.client.api(path).middlewareOptions([new RetryThrottledOnly()]).post(request));
    let issued: IssuedTap;
    try {
      issued = toIssuedTap(body);
    } catch (e) {
      throw mapThrown(e, 'createTap');
    }
    log.info('created Temporary Access Pass', {
      userId,
      methodId: issued.id,
      lifetimeInMinutes: issued.lifetimeInMinutes,
      isUsableOnce: issued.isUsableOnce,
    });
    return issued;
  }

  /** Idempotent: a method that is already gone counts as deleted. */
  async deleteTap(userId: string, methodId: string): Promise<void> {
    const path = `${this.userPathOrThrow(userId, 'deleteTap')}/authentication/temporaryAccessPassMethods/${encodeURIComponent(methodId)}`;
    try {
      await this.call('deleteTap', () => this.client.api(path).delete());
    } catch (e) {
      if (e instanceof GraphError && e.code === 'notFound') return;
      throw e;
    }
  }

  async listGroupUsers(groupId: string): Promise<DirectoryUser[]> {
    let path: string;
    try {
      path = `${groupPath(groupId)}/transitiveMembers/microsoft.graph.user?${selectQuery(USER_PROPERTIES)}&$top=999`;
    } catch (e) {
      throw badInput('listGroupUsers', e);
    }
    const users: DirectoryUser[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const current = path;
      const body = await this.call('listGroupUsers', () => this.client.api(current).get());
      users.push(...valuesOf(body).map(toDirectoryUser));
      const next = asObject(body)['@odata.nextLink'];
      if (typeof next !== 'string') return users;
      // Follow only links back to our Graph origin: the token must never travel elsewhere.
      if (new URL(next).origin !== this.origin) {
        throw toGraphError({ status: 0, message: `nextLink points to another origin: ${new URL(next).origin}` }, 'listGroupUsers');
      }
      path = next;
    }
    throw toGraphError({ status: 0, message: `more than ${MAX_PAGES} pages of group members` }, 'listGroupUsers');
  }

  /**
   * Everything the workflow checks about a target in ONE `$batch` round trip (unless items
   * are throttled and re-sent). Every item addresses the user by the same key (UPN or id),
   * so none depends on another's answer. One exception: with signals, for a target typed by
   * name, the records about them (audit log, Identity Protection) follow in a second small
   * round trip by the id the first returned (signals.ts says why).
   */
  async inspectTarget(idOrUpn: string, options: InspectTargetOptions): Promise<TargetFacts> {
    const user = this.userPathOrThrow(idOrUpn, 'getUser');
    const select = selectQuery(USER_PROPERTIES);
    const roleChunks = chunk(options.privilegedRoleTemplateIds, MAX_IDS_PER_CHECK);
    const signals = options.withSignals ? signalRequests(idOrUpn.trim(), options.now ?? new Date()) : [];
    const userSelect = options.withSignals ? `${select},${SIGNAL_USER_PROPERTIES.join(',')}` : select;
    const requests: BatchItemRequest[] = [
      { id: 'user', method: 'GET', url: `${user}?${userSelect}&$expand=manager(${select})` },
      { id: 'taps', method: 'GET', url: `${user}/authentication/temporaryAccessPassMethods` },
      ...signals,
      ...roleChunks.map((ids, i): BatchItemRequest => ({ id: `roles${i}`, method: 'POST', url: `${user}/checkMemberObjects`, body: { ids } })),
    ];
    if (options.protectedGroupId) {
      requests.push({ id: 'protected', method: 'POST', url: `${user}/checkMemberGroups`, body: { groupIds: [options.protectedGroupId] } });
    }

    const answers = await this.call('getUser', () =>
      executeBatch((payload) => this.client.api('/$batch').post(payload), requests, this.policy),
    );
    const userBody = expectOk(answers, 'user', 'getUser');
    const managerBody = asObject(userBody)['manager'];
    if (options.withSignals && !isGuid(idOrUpn.trim())) {
      // Typed by name: the records (audit log, Identity Protection) are searched by the id just read.
      for (const [id, answer] of await this.recordSignals(toDirectoryUser(userBody).id, options.now ?? new Date())) answers.set(id, answer);
    }

    const heldRoles = new Set<string>();
    roleChunks.forEach((_, i) => {
      for (const v of valuesOf(expectOk(answers, `roles${i}`, 'directoryRolesHeld'))) if (typeof v === 'string') heldRoles.add(v.toLowerCase());
    });
    let inProtectedGroup = false;
    if (options.protectedGroupId) {
      const protectedId = options.protectedGroupId.toLowerCase();
      inProtectedGroup = valuesOf(expectOk(answers, 'protected', 'memberGroups')).some(
        (v) => typeof v === 'string' && v.toLowerCase() === protectedId,
      );
    }
    return {
      user: toDirectoryUser(userBody),
      manager: managerBody && isUserObject(managerBody) ? toDirectoryUser(managerBody) : null,
      privilegedRoleTemplateIds: options.privilegedRoleTemplateIds.filter((id) => heldRoles.has(id.toLowerCase())),
      inProtectedGroup,
      existingTaps: valuesOf(expectOk(answers, 'taps', 'listTaps')).map(toTapMethodInfo),
      ...(options.withSignals ? { signals: parseSignals(userBody, answers, toDirectoryUser(userBody).id) } : {}),
    };
  }

  /**
   * The record signals of a user found by name, in a second round trip. A failed round trip
   * leaves them unanswered, which the card shows as "not available", never as "all clear".
   */
  private async recordSignals(userId: string, now: Date): Promise<Map<string, BatchItemResponse>> {
    try {
      return await this.call('getUser', () => executeBatch((payload) => this.client.api('/$batch').post(payload), signalRequestsById(userId, now), this.policy));
    } catch (e) {
      if (!(e instanceof GraphError)) throw e;
      log.warn('record signals could not be read', { errorCode: e.code, status: e.status });
      return new Map();
    }
  }

  async findUsersByAddress(address: string): Promise<DirectoryUser[]> {
    const a = odataString(address.trim());
    const filter = `userPrincipalName eq ${a} or mail eq ${a} or otherMails/any(x:x eq ${a})`;
    const path = `/users?$filter=${encodeURIComponent(filter)}&$count=true&$top=5&${selectQuery(USER_PROPERTIES)}`;
    const body = await this.call('getUser', () => this.client.api(path).header('ConsistencyLevel', 'eventual').get());
    return valuesOf(body).map(toDirectoryUser);
  }

  async sendMail(from: string, to: string, message: { subject: string; text: string }): Promise<void> {
    const path = `${this.userPathOrThrow(from, 'sendMail')}/sendMail`;
    await this.call('sendMail', () =>
      this.client.api(path).post({
        message: { subject: message.subject, body: { contentType: 'Text', content: message.text }, toRecipients: [{ emailAddress: { address: to } }] },
        saveToSentItems: false,
      }),
    );
  }

  async revokeSignInSessions(userId: string): Promise<void> {
    const path = `${this.userPathOrThrow(userId, 'revokeSignInSessions')}/revokeSignInSessions`;
    await this.call('revokeSignInSessions', () => this.client.api(path).post({}));
  }

  async suggestUsers(prefix: string, top: number): Promise<DirectoryUser[]> {
    const p = odataString(prefix.trim());
    if (prefix.trim() === '') return [];
    const filter = `startswith(displayName,${p}) or startswith(userPrincipalName,${p}) or startswith(mail,${p})`;
    const path = `/users?$filter=${encodeURIComponent(filter)}&$top=${Math.max(1, Math.min(top, 25))}&${selectQuery(USER_PROPERTIES)}`;
    const body = await this.call('getUser', () => this.client.api(path).get());
    return valuesOf(body).map(toDirectoryUser);
  }

  /**
   * The approval's re-check: every fact the request was decided on, read again in ONE
   * `$batch` together with the policy, never from a cache. Items address users by id (the
   * stored, canonical ids), so none depends on another's answer. A target that no longer
   * exists is an answer (`target: null`), not a failure.
   */
  async checkForApproval(input: ApprovalCheckInput): Promise<ApprovalFacts> {
    const select = selectQuery(USER_PROPERTIES);
    const requester = this.userPathOrThrow(input.requesterId, 'getUser');
    const target = this.userPathOrThrow(input.targetId, 'getUser');
    const approver = this.userPathOrThrow(input.approverId, 'memberGroups');
    const roleChunks = chunk(input.privilegedRoleTemplateIds, MAX_IDS_PER_CHECK);
    const targetGroups = [...(input.protectedGroupId ? [input.protectedGroupId] : []), ...input.scopeGroupIds];
    const groupChunks = chunk([...new Set(targetGroups)], MAX_IDS_PER_CHECK);
    const requests: BatchItemRequest[] = [
      { id: 'policy', method: 'GET', url: TAP_POLICY_PATH },
      { id: 'requester', method: 'GET', url: `${requester}?${select}&$expand=manager(${select})` },
      { id: 'helpdesk', method: 'POST', url: `${requester}/checkMemberGroups`, body: { groupIds: [input.helpdeskGroupId] } },
      { id: 'target', method: 'GET', url: `${target}?${select}&$expand=manager(${select})` },
      ...roleChunks.map((ids, i): BatchItemRequest => ({ id: `roles${i}`, method: 'POST', url: `${target}/checkMemberObjects`, body: { ids } })),
      ...groupChunks.map((groupIds, i): BatchItemRequest => ({ id: `groups${i}`, method: 'POST', url: `${target}/checkMemberGroups`, body: { groupIds } })),
      ...(input.fallbackApproverGroupId
        ? [{ id: 'fallback', method: 'POST', url: `${approver}/checkMemberGroups`, body: { groupIds: [input.fallbackApproverGroupId] } } satisfies BatchItemRequest]
        : []),
      ...(input.secondApprover
        ? [{
            id: 'second',
            method: 'POST',
            url: `${this.userPathOrThrow(input.secondApprover.id, 'memberGroups')}/checkMemberGroups`,
            body: { groupIds: [input.secondApprover.groupId] },
          } satisfies BatchItemRequest]
        : []),
      ...(input.withSignals ? signalRequests(input.targetId.toLowerCase(), input.now ?? new Date()) : []),
    ];
    const answers = await this.call('getUser', () =>
      executeBatch((payload) => this.client.api('/$batch').post(payload), requests, this.policy),
    );
    const ids = (id: string, operation: GraphOperation): Set<string> =>
      new Set(valuesOf(expectOk(answers, id, operation)).filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase()));
    const requesterBody = expectOk(answers, 'requester', 'getUser');
    const requesterManager = asObject(requesterBody)['manager'];
    const helpdesk = ids('helpdesk', 'memberGroups');

    const targetAnswer = answers.get('target');
    let targetFacts: ApprovalFacts['target'] = null;
    let targetScopeGroupIds: string[] = [];
    if (!(targetAnswer && targetAnswer.status === 404)) {
      const targetBody = expectOk(answers, 'target', 'getUser');
      const managerBody = asObject(targetBody)['manager'];
      const held = new Set<string>();
      roleChunks.forEach((_, i) => ids(`roles${i}`, 'directoryRolesHeld').forEach((v) => held.add(v)));
      const memberOf = new Set<string>();
      groupChunks.forEach((_, i) => ids(`groups${i}`, 'memberGroups').forEach((v) => memberOf.add(v)));
      targetFacts = {
        user: toDirectoryUser(targetBody),
        manager: managerBody && isUserObject(managerBody) ? toDirectoryUser(managerBody) : null,
        privilegedRoleTemplateIds: input.privilegedRoleTemplateIds.filter((id) => held.has(id.toLowerCase())),
        inProtectedGroup: input.protectedGroupId ? memberOf.has(input.protectedGroupId.toLowerCase()) : false,
        ...(input.withSignals ? { signals: parseSignals(targetBody, answers, toDirectoryUser(targetBody).id) } : {}),
      };
      targetScopeGroupIds = input.scopeGroupIds.filter((g) => memberOf.has(g.toLowerCase()));
    }
    return {
      policy: toTapPolicy(expectOk(answers, 'policy', 'getTapPolicy')),
      requester: toDirectoryUser(requesterBody),
      requesterManager: requesterManager && isUserObject(requesterManager) ? toDirectoryUser(requesterManager) : null,
      requesterIsAgent: helpdesk.has(input.helpdeskGroupId.toLowerCase()),
      target: targetFacts,
      targetScopeGroupIds,
      approverInFallbackGroup: input.fallbackApproverGroupId ? ids('fallback', 'memberGroups').has(input.fallbackApproverGroupId.toLowerCase()) : false,
      ...(input.secondApprover ? { secondApproverInGroup: ids('second', 'memberGroups').has(input.secondApprover.groupId.toLowerCase()) } : {}),
    };
  }

  /**
   * Installs the bot's Teams app in the person's personal scope (Graph v1.0 "Install app
   * for user"; 201 with no body). The bind URL names this gateway's own Graph origin, so
   * national clouds and the sandbox bind to their own catalog.
   */
  async installAppForUser(userId: string, teamsAppCatalogId: string): Promise<TeamsAppInstallResult> {
    let path: string;
    try {
      if (!/^[\w.-]{1,128}$/.test(teamsAppCatalogId)) throw new RangeError('not a Teams app catalog id');
      path = `${userPath(userId)}/teamwork/installedApps`;
    } catch (e) {
      throw new GraphError({
        code: 'badRequest',
        status: 400,
        userMessage: 'That is not a valid user or Teams app identifier.',
        detail: `installAppForUser: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    const bind = `${this.origin}/v1.0/appCatalogs/teamsApps/${teamsAppCatalogId}`;
    try {
      await this.client.api(path).post({ 'teamsApp@odata.bind': bind });
    } catch (e) {
      const failure = failureOf(e);
      // Installing twice is not an error for us: the app is there, which is all we need.
      if (failure.status === 409) return 'alreadyInstalled';
      const error = installError(failure, e);
      log.warn('Graph call failed', {
        operation: 'installAppForUser',
        errorCode: error.code,
        status: error.status,
        graphCode: error.graphCode ?? null,
        ...(error.missingPermission ? { missingPermission: error.missingPermission } : {}),
      });
      throw error;
    }
    log.info('installed the Teams app for a user', { userId });
    return 'installed';
  }

  /** Every registered method of the user (the TAP and the password included), newest Graph shapes parsed by signals.ts. */
  async listAuthenticationMethods(userId: string): Promise<RegisteredMethod[]> {
    const path = `${this.userPathOrThrow(userId, 'listAuthenticationMethods')}/authentication/methods`;
    const body = await this.call('listAuthenticationMethods', () => this.client.api(path).get());
    return registeredMethods(body);
  }

  /**
   * `POST /groups/{id}/members/$ref`, 204 on success. Adding someone who is a member already
   * is Graph's 400 "One or more added object references already exist…": done, for us. The
   * bind URL names this gateway's own Graph origin, as installAppForUser does.
   */
  async addGroupMember(groupId: string, userId: string): Promise<GroupMemberChange> {
    const path = `${this.groupPathOrThrow(groupId, 'addGroupMember')}/members/$ref`;
    const bind = `${this.origin}/v1.0/directoryObjects/${this.objectIdOrThrow(userId, 'addGroupMember')}`;
    return this.call('addGroupMember', async (): Promise<GroupMemberChange> => {
      try {
        await this.client.api(path).post({ '@odata.id': bind });
        return 'added';
      } catch (e) {
        const failure = failureOf(e);
        if (failure.status === 400 && /already exist/i.test(failure.message ?? '')) return 'alreadyMember';
        throw e;
      }
    });
  }

  /**
   * `DELETE /groups/{id}/members/{userId}/$ref`, 204 on success. Always with `/$ref`: without
   * it Graph deletes the directory object itself when the app may. 404 (not a member, or the
   * group is gone) means the membership does not exist: done, for us.
   */
  async removeGroupMember(groupId: string, userId: string): Promise<GroupMemberChange> {
    const path = `${this.groupPathOrThrow(groupId, 'removeGroupMember')}/members/${this.objectIdOrThrow(userId, 'removeGroupMember')}/$ref`;
    try {
      await this.call('removeGroupMember', () => this.client.api(path).delete());
      return 'removed';
    } catch (e) {
      if (e instanceof GraphError && e.code === 'notFound') return 'notMember';
      throw e;
    }
  }

  private groupPathOrThrow(groupId: string, operation: GraphOperation): string {
    try {
      return groupPath(groupId);
    } catch (e) {
      throw badInput(operation, e);
    }
  }

  /** Membership writes name the member by object id only (`directoryObjects/{id}`). */
  private objectIdOrThrow(id: string, operation: GraphOperation): string {
    if (!isGuid(id)) throw badInput(operation, new RangeError(`Not an object id: ${id}`));
    return id.toLowerCase();
  }

  // ---- Bulk passes for a group (BulkGraph) ----

  async findGroups(nameOrId: string): Promise<DirectoryGroup[]> {
    const typed = nameOrId.trim();
    if (isGuid(typed)) {
      try {
        const body = await this.call('listGroupUsers', () => this.client.api(`${groupPath(typed)}?$select=id,displayName`).get());
        return [toGroup(body)];
      } catch (e) {
        if (e instanceof GraphError && e.code === 'notFound') return [];
        throw e;
      }
    }
    const filter = `displayName eq ${odataString(typed)}`;
    const body = await this.call('listGroupUsers', () =>
      this.client.api(`/groups?$filter=${encodeURIComponent(filter)}&$select=id,displayName&$top=10`).get(),
    );
    return valuesOf(body).map(toGroup);
  }

  async listGroupMembers(groupId: string, options: { nested: boolean; max: number }): Promise<GroupMembers> {
    let base: string;
    try {
      base = groupPath(groupId);
    } catch (e) {
      throw badInput('listGroupUsers', e);
    }
    const relation = options.nested ? 'transitiveMembers' : 'members';
    const users = await this.pages('listGroupUsers', `${base}/${relation}/microsoft.graph.user?${selectQuery(USER_PROPERTIES)}&$top=999`, options.max, toDirectoryUser);
    const nestedGroups = options.nested ? [] : await this.pages('listGroupUsers', `${base}/members/microsoft.graph.group?$select=id,displayName&$top=999`, 1000, toGroup);
    return { users, nestedGroups };
  }

  async checkMembers(userIds: readonly string[], options: MemberCheckOptions): Promise<MemberCheck[]> {
    const select = selectQuery(USER_PROPERTIES);
    const roleChunks = chunk(options.privilegedRoleTemplateIds, MAX_IDS_PER_CHECK);
    const groupIds = [...new Set([...(options.protectedGroupId ? [options.protectedGroupId] : []), ...options.scopeGroupIds])];
    const groupChunks = chunk(groupIds, MAX_IDS_PER_CHECK);
    const itemsFor = (userId: string, n: number): BatchItemRequest[] => {
      const user = `/users/${userId}`;
      return [
        { id: `${n}.user`, method: 'GET', url: `${user}?${select}${options.withManager ? `&$expand=manager(${select})` : ''}` },
        { id: `${n}.taps`, method: 'GET', url: `${user}/authentication/temporaryAccessPassMethods` },
        ...roleChunks.map((ids, i): BatchItemRequest => ({ id: `${n}.roles${i}`, method: 'POST', url: `${user}/checkMemberObjects`, body: { ids } })),
        ...groupChunks.map((ids, i): BatchItemRequest => ({ id: `${n}.groups${i}`, method: 'POST', url: `${user}/checkMemberGroups`, body: { groupIds: ids } })),
        ...(options.withSignals ? signalRequests(userId, options.now ?? new Date()).map((r) => ({ ...r, id: `${n}.${r.id}` })) : []),
      ];
    };
    const ids = userIds.map((id) => {
      if (!isGuid(id)) throw badInput('getUser', new RangeError(`Not an object id: ${id}`));
      return id.toLowerCase();
    });
    const perMember = 2 + roleChunks.length + groupChunks.length + (options.withSignals ? SIGNAL_ITEMS : 0);
    // Whole members per $batch, several batches in flight: 1,000 members read in seconds.
    const membersPerBatch = Math.max(1, Math.floor(MAX_BATCH_SIZE / perMember));
    const groups = chunk(ids.map((id, n) => ({ id, n })), membersPerBatch);
    const results: MemberCheck[] = new Array(ids.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < groups.length) {
        const group = groups[next++] as Array<{ id: string; n: number }>;
        let answers: Map<string, BatchItemResponse>;
        try {
          answers = await this.call('getUser', () =>
            executeBatch((payload) => this.client.api('/$batch').post(payload), group.flatMap(({ id, n }) => itemsFor(id, n)), this.policy),
          );
        } catch (e) {
          for (const { id, n } of group) results[n] = { userId: id, error: e instanceof Error ? e : new Error(String(e)) };
          continue;
        }
        for (const { id, n } of group) {
          try {
            const userBody = expectOk(answers, `${n}.user`, 'getUser');
            const held = new Set<string>();
            roleChunks.forEach((_, i) => {
              for (const v of valuesOf(expectOk(answers, `${n}.roles${i}`, 'directoryRolesHeld'))) if (typeof v === 'string') held.add(v.toLowerCase());
            });
            const inGroups = new Set<string>();
            groupChunks.forEach((_, i) => {
              for (const v of valuesOf(expectOk(answers, `${n}.groups${i}`, 'memberGroups'))) if (typeof v === 'string') inGroups.add(v.toLowerCase());
            });
            const managerBody = asObject(userBody)['manager'];
            const signals = options.withSignals ? parseSignals(userBody, signalAnswers(answers, n), id) : undefined;
            results[n] = {
              userId: id,
              facts: {
                user: toDirectoryUser(userBody),
                manager: managerBody && isUserObject(managerBody) ? toDirectoryUser(managerBody) : null,
                privilegedRoleTemplateIds: options.privilegedRoleTemplateIds.filter((r) => held.has(r.toLowerCase())),
                inProtectedGroup: options.protectedGroupId ? inGroups.has(options.protectedGroupId.toLowerCase()) : false,
                scopeGroupIds: options.scopeGroupIds.filter((g) => inGroups.has(g.toLowerCase())),
                existingTaps: valuesOf(expectOk(answers, `${n}.taps`, 'listTaps')).map(toTapMethodInfo),
                ...(signals ? { signals } : {}),
              },
            };
          } catch (e) {
            results[n] = { userId: id, error: e instanceof Error ? e : new Error(String(e)) };
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CHECK_BATCHES_IN_FLIGHT, groups.length) }, worker));
    return results;
  }

  /**
   * One `$batch` of creates, sent once (SendOnce): a 429 item is "not created, send later";
   * a 5xx item or a lost envelope is "unknown", because Graph may have made the pass and its
   * code cannot be read back. The codes are returned to the caller and nowhere else.
   */
  async createTapsOnce(items: ReadonlyArray<{ userId: string; options: TapCreateOptions }>): Promise<TapCreateOutcome[]> {
    if (items.length === 0) return [];
    if (items.length > MAX_BATCH_SIZE) throw new RangeError(`At most ${MAX_BATCH_SIZE} creates per $batch (got ${items.length}).`);
    const requests = items.map((item, n) => {
      const body: Record<string, unknown> = {};
      if (item.options.startDateTime !== undefined) body['startDateTime'] = item.options.startDateTime;
      if (item.options.lifetimeInMinutes !== undefined) body['lifetimeInMinutes'] = item.options.lifetimeInMinutes;
      if (item.options.isUsableOnce !== undefined) body['isUsableOnce'] = item.options.isUsableOnce;
      return {
        id: String(n),
        method: 'POST' as const,
        url: `${this.userPathOrThrow(item.userId, 'createTap')}/authentication/temporaryAccessPassMethods`,
        body,
        headers: { 'Content-Type': 'application/json' },
      };
    });
    let raw: unknown;
    try {
      raw = await this.client.api('/$batch').middlewareOptions([new SendOnce()]).post({ requests });
    } catch (e) {
      const error = mapThrown(e, 'createTap');
      log.warn('bulk create $batch failed', { items: items.length, errorCode: error.code, status: error.status });
      // A 4xx/429 on the envelope means Graph refused the whole batch before running it.
      const refused = error.status >= 400 && error.status < 500;
      return items.map((item) =>
        refused
          ? { userId: item.userId, outcome: 'notCreated', error, retryable: error.status === 429, ...(error.retryAfterSeconds !== undefined ? { retryAfterInMs: error.retryAfterSeconds * 1000 } : {}) }
          : { userId: item.userId, outcome: 'unknown', error },
      );
    }
    let answers: Map<string, BatchItemResponse>;
    try {
      answers = parseBatchResponse(raw, new Set(requests.map((r) => r.id)));
    } catch (e) {
      const error = mapThrown(e, 'createTap');
      return items.map((item) => ({ userId: item.userId, outcome: 'unknown', error }));
    }
    return items.map((item, n): TapCreateOutcome => {
      const answer = answers.get(String(n));
      if (!answer) return { userId: item.userId, outcome: 'unknown', error: toGraphError({ status: 0, message: 'no $batch answer for this create' }, 'createTap') };
      if (answer.status >= 200 && answer.status < 300) {
        try {
          return { userId: item.userId, outcome: 'created', tap: toIssuedTap(answer.body) };
        } catch (e) {
          // A success whose body is not a pass: made, but the code is not readable.
          return { userId: item.userId, outcome: 'unknown', error: mapThrown(e, 'createTap') };
        }
      }
      // Graph's message stays out: nothing from a create response travels anywhere.
      const error = toGraphError({ ...failureOfItem(answer), message: undefined }, 'createTap');
      if (answer.status === 429) {
        const after = parseRetryAfter(answer.headers['retry-after']);
        return { userId: item.userId, outcome: 'notCreated', error, retryable: true, ...(after !== undefined ? { retryAfterInMs: after } : {}) };
      }
      if (answer.status >= 500 || answer.status === 0) return { userId: item.userId, outcome: 'unknown', error };
      return { userId: item.userId, outcome: 'notCreated', error, retryable: false };
    });
  }

  /** Follows nextLinks (same origin only) until done or past `max` items. */
  private async pages<T>(operation: GraphOperation, first: string, max: number, map: (v: unknown) => T): Promise<T[]> {
    const out: T[] = [];
    let path = first;
    for (let page = 0; page < MAX_PAGES; page++) {
      const current = path;
      const body = await this.call(operation, () => this.client.api(current).get());
      out.push(...valuesOf(body).map(map));
      if (out.length > max) throw new GroupTooLargeError(max);
      const next = asObject(body)['@odata.nextLink'];
      if (typeof next !== 'string') return out;
      if (new URL(next).origin !== this.origin) {
        throw toGraphError({ status: 0, message: `nextLink points to another origin: ${new URL(next).origin}` }, operation);
      }
      path = next;
    }
    throw toGraphError({ status: 0, message: `more than ${MAX_PAGES} pages` }, operation);
  }

  /** Runs one Graph call, mapping any failure to a GraphError and logging it (never a body). */
  private async call<T>(operation: GraphOperation, run: () => Promise<T>): Promise<T> {
    try {
      return await inGraphSpan(operation, run);
    } catch (e) {
      const error = mapThrown(e, operation);
      // "Not found" is an answer (wrong UPN, no manager), not a fault worth a warning.
      const level = error.code === 'notFound' ? 'debug' : 'warn';
      log[level]('Graph call failed', { operation, errorCode: error.code, status: error.status, graphCode: error.graphCode ?? null });
      throw error;
    }
  }

  private userPathOrThrow(idOrUpn: string, operation: GraphOperation): string {
    try {
      return userPath(idOrUpn);
    } catch (e) {
      throw badInput(operation, e);
    }
  }
}

function badInput(operation: GraphOperation, e: unknown): GraphError {
  return new GraphError({
    code: 'badRequest',
    status: 400,
    userMessage: 'That is not a valid user or group identifier.',
    detail: `${operation}: ${e instanceof Error ? e.message : String(e)}`,
  });
}

/**
 * `installAppForUser` is not one of errors.ts' operations (that catalogue is the workflow's):
 * 403 and 404 get their own sentences, everything else (throttling, outages, sign-in) the
 * shared classification.
 */
function installError(failure: GraphFailure, cause: unknown): GraphError {
  const detail = `Graph installAppForUser failed with status ${failure.status}${failure.graphCode ? ` (${failure.graphCode})` : ''}: ${failure.message ?? ''}`;
  const base = { status: failure.status, detail, ...(failure.graphCode ? { graphCode: failure.graphCode } : {}), cause };
  if (failure.status === 403 && failure.kind === undefined) {
    return new GraphError({
      ...base,
      code: 'forbidden',
      missingPermission: TEAMS_APP_INSTALL_PERMISSION,
      userMessage: `The bot is not allowed to install itself for people in Teams: its app registration needs the Microsoft Graph application permission ${TEAMS_APP_INSTALL_PERMISSION} with admin consent, and the app must be allowed by the tenant's Teams app policies. Ask the IT admin.`,
    });
  }
  if (failure.status === 404) {
    return new GraphError({
      ...base,
      code: 'notFound',
      userMessage: "The person, or the bot's Teams app in the organization's app catalog (TEAMS_APP_CATALOG_ID), was not found. Ask the IT admin to check the app catalog id.",
    });
  }
  const shared = toGraphError(failure, 'getUser', cause);
  return new GraphError({
    ...base,
    code: shared.code,
    userMessage: shared.userMessage,
    ...(shared.retryAfterSeconds !== undefined ? { retryAfterSeconds: shared.retryAfterSeconds } : {}),
  });
}

/** The body of a successful batch item, or the item's failure as a GraphError. */
function expectOk(answers: Map<string, BatchItemResponse>, id: string, operation: GraphOperation): unknown {
  const answer = answers.get(id);
  if (!answer) throw toGraphError({ status: 0, message: `no $batch answer for ${id}` }, operation);
  if (answer.status >= 200 && answer.status < 300) return answer.body;
  const error = toGraphError(failureOfItem(answer), operation);
  log[error.code === 'notFound' ? 'debug' : 'warn']('Graph batch item failed', { operation, item: id, errorCode: error.code, status: error.status, graphCode: error.graphCode ?? null });
  throw error;
}

/** Signal items per member in a `checkMembers` batch (signals.ts). */
const SIGNAL_ITEMS = 4;

/** One member's signal answers, under the ids signals.ts gave them (`sig.methods`, …). */
function signalAnswers(answers: Map<string, BatchItemResponse>, n: number): Map<string, BatchItemResponse> {
  const prefix = `${n}.sig.`;
  const mine = new Map<string, BatchItemResponse>();
  for (const [id, answer] of answers) if (id.startsWith(prefix)) mine.set(id.slice(`${n}.`.length), answer);
  return mine;
}
