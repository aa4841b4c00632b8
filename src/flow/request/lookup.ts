/**
 * Finding the person a helpdesk agent means. People give the address they know: the
 * sign-in name, their mail, or another mail on file. The target is always the user Graph
 * returns (its id), never the text typed; a near miss gets a "did you mean".
 */
import { FlowError, GraphError } from '../../errors';
import { said } from '../../i18n/said';
import type { InspectTargetOptions, TargetFacts } from '../../graph/types';
import type { FlowContext } from '../context';
import { targetIsGuest } from '../gate/refusals';
import { nameAndUpn } from '../../identity';

const SUGGESTIONS = 3;
/** Shorter prefixes match half the directory: no suggestion is better than a random one. */
const MIN_PREFIX = 3;

/** Reads the caller needs in the same round as the target's facts (the gateway puts them in the same `$batch`). */
export interface AlongsideTarget {
  policy?: boolean;
  /** The agent's profile. */
  userId?: string;
}

function inspectOptions(ctx: FlowContext, also: AlongsideTarget = {}): InspectTargetOptions {
  return {
    // The out-of-office of the manager a recent look-up found, when an away approver is passed over.
    alongside: { ...also, managerAway: ctx.config.approvalWaiting?.escalateWhenAway === true },
    ...(ctx.config.protectedGroupId ? { protectedGroupId: ctx.config.protectedGroupId } : {}),
    privilegedRoleTemplateIds: ctx.config.privilegedRoleTemplateIds,
    // The evidence a manager needs rides in the same round trip as the checks.
    withSignals: true,
    now: ctx.clock(),
  };
}

/** Everything the checks need about the person at `typed` (UPN, mail or other mail). */
export async function findTarget(ctx: FlowContext, typed: string, also: AlongsideTarget = {}): Promise<TargetFacts> {
  try {
    return await ctx.graph.inspectTarget(typed, inspectOptions(ctx, also));
  } catch (e) {
    if (e instanceof GraphError && e.code === 'guest') throw targetIsGuest(typed);
    if (!(e instanceof GraphError && e.code === 'notFound')) throw e;
  }
  // Not a sign-in name: maybe the address they know is a mail.
  const byAddress = await ctx.graph.findUsersByAddress(typed);
  if (byAddress.length === 1) return ctx.graph.inspectTarget(byAddress[0]!.id, inspectOptions(ctx));
  if (byAddress.length > 1) {
    throw new FlowError('targetNotFound', said('mailOfSeveral', { who: typed, names: byAddress.map((u) => nameAndUpn(u)) }));
  }
  throw await notFoundWithSuggestions(ctx, typed);
}

async function notFoundWithSuggestions(ctx: FlowContext, typed: string): Promise<FlowError> {
  const suggestions = await suggestionsFor(ctx, typed.split('@')[0] ?? '');
  return new FlowError('targetNotFound', said('targetNotFound', { who: typed, ...(suggestions.length > 0 ? { suggestions } : {}) }));
}

/** "Did you mean": people whose name or sign-in name starts like `words` (a name, or the part before @). */
export async function suggestionsFor(ctx: FlowContext, words: string): Promise<string[]> {
  const start = words.trim().split(/\s+/)[0] ?? '';
  if (start.length < MIN_PREFIX) return [];
  try {
    return (await ctx.graph.suggestUsers(start.slice(0, MIN_PREFIX), SUGGESTIONS)).map((u) => nameAndUpn(u));
  } catch {
    // A suggestion is a courtesy: without it the refusal still says what to check.
    return [];
  }
}
