/**
 * Decide twice. Every rule the request was checked against when it was made is checked
 * again at approval, on fresh Graph reads (ApprovalFacts, one `$batch`), before a pass is
 * created: a 30-minute-old snapshot is not a decision. The first thing that changed is
 * named with its before and after values, and says what to do.
 */
import { FlowError } from '../../errors';
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
  /** For the agent and the approver: what changed, that nothing was created, what to do. */
  message: string;
  before: string;
  after: string;
}

const NOTHING_CREATED = 'No pass was created.';
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
    message: `${second.displayName || 'The second approver'} is no longer in the second approver group, so their approval no longer counts. ${NOTHING_CREATED} Ask again so two people can decide.`,
    before: 'second approver group member',
    after: 'not a member',
  };
}

function requesterChange(request: TapRequest, facts: ApprovalFacts): ApprovalChange | undefined {
  const name = request.requester.displayName;
  const askAgain = `If ${request.target.displayName} still needs a pass, another helpdesk agent has to ask again.`;
  if (!facts.requesterIsAgent) {
    return {
      code: 'requesterNotAgent',
      message: `${name}, who asked for this pass, is no longer in the helpdesk group. ${NOTHING_CREATED} ${askAgain}`,
      before: 'helpdesk group member',
      after: 'not a helpdesk group member',
    };
  }
  if (facts.requester.accountEnabled === false) {
    return {
      code: 'requesterDisabled',
      message: `The account of ${name}, who asked for this pass, was disabled after the request. ${NOTHING_CREATED} ${askAgain}`,
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
      message: `${label(request.target)} no longer exists in the directory. ${NOTHING_CREATED}`,
      before: idLabel(request.target),
      after: 'not in the directory',
    };
  }
  const refusal = targetRefusal(target, request.requester.id);
  if (refusal) {
    return {
      code: refusal.code,
      message: `This changed after the request: ${refusal.userMessage} ${NOTHING_CREATED}`,
      before: 'eligible',
      after: describeTarget(target.user, target.privilegedRoleTemplateIds, target.inProtectedGroup),
    };
  }
  if (sameId(target.user.id, approverId)) {
    return {
      code: 'approverIsTarget',
      message: `Nobody can approve a pass for themselves. ${NOTHING_CREATED}`,
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
    return { code: 'policyDisabled', message: `This changed after the request: ${policyDisabled().userMessage}`, before: 'enabled', after: 'disabled' };
  }
  try {
    assertWithinPolicy(request.settings.lifetimeInMinutes, policy);
  } catch (e) {
    if (!(e instanceof FlowError)) throw e;
    return {
      code: 'lifetimeOutOfBounds',
      message: `The tenant's pass policy changed after the request. ${e.userMessage} ${NOTHING_CREATED}`,
      before: `${request.settings.lifetimeInMinutes} minutes`,
      after: `policy ${policy.minimumLifetimeInMinutes}–${policy.maximumLifetimeInMinutes} minutes`,
    };
  }
  if (!inPolicyScope(policy, request.target.id, scopeMemberOf)) {
    return {
      code: 'targetOutOfPolicyScope',
      message: `This changed after the request: ${targetOutOfPolicyScope(label(request.target)).userMessage} ${NOTHING_CREATED}`,
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
  const whose = `${request.target.displayName}'s`;
  const was = request.approver.people.map((p) => p.displayName).join(', ') || 'the approver';
  const wasIds = request.approver.people.map(idLabel).join(', ');

  if (choice.kind !== 'fallbackGroup') {
    if (sameId(choice.user.id, approverId)) return undefined;
    if (movedAwayFrom(request, choice.user.id)) {
      // The rules' approver was passed over (out of office, or silent): the one it moved to decides, while still allowed to.
      if (request.approver.kind !== 'fallbackGroup' || facts.approverInFallbackGroup) return undefined;
      return {
        code: 'approverNotInGroup',
        message: `The person who approved is no longer in the fallback approver group, so the approval no longer counts. ${NOTHING_CREATED} Ask again so a current member can decide.`,
        before: 'fallback approver group member',
        after: 'not a member',
      };
    }
    const who = choice.user.displayName;
    const what = choice.kind === 'manager' ? `${whose} manager` : `The approver for ${request.target.displayName} (the skip-level manager)`;
    return {
      code: 'approverChanged',
      message:
        request.approver.kind === 'fallbackGroup'
          ? `${request.target.displayName} now has a manager, ${who}, who decides for them, so an approval from the fallback approvers no longer counts. ${NOTHING_CREATED} Ask again so ${who} can decide.`
          : `${what} changed from ${was} to ${who} after the request. ${NOTHING_CREATED} Ask again so ${who} can decide.`,
      before: wasIds,
      after: idLabel(choice.user),
    };
  }
  // The fallback approver group decides now.
  if (!config.fallbackApproverGroupId) {
    return {
      code: 'approverChanged',
      message: `${request.target.displayName} no longer has a manager who can decide (it was ${was}), and no fallback approver group is configured. ${NOTHING_CREATED} Ask your IT admin to set their manager in Entra ID.`,
      before: wasIds,
      after: 'no approver',
    };
  }
  if (request.approver.kind !== 'fallbackGroup') {
    return {
      code: 'approverChanged',
      message: `${request.target.displayName} no longer has a manager who can decide (it was ${was}), so the fallback approver group decides now. ${NOTHING_CREATED} Ask again so one of them can decide.`,
      before: wasIds,
      after: 'fallback approver group',
    };
  }
  const isParty = sameId(approverId, request.requester.id) || sameId(approverId, request.target.id);
  if (!facts.approverInFallbackGroup || isParty || !includesId(request.approver.ids, approverId)) {
    const name = request.approver.people.find((p) => sameId(p.id, approverId))?.displayName ?? 'The person who approved';
    return {
      code: 'approverNotInGroup',
      message: `${name} is no longer in the fallback approver group, so the approval no longer counts. ${NOTHING_CREATED} Ask again so a current member can decide.`,
      before: 'fallback approver group member',
      after: 'not a member',
    };
  }
  return undefined;
}
