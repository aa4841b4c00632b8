/**
 * Rules that must hold for every spelling of an id and at every moment: separation of
 * duties, one open request per person, and the velocity limits.
 */
import assert from 'node:assert/strict';
import { FlowError } from '../../../src/errors';
import { canonicalId, includesId, sameId } from '../../../src/identity';
import { inPolicyScope } from '../../../src/flow/gate/policyScope';
import type { Actor } from '../../../src/flow/types';
import { TargetLocks } from '../../../src/flow/gate/openRequestLock';
import { RequestRepository } from '../../../src/flow/store/requestRepository';
import { MemoryStorage } from '../../support/fakePorts';
import { actor, APPROVE, ask, refusedWith, GROUPS, makeWorld, quietLogs, T0, USERS, type World } from '../../support/flowWorld';

const shout = (a: Actor): Actor => ({ ...a, aadObjectId: a.aadObjectId.toUpperCase() });
const braced = (a: Actor): Actor => ({ ...a, aadObjectId: `{${a.aadObjectId.toUpperCase()}}` });


describe('one identity per person', () => {
  quietLogs();

  it('an object id is canonicalised to one lower-case GUID, whatever its case, braces or spaces', () => {
    const id = USERS.adele.id;
    for (const spelling of [id, id.toUpperCase(), `{${id}}`, ` ${id.toUpperCase()} `]) assert.equal(canonicalId(spelling), id);
  });

  it('anything that is not a GUID is no identity: a UPN, an empty string, a number, a GUID with junk', () => {
    for (const v of [USERS.adele.upn, '', 42, null, undefined, `${USERS.adele.id}x`, `${USERS.adele.id}'--`, '29:abc']) {
      assert.equal(canonicalId(v), undefined, String(v));
    }
    assert.equal(sameId(USERS.adele.upn, USERS.adele.upn), false, 'two equal UPNs are not a proof of one person');
    assert.equal(sameId(undefined, undefined), false);
  });

  it('ids compare equal across spellings, and a list finds its member in any spelling', () => {
    assert.ok(sameId(USERS.adele.id, USERS.adele.id.toUpperCase()));
    assert.ok(includesId([USERS.nestor.id], `{${USERS.nestor.id.toUpperCase()}}`));
    assert.ok(!includesId([USERS.nestor.id], USERS.lee.id));
  });

  for (const [how, spell] of [['upper case', shout], ['braces', braced]] as const) {
    it(`an agent cannot request a pass for themselves when their id arrives in ${how}`, async () => {
      const w = makeWorld();
      await assert.rejects(w.flow.startRequest(spell(actor('adele')), ask(USERS.adele.upn)), refusedWith('targetIsSelf'));
    });

    it(`the target cannot approve their own pass when their id arrives in ${how}`, async () => {
      const w = makeWorld();
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
      await assert.rejects(w.flow.decide(spell(actor('megan')), request.id, APPROVE), refusedWith('notApprover'));
      assert.equal(w.graph.createTap.callCount, 0);
    });

    it(`the requesting agent cannot approve when their id arrives in ${how}`, async () => {
      const w = makeWorld();
      // Diego's manager is Adele: she asks, so Lee (skip-level) decides.
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.diego.upn));
      await assert.rejects(w.flow.decide(spell(actor('adele')), request.id, APPROVE), refusedWith('notApprover'));
    });

    it(`the stored approver is recognised when their id arrives in ${how}`, async () => {
      const w = makeWorld();
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
      const decided = await w.flow.decide(spell(actor('nestor')), request.id, APPROVE);
      assert.equal(decided.state, 'Issued');
      assert.equal(decided.decision?.by.displayName, 'Nestor Wilke', 'the stored approver, not a stranger with the same id');
    });
  }

  it('the target is stored with the id Graph returned, never what the agent typed', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask('MEGAN@contoso.com'));
    assert.equal(request.target.id, USERS.megan.id);
    assert.equal(request.target.userPrincipalName, USERS.megan.upn);
  });
});

describe('the TAP policy scope', () => {
  const policy = (include: Array<{ targetType: 'group' | 'user'; id: string }>, exclude: Array<{ targetType: 'group' | 'user'; id: string }> = []) => ({
    state: 'enabled' as const, defaultLifetimeInMinutes: 60, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLength: 8, isUsableOnce: false,
    includeTargets: include, excludeTargets: exclude,
  });
  const everyone = [{ targetType: 'group' as const, id: 'all_users' }];

  it('covers everyone with all_users, members of an included group, and a user included by id', () => {
    assert.ok(inPolicyScope(policy(everyone), USERS.megan.id, []));
    assert.ok(inPolicyScope(policy([{ targetType: 'group', id: GROUPS.helpdesk }]), USERS.adele.id, [GROUPS.helpdesk]));
    assert.ok(inPolicyScope(policy([{ targetType: 'user', id: USERS.megan.id.toUpperCase() }]), USERS.megan.id, []));
  });

  it('leaves out users outside every included group, and an exclusion always wins', () => {
    assert.ok(!inPolicyScope(policy([{ targetType: 'group', id: GROUPS.helpdesk }]), USERS.megan.id, []));
    assert.ok(!inPolicyScope(policy(everyone, [{ targetType: 'group', id: GROUPS.protected }]), USERS.grady.id, [GROUPS.protected]));
    assert.ok(!inPolicyScope(policy(everyone, [{ targetType: 'user', id: USERS.megan.id }]), USERS.megan.id, []));
    assert.ok(!inPolicyScope(policy(everyone, everyone), USERS.megan.id, []), 'excluding all_users excludes everyone');
  });

  it('a user in an excluded group is refused with the group that keeps them out', async () => {
    // The protected-group rule is lifted so that the scope rule is what refuses.
    const open = makeWorld({ config: { protectedGroupId: undefined as unknown as string } });
    open.graph.directory.policy = policy(everyone, [{ targetType: 'group', id: GROUPS.protected }]);
    open.graph.directory.groups[GROUPS.protected] = [USERS.megan.id];
    await assert.rejects(
      open.flow.startRequest(actor('adele'), ask(USERS.megan.upn)),
      refusedWith('targetOutOfPolicyScope', new RegExp(`they are in the group ${GROUPS.protected}, which the policy excludes`)),
    );
  });

  it('a user outside the policy scope is refused before the manager is asked', async () => {
    const w = makeWorld();
    w.graph.directory.policy = policy([{ targetType: 'group', id: GROUPS.helpdesk }]);
    await assert.rejects(w.flow.startRequest(actor('adele'), ask(USERS.megan.upn)), refusedWith('targetOutOfPolicyScope', /Megan Bowen \(megan@contoso\.com\) is not in the scope of this tenant's Temporary Access Pass policy \(the policy only includes the group aaaa0000-0000-4000-8000-000000000001, and they are in none of them\)/));
    assert.equal(w.notifier.requestApproval.callCount, 0);
  });
});

describe('one open request per person, atomically', () => {
  quietLogs();

  it('of two submits for the same person at the same instant on two instances, exactly one creates a request', async () => {
    for (let round = 0; round < 25; round++) {
      const w = makeWorld();
      const other = w.restart();
      const results = await Promise.allSettled([
        w.flow.startRequest(actor('adele'), ask(USERS.megan.upn)),
        other.startRequest(actor('alex'), ask(USERS.megan.upn)),
      ]);
      const created = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(created.length, 1, `round ${round}: ${refused.map((r) => String(r.reason)).join('; ')}`);
      assert.ok(refused[0]!.reason instanceof FlowError && refused[0]!.reason.code === 'duplicateRequest', String(refused[0]!.reason));
      assert.equal(w.notifier.requestApproval.callCount, 1, 'the manager is asked once');
    }
  });

  it('of two claims on one person at the same instant, exactly one wins, however they interleave', async () => {
    for (let round = 0; round < 50; round++) {
      const storage = new MemoryStorage();
      const repo = new RequestRepository(storage);
      const [a, b] = [new TargetLocks(storage, repo), new TargetLocks(storage, repo)];
      const claims = await Promise.all([a.claim(USERS.megan.id, 'TAP-AAAAAA', T0), b.claim(USERS.megan.id, 'TAP-BBBBBB', T0)]);
      assert.equal(claims.filter((c) => c.claimed).length, 1, `round ${round}`);
    }
  });

  it('a person whose request is closed can be asked for again', async () => {
    const w = makeWorld();
    const first = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await w.flow.cancel(actor('adele'), first.id);
    const second = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.notEqual(second.id, first.id);
  });

  it('a request that expired unnoticed no longer holds the person', async () => {
    const w = makeWorld();
    await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    w.advanceMinutes(31);
    await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
  });

  it('a lock left by a crash before the request was stored frees the person after a minute', async () => {
    const w = makeWorld();
    const key = `lock/open-request/${encodeURIComponent(USERS.megan.id)}`;
    await w.storage.write({ [key]: { requestId: 'TAP-ZZZZZZ', claimedAt: w.clock.now.toISOString() } });
    await assert.rejects(w.flow.startRequest(actor('adele'), ask(USERS.megan.upn)), refusedWith('duplicateRequest', /being made right now/));
    w.advanceMinutes(2);
    await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
  });
});

describe('velocity limits', () => {
  quietLogs();

  const limits = (l: Partial<World['config']['limits']>) => ({
    config: { limits: { requestsPerAgentPerHour: 20, openApprovalsPerApprover: 5, passesPerTargetPerDay: 3, ...l } },
  });
  const targets = ['megan', 'lasse', 'lidia', 'miriam', 'diego', 'patti'] as const;

  it('an agent who hits the hourly request limit is refused with the limit and when it resets, audited, across a restart', async () => {
    const w = makeWorld(limits({ requestsPerAgentPerHour: 3 }));
    for (const t of targets.slice(0, 3)) await w.flow.startRequest(actor('adele'), ask(USERS[t].upn));
    w.advanceMinutes(10);
    const restarted = w.restart();
    await assert.rejects(
      restarted.startRequest(actor('adele'), ask(USERS.miriam.upn)),
      refusedWith('limitReached', /You have made 3 pass requests in the last hour.*after Tue 1 Jan 2030, 09:00 UTC.*identity team/),
    );
    const refused = w.audit.events.at(-1)!;
    assert.equal(refused.action, 'request.refused');
    assert.equal(refused.outcome, 'limitReached');
    assert.equal(refused.details?.['limit'], 'requestsPerAgentPerHour');
    // Another agent is not affected; and an hour later Adele may ask again.
    await restarted.startRequest(actor('alex'), ask(USERS.miriam.upn));
    w.advanceMinutes(51);
    await restarted.startRequest(actor('adele'), ask(USERS.diego.upn));
  });

  it('an approver with the most requests waiting gets no more until they decide some', async () => {
    const w = makeWorld(limits({ openApprovalsPerApprover: 2 }));
    const first = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await w.flow.startRequest(actor('adele'), ask(USERS.lasse.upn));
    await assert.rejects(
      w.flow.startRequest(actor('alex'), ask(USERS.lidia.upn)),
      refusedWith('limitReached', /Nestor Wilke already has 2 pass requests waiting.*oldest expires on Tue 1 Jan 2030, 08:30 UTC/),
    );
    assert.equal(w.notifier.requestApproval.callCount, 2, 'no third card for Nestor');
    await w.flow.decide(actor('nestor'), first.id, { action: 'deny' });
    await w.flow.startRequest(actor('alex'), ask(USERS.lidia.upn));
  });

  it('a person who had the most passes in a day is refused a new request, and the limit is checked again at approval', async () => {
    const w = makeWorld(limits({ passesPerTargetPerDay: 1 }));
    const first = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await w.flow.decide(actor('nestor'), first.id, APPROVE);
    await assert.rejects(
      w.flow.startRequest(actor('adele'), ask(USERS.megan.upn)),
      refusedWith('limitReached', /Megan Bowen has been issued 1 passes in the last 24 hours.*after Wed 2 Jan 2030, 08:00 UTC/),
    );

    // Lasse's request is made while he has had none; a pass counted meanwhile stops the approval.
    const lasse = await w.flow.startRequest(actor('adele'), ask(USERS.lasse.upn));
    await w.storage.write({ [`limits/target-passes/${USERS.lasse.id}`]: { at: [w.clock.now.toISOString()] } });
    const decided = await w.flow.decide(actor('nestor'), lasse.id, APPROVE);
    assert.equal(decided.state, 'Failed');
    assert.equal(decided.failure?.code, 'limitReached');
    assert.match(decided.failure?.message ?? '', /No pass was created\./);
    assert.equal(w.graph.createTap.callCount, 1);
  });

  it('a limit of 0 is off', async () => {
    const w = makeWorld(limits({ requestsPerAgentPerHour: 0, openApprovalsPerApprover: 0, passesPerTargetPerDay: 0 }));
    for (const t of targets.slice(0, 4)) await w.flow.startRequest(actor('adele'), ask(USERS[t].upn));
    assert.deepEqual(w.storage.keys().filter((k) => k.startsWith('limits/')), []);
  });

  it('two instances racing for the last slot of an agent cannot both get it', async () => {
    const w = makeWorld(limits({ requestsPerAgentPerHour: 1 }));
    const results = await Promise.allSettled([
      w.flow.startRequest(actor('adele'), ask(USERS.megan.upn)),
      w.restart().startRequest(actor('adele'), ask(USERS.lasse.upn)),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  });
});
