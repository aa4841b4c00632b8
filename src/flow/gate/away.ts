/**
 * Whether an approver is out of office now, from their automatic replies. Optional by
 * design: without the permission (MailboxSettings.Read), or when the read fails, the answer
 * is "not available" and the request goes to them as it always did; never a refusal.
 */
import type { AutomaticReplies, Signal, TapGraph } from '../../graph/types';
import { sameId } from '../../identity';
import { createLogger } from '../../log';
import type { AwayCheck } from '../types';
import { said } from '../../i18n/said';

const log = createLogger('flow.away');

/** Away at `now`: replies always on, or scheduled and `now` inside the window. A schedule whose times could not be read says nothing. */
export function isAwayAt(replies: AutomaticReplies, now: Date): { away: boolean; until?: string } {
  if (replies.status === 'alwaysEnabled') return { away: true };
  if (replies.status !== 'scheduled' || !replies.scheduledStart || !replies.scheduledEnd) return { away: false };
  const t = now.getTime();
  const away = Date.parse(replies.scheduledStart) <= t && t < Date.parse(replies.scheduledEnd);
  return away ? { away, until: replies.scheduledEnd } : { away };
}

/** The approver's out-of-office now, or why it cannot be known. */
export async function awayCheck(graph: TapGraph, userId: string, now: Date): Promise<AwayCheck> {
  if (!graph.automaticReplies) return { available: false, missing: said('needsPermission', { permission: 'MailboxSettings.Read' }) };
  try {
    const read = await graph.automaticReplies(userId);
    if (!read.available) return read;
    return { available: true, ...isAwayAt(read.value, now) };
  } catch (e) {
    // Throttled or unreachable: the approver is asked as usual; the sweep still escalates on silence.
    log.warn('could not read whether an approver is out of office', { userId, error: e });
    return { available: false, missing: said('graphBusy') };
  }
}

/**
 * `graph`, answering the out-of-office of `answered.userId` with the answer read for this
 * request (in its target's `$batch`), once. The approver rules still decide whom to read
 * (resolveRequestApprover): anyone else, or the same person again, is read as usual.
 */
export function withAwayAnswered<G extends TapGraph>(graph: G, answered: { userId: string; read: () => Promise<Signal<AutomaticReplies>> } | undefined): G {
  const read = graph.automaticReplies?.bind(graph);
  if (!answered || !read) return graph;
  let taken = false;
  const view = Object.create(graph) as G;
  view.automaticReplies = (userId: string) => {
    if (!taken && sameId(userId, answered.userId)) {
      taken = true;
      return answered.read();
    }
    return read(userId);
  };
  return view;
}

