/**
 * The evidence behind an approval: signals read with the checks, kept on the request, and
 * the number on file that "I called them on a number I already knew" names.
 */
import assert from 'node:assert/strict';
import { FlowError } from '../../../src/errors';
import type { TargetSignals } from '../../../src/graph/types';
import { DEFAULT_RISK_RULES } from '../../../src/flow/gate/risk';
import { actor, ask, contoso, GROUPS, makeWorld, quietLogs, T0, USERS } from '../../support/flowWorld';

const hoursAgo = (h: number): string => new Date(T0.getTime() - h * 3600_000).toISOString();

function signals(extra: Partial<TargetSignals> = {}): TargetSignals {
  return {
    phones: { available: true, value: { business: ['+45 33 12 34 56'], mobile: '+45 20 11 22 33' } },
    methods: { available: true, value: { registered: [{ type: 'microsoftAuthenticator', displayName: 'iPhone', createdDateTime: hoursAgo(24 * 400) }], newestAddedAt: hoursAgo(24 * 400) } },
    account: { available: true, value: { createdDateTime: hoursAgo(24 * 900), lastSuccessfulSignIn: hoursAgo(30) } },
    managerChange: { available: true, value: null },
    risk: { available: true, value: null },
    ...extra,
  };
}

function world(s: TargetSignals = signals()) {
  const directory = contoso();
  directory.signals = { [USERS.megan.id]: s };
  return makeWorld({ directory, config: { risk: { ...DEFAULT_RISK_RULES, recentPassWithinDays: 0, secondApproverGroupId: GROUPS.fallbackApprovers } } });
}

describe('evidence in front of the approver', () => {
  quietLogs();

  it('the signals read with the checks are kept on the request for the approval card', async () => {
    const w = world();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.deepEqual(request.signals?.phones, { available: true, value: { business: ['+45 33 12 34 56'], mobile: '+45 20 11 22 33' } });
    assert.equal(request.risk?.level, 'normal');
    assert.equal(w.graph.inspectTarget.firstCall.args[1].withSignals, true, 'read in the same round as the checks');
  });

  it('a manager change two days ago makes the request elevated risk, with the reason', async () => {
    const w = world(signals({ managerChange: { available: true, value: { changedAt: hoursAgo(48), by: 'isaiah@contoso.com' } } }));
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.deepEqual(request.risk?.rules, ['managerChange']);
    assert.match(request.risk?.reasons[0] ?? '', /manager was changed on 2029-12-30 08:00 UTC, within 7 days/);
    assert.ok(request.secondApprover);
  });

  it('an Authenticator registered yesterday, and a high user risk, are elevated risk too', async () => {
    const w = world(signals({
      methods: { available: true, value: { registered: [{ type: 'microsoftAuthenticator', createdDateTime: hoursAgo(20) }], newestAddedAt: hoursAgo(20) } },
      risk: { available: true, value: { level: 'high' } },
    }));
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.deepEqual(request.risk?.rules, ['methodRegisteredRecently', 'userRisk']);
  });

  it('a signal that could not be read is recorded as missing in the audit, never treated as "all clear" silently', async () => {
    const w = world(signals({ risk: { available: false, missing: 'needs IdentityRiskyUser.Read.All and an Entra ID P2 licence' } }));
    await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const created = w.audit.events.find((e) => e.action === 'request.created');
    assert.deepEqual(created?.details?.['signalsMissing'], ['risk']);
  });

  it('"I called them on a number I already knew" must name a number on file, and the audit keeps which', async () => {
    const w = world();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await assert.rejects(w.flow.decide(actor('nestor'), request.id, { action: 'approve', attestation: 'knownNumberCall' }), (e: unknown) => {
      assert.ok(e instanceof FlowError && e.code === 'invalidInput');
      assert.match(e.userMessage, /Say which number on file you called \(\+45 33 12 34 56 or \+45 20 11 22 33\)\. Never call back a number the caller gives you\./);
      return true;
    });
    await assert.rejects(w.flow.decide(actor('nestor'), request.id, { action: 'approve', attestation: 'knownNumberCall', calledNumber: '+1 555 0100' }));
    assert.equal(w.graph.createTap.callCount, 0);
    const done = await w.flow.decide(actor('nestor'), request.id, { action: 'approve', attestation: 'knownNumberCall', calledNumber: '+4520112233' });
    assert.equal(done.decision?.calledNumber, '+45 20 11 22 33');
    const approved = w.audit.events.find((e) => e.action === 'decision.approved');
    assert.equal(approved?.details?.['calledNumber'], '+45 20 11 22 33');
  });
});
