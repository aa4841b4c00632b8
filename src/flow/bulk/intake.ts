/**
 * A new bulk request: validate, find the group, read its members, check every member as a
 * single request would be checked, find the approvers, store, ask for approval.
 */
import { FlowError } from '../../errors';
import { GroupTooLargeError } from '../../graph/groups';
import type { DirectoryGroup } from '../../graph/types';
import { flowLog as log, actorFields } from '../context';
import { failureOf, InvalidInputError, type Problem } from '../errors';
import { catalogue } from '../../i18n';
import { said, wordsIn } from '../../i18n/said';
import { sameId } from '../../identity';
import { localToUtc, nextWorkingDay } from '../request/localTime';
import { scopeGroupIds } from '../gate/policyScope';
import { DEFAULT_PRESETS } from '../request/presets';
import { toPerson } from '../gate/approver';
import { policyDisabled } from '../gate/refusals';
import { LimitReachedError } from '../gate/limits';
import { scheduledIssueAt } from '../gate/schedule';
import { resolveSettings } from '../request/settings';
import type { Actor, Person } from '../types';
import { cleanText, validatePassDetails } from '../request/validation';
import { approverGroupOf, type BulkContext } from './context';
import { judgeMember, type MemberRules } from '../gate/memberVerdict';
import { memberRecords } from '../gate/records';
import type { BulkEligibility } from '../gate/enrolment';
import { DEFAULT_RISK_RULES } from '../gate/risk';
import type { MemberCheckOptions, TapPolicy } from '../../graph/types';
import type { BulkInput, BulkMember, BulkRequest } from './types';

const GROUP_TEXT_MAX = 256;
const ID_ATTEMPTS = 5;

export interface BulkPlanOptions {
  /** The admin command line: no approval card, the admin who runs it is the approver. */
  via: 'teams' | 'cli';
}

/** Everything up to (not including) storing: also the command line's dry run. */
export async function planBulk(ctx: BulkContext, actor: Actor, input: BulkInput, options: BulkPlanOptions): Promise<BulkRequest> {
  const now = ctx.clock();
  const problems: Problem[] = [];
  const groupText = cleanText(input.group);
  if (groupText === '') problems.push({ field: 'group', said: said('groupNameMissing') });
  else if (groupText.length > GROUP_TEXT_MAX) problems.push({ field: 'group', said: said('groupNameTooLong', { max: GROUP_TEXT_MAX }) });
  const preset = (ctx.config.presets ?? DEFAULT_PRESETS)[input.scenario];
  const zone = input.timeZone ?? ctx.config.orgTimeZone ?? 'UTC';
  const details = validatePassDetails(
    {
      ...input,
      ...(input.startDate ? { timeZone: zone } : {}),
      ...(input.startDate && !input.startTime && preset?.startTime ? { startTime: preset.startTime } : {}),
    },
    now,
    problems,
  );
  if (problems.length > 0) throw new InvalidInputError(problems);

  // The command line needs no approver group: the admin who runs it is the approver.
  const approverGroupId = approverGroupOf(ctx) ?? (options.via === 'cli' ? '' : undefined);
  if (approverGroupId === undefined) {
    throw new FlowError('bulkNotConfigured', said('bulkNotConfigured'));
  }

  const [policy, groups, requesterUser] = await Promise.all([ctx.graph.getTapPolicy(), ctx.graph.findGroups(groupText), ctx.graph.getUser(actor.aadObjectId)]);
  if (policy.state !== 'enabled') throw policyDisabled();
  const group = pickGroup(groups, groupText);

  // A joiner's first morning, when no start was given: as for a single request.
  let startDateTime = details.startDateTime;
  if (startDateTime === undefined && preset?.asksForStart && preset.startTime) {
    startDateTime = localToUtc(nextWorkingDay(now, zone), preset.startTime, zone);
  }
  const settings = resolveSettings({ ...details, ...(startDateTime ? { startDateTime } : {}) }, ctx.config.tap, policy, preset);

  let members;
  try {
    members = await ctx.graph.listGroupMembers(group.id, { nested: ctx.bulk.includeNestedGroups, max: ctx.bulk.maxMembers });
  } catch (e) {
    if (e instanceof GroupTooLargeError) {
      throw new FlowError('bulkTooLarge', said('bulkTooLarge', { group: group.displayName, max: e.max }));
    }
    throw e;
  }
  if (members.users.length === 0) {
    throw new FlowError('bulkEmpty', said('bulkEmpty', { group: group.displayName, nestedGroups: members.nestedGroups.length }));
  }

  // The gate: every member is checked as a single request would be, from the same homes.
  const checks = await ctx.graph.checkMembers(
    members.users.map((u) => u.id),
    memberCheckOptions(ctx, policy, now),
  );
  const records = await memberRecords(ctx.gate, members.users, undefined, now);
  const rules = memberRules(ctx, actor.aadObjectId, policy, ctx.bulk.eligibility, now);
  const bulkMembers: BulkMember[] = members.users.map((u, i) => {
    const check = checks[i] ?? { userId: u.id, error: new Error('not checked') };
    const verdict = judgeMember(check, rules, records.get(u.id) ?? { history: { issuedAt: [], reportedSuspicious: false } });
    const department = 'facts' in check ? check.facts.user.department : undefined;
    return {
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName,
      ...(department ? { department } : {}),
      ...(verdict.managerId ? { managerId: verdict.managerId, managerName: verdict.managerName ?? '' } : {}),
      state: verdict.eligible ? 'pending' : 'refused',
      ...(verdict.code ? { code: verdict.code } : {}),
      ...(verdict.reason ? { reason: verdict.reason } : {}),
      ...(verdict.replacesExisting ? { replacesExisting: true } : {}),
      attempts: 0,
    };
  });

  let approvers: Person[] = [];
  if (options.via === 'teams') {
    const people = await ctx.graph.listGroupUsers(approverGroupId);
    // Never the requester: a second person decides. Nor a disabled account.
    approvers = people.filter((p) => !sameId(p.id, actor.aadObjectId) && p.accountEnabled !== false).map(toPerson);
    if (approvers.length === 0) {
      throw new FlowError('bulkNoApprover', said('bulkNoApprover'));
    }
  }

  return {
    id: '',
    state: 'PendingApproval',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ctx.config.approvalTimeoutInMinutes * 60_000).toISOString(),
    tenantId: actor.tenantId,
    requester: toPerson(requesterUser),
    via: options.via,
    group: { ...group, nested: ctx.bulk.includeNestedGroups },
    nestedGroupsSkipped: members.nestedGroups,
    scenario: details.scenario,
    reason: details.reason,
    ...(details.ticket ? { ticket: details.ticket } : {}),
    settings,
    eligibility: ctx.bulk.eligibility,
    approverGroupId,
    approvers,
    deliverTo: ctx.bulk.deliverTo,
    members: bulkMembers,
    pages: [],
  };
}

export async function startBulk(ctx: BulkContext, actor: Actor, input: BulkInput, options: BulkPlanOptions): Promise<BulkRequest> {
  await ctx.assertAgent(actor);
  let plan: BulkRequest;
  try {
    plan = await planBulk(ctx, actor, input, options);
  } catch (e) {
    if (e instanceof FlowError || e instanceof InvalidInputError) {
      await ctx.audit({ action: 'bulk.refused', ...actorFields(actor), outcome: e instanceof FlowError ? e.code : 'invalidInput', details: { group: String(input.group ?? '').slice(0, 100) } });
    }
    throw e;
  }
  if (options.via === 'cli') {
    const early = tooEarlyForTheCommandLine(plan.settings.startDateTime, ctx.clock());
    if (early) throw early;
  }
  if (!plan.members.some((m) => m.state === 'pending')) {
    await ctx.audit({ action: 'bulk.refused', ...actorFields(actor), outcome: 'bulkNobodyEligible', details: { groupId: plan.group.id, members: plan.members.length } });
    throw new FlowError('bulkNobodyEligible', said('bulkNobodyEligible', { group: plan.group.displayName, refused: refusalCounts(plan) }));
  }
  let bulk: BulkRequest | undefined;
  for (let attempt = 0; attempt < ID_ATTEMPTS && !bulk; attempt++) {
    const candidate = { ...plan, id: ctx.newId() };
    if (await ctx.repo.create(candidate)) bulk = candidate;
  }
  if (!bulk) throw new Error('Could not allocate a free bulk request id.');
  bulk = await holdMembers(ctx, bulk);
  if (!bulk.members.some((m) => m.state === 'pending')) {
    const everyoneOpen = new FlowError('bulkNobodyEligible', said('bulkEveryMemberOpen'));
    const closed = await ctx.repo.update(bulk.id, (b) => (b.state === 'PendingApproval' ? { ...b, state: 'Failed', failure: failureOf(everyoneOpen), finishedAt: ctx.clock().toISOString() } : undefined));
    await ctx.audit({ action: 'bulk.refused', ...actorFields(actor), requestId: closed.id, outcome: 'bulkNobodyEligible', details: { groupId: closed.group.id, members: closed.members.length } });
    throw new FlowError('bulkNobodyEligible', said('bulkNobodyEligible', { group: closed.group.displayName, refused: refusalCounts(closed) }));
  }
  // One request by the agent, whatever its size: the hourly limit counts it like a single one.
  try {
    await ctx.gate.limiter.countAgentRequest(actor.aadObjectId, ctx.clock());
  } catch (e) {
    if (!(e instanceof LimitReachedError)) throw e;
    await ctx.repo.update(bulk.id, (b) => (b.state === 'PendingApproval' ? { ...b, state: 'Failed', failure: failureOf(e), finishedAt: ctx.clock().toISOString() } : undefined));
    await ctx.audit({ action: 'bulk.refused', ...actorFields(actor), requestId: bulk.id, outcome: e.code, details: { limit: e.limit, max: e.max } });
    throw e;
  }

  const counts = { eligible: bulk.members.filter((m) => m.state === 'pending').length, refused: bulk.members.filter((m) => m.state === 'refused').length };
  await ctx.audit({
    action: 'bulk.created',
    ...actorFields(actor),
    requestId: bulk.id,
    outcome: 'ok',
    details: {
      groupId: bulk.group.id,
      groupName: bulk.group.displayName,
      nested: bulk.group.nested,
      members: bulk.members.length,
      eligible: counts.eligible,
      refused: counts.refused,
      scenario: bulk.scenario,
      reason: bulk.reason,
      ...(bulk.ticket ? { ticket: bulk.ticket } : {}),
      lifetimeInMinutes: bulk.settings.lifetimeInMinutes,
      isUsableOnce: bulk.settings.isUsableOnce,
      ...(bulk.settings.startDateTime ? { startDateTime: bulk.settings.startDateTime } : {}),
      via: bulk.via,
      approverIds: bulk.approvers.map((p) => p.id),
    },
  });
  for (const m of bulk.members.filter((x) => x.state === 'refused')) {
    await ctx.audit({ action: 'bulk.member', ...actorFields(actor), requestId: bulk.id, targetId: m.id, targetUpn: m.userPrincipalName, outcome: m.code ?? 'refused', details: { stage: 'request' } });
  }
  log.info('bulk request created', { requestId: bulk.id, members: bulk.members.length, eligible: counts.eligible });

  if (options.via === 'teams') {
    try {
      await ctx.notifier.requestBulkApproval(bulk);
    } catch (e) {
      const unreachable = new FlowError('approverUnreachable', said('bulkApproverUnreachable', { id: bulk.id }));
      log.warn('bulk approval card could not be delivered', { requestId: bulk.id, error: e });
      await ctx.repo.update(bulk.id, (b) => (b.state === 'PendingApproval' ? { ...b, state: 'Failed', failure: failureOf(unreachable) } : undefined));
      throw unreachable;
    }
  }
  return bulk;
}

function pickGroup(groups: DirectoryGroup[], typed: string): DirectoryGroup {
  if (groups.length === 1) return groups[0] as DirectoryGroup;
  if (groups.length === 0) {
    throw new FlowError('groupNotFound', said('groupNotFound', { typed }));
  }
  throw new FlowError('groupAmbiguous', said('groupAmbiguous', { typed, ids: groups.map((g) => g.id) }));
}

/** How many members were refused, by kind (the catalogue words each kind). */
function refusalCounts(bulk: Pick<BulkRequest, 'members'>): Array<[string, number]> {
  const byCode = new Map<string, number>();
  for (const m of bulk.members) if (m.state === 'refused') byCode.set(m.code ?? 'refused', (byCode.get(m.code ?? 'refused') ?? 0) + 1);
  return [...byCode];
}

/** The gate's rules for this request's members (memberVerdict.ts). */
export function memberRules(ctx: BulkContext, requesterId: string, policy: TapPolicy, eligibility: BulkEligibility, now: Date, deciderId?: string): MemberRules {
  return {
    requesterId,
    ...(deciderId ? { deciderId } : {}),
    policy,
    needsManager: ctx.bulk.deliverTo === 'manager',
    eligibility,
    risk: ctx.config.risk ?? DEFAULT_RISK_RULES,
    now,
  };
}

/**
 * One open request per person: the bulk request takes each eligible member's lock (the
 * same compare-and-swap a single request takes). A member someone else holds right now
 * (a single request, another bulk request) leaves this one with the reason.
 */
async function holdMembers(ctx: BulkContext, bulk: BulkRequest): Promise<BulkRequest> {
  const now = ctx.clock();
  const lost: BulkMember[] = [];
  for (const m of bulk.members.filter((x) => x.state === 'pending')) {
    const claim = await ctx.gate.targetLocks.claim(m.id, bulk.id, now);
    if (!claim.claimed) {
      const meaning = said('memberOpenElsewhere', claim.hold ? { id: claim.hold.id, holder: claim.hold.holder } : { holder: { stage: 'creating' } });
      lost.push({ ...m, state: 'refused', code: 'openRequest', reason: wordsIn(catalogue('en'), meaning), said: meaning });
    }
  }
  if (lost.length === 0) return bulk;
  const byId = new Map(lost.map((m) => [m.id, m]));
  return ctx.repo.update(bulk.id, (b) => ({ ...b, members: b.members.map((m) => byId.get(m.id) ?? m) }));
}

/** What the gate reads per member from Graph, in `$batch`es bypassing every cache: as for a single request's target. */
export function memberCheckOptions(ctx: BulkContext, policy: TapPolicy, now: Date): MemberCheckOptions {
  return {
    ...(ctx.config.protectedGroupId ? { protectedGroupId: ctx.config.protectedGroupId } : {}),
    privilegedRoleTemplateIds: ctx.config.privilegedRoleTemplateIds,
    scopeGroupIds: scopeGroupIds(policy),
    withManager: true,
    withSignals: true,
    now,
  };
}

/**
 * The command line writes codes to a file as it runs, so it is run shortly before the passes
 * start, never days ahead: no working code waits in a file (Teams requests wait in the bot).
 */
export function tooEarlyForTheCommandLine(startDateTime: string | undefined, now: Date): FlowError | undefined {
  if (!scheduledIssueAt(startDateTime, now)) return undefined;
  return new FlowError('bulkTooEarly', said('bulkTooEarly', { startsAt: startDateTime ?? '' }));
}
