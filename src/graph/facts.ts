/**
 * Everything a decision rests on, gathered in `$batch` round trips rather than call by
 * call: one target before the request (inspectTarget), the whole request again at approval
 * (checkForApproval), and many members for a bulk request (checkMembers). Every item in a
 * batch addresses users by a key the caller already has, so none waits on another's answer.
 */
import { GraphError } from '../errors';
import { createLogger } from '../log';
import { MAX_BATCH_SIZE, chunk, type BatchItemRequest, type BatchItemResponse } from './batch';
import { badInput, pages, sendBatch, userPathOrThrow, type GraphContext } from './client';
import { MAX_IDS_PER_CHECK } from './directory';
import { failureOfItem, toGraphError, type GraphOperation } from './errors';
import { isGuid, selectQuery } from './odata';
import { TAP_POLICY_PATH } from './passes';
import { USER_PROPERTIES, asObject, isUserObject, toDirectoryUser, toTapMethodInfo, toTapPolicy, valuesOf } from './shapes';
import { pimRequests, roleActivation, withActivatable } from './pim';
import { parseSignals, SIGNAL_USER_PROPERTIES, signalRequests, signalRequestsById } from './signals';
import type { AlongsideAnswers, ApprovalCheckInput, ApprovalFacts, AutomaticReplies, InspectTargetOptions, MemberCheck, MemberCheckOptions, Signal, TargetFacts } from './types';
import { toAutomaticReplies, unavailableBecause } from './mailbox';

// Every gateway module logs as 'graph', so the gateway's lines read as one source whichever module wrote them.
const log = createLogger('graph');

/**
 * Members whose checks are in flight at once: a bulk wave (20) is read in one round trip
 * whatever the items per member (with signals and PIM, 11: one member per `$batch`), so the
 * re-check before a wave's creates costs one round, not five. Graph paces `$batch` items
 * one by one, as it would the same requests sent alone; a 429 is waited out (retry.ts).
 */
const MEMBERS_IN_FLIGHT = 20;
/** Signal items per member in a `checkMembers` batch (signals.ts; risk is read once for all, riskyUsersOnce). */
const SIGNAL_ITEMS = 3;
/** PIM items per member in a `checkMembers` batch (pim.ts). */
const PIM_ITEMS = 3;

/**
 * Everything the workflow checks about a target in ONE `$batch` round trip (unless items
 * are throttled and re-sent). Every item addresses the user by the same key (UPN or id),
 * so none depends on another's answer. One exception: for a target typed by name, the
 * records about them (audit log, Identity Protection) and PIM are searched by object id
 * (signals.ts says why): in the same round trip when `knownId` (a recent look-up's hint)
 * turns out to be the id Graph returns, else in a second small one by the id it returned.
 */
/** The ids of the reads that ride along (InspectTargetOptions.alongside), as the gateway asks for them. */
export interface AlongsideItems {
  policy?: boolean;
  userId?: string;
  automaticRepliesOf?: string;
}

const ALONGSIDE = { policy: 'also.policy', user: 'also.user', away: 'also.away' } as const;

function alongsideRequests(items: AlongsideItems | undefined): BatchItemRequest[] {
  if (!items) return [];
  return [
    ...(items.policy ? [{ id: ALONGSIDE.policy, method: 'GET' as const, url: TAP_POLICY_PATH }] : []),
    ...(items.userId ? [{ id: ALONGSIDE.user, method: 'GET' as const, url: `${userPathOrThrow(items.userId, 'getUser')}?${selectQuery(USER_PROPERTIES)}` }] : []),
    ...(items.automaticRepliesOf
      ? [{ id: ALONGSIDE.away, method: 'GET' as const, url: `${userPathOrThrow(items.automaticRepliesOf, 'automaticReplies')}/mailboxSettings/automaticRepliesSetting`, headers: { Prefer: 'outlook.timezone="UTC"' } }]
      : []),
  ];
}

/** The answers of the reads that rode along, each as its own read would give it (for this caller only). */
function alongsideAnswers(items: AlongsideItems, answers: Map<string, BatchItemResponse>): AlongsideAnswers {
  const settle =
    <T>(id: string, operation: GraphOperation, map: (body: unknown) => T) =>
    (): Promise<T> => {
      try {
        return Promise.resolve(map(expectOk(answers, id, operation)));
      } catch (e) {
        return Promise.reject(e);
      }
    };
  const away = items.automaticRepliesOf;
  const awayRead = settle(ALONGSIDE.away, 'automaticReplies', (body): Signal<AutomaticReplies> => ({ available: true, value: toAutomaticReplies(body) }));
  return {
    ...(items.policy ? { policy: settle(ALONGSIDE.policy, 'getTapPolicy', toTapPolicy) } : {}),
    ...(items.userId ? { user: settle(ALONGSIDE.user, 'getUser', toDirectoryUser) } : {}),
    ...(away ? { managerAway: { userId: away, read: () => awayRead().catch((e: unknown) => unavailableBecause(e)) } } : {}),
  };
}

export async function inspectTarget(graph: GraphContext, idOrUpn: string, options: InspectTargetOptions, alongside?: AlongsideItems): Promise<TargetFacts> {
  const user = userPathOrThrow(idOrUpn, 'getUser');
  const select = selectQuery(USER_PROPERTIES);
  const roleChunks = chunk(options.privilegedRoleTemplateIds, MAX_IDS_PER_CHECK);
  const byId = isGuid(idOrUpn.trim());
  const signals = options.withSignals ? signalRequests(idOrUpn.trim(), options.now ?? new Date()) : [];
  const userSelect = options.withSignals ? `${select},${SIGNAL_USER_PROPERTIES.join(',')}` : select;
  // Typed by name: the searches by id go in this round only when a recent look-up knows the id (a hint, checked below).
  const hinted = !byId && options.knownId && isGuid(options.knownId) ? options.knownId : undefined;
  const byIdRequests = (id: string): BatchItemRequest[] => [...(options.withSignals ? signalRequestsById(id, options.now ?? new Date()) : []), ...pimRequests(id)];
  const requests: BatchItemRequest[] = [
    { id: 'user', method: 'GET', url: `${user}?${userSelect}&$expand=manager(${select})` },
    { id: 'taps', method: 'GET', url: `${user}/authentication/temporaryAccessPassMethods` },
    ...signals,
    ...roleChunks.map((ids, i): BatchItemRequest => ({ id: `roles${i}`, method: 'POST', url: `${user}/checkMemberObjects`, body: { ids } })),
    ...(byId ? pimRequests(idOrUpn.trim()) : []),
    ...(hinted ? byIdRequests(hinted) : []),
    ...alongsideRequests(alongside),
  ];
  if (options.protectedGroupId) {
    requests.push({ id: 'protected', method: 'POST', url: `${user}/checkMemberGroups`, body: { groupIds: [options.protectedGroupId] } });
  }

  const answers = await sendBatch(graph, requests);
  const userBody = expectOk(answers, 'user', 'getUser');
  const managerBody = asObject(userBody)['manager'];
  if (!byId) {
    // Typed by name: the records (audit log, Identity Protection) and PIM are searched by the id just read,
    // in this round when the hint was that id, else now. A wrong hint's answers are about someone else: dropped.
    const userId = toDirectoryUser(userBody).id;
    if (!hinted || hinted.toLowerCase() !== userId.toLowerCase()) {
      const byIdNow = byIdRequests(userId);
      for (const r of byIdNow) answers.delete(r.id);
      for (const [id, answer] of await followUp(graph, byIdNow)) answers.set(id, answer);
    }
  }
  const activation = await roleActivation(graph, answers, options.privilegedRoleTemplateIds);

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
    privilegedRoleTemplateIds: withActivatable(options.privilegedRoleTemplateIds.filter((id) => heldRoles.has(id.toLowerCase())), activation, options.privilegedRoleTemplateIds),
    inProtectedGroup,
    existingTaps: valuesOf(expectOk(answers, 'taps', 'listTaps')).map(toTapMethodInfo),
    ...(options.withSignals ? { signals: { ...parseSignals(userBody, answers, toDirectoryUser(userBody).id), eligibleRoles: activation } } : {}),
    ...(alongside && Object.keys(alongside).length > 0 ? { alongside: alongsideAnswers(alongside, answers) } : {}),
  };
}

/**
 * The reads by object id of a user found by name (records, PIM), in a second round trip. A
 * failed round trip leaves them unanswered, which the card shows as "not available", never
 * as "all clear" (and an unanswered PIM read is the risk rule's "cannot tell").
 */
async function followUp(graph: GraphContext, requests: BatchItemRequest[]): Promise<Map<string, BatchItemResponse>> {
  try {
    return await sendBatch(graph, requests);
  } catch (e) {
    if (!(e instanceof GraphError)) throw e;
    log.warn('record signals could not be read', { errorCode: e.code, status: e.status });
    return new Map();
  }
}

/**
 * The approval's re-check: every fact the request was decided on, read again in ONE
 * `$batch` together with the policy, never from a cache. Items address users by id (the
 * stored, canonical ids), so none depends on another's answer. A target that no longer
 * exists is an answer (`target: null`), not a failure.
 */
export async function checkForApproval(graph: GraphContext, input: ApprovalCheckInput): Promise<ApprovalFacts> {
  const select = selectQuery(USER_PROPERTIES);
  const requester = userPathOrThrow(input.requesterId, 'getUser');
  const target = userPathOrThrow(input.targetId, 'getUser');
  const approver = userPathOrThrow(input.approverId, 'memberGroups');
  const roleChunks = chunk(input.privilegedRoleTemplateIds, MAX_IDS_PER_CHECK);
  const targetGroups = [...(input.protectedGroupId ? [input.protectedGroupId] : []), ...input.scopeGroupIds];
  const groupChunks = chunk([...new Set(targetGroups)], MAX_IDS_PER_CHECK);
  const requests: BatchItemRequest[] = [
    { id: 'policy', method: 'GET', url: TAP_POLICY_PATH },
    { id: 'requester', method: 'GET', url: `${requester}?${select}&$expand=manager(${select})` },
    { id: 'helpdesk', method: 'POST', url: `${requester}/checkMemberGroups`, body: { groupIds: [input.helpdeskGroupId] } },
    // With signals, the target's own signal properties (phones, when the account was made) ride along, as in inspectTarget.
    { id: 'target', method: 'GET', url: `${target}?${input.withSignals ? `${select},${SIGNAL_USER_PROPERTIES.join(',')}` : select}&$expand=manager(${select})` },
    ...roleChunks.map((ids, i): BatchItemRequest => ({ id: `roles${i}`, method: 'POST', url: `${target}/checkMemberObjects`, body: { ids } })),
    ...groupChunks.map((groupIds, i): BatchItemRequest => ({ id: `groups${i}`, method: 'POST', url: `${target}/checkMemberGroups`, body: { groupIds } })),
    ...(input.fallbackApproverGroupId
      ? [{ id: 'fallback', method: 'POST', url: `${approver}/checkMemberGroups`, body: { groupIds: [input.fallbackApproverGroupId] } } satisfies BatchItemRequest]
      : []),
    ...(input.secondApprover
      ? [{
          id: 'second',
          method: 'POST',
          url: `${userPathOrThrow(input.secondApprover.id, 'memberGroups')}/checkMemberGroups`,
          body: { groupIds: [input.secondApprover.groupId] },
        } satisfies BatchItemRequest]
      : []),
    ...(input.withSignals ? signalRequests(input.targetId.toLowerCase(), input.now ?? new Date()) : []),
    ...pimRequests(input.targetId),
  ];
  const answers = await sendBatch(graph, requests);
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
    const activation = await roleActivation(graph, answers, input.privilegedRoleTemplateIds);
    targetFacts = {
      user: toDirectoryUser(targetBody),
      manager: managerBody && isUserObject(managerBody) ? toDirectoryUser(managerBody) : null,
      privilegedRoleTemplateIds: withActivatable(input.privilegedRoleTemplateIds.filter((id) => held.has(id.toLowerCase())), activation, input.privilegedRoleTemplateIds),
      inProtectedGroup: input.protectedGroupId ? memberOf.has(input.protectedGroupId.toLowerCase()) : false,
      ...(input.withSignals ? { signals: { ...parseSignals(targetBody, answers, toDirectoryUser(targetBody).id), eligibleRoles: activation } } : {}),
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

/** The bulk check: every member's facts, whole members per `$batch`, several batches in flight; one member's failure is that member's answer. */
export async function checkMembers(graph: GraphContext, userIds: readonly string[], options: MemberCheckOptions): Promise<MemberCheck[]> {
  const select = selectQuery(USER_PROPERTIES);
  const roleChunks = chunk(options.privilegedRoleTemplateIds, MAX_IDS_PER_CHECK);
  const groupIds = [...new Set([...(options.protectedGroupId ? [options.protectedGroupId] : []), ...options.scopeGroupIds])];
  const groupChunks = chunk(groupIds, MAX_IDS_PER_CHECK);
  const itemsFor = (userId: string, n: number): BatchItemRequest[] => {
    const user = `/users/${userId}`;
    return [
      { id: `${n}.user`, method: 'GET', url: `${user}?${options.withSignals ? `${select},${SIGNAL_USER_PROPERTIES.join(',')}` : select}${options.withManager ? `&$expand=manager(${select})` : ''}` },
      { id: `${n}.taps`, method: 'GET', url: `${user}/authentication/temporaryAccessPassMethods` },
      ...roleChunks.map((ids, i): BatchItemRequest => ({ id: `${n}.roles${i}`, method: 'POST', url: `${user}/checkMemberObjects`, body: { ids } })),
      ...groupChunks.map((ids, i): BatchItemRequest => ({ id: `${n}.groups${i}`, method: 'POST', url: `${user}/checkMemberGroups`, body: { groupIds: ids } })),
      // Risk comes from one read of the tenant's risky users for all members (riskyUsersOnce), not one read each.
      ...(options.withSignals ? signalRequests(userId, options.now ?? new Date()).filter((r) => r.id !== 'sig.risk').map((r) => ({ ...r, id: `${n}.${r.id}` })) : []),
      ...pimRequests(userId, `${n}.`),
    ];
  };
  const risky = options.withSignals ? riskyUsersOnce(graph) : undefined;
  const ids = userIds.map((id) => {
    if (!isGuid(id)) throw badInput('getUser', new RangeError(`Not an object id: ${id}`));
    return id.toLowerCase();
  });
  const perMember = 2 + roleChunks.length + groupChunks.length + PIM_ITEMS + (options.withSignals ? SIGNAL_ITEMS : 0);
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
        answers = await sendBatch(graph, group.flatMap(({ id, n }) => itemsFor(id, n)));
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
          const activation = await roleActivation(graph, answers, options.privilegedRoleTemplateIds, `${n}.`);
          const memberAnswers = signalAnswers(answers, n);
          if (risky) memberAnswers.set('sig.risk', riskAnswerOf(await risky, id));
          const signals = options.withSignals ? { ...parseSignals(userBody, memberAnswers, id), eligibleRoles: activation } : undefined;
          results[n] = {
            userId: id,
            facts: {
              user: toDirectoryUser(userBody),
              manager: managerBody && isUserObject(managerBody) ? toDirectoryUser(managerBody) : null,
              privilegedRoleTemplateIds: withActivatable(options.privilegedRoleTemplateIds.filter((r) => held.has(r.toLowerCase())), activation, options.privilegedRoleTemplateIds),
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
  await Promise.all(Array.from({ length: Math.min(Math.ceil(MEMBERS_IN_FLIGHT / membersPerBatch), groups.length) }, worker));
  return results;
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

/** One member's signal answers, under the ids signals.ts gave them (`sig.methods`, …). */
function signalAnswers(answers: Map<string, BatchItemResponse>, n: number): Map<string, BatchItemResponse> {
  const prefix = `${n}.sig.`;
  const mine = new Map<string, BatchItemResponse>();
  for (const [id, answer] of answers) if (id.startsWith(prefix)) mine.set(id.slice(`${n}.`.length), answer);
  return mine;
}

/**
 * Identity Protection answers at most one request a second per tenant, for all apps together,
 * and its 429s carry no Retry-After: one read per member would leave most members' risk
 * unread in a group of any size. So a member check reads the tenant's risky users once (Graph
 * keeps a record only for users with a risk history: a short list), and each member's risk is
 * their record in it, or none. A failed read is every member's "not available", never "no risk".
 */
type RiskyUsers = { records: Map<string, unknown> } | { failed: BatchItemResponse };

async function riskyUsersOnce(graph: GraphContext): Promise<RiskyUsers> {
  try {
    const list = await pages(graph, 'getUser', RISKY_USERS_PATH, MAX_RISKY_USERS, (v: unknown) => v);
    return { records: new Map(list.map((r) => [String(asObject(r)['id'] ?? '').toLowerCase(), r])) };
  } catch (e) {
    const status = e instanceof GraphError ? e.status : 0;
    return { failed: { id: 'sig.risk', status: status || 503, headers: {}, body: { error: { code: e instanceof GraphError ? (e.graphCode ?? e.code) : 'unknown', message: 'risky users could not be read' } } } };
  }
}

const RISKY_USERS_PATH = '/identityProtection/riskyUsers?$select=id,riskLevel,riskState,riskLastUpdatedDateTime';
/** More risky users than this in one tenant is not a list to read per check: each member's risk is then not available. */
const MAX_RISKY_USERS = 5_000;

/** A member's risk as the per-user read would answer: the record, or 404 (no record). */
function riskAnswerOf(risky: RiskyUsers, userId: string): BatchItemResponse {
  if ('failed' in risky) return risky.failed;
  const record = risky.records.get(userId.toLowerCase());
  return record === undefined ? { id: 'sig.risk', status: 404, headers: {}, body: {} } : { id: 'sig.risk', status: 200, headers: {}, body: record };
}

