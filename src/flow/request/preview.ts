/**
 * Look before asking: `tap <address>` first shows the agent who that is (name, job,
 * department, manager, who would be asked) or why no pass can be had, before they write a
 * reason. The same reads and rules as a request; nothing is stored and nobody is asked.
 */
import { FlowError } from '../../errors';
import type { DirectoryUser } from '../../graph/types';
import { resolveRequestApprover, toPerson } from '../gate/approver';
import { assure } from '../gate/assurance';
import type { FlowContext } from '../context';
import { findTarget, suggestionsFor } from './lookup';
import { inPolicyScope, scopeGroupIds } from '../gate/policyScope';
import { policyDisabled, targetOutOfPolicyScope, targetRefusal } from '../gate/refusals';
import type { Actor, ApproverAssignment, Person } from '../types';
import { normaliseUpn } from './validation';
import { failureOf, InvalidInputError } from '../errors';
import { catalogue } from '../../i18n';
import { said, wordsIn, type StoredReason } from '../../i18n/said';

/**
 * How old a policy read may be for what is only shown (the look-up, the form): the look-up
 * and the form it brings read it within the same second. The request reads it fresh.
 */
export const SHOWN_POLICY_MAX_AGE_IN_MS = 30_000;
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
  if ('problem' in parsed) {
    // "tap megan", "tap Megan Bowen": a name, not a sign-in name; say so, with whom it may mean.
    const suggestions = /^[\p{L}\p{N}'._ -]{3,64}$/u.test(typed.trim()) && !typed.includes('@') ? await suggestionsFor(ctx, typed) : [];
    if (suggestions.length > 0) return { typed: typed.trim(), refusal: failureOf(new FlowError('targetNotFound', said('notASignInName', { typed: typed.trim(), suggestions }))) };
    throw new InvalidInputError([{ field: 'target', said: parsed.problem }]);
  }
  // As the request does: the policy (and a recently found manager's out-of-office) in the same `$batch` as the facts.
  const found = await Promise.allSettled([findTarget(ctx, parsed.upn, { policy: true })]).then(([f]) => f);
  const carried = found.status === 'fulfilled' ? found.value.alongside?.policy?.() : undefined;
  const [policy] = await Promise.allSettled([ctx.graph.getTapPolicy({ maxAgeInMs: SHOWN_POLICY_MAX_AGE_IN_MS, ...(carried ? { read: carried } : {}) })]);
  if (found.status === 'rejected') {
    if (found.reason instanceof FlowError) return { typed: parsed.upn, refusal: failureOf(found.reason) };
    throw found.reason;
  }
  const facts = found.value;
  const base: TargetPreview = {
    typed: parsed.upn,
    person: { ...toPerson(facts.user), mail: facts.user.mail ?? null },
    manager: facts.manager ? toPerson(facts.manager) : null,
    replacesExistingTap: facts.existingTaps.length > 0,
  };
  if (policy.status === 'rejected') throw policy.reason;
  const refusal =
    (policy.value.state !== 'enabled' ? policyDisabled() : undefined) ??
    targetRefusal(facts, actor.aadObjectId) ??
    (await scopeRefusal(ctx, facts.user, policy.value));
  if (refusal) return { ...base, refusal: failureOf(refusal) };

  // Who decides, and whether a second approver must too: the request's own rules
  // (resolveRequestApprover, assure), so the look-up never promises what the request refuses.
  const now = ctx.clock();
  try {
    const approver = await resolveRequestApprover(ctx, actor.aadObjectId, facts, now);
    const { risk, secondApprover } = await assure(ctx, actor.aadObjectId, facts.user, facts.signals, approver, now);
    const note = approverNote(approver);
    const second = secondApprover ? said('previewSecondApproval', { reasons: risk.said ?? risk.reasons }) : undefined;
    return {
      ...base,
      approverNote: wordsIn(catalogue('en'), note),
      approverNoteSaid: note,
      ...(second ? { secondApprovalNote: wordsIn(catalogue('en'), second), secondApprovalNoteSaid: second } : {}),
    };
  } catch (e) {
    if (e instanceof FlowError) return { ...base, refusal: failureOf(e) };
    throw e;
  }
}

async function scopeRefusal(ctx: FlowContext, user: DirectoryUser, policy: Parameters<typeof scopeGroupIds>[0]): Promise<FlowError | undefined> {
  const groups = scopeGroupIds(policy);
  const memberOf = groups.length > 0 ? await ctx.graph.memberGroups(user.id, groups) : [];
  return inPolicyScope(policy, user.id, memberOf) ? undefined : targetOutOfPolicyScope(`${nameAndUpn(user)}`);
}

/** Who the rules picked, in words: the manager, the skip-level manager, the fallback group, or whoever has it because the first is away. */
function approverNote(approver: ApproverAssignment): StoredReason {
  const away = (approver.movedFrom ?? []).filter((m) => m.because === 'away');
  const names = approver.people.map((p) => p.displayName).join(', ');
  if (away.length > 0) {
    const from = away.map((m) => m.from.people.map((p) => p.displayName).join(', ')).join(', ');
    return said('previewAwayAsked', approver.kind === 'fallbackGroup' ? { away: from } : { away: from, to: names });
  }
  if (approver.kind === 'manager') return said('previewManagerAsked', { manager: names });
  if (approver.kind === 'skipLevelManager') return said('previewSkipLevelAsked', { manager: names });
  return said('previewFallbackAsked');
}
