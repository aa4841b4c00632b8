import assert from 'node:assert/strict';
import sinon from 'sinon';
import { GraphError } from '../../../src/errors';
import { flowContext } from '../../support/fakePorts';
import { actor, APPROVE, ask, GROUPS, makeWorld, quietLogs, T0, USERS } from '../../support/flowWorld';
import { joinOnboarding, leaveOnboarding } from '../../../src/flow/follow/onboarding';
import type { FlowConfig, TapRequest } from '../../../src/flow/types';
import { catalogue } from '../../../src/i18n';

const GROUP = GROUPS.passkeyOnboarding;
const ONBOARDING = { scenario: 'passkeyOnboarding', isUsableOnce: false } as const;

function world(config: Partial<FlowConfig> = { onboardingGroupId: GROUP }) {
  const w = makeWorld({ config });
  const tell = sinon.fake(async (_userId: string, _message: string) => undefined);
  // Read as the Teams edge reads a sentence: in the reader's language (English here).
  w.notifier.tell = (userId, message) => tell(userId, typeof message === 'string' ? message : message(catalogue('en')));
  const ctx = flowContext({ graph: w.graph, storage: w.storage, notifier: w.notifier, audit: w.audit, config: w.config, clock: () => w.clock.now });
  const members = (): string[] => w.graph.directory.groups[GROUP] ?? [];
  return { ...w, tell, ctx, members };
}
type W = ReturnType<typeof world>;

async function issuedAndJoined(w: W, extra: Parameters<typeof ask>[1] = ONBOARDING): Promise<TapRequest> {
  const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, extra));
  await w.flow.decide(actor('nestor'), request.id, APPROVE);
  return joinOnboarding(w.ctx, (await w.stored(request.id))!);
}

const count = (w: W, action: string): number => w.audit.events.filter((e) => e.action === action).length;

describe('the passkey onboarding group', () => {
  quietLogs();
  afterEach(() => sinon.restore());

  it('a passkey-onboarding pass puts its user in the onboarding group when it is issued, recorded and audited', async () => {
    const w = world();
    const joined = await issuedAndJoined(w);
    assert.deepEqual(w.members(), [USERS.megan.id]);
    assert.ok(w.graph.addGroupMember.calledOnceWith(GROUP, USERS.megan.id));
    assert.equal(joined.onboarding?.groupId, GROUP);
    assert.equal(joined.onboarding?.addedAt, T0.toISOString());
    assert.equal((await w.stored(joined.id))?.onboarding?.addedAt, T0.toISOString());
    assert.equal(count(w, 'onboarding.joined'), 1);
    // Joining again (a retried hook, a second instance) changes nothing.
    await joinOnboarding(w.ctx, (await w.stored(joined.id))!);
    assert.equal(w.graph.addGroupMember.callCount, 1);
  });

  it('other scenarios, and a tenant without ONBOARDING_GROUP_ID, add nobody', async () => {
    const w = world();
    const recovery = await issuedAndJoined(w, { scenario: 'recovery' });
    assert.equal(recovery.onboarding, undefined);
    const unconfigured = world({});
    await issuedAndJoined(unconfigured);
    assert.equal(w.graph.addGroupMember.callCount + unconfigured.graph.addGroupMember.callCount, 0);
  });

  it('someone already in the group counts as joined (Graph\'s "already exist" is done)', async () => {
    const w = world();
    w.graph.directory.groups[GROUP] = [USERS.megan.id];
    const joined = await issuedAndJoined(w);
    assert.ok(joined.onboarding?.addedAt);
    assert.deepEqual(w.members(), [USERS.megan.id]);
  });

  it('revoking the pass ends the membership', async () => {
    const w = world();
    const joined = await issuedAndJoined(w);
    const revoked = await w.flow.revoke(actor('adele'), joined.id);
    const left = await leaveOnboarding(w.ctx, revoked, 'revoked');
    assert.deepEqual(w.members(), []);
    assert.equal(left.onboarding?.removedBecause, 'revoked');
    assert.equal(count(w, 'onboarding.left'), 1);
    await leaveOnboarding(w.ctx, left, 'revoked');
    assert.equal(w.graph.removeGroupMember.callCount, 1, 'idempotent: recorded as removed');
  });

  it('a failed request ends the membership too', async () => {
    const w = world();
    const joined = await issuedAndJoined(w);
    const left = await leaveOnboarding(w.ctx, joined, 'failed');
    assert.deepEqual(w.members(), []);
    assert.equal(left.onboarding?.removedBecause, 'failed');
  });

  it('the pass expiring ends the membership, even with the follow-through off', async () => {
    const w = world({ onboardingGroupId: GROUP, followThrough: undefined });
    const joined = await issuedAndJoined(w);
    const lifetime = (Date.parse(joined.issued!.expiresDateTime) - w.clock.now.getTime()) / 60_000;
    w.advanceMinutes(lifetime - 1);
    await w.flow.sweep();
    assert.deepEqual(w.members(), [USERS.megan.id], 'not before the pass expires');
    w.advanceMinutes(1);
    await w.flow.sweep();
    assert.deepEqual(w.members(), []);
    assert.equal((await w.stored(joined.id))?.onboarding?.removedBecause, 'expired');
    await w.flow.sweep();
    assert.equal(w.graph.removeGroupMember.callCount, 1);
  });

  it('a removal Graph refused is retried by the sweep until it succeeds, across a restart', async () => {
    const w = world();
    const joined = await issuedAndJoined(w);
    w.graph.faults.removeGroupMember = new GraphError({ code: 'unavailable', status: 503, userMessage: 'Graph is down.' });
    await leaveOnboarding(w.ctx, joined, 'revoked');
    assert.deepEqual(w.members(), [USERS.megan.id]);
    assert.equal((await w.stored(joined.id))?.onboarding?.removedAt, undefined);
    w.advanceMinutes(1);
    await w.flow.sweep();
    assert.deepEqual(w.members(), [USERS.megan.id], 'still down');
    delete w.graph.faults.removeGroupMember;
    w.advanceMinutes(1);
    await w.restart().sweep();
    assert.deepEqual(w.members(), []);
    assert.equal((await w.stored(joined.id))?.onboarding?.removedBecause, 'revoked', 'the reason it was asked for');
  });

  it('two instances ending the same membership audit it once', async () => {
    const w = world();
    const joined = await issuedAndJoined(w);
    const other = flowContext({ graph: w.graph, storage: w.storage, notifier: w.notifier, audit: w.audit, config: w.config, clock: () => w.clock.now });
    await Promise.all([leaveOnboarding(w.ctx, joined, 'revoked'), leaveOnboarding(other, joined, 'expired')]);
    assert.deepEqual(w.members(), []);
    assert.equal(count(w, 'onboarding.left'), 1);
  });

  it('a join Graph refused tells the agent, and the sweep takes back whatever may have been added', async () => {
    const w = world();
    w.graph.faults.addGroupMember = new GraphError({ code: 'forbidden', status: 403, userMessage: 'The bot may not add people to the group.' });
    const request = await issuedAndJoined(w);
    assert.equal(request.onboarding, undefined);
    // Once per attempt (issuance's own hook may have made one already), to the agent only.
    assert.ok(w.tell.callCount >= 1);
    assert.ok(w.tell.args.every((a) => a[0] === USERS.adele.id));
    assert.match(w.tell.firstCall.args[1], /could not be added to the passkey onboarding group \(The bot may not add people to the group\.\)/);
    assert.equal(w.audit.events.find((e) => e.action === 'onboarding.joined')?.outcome, 'forbidden');
    w.advanceMinutes(1);
    await w.flow.sweep();
    assert.ok(w.graph.removeGroupMember.calledWith(GROUP, USERS.megan.id), 'a membership the failure may hide is removed (404 counts as done)');
  });
});
