/**
 * The codes of one wave reach their readers: one result page per recipient, page numbers
 * allocated in storage, each member's record Issued before the member counts as issued. A
 * page that cannot be delivered has its passes deleted: no code works unseen.
 */
import type { IssuedTap } from '../../graph/types';
import { flowLog as log } from '../context';
import { said } from '../../i18n/said';
import { reasonOf, sentence } from '../errors';
import { patchMembers, queueMemberAudits } from './bookkeeping';
import type { BulkContext } from './context';
import { recordDelivered, recordLost } from './memberRecords';
import { settleAmbiguous } from './settle';
import type { BulkMember, BulkPage, BulkPass, BulkRequest } from './types';

/** The codes of one wave, one page per recipient, then the members are "issued". */
export async function deliver(ctx: BulkContext, bulk: BulkRequest, created: Array<{ member: BulkMember; tap: IssuedTap }>): Promise<BulkRequest> {
  const byRecipient = new Map<string, Array<{ member: BulkMember; tap: IssuedTap }>>();
  for (const c of created) {
    const to = bulk.deliverTo === 'manager' && c.member.managerId ? c.member.managerId : bulk.requester.id;
    byRecipient.set(to, [...(byRecipient.get(to) ?? []), c]);
  }
  let current = bulk;
  // Stopped (cancelled, revoked, failed) while this wave's creates were out: its codes are never
  // shown. The passes are deleted, so "nothing more will be made" stays true.
  const stored = await ctx.repo.head(bulk.id);
  if (!stored || stored.state !== 'Issuing') {
    const why = said('memberStoppedWhileCreating');
    const lost = await Promise.all(created.map(({ member }) => settleAmbiguous(ctx, member, 'created')));
    await Promise.all(lost.map((m) => recordLost(ctx, m, why, m.code ?? 'stopped')));
    current = await patchMembers(ctx, bulk.id, lost.map((m) => (m.code === 'codeLost' ? { ...m, code: 'stopped', ...reasonOf(why) } : m)));
    queueMemberAudits(ctx, current, lost);
    return current;
  }
  for (const [recipientId, items] of byRecipient) {
    const passes: BulkPass[] = items.map(({ member, tap }) => ({
      member,
      temporaryAccessPass: tap.temporaryAccessPass,
      startDateTime: member.startDateTime as string,
      expiresDateTime: member.expiresDateTime as string,
    }));
    // Page numbers are allocated in storage: two waves never share one.
    current = await ctx.repo.updateHead(bulk.id, (b) => ({
      ...b,
      pages: [
        ...b.pages,
        {
          n: Math.max(0, ...b.pages.map((p) => p.n)) + 1,
          recipientId,
          memberIds: items.map((i) => i.member.id),
          deliveredAt: '',
          expiresDateTime: passes.map((p) => p.expiresDateTime).sort().at(-1) as string,
        },
      ],
    }));
    const page = [...current.pages].reverse().find((p) => p.recipientId === recipientId && p.deliveredAt === '' && p.memberIds[0] === items[0]?.member.id) as BulkPage;
    let delivered = true;
    try {
      await ctx.notifier.deliverBulkPage(current, page, passes);
    } catch (e) {
      delivered = false;
      log.error('bulk page could not be delivered', { requestId: bulk.id, page: page.n, error: e });
    }
    const at = ctx.clock().toISOString();
    if (delivered) {
      // The records first: a member is "issued" in the bulk request only once their pass's record is.
      const recorded = await Promise.all(items.map(({ member }) => recordDelivered(ctx, bulk, member, recipientId)));
      const issuedIds = new Set(items.filter((_, i) => recorded[i]).map((i) => i.member.id));
      // The page and its members in one step: the head and their chunks (one commit on SQLite; on blobs the head first).
      const handed = await ctx.repo.change(bulk.id, {
        head: (b) => ({ ...b, pages: b.pages.map((p) => (p.n === page.n ? { ...p, deliveredAt: at } : p)) }),
        ids: issuedIds,
        member: (m) => (m.state === 'created' ? { ...m, state: 'issued', page: page.n } : undefined),
      });
      current = handed.bulk;
      // A pass whose record could not say it is live (storage down, or the record closed meanwhile)
      // cannot be seen or stopped: it is deleted, and the page's reader is told its code is dead.
      const unrecorded = items.filter((i) => !issuedIds.has(i.member.id)).map((i) => i.member);
      if (unrecorded.length > 0) {
        const lost = await Promise.all(unrecorded.map((m) => settleAmbiguous(ctx, m, 'created')));
        await Promise.all(lost.map((m) => recordLost(ctx, m, said('memberNotRecordedDelivered', { askAgain: false }), m.code ?? 'codeLost')));
        current = await patchMembers(ctx, bulk.id, lost.map((m) => (m.code === 'codeLost' ? { ...m, ...reasonOf(said('memberNotRecordedDelivered', { askAgain: true })) } : m)));
        const dead = said('pageCodesDead', { page: page.n, bulkId: bulk.id, names: unrecorded.map((m) => m.displayName) });
        await ctx.gate.notifier.tell?.(recipientId, sentence(dead)).catch(() => undefined);
      }
      queueMemberAudits(ctx, current, current.members.filter((m) => page.memberIds.includes(m.id)));
    } else {
      // Nobody saw these codes: delete the passes so none works unseen.
      const lost = await Promise.all(items.map(({ member }) => settleAmbiguous(ctx, member, 'created')));
      await Promise.all(lost.map((m) => recordLost(ctx, m, said('memberPageUndelivered', { askAgain: false }), m.code ?? 'deliveryFailed')));
      current = await patchMembers(ctx, bulk.id, lost.map((m) => (m.code === 'codeLost' ? { ...m, ...reasonOf(said('memberPageUndelivered', { askAgain: true })) } : m)));
      current = await ctx.repo.updateHead(bulk.id, (b) => ({ ...b, pages: b.pages.filter((p) => p.n !== page.n || p.deliveredAt !== '') }));
      queueMemberAudits(ctx, current, lost);
    }
  }
  return current;
}
