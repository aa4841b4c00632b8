import assert from 'node:assert/strict';
import { GraphError } from '../../../src/errors';
import sinon from 'sinon';
import { FakeGraph, flowContext } from '../../support/fakePorts';
import { actor, APPROVE, ask, GROUPS, makeWorld, quietLogs, T0, USERS, type World, type WorldOptions } from '../../support/flowWorld';
import { watchRegistration } from '../../../src/flow/follow/followThrough';
import { joinOnboarding } from '../../../src/flow/follow/onboarding';
import type { FlowConfig, NewRequestInput, TapRequest } from '../../../src/flow/types';
import { catalogue } from '../../../src/i18n';

const ONBOARDING = GROUPS.passkeyOnboarding;
const FOLLOW: Pick<FlowConfig, 'followThrough' | 'onboardingGroupId'> = { followThrough: { checksPerSweep: 50, deletePass: 'recovery' }, onboardingGroupId: ONBOARDING };
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

function world(config: Partial<FlowConfig> = {}, options: WorldOptions = {}) {
  const w = makeWorld({ ...options, config: { ...FOLLOW, ...config } });
  const tell = sinon.fake(async (_userId: string, _message: string) => undefined);
  // Read as the Teams edge reads a sentence: in the reader's language (English here).
  w.notifier.tell = (userId, message) => tell(userId, typeof message === 'string' ? message : message(catalogue('en')));
  const ctx = flowContext({ graph: w.graph, storage: w.storage, notifier: w.notifier, audit: w.audit, config: w.config, clock: () => w.clock.now });
  return { ...w, tell, ctx };
}
type W = ReturnType<typeof world>;

/** An issued pass with the hooks issuance runs after delivery (idempotent, so also right once issuance calls them itself). */
async function issued(w: W, who: keyof typeof USERS = 'megan', extra: Partial<NewRequestInput> = {}): Promise<TapRequest> {
  const request = await w.flow.startRequest(actor('adele'), ask(USERS[who].upn, extra));
  await w.flow.decide(actor('nestor'), request.id, APPROVE);
  let stored = (await w.stored(request.id))!;
  assert.equal(stored.state, 'Issued');
  stored = await joinOnboarding(w.ctx, stored);
  await watchRegistration(w.ctx, stored);
  return stored;
}

/** One sweep a minute, as the bot runs it, up to `minutes` after T0. */
async function sweepUntil(w: World, minutes: number): Promise<void> {
  while (w.clock.now.getTime() < at(minutes).getTime()) {
    w.advanceMinutes(1);
    await w.flow.sweep();
  }
}

const actions = (w: W, action: string): number => w.audit.events.filter((e) => e.action === action).length;

describe('registration follow-through', () => {
  quietLogs();
  afterEach(() => sinon.restore());

  it('a passkey registered after issuance ends the follow-through: recorded, audited, the recovery pass deleted, and each party told once', async () => {
    const w = world({ tap: { isUsableOnce: true, deliveryRecipient: 'manager' } });
    const request = await issued(w);
    w.graph.registerMethod(USERS.megan.id, 'fido2', at(1), 'YubiKey 5');
    await sweepUntil(w, 2);

    const stored = (await w.stored(request.id))!;
    assert.deepEqual(stored.registration, { type: 'fido2', displayName: 'YubiKey 5', at: at(1).toISOString() });
    assert.equal(stored.followThroughResult?.outcome, 'registered');
    assert.ok(stored.followThroughResult?.passDeletedAt, 'the recovery pass is deleted early');
    assert.ok(w.graph.deleteTap.calledWith(USERS.megan.id, request.issued!.methodId));
    assert.equal(w.graph.directory.taps[USERS.megan.id]?.length, 0);
    assert.ok(stored.delivery?.codeHiddenAt, 'a deleted pass leaves the card');
    assert.equal(w.notifier.hidePass.callCount, 1);
    assert.equal(actions(w, 'registration.detected'), 1);
    assert.deepEqual(w.tell.args.map((a) => a[0]).sort(), [USERS.adele.id, USERS.nestor.id].sort());
    assert.match(w.tell.args[0]![1], /Megan Bowen \(megan@contoso\.com\) registered a passkey \("YubiKey 5"\).*The pass was deleted/);
    assert.equal(w.notifier.requestUpdated.lastCall.args[0].registration?.type, 'fido2', 'the cards are refreshed with the registration');

    const reads = w.graph.listAuthenticationMethods.callCount;
    await sweepUntil(w, 90);
    assert.equal(w.graph.listAuthenticationMethods.callCount, reads, 'nothing is watched any more');
    assert.equal(w.tell.callCount, 2);
    assert.equal(actions(w, 'registration.missed'), 0);
  });

  it('a method registered before the pass was issued does not count', async () => {
    const w = world();
    w.graph.registerMethod(USERS.megan.id, 'microsoftAuthenticator', new Date(T0.getTime() - 400 * 86_400_000), 'iPhone');
    w.graph.registerMethod(USERS.megan.id, 'fido2', at(0), 'Old key');
    const request = await issued(w);
    await sweepUntil(w, 30);
    assert.equal((await w.stored(request.id))?.registration, undefined);
    assert.equal(w.graph.deleteTap.callCount, 0);
    assert.equal(w.tell.callCount, 0);
  });

  it('expiry with nothing registered tells the agent once, with what to do next', async () => {
    const w = world();
    const request = await issued(w);
    await sweepUntil(w, 59);
    assert.equal(w.tell.callCount, 0);
    await sweepUntil(w, 120);
    assert.equal(w.tell.callCount, 1);
    assert.equal(w.tell.firstCall.args[0], USERS.adele.id);
    assert.match(w.tell.firstCall.args[1], /expired and no new sign-in method was registered.*Ask again.*https:\/\/aka\.ms\/mysecurityinfo/);
    assert.match(w.tell.firstCall.args[1], /one-time pass/);
    assert.equal((await w.stored(request.id))?.followThroughResult?.outcome, 'expiredUnregistered');
    assert.equal(actions(w, 'registration.missed'), 1);
  });

  it('without the permission to read methods, the follow-through still ends when the pass expires and tells the agent', async () => {
    const w = world();
    const request = await issued(w);
    w.graph.faults.listAuthenticationMethods = new GraphError({ code: 'forbidden', status: 403, userMessage: 'needs UserAuthenticationMethod.Read.All' });
    await sweepUntil(w, 120);
    assert.equal((await w.stored(request.id))?.followThroughResult?.outcome, 'expiredUnregistered');
    assert.equal(w.tell.callCount, 1);
  });

  it('checks are paced: 2, 5, 10, then every 15 minutes, and once at expiry', async () => {
    const w = world();
    await issued(w);
    const minutes: number[] = [];
    w.graph.listAuthenticationMethods.restore();
    sinon.stub(w.graph, 'listAuthenticationMethods').callsFake(async () => {
      minutes.push((w.clock.now.getTime() - T0.getTime()) / 60_000);
      return [];
    });
    await sweepUntil(w, 120);
    assert.deepEqual(minutes, [2, 7, 17, 32, 47, 60]);
  });

  it('the budget caps the Graph calls per sweep, oldest due first', async () => {
    const w = world({ followThrough: { checksPerSweep: 2, deletePass: 'recovery' } });
    await issued(w, 'megan');
    await issued(w, 'lasse');
    await issued(w, 'miriam');
    w.advanceMinutes(2);
    await w.flow.sweep();
    assert.equal(w.graph.listAuthenticationMethods.callCount, 2);
    assert.deepEqual(w.graph.listAuthenticationMethods.args.map((a) => a[0]), [USERS.megan.id, USERS.lasse.id]);
    await w.flow.sweep();
    assert.equal(w.graph.listAuthenticationMethods.callCount, 3, 'the one left over comes next');
    await w.flow.sweep();
    assert.equal(w.graph.listAuthenticationMethods.callCount, 3);
  });

  it('two instances sweeping at once read each user once and tell once', async () => {
    const w = world();
    await issued(w);
    w.graph.registerMethod(USERS.megan.id, 'microsoftAuthenticator', at(1));
    w.advanceMinutes(2);
    await Promise.all([w.flow.sweep(), w.restart().sweep(), w.restart().sweep()]);
    assert.equal(w.graph.listAuthenticationMethods.callCount, 1);
    assert.equal(w.tell.callCount, 1);
    assert.equal(actions(w, 'registration.detected'), 1);
  });

  it('the outcome is claimed on the record first: two instances that both saw the registration tell once', async () => {
    const w = world();
    const request = await issued(w);
    w.graph.registerMethod(USERS.megan.id, 'microsoftAuthenticator', at(1));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    w.graph.listAuthenticationMethods.restore();
    sinon.stub(w.graph, 'listAuthenticationMethods').callsFake(async (userId: string) => {
      if (++reads === 1) await gate; // the first instance stalls in Graph
      return FakeGraph.prototype.listAuthenticationMethods.call(w.graph, userId);
    });
    w.advanceMinutes(2);
    const slow = w.flow.sweep();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The stalled check's turn came round again: another instance claims and checks it.
    w.advanceMinutes(10);
    await w.restart().sweep();
    release();
    await slow;
    assert.equal(reads, 2);
    assert.equal(w.tell.callCount, 1);
    assert.equal(actions(w, 'registration.detected'), 1);
    assert.equal(w.graph.deleteTap.callCount, 1);
    assert.equal((await w.stored(request.id))?.registration?.type, 'microsoftAuthenticator');
  });

  it('a restart resumes the follow-through from storage', async () => {
    const w = world();
    const request = await issued(w);
    await sweepUntil(w, 3);
    const restarted = w.restart();
    w.graph.registerMethod(USERS.megan.id, 'windowsHelloForBusiness', at(5), 'Surface');
    w.advanceMinutes(4);
    await restarted.sweep();
    assert.equal((await w.stored(request.id))?.registration?.type, 'windowsHelloForBusiness');
    assert.equal(w.tell.callCount, 1);
  });

  it('passkey onboarding: Authenticator on the way is not the end, the passkey is; the pass is kept unless configured', async () => {
    const w = world();
    const request = await issued(w, 'megan', { scenario: 'passkeyOnboarding', isUsableOnce: false });
    w.graph.registerMethod(USERS.megan.id, 'microsoftAuthenticator', at(1));
    await sweepUntil(w, 2);
    assert.equal((await w.stored(request.id))?.registration, undefined);
    assert.deepEqual(w.graph.directory.groups[ONBOARDING], [USERS.megan.id], 'still onboarding');
    w.graph.registerMethod(USERS.megan.id, 'fido2', at(4), 'Passkey in Microsoft Authenticator');
    await sweepUntil(w, 7);
    const stored = (await w.stored(request.id))!;
    assert.equal(stored.registration?.type, 'fido2');
    assert.equal(stored.followThroughResult?.passDeletedAt, undefined, 'FOLLOW_THROUGH_DELETE_PASS=recovery keeps an onboarding pass');
    assert.equal(w.graph.deleteTap.callCount, 0);
    assert.deepEqual(w.graph.directory.groups[ONBOARDING], [], 'the onboarding group membership ends with the passkey');
    assert.equal(stored.onboarding?.removedBecause, 'registered');
  });

  it('FOLLOW_THROUGH_DELETE_PASS: all deletes any pass, none keeps even a recovery pass', async () => {
    const all = world({ followThrough: { checksPerSweep: 50, deletePass: 'all' } });
    await issued(all, 'megan', { scenario: 'passkeyOnboarding', isUsableOnce: false });
    all.graph.registerMethod(USERS.megan.id, 'fido2', at(1));
    await sweepUntil(all, 2);
    assert.equal(all.graph.deleteTap.callCount, 1);

    const none = world({ followThrough: { checksPerSweep: 50, deletePass: 'none' } });
    await issued(none, 'megan');
    none.graph.registerMethod(USERS.megan.id, 'microsoftAuthenticator', at(1));
    await sweepUntil(none, 2);
    assert.equal(none.tell.callCount, 1);
    assert.equal(none.graph.deleteTap.callCount, 0);
  });

  it('a revoked pass is no longer watched, and the follow-through off watches nothing', async () => {
    const w = world();
    const request = await issued(w);
    await w.flow.revoke(actor('adele'), request.id);
    await sweepUntil(w, 90);
    assert.equal(w.graph.listAuthenticationMethods.callCount, 0);
    assert.equal(w.tell.callCount, 0);

    const off = world({ followThrough: undefined });
    await issued(off);
    await sweepUntil(off, 90);
    assert.equal(off.graph.listAuthenticationMethods.callCount, 0);
  });
});
