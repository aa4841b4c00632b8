/**
 * Look before asking: `tap <address>` first shows the agent who that is (name, job,
 * department, manager, who would be asked) or why no pass can be had, before they write a
 * reason. The same reads and rules as a request; nothing is stored and nobody is asked.
 */
import { FlowError } from '../../errors';
import type { DirectoryUser } from '../../graph/types';
import { agentManagesTarget, chooseApprover, toPerson } from '../gate/approver';
import { judgeRisk } from '../gate/assurance';
import type { FlowContext } from '../context';
import { findTarget } from './lookup';
import { inPolicyScope, scopeGroupIds } from '../gate/policyScope';
import { policyDisabled, targetOutOfPolicyScope, targetRefusal } from '../gate/refusals';
import type { Actor, Person } from '../types';
import { normaliseUpn } from './validation';
import { failureOf, InvalidInputError } from '../errors';
import { catalogue } from '../../i18n';
import { said, wordsIn, type StoredReason } from '../../i18n/said';
import { nameAndUpn } from '../../identity';

export interface TargetPreview {
  typed: string;
  /** Undefined when nobody was found. */
  person?: Person & { mail?: string | null };
  manager?: Person | null;
  /** Who would be asked to approve, in words ("Nestor Wilke, their manager"), in English. */
  approverNote?: string;
  /** The same as its meaning, for a reader of another language (`reasonIn`, src/i18n/said.ts). */
  approverNoteSaid?: StoredReason;
  /** Elevated risk that a second approver will weigh (four eyes), in English and as its meaning. */
  secondApprovalNote?: string;
  secondApprovalNoteSaid?: StoredReason;
  replacesExistingTap?: boolean;
  /** Set when no pass can be had: the same sentence a request would get (`message` in English, `said` its meaning). */
  refusal?: { code: string; message: string; said?: StoredReason };
}

export async function previewTarget(ctx: FlowContext, actor: Actor, typed: string): Promise<TargetPreview> {
  const parsed = normaliseUpn(typed);
  if ('problem' in parsed) throw new InvalidInputError([{ field: 'target', said: parsed.problem }]);
  const [policy, found] = await Promise.allSettled([ctx.graph.getTapPolicy(), findTarget(ctx, parsed.upn)]);
  if (found.status === 'rejected') {
    if (found.reason instanceof FlowError) return { typed: parsed.upn, refusal: failureOf(found.reason) };
    throw found.reason;
  }
  const facts = found.value;
  // Who decides, and whether a second approver must too: the same rules as the request.
  const [note, judged] = await Promise.all([approverNote(ctx, actor.aadObjectId, facts.user, facts.manager), judgeRisk(ctx, facts.user, facts.signals, ctx.clock())]);
  const second = judged.risk.level === 'normal' || judged.refusal ? undefined : said('previewSecondApproval', { reasons: judged.risk.said ?? judged.risk.reasons });
  const base: TargetPreview = {
    typed: parsed.upn,
    person: { ...toPerson(facts.user), mail: facts.user.mail ?? null },
    manager: facts.manager ? toPerson(facts.manager) : null,
    approverNote: wordsIn(catalogue('en'), note),
    approverNoteSaid: note,
    ...(second ? { secondApprovalNote: wordsIn(catalogue('en'), second), secondApprovalNoteSaid: second } : {}),
    replacesExistingTap: facts.existingTaps.length > 0,
  };
  if (policy.status === 'rejected') throw policy.reason;
  const refusal =
    (policy.value.state !== 'enabled' ? policyDisabled() : undefined) ??
    targetRefusal(facts, actor.aadObjectId) ??
    (await scopeRefusal(ctx, facts.user, policy.value)) ??
    judged.refusal;
  return refusal ? { ...base, refusal: failureOf(refusal) } : base;
}

async function scopeRefusal(ctx: FlowContext, user: DirectoryUser, policy: Parameters<typeof scopeGroupIds>[0]): Promise<FlowError | undefined> {
  const groups = scopeGroupIds(policy);
  const memberOf = groups.length > 0 ? await ctx.graph.memberGroups(user.id, groups) : [];
  return inPolicyScope(policy, user.id, memberOf) ? undefined : targetOutOfPolicyScope(`${nameAndUpn(user)}`);
}

/** Who the rules pick (chooseApprover, the one rule), named: the skip-level manager too. */
async function approverNote(ctx: FlowContext, agentId: string, target: DirectoryUser, manager: DirectoryUser | null): Promise<StoredReason> {
  const agentManager = agentManagesTarget(agentId, manager) ? await ctx.graph.getManager(agentId) : null;
  const choice = chooseApprover({ agentId, target, manager, agentManager });
  if (choice.kind === 'manager') return said('previewManagerAsked', { manager: choice.user.displayName });
  if (choice.kind === 'skipLevelManager') return said('previewSkipLevelAsked', { manager: choice.user.displayName });
  return said('previewFallbackAsked');
}
