/**
 * Stop means stopped. Entra ID keeps one pass per user, so a later pass (a second request,
 * a bulk run) silently replaces an earlier one. What a person is told about a pass must
 * be true of the pass the user holds now:
 * - when a pass is made, the earlier passes it replaced are marked replaced (their codes
 *   leave the cards: they no longer work);
 * - a stop (revoke, report, "This wasn't me") reads the user's passes, deletes this request's
 *   pass if it is still there, or any later pass the bot made that replaced it, and says
 *   exactly which (or that nothing was live).
 */
import type { Person, StoppedPasses, TapRequest } from '../types';
import { flowLog as log, requestFields, type FlowContext } from '../context';
import { reasonOf, RequestClosedError } from '../errors';
import { catalogue, type Catalogue } from '../../i18n';
import { said, type Words } from '../../i18n/said';

/** The bot's passes for a person, newest first: the requests whose pass was made. */
async function passesMadeFor(ctx: FlowContext, targetId: string): Promise<Array<TapRequest & { issued: NonNullable<TapRequest['issued']> }>> {
  const requests = await ctx.repo.getMany(await ctx.repo.indexes.recentByTarget(targetId));
  return requests
    .filter((r): r is TapRequest & { issued: NonNullable<TapRequest['issued']> } => r.issued !== undefined)
    .sort((a, b) => b.issued.issuedAt.localeCompare(a.issued.issuedAt));
}

/**
 * A new pass for `targetId` was made by `byRequestId`: earlier passes of the bot's for them
 * that still looked live are marked replaced, and their codes leave the cards.
 */
export async function markReplaced(ctx: FlowContext, targetId: string, byRequestId: string, at: Date): Promise<void> {
  const earlier = (await passesMadeFor(ctx, targetId)).filter(
    (r) => r.id !== byRequestId && r.state === 'Issued' && !r.revocation && !r.replacedBy && Date.parse(r.issued.expiresDateTime) > at.getTime(),
  );
  for (const r of earlier) {
    let codeWasShown = false;
    let replaced: TapRequest;
    try {
      replaced = await ctx.repo.transition(r.id, 'Issued', (x) => {
        if (x.replacedBy || x.revocation) return x;
        codeWasShown = x.delivery !== undefined && !x.delivery.codeHiddenAt;
        return {
          ...x,
          replacedBy: { requestId: byRequestId, at: at.toISOString() },
          ...(x.delivery ? { delivery: { ...x.delivery, codeHiddenAt: x.delivery.codeHiddenAt ?? at.toISOString() } } : {}),
        };
      });
    } catch (e) {
      if (e instanceof RequestClosedError) continue;
      log.warn('could not mark a replaced pass', { requestId: r.id, error: e });
      continue;
    }
    if (!replaced.replacedBy || replaced.replacedBy.requestId !== byRequestId) continue;
    if (codeWasShown) await ctx.notifier.hidePass(replaced).catch((e: unknown) => log.warn('could not hide the code of a replaced pass', { requestId: r.id, error: e }));
    await ctx.repo.indexes.removeVisiblePass(r.id).catch(() => undefined);
    await ctx.audit({ action: 'tap.replaced', actorId: 'system', ...requestFields(replaced), outcome: 'ok', details: { replacedBy: byRequestId, methodId: r.issued.methodId } });
    await ctx.notifyUpdated(replaced);
  }
}

/**
 * Deletes the pass the user holds now that this request is answerable for: its own, or a
 * later pass the bot made that replaced it. Later requests whose pass was deleted are marked
 * revoked too. Throws when Graph cannot list or delete (nothing is claimed then).
 */
export async function stopLivePass(ctx: FlowContext, request: TapRequest & { issued: NonNullable<TapRequest['issued']> }, by: Person, reason: Words | undefined): Promise<StoppedPasses> {
  const live = await ctx.graph.listTaps(request.target.id);
  const liveIds = new Set(live.map((t) => t.id.toLowerCase()));
  if (liveIds.has(request.issued.methodId.toLowerCase())) {
    await ctx.graph.deleteTap(request.target.id, request.issued.methodId);
    return { deleted: [request.id], nothingLive: false };
  }
  const made = await passesMadeFor(ctx, request.target.id);
  const later = made.filter((r) => r.id !== request.id && r.issued.issuedAt >= request.issued.issuedAt && liveIds.has(r.issued.methodId.toLowerCase()));
  // A live pass the bot never made (the admin center, a script) is not the bot's to delete: it is named instead.
  const ours = new Set(made.map((r) => r.issued.methodId.toLowerCase()));
  const otherLive = live.filter((t) => !ours.has(t.id.toLowerCase())).length;
  const deleted: string[] = [];
  for (const r of later) {
    await ctx.graph.deleteTap(r.target.id, r.issued.methodId);
    deleted.push(r.id);
    const at = ctx.clock().toISOString();
    try {
      const stopped = await ctx.repo.transition(r.id, 'Issued', (x) =>
        x.revocation
          ? x
          : {
              ...x,
              revocation: { by, at, ...reasonOf(said('stoppedWith', { id: request.id, ...(reason !== undefined ? { why: reason } : {}) })), stopped: { deleted: [r.id], nothingLive: false } },
              ...(x.delivery ? { delivery: { ...x.delivery, codeHiddenAt: x.delivery.codeHiddenAt ?? at } } : {}),
            },
      );
      await ctx.repo.indexes.removeVisiblePass(r.id).catch(() => undefined);
      await ctx.audit({ action: 'tap.revoked', actorId: by.id, actorName: by.displayName, ...requestFields(stopped), outcome: 'ok', details: { methodId: r.issued.methodId, stoppedWith: request.id } });
      await ctx.notifier.hidePass(stopped).catch(() => undefined);
      await ctx.notifyUpdated(stopped);
    } catch (e) {
      log.warn('a later pass was deleted but its request could not be marked', { requestId: r.id, error: e });
    }
  }
  return { deleted, nothingLive: deleted.length === 0, ...(otherLive > 0 ? { otherLive } : {}) };
}

/** What a stop did, in one sentence for every card and message ("what the bot says is true"), in the reader's language. */
export function stopSentence(request: Pick<TapRequest, 'id' | 'target' | 'revocation' | 'replacedBy'>, say: Catalogue = catalogue('en')): string {
  const stopped = request.revocation?.stopped;
  const who = request.target.displayName;
  if (!stopped || stopped.deleted.includes(request.id)) return say.reasons.stopDeleted();
  const otherLive = (stopped.otherLive ?? 0) > 0;
  if (stopped.deleted.length > 0) return say.reasons.stopReplacedDeleted({ who, deleted: stopped.deleted, otherLive });
  return say.reasons.stopNothingLive({ who, otherLive });
}
