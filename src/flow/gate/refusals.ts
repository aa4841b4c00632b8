/**
 * The sentences a helpdesk agent reads when a request is refused: what the rule is, and
 * what to do instead.
 */
import { FlowError } from '../../errors';
import type { DirectoryUser, TargetFacts } from '../../graph/types';
import { sameId, nameAndUpn } from '../../identity';

const named = (u: DirectoryUser): string => `${nameAndUpn(u)}`;

export function policyDisabled(): FlowError {
  return new FlowError(
    'policyDisabled',
    "Temporary Access Pass is turned off in this tenant's authentication methods policy, so no pass can be issued. " +
      'Ask your identity admin to enable it (Entra admin center > Authentication methods > Temporary Access Pass).',
  );
}

export function targetNotFound(upn: string): FlowError {
  return new FlowError('targetNotFound', `No user ${upn} in the directory: check the spelling.`);
}

export function targetIsGuest(who: string): FlowError {
  return new FlowError(
    'targetIsGuest',
    `${who} is an external guest. Guests sign in with their home organisation, and Entra ID cannot give them a Temporary Access Pass here; their own IT team has to help them.`,
  );
}

/** The first rule the target breaks, in the order the helpdesk finds most useful; undefined when none. */
export function targetRefusal(facts: Omit<TargetFacts, 'existingTaps'>, agentId: string): FlowError | undefined {
  const user = facts.user;
  if (user.userType === 'Guest') return targetIsGuest(named(user));
  if (sameId(user.id, agentId)) {
    return new FlowError('targetIsSelf', 'You cannot request a pass for yourself. Ask another helpdesk agent to handle it, so a second person checks.');
  }
  if (facts.privilegedRoleTemplateIds.length > 0) {
    return new FlowError(
      'targetPrivileged',
      `${named(user)} holds an administrator role; TAPs for privileged accounts are issued by the identity team, not the helpdesk.`,
    );
  }
  if (facts.inProtectedGroup) {
    return new FlowError(
      'targetProtected',
      `${named(user)} is in the protected accounts group; passes for these accounts are issued by the identity team, not the helpdesk.`,
    );
  }
  if (user.accountEnabled === false) {
    return new FlowError(
      'targetDisabled',
      `The account of ${named(user)} is disabled, so a pass would not let them sign in. Ask an admin to re-enable the account first.`,
    );
  }
  return undefined;
}

export function targetOutOfPolicyScope(who: string, why?: string): FlowError {
  return new FlowError(
    'targetOutOfPolicyScope',
    `${who} is not in the scope of this tenant's Temporary Access Pass policy${why ? ` (${why})` : ''}, so Entra ID would refuse the pass. ` +
      'Ask your identity admin to add them (or a group they are in) to the policy\'s targets, or remove them from its exclusions.',
  );
}
