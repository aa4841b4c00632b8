import assert from 'node:assert/strict';
import sinon from 'sinon';
import { FlowError, GraphError, type FlowErrorCode } from '../../../src/errors';
import { failingFake } from '../../support/fakePorts';
import { actor, ask, GROUPS, makeWorld, quietLogs, USERS, type World } from '../../support/flowWorld';

function isFlowError(code: FlowErrorCode, message?: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof FlowError, `expected FlowError ${code}, got ${String(e)}`);
    assert.equal(e.code, code);
    if (message) assert.match(e.userMessage, message);
    return true;
  };
}

/** Nobody was bothered and nothing was stored. */
function assertNothingHappened(w: World): void {
  assert.equal(w.notifier.requestApproval.callCount, 0, 'no approver was asked');
  assert.equal(w.graph.createTap.callCount, 0, 'no TAP was created');
  assert.deepEqual(w.storage.keys().filter((k) => k.startsWith('request/')), [], 'no request was stored');
}

describe('starting a request', () => {
  quietLogs();
  afterEach(() => sinon.restore());

  it('a valid request is stored pending, audited, and sent to the target\'s manager', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask('Megan@contoso.com', { ticket: 'INC-42' }));
    assert.equal(request.state, 'PendingApproval');
    assert.match(request.id, /^TAP-[2-9A-HJ-NP-Z]{6}$/);
    assert.equal(request.target.id, USERS.megan.id);
    assert.equal(request.requester.userPrincipalName, USERS.adele.upn);
    assert.deepEqual(request.approver, {
      kind: 'manager',
      ids: [USERS.nestor.id],
      people: [{ id: USERS.nestor.id, displayName: USERS.nestor.name, userPrincipalName: USERS.nestor.upn, jobTitle: 'Staff', department: 'Sales' }],
    });
    assert.equal(request.expiresAt, '2030-01-01T08:30:00.000Z');
    assert.deepEqual(request.settings, { lifetimeInMinutes: 60, isUsableOnce: true });
    assert.equal(request.replacesExistingTap, false);
    assert.deepEqual(await w.stored(request.id).then((r) => r?.state), 'PendingApproval');
    assert.equal(w.notifier.requestApproval.callCount, 1);
    assert.equal(w.notifier.requestApproval.firstCall.args[0].id, request.id);
    const created = w.audit.events.find((e) => e.action === 'request.created');
    assert.ok(created);
    assert.equal(created.actorId, USERS.adele.id);
    assert.equal(created.targetUpn, USERS.megan.upn);
    assert.deepEqual(created.details?.approverIds, [USERS.nestor.id]);
    assert.equal(created.details?.ticket, 'INC-42');
    assert.equal(created.details?.reason, 'Lost phone, new device');
  });

  it('reads the policy and the agent with the target (with the identity-assurance signals), in one round', async () => {
    const w = makeWorld();
    await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.equal(w.graph.getTapPolicy.callCount, 1);
    assert.equal(w.graph.inspectTarget.callCount, 1);
    assert.deepEqual(w.graph.inspectTarget.firstCall.args[1], {
      // The gateway sends these in the target's $batch; getTapPolicy and getUser then take its answers.
      alongside: { policy: true, userId: USERS.adele.id, managerAway: false },
      protectedGroupId: GROUPS.protected,
      privilegedRoleTemplateIds: w.config.privilegedRoleTemplateIds,
      withSignals: true,
      now: w.clock.now,
    });
  });

  describe('only helpdesk-group members may request', () => {
    it('a user outside the helpdesk group is refused politely, and it is audited', async () => {
      const w = makeWorld();
      await assert.rejects(
        w.flow.startRequest(actor('megan'), ask(USERS.lasse.upn)),
        isFlowError('notHelpdeskAgent', /Only members of the helpdesk group can request a Temporary Access Pass\. If you should have access, ask your IT admin to add you\./),
      );
      assertNothingHappened(w);
      assert.deepEqual(w.audit.actions(), ['agent.refused']);
      assert.equal(w.audit.events[0]!.actorId, USERS.megan.id);
    });

    it('a helpdesk agent from another tenant is refused', async () => {
      const w = makeWorld();
      await assert.rejects(w.flow.startRequest(actor('adele', 'ffffffff-0000-4000-8000-000000000000'), ask(USERS.megan.upn)), isFlowError('wrongTenant'));
      assertNothingHappened(w);
      assert.deepEqual(w.audit.actions(), ['agent.refused']);
      assert.equal(w.graph.memberGroups.callCount, 0, 'another tenant\'s id is not even looked up');
    });

    it('membership is asked for the configured helpdesk group only', async () => {
      const w = makeWorld();
      await w.flow.assertAgent(actor('alex'));
      assert.deepEqual(w.graph.memberGroups.firstCall.args, [USERS.alex.id, [GROUPS.helpdesk]]);
    });
  });

  // Each rule is refused before anyone is bothered, with a message naming the rule, and audited.
  const refusals: Array<{ rule: string; who?: Parameters<typeof actor>[0]; target: string; code: FlowErrorCode; message: RegExp; tweak?: (w: World) => void }> = [
    { rule: 'an agent cannot request a pass for themselves', target: USERS.adele.upn, code: 'targetIsSelf', message: /yourself/ },
    {
      rule: 'a privileged target is refused before anyone is bothered',
      target: USERS.isaiah.upn,
      code: 'targetPrivileged',
      message: /holds or can activate an administrator role; TAPs for privileged accounts are issued by the identity team, not the helpdesk/,
    },
    { rule: 'an authentication administrator is refused too', target: USERS.johanna.upn, code: 'targetPrivileged', message: /administrator role/ },
    { rule: 'a guest is refused', target: USERS.pradeep.upn, code: 'targetIsGuest', message: /external guest/ },
    { rule: 'a protected-group member is refused', target: USERS.grady.upn, code: 'targetProtected', message: /protected accounts group/ },
    { rule: 'unknown user', target: 'nobody@contoso.com', code: 'targetNotFound', message: /^No user nobody@contoso\.com in the directory: check the spelling\.$/ },
    {
      rule: 'a disabled account is refused',
      target: USERS.megan.upn,
      code: 'targetDisabled',
      message: /disabled/,
      tweak: (w) => {
        w.graph.directory.users.find((u) => u.id === USERS.megan.id)!.accountEnabled = false;
      },
    },
    {
      rule: 'policy disabled',
      target: USERS.megan.upn,
      code: 'policyDisabled',
      message: /turned off/,
      tweak: (w) => {
        w.graph.directory.policy.state = 'disabled';
      },
    },
    {
      rule: 'a gateway that reports a guest by error code is refused as a guest',
      target: USERS.megan.upn,
      code: 'targetIsGuest',
      message: /external guest/,
      tweak: (w) => {
        w.graph.faults.inspectTarget = new GraphError({ code: 'guest', status: 400, userMessage: 'guest' });
      },
    },
  ];
  for (const { rule, who, target, code, message, tweak } of refusals) {
    it(rule, async () => {
      const w = makeWorld();
      tweak?.(w);
      await assert.rejects(w.flow.startRequest(actor(who ?? 'adele'), ask(target)), isFlowError(code, message));
      assertNothingHappened(w);
      assert.deepEqual(w.audit.actions(), ['request.refused']);
      assert.equal(w.audit.events[0]!.outcome, code);
      assert.equal(w.audit.events[0]!.actorId, USERS[who ?? 'adele'].id);
    });
  }

  it('the privileged refusal audits which roles were found', async () => {
    const w = makeWorld();
    await assert.rejects(w.flow.startRequest(actor('adele'), ask(USERS.isaiah.upn)));
    assert.deepEqual(w.audit.events[0]!.details?.roleTemplateIds, ['62e90394-69f5-4237-9190-012177145e10']);
  });

  it('a Graph failure is passed on as it is, not disguised as a refusal', async () => {
    const w = makeWorld();
    const outage = new GraphError({ code: 'unavailable', status: 503, userMessage: 'Microsoft Graph is unavailable.' });
    w.graph.faults.inspectTarget = outage;
    await assert.rejects(w.flow.startRequest(actor('adele'), ask(USERS.megan.upn)), (e) => e === outage);
    assertNothingHappened(w);
  });

  it('invalid input is refused before any Graph call', async () => {
    const w = makeWorld();
    await assert.rejects(w.flow.startRequest(actor('adele'), ask('megan bowen')), isFlowError('invalidInput'));
    assert.equal(w.graph.memberGroups.callCount + w.graph.inspectTarget.callCount, 0);
  });

  describe('lifetime and one-time settings', () => {
    it('lifetime outside policy bounds is refused with the bounds named', async () => {
      const w = makeWorld();
      for (const lifetimeInMinutes of [30, 481]) {
        await assert.rejects(
          w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { lifetimeInMinutes })),
          isFlowError('lifetimeOutOfBounds', new RegExp(`between 1 hour and 8 hours \\(60–480 minutes\\); ${lifetimeInMinutes} minutes`)),
        );
      }
      assertNothingHappened(w);
      assert.deepEqual(w.audit.actions(), ['request.refused', 'request.refused']);
    });

    const settings: Array<{ what: string; config?: { defaultLifetimeInMinutes?: number; isUsableOnce: boolean }; policy?: { isUsableOnce?: boolean; defaultLifetimeInMinutes?: number }; input?: { lifetimeInMinutes?: number; isUsableOnce?: boolean }; expected: { lifetimeInMinutes: number; isUsableOnce: boolean } }> = [
      { what: 'the agent\'s lifetime within bounds is used', input: { lifetimeInMinutes: 240 }, expected: { lifetimeInMinutes: 240, isUsableOnce: true } },
      { what: 'the configured default is used when the agent gives none', config: { defaultLifetimeInMinutes: 120, isUsableOnce: true }, expected: { lifetimeInMinutes: 120, isUsableOnce: true } },
      { what: 'a configured default above the policy maximum is clamped', config: { defaultLifetimeInMinutes: 1000, isUsableOnce: true }, expected: { lifetimeInMinutes: 480, isUsableOnce: true } },
      { what: 'a configured default below the policy minimum is clamped', config: { defaultLifetimeInMinutes: 15, isUsableOnce: true }, expected: { lifetimeInMinutes: 60, isUsableOnce: true } },
      { what: 'the policy default is used when neither agent nor config says', policy: { defaultLifetimeInMinutes: 90 }, expected: { lifetimeInMinutes: 90, isUsableOnce: true } },
      { what: 'the agent may choose multi-use when the policy allows it', input: { isUsableOnce: false }, expected: { lifetimeInMinutes: 60, isUsableOnce: false } },
      { what: 'the configured one-time default applies when the agent does not choose', config: { isUsableOnce: false }, expected: { lifetimeInMinutes: 60, isUsableOnce: false } },
      { what: 'one-time forced by policy', policy: { isUsableOnce: true }, input: { isUsableOnce: false }, config: { isUsableOnce: false }, expected: { lifetimeInMinutes: 60, isUsableOnce: true } },
    ];
    for (const { what, config, policy, input, expected } of settings) {
      it(what, async () => {
        const w = makeWorld({ config: { tap: { deliveryRecipient: 'agent', isUsableOnce: true, ...config } } });
        Object.assign(w.graph.directory.policy, policy);
        const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, input));
        assert.deepEqual(request.settings, expected);
      });
    }

    it('a future start is kept in the settings', async () => {
      const w = makeWorld();
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { startDateTime: '2030-01-02T08:00:00Z' }));
      assert.equal(request.settings.startDateTime, '2030-01-02T08:00:00.000Z');
    });
  });

  it('existing TAP is flagged as replaced', async () => {
    const w = makeWorld();
    const lidia = await w.flow.startRequest(actor('adele'), ask(USERS.lidia.upn));
    const megan = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.equal(lidia.replacesExistingTap, true);
    assert.equal(megan.replacesExistingTap, false);
    assert.equal(w.audit.events.find((e) => e.requestId === lidia.id)?.details?.replacesExistingTap, true);
  });

  it('a target with an apostrophe in the name is handled', async () => {
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask("Miriam.O'Brien@contoso.com"));
    assert.equal(request.target.id, USERS.miriam.id);
  });

  describe('approver', () => {
    it('no manager → fallback group', async () => {
      const w = makeWorld();
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.patti.upn));
      assert.equal(request.approver.kind, 'fallbackGroup');
      assert.deepEqual(request.approver.ids, [USERS.joni.id]);
      assert.deepEqual(w.graph.listGroupUsers.firstCall.args, [GROUPS.fallbackApprovers]);
    });

    it('manager is the agent → skip-level', async () => {
      const w = makeWorld();
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.diego.upn));
      assert.equal(request.approver.kind, 'skipLevelManager');
      assert.deepEqual(request.approver.ids, [USERS.lee.id]);
    });

    it('manager is the agent and there is no skip-level → fallback group', async () => {
      const w = makeWorld();
      delete w.graph.directory.managers[USERS.adele.id];
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.diego.upn));
      assert.equal(request.approver.kind, 'fallbackGroup');
      assert.deepEqual(request.approver.ids, [USERS.joni.id]);
    });

    it('another agent asking for the same target gets the manager, not the skip-level', async () => {
      const w = makeWorld();
      const request = await w.flow.startRequest(actor('alex'), ask(USERS.diego.upn));
      assert.equal(request.approver.kind, 'manager');
      assert.deepEqual(request.approver.ids, [USERS.adele.id]);
    });

    it('a disabled manager cannot approve: the fallback group decides', async () => {
      const w = makeWorld();
      w.graph.directory.users.find((u) => u.id === USERS.nestor.id)!.accountEnabled = false;
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
      assert.equal(request.approver.kind, 'fallbackGroup');
    });

    it('approver is never the agent or the target', async () => {
      const w = makeWorld();
      // The fallback group holds the agent, the target and one real approver.
      w.graph.directory.groups[GROUPS.fallbackApprovers] = [USERS.adele.id, USERS.patti.id, USERS.joni.id];
      const request = await w.flow.startRequest(actor('adele'), ask(USERS.patti.upn));
      assert.deepEqual(request.approver.ids, [USERS.joni.id]);
      assert.deepEqual(request.approver.people.map((p) => p.id), [USERS.joni.id]);
    });

    it('a fallback group of only the agent and the target means nobody can approve', async () => {
      const w = makeWorld();
      w.graph.directory.groups[GROUPS.fallbackApprovers] = [USERS.adele.id, USERS.patti.id];
      await assert.rejects(w.flow.startRequest(actor('adele'), ask(USERS.patti.upn)), isFlowError('noApprover', /fallback approver group has no member who could decide/));
      assertNothingHappened(w);
      assert.deepEqual(w.audit.actions(), ['request.refused']);
    });

    it('no manager and no fallback group configured means nobody can approve', async () => {
      const w = makeWorld({ config: { fallbackApproverGroupId: undefined } });
      await assert.rejects(w.flow.startRequest(actor('adele'), ask(USERS.patti.upn)), isFlowError('noApprover', /FALLBACK_APPROVER_GROUP_ID/));
      assertNothingHappened(w);
    });
  });

  it('an approver who cannot be reached fails the request with a clear reason', async () => {
    const w = makeWorld();
    w.notifier.requestApproval = failingFake(new Error('no conversation reference'));
    await assert.rejects(w.flow.startRequest(actor('adele'), ask(USERS.megan.upn)), isFlowError('approverUnreachable', /could not be delivered to Nestor Wilke/));
    const [key] = w.storage.keys().filter((k) => k.startsWith('request/'));
    const stored = await w.stored(key!.slice('request/'.length));
    assert.equal(stored?.state, 'Failed');
    assert.equal(stored?.failure?.code, 'approverUnreachable');
    assert.deepEqual(w.audit.actions(), ['request.created', 'request.refused']);
    assert.equal(w.audit.events[1]!.outcome, 'approverUnreachable');
  });

  it('the form gets the policy bounds and the effective defaults, per scenario', async () => {
    const w = makeWorld({ config: { tap: { defaultLifetimeInMinutes: 1000, isUsableOnce: false, deliveryRecipient: 'agent' }, orgTimeZone: 'Europe/Copenhagen' } });
    const { scenarios, ...bounds } = await w.flow.getPolicyForForm();
    assert.deepEqual(bounds, {
      enabled: true,
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      defaultLifetimeInMinutes: 480,
      isUsableOnceForced: false,
      defaultIsUsableOnce: false,
      maxStartInDays: 30,
      approvalTimeoutInMinutes: 30,
      orgTimeZone: 'Europe/Copenhagen',
    });
    assert.deepEqual(scenarios.recovery, { lifetimeInMinutes: 480, isUsableOnce: false, note: 'Recovery: one sign-in to register a new method straight away.', noteSaid: { code: 'presetRecovery', params: undefined } });
    assert.deepEqual(scenarios.newJoiner.start, { date: '2030-01-02', time: '08:00' }, 'the next working day, 08:00');
    assert.deepEqual([scenarios.passkeyOnboarding.lifetimeInMinutes, scenarios.passkeyOnboarding.isUsableOnce], [120, false]);
    // In the agent's own zone when Teams says it: late on 1 January in Auckland it is already the 2nd.
    assert.equal((await w.flow.getPolicyForForm('Pacific/Auckland')).scenarios.newJoiner.start?.date, '2030-01-02');
  });
});
