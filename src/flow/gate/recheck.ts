/**
 * Decide twice. Every rule the request was checked against when it was made is checked
 * again at approval, on fresh Graph reads (ApprovalFacts, one `$batch`), before a pass is
 * created: a 30-minute-old snapshot is not a decision. The first thing that changed is
 * named with its before and after values, and says what to do.
 */
import { FlowError } from '../../errors';
import { catalogue } from '../../i18n';
import { said, wordsIn, type StoredReason } from '../../i18n/said';
import type { ApprovalFacts, DirectoryUser } from '../../graph/types';
import { chooseApprover } from './approver';
import { movedAwayFrom } from './decisionRights';
import { sameId, includesId, nameAndUpn } from '../../identity';
import { inPolicyScope } from './policyScope';
import { policyDisabled, targetOutOfPolicyScope, targetRefusal } from './refusals';
import { assertWithinPolicy } from '../request/settings';
import type { FlowConfig, Person, TapRequest } from '../types';

export interface ApprovalChange {
  /** What changed, e.g. `managerChanged`, `requesterNotAgent`, `targetPrivileged`. */
  code: string;
  /** For the agent and the approver: what changed, that nothing was created, what to do (English). */
  message: string;
  /** The same as its meaning, kept on the failed record for a reader of another language. */
  said: StoredReason;
  before: string;
  after: string;
}

/** A change's sentence: its meaning, and the English of it. */
const saying = (meaning: StoredReason): { message: string; said: StoredReason } => ({ message: wordsIn(catalogue('en'), meaning), said: meaning });
const label = (p: Pick<Person, 'displayName' | 'userPrincipalName'>): string => `${nameAndUpn(p)}`;
const idLabel = (p: Pick<Person, 'displayName' | 'id'>): string => `${p.displayName} [${p.id}]`;

/**
 * The first change that stops the pass; undefined when everything still holds.
 * `scopeMemberOf` lists the policy-scope groups the target is in now (fresh).
 */
export function changeSinceRequest(
  request: TapRequest,
  approverId: string,
  facts: ApprovalFacts,
  config: FlowConfig,
  scopeMemberOf: readonly string[],
): ApprovalChange | undefined {
  return (
    requesterChange(request, facts) ??
    targetChange(request, approverId, facts) ??
    policyChange(request, facts, scopeMemberOf) ??
    approverChange(request, approverId, facts, config) ??
    secondApproverChange(request, facts)
  );
}

/** Four eyes: the second approver must still be in the second approver group, and not a party. */
function secondApproverChange(request: TapRequest, facts: ApprovalFacts): ApprovalChange | undefined {
  const second = request.secondDecision?.by;
  if (!request.secondApprover || !second) return undefined;
  const isParty = sameId(second.id, request.requester.id) || sameId(second.id, request.target.id);
  if (facts.secondApproverInGroup === true && !isParty) return undefined;
  return {
    code: 'secondApproverNotInGroup',
    ...saying(said('secondApproverLeftGroup', second.displayName ? { who: second.displayName } : {})),
    before: 'second approver group member',
    after: 'not a member',
  };
}

function requesterChange(request: TapRequest, facts: ApprovalFacts): ApprovalChange | undefined {
  const who = { requester: request.requester.displayName, target: request.target.displayName };
  if (!facts.requesterIsAgent) {
    return {
      code: 'requesterNotAgent',
      ...saying(said('requesterNotAgent', who)),
      before: 'helpdesk group member',
      after: 'not a helpdesk group member',
    };
  }
  if (facts.requester.accountEnabled === false) {
    return {
      code: 'requesterDisabled',
      ...saying(said('requesterDisabled', who)),
      before: 'account enabled',
      after: 'account disabled',
    };
  }
  return undefined;
}

function targetChange(request: TapRequest, approverId: string, facts: ApprovalFacts): ApprovalChange | undefined {
  const target = facts.target;
  if (!target || !sameId(target.user.id, request.target.id)) {
    return {
      code: 'targetNotFound',
      ...saying(said('targetGone', { who: label(request.target) })),
      before: idLabel(request.target),
      after: 'not in the directory',
    };
  }
  const refusal = targetRefusal(target, request.requester.id);
  if (refusal) {
    return {
      code: refusal.code,
      ...saying(said('changedAfterRequest', { why: refusal.said ?? refusal.userMessage, nothingCreated: true })),
      before: 'eligible',
      after: describeTarget(target.user, target.privilegedRoleTemplateIds, target.inProtectedGroup),
    };
  }
  if (sameId(target.user.id, approverId)) {
    return {
      code: 'approverIsTarget',
      ...saying(said('approverIsTarget')),
      before: 'approver is not the target',
      after: 'approver is the target',
    };
  }
  return undefined;
}

function describeTarget(user: DirectoryUser, roles: string[], inProtectedGroup: boolean): string {
  const facts = [
    `userType ${user.userType}`,
    `accountEnabled ${String(user.accountEnabled ?? 'unknown')}`,
    ...(roles.length > 0 ? [`roles ${roles.join(',')}`] : []),
    ...(inProtectedGroup ? ['in protected group'] : []),
  ];
  return facts.join('; ');
}

function policyChange(request: TapRequest, facts: ApprovalFacts, scopeMemberOf: readonly string[]): ApprovalChange | undefined {
  const policy = facts.policy;
  if (policy.state !== 'enabled') {
    const off = policyDisabled();
    return { code: 'policyDisabled', ...saying(said('changedAfterRequest', { why: off.said ?? off.userMessage, nothingCreated: false })), before: 'enabled', after: 'disabled' };
  }
  try {
    assertWithinPolicy(request.settings.lifetimeInMinutes, policy);
  } catch (e) {
    if (!(e instanceof FlowError)) throw e;
    return {
      code: 'lifetimeOutOfBounds',
      ...saying(said('policyLifetimeChanged', { why: e.said ?? e.userMessage })),
      before: `${request.settings.lifetimeInMinutes} minutes`,
      after: `policy ${policy.minimumLifetimeInMinutes}–${policy.maximumLifetimeInMinutes} minutes`,
    };
  }
  if (!inPolicyScope(policy, request.target.id, scopeMemberOf)) {
    const outOfScope = targetOutOfPolicyScope(label(request.target));
    return {
      code: 'targetOutOfPolicyScope',
      ...saying(said('changedAfterRequest', { why: outOfScope.said ?? outOfScope.userMessage, nothingCreated: true })),
      before: 'in policy scope',
      after: 'out of policy scope',
    };
  }
  return undefined;
}

function approverChange(request: TapRequest, approverId: string, facts: ApprovalFacts, config: FlowConfig): ApprovalChange | undefined {
  const target = facts.target;
  if (!target) return undefined;
  const choice = chooseApprover({ agentId: request.requester.id, target: target.user, manager: target.manager, agentManager: facts.requesterManager });
  const targetName = request.target.displayName;
  const was = request.approver.people.map((p) => p.displayName);
  const wasIds = request.approver.people.map(idLabel).join(', ');

  if (choice.kind !== 'fallbackGroup') {
    if (sameId(choice.user.id, approverId)) return undefined;
    if (movedAwayFrom(request, choice.user.id)) {
      // The rules' approver was passed over (out of office, or silent): the one it moved to decides, while still allowed to.
      if (request.approver.kind !== 'fallbackGroup' || facts.approverInFallbackGroup) return undefined;
      return {
        code: 'approverNotInGroup',
        ...saying(said('approverLeftFallback', {})),
        before: 'fallback approver group member',
        after: 'not a member',
      };
    }
    const who = choice.user.displayName;
    return {
      code: 'approverChanged',
      ...saying(
        request.approver.kind === 'fallbackGroup'
          ? said('managerNowDecides', { target: targetName, manager: who })
          : said('approverChanged', { target: targetName, skipLevel: choice.kind !== 'manager', was, now: who }),
      ),
      before: wasIds,
      after: idLabel(choice.user),
    };
  }
  // The fallback approver group decides now.
  if (!config.fallbackApproverGroupId) {
    return {
      code: 'approverChanged',
      ...saying(said('noManagerNoFallback', { target: targetName, was })),
      before: wasIds,
      after: 'no approver',
    };
  }
  if (request.approver.kind !== 'fallbackGroup') {
    return {
      code: 'approverChanged',
      ...saying(said('fallbackNowDecides', { target: targetName, was })),
      before: wasIds,
      after: 'fallback approver group',
    };
  }
  const isParty = sameId(approverId, request.requester.id) || sameId(approverId, request.target.id);
  if (!facts.approverInFallbackGroup || isParty || !includesId(request.approver.ids, approverId)) {
    const name = request.approver.people.find((p) => sameId(p.id, approverId))?.displayName;
    return {
      code: 'approverNotInGroup',
      ...saying(said('approverLeftFallback', name ? { who: name } : {})),
      before: 'fallback approver group member',
      after: 'not a member',
    };
  }
  return undefined;
}
