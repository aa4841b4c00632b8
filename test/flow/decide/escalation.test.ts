/**
 * Nobody is left waiting on a silent approver (src/flow/decide/escalation.ts, the chain in
 * src/flow/gate/approver.ts): out of office when asked, a reminder at the set point, the move
 * to the next approver the rules allow, and the decision right of the one it moved from.
 * The workflow over fakes; the same against the sandbox tenant is escalation.sandbox.test.ts.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { escalationDue } from '../../../src/flow/decide/escalation';
import { isAwayAt } from '../../../src/flow/gate/away';
import { nextApprover } from '../../../src/flow/gate/approver';
import { decisionRight } from '../../../src/flow/gate/decisionRights';
import type { AutomaticReplies, Signal } from '../../../src/graph/types';
import { catalogue, type Catalogue } from '../../../src/i18n';
import type { ApprovalWaiting, ApproverAssignment, DecisionInput, FlowConfig, NoticeMessage, TapRequest } from '../../../src/flow/types';
import { actor, APPROVE, ask, contoso, GROUPS, makeWorld, quietLogs, refusedWith, USERS, type World } from '../../support/flowWorld';
import { spiedGraph, type FakeDirectory } from '../../support/fakePorts';

const WAITING: ApprovalWaiting = { remindAfterInMs: 15 * 60_000, escalateAfterInMs: 22 * 60_000, escalateWhenAway: true };

interface Notice {
  userId: string;
  en: NoticeMessage;
}

/** A world whose Graph can read automatic replies (`away`: user ids out of office) and whose notifier keeps notices in English. */
function waitingWorld(options: { away?: string[]; mailboxReadable?: boolean; config?: Partial<FlowConfig>; directory?: FakeDirectory } = {}): World & { notices: Notice[]; away: Set<string> } {
  const w = makeWorld({ config: { approvalWaiting: WAITING, ...options.config }, ...(options.directory ? { directory: options.directory } : {}) });
  const away = new Set((options.away ?? []).map((id) => id.toLowerCase()));
  Object.assign(w.graph, {
    automaticReplies: async (userId: string): Promise<Signal<AutomaticReplies>> =>
      options.mailboxReadable === false
        ? { available: false, missing: 'MailboxSettings.Read' }
        : { available: true, value: { status: away.has(userId.toLowerCase()) ? 'alwaysEnabled' : 'disabled' } },
  });
  const notices: Notice[] = [];
  w.notifier.notice = sinon.fake(async (userId: string, message: (say: Catalogue) => NoticeMessage) => {
    // Every notice must read in both languages; the test reads the English.
    message(catalogue('da'));
    notices.push({ userId, en: message(catalogue('en')) });
  });
  return Object.assign(w, { notices, away });
}

const audited = (w: World, action: string) => w.audit.events.filter((e) => e.action === action);
const cardsTo = (w: World) => w.notifier.requestApproval.getCalls().map((c) => ({ ids: c.args[0].approver.ids, onlyTo: (c.args as unknown[])[1] }));

async function meganAsked(w: World): Promise<TapRequest> {
  const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
  await w.flow.whenIdle();
  return r;
}

async function sweepAt(w: World, minutes: number): Promise<TapRequest> {
  w.clock.now = new Date(w.clock.now.getTime() + minutes * 60_000);
  await w.flow.sweep(w.clock.now);
  await w.flow.whenIdle();
  const [id] = (await w.flow.pending(actor('lee'))).map((r) => r.id);
  return (await w.stored(id ?? 'TAP-000001')) as TapRequest;
}

describe('nobody is left waiting on a silent approver', () => {
  quietLogs();

  describe('out of office when asked', () => {
    it('a manager out of office is passed over at once: the skip-level manager has the request, and the agent is told who and why', async () => {
      const w = waitingWorld({ away: [USERS.nestor.id] });
      const r = await meganAsked(w);
      assert.deepEqual(r.approver.ids, [USERS.lee.id]);
      assert.equal(r.approver.kind, 'skipLevelManager');
      assert.equal(r.approver.movedFrom?.[0]?.because, 'away');
      assert.deepEqual(r.approver.movedFrom?.[0]?.from.ids, [USERS.nestor.id]);
      assert.deepEqual(cardsTo(w).map((c) => c.ids), [[USERS.lee.id]], 'only Lee gets a card');
      const told = w.notices.find((n) => n.userId === USERS.adele.id);
      assert.match(told?.en.text ?? '', /Nestor Wilke is out of office .*went to Lee Gu/);
      const [event] = audited(w, 'approval.escalated');
      assert.deepEqual(event?.details?.['fromIds'], [USERS.nestor.id]);
      assert.deepEqual(event?.details?.['toIds'], [USERS.lee.id]);
      assert.equal(event?.details?.['because'], 'away');
    });

    it('when the skip-level manager is away too, the fallback approver group has it', async () => {
      const w = waitingWorld({ away: [USERS.nestor.id, USERS.lee.id] });
      const r = await meganAsked(w);
      assert.equal(r.approver.kind, 'fallbackGroup');
      assert.deepEqual(r.approver.ids, [USERS.joni.id]);
      assert.deepEqual(r.approver.movedFrom?.map((m) => m.from.ids[0]), [USERS.nestor.id, USERS.lee.id]);
    });

    it('without MailboxSettings.Read the manager is asked as always, and the record says it was not available', async () => {
      const w = waitingWorld({ away: [USERS.nestor.id], mailboxReadable: false });
      const r = await meganAsked(w);
      assert.deepEqual(r.approver.ids, [USERS.nestor.id]);
      assert.deepEqual(r.approver.awayCheck, { available: false, missing: 'MailboxSettings.Read' });
      assert.equal(w.notices.length, 0);
    });

    it('a Graph failure reading the replies never stops the request', async () => {
      const w = waitingWorld();
      Object.assign(w.graph, { automaticReplies: async () => Promise.reject(new Error('Graph is down')) });
      const r = await meganAsked(w);
      assert.deepEqual(r.approver.ids, [USERS.nestor.id]);
      assert.equal(r.approver.awayCheck?.available, false);
    });

    it('with APPROVAL_ESCALATE_WHEN_AWAY off, an away manager is asked anyway', async () => {
      const w = waitingWorld({ away: [USERS.nestor.id], config: { approvalWaiting: { ...WAITING, escalateWhenAway: false } } });
      assert.deepEqual((await meganAsked(w)).approver.ids, [USERS.nestor.id]);
    });

    it('when the away manager has nobody above them and no fallback group exists, the request waits for them and the agent is told so', async () => {
      const directory = contoso();
      delete directory.managers[USERS.nestor.id];
      const w = waitingWorld({ away: [USERS.nestor.id], directory, config: { fallbackApproverGroupId: undefined } });
      const r = await meganAsked(w);
      assert.deepEqual(r.approver.ids, [USERS.nestor.id]);
      assert.match(w.notices.find((n) => n.userId === USERS.adele.id)?.en.text ?? '', /out of office.*nobody else/);
    });

    it('a scheduled absence counts only inside its window', () => {
      const replies: AutomaticReplies = { status: 'scheduled', scheduledStart: '2030-01-01T00:00:00.000Z', scheduledEnd: '2030-01-02T00:00:00.000Z' };
      assert.deepEqual(isAwayAt(replies, new Date('2030-01-01T12:00:00Z')), { away: true, until: '2030-01-02T00:00:00.000Z' });
      assert.equal(isAwayAt(replies, new Date('2030-01-02T00:00:00Z')).away, false, 'back at the end instant');
      assert.equal(isAwayAt(replies, new Date('2029-12-31T23:59:59Z')).away, false);
      assert.equal(isAwayAt({ status: 'scheduled' }, new Date('2030-01-01T12:00:00Z')).away, false, 'a window that could not be read says nothing');
    });
  });

  describe('silent approver', () => {
    it('the reminder says by when to decide, in the reader\'s zone and language: the moment the request moves on, not its expiry', async () => {
      const w = waitingWorld();
      const messages: Array<(say: Catalogue, zone?: string) => NoticeMessage> = [];
      w.notifier.notice = sinon.fake(async (_userId: string, message: (say: Catalogue, zone?: string) => NoticeMessage) => {
        messages.push(message);
      });
      await meganAsked(w);
      await sweepAt(w, 15);
      assert.equal(messages.length, 1);
      // Asked at 08:00 UTC, 09:00 in Copenhagen; it moves on 22 minutes later (the deadline is 09:30).
      assert.match(messages[0]!(catalogue('en'), 'Europe/Copenhagen').text, /Decide by \w+ 1 Jan 2030, 09:22 \(Europe\/Copenhagen\): after that the request goes to the next approver/);
      assert.match(messages[0]!(catalogue('da'), 'Europe/Copenhagen').text, /Tag stilling senest .*kl\. 09\.22 \(Europe\/Copenhagen\): derefter går anmodningen videre/);
      assert.doesNotMatch(messages[0]!(catalogue('en'), 'Europe/Copenhagen').text, /UTC/);
    });

    it('is reminded once at the set point', async () => {
      const w = waitingWorld();
      const r = await meganAsked(w);
      await sweepAt(w, 14);
      assert.equal(w.notices.length, 0, 'not before the set point');
      await sweepAt(w, 1);
      await sweepAt(w, 1);
      const reminders = w.notices.filter((n) => /Reminder/.test(n.en.title));
      assert.deepEqual(reminders.map((n) => n.userId), [USERS.nestor.id]);
      assert.equal(audited(w, 'approval.reminded').length, 1);
      assert.ok((await w.stored(r.id))?.waiting?.remindedAt);
    });

    it('at the escalation point the request moves to the skip-level manager: a card to them alone, the old approver and the agent told, audited', async () => {
      const w = waitingWorld();
      const r = await meganAsked(w);
      await sweepAt(w, 22);
      const moved = (await w.stored(r.id)) as TapRequest;
      assert.deepEqual(moved.approver.ids, [USERS.lee.id]);
      assert.equal(moved.approver.movedFrom?.[0]?.because, 'noAnswer');
      assert.ok(moved.approver.movedFrom?.[0]?.cardSentAt, 'the card was recorded as sent');
      const last = cardsTo(w).at(-1);
      assert.deepEqual(last?.onlyTo, { onlyTo: [USERS.lee.id] });
      assert.match(w.notices.find((n) => n.userId === USERS.adele.id)?.en.text ?? '', /Nestor Wilke did not answer within 22 minutes.*Lee Gu/);
      assert.match(w.notices.find((n) => n.userId === USERS.nestor.id)?.en.text ?? '', /can no longer decide/);
      assert.equal(audited(w, 'approval.escalated').length, 1);
      assert.ok(w.notifier.requestUpdated.calledWithMatch({ id: r.id }), 'the cards are refreshed');
      assert.ok((await w.flow.pending(actor('lee'))).some((p) => p.id === r.id), 'it is on Lee\'s pending list');
    });

    it('the approver it moves to is never asked with minutes to spare: they get at least half the window, and it moves no further', async () => {
      const w = waitingWorld();
      const r = await meganAsked(w);
      const askedAt = w.clock.now.getTime();
      await sweepAt(w, 22);
      const moved = (await w.stored(r.id)) as TapRequest;
      // 30-minute window: moved at 22 minutes, Lee Gu has until 37 (not the 8 minutes that were left).
      assert.equal(Date.parse(moved.expiresAt), askedAt + 37 * 60_000);
      await sweepAt(w, 14);
      const later = (await w.stored(r.id)) as TapRequest;
      assert.deepEqual(later.approver.ids, [USERS.lee.id], 'still Lee: the next escalation point lies after the deadline');
      assert.equal(later.state, 'PendingApproval');
    });

    it('a card lost between the move and Teams (Teams down, a crash) is sent by the sweep after two minutes, once', async () => {
      const w = waitingWorld();
      const r = await meganAsked(w);
      Object.assign(w.notifier, {
        requestApproval: async (_request: TapRequest, options?: { onlyTo?: readonly string[] }) => {
          if (options?.onlyTo) throw new Error('Teams is down');
        },
      });
      await sweepAt(w, 22);
      assert.equal((await w.stored(r.id))?.approver.movedFrom?.[0]?.cardSentAt, undefined, 'not marked as sent');
      const sent: string[][] = [];
      Object.assign(w.notifier, {
        requestApproval: async (_request: TapRequest, options?: { onlyTo?: readonly string[] }) => {
          if (options?.onlyTo) sent.push([...options.onlyTo]);
        },
      });
      await sweepAt(w, 1);
      assert.deepEqual(sent, [], 'not before the grace period');
      await sweepAt(w, 1);
      await sweepAt(w, 1);
      assert.deepEqual(sent, [[USERS.lee.id]]);
      assert.ok((await w.stored(r.id))?.approver.movedFrom?.[0]?.cardSentAt);
      assert.equal(audited(w, 'approval.escalated').length, 1, 'still one move');
    });

    it('moves once however many sweeps run after the point', async () => {
      const w = waitingWorld();
      await meganAsked(w);
      await sweepAt(w, 22);
      await sweepAt(w, 1);
      await sweepAt(w, 1);
      assert.equal(audited(w, 'approval.escalated').length, 1);
    });

    it('two instances sweeping at once move it exactly once', async () => {
      const w = waitingWorld();
      const r = await meganAsked(w);
      w.clock.now = new Date(w.clock.now.getTime() + 23 * 60_000);
      const other = w.restart();
      await Promise.all([w.flow.sweep(w.clock.now), other.sweep(w.clock.now), w.flow.sweep(w.clock.now)]);
      await Promise.all([w.flow.whenIdle(), other.whenIdle()]);
      assert.equal(audited(w, 'approval.escalated').length, 1);
      assert.equal(cardsTo(w).filter((c) => c.onlyTo !== undefined).length, 1, 'one card to the new approver');
      assert.equal((await w.stored(r.id))?.approver.movedFrom?.length, 1);
    });

    it('never to the requester: when the skip-level manager is the agent, it goes to the fallback group', async () => {
      const directory = contoso();
      directory.managers[USERS.nestor.id] = USERS.adele.id;
      const w = waitingWorld({ directory });
      const r = await meganAsked(w);
      await sweepAt(w, 22);
      const moved = (await w.stored(r.id)) as TapRequest;
      assert.equal(moved.approver.kind, 'fallbackGroup');
      assert.deepEqual(moved.approver.ids, [USERS.joni.id]);
    });

    it('never a second approver (four eyes), never the target: the chain skips them', async () => {
      const graph = spiedGraph(contoso());
      const nestor: ApproverAssignment = { kind: 'manager', ids: [USERS.nestor.id], people: [] };
      const chain = { graph, fallbackApproverGroupId: GROUPS.fallbackApprovers, agentId: USERS.adele.id, targetId: USERS.megan.id };
      assert.deepEqual((await nextApprover({ ...chain, excluded: [] }, nestor))?.ids, [USERS.lee.id]);
      assert.deepEqual((await nextApprover({ ...chain, excluded: [USERS.lee.id.toUpperCase()] }, nestor))?.ids, [USERS.joni.id], 'a second approver is passed by');
      assert.equal(await nextApprover({ ...chain, excluded: [USERS.lee.id, USERS.joni.id] }, nestor), undefined, 'nobody left');
      assert.deepEqual((await nextApprover({ ...chain, targetId: USERS.lee.id, excluded: [] }, nestor))?.ids, [USERS.joni.id], 'the target never decides');
    });

    it('when nobody is left the request keeps waiting, and the agent is told so once', async () => {
      const directory = contoso();
      delete directory.managers[USERS.nestor.id];
      const w = waitingWorld({ directory, config: { fallbackApproverGroupId: undefined } });
      const r = await meganAsked(w);
      await sweepAt(w, 22);
      await sweepAt(w, 1);
      const still = (await w.stored(r.id)) as TapRequest;
      assert.equal(still.state, 'PendingApproval');
      assert.deepEqual(still.approver.ids, [USERS.nestor.id]);
      const told = w.notices.filter((n) => n.userId === USERS.adele.id);
      assert.equal(told.length, 1);
      assert.match(told[0]?.en.text ?? '', /nobody else.*keeps waiting for Nestor Wilke/);
      assert.equal(audited(w, 'approval.escalated')[0]?.outcome, 'nobodyLeft');
    });

    it('off means off: no reminder and no move', async () => {
      const w = waitingWorld({ config: { approvalWaiting: undefined } });
      const r = await meganAsked(w);
      await sweepAt(w, 25);
      assert.deepEqual((await w.stored(r.id))?.approver.ids, [USERS.nestor.id]);
      assert.equal(w.notices.length, 0);
    });

    it('a first approval already given is an answer: four eyes waits for the second approver without moving the first', async () => {
      const w = waitingWorld();
      const r = await meganAsked(w);
      const decided: TapRequest = { ...r, decision: { by: { id: USERS.nestor.id, displayName: 'Nestor Wilke', userPrincipalName: USERS.nestor.upn }, at: r.createdAt, action: 'approve' } };
      assert.equal(escalationDue(decided, WAITING, new Date(Date.parse(r.createdAt) + 29 * 60_000)), false);
      assert.equal(escalationDue(r, WAITING, new Date(Date.parse(r.createdAt) + 22 * 60_000)), true);
    });
  });

  describe('the decision right after a move (trying to break it)', () => {
    async function movedToLee(): Promise<{ w: ReturnType<typeof waitingWorld>; r: TapRequest }> {
      const w = waitingWorld();
      const r = await meganAsked(w);
      await sweepAt(w, 22);
      return { w, r: (await w.stored(r.id)) as TapRequest };
    }

    it('the approver it moved from cannot approve any more, and the refusal is audited', async () => {
      const { w, r } = await movedToLee();
      await assert.rejects(w.flow.decide(actor('nestor'), r.id, APPROVE), refusedWith('notApprover', /moved to Lee Gu/));
      assert.equal((await w.stored(r.id))?.state, 'PendingApproval');
      assert.equal(audited(w, 'decision.refused').at(-1)?.actorId, USERS.nestor.id);
    });

    it('nor deny it', async () => {
      const { w, r } = await movedToLee();
      await assert.rejects(w.flow.decide(actor('nestor'), r.id, { action: 'deny', denyReason: 'no' }), refusedWith('notApprover'));
    });

    it('a forged card payload naming the old approver as the approver changes nothing: the stored record decides', async () => {
      const { w, r } = await movedToLee();
      const forged: DecisionInput & { approverIds: string[]; approver: string } = { ...APPROVE, approverIds: [USERS.nestor.id], approver: USERS.nestor.id };
      await assert.rejects(w.flow.decide(actor('nestor'), r.id, forged), refusedWith('notApprover'));
      await assert.rejects(w.flow.decide({ ...actor('nestor'), aadObjectId: USERS.nestor.id.toUpperCase() }, r.id, APPROVE), refusedWith('notApprover'), 'however the id is spelled');
    });

    it('a record listing the old approver again (a group change, a bad write) still refuses them', () => {
      const r: TapRequest = {
        id: 'TAP-7K3F9Q', state: 'PendingApproval', createdAt: '2030-01-01T08:00:00.000Z', updatedAt: '2030-01-01T08:00:00.000Z', expiresAt: '2030-01-01T08:30:00.000Z',
        tenantId: 't', requester: { id: USERS.adele.id, displayName: 'Adele', userPrincipalName: USERS.adele.upn }, target: { id: USERS.megan.id, displayName: 'Megan', userPrincipalName: USERS.megan.upn },
        approver: {
          kind: 'fallbackGroup', ids: [USERS.joni.id, USERS.nestor.id], people: [],
          movedFrom: [{ at: '2030-01-01T08:22:00.000Z', because: 'noAnswer', from: { kind: 'manager', ids: [USERS.nestor.id], people: [] } }],
        },
        scenario: 'recovery', reason: 'x', settings: { lifetimeInMinutes: 60, isUsableOnce: true }, replacesExistingTap: false, deliveryRecipient: 'agent',
      };
      const now = new Date('2030-01-01T08:25:00.000Z');
      assert.deepEqual(decisionRight(r, USERS.nestor.id, now), { approval: 'none', because: 'movedOn' });
      assert.deepEqual(decisionRight(r, USERS.joni.id, now), { approval: 'primary' });
    });

    it('the approver it moved to approves, and the pass is made (decide twice accepts the move)', async () => {
      const { w, r } = await movedToLee();
      await w.flow.decide(actor('lee'), r.id, APPROVE);
      await w.flow.whenIdle();
      assert.equal((await w.stored(r.id))?.state, 'Issued');
    });
  });
});
