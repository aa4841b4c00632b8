/**
 * The one rule for a pass whose code nobody has (a create whose answer was lost, a crash
 * between Graph's answer and delivery): a code can never be read back, so such a pass is
 * deleted, never left working. Single requests, their crash recovery and bulk runs all use it.
 */
import type { TapGraph } from '../../graph/types';

/** Graph stamps createdDateTime with its own clock: how far ours may be off. */
export const GRAPH_CLOCK_SKEW_IN_MS = 30_000;

/**
 * Deletes the user's passes that are ours and unseen: exactly `methodId` when the create's
 * answer was stored, else every pass made at or after `since` (epoch ms). Returns how many
 * were deleted (0: none exists). Throws when Graph cannot list or delete them.
 */
export async function deleteUnseenPasses(graph: Pick<TapGraph, 'listTaps' | 'deleteTap'>, userId: string, which: { methodId: string } | { since: number }): Promise<number> {
  const taps = await graph.listTaps(userId);
  const ours = taps.filter((t) => ('methodId' in which ? t.id === which.methodId : Date.parse(t.createdDateTime) >= which.since));
  for (const t of ours) await graph.deleteTap(userId, t.id);
  return ours.length;
}
